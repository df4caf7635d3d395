"""The committed sheet_templates/ files are exactly what the code builds, and laid out for people."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.authoring.templates import BLANK_NAME, EXAMPLE_NAME, build_workbook, save_workbook
from toolkit.workbook.schema import ACTIVITIES, TABS

FOLDER = Path(__file__).resolve().parent.parent / "sheet_templates"


def snapshot(path: Path) -> dict:
    book = load_workbook(path)
    return {
        ws.title: {
            "cells": [[c.value for c in row] for row in ws.iter_rows()],
            "validations": sorted((dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation),
            "freeze": ws.freeze_panes,
            "bold": [c.font.bold for c in ws[1]],
        }
        for ws in book.worksheets
    }


@pytest.mark.parametrize(("name", "filled"), [(BLANK_NAME, False), (EXAMPLE_NAME, True)])
def test_committed_template_matches_the_code(tmp_path, name, filled) -> None:
    fresh = save_workbook(tmp_path / name, filled=filled)
    assert snapshot(FOLDER / name) == snapshot(fresh), "run: python -m toolkit.authoring.templates"


def test_every_tab_with_bold_frozen_headers_and_notes() -> None:
    book = build_workbook()
    assert set(book.sheetnames) == {tab.name for tab in TABS}
    for tab in TABS:
        ws = book[tab.name]
        assert [c.value for c in ws[1]][: len(tab.columns)] == [c.header for c in tab.columns]
        assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
    ws = book[ACTIVITIES.name]
    assert ws["B1"].comment is None and ws["A1"].comment.text == "Để trống sẽ tự đánh số."
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert formulas == {"'Danh mục'!$A$2:$A$200", "'Danh mục'!$C$2:$C$200", "'Danh mục'!$D$2:$D$200"}
    assert ws["E2"].number_format == "dd/mm/yyyy"


def test_a_workbook_is_the_same_bytes_whenever_it_is_saved(monkeypatch) -> None:
    """openpyxl stamps the moment of saving into the package; the toolkit's workbooks depend on content only."""
    import datetime
    import time
    import types
    import zipfile

    import openpyxl.writer.excel as writer

    from toolkit.authoring.templates import workbook_bytes

    now = workbook_bytes(build_workbook(filled=True))
    later = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    clock = types.SimpleNamespace(datetime=types.SimpleNamespace(now=lambda tz=None: later), timezone=datetime.timezone)
    monkeypatch.setattr(writer, "datetime", clock)
    stamp = types.SimpleNamespace(time=lambda: later.timestamp(), localtime=time.localtime)
    monkeypatch.setattr(zipfile, "time", stamp)
    assert workbook_bytes(build_workbook(filled=True)) == now
    assert (FOLDER / EXAMPLE_NAME).read_bytes() == now, "run: python -m toolkit.authoring.templates"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--campaign", "hoc-tap-suot-doi", "--year", "2026", "--example"], "--year"),  # its example is of 2025
        (["--example", "--year", "2025"], "--year"),  # the bundled example is of 2023
        (["--rollup", "--example", "--campaign", "van-hoa-doc"], "--campaign"),  # the list's example is another's
        (["--rollup", "--example", "--year", "2025"], "--year"),  # the list's example is of 2026
        (["--campaign", "van-hoa-doc", "--example", "--level", "Mầm non"], "--level"),  # a primary school's
        (["--example", "--level", "THPT"], "--level"),  # TRƯỜNG TH BÌNH AN
        (["--rollup", "--example", "--level", "THCS"], "--level"),  # an office's list is of no one level
        (["--rollup", "--level", "THCS"], "--level"),
    ],
)
def test_init_refuses_an_option_the_example_cannot_honour(tmp_path, args, option) -> None:
    """--example writes an example as it is: an option it would drop is a usage error naming it, no file."""
    from click.testing import CliRunner

    from toolkit.cli import cli

    path = tmp_path / "x.xlsx"
    result = CliRunner().invoke(cli, ["init", str(path), *args])
    assert result.exit_code == 2, result.output
    assert f"Error: {option} " in result.output
    assert not path.exists()


def test_init_honours_the_examples_own_campaign_and_year(tmp_path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli
    from toolkit.workbook import campaigns

    year = campaigns.presets()["hoc-tap-suot-doi"].example["Thông tin"]["Năm"]
    args = ["--campaign", "hoc-tap-suot-doi", "--year", str(year), "--example"]
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "a.xlsx"), *args]).exit_code == 0
    rollup = ["--rollup", "--example", "--campaign", "thang-hanh-dong-vi-tre-em", "--year", "2026"]
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "r" / "ds.xlsx"), *rollup]).exit_code == 0
    assert (tmp_path / "r" / "truong").is_dir()  # the example, not a blank list
    with pytest.raises(ValueError, match="dated 2025"):
        build_workbook("hoc-tap-suot-doi", filled=True, year=2026)
    level = ["--example", "--level", "Tiểu học"]  # the bundled example's own level is honoured
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "l.xlsx"), *level]).exit_code == 0
    with pytest.raises(ValueError, match="another level"):
        build_workbook(filled=True, level="Mầm non")


@pytest.mark.parametrize("command", ["init", "init-sheet"])
def test_an_unknown_level_is_a_usage_error_naming_the_levels(tmp_path, command) -> None:
    """``--level "Nhà trẻ"`` used to write a workbook with ``Học sinh`` columns, the error showing only at check."""
    from click.testing import CliRunner

    from toolkit.cli import cli
    from toolkit.workbook import wording

    target = str(tmp_path / "x.xlsx") if command == "init" else "https://docs.google.com/spreadsheets/d/abc123/edit"
    result = CliRunner().invoke(cli, [command, target, "--level", "Nhà trẻ", "--campaign", "hoc-tap-suot-doi"])
    assert result.exit_code == 2, result.output
    names = ", ".join(lv.name for lv in wording.levels())
    assert names.startswith("Mầm non, ") and "THCS" in names
    assert f"Error: Invalid value for --level: không có cấp học Nhà trẻ; chọn một trong: {names}." in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_level_spelled_forgivingly_is_written_as_levels_json_spells_it(tmp_path) -> None:
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from toolkit.cli import cli

    path = tmp_path / "x.xlsx"
    result = CliRunner().invoke(cli, ["init", str(path), "--level", "mam  NON", "--campaign", "hoc-tap-suot-doi"])
    assert result.exit_code == 0, result.output
    ws = load_workbook(path)["Thông tin"]
    assert {r[0].value: r[1].value for r in ws.iter_rows()}["Cấp học"] == "Mầm non"
    headers = [c.value for c in load_workbook(path)["Hoạt động"][1]]
    assert any("Trẻ" in str(h) for h in headers), headers  # the participant columns in a preschool's words

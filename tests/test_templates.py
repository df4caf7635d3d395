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

"""The signature block as a person sees it on the printed page (LibreOffice's PDF, read back by
``signing.block``): Decree 30's ``KT.`` and ``TM.`` on the office's roll-up and on a school's report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cases import CASE_C_DAY, build_case_c, documents, set_settings
from toolkit.cli import cli
from toolkit.output.pdf import to_pdf
from toolkit.signing.block import find_block

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def _block(docx: Path) -> tuple[tuple[str, ...], str]:
    found = find_block(to_pdf(docx).read_bytes())
    return found.titles, found.name


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ky")
    assert CliRunner().invoke(cli, ["init", "--rollup", "--example", str(folder / "ds.xlsx")]).exit_code == 0
    return folder


def _rollup(folder: Path, name: str, settings: dict[str, object]) -> tuple[dict, Path]:
    book = load_workbook(folder / "ds.xlsx")
    set_settings(book, settings)
    book.save(folder / f"{name}.xlsx")
    out = folder / f"out-{name}"
    result = CliRunner().invoke(cli, ["rollup", str(folder / f"{name}.xlsx"), "-o", str(out), "--format", "json"])
    data = json.loads(result.stdout)
    return data, next(Path(p) for p in data["outputs"] if p.endswith(".docx"))


def test_a_roll_up_signed_tm_and_kt_reads_as_decree_30_writes_it(office) -> None:
    _, tm = _rollup(
        office,
        "tm",
        {"Thẩm quyền ký": "TM.", "Chức vụ thủ trưởng": "Ủy ban nhân dân", "Chức vụ người ký": "Chủ tịch"},
    )
    assert _block(tm) == (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Nguyễn Thị Lan")
    _, kt = _rollup(office, "kt", {})  # the example: a deputy signs for the chairman
    assert _block(kt) == (("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Nguyễn Thị Lan")


def test_tm_followed_by_a_person_s_title_is_warned_at_its_cell(office) -> None:
    data, _ = _rollup(
        office, "sai", {"Thẩm quyền ký": "TM.", "Chức vụ thủ trưởng": "Chủ tịch", "Chức vụ người ký": "Chủ tịch"}
    )
    book = load_workbook(office / "sai.xlsx")["Thông tin"]
    row = next(r for r in range(2, book.max_row + 1) if book.cell(row=r, column=1).value == "Chức vụ thủ trưởng")
    assert [(p["code"], p["cell"]) for p in data["list"]["problems"]] == [("tm-person-title", f"B{row}")]


def test_a_school_report_signed_tm_and_kt(tmp_path) -> None:
    source = build_case_c(tmp_path / "c.xlsx")
    book = load_workbook(source)
    set_settings(
        book,
        {"Thẩm quyền ký": "TM.", "Chức vụ thủ trưởng": "Hội đồng trường", "Chức vụ người ký": "Chủ tịch"},
    )
    book.save(tmp_path / "tm.xlsx")
    _, _, report = documents(tmp_path / "tm.xlsx", tmp_path / "tm", CASE_C_DAY)
    titles, _ = _block(report)
    assert titles == ("TM. HỘI ĐỒNG TRƯỜNG", "CHỦ TỊCH")
    set_settings(
        book, {"Thẩm quyền ký": "KT.", "Chức vụ thủ trưởng": "Hiệu trưởng", "Chức vụ người ký": "Phó hiệu trưởng"}
    )
    book.save(tmp_path / "kt.xlsx")
    _, _, report = documents(tmp_path / "kt.xlsx", tmp_path / "kt", CASE_C_DAY)
    titles, _ = _block(report)
    assert titles == ("KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG")

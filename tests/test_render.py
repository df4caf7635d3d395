"""The documents as a person sees them: rendered by LibreOffice, inspected with poppler.

Skipped (with the reason) where LibreOffice or poppler is missing; under ``CI=true`` they must run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

import render_checks as rc
from cases import CASE_A_DAY, CASE_B_DAY, build_case_a, build_case_b
from conftest import write_workbook
from toolkit.core.config import Options
from toolkit.documents.layout import TOP_LEFT, OfficialDocument
from toolkit.documents.ooxml import Cell, cm, paragraph_xml, table_xml
from toolkit.output.pdf import find_soffice, to_pdf
from toolkit.pipeline import export_pdf, sync_and_report
from toolkit.workbook import campaigns


def _missing() -> list[str]:
    missing = [] if find_soffice() else ["LibreOffice (soffice)"]
    missing += [tool for tool in ("pdftotext", "pdfinfo", "pdffonts") if not shutil.which(tool)]
    return missing


@pytest.fixture(scope="module", autouse=True)
def renderer() -> None:
    missing = _missing()
    if missing:
        reason = (
            "render tests need " + ", ".join(missing) + " (apt-get install libreoffice-writer-nogui "
            "fonts-liberation2 poppler-utils)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("render")
    report = sync_and_report(str(write_workbook(folder / "example.xlsx")), Options(output=folder / "out"))
    export_pdf(report)
    plan, result, plan_pdf, result_pdf = (Path(p) for p in report.outputs)
    return {
        "plan": plan,
        "report": result,
        "plan_pdf": plan_pdf,
        "report_pdf": result_pdf,
        "source": folder / "example.xlsx",
    }


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> dict[str, Path]:
    from generate import write

    folder = tmp_path_factory.mktemp("large")
    source = write(300, folder / "large.xlsx")
    report = sync_and_report(str(source), Options(output=folder / "out"))
    export_pdf(report)
    plan, result, plan_pdf, result_pdf = (Path(p) for p in report.outputs)
    return {"plan": plan, "report": result, "plan_pdf": plan_pdf, "report_pdf": result_pdf, "source": source}


@pytest.mark.parametrize("kind", ["plan", "report"])
@pytest.mark.parametrize("which", ["example", "large"])
def test_every_render_check(request, which, kind) -> None:
    docs = request.getfixturevalue(which)
    rc.check_every_page(docs[f"{kind}_pdf"], docs[kind])


@pytest.mark.parametrize("preset_id", [*campaigns.presets(), "case-c"])
def test_every_preset_example_passes_every_render_check(tmp_path, preset_id) -> None:
    """Each preset's own example (and case C: no preset, citations by kind, dash items), rendered."""
    from cases import CASE_C_DAY, build_case_c, init

    if preset_id == "case-c":
        source, today = build_case_c(tmp_path / "c.xlsx"), CASE_C_DAY
    else:
        source, today = init(tmp_path / f"{preset_id}.xlsx", "--campaign", preset_id, "--example"), None
    report = sync_and_report(str(source), Options(output=tmp_path / "out", today=today))
    export_pdf(report)
    plan, result, plan_pdf, result_pdf = (Path(p) for p in report.outputs)
    rc.check_every_page(plan_pdf, plan)
    rc.check_every_page(result_pdf, result)


def activity_names(source: Path, done_only: bool) -> list[str]:
    ws = load_workbook(source)["Hoạt động"]
    return [
        row[1]
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[1] and row[9] != "Hủy" and (row[9] == "Đã thực hiện" or not done_only)
    ]


def test_large_plan_table_repeats_its_header_and_keeps_rows_whole(large) -> None:
    assert rc.page_count(large["plan_pdf"]) >= 4
    rc.check_table_header_repeats(large["plan_pdf"], ["STT", "Hoạt", "Thời", "Phụ", "Phối"], "(đợt")
    rc.check_rows_whole(large["plan_pdf"], activity_names(large["source"], done_only=False))


def test_large_report_appendix_paginates_and_adds_up(large) -> None:
    pdf = large["report_pdf"]
    pages = rc.page_count(pdf)
    assert 5 <= pages <= 80
    rc.check_rows_whole(pdf, activity_names(large["source"], done_only=True), from_text="PHỤ LỤC")
    appendix_pages = [w.page for w in rc.words(pdf) if w.text == "LỤC"]
    assert appendix_pages
    ws = load_workbook(large["source"])["Hoạt động"]
    done = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[9] == "Đã thực hiện"]
    male = sum(sum(row[c] or 0 for c in (10, 12, 14)) for row in done)
    female = sum(sum(row[c] or 0 for c in (11, 13, 15)) for row in done)
    money = sum(row[18] or 0 for row in done)
    dots = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731
    last = rc.page_texts(pdf)[-1]
    assert f"Tổng cộng {dots(male)} {dots(female)} {dots(money)}" in last
    whole = " ".join(rc.page_texts(pdf))
    assert f"Tổng cộng {dots(male)} {dots(female)} {dots(male + female)}" in whole
    assert f"Tổng kinh phí đã chi: {dots(money)} đồng." in whole


@pytest.mark.parametrize(
    ("build", "day", "unit", "parent"),
    [
        (build_case_a, CASE_A_DAY, ["TRƯỜNG THCS", "NGUYỄN TRÃI"], ["UBND PHƯỜNG TÂN HƯNG"]),
        (build_case_b, CASE_B_DAY, ["TRƯỜNG MẦM NON", "HOA SEN"], ["UBND XÃ SƠN TRÀ"]),
    ],
)
def test_long_names_break_between_words_never_inside_a_name(tmp_path, build, day, unit, parent) -> None:
    report = sync_and_report(str(build(tmp_path / "case.xlsx")), Options(output=tmp_path / "out", today=day))
    for pdf in map(Path, export_pdf(report)):
        rc.check_name_lines(pdf, unit, TOP_LEFT / 20)
        rc.check_name_lines(pdf, parent, TOP_LEFT / 20)
        rc.check_margins(pdf)
        rc.check_fonts(pdf)
        rc.check_national_heading(pdf)


def test_a_name_broken_inside_is_caught(tmp_path) -> None:
    doc = OfficialDocument(title="t", author="a", created=dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc))
    doc.top_block("UBND PHƯỜNG TÂN HƯNG", "TRƯỜNG THCS", "Số: 01/KH-THCSNT", "Tân Hưng, ngày 01 tháng 02 năm 2025")
    doc.body[0] = doc.body[0].replace("TRƯỜNG THCS", "TRƯỜNG THCS NGUYỄN</w:t><w:br/><w:t>TRÃI")
    pdf = _render(tmp_path, "broken-name", doc.to_bytes())
    rc.check_name_lines(pdf, ["UBND PHƯỜNG TÂN HƯNG"], TOP_LEFT / 20)
    with pytest.raises(AssertionError, match=r"runs on with 'NGUYỄN'"):
        rc.check_name_lines(pdf, ["TRƯỜNG THCS", "NGUYỄN TRÃI"], TOP_LEFT / 20)


def test_vietnamese_letters_survive(example) -> None:
    text = " ".join(rc.page_texts(example["report_pdf"]))
    for word in (
        "CỘNG",
        "HÒA",
        "XÃ",
        "HỘI",
        "NGHĨA",
        "Độc",
        "lập",
        "Hạnh",
        "phúc",
        "TRƯỜNG",
        "ứng",
        "phó",
        "đẳng",
        "giới",
        "Nữ",
        "Tỷ",
        "lệ",
    ):
        assert word in text


# -- the checks themselves can fail ---------------------------------------------------------------


def _render(tmp_path: Path, name: str, data: bytes) -> Path:
    docx = tmp_path / f"{name}.docx"
    docx.write_bytes(data)
    return to_pdf(docx)


def _document() -> OfficialDocument:
    doc = OfficialDocument(title="t", author="a", created=dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc))
    doc.top_block("PHÒNG GD&ĐT THỦ THỪA", "TRƯỜNG TH BÌNH AN", "Số: 01/KH-THBA", "Bình An, ngày 01 tháng 02 năm 2024")
    for i in range(60):
        doc.paragraph(f"Đoạn văn số {i} để văn bản dài hơn một trang giấy khổ A4 theo Nghị định 30.")
    return doc


def test_a_table_wider_than_the_text_block_is_caught(tmp_path) -> None:
    doc = _document()
    cell = Cell((paragraph_xml("Ô rất rộng ở cột bên phải của bảng quá khổ"),))
    doc.body.insert(3, table_xml([cm(9), cm(9)], [[cell, cell]]))
    pdf = _render(tmp_path, "wide", doc.to_bytes())
    rc.check_fonts(pdf)  # the rest of the document is fine …
    with pytest.raises(AssertionError, match="outside the side margins"):
        rc.check_margins(pdf)


def test_a_page_number_on_page_one_is_caught(tmp_path) -> None:
    good = _document().to_bytes()
    rc.check_page_numbers(_render(tmp_path, "good", good))
    broken = _without_title_page(good)
    with pytest.raises(AssertionError, match="above page 1"):
        rc.check_page_numbers(_render(tmp_path, "numbered", broken))


def _without_title_page(data: bytes) -> bytes:
    import io

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = re.sub(rb"<w:titlePg[^>]*/>", b"", content)
            target.writestr(info, content)
    return out.getvalue()


def test_a_split_row_and_a_lonely_signature_are_caught(example, tmp_path) -> None:
    with pytest.raises(AssertionError, match="split"):
        rc.check_rows_whole(example["plan_pdf"], ["Một hoạt động không có trong văn bản"])
    with pytest.raises(AssertionError, match="no signature"):
        rc.check_signature_with_closing(_render(tmp_path, "plain", _document().to_bytes()))


def test_a_word_broken_in_a_narrow_cell_is_caught(tmp_path) -> None:
    doc = _document()
    doc.table([1.6, 14.9], ("Ngày", "Hoạt động"), [("15/11/2023", "Lễ phát động")])
    docx = tmp_path / "narrow.docx"
    docx.write_bytes(doc.to_bytes())
    pdf = to_pdf(docx)
    rc.check_text_complete(pdf, docx)  # every letter is there …
    with pytest.raises(AssertionError, match="broken"):
        rc.check_words_whole(pdf, docx)  # … but the date is cut in two


def test_both_pdfs_come_from_one_libreoffice_run(tmp_path, monkeypatch) -> None:
    """LibreOffice starts once for the plan and the report (its start is most of the time)."""
    real = find_soffice()
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "soffice"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("TOOLKIT_SOFFICE", str(wrapper))
    report = sync_and_report(str(write_workbook(tmp_path / "x.xlsx")), Options(output=tmp_path / "out"))
    pdfs = export_pdf(report)
    assert len(pdfs) == 2 and all(Path(p).read_bytes().startswith(b"%PDF") for p in pdfs)
    assert log.read_text().splitlines() == ["run"]
    assert [Path(p).suffix for p in report.outputs] == [".docx", ".docx", ".pdf", ".pdf"]


LONG_NAME = "Trường Phổ thông Dân tộc bán trú Trung học cơ sở và Trung học phổ thông Đại Lộc Đông"


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> dict[str, Path]:
    """A commune's roll-up of 60 schools (copies of the six example schools' workbooks) and one not yet sent."""
    from toolkit.rollup.example import write_example
    from toolkit.rollup.run import export_pdf as rollup_pdf
    from toolkit.rollup.run import rollup
    from toolkit.workbook.schema import SETTINGS, UNITS

    folder = tmp_path_factory.mktemp("office")
    written = write_example(folder / "danh-sach.xlsx")
    book = load_workbook(written[0])
    ws = book[UNITS.name]
    ws.delete_rows(2, ws.max_row)
    examples = [load_workbook(path) for path in written[1:7]]
    for i in range(60):  # each copy names its own school (copies of one workbook are one school, counted once)
        example = examples[i % 6]
        settings = example[SETTINGS.name]
        for row in settings.iter_rows(min_row=2):
            if row[0].value in ("Đơn vị", "Viết tắt đơn vị"):
                row[1].value = f"TRƯỜNG TIỂU HỌC SỐ {i + 1}" if row[0].value == "Đơn vị" else f"TH{i + 1}"
        example.save(folder / "truong" / f"s{i:02d}.xlsx")
        ws.append([i + 1, f"Trường Tiểu học số {i + 1}", None, f"truong/s{i:02d}.xlsx", None, f"Cụm {i % 4 + 1}"])
    ws.append([61, "Trường Mầm non Chưa Gửi", None, None, "mn@example.edu.vn", "Cụm 1"])
    ws.append([62, LONG_NAME, None, None, "truong.phothong.dantoc.bantru.dailocdong@example.edu.vn", "Cụm 2"])
    book.save(folder / "danh-sach.xlsx")
    result = rollup(str(folder / "danh-sach.xlsx"), Options(output=folder / "out"))
    assert sum(1 for r in result.schools if r.counted) == 60, [r.reason for r in result.schools if not r.counted]
    pdf = rollup_pdf(result)
    return {"docx": next(f.path for f in result.files if f.kind == "report"), "pdf": pdf}


def test_the_consolidated_report_passes_every_render_check(office) -> None:
    pdf, docx = office["pdf"], office["docx"]
    rc.check_every_page(pdf, docx)
    rc.check_name_lines(pdf, ["ỦY BAN NHÂN DÂN", "XÃ TÂN PHÚ"], TOP_LEFT / 20)


def test_the_per_school_appendix_paginates_with_its_header_and_whole_rows(office) -> None:
    pdf = office["pdf"]
    pages = rc.page_texts(pdf)
    first = next(i for i, text in enumerate(pages) if "PHỤ LỤC I " in text or text.startswith("PHỤ LỤC I"))
    assert rc.page_count(pdf) >= first + 2  # Phụ lục I runs over more than one page
    appendix = [w for w in rc.words(pdf) if w.page > first]
    row_pages = sorted({w.page for w in appendix if w.text == "Tiểu"})
    assert len(row_pages) >= 2
    for page in row_pages:
        on_page = [w for w in appendix if w.page == page]
        first_row = min(w.y0 for w in on_page if w.text == "Tiểu")
        above = {w.text for w in on_page if w.y0 < first_row}
        assert {"STT", "Nhóm", "Nam", "Nữ"} <= above, f"page {page}: the header is not repeated"
    rc.check_rows_whole(pdf, [f"Trường Tiểu học số {i}" for i in range(1, 61)], from_text="PHỤ LỤC I")
    assert "PHỤ LỤC II" in " ".join(pages) and "Trường Mầm non Chưa Gửi" in " ".join(pages[-1:])


def test_phu_luc_ii_writes_no_school_name_over_two_lines(office) -> None:
    pdf = office["pdf"]
    pages = rc.page_texts(pdf)
    start = next(i for i, text in enumerate(pages) if "PHỤ LỤC II" in text) + 1
    found = [w for w in rc.words(pdf) if w.page >= start]
    for name in ("Trường Mầm non Chưa Gửi", LONG_NAME):
        first = name.split()
        at = next(i for i, w in enumerate(found) if [x.text for x in found[i : i + 3]] == first[:3])
        lines = {round(w.y0) for w in found[at : at + len(first)]}
        assert len(lines) <= 2, (name, len(lines))


def _pages(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / "p")], check=True)
    return [page.read_bytes() for page in sorted(folder.glob("*.png"))]


def test_paragraph_styles_render_exactly_as_direct_formatting(tmp_path, monkeypatch) -> None:
    """Body paragraphs, list items and table cells name a style of the package instead of repeating their
    properties: the pages LibreOffice draws are pixel for pixel those of the same documents written with every
    property on every paragraph and run."""
    from toolkit.documents import layout

    source = write_workbook(tmp_path / "example.xlsx")
    styled = sync_and_report(str(source), Options(output=tmp_path / "styled"))
    export_pdf(styled)
    direct_paragraph = layout.paragraph_xml
    monkeypatch.setattr(layout, "paragraph_xml", lambda *a, style=None, **k: direct_paragraph(*a, **k))
    direct = sync_and_report(str(source), Options(output=tmp_path / "direct"))
    export_pdf(direct)
    for a, b in zip(styled.outputs, direct.outputs, strict=True):
        if a.endswith(".docx"):
            assert "w:pStyle" in zipfile.ZipFile(a).read("word/document.xml").decode()
            assert "w:pStyle" not in zipfile.ZipFile(b).read("word/document.xml").decode()
            continue
        name = Path(a).stem
        assert _pages(Path(a), tmp_path / f"s-{name}") == _pages(Path(b), tmp_path / f"d-{name}")

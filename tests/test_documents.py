"""The two documents, reopened with python-docx: the seed's content and the Decree 30 layout facts."""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

import pytest
from decree30 import check_data_tables, check_fonts, check_page_setup, effective, size_pt
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl import load_workbook

from conftest import DATA, write_workbook
from toolkit.core.config import Options
from toolkit.pipeline import sync_and_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def example_docs(tmp_path_factory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("docs")
    source = write_workbook(folder / "example.xlsx")
    report = sync_and_report(str(source), Options(output=folder / "output"))
    plan, result = (Path(p) for p in report.outputs)
    return source, plan, result


def body_text(path: Path) -> list[str]:
    """Every paragraph of the body, tables included, in document order."""
    document = Document(str(path))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.element.body.iter(f"{W}p")]


def test_files_are_named_as_the_contract_says(example_docs) -> None:
    _, plan, report = example_docs
    assert plan.name == "KH-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"
    assert report.name == "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"
    assert plan.parent.name == "2023"


def test_plan_has_every_section_theme_date_citation_and_activity(example_docs) -> None:
    source, plan, _ = example_docs
    text = "\n".join(body_text(plan))
    for heading in (
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG THỰC HIỆN",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Chủ đề",
        "2. Thời gian thực hiện:",
        "3. Bộ nhận diện và thông điệp truyền thông",
        "4. Những hoạt động chính",
        "5. Kinh phí thực hiện",
    ):
        assert heading in text
    assert (
        "“Đảm bảo an sinh xã hội, tăng quyền năng và tạo cơ hội cho phụ nữ và trẻ em gái nhằm thực hiện "
        "bình đẳng giới và xóa bỏ bạo lực trên cơ sở giới”." in text
    )
    assert "Từ ngày 15/11/2023 đến ngày 15/12/2023." in text
    assert (
        "Thực hiện Kế hoạch số 1364/KH-VSTBPN ngày 07/11/2023 của Phòng Giáo dục và Đào tạo Thủ Thừa về việc "
        "triển khai Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới năm "
        "2023;"
    ) in text
    assert (
        "kèm theo Công văn số 5610/BGDĐT-NGCBQLGD ngày 10/10/2023 của Bộ Giáo dục và Đào tạo; Công văn số "
        "9874/UBND-VHXH ngày 24/10/2023 của Ủy ban nhân dân tỉnh Long An."
    ) in text
    assert (
        "Báo cáo kết quả thực hiện theo đề cương báo cáo kèm theo Công văn số 9874/UBND-VHXH ngày 24/10/2023 "
        "của Ủy ban nhân dân tỉnh Long An gửi về Phòng Giáo dục và Đào tạo Thủ Thừa (Đ/c Bằng)"
    ) in text
    assert "chậm nhất ngày 10/12/2023." in text
    assert "Công văn số  Công văn số" not in text and "2021" not in text
    ws = load_workbook(source)["Hoạt động"]
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True) if row[1] and row[9] != "Hủy"]
    assert names and all(name in text for name in names)
    assert "Ngày hội đọc sách về bình đẳng giới" not in text  # cancelled
    assert text.rstrip().endswith("Lê Thị Thu Hà")
    assert "năm 2023 của Trường TH Bình An./." in text


def test_plan_reproduces_every_paragraph_of_the_seed(example_docs) -> None:
    _, plan, _ = example_docs
    ours = [p for p in body_text(plan) if len(p) > 40]
    seed = (DATA / "seed-ke-hoach-2023.txt").read_text(encoding="utf-8").splitlines()
    # Paragraphs of the seed's narrative (its citations and slips are generated or fixed, not copied).
    narrative = [line.strip().lstrip("*").strip() for line in seed if len(line.strip()) > 80]
    narrative = [
        line
        for line in narrative
        if not line.startswith(
            (
                "Thực hiện Kế hoạch",
                "Báo cáo kết quả",
                "Báo cáo tổng kết",
                "3. Thực hiện theo",
                "1. Chủ đề",
                "2. Thời gian",
            )
        )
    ]
    assert len(narrative) >= 12
    for line in narrative:
        best = max(difflib.SequenceMatcher(None, line, p).ratio() for p in ours)
        assert best > 0.85, line


def participant_sums(source: Path) -> dict[str, int]:
    ws = load_workbook(source)["Hoạt động"]
    header = [c.value for c in ws[1]]
    sums = {h: 0 for h in header[10:16]}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[9] == "Đã thực hiện":
            for h, v in zip(header[10:16], row[10:16], strict=True):
                sums[h] += v or 0
    return sums


def test_report_participant_table_adds_up(example_docs) -> None:
    source, _, report = example_docs
    sums = participant_sums(source)
    table = next(t for t in Document(str(report)).tables if t.rows[0].cells[0].text == "Đối tượng")
    cells = [[c.text for c in row.cells] for row in table.rows]
    num = lambda s: int(s.replace(".", ""))  # noqa: E731
    expected = {
        "CB-GV-NV": (sums["CB-GV-NV nam"], sums["CB-GV-NV nữ"]),
        "Học sinh": (sums["Học sinh nam"], sums["Học sinh nữ"]),
        "Cha mẹ học sinh": (sums["Phụ huynh nam"], sums["Phụ huynh nữ"]),  # the words of the sentences
    }
    expected["Tổng cộng"] = (sum(m for m, _ in expected.values()), sum(f for _, f in expected.values()))
    assert cells[0] == ["Đối tượng", "Nam", "Nữ", "Tổng", "Tỷ lệ nữ (%)"]
    for label, male, female, total, share in cells[1:]:
        assert (num(male), num(female)) == expected[label]
        assert num(total) == sum(expected[label])
        assert share == f"{100 * expected[label][1] / sum(expected[label]):.1f}".replace(".", ",")
    assert [row[0] for row in cells[1:]] == ["CB-GV-NV", "Học sinh", "Cha mẹ học sinh", "Tổng cộng"]


def test_report_outline_money_and_appendix(example_docs) -> None:
    source, _, report = example_docs
    text = "\n".join(body_text(report))
    for heading in (
        "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI",
        "II. KẾT QUẢ THỰC HIỆN",
        "1. Hoạt động truyền thông",
        "2. Số lượt người tham gia",
        "3. Kiểm tra, phát hiện, xử lý",
        "III. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm",
        "2. Hạn chế",
        "3. Nguyên nhân",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "PHỤ LỤC",
    ):
        assert heading in text
    assert "Kính gửi: Phòng Giáo dục và Đào tạo Thủ Thừa." in text
    assert "Kế hoạch số 12/KH-THBA ngày 09/11/2023" in text
    ws = load_workbook(source)["Hoạt động"]
    done = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[9] == "Đã thực hiện"]
    spent = sum(row[18] or 0 for row in done)
    assert f"Tổng kinh phí đã chi: {spent:,} đồng.".replace(",", ".") in text
    assert f"Đơn vị đã tổ chức {len(done)} hoạt động" in text
    appendix = Document(str(report)).tables[-1]
    assert len(appendix.rows) == len(done) + 2
    total = [c.text for c in appendix.rows[-1].cells]
    assert total[1] == "Tổng cộng"
    assert int(total[6].replace(".", "")) == spent
    sums = participant_sums(source)
    assert int(total[4].replace(".", "")) == sum(v for k, v in sums.items() if k.endswith("nam"))
    assert re.search(
        r"Ngày 20/11/2023: Phát động Tháng hành động trong buổi chào cờ đầu tuần \(30 CB-GV-NV, "
        r"602 học sinh tham gia\)\.",
        text,
    )


# -- Decree 30 layout facts ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", [1, 2])
def test_page_setup(example_docs, which) -> None:
    check_page_setup(example_docs[which])


@pytest.mark.parametrize("which", [1, 2])
def test_times_new_roman_everywhere(example_docs, which) -> None:
    check_fonts(example_docs[which])


@pytest.mark.parametrize("which", [1, 2])
def test_data_tables_repeat_their_header_and_fit(example_docs, which) -> None:
    check_data_tables(example_docs[which])


def runs_of(paragraph) -> list:
    return [r for r in paragraph.runs if r.text]


@pytest.mark.parametrize("which", [1, 2])
def test_top_block(example_docs, which) -> None:
    document = Document(str(example_docs[which]))
    top = document.tables[0]
    left, right = top.rows[0].cells
    assert top._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"
    widths = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in top._tbl.iter(qn("w:tc"))]
    assert len(widths) == 2 and all(widths)
    parent, unit, line, number = left.paragraphs
    assert parent.text == "PHÒNG GD&ĐT THỦ THỪA"
    assert not runs_of(parent)[0].bold and runs_of(parent)[0].font.size.pt == 13
    assert unit.text == "TRƯỜNG TH BÌNH AN" and runs_of(unit)[0].bold and runs_of(unit)[0].font.size.pt == 13
    assert number.text == ("Số: 12/KH-THBA" if which == 1 else "Số: 25/BC-THBA")
    national, motto, motto_line, date = right.paragraphs
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and runs_of(national)[0].bold
    assert 12 <= runs_of(national)[0].font.size.pt <= 13
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and runs_of(motto)[0].bold
    assert 13 <= runs_of(motto)[0].font.size.pt <= 14
    assert runs_of(date)[0].italic
    assert date.text == ("Bình An, ngày 09 tháng 11 năm 2023" if which == 1 else "Bình An, ngày 08 tháng 12 năm 2023")
    for border_line in (line, motto_line):
        bottom = border_line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
        assert bottom.get(qn("w:val")) == "single"
        assert not border_line.text
    # the line under the unit is 1/3–1/2 of the unit's name; the one under the motto as long as the motto
    from toolkit.documents.metrics import text_width_pt

    def line_length(paragraph, box) -> float:
        ind = paragraph._p.pPr.find(qn("w:ind"))
        return (box - int(ind.get(qn("w:left"))) - int(ind.get(qn("w:right")))) / 20

    unit_pt = text_width_pt("TRƯỜNG TH BÌNH AN", 13, bold=True)
    assert unit_pt / 3 <= line_length(line, widths[0]) <= unit_pt / 2
    motto_pt = text_width_pt("Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    assert abs(line_length(motto_line, widths[1]) - motto_pt) < 2


def test_title_subject_and_body_paragraphs(example_docs) -> None:
    document = Document(str(example_docs[1]))
    paragraphs = document.paragraphs
    title = next(p for p in paragraphs if p.text == "KẾ HOẠCH")
    assert title.alignment == 1 and runs_of(title)[0].bold and runs_of(title)[0].font.size.pt == 14
    subject = paragraphs[[p.text for p in paragraphs].index("KẾ HOẠCH") + 1]
    assert subject.text.startswith("Triển khai Tháng hành động") and runs_of(subject)[0].bold
    assert subject._p.getnext().find(qn("w:pPr")).find(qn("w:pBdr")) is not None
    body = next(p for p in paragraphs if p.text.startswith("Tăng cường giáo dục kiến thức"))
    assert effective(body, "alignment") == 3  # justified
    assert Cm(1) <= effective(body, "first_line_indent") <= Cm(1.27) + 10
    assert effective(body, "space_after").pt >= 6
    assert 1.0 <= effective(body, "line_spacing") <= 1.5
    assert 13 <= size_pt(runs_of(body)[0], body) <= 14
    heading = next(p for p in paragraphs if p.text == "I. MỤC ĐÍCH, YÊU CẦU")
    assert runs_of(heading)[0].bold and heading.paragraph_format.keep_with_next
    item = next(p for p in paragraphs if p.text.startswith("2. Thời gian thực hiện:"))
    assert runs_of(item)[0].bold and not runs_of(item)[1].bold


def test_activity_table_header_repeats_and_rows_do_not_split(example_docs) -> None:
    document = Document(str(example_docs[1]))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells] == ["STT", "Hoạt động", "Thời gian", "Phụ trách", "Phối hợp"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert all(r.bold for r in runs_of(table.rows[0].cells[1].paragraphs[0]))
    total = sum(int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol")))
    section = document.sections[0]
    assert total <= (section.page_width - section.left_margin - section.right_margin) / 635  # EMU → twips


def test_signature_block(example_docs) -> None:
    for path, recipients in (
        (example_docs[1], ["- Phòng Giáo dục và Đào tạo Thủ Thừa (b/c);", "- CB, GV, NV (t/h);", "- Lưu: VT."]),
        (example_docs[2], ["- Như trên;", "- Lưu: VT."]),
    ):
        document = Document(str(path))
        table = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
        left, right = table.rows[0].cells
        head = left.paragraphs[0]
        assert runs_of(head)[0].bold and runs_of(head)[0].italic and runs_of(head)[0].font.size.pt == 12
        assert [p.text for p in left.paragraphs[1:]] == recipients
        assert all(runs_of(p)[0].font.size.pt == 11 for p in left.paragraphs[1:])
        texts = [p.text for p in right.paragraphs]
        assert texts[0] == "HIỆU TRƯỞNG" and texts[-1] == "Lê Thị Thu Hà"
        assert texts[1:-1] == [""] * 4
        assert runs_of(right.paragraphs[-1])[0].bold
        closing = table._tbl.getprevious()
        assert "".join(t.text for t in closing.iter(f"{W}t")).endswith("./.")
        assert closing.find(qn("w:pPr")).find(qn("w:keepNext")) is not None


def test_deputy_signs_for_the_head(tmp_path) -> None:
    source = write_workbook(
        tmp_path / "kt.xlsx",
        {("Thông tin", "B18"): "KT.", ("Thông tin", "B19"): "Phó Hiệu trưởng", ("Thông tin", "B20"): "Hiệu trưởng"},
    )
    report = sync_and_report(str(source), Options(output=tmp_path / "out"), which=("plan",))
    table = Document(report.outputs[0]).tables[-1]
    assert [p.text for p in table.rows[0].cells[1].paragraphs][:2] == ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"]


@pytest.mark.parametrize(
    ("date", "expected", "number"),
    [
        ("05/03/2024", "Bình An, ngày 05 tháng 3 năm 2024", "Số: 07/KH-THBA"),
        ("01/02/2024", "Bình An, ngày 01 tháng 02 năm 2024", "Số: 07/KH-THBA"),
        ("09/01/2024", "Bình An, ngày 09 tháng 01 năm 2024", "Số: 07/KH-THBA"),
        ("10/12/2024", "Bình An, ngày 10 tháng 12 năm 2024", "Số: 07/KH-THBA"),
    ],
)
def test_place_date_padding_in_the_document(tmp_path, date, expected, number) -> None:
    source = write_workbook(
        tmp_path / "d.xlsx", {("Thông tin", "B12"): date, ("Thông tin", "B11"): 7, ("Thông tin", "B7"): 2024}
    )
    report = sync_and_report(str(source), Options(output=tmp_path / "out", force=True), which=("plan",))
    left, right = Document(report.outputs[0]).tables[0].rows[0].cells
    assert right.paragraphs[-1].text == expected
    assert left.paragraphs[-1].text == number


def test_blank_number_and_date_leave_room_to_write(tmp_path) -> None:
    source = write_workbook(tmp_path / "b.xlsx", {("Thông tin", "B11"): None, ("Thông tin", "B12"): None})
    report = sync_and_report(str(source), Options(output=tmp_path / "out"), which=("plan",))
    left, right = Document(report.outputs[0]).tables[0].rows[0].cells
    assert re.fullmatch(r"Số: \s{5,}/KH-THBA", left.paragraphs[-1].text)
    assert re.fullmatch(r"Bình An, ngày\s{5,}tháng\s{5,}năm 2023", right.paragraphs[-1].text)


def test_same_input_gives_identical_bytes(tmp_path) -> None:
    source = write_workbook(tmp_path / "same.xlsx")
    first = sync_and_report(str(source), Options(output=tmp_path / "a"))
    second = sync_and_report(str(source), Options(output=tmp_path / "b"))
    for a, b in zip(first.outputs, second.outputs, strict=True):
        assert Path(a).read_bytes() == Path(b).read_bytes()
    with zipfile.ZipFile(first.outputs[0]) as package:
        core = package.read("docProps/core.xml").decode()
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "2023-11-09T08:00:00Z" in core


def test_forced_documents_with_missing_dates_and_infinite_numbers(tmp_path) -> None:
    """Found by the fuzz suite: a done activity with no dates, and ``inf`` in cells, must not crash."""
    source = write_workbook(
        tmp_path / "odd.xlsx",
        {
            ("Thông tin", "B9"): None,
            ("Hoạt động", "E2"): None,
            ("Hoạt động", "K3"): float("inf"),
            ("Thông tin", "B7"): float("inf"),
        },
    )
    report = sync_and_report(str(source), Options(output=tmp_path / "out", force=True))
    assert not report.valid and len(report.outputs) == 2
    text = "\n".join(p.text for p in Document(report.outputs[1]).paragraphs)
    assert "Ngày …/…/……: Tham gia Lễ phát động Tháng hành động do địa phương tổ chức" in text


def test_one_constant_sets_the_body_size_of_both_documents(tmp_path, monkeypatch) -> None:
    from toolkit.documents import package as docx_package
    from toolkit.documents import styles

    monkeypatch.setattr(styles, "BODY", 13)
    docx_package.base_package.cache_clear()  # the package's default size is built once per process
    try:
        report = sync_and_report(str(write_workbook(tmp_path / "x.xlsx")), Options(output=tmp_path / "out"))
        for path in report.outputs:
            document = Document(path)
            body = [p for p in document.paragraphs if len(p.text) > 60 and not p.text.isupper()]
            assert body and {size_pt(r, p) for p in body for r in p.runs if r.text} == {13}
            default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
            assert default.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) == "26"
    finally:
        docx_package.base_package.cache_clear()


def test_the_report_the_letter_and_the_subject_cite_a_document_alike() -> None:
    """One ``Kind.reference``: the report's sentence about its plan, the covering letter and the mail's subject
    write the same number and date, even with no abbreviation set (``12/KH-``, not ``12/KH-?`` in the mail)."""
    import datetime as dt

    from toolkit.delivery.message import document_title, subject_of
    from toolkit.documents.kinds import KIND, PLAN
    from toolkit.documents.report import build_report
    from toolkit.workbook.model import Campaign
    from toolkit.workbook.settings import Settings

    for abbr in ("THBA", ""):
        settings = Settings(unit_abbr=abbr, year=2023, plan_number=12, plan_date=dt.date(2023, 11, 7))
        c = Campaign(settings=settings)
        cited = f"Kế hoạch số 12/KH-{abbr} ngày 07/11/2023"
        assert KIND[PLAN].reference(settings) == cited
        assert f" {cited} triển khai " in subject_of(c, PLAN)
        assert document_title(c, PLAN).startswith(f"{cited} về việc ")
        pieces = [p for p in build_report(c).body if isinstance(p, str | bytes)]
        body = [p.decode("utf-8") if isinstance(p, bytes) else p for p in pieces]
        assert f"{cited} về việc" in re.sub(r"<[^>]+>", "", "".join(body))
    assert KIND[PLAN].reference(Settings()) == "Kế hoạch"


def test_the_report_points_to_its_appendix_and_leaves_room_for_its_date(tmp_path) -> None:
    """Decree 30: a document with an appendix refers to it in its body. Case B (a preschool's 2026 campaign):
    the lead into the activities points to the appendix, in words a school may change (``bc.xem_phu_luc``);
    with ``Ngày báo cáo`` blank the appendix's caption leaves the date to be written by hand, as the date line."""
    from openpyxl import load_workbook

    from cases import CASE_B_DAY, build_case_b, documents, paragraphs, set_settings
    from toolkit.core.vnformat import BLANK_DAY

    path = build_case_b(tmp_path / "b.xlsx")
    book = load_workbook(path)
    set_settings(book, {"Ngày báo cáo": None, "Số báo cáo": None})
    ws = book["Câu chữ"]
    row = ws.max_row + 1
    ws.cell(row=row, column=1, value="bc.xem_phu_luc")
    ws.cell(row=row, column=3, value="(xem Phụ lục đính kèm)")
    book.save(path)
    _, _, result = documents(path, tmp_path / "out", CASE_B_DAY)
    text = paragraphs(result)
    assert "Các hoạt động cụ thể (xem Phụ lục đính kèm):" in text
    blank = f"ngày{BLANK_DAY}tháng{BLANK_DAY}năm 2026"
    assert any(p.endswith(f", {blank}") for p in text)  # the document's own date line, left for the pen
    caption = next(p for p in text if p.startswith("(Kèm theo Báo cáo"))
    assert caption == f"(Kèm theo Báo cáo số {BLANK_DAY * 2}/BC-MNHS {blank} của Trường Mầm non Hoa Sen)"


def test_the_report_points_to_its_appendix_in_the_default_words(example_docs) -> None:
    _, _, report = example_docs
    text = body_text(report)
    assert "Các hoạt động cụ thể (chi tiết tại Phụ lục kèm theo):" in text
    assert "PHỤ LỤC" in text[text.index("Các hoạt động cụ thể (chi tiết tại Phụ lục kèm theo):") :]


def test_the_appendix_lists_the_activities_by_date_as_the_body_does(tmp_path) -> None:
    """Case A (a lower-secondary school, 2025): activities typed out of date order are listed by date in the
    appendix, in the order of the body's ``Các hoạt động cụ thể``."""
    from openpyxl import load_workbook

    from cases import CASE_A_DAY, build_case_a, documents, paragraphs

    path = build_case_a(tmp_path / "a.xlsx")
    book = load_workbook(path)
    ws = book["Hoạt động"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2) if row[1].value]
    for r, values in enumerate(reversed(rows), start=2):  # the last typed first
        for col, value in enumerate(values, start=1):
            ws.cell(row=r, column=col, value=value)
    book.save(path)
    _, _, result = documents(path, tmp_path / "out", CASE_A_DAY)
    text = paragraphs(result)
    start = text.index(next(p for p in text if p.startswith("Các hoạt động cụ thể")))
    dated = [p for p in text[start + 1 :] if p.startswith(("- Ngày ", "- Từ ngày "))]
    body = [p.split(": ", 1)[1].split(" (")[0].rstrip(".") for p in dated]
    table = Document(str(result)).tables[-1]
    listed = [row.cells[1].text for row in table.rows[1:-1]]
    assert listed == body, (listed, body)
    assert listed[0] == "Phát động Tháng hành động dưới cờ" and len(listed) == 3

"""Text typed in the legacy TCVN3 (ABC) and VNI encodings: detected, converted, warned at its cell."""

from __future__ import annotations

import pytest
from docx import Document
from openpyxl import load_workbook
from openpyxl.styles import Font

from conftest import write_workbook
from toolkit.core.config import Options
from toolkit.core.legacy import detect, font_encoding, to_unicode
from toolkit.pipeline import sync_and_report
from toolkit.sources.xlsx import font_names, read_xlsx
from toolkit.workbook.validate import validate

# Real samples: what a .VnTime / VNI-Times document shows when read as Windows-1252.
SAMPLES = [
    ("Tr\xadêng TiÓu häc B×nh An", "TCVN3", "Trường Tiểu học Bình An"),
    ("Th¸ng hµnh ®éng v× b×nh ®¼ng giíi", "TCVN3", "Tháng hành động vì bình đẳng giới"),
    ("Phßng Gi¸o dôc vµ §µo t¹o Thñ Thõa", "TCVN3", "Phòng Giáo dục và Đào tạo Thủ Thừa"),
    ("B¶o Th¾ng, B¸t X¸t, M\xadêng Kh\xad¬ng", "TCVN3", "Bảo Thắng, Bát Xát, Mường Khương"),
    ("Tröôøng Tieåu hoïc Bình An", "VNI", "Trường Tiểu học Bình An"),
    ("Thaùng haønh ñoäng vì bình ñaúng giôùi", "VNI", "Tháng hành động vì bình đẳng giới"),
    ("Ñoäi vieân, phuï nöõ, treû em gaùi", "VNI", "Đội viên, phụ nữ, trẻ em gái"),
    ("PHOØNG GIAÙO DUÏC VAØ ÑAØO TAÏO", "VNI", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),
]


@pytest.mark.parametrize(("legacy", "encoding", "unicode"), SAMPLES)
def test_samples_are_detected_and_converted(legacy, encoding, unicode) -> None:
    assert detect(legacy) == encoding
    assert to_unicode(legacy, encoding) == unicode


@pytest.mark.parametrize("text", ["Trường Tiểu học Bình An", "Café, naïve, Zürich", "Lê Thị Hà", "ABC 123", ""])
def test_unicode_and_foreign_text_is_left_alone(text) -> None:
    assert detect(text) is None


def test_fonts() -> None:
    assert font_encoding(".VnTime") == "TCVN3" and font_encoding(".VnTimeH") == "TCVN3H"
    assert font_encoding("VNI-Times") == "VNI" and font_encoding("Times New Roman") is None
    assert to_unicode("tr\xadêng", "TCVN3H") == "TRƯỜNG"


def test_openpyxl_still_lists_a_workbooks_fonts_where_the_reader_looks(tmp_path) -> None:
    """``font_names`` reads openpyxl's private ``_fonts`` (it has no public list): this fails the day it moves."""
    import openpyxl

    path = write_workbook(tmp_path / "fonts.xlsx")
    book = load_workbook(path)
    book["Hoạt động"]["G5"].font = Font(name=".VnTime")
    book.save(path)
    with path.open("rb") as handle:
        streamed = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        names = font_names(streamed)
        streamed.close()
    assert ".VnTime" in names and "Calibri" in names


def test_workbook_text_is_converted_with_a_warning_at_its_cell(tmp_path) -> None:
    path = write_workbook(
        tmp_path / "legacy.xlsx",
        {
            ("Hoạt động", "B3"): "Treo b¨ng r«n h\xadëng øng Th¸ng hµnh ®éng",
            ("Hoạt động", "H4"): "Phoù Hieäu tröôûng",
            ("Hoạt động", "G5"): "B×nh An",  # one odd letter: only the cell's font tells
        },
    )
    book = load_workbook(path)
    book["Hoạt động"]["G5"].font = Font(name=".VnTime")
    book.save(path)
    campaign, report = validate(read_xlsx(path))
    assert [(p.code, p.cell) for p in report.problems] == [
        ("legacy-encoding", "B3"),
        ("legacy-encoding", "H4"),
        ("legacy-encoding", "G5"),
    ]
    assert "TCVN3" in report.problems[0].message() and "VNI" in report.problems[1].message("en")
    assert campaign.activities[1].name == "Treo băng rôn hưởng ứng Tháng hành động"
    assert campaign.activities[2].lead == "Phó Hiệu trưởng"
    assert campaign.activities[3].audience == "Bình An"


def test_converted_text_reaches_the_documents(tmp_path) -> None:
    source = write_workbook(
        tmp_path / "legacy.xlsx",
        {
            ("Hoạt động", "B3"): "Treo b¨ng r«n h\xadëng øng Th¸ng hµnh ®éng",
            ("Nội dung", "B2"): "Taêng cöôøng giaùo duïc kieán thöùc, kyõ naêng baûo veä cho phuï nöõ vaø treû em.",
        },
    )
    report = sync_and_report(str(source), Options(output=tmp_path / "out"))
    text = "\n".join(p.text for p in Document(report.outputs[0]).paragraphs)
    table = "\n".join(c.text for t in Document(report.outputs[0]).tables for r in t.rows for c in r.cells)
    assert "Tăng cường giáo dục kiến thức, kỹ năng bảo vệ cho phụ nữ và trẻ em." in text
    assert "Treo băng rôn hưởng ứng Tháng hành động" in table
    assert "¨" not in text + table and "ö" not in text + table

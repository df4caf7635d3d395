import datetime as dt

import pytest

from toolkit.core.vnformat import (
    date_text,
    doc_number,
    long_date,
    money,
    percent,
    place_date,
    span_text,
    thousands,
)
from toolkit.documents.metrics import text_width_pt
from toolkit.workbook.names import break_lines, in_sentence


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (dt.date(2023, 11, 7), "Bình An, ngày 07 tháng 11 năm 2023"),
        (dt.date(2024, 3, 5), "Bình An, ngày 05 tháng 3 năm 2024"),
        (dt.date(2024, 2, 1), "Bình An, ngày 01 tháng 02 năm 2024"),
        (dt.date(2024, 1, 10), "Bình An, ngày 10 tháng 01 năm 2024"),
        (dt.date(2024, 12, 31), "Bình An, ngày 31 tháng 12 năm 2024"),
    ],
)
def test_place_date(date, text) -> None:
    assert place_date("Bình An", date) == text
    assert long_date(date) == text.removeprefix("Bình An, ngày ")  # one rule: the place-date line, a citation


def test_blank_place_date_and_number() -> None:
    assert place_date("Bình An", None, 2023) == "Bình An, ngày\xa0\xa0\xa0\xa0\xa0tháng\xa0\xa0\xa0\xa0\xa0năm 2023"
    assert doc_number(None, "KH", "THBA") == "Số: " + "\xa0" * 10 + "/KH-THBA"
    assert doc_number(5, "KH", "THBA") == "Số: 05/KH-THBA"
    assert doc_number(125, "BC", "THBA") == "Số: 125/BC-THBA"


def test_numbers() -> None:
    assert thousands(1500000) == "1.500.000" and thousands(0) == "0"
    assert money(4600000) == "4.600.000 đồng"
    assert percent(1, 3) == "33,3" and percent(0, 0) == "-"


def test_dates() -> None:
    assert date_text(dt.date(2023, 11, 5)) == "05/11/2023" and date_text(None) == "…/…/……"
    assert span_text(dt.date(2023, 11, 27), dt.date(2023, 11, 29)) == "27/11 - 29/11/2023"
    assert span_text(dt.date(2023, 12, 30), dt.date(2024, 1, 2)) == "30/12/2023 - 02/01/2024"
    assert span_text(dt.date(2023, 11, 27), None) == "27/11/2023"


@pytest.mark.parametrize(
    ("caps", "name"),
    [
        ("TRƯỜNG TH BÌNH AN", "Trường TH Bình An"),
        ("TRƯỜNG THCS LÊ LỢI", "Trường THCS Lê Lợi"),
        ("PHÒNG GD&ĐT THỦ THỪA", "Phòng GD&ĐT Thủ Thừa"),
        ("TRƯỜNG MẦM NON SỐ 2", "Trường Mầm non Số 2"),
        ("TRƯỜNG MẦM NON HOA SEN", "Trường Mầm non Hoa Sen"),
        ("TRƯỜNG TIỂU HỌC BÌNH AN", "Trường Tiểu học Bình An"),
        ("TRƯỜNG TH VÀ THCS LÊ LỢI", "Trường TH và THCS Lê Lợi"),
        ("TRƯỜNG THCS SỐ 1 XÃ TÂN PHÚ", "Trường THCS Số 1 xã Tân Phú"),
        ("UBND XÃ BÌNH AN", "UBND xã Bình An"),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HỒ CHÍ MINH", "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh"),
        ("TRƯỜNG TRUNG HỌC PHỔ THÔNG CHU VĂN AN", "Trường Trung học phổ thông Chu Văn An"),
        ("Trường Tiểu học  Bình An", "Trường Tiểu học Bình An"),  # typed in mixed case: kept as typed
        ("TRƯỜNG MẦM NON “HOA SEN”", "Trường Mầm non “Hoa Sen”"),  # judged without the quotes around a word
        ("TRƯỜNG THCS (TÂN PHÚ)", "Trường THCS (Tân Phú)"),
        ('TRƯỜNG TH, THCS VÀ THPT "TÂN PHÚ"', 'Trường TH, THCS và THPT "Tân Phú"'),
        ("TRƯỜNG TIỂU HỌC SỐ 1 (XÃ TÂN PHÚ)", "Trường Tiểu học Số 1 (xã Tân Phú)"),  # a unit in brackets stays one
        ("TRƯỜNG MẦM NON 'VÀ EM'", "Trường Mầm non 'Và Em'"),  # a quoted name is a proper name, every word of it
        ("TRƯỜNG MẦM NON [HOA SEN]", "Trường Mầm non [Hoa Sen]"),
    ],
)
def test_names_in_a_sentence(caps, name) -> None:
    assert in_sentence(caps) == name


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("TRƯỜNG THCS NGUYỄN TRÃI", ["TRƯỜNG THCS", "NGUYỄN TRÃI"]),
        ("TRƯỜNG MẦM NON HOA SEN", ["TRƯỜNG MẦM NON", "HOA SEN"]),
        ("TRƯỜNG THCS SỐ 1 XÃ TÂN PHÚ", ["TRƯỜNG THCS", "SỐ 1 XÃ TÂN PHÚ"]),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HỒ CHÍ MINH", ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "THÀNH PHỐ HỒ CHÍ MINH"]),
        ("TRƯỜNG TH BÌNH AN", ["TRƯỜNG TH BÌNH AN"]),
    ],
)
def test_long_names_break_after_the_kind_of_body(name, lines) -> None:
    # the letterhead's left column: 6.3 cm, bold 13 pt
    assert break_lines(name, lambda line: text_width_pt(line, 13, bold=True) <= 176) == lines


def test_a_combined_schools_name_is_the_same_however_its_and_is_typed() -> None:
    from toolkit.workbook.names import same_name

    typed = ("Trường TH&THCS An Phú", "TRƯỜNG TH & THCS AN PHÚ", "Trường Tiểu học và THCS An Phú")
    assert all(same_name(one, other) for one in typed for other in typed)
    assert same_name("PHÒNG GD&ĐT QUẬN 1", "Phòng Giáo dục và Đào tạo Quận 1")
    assert not same_name("Trường TH&THCS An Phú", "Trường TH&THCS An Phước")

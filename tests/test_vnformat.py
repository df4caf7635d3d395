import datetime as dt

import pytest

from toolkit.vnformat import date_text, doc_number, money, percent, place_date, proper_name, span_text, thousands


@pytest.mark.parametrize(("date", "text"), [
    (dt.date(2023, 11, 7), "Bình An, ngày 07 tháng 11 năm 2023"),
    (dt.date(2024, 3, 5), "Bình An, ngày 05 tháng 3 năm 2024"),
    (dt.date(2024, 2, 1), "Bình An, ngày 01 tháng 02 năm 2024"),
    (dt.date(2024, 1, 10), "Bình An, ngày 10 tháng 01 năm 2024"),
    (dt.date(2024, 12, 31), "Bình An, ngày 31 tháng 12 năm 2024"),
])
def test_place_date(date, text) -> None:
    assert place_date("Bình An", date) == text


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


@pytest.mark.parametrize(("caps", "name"), [
    ("TRƯỜNG TH BÌNH AN", "Trường TH Bình An"), ("TRƯỜNG THCS LÊ LỢI", "Trường THCS Lê Lợi"),
    ("PHÒNG GD&ĐT THỦ THỪA", "Phòng GD&ĐT Thủ Thừa"), ("TRƯỜNG MẦM NON SỐ 2", "Trường Mầm Non Số 2"),
    ("UBND XÃ BÌNH AN", "UBND Xã Bình An"),
])
def test_proper_name(caps, name) -> None:
    assert proper_name(caps) == name

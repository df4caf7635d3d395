import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.core.values import EPOCH, display, parse_count, parse_date, parse_money
from toolkit.core.vnformat import thousands

dates = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2999, 12, 31))


@given(dates)
def test_every_written_form_of_a_date(date: dt.date) -> None:
    forms = [
        date.strftime("%d/%m/%Y"),
        f"{date.day}/{date.month}/{date.year:04d}",
        date.strftime("%d-%m-%Y"),
        date.strftime("%d.%m.%Y"),
        date.isoformat(),
        dt.datetime.combine(date, dt.time()),
        date,
        (date - EPOCH).days,
        float((date - EPOCH).days),
    ]
    for form in forms:
        assert parse_date(form) == date, form


@pytest.mark.parametrize(
    "bad",
    [
        "31/11/2023",
        "29/02/2023",
        "2023/11/15",
        "15/11",
        "mười lăm",
        "",
        True,
        "00/01/2023",
        float("inf"),
        float("nan"),
        -5,
        10**9,
    ],
)
def test_impossible_or_unreadable_dates(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_date(bad)


def test_day_comes_first() -> None:
    assert parse_date("05/11/2023") == dt.date(2023, 11, 5)


@given(st.integers(0, 10**12))
def test_counts_in_every_form(n: int) -> None:
    assert parse_count(n) == n
    assert parse_count(float(n)) == n
    assert parse_count(str(n)) == n
    assert parse_count(f" {n}.0 ") == n


@pytest.mark.parametrize(
    "bad", ["12,5", -3, "-3", "mười", 12.5, "1e3", True, "", "#REF!", float("nan"), float("inf"), float("-inf")]
)
def test_bad_counts(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_count(bad)


@given(st.integers(0, 10**12))
def test_money_in_every_form(n: int) -> None:
    for form in (n, str(n), thousands(n), f"{n:,}", f"{thousands(n)} đ", f"{thousands(n)} VNĐ", f"{n:,} đồng"):
        assert parse_money(form) == n, form


@pytest.mark.parametrize("bad", ["1.500.00", "1,5", "-1.000", "một triệu", "1.500.000 USD", "12.3456"])
def test_bad_money(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_money(bad)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (float("inf"), "inf"),
        (float("nan"), "nan"),
        (12.0, "12"),
        (12.5, "12.5"),
        (dt.date(2023, 11, 5), "05/11/2023"),
        (None, ""),
    ],
)
def test_display(value: object, text: str) -> None:
    assert display(value) == text

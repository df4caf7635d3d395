import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.core.a1 import a1_to_rowcol, col_to_letters, letters_to_col, quote_tab, rowcol_to_a1


@pytest.mark.parametrize(
    ("row", "col", "label"),
    [(1, 1, "A1"), (7, 5, "E7"), (1, 26, "Z1"), (2, 27, "AA2"), (10, 28, "AB10"), (3, 702, "ZZ3"), (4, 703, "AAA4")],
)
def test_known_references(row: int, col: int, label: str) -> None:
    assert rowcol_to_a1(row, col) == label
    assert a1_to_rowcol(label) == (row, col)
    assert a1_to_rowcol(label.lower()) == (row, col)


@given(st.integers(1, 1_048_576), st.integers(1, 16_384))
def test_round_trip(row: int, col: int) -> None:
    assert a1_to_rowcol(rowcol_to_a1(row, col)) == (row, col)
    assert letters_to_col(col_to_letters(col)) == col


@pytest.mark.parametrize("bad", ["", "A0", "1A", "A-1", "ẞ1", "AAAA1"])
def test_rejects_non_references(bad: str) -> None:
    with pytest.raises(ValueError):
        a1_to_rowcol(bad)


def test_rejects_zero() -> None:
    with pytest.raises(ValueError):
        rowcol_to_a1(0, 1)
    with pytest.raises(ValueError):
        col_to_letters(0)


def test_quote_tab() -> None:
    assert quote_tab("Hoạt động") == "'Hoạt động'"
    assert quote_tab("Bà's") == "'Bà''s'"

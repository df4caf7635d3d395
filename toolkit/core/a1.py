"""A1 cell references: the one place that turns (row, column) numbers into ``E7`` and back."""

from __future__ import annotations

import re

_A1 = re.compile(r"^([A-Za-z]{1,3})([1-9][0-9]*)$")


def col_to_letters(col: int) -> str:
    """Return the column letters for a 1-based column number (1 → ``A``, 28 → ``AB``)."""
    if col < 1:
        raise ValueError(f"column numbers start at 1, got {col}")
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def letters_to_col(letters: str) -> int:
    """Return the 1-based column number of column letters (``A`` → 1, ``ab`` → 28)."""
    if not letters or not letters.isalpha() or not letters.isascii():
        raise ValueError(f"not column letters: {letters!r}")
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - ord("A") + 1
    return col


def rowcol_to_a1(row: int, col: int) -> str:
    """Return the A1 reference of a 1-based (row, column) pair: (7, 5) → ``E7``."""
    if row < 1:
        raise ValueError(f"row numbers start at 1, got {row}")
    return f"{col_to_letters(col)}{row}"


def a1_to_rowcol(label: str) -> tuple[int, int]:
    """Return the 1-based (row, column) pair of an A1 reference: ``E7`` → (7, 5)."""
    match = _A1.match(label.strip())
    if not match:
        raise ValueError(f"not an A1 cell reference: {label!r}")
    return int(match.group(2)), letters_to_col(match.group(1))


def quote_tab(tab: str) -> str:
    """Return a tab name quoted for use in a range (``'Hoạt động'``), doubling inner quotes."""
    return "'" + tab.replace("'", "''") + "'"

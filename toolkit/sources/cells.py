"""What every reader does to a cell and a sheet, so that calamine, openpyxl, xlrd and the ODS reader give the
same ``RawWorkbook``: plain values, and merged ranges filled in."""

from __future__ import annotations

import datetime as dt
from typing import Any


def plain_value(value: Any) -> Any:
    """One cell as every reader gives it: empty text as None, a whole number as ``int``, a date at midnight as
    a ``date`` (what Excel shows under a date format; openpyxl gives a ``datetime``, calamine a ``date``)."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if kind is dt.datetime and not (value.hour or value.minute or value.second or value.microsecond):
        return value.date()
    return value


def fill_merged(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> tuple[list[list[object]], int]:
    """Copy each merged range's value into its cells (``(top, left, bottom, right)``, 1-based); return the
    rows and how many rows the header takes (a range starting in row 1 makes a taller header)."""
    header_rows = 1
    for top, left, bottom, right in merged:
        if top == 1:
            header_rows = max(header_rows, bottom)
        value = rows[top - 1][left - 1] if top <= len(rows) and left <= len(rows[top - 1]) else None
        if value is None:
            continue
        for r in range(top, min(bottom, len(rows)) + 1):
            # In the header only the column of the merged cell is filled: a group title spanning
            # several columns must not be glued to each sub-header.
            last = left if top <= header_rows and r <= header_rows else right
            row = rows[r - 1] = list(rows[r - 1])  # a copy: empty rows share one list
            if len(row) < last:
                row.extend([None] * (last - len(row)))
            for c in range(left, last + 1):
                if (r, c) != (top, left):
                    row[c - 1] = value
    return rows, header_rows

"""Parsers for cell values: dates, whole-number counts and VND amounts.

Each parser takes a raw cell value as a source gives it (text, number, bool, date or datetime) and
returns the parsed value or raises ``ValueError``; blank handling is the caller's business.
"""

from __future__ import annotations

import datetime as dt
import math
import re

EPOCH = dt.date(1899, 12, 30)  # day 0 of Sheets and Excel serial dates
_TEXT_DATE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_MONEY_SUFFIX = re.compile(r"\s*(đồng|đ|vnđ|vnd|d)\.?$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}([.,\s])\d{3}(?:\1\d{3})*$")
_WHOLE_FLOAT = re.compile(r"^\d+\.0+$")


def is_blank(value: object) -> bool:
    """Return True for an empty cell (None or only white space)."""
    return value is None or (isinstance(value, str) and not value.strip())


MAX_VALUE_TEXT = 64  # characters: no date, count or amount is written longer


def _short_text(value: object) -> str:
    """A cell's text, trimmed; a text too long to be a date or a number is refused at once (not scanned)."""
    text = str(value)
    if len(text) > 4 * MAX_VALUE_TEXT or len(text := text.strip()) > MAX_VALUE_TEXT:
        raise ValueError("too long for a value")
    return text


def parse_date(value: object) -> dt.date:
    """Return the date a cell holds: a date cell, a serial number, or day-first text.

    Accepted text: ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` and ``yyyy-mm-dd``.
    An impossible date such as ``31/11/2023`` raises ``ValueError``: it is never guessed.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError("not a date")
        serial = int(value)  # a time of day after the serial day is dropped
        if not 1 <= serial <= 2958465:
            raise ValueError("serial date out of range")
        return EPOCH + dt.timedelta(days=serial)
    text = _short_text(value)
    match = _TEXT_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError("not a date")


def parse_count(value: object) -> int:
    """Return a whole number ≥ 0: ``12``, ``12.0`` and ``"12"`` are fine; ``"12,5"``, ``-3``, ``"mười"`` are not."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError("not a whole number")
        number = int(value)
    else:
        text = _short_text(value)
        if _WHOLE_FLOAT.match(text):
            text = text.split(".")[0]
        if not text.isdigit() or not text.isascii():
            raise ValueError("not a whole number")
        number = int(text)
    if number < 0:
        raise ValueError("negative")
    return number


def parse_money(value: object) -> int:
    """Return an amount in whole VND ≥ 0.

    Accepts ``1500000``, ``1.500.000``, ``1,500,000``, ``1 500 000``, ``"1.500.000 đ"`` and ``"1.500.000 VNĐ"``.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_count(value)
    text = _MONEY_SUFFIX.sub("", _short_text(value)).strip()
    if _GROUPED.match(text):
        text = re.sub(r"[.,\s]", "", text)
    return parse_count(text)


def display(value: object) -> str:
    """Return a cell value as a person would read it in a message (dates as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)

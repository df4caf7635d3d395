"""Collecting problems while a workbook's tables are read: where each problem is, and how cells parse.

``Checker`` is what every part of the validation shares: the bound tables, the date of the check, and the
list of problems found so far, each added at the cell it is about.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable

from ..core.i18n import Message, T
from ..core.text import closest, fold
from ..core.values import display, parse_count, parse_date, parse_money
from .model import Settings
from .problems import Problems, problem
from .schema import COUNT, DATE, INTEGER, MONEY, NO_WORDS, YES_WORDS
from .tables import Record, Table

EARLY_DAYS = 60  # planning this many days before the campaign is normal
# How each kind of cell parses, and the problem code when it does not.
_PARSERS: dict[str, tuple[Callable[[object], object], str]] = {
    DATE: (parse_date, "bad-date"),
    COUNT: (parse_count, "bad-count"),
    INTEGER: (parse_count, "bad-count"),
    MONEY: (parse_money, "bad-money"),
}


class Checker:
    """Collects problems while reading the tables of one workbook."""

    def __init__(self, tables: dict[str, Table], today: dt.date) -> None:
        self.tables = tables
        self.today = today
        self.problems = Problems()  # of each code in each column, the first few listed, the rest counted

    def add(
        self,
        code: str,
        table: Table | None,
        record: Record | None,
        key: str | None,
        value: object = None,
        label: str | None = None,
        **params: object,
    ) -> None:
        """Report a problem at ``record``'s cell in column ``key``; ``label`` overrides the column name."""
        tab = table.title if table else None
        column = label or (table.header(key) if table and key else None)
        cell = table.cell(record, key) if table and record and key else None
        if self.problems.full(code, tab, column):  # a thousandth bad date in one column is only counted
            self.problems.skip(code, tab, column, cell)
            return
        self.problems.append(
            problem(
                code,
                tab=tab,
                row=record.row if record else None,
                column=column,
                cell=cell,
                value=None if value is None else display(value),
                **params,
            )
        )

    def parse(self, table: Table, record: Record, key: str, kind: str) -> object:
        """The parsed value of one cell, or None (blank, or reported as a problem)."""
        value = record.values.get(key)
        if value is None:
            return None
        if kind not in _PARSERS:
            return display(value)
        parser, code = _PARSERS[kind]
        try:
            return parser(value)
        except (ValueError, OverflowError):
            if code == "bad-date":
                self.add(code, table, record, key, value, reason=date_reason(value))
            else:
                self.add(code, table, record, key, value)
            return None

    def date(self, table: Table, record: Record, key: str) -> dt.date | None:
        """A date cell, or None (blank, or reported)."""
        value = self.parse(table, record, key, DATE)
        return value if isinstance(value, dt.date) else None

    def number(self, table: Table, record: Record, key: str, kind: str = COUNT) -> int | None:
        """A count, amount or whole-number cell, or None (blank, or reported)."""
        value = self.parse(table, record, key, kind)
        return value if isinstance(value, int) else None

    def require(self, table: Table, record: Record, key: str) -> None:
        if key in table.columns and record.values.get(key) is None:
            self.add("required-value", table, record, key)

    def in_list(self, table: Table, record: Record, key: str, allowed: tuple[str, ...], list_name: str) -> str:
        """The allowed spelling of a list value, or the value as typed after reporting it."""
        value = record.values.get(key)
        if value is None:
            return ""
        text = display(value)
        by_key = keys(allowed)
        # a cell many times longer than every list value (a pasted paragraph) is none of them: not folded
        if len(text) <= _longest(allowed) * 4 + 64 and fold(text) in by_key:
            return by_key[fold(text)]
        near = closest(text, allowed)
        self.add("not-in-list", table, record, key, text, label=list_name or None, hint=hint(near))
        return text

    def stale(
        self, table: Table, record: Record, key: str, date: dt.date | None, s: Settings, label: str | None = None
    ) -> None:
        """Warn when ``date`` belongs to an earlier year (copied from last year's file) or to a far later one.

        A date of the previous year is normal only as preparation shortly before the campaign starts.
        """
        year = s.year
        if not date or not year:
            return
        earliest = (s.start or dt.date(year, 1, 1)) - dt.timedelta(days=EARLY_DAYS)
        if (date.year < year and date < earliest) or date.year > year + 1:
            self.add("stale-year", table, record, key, date, label=label, year=year)


@functools.lru_cache(maxsize=64)
def keys(allowed: tuple[str, ...]) -> dict[str, str]:
    """Allowed list values by their matching key."""
    return {fold(choice): choice for choice in allowed}


_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def date_reason(value: object) -> Message:
    """Why a cell is no date, as a clerk can act on it: ``tháng 4 chỉ có 30 ngày`` for ``31/04/2026``,
    ``năm 2025 không nhuận …`` for ``29/02/2025``; else how to write one."""
    match = _DAY_MONTH_YEAR.match(str(value)) if isinstance(value, str) else None
    if match:
        day, month, year = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            return T("không có tháng {month}", month=month)
        if year >= 1:
            days = calendar.monthrange(year, month)[1]
            if month == 2 and day == 29 and days == 28:
                return T("năm {year} không nhuận nên tháng 2 chỉ có 28 ngày", year=year)
            if day > days:
                return T("tháng {month} chỉ có {days} ngày", month=month, days=days)
    return T("viết dd/mm/yyyy")


@functools.lru_cache(maxsize=64)
def _longest(allowed: tuple[str, ...]) -> int:
    """The length of the longest allowed list value."""
    return max(map(len, allowed), default=0)


def hint(near: str | None) -> Message:
    """The end of a "not in the list" message: the nearest allowed value, when there is one."""
    return T('; có phải "{near}"?', near=near) if near else T(".")


def yes_no(text: str) -> bool | None:
    """True for Có/x/yes, False for Không/no, None for anything else (blank included)."""
    key = fold(text)
    return True if key in YES_WORDS else False if key in NO_WORDS else None

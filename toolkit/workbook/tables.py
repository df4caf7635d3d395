"""From raw sheets to tables: tabs and headers matched to the layout, values cleaned, empty rows dropped.

A source (local workbook or Google Sheet) gives a ``RawWorkbook``: every tab as a grid of raw cell
values. ``bind`` matches it to the layout of ``schema`` and returns ``Table`` objects whose records
know, for every value, the row and column it came from, plus the problems found on the way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from ..core import legacy
from ..core.a1 import rowcol_to_a1
from ..core.text import clean_text, collapse, doubled_phrase
from ..core.values import is_blank
from .problems import Problem, Problems, problem
from .schema import TABS, Column, Tab, find_tab


@dataclass
class RawSheet:
    """One tab as a source read it: rows of raw values, row 1 first, and how many rows the header takes."""

    title: str
    rows: list[list[object]]
    header_rows: int = 1
    legacy_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → encoding of its font


@dataclass
class RawWorkbook:
    """Every tab of one source, in the source's order; ``label`` names the source in messages."""

    label: str
    sheets: list[RawSheet]


@dataclass(slots=True)  # one per row: no __dict__ each
class Record:
    """One non-empty data row: its sheet row number and its cleaned values by column key."""

    row: int
    values: dict[str, object]


@dataclass
class Table:
    """One input tab bound to its layout: where each column is and the data records."""

    tab: Tab
    title: str
    columns: dict[str, int]  # column key -> 1-based column number
    records: list[Record] = field(default_factory=list)

    def cell(self, record: Record, key: str) -> str | None:
        """The A1 reference of a record's value in column ``key`` (None if the column is absent)."""
        col = self.columns.get(key)
        return rowcol_to_a1(record.row, col) if col else None

    def header(self, key: str) -> str:
        """The printed header of column ``key``."""
        return self.tab.column(key).header


def bind(raw: RawWorkbook, layout: tuple[Tab, ...] = TABS) -> tuple[dict[str, Table], list[Problem]]:
    """Match raw sheets to ``layout`` (a school's workbook unless told); return tables by tab name and the
    problems found."""
    problems = Problems()
    tables: dict[str, Table] = {}
    for sheet in raw.sheets:
        tab = find_tab(sheet.title, layout)
        if tab is None or not tab.is_input:
            continue
        if tab.name in tables:
            problems.append(problem("duplicate-tab", tab=tables[tab.name].title, value=sheet.title))
            continue
        tables[tab.name] = _bind_sheet(tab, sheet, problems)
    for tab in layout:
        if tab.is_input and tab.required and tab.name not in tables:
            problems.append(problem("missing-tab", tab=tab.name))
    return tables, problems


def _bind_sheet(tab: Tab, sheet: RawSheet, problems: Problems) -> Table:
    title = sheet.title
    columns: dict[str, int] = {}
    header_cells: dict[str, str] = {}
    width = max((len(r) for r in sheet.rows[: sheet.header_rows]), default=0)
    for col in range(1, width + 1):
        parts = _header_parts(sheet, col)
        if not parts:
            continue
        text = " ".join(parts)
        ref = rowcol_to_a1(1, col)
        # A two-row header reads "Người tham gia" over "CB-GV-NV nam": the lowest part names the column.
        column = tab.match(text) or tab.match(parts[-1])
        if column is None:
            problems.append(problem("unknown-column", tab=title, row=1, cell=ref, value=text))
        elif column.key in columns:
            problems.append(
                problem(
                    "duplicate-column",
                    tab=title,
                    row=1,
                    column=column.header,
                    cell=ref,
                    value=text,
                    first=header_cells[column.key],
                )
            )
        else:
            columns[column.key] = col
            header_cells[column.key] = ref
    for column in tab.columns:
        if column.required and column.key not in columns:
            problems.append(problem("missing-column", tab=title, row=1, column=column.header))
    table = Table(tab, title, columns)
    wanted = [(tab.column(key), key, col) for key, col in columns.items()]
    legacy_cells = sheet.legacy_cells
    for index in range(sheet.header_rows, len(sheet.rows)):
        row_values = sheet.rows[index]
        row = index + 1
        width = len(row_values)
        values: dict[str, object] = {}
        for column, key, col in wanted:  # the inner loop of every read: is_blank inlined, no tuple without fonts
            value = row_values[col - 1] if col <= width else None
            if value is None:
                continue
            if isinstance(value, str):
                font = legacy_cells.get((row, col)) if legacy_cells else None
                value = _clean(value, title, row, col, column, font, problems)
                if not value.strip():
                    continue
            values[key] = value
        if values:
            table.records.append(Record(row, values))
    return table


def _header_parts(sheet: RawSheet, col: int) -> list[str]:
    parts: list[str] = []
    for row in sheet.rows[: sheet.header_rows]:
        value = row[col - 1] if col <= len(row) else None
        if not is_blank(value):
            text = collapse(clean_text(str(value))[0])
            if text not in parts:
                parts.append(text)
    return parts


CELL_LIMIT = 32_767  # characters an .xlsx cell holds; a longer Google Sheets cell is cut to it (snapshots too)


@dataclass(frozen=True)
class Cleaned:
    """What cleaning one cell's text found: the text to use and each kind of problem with it."""

    text: str
    long: bool = False
    removed: bool = False
    encoding: str | None = None  # the legacy encoding it was converted from
    original: str = ""  # the text before that conversion
    doubled: str | None = None


@functools.lru_cache(maxsize=2048)
def cleaned(value: str, font_encoding: str | None) -> Cleaned:
    """Clean one cell's text; the same text (a shared string repeated in thousands of cells) is cleaned once."""
    long = len(value) >= CELL_LIMIT
    text, removed = clean_text(value[:CELL_LIMIT])
    if text.isascii() and not removed and not long and " " not in text:
        return Cleaned(text)
    encoding = legacy.detect(text) or (font_encoding if not text.isascii() else None)
    original = text
    if encoding:
        text = legacy.to_unicode(
            text, font_encoding if font_encoding and font_encoding.startswith(encoding) else encoding
        )
    return Cleaned(text, long, removed, encoding, original, doubled_phrase(text))


def _clean(
    value: str, tab: str, row: int, col: int, column: Column, font_encoding: str | None, problems: Problems
) -> str:
    found = cleaned(value, font_encoding)
    if not (found.long or found.removed or found.encoding or found.doubled):
        return found.text
    where: dict[str, Any] = {"tab": tab, "row": row, "column": column.header, "cell": rowcol_to_a1(row, col)}
    if found.long:
        _add(problems, "cell-too-long", where, value=found.text, limit=CELL_LIMIT)
    if found.removed:
        _add(problems, "control-characters", where, value=found.original[:80])
    if found.encoding:
        _add(
            problems,
            "legacy-encoding",
            where,
            value=found.original[:80],
            encoding=found.encoding[:5],
            converted=found.text[:60],
        )
    if found.doubled:
        _add(problems, "doubled-phrase", where, value=found.doubled)
    return found.text


def _add(problems: Problems, code: str, where: dict[str, Any], **params: Any) -> None:
    """Report a cell's problem, or only count it when its column has many of them already."""
    if problems.full(code, where["tab"], where["column"]):
        problems.skip(code, where["tab"], where["column"], where["cell"])
    else:
        problems.append(problem(code, **where, **params))

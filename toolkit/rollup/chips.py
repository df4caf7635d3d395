"""The link behind a roll-up list's ``Nguồn`` cell, when the cell shows something else: a smart chip or a hyperlink
showing the file's title (Google Sheets), a hyperlink or ``=HYPERLINK("url"; "text")`` (a local ``.xlsx``).

A list read as values gives the text people see; this replaces each such cell's value with the address behind it,
so ``listing.read_list`` binds and checks the link itself. For a Google list: one ``spreadsheets.get`` of the
``Đơn vị`` tab's ``hyperlink``, ``chipRuns`` and ``textFormatRuns`` fields (CellData, documented at
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData); for a local list:
openpyxl's ``cell.hyperlink`` and the formula's first argument.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.a1 import quote_tab
from ..workbook.schema import UNITS, find_tab
from ..workbook.tables import RawSheet, RawWorkbook, bind

if TYPE_CHECKING:
    from ..sources.google import GoogleSheets

_FORMULA = re.compile(r'^=\s*HYPERLINK\s*\(\s*"([^"]+)"', re.I)
FIELDS = "sheets(properties(title),data(rowData(values(hyperlink,chipRuns,textFormatRuns))))"


def source_column(sheet: RawSheet) -> int | None:
    """The 0-based column of ``Nguồn`` in the tab's header, as ``tables.bind`` finds it (a two-row header too)."""
    tables, _ = bind(RawWorkbook("", [sheet]), (UNITS,))
    col = tables[UNITS.name].columns.get("source") if UNITS.name in tables else None
    return col - 1 if col else None


def _units(raw: RawWorkbook) -> RawSheet | None:
    return next((s for s in raw.sheets if find_tab(s.title, (UNITS,)) is UNITS), None)


def _replace(sheet: RawSheet, col: int, links: dict[int, str]) -> None:
    """Each row's link (0-based row → address) in place of the cell's text."""
    for row, link in links.items():
        if row >= sheet.header_rows and row < len(sheet.rows):
            cells = sheet.rows[row]
            cells.extend([""] * (col + 1 - len(cells)))
            cells[col] = link


def from_google(raw: RawWorkbook, google: GoogleSheets, sheet_id: str) -> RawWorkbook:
    """The Google list with the links behind its ``Nguồn`` chips and hyperlinks (one request)."""
    sheet = _units(raw)
    col = source_column(sheet) if sheet is not None else None
    if sheet is None or col is None:
        return raw
    meta = google.cells(sheet_id, quote_tab(sheet.title), FIELDS)
    links: dict[int, str] = {}
    for tab in meta.get("sheets", []):
        for block in tab.get("data", []):
            for row, data in enumerate(block.get("rowData", [])):
                values = data.get("values", [])
                link = _cell_link(values[col]) if col < len(values) else ""
                if link:
                    links[row] = link
    _replace(sheet, col, links)
    return raw


def _cell_link(cell: dict[str, Any]) -> str:
    """The address a cell points to: its hyperlink, a smart chip's rich link, or a linked run of its text."""
    if cell.get("hyperlink"):
        return str(cell["hyperlink"])
    for run in cell.get("chipRuns", []):
        uri = run.get("chip", {}).get("richLinkProperties", {}).get("uri")
        if uri:
            return str(uri)
    for run in cell.get("textFormatRuns", []):
        uri = run.get("format", {}).get("link", {}).get("uri")
        if uri:
            return str(uri)
    return ""


def from_xlsx(raw: RawWorkbook, path: Path) -> RawWorkbook:
    """The local list with the links behind its ``Nguồn`` hyperlinks and ``HYPERLINK`` formulas."""
    sheet = _units(raw)
    col = source_column(sheet) if sheet is not None else None
    if sheet is None or col is None or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return raw
    from openpyxl import load_workbook

    try:
        with path.open("rb") as handle:
            book = load_workbook(handle, keep_links=False, keep_vba=False)
    except Exception:  # the reader already read the file; links are a bonus, never a failure
        return raw
    ws = next((w for w in book.worksheets if w.title == sheet.title), None)
    if ws is None:
        return raw
    links: dict[int, str] = {}
    for row, cells in enumerate(ws.iter_rows(min_col=col + 1, max_col=col + 1)):
        cell = cells[0]
        target = cell.hyperlink.target if cell.hyperlink is not None else None
        formula = _FORMULA.match(cell.value) if isinstance(cell.value, str) else None
        if target:
            links[row] = str(target)
        elif formula:
            links[row] = formula.group(1)
    _replace(sheet, col, links)
    return raw

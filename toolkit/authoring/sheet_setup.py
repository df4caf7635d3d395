"""``toolkit init-sheet``: lay out a Google Sheet like the workbook template, in three requests.

One metadata read, one read of the existing tabs (to refuse touching data), and one
``spreadsheets:batchUpdate`` that sets the spreadsheet's locale and time zone (vi_VN, Asia/Ho_Chi_Minh: a date
typed 05/10/2023 is 5 October), adds the missing tabs (ids free in this spreadsheet, each grid grown to what it
holds), writes headers (bold, frozen, with the template's content), sets the dropdowns fed from ``Danh mục`` and
protects the header rows.
The content comes from the same ``templates.build_workbook`` as the ``.xlsx`` template (for an office's
roll-up list, the builder the caller passes: ``rollup.example.build_list``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..core.a1 import col_to_letters, quote_tab
from ..core.errors import OutputError
from ..core.i18n import T
from ..core.values import EPOCH
from ..workbook.campaigns import presets
from ..workbook.schema import CHECK, DATA_ROWS, DROPDOWNS, LISTS, TABS, Tab, find_tab
from .templates import build_workbook

if TYPE_CHECKING:
    from ..workbook.campaigns import Preset

SHEET_ID_BASE = 7000  # ids given to the tabs this command adds, from here on, skipping any the sheet has
LOCALE, TIME_ZONE = "vi_VN", "Asia/Ho_Chi_Minh"
GRID_ROWS, GRID_COLUMNS = 1000, 26  # a new tab's grid, unless asked for more
Builder = Callable[["Preset | None", "int | None", bool], Any]  # (preset, year, filled) -> an openpyxl workbook
Request = dict[str, Any]


class Sheets(Protocol):
    """What laying out a sheet needs of a connection (``sources.google.GoogleSheets`` is one): the caller
    connects, so writing the layout knows nothing of keys, addresses or retries."""

    def metadata(self, sheet_id: str) -> dict:
        """The spreadsheet's tabs with their ids, grids and protected ranges."""

    def values(self, sheet_id: str, titles: list[str]) -> list[list[list[object]]]:
        """The values of the named tabs."""

    def batch_update(self, sheet_id: str, requests_: list[dict]) -> dict:
        """One batch of changes."""


@dataclass
class Existing:
    """The sheet as it stands: the layout's tabs it has (id and title, by tab name), every tab's grid, the ids
    taken and the tabs whose rows are protected already."""

    tabs: dict[str, tuple[int, str]] = field(default_factory=dict)
    grids: dict[str, tuple[int, int]] = field(default_factory=dict)
    taken: set[int] = field(default_factory=set)
    protected: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, meta: dict[str, Any], layout: tuple[Tab, ...]) -> Existing:
        """Read from the spreadsheet's metadata."""
        found = cls()
        for sheet in meta.get("sheets", []):
            props = sheet["properties"]
            found.taken.add(props.get("sheetId"))
            grid = props.get("gridProperties", {})
            found.grids[props["title"]] = (grid.get("rowCount", GRID_ROWS), grid.get("columnCount", GRID_COLUMNS))
            tab = find_tab(props["title"], layout)
            if tab is not None and tab.name not in found.tabs:
                found.tabs[tab.name] = (props["sheetId"], props["title"])
            for rng in sheet.get("protectedRanges", []):
                found.protected.add(rng.get("range", {}).get("sheetId"))
        return found


def init_sheet(
    google: Sheets,
    sheet_id: str,
    *,
    example: bool = False,
    force: bool = False,
    preset: Preset | None = None,
    year: int | None = None,
    level: str | None = None,
    layout: tuple[Tab, ...] = TABS,
    build: Builder | None = None,
) -> list[str]:
    """Lay out the sheet for ``preset`` through the connection ``google``; return the titles of the tabs it
    added. ``layout`` and ``build`` say what workbook it is: a school's (the default), or an office's roll-up list
    (``schema.ROLLUP_TABS`` and ``rollup.example.build_list``).

    Refuses tabs holding data unless ``force``.
    """

    def school(p: Preset | None, y: int | None, filled: bool) -> Any:
        return build_workbook(p, filled=filled, year=y, level=level)

    blank = build or school
    existing = Existing.of(google.metadata(sheet_id), layout)
    with_data = _holding_data(
        google, sheet_id, existing, layout, [blank(p, y, False) for p in presets().values() for y in {None, year}]
    )
    if with_data and not force:
        names = ", ".join(with_data)
        raise OutputError(
            T("Các trang {names} đã có dữ liệu: không sửa. Thêm --force để ghi đè bằng mẫu.", names=names),
        )
    requests: list[Request] = [
        {
            "updateSpreadsheetProperties": {
                "properties": {"locale": LOCALE, "timeZone": TIME_ZONE},
                "fields": "locale,timeZone",
            }
        }
    ]
    added, ids = _lay_out_tabs(blank(preset, year, example), layout, existing, requests)
    requests += [
        _dropdown(ids[tab.name], tab, key, list_key, n) for tab, key, list_key, n in DROPDOWNS if LISTS in layout
    ]
    google.batch_update(sheet_id, requests)
    return added


def _lay_out_tabs(
    book: Any, layout: tuple[Tab, ...], existing: Existing, requests: list[Request]
) -> tuple[list[str], dict[str, int]]:
    """Add to ``requests`` each tab of ``book``: grown or added, its cells written, its header protected;
    return the names of the tabs added and every tab's id."""
    added: list[str] = []
    ids: dict[str, int] = {}
    free = (n for n in range(SHEET_ID_BASE, SHEET_ID_BASE + 10_000) if n not in existing.taken)
    for index, ws in enumerate(book.worksheets):
        tab = _tab(ws.title, layout)
        if tab.name in existing.tabs:
            ids[tab.name] = existing.tabs[tab.name][0]
            requests.append(_grown(ids[tab.name], ws, existing.grids.get(existing.tabs[tab.name][1])))
        else:
            ids[tab.name] = next(free)
            added.append(tab.name)
            requests.append(_added(ids[tab.name], tab.name, index, ws))
        requests.append(
            {
                "updateCells": {
                    "range": {"sheetId": ids[tab.name]},
                    "rows": _rows(ws),
                    "fields": "userEnteredValue,userEnteredFormat.textFormat.bold,userEnteredFormat.numberFormat",
                }
            }
        )
        if ids[tab.name] not in existing.protected:
            requests.append(_protected_header(ids[tab.name]))
    return added, ids


def _holding_data(
    google: Sheets, sheet_id: str, existing: Existing, layout: tuple[Tab, ...], blanks: list[Any]
) -> list[str]:
    """The titles of the input tabs that hold data: a tab holds data when it is not exactly as some preset's
    blank layout left it (``blanks``: any year or none)."""
    titles = [
        title for name, (_, title) in existing.tabs.items() if name != CHECK.name and _tab(title, layout).is_input
    ]
    contents = google.values(sheet_id, titles)
    return [
        title
        for title, rows in zip(titles, contents, strict=True)
        if all(
            _content(rows[1:]) != _content(b[_tab(title, layout).name].iter_rows(min_row=2, values_only=True))
            for b in blanks
        )
    ]


def _size(ws: Any) -> tuple[int, int]:
    """The rows and columns a worksheet needs: what it holds, and at least the data rows the dropdowns cover."""
    return max(ws.max_row, DATA_ROWS + 1), ws.max_column


def _grown(sheet_id: int, ws: Any, grid: tuple[int, int] | None) -> Request:
    """An existing tab's header frozen and its grid grown to hold ``ws`` (never shrunk)."""
    rows, columns = _size(ws)
    have_rows, have_columns = grid or (GRID_ROWS, GRID_COLUMNS)
    return {
        "updateSheetProperties": {
            "properties": {
                "sheetId": sheet_id,
                "gridProperties": {
                    "frozenRowCount": 1,
                    "rowCount": max(rows, have_rows),
                    "columnCount": max(columns, have_columns),
                },
            },
            "fields": "gridProperties.frozenRowCount,gridProperties.rowCount,gridProperties.columnCount",
        }
    }


def _added(sheet_id: int, title: str, index: int, ws: Any) -> Request:
    """A new tab at ``index``, its header frozen, its grid Sheets' default or what ``ws`` needs."""
    rows, columns = _size(ws)
    return {
        "addSheet": {
            "properties": {
                "sheetId": sheet_id,
                "title": title,
                "index": index,
                "gridProperties": {
                    "frozenRowCount": 1,
                    "rowCount": max(rows, GRID_ROWS),
                    "columnCount": max(columns, GRID_COLUMNS),
                },
            }
        }
    }


def _protected_header(sheet_id: int) -> Request:
    """The header row protected with a warning (people may still edit after confirming)."""
    return {
        "addProtectedRange": {
            "protectedRange": {
                "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                "description": "Dòng tiêu đề (không sửa)",
                "warningOnly": True,
            }
        }
    }


def _dropdown(sheet_id: int, tab: Tab, key: str, list_key: str, list_rows: int) -> Request:
    """A dropdown on ``tab``'s column ``key`` fed from the ``Danh mục`` column ``list_key``."""
    col = [c.key for c in tab.columns].index(key)
    letter = col_to_letters([c.key for c in LISTS.columns].index(list_key) + 1)
    return {
        "setDataValidation": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": 1,
                "endRowIndex": DATA_ROWS + 1,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            },
            "rule": {
                "condition": {
                    "type": "ONE_OF_RANGE",
                    "values": [{"userEnteredValue": f"={quote_tab(LISTS.name)}!${letter}$2:${letter}${list_rows}"}],
                },
                "showCustomUi": True,
                "strict": False,
            },
        }
    }


def _tab(title: str, layout: tuple[Tab, ...]) -> Tab:
    """The layout's tab for a title this module itself chose or matched."""
    tab = find_tab(title, layout)
    if tab is None:
        raise KeyError(title)
    return tab


def _content(rows: Any) -> list[list[str]]:
    """Rows as text without trailing blanks, to compare a tab with the template's."""
    result = [[("" if v is None else str(v)) for v in row] for row in rows]
    result = [row[: max((i + 1 for i, v in enumerate(row) if v), default=0)] for row in result]
    while result and not result[-1]:
        result.pop()
    return result


def _rows(ws: Any) -> list[dict]:
    """The worksheet's cells as Sheets ``RowData``: header bold, dates as serial numbers formatted dd/mm/yyyy."""
    rows = []
    for r, row in enumerate(ws.iter_rows(values_only=True)):
        cells = []
        for value in row:
            cell: dict = {}
            if isinstance(value, bool):
                cell["userEnteredValue"] = {"boolValue": value}
            elif isinstance(value, (int, float)):
                cell["userEnteredValue"] = {"numberValue": value}
            elif isinstance(value, (dt.date, dt.datetime)):
                day = value.date() if isinstance(value, dt.datetime) else value
                cell["userEnteredValue"] = {"numberValue": (day - EPOCH).days}
                cell["userEnteredFormat"] = {"numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}}
            elif value is not None:
                cell["userEnteredValue"] = {"stringValue": str(value)}
            if r == 0:
                cell.setdefault("userEnteredFormat", {})["textFormat"] = {"bold": True}
            cells.append(cell)
        rows.append({"values": cells})
    return rows

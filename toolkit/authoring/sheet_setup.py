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
from typing import TYPE_CHECKING, Any

from ..core.a1 import col_to_letters, quote_tab
from ..core.errors import OutputError
from ..core.i18n import T
from ..core.values import EPOCH
from ..workbook.schema import CHECK, DATA_ROWS, DROPDOWNS, LISTS, TABS, Tab, find_tab

if TYPE_CHECKING:
    from ..core.config import Options
    from ..workbook.campaigns import Preset

SHEET_ID_BASE = 7000  # ids given to the tabs this command adds, from here on, skipping any the sheet has
LOCALE, TIME_ZONE = "vi_VN", "Asia/Ho_Chi_Minh"
GRID_ROWS, GRID_COLUMNS = 1000, 26  # a new tab's grid, unless asked for more
Builder = Callable[["Preset | None", "int | None", bool], Any]  # (preset, year, filled) -> an openpyxl workbook


def init_sheet(
    sheet_id: str,
    options: Options,
    *,
    example: bool = False,
    force: bool = False,
    preset: Preset | None = None,
    year: int | None = None,
    level: str | None = None,
    layout: tuple[Tab, ...] = TABS,
    build: Builder | None = None,
) -> list[str]:
    """Lay out the sheet for ``preset``; return the titles of the tabs it added. ``layout`` and ``build`` say
    what workbook it is: a school's (the default), or an office's roll-up list (``schema.ROLLUP_TABS`` and
    ``rollup.example.build_list``).

    Refuses tabs holding data unless ``force``.
    """
    from ..sources.google import connect

    def school(p: Preset | None, y: int | None, filled: bool) -> Any:
        from .templates import build_workbook

        return build_workbook(p, filled=filled, year=y, level=level)

    blank = build or school

    google = connect(options)
    meta = google.metadata(sheet_id)
    existing = {}
    protected = set()
    taken = {sheet["properties"].get("sheetId") for sheet in meta.get("sheets", [])}
    grids: dict[str, tuple[int, int]] = {}
    for sheet in meta.get("sheets", []):
        props = sheet["properties"]
        grid = props.get("gridProperties", {})
        grids[props["title"]] = (grid.get("rowCount", GRID_ROWS), grid.get("columnCount", GRID_COLUMNS))
        tab = find_tab(props["title"], layout)
        if tab is not None and tab.name not in existing:
            existing[tab.name] = (props["sheetId"], props["title"])
        for rng in sheet.get("protectedRanges", []):
            protected.add(rng.get("range", {}).get("sheetId"))
    from ..workbook.campaigns import presets

    # A tab "holds data" when it is not exactly as some preset's blank layout left it (any year or none).
    blanks = [blank(p, y, False) for p in presets().values() for y in {None, year}]
    titles = [title for name, (_, title) in existing.items() if name != CHECK.name and _tab(title, layout).is_input]
    contents = google.values(sheet_id, titles)
    with_data = [
        title
        for title, rows in zip(titles, contents, strict=True)
        if all(
            _content(rows[1:]) != _content(b[_tab(title, layout).name].iter_rows(min_row=2, values_only=True))
            for b in blanks
        )
    ]
    if with_data and not force:
        names = ", ".join(with_data)
        raise OutputError(
            T("Các trang {names} đã có dữ liệu: không sửa. Thêm --force để ghi đè bằng mẫu.", names=names),
        )
    book = blank(preset, year, example)
    requests: list[dict[str, Any]] = [
        {
            "updateSpreadsheetProperties": {
                "properties": {"locale": LOCALE, "timeZone": TIME_ZONE},
                "fields": "locale,timeZone",
            }
        }
    ]
    added: list[str] = []
    ids: dict[str, int] = {}
    free = (n for n in range(SHEET_ID_BASE, SHEET_ID_BASE + 10_000) if n not in taken)
    for index, ws in enumerate(book.worksheets):
        tab = _tab(ws.title, layout)
        rows, columns = max(ws.max_row, DATA_ROWS + 1), ws.max_column
        if tab.name in existing:
            ids[tab.name] = existing[tab.name][0]
            have_rows, have_columns = grids.get(existing[tab.name][1], (GRID_ROWS, GRID_COLUMNS))
            requests.append(
                {
                    "updateSheetProperties": {
                        "properties": {
                            "sheetId": ids[tab.name],
                            "gridProperties": {
                                "frozenRowCount": 1,
                                "rowCount": max(rows, have_rows),
                                "columnCount": max(columns, have_columns),
                            },
                        },
                        "fields": "gridProperties.frozenRowCount,gridProperties.rowCount,gridProperties.columnCount",
                    }
                }
            )
        else:
            ids[tab.name] = next(free)
            added.append(tab.name)
            requests.append(
                {
                    "addSheet": {
                        "properties": {
                            "sheetId": ids[tab.name],
                            "title": tab.name,
                            "index": index,
                            "gridProperties": {
                                "frozenRowCount": 1,
                                "rowCount": max(rows, GRID_ROWS),
                                "columnCount": max(columns, GRID_COLUMNS),
                            },
                        }
                    }
                }
            )
        requests.append(
            {
                "updateCells": {
                    "range": {"sheetId": ids[tab.name]},
                    "rows": _rows(ws),
                    "fields": "userEnteredValue,userEnteredFormat.textFormat.bold,userEnteredFormat.numberFormat",
                }
            }
        )
        if ids[tab.name] not in protected:
            requests.append(
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {"sheetId": ids[tab.name], "startRowIndex": 0, "endRowIndex": 1},
                            "description": "Dòng tiêu đề (không sửa)",
                            "warningOnly": True,
                        }
                    }
                }
            )
    for tab, key, list_key, list_rows in DROPDOWNS if LISTS in layout else ():
        col = [c.key for c in tab.columns].index(key)
        letter = col_to_letters([c.key for c in LISTS.columns].index(list_key) + 1)
        requests.append(
            {
                "setDataValidation": {
                    "range": {
                        "sheetId": ids[tab.name],
                        "startRowIndex": 1,
                        "endRowIndex": DATA_ROWS + 1,
                        "startColumnIndex": col,
                        "endColumnIndex": col + 1,
                    },
                    "rule": {
                        "condition": {
                            "type": "ONE_OF_RANGE",
                            "values": [
                                {"userEnteredValue": f"={quote_tab(LISTS.name)}!${letter}$2:${letter}${list_rows}"}
                            ],
                        },
                        "showCustomUi": True,
                        "strict": False,
                    },
                }
            }
        )
    google.batch_update(sheet_id, requests)
    return added


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

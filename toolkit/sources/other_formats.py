"""Reading the workbooks a school office also has: Excel 97–2003 ``.xls`` and LibreOffice ``.ods``.

``.xls`` is read with xlrd, which also gives each cell's font, so text typed in TCVN3 with ``.VnTime``
fonts is recognised as in ``.xlsx``; ``.ods`` with python-calamine (a Rust reader, fast on large sheets), as
is an ``.xlsx`` whose scan found nothing calamine reads differently from openpyxl (``read_calamine``).
Both give the same ``RawWorkbook`` as the ``.xlsx`` reader: whole numbers as ``int``, dates as ``date``
or ``datetime``, empty cells as ``None``, merged ranges filled in, so the same data gives the same
problems and the same documents whatever the format it was saved in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..core.errors import SourceError
from ..core.i18n import T
from ..core.legacy import font_encoding
from ..workbook.tables import RawSheet, RawWorkbook
from .cells import fill_merged, plain_value


def _rows(values: list[list[Any]]) -> list[list[Any]]:
    """The rows as every reader gives them (``plain_value``, no trailing blanks), converted in place: a big
    sheet's cells are never held twice."""
    for row in values:
        row[:] = [plain_value(v) for v in row]
        while row and row[-1] is None:
            row.pop()
    while values and not values[-1]:
        values.pop()
    return values


def read_ods(path: Path, label: str) -> RawWorkbook:
    """Every tab of an OpenDocument spreadsheet."""
    try:
        return read_calamine(path, label)
    except Exception as exc:  # calamine raises its own kinds for a damaged file
        raise _damaged(path, "ods", exc) from exc


def read_calamine(path: Path, label: str) -> RawWorkbook:
    """Every worksheet of a workbook calamine reads (``.ods``, or an ``.xlsx`` its scan let through), merged
    ranges filled in; calamine's own exceptions pass through."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = CalamineWorkbook.from_path(str(path))
    try:
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # a chart sheet holds no cells
            sheet = book.get_sheet_by_name(meta.name)
            merged = [((a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1)) for a, b in (sheet.merged_cell_ranges or [])]
            values = sheet.to_python(skip_empty_area=False)
            del sheet  # calamine's own copy of the cells, freed before they are converted
            sheets.append(RawSheet(meta.name, *fill_merged(_rows(values), merged)))
            del values
    finally:
        book.close()
    return RawWorkbook(label, sheets)


def read_xls(path: Path, label: str) -> RawWorkbook:
    """Every tab of an Excel 97–2003 workbook, with the fonts of its text cells (for TCVN3/VNI text)."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:
        if "encrypt" in str(exc).lower():
            raise SourceError(
                T("{file} được đặt mật khẩu: hãy gỡ mật khẩu rồi lưu lại.", file=path.name),
            ) from exc
        raise _damaged(path, "xls", exc) from exc
    try:
        sheets = [_xls_sheet(book, book.sheet_by_index(i)) for i in range(book.nsheets)]
    except Exception as exc:
        raise _damaged(path, "xls", exc) from exc
    finally:
        book.release_resources()
    return RawWorkbook(label, sheets)


def _xls_sheet(book: Any, sheet: Any) -> RawSheet:
    import xlrd

    date_formats = {key for key, fmt in book.format_map.items() if fmt.type == xlrd.formatting.FDT}
    rows: list[list[Any]] = []
    legacy: dict[tuple[int, int], str] = {}
    for r in range(sheet.nrows):
        row: list[Any] = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            value: Any = cell.value
            xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
            if cell.ctype == xlrd.XL_CELL_DATE or (
                cell.ctype == xlrd.XL_CELL_NUMBER and xf is not None and xf.format_key in date_formats
            ):
                value = _xls_date(value, book.datemode)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(value, "#ERR")
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = None
            elif cell.ctype == xlrd.XL_CELL_TEXT and xf is not None:
                encoding = font_encoding(book.font_list[xf.font_index].name)
                if encoding:
                    legacy[(r + 1, c + 1)] = encoding
            row.append(value)
        rows.append(row)
    merged = [(top + 1, left + 1, bottom, right) for top, bottom, left, right in sheet.merged_cells]
    rows = _rows(rows)
    filled, header_rows = fill_merged(rows, merged)
    return RawSheet(sheet.name, filled, header_rows, legacy)


def _xls_date(serial: float, datemode: int) -> dt.date | dt.datetime | float:
    import xlrd

    try:
        moment = xlrd.xldate.xldate_as_datetime(serial, datemode)
    except (xlrd.xldate.XLDateError, ValueError, OverflowError):
        return serial  # out of range: validation reports the cell
    return moment.date() if moment.time() == dt.time(0) and float(serial).is_integer() else moment


def _damaged(path: Path, kind: str, exc: BaseException) -> SourceError:
    return SourceError(
        T("Không đọc được tệp {file}: tệp .{kind} bị hỏng.", file=path.name, kind=kind),
        detail=f"{type(exc).__name__}: {exc}",
    )

"""Building the workbook template and the filled example from the layout in ``schema``.

``sheet_templates/`` holds the two files this module writes (``python -m toolkit.templates``); the
tests rebuild them and compare, so the template can never drift from what the reader expects.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from . import example
from .a1 import col_to_letters, quote_tab
from .schema import (
    ACTIVITIES,
    CHECK,
    CITATION_USES,
    CITATIONS,
    CONTENT,
    CONTENT_PARTS,
    COUNT,
    DATE,
    DEFAULT_FIGURES,
    DEFAULT_FORMS,
    DEFAULT_GROUPS,
    DEFAULT_STATUSES,
    FIGURES,
    GUIDE,
    INTEGER,
    LISTS,
    MESSAGES,
    MONEY,
    SETTING_KEYS,
    SETTINGS,
    TABS,
    Tab,
)

BLANK_NAME = "mau-so-theo-doi.xlsx"
EXAMPLE_NAME = "vi-du-THBA-2023.xlsx"
DATA_ROWS = 500  # rows prepared with dropdowns and formats below each header
FIXED_TIME = dt.datetime(2023, 1, 1)

GUIDE_LINES = (
    "CÁCH DÙNG SỔ THEO DÕI NÀY",
    "1. Trang \"Thông tin\": điền tên đơn vị, tên đợt, năm, chủ đề, thời gian, số và ngày văn bản, người ký.",
    "2. Trang \"Căn cứ\": mỗi dòng một văn bản cấp trên (loại, số hiệu, ngày, cơ quan ban hành, trích yếu). "
    "Phần mềm tự viết \"Kế hoạch số … ngày … của … về việc …\", không cần gõ lại.",
    "3. Trang \"Nội dung\": mỗi dòng một đoạn văn, chọn \"Phần\" từ danh sách. Bắt đầu bằng \"- \" để thành gạch "
    "đầu dòng.",
    "4. Trang \"Hoạt động\": mỗi hoạt động một dòng. Chọn Nhóm hoạt động và Trạng thái từ danh sách; ngày viết "
    "dd/mm/yyyy; số người tham gia là số nguyên (để trống = 0); kinh phí ghi bằng đồng.",
    "5. Khi hoạt động đã làm xong, đổi Trạng thái thành \"Đã thực hiện\" và ghi Minh chứng (đường dẫn ảnh, tin bài…).",
    "6. Trang \"Số liệu khác\": các số liệu báo cáo không gắn với một hoạt động.",
    "7. Trang \"Danh mục\": các danh sách chọn. Có thể thêm Nhóm hoạt động, Hình thức cho đợt khác.",
    "8. Trang \"Kiểm tra\" do phần mềm ghi: xem ở đây các ô cần sửa sau mỗi lần chạy.",
    "Chạy: sync-and-report <tệp hoặc đường dẫn Google Sheet> để ra Kế hoạch và Báo cáo (.docx) trong thư mục output/.",
)


def build_workbook(filled: bool = False):
    """Return the workbook with every tab laid out; ``filled`` adds the bundled example's data."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "toolkit"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    order = (GUIDE, SETTINGS, CITATIONS, CONTENT, MESSAGES, ACTIVITIES, FIGURES, LISTS, CHECK)
    assert set(order) == set(TABS)
    for tab in order:
        ws = book.create_sheet(tab.name)
        for col, column in enumerate(tab.columns, start=1):
            cell = ws.cell(row=1, column=col, value=column.header)
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if column.note:
                cell.comment = Comment(column.note, "toolkit", width=260, height=90)
            ws.column_dimensions[col_to_letters(col)].width = column.width
        ws.freeze_panes = "A2"
    _fill_guide(book[GUIDE.name])
    _fill_lists(book[LISTS.name])
    _fill_settings(book[SETTINGS.name], filled)
    _formats(book)
    if filled:
        _fill_example(book)
    else:
        ws = book[FIGURES.name]
        for row, name in enumerate(DEFAULT_FIGURES, start=2):
            ws.cell(row=row, column=1, value=name)
    book.active = book.sheetnames.index(ACTIVITIES.name if filled else GUIDE.name)
    return book


def _fill_guide(ws) -> None:
    from openpyxl.styles import Alignment, Font

    for row, line in enumerate(GUIDE_LINES, start=2):
        cell = ws.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 2:
            cell.font = Font(bold=True)


def _fill_lists(ws) -> None:
    columns = (DEFAULT_GROUPS, DEFAULT_FORMS, DEFAULT_STATUSES, tuple(label for label, _ in CONTENT_PARTS),
               tuple(label for label, _ in CITATION_USES))
    for col, values in enumerate(columns, start=1):
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value)


def _fill_settings(ws, filled: bool) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    values = dict(example.SETTINGS) if filled else {}
    for row, setting in enumerate(SETTING_KEYS, start=2):
        label = ws.cell(row=row, column=1, value=setting.label)
        if setting.required:
            label.font = Font(bold=True)
        if setting.note:
            label.comment = Comment(setting.note, "toolkit", width=240, height=60)
        cell = ws.cell(row=row, column=2, value=values.get(setting.label))
        if setting.kind == DATE:
            cell.number_format = "dd/mm/yyyy"


def _formats(book) -> None:
    """Dropdowns fed from ``Danh mục``, date formats and whole-number checks below each header."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = quote_tab(LISTS.name)
    last = DATA_ROWS + 1

    def dropdown(tab: Tab, key: str, list_col: int, rows: int = 200) -> None:
        letter = col_to_letters(list_col)
        col = col_to_letters(tab.columns.index(tab.column(key)) + 1)
        rule = DataValidation(type="list", formula1=f"{lists}!${letter}$2:${letter}${rows}", allow_blank=True,
                              showErrorMessage=False)
        rule.add(f"{col}2:{col}{last}")
        book[tab.name].add_data_validation(rule)

    dropdown(ACTIVITIES, "group", 1)
    dropdown(ACTIVITIES, "form", 2)
    dropdown(ACTIVITIES, "status", 3)
    dropdown(CONTENT, "part", 4, 20)
    dropdown(CITATIONS, "uses", 5, 20)
    for tab in (ACTIVITIES, CITATIONS, FIGURES, MESSAGES):
        ws = book[tab.name]
        for index, column in enumerate(tab.columns, start=1):
            letter = col_to_letters(index)
            if column.kind == DATE:
                for row in range(2, last + 1):
                    ws[f"{letter}{row}"].number_format = "dd/mm/yyyy"
            elif column.kind in (COUNT, MONEY, INTEGER):
                rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                      showErrorMessage=True, errorTitle="Số không hợp lệ",
                                      error="Nhập số nguyên không âm.")
                rule.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(rule)
                if column.kind == MONEY:
                    for row in range(2, last + 1):
                        ws[f"{letter}{row}"].number_format = "#,##0"


def _fill_example(book) -> None:
    _rows(book[CITATIONS.name], example.CITATIONS)
    _rows(book[CONTENT.name], example.CONTENT)
    _rows(book[MESSAGES.name], [(i, text) for i, text in enumerate(example.MESSAGES, start=1)])
    _rows(book[FIGURES.name], example.FIGURES)
    rows = []
    for stt, activity in enumerate(example.ACTIVITIES, start=1):
        name, group, form, start, end, audience, lead, partners, status, *numbers, evidence = activity
        rows.append((stt, name, group, form, start, end, audience, lead, partners, status, *numbers, evidence, None))
    _rows(book[ACTIVITIES.name], rows)


def _rows(ws, rows) -> None:
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            if value is not None and value != "":
                ws.cell(row=r, column=c, value=value)


def save_workbook(path: str | os.PathLike[str], filled: bool = False) -> Path:
    """Write the template (or, with ``filled``, the example) to ``path`` atomically and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = build_workbook(filled)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_templates(folder: str | os.PathLike[str]) -> list[Path]:
    """Write both files of ``sheet_templates/`` into ``folder``."""
    folder = Path(folder)
    return [save_workbook(folder / BLANK_NAME), save_workbook(folder / EXAMPLE_NAME, filled=True)]


if __name__ == "__main__":
    for written in write_templates(Path(__file__).resolve().parent.parent / "sheet_templates"):
        print(written)

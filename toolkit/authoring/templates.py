"""Building workbooks from the layout in ``schema`` and a campaign preset: the template and the examples.

``toolkit init --campaign NAME`` writes a workbook laid out for that campaign: its name and dates, its
activity groups, ``Số liệu khác`` rows and every phrase of the documents in ``Câu chữ``, all of which the
school may change. ``--example`` fills in the preset's example. ``sheet_templates/`` holds the blank
template and the bundled example (``python -m toolkit.authoring.templates`` rewrites them; the tests rebuild and
compare them, so the files can never drift from what the reader expects).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.a1 import col_to_letters, quote_tab
from ..core.values import parse_date
from ..documents.package import stable_zip
from ..output.write import write_file
from ..workbook import campaigns, wording
from ..workbook.campaigns import Preset
from ..workbook.schema import (
    ACTIVITIES,
    CITATION_USES,
    CITATIONS,
    CONTENT,
    CONTENT_PARTS,
    COUNT,
    DATA_ROWS,
    DATE,
    DEFAULT_FORMS,
    DEFAULT_STATUSES,
    DROPDOWNS,
    FIGURES,
    GUIDE,
    INTEGER,
    LISTS,
    MESSAGES_TAB,
    MONEY,
    PARTICIPANTS,
    SETTINGS,
    TABS,
    WORDING,
    Tab,
    participant_header,
)
from ..workbook.settings import SETTING_KEYS, Setting

BLANK_NAME = "mau-so-theo-doi.xlsx"
EXAMPLE_NAME = "vi-du-THBA-2023.xlsx"
FIXED_TIME = dt.datetime(2023, 1, 1)

GUIDE_LINES = (
    "CÁCH DÙNG SỔ THEO DÕI NÀY",
    '1. Trang "Thông tin": điền tên đơn vị, tên đợt, năm, chủ đề, thời gian, số và ngày văn bản, người ký. '
    "Nơi nhận báo cáo: mỗi nơi một dòng (Alt+Enter), ví dụ Ủy ban nhân dân xã/phường và Sở Giáo dục và Đào tạo.",
    '2. Trang "Căn cứ": mỗi dòng một văn bản cấp trên (loại, số hiệu, ngày, cơ quan ban hành, trích yếu). '
    'Phần mềm tự viết "Kế hoạch số … ngày … của … về việc …", không cần gõ lại.',
    '3. Trang "Nội dung": mỗi dòng một đoạn văn, chọn "Phần" từ danh sách. Bắt đầu bằng "- " để thành gạch đầu dòng.',
    '4. Trang "Hoạt động": mỗi hoạt động một dòng. Chọn Nhóm hoạt động và Trạng thái từ danh sách; ngày viết '
    "dd/mm/yyyy; số người tham gia là số nguyên (để trống = 0); kinh phí ghi bằng đồng.",
    '5. Khi hoạt động đã làm xong, đổi Trạng thái thành "Đã thực hiện" và ghi Minh chứng (đường dẫn ảnh, tin bài…).',
    '6. Trang "Số liệu khác": các số liệu báo cáo không gắn với một hoạt động; số liệu bằng 0 không in ra '
    "(trừ khi có ghi chú).",
    '7. Trang "Danh mục": các danh sách chọn. Có thể thêm Nhóm hoạt động, Hình thức; ghi "x" ở cột '
    '"Không cần số người" cho nhóm không đếm người tham gia (băng rôn, tin bài…).',
    '8. Trang "Kiểm tra" do phần mềm ghi: xem ở đây các ô cần sửa sau mỗi lần chạy.',
    '9. Trang "Câu chữ": mọi câu cố định của Kế hoạch và Báo cáo; sửa cột "Câu chữ" nếu muốn viết khác.',
    "10. Trên Google Sheets: Tệp › Cài đặt › Ngôn ngữ Việt Nam, múi giờ (GMT+07:00) Hồ Chí Minh, để ngày gõ "
    "dd/mm/yyyy không bị hiểu thành tháng/ngày (init-sheet tự đặt; bảng tính tạo từ tài khoản tiếng Anh hiểu "
    "05/10/2023 là ngày 10 tháng 5).",
    "Chạy: sync-and-report <tệp hoặc đường dẫn Google Sheet> để ra Kế hoạch và Báo cáo (.docx) trong thư mục output/.",
)


def build_workbook(
    preset: Preset | str | None = None,
    *,
    filled: bool = False,
    year: int | None = None,
    level: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Any:
    """The workbook laid out for ``preset`` (default: blank; with ``filled``, the bundled example's).

    ``filled`` adds the preset's example data; ``year`` sets the campaign year and dates (blank unless
    given or filled); ``level`` (a ``Cấp học`` name) chooses the words of the participant columns;
    ``settings`` are ``Thông tin`` values by label that replace the others (None empties one).
    """
    from openpyxl import Workbook

    if isinstance(preset, str):
        found = campaigns.find(preset)
        if found is None:
            raise KeyError(preset)
        preset = found
    preset = preset or (campaigns.bundled() if filled else campaigns.blank())
    if filled and year and example_year(preset) not in (None, year):  # its dates belong to its own year
        raise ValueError(f"the example of {preset.id} is dated {example_year(preset)}, not {year}")
    example = preset.example if filled else {}
    values = {**_settings_values(preset, example.get(SETTINGS.name, {}), year, level), **(settings or {})}
    found_level = wording.find_level(values.get("Cấp học", "")) if values.get("Cấp học") else None
    chosen = found_level or wording.level_of_unit(str(values.get("Đơn vị", "")))
    if filled and found_level is not None and wording.contradicts(found_level, str(values.get("Đơn vị") or "")):
        raise ValueError(f"the example of {preset.id} is a school of another level than {level}")  # its words too

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "toolkit"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    for tab in TABS:
        header_row(book.create_sheet(tab.name), tab, chosen)
    fill_guide(book[GUIDE.name], GUIDE_LINES)
    _fill_lists(book[LISTS.name], preset)
    fill_settings(book[SETTINGS.name], values)
    _fill_wording(book[WORDING.name], preset)
    _formats(book)
    figures = example.get(FIGURES.name) or [{"Chỉ tiêu": name} for name in preset.figures]
    fill_records(book[FIGURES.name], FIGURES, figures)
    if filled:
        fill_records(book[CITATIONS.name], CITATIONS, example.get(CITATIONS.name, []))
        fill_records(book[CONTENT.name], CONTENT, example.get(CONTENT.name, []))
        fill_records(
            book[MESSAGES_TAB.name],
            MESSAGES_TAB,
            [{"STT": i, "Thông điệp": text} for i, text in enumerate(example.get(MESSAGES_TAB.name, []), 1)],
        )
        fill_records(
            book[ACTIVITIES.name],
            ACTIVITIES,
            [{"STT": i, **row} for i, row in enumerate(example.get(ACTIVITIES.name, []), start=1)],
        )
    book.active = book.sheetnames.index(ACTIVITIES.name if filled else GUIDE.name)
    return book


def example_year(preset: Preset) -> int | None:
    """The year a preset's example is dated in (its ``Thông tin`` ``Năm``); None when it has none. Its dates
    lie inside that year's campaign period, so the example cannot be moved to another year."""
    year = preset.example.get(SETTINGS.name, {}).get("Năm")
    return int(year) if year else None


def example_level(preset: Preset, level: str | None) -> wording.Level | None:
    """The level a preset's example school is of when ``level`` (a ``Cấp học`` name) contradicts it (None when
    they agree, or either names none): its unit's name and words belong to that level, so the example cannot be
    moved to another."""
    chosen = wording.find_level(level) if level else None
    unit = str(preset.example.get(SETTINGS.name, {}).get("Đơn vị") or "")
    return wording.contradicts(chosen, unit) if chosen is not None and unit else None


def _settings_values(preset: Preset, example: dict[str, Any], year: int | None, level: str | None) -> dict[str, Any]:
    """The ``Thông tin`` values by label: the preset's name, dates and choices, then the example's."""
    values: dict[str, Any] = {"Tên đợt": preset.name or None, "Mẫu đợt": preset.id, **preset.settings}
    year = year or example.get("Năm")
    if year:
        values["Năm"] = year
        values["Từ ngày"], values["Đến ngày"] = preset.dates(int(year))
    values.update(example)
    if level:
        values["Cấp học"] = level
    return values


def header_row(ws: Any, tab: Tab, level: wording.Level) -> None:
    """Bold, frozen header row with notes; participant headers in the words of the school level."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    headers = dict(PARTICIPANTS)
    for col, column in enumerate(tab.columns, start=1):
        text = column.header
        if column.key in headers and tab is ACTIVITIES:
            group, sex = column.key.split("_")
            text = participant_header(group, sex, level.learners_label, level.parents_label)
        cell = ws.cell(row=1, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.note:
            cell.comment = Comment(column.note, "toolkit", width=260, height=90)
        ws.column_dimensions[col_to_letters(col)].width = column.width
    ws.freeze_panes = "A2"


def fill_guide(ws: Any, lines: tuple[str, ...]) -> None:
    """A ``Hướng dẫn`` tab: its lines under the header, the first one bold."""
    from openpyxl.styles import Alignment, Font

    for row, line in enumerate(lines, start=2):
        cell = ws.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 2:
            cell.font = Font(bold=True)


def _fill_lists(ws: Any, preset: Preset) -> None:
    columns: dict[str, list[str | None]] = {
        "group": [g.name for g in preset.groups],
        "no_participants": ["x" if g.no_participants else None for g in preset.groups],
        "form": list(DEFAULT_FORMS),
        "status": list(DEFAULT_STATUSES),
        "part": [label for label, _ in CONTENT_PARTS],
        "uses": [label for label, _ in CITATION_USES],
    }
    for col, column in enumerate(LISTS.columns, start=1):
        for row, value in enumerate(columns[column.key], start=2):
            if value is not None:
                ws.cell(row=row, column=col, value=value)


def fill_settings(ws: Any, values: dict[str, Any], keys: tuple[Setting, ...] = SETTING_KEYS) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    for row, setting in enumerate(keys, start=2):
        label = ws.cell(row=row, column=1, value=setting.label)
        if setting.required:
            label.font = Font(bold=True)
        if setting.note:
            label.comment = Comment(setting.note, "toolkit", width=240, height=60)
        value = values.get(setting.label)
        cell = ws.cell(row=row, column=2, value=_typed(value, setting.kind))
        if setting.kind == DATE:
            cell.number_format = "dd/mm/yyyy"
        if isinstance(value, str) and "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _fill_wording(ws: Any, preset: Preset) -> None:
    """Every phrase of the documents with the text this campaign uses, ready to be edited."""
    fill_phrases(ws, wording.phrases(), wording.layered(preset.wording))


def fill_phrases(ws: Any, phrases: dict[str, wording.Phrase], texts: dict[str, str]) -> None:
    """A ``Câu chữ`` tab: each phrase's key, what it is for, and its text."""
    from openpyxl.styles import Alignment

    for row, phrase in enumerate(phrases.values(), start=2):
        ws.cell(row=row, column=1, value=phrase.key)
        ws.cell(row=row, column=2, value=phrase.label)
        cell = ws.cell(row=row, column=3, value=texts[phrase.key] or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _typed(value: Any, kind: str) -> Any:
    """A value from the data files as the cell should hold it: ``dd/mm/yyyy`` text becomes a date."""
    if kind == DATE and isinstance(value, str):
        return parse_date(value)
    return value


def fill_records(ws: Any, tab: Tab, records: list[dict[str, Any]]) -> None:
    """Rows given by header name (any spelling the reader accepts), written under the matching columns."""
    header = [c.value for c in ws[1]]
    for r, record in enumerate(records, start=2):
        for name, value in record.items():
            column = tab.match(name)
            if column is None:
                raise KeyError(f"{tab.name}: no column {name!r}")
            col = next(i for i, h in enumerate(header, start=1) if tab.match(str(h)) is column)
            if value is not None and value != "":
                ws.cell(row=r, column=col, value=_typed(value, column.kind))


def _formats(book: Any) -> None:
    """Dropdowns fed from ``Danh mục``, date formats and whole-number checks below each header."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = quote_tab(LISTS.name)
    last = DATA_ROWS + 1

    def letter(tab: Tab, key: str) -> str:
        return col_to_letters(tab.columns.index(tab.column(key)) + 1)

    for tab, key, list_key, rows in DROPDOWNS:
        source = letter(LISTS, list_key)
        rule = DataValidation(
            type="list", formula1=f"{lists}!${source}$2:${source}${rows}", allow_blank=True, showErrorMessage=False
        )
        col = letter(tab, key)
        rule.add(f"{col}2:{col}{last}")
        book[tab.name].add_data_validation(rule)
    for tab in (ACTIVITIES, CITATIONS, FIGURES, MESSAGES_TAB):
        ws = book[tab.name]
        for index, column in enumerate(tab.columns, start=1):
            col = col_to_letters(index)
            if column.kind == DATE:
                for row in range(2, last + 1):
                    ws[f"{col}{row}"].number_format = "dd/mm/yyyy"
            elif column.kind in (COUNT, MONEY, INTEGER):
                rule = DataValidation(
                    type="whole",
                    operator="greaterThanOrEqual",
                    formula1="0",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Số không hợp lệ",
                    error="Nhập số nguyên không âm.",
                )
                rule.add(f"{col}2:{col}{last}")
                ws.add_data_validation(rule)
                if column.kind == MONEY:
                    for row in range(2, last + 1):
                        ws[f"{col}{row}"].number_format = "#,##0"


def save_workbook(
    path: str | os.PathLike[str],
    preset: Preset | str | None = None,
    *,
    filled: bool = False,
    year: int | None = None,
    level: str | None = None,
    keep_history: bool = True,
) -> Path:
    """Write a workbook (see ``build_workbook``) to ``path`` atomically and return the path.

    A different file already at ``path`` is kept in ``history/`` beside it unless ``keep_history`` is off.
    """

    path = Path(path)
    write_file(
        path, workbook_bytes(build_workbook(preset, filled=filled, year=year, level=level)), keep_history=keep_history
    )
    return path


def workbook_bytes(book: Any) -> bytes:
    """An openpyxl workbook as ``.xlsx`` bytes that depend on its content only.

    openpyxl stamps the moment of saving into ``docProps/core.xml`` (``modified``) and into every zip entry;
    both are set back: the workbook's own fixed time, and the fixed time of the documents' packages.
    """

    from openpyxl.xml.functions import tostring

    modified = book.properties.modified
    buffer = io.BytesIO()
    book.save(buffer)
    book.properties.modified = modified
    with zipfile.ZipFile(buffer) as package:
        parts = {info.filename: package.read(info.filename) for info in package.infolist()}
    parts["docProps/core.xml"] = tostring(book.properties.to_tree())
    return stable_zip(parts)


def write_templates(folder: str | os.PathLike[str]) -> list[Path]:
    """Write both files of ``sheet_templates/`` into ``folder``."""
    folder = Path(folder)
    return [
        save_workbook(folder / BLANK_NAME, keep_history=False),
        save_workbook(folder / EXAMPLE_NAME, filled=True, keep_history=False),
    ]


if __name__ == "__main__":
    for written in write_templates(Path(__file__).resolve().parents[2] / "sheet_templates"):
        print(written)

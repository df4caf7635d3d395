"""A new roll-up list (``toolkit init --rollup``), and with ``--example`` a commune's list with its schools.

The example is a ward or commune People's Committee collecting the Action Month for Children reports of
six schools (two kindergartens, two primary schools, a combined primary and lower-secondary school and a
lower-secondary school), each school's workbook made from the campaign preset's example and scaled to
the school's size, written next to the list in ``truong/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..authoring.templates import (
    FIXED_TIME,
    build_workbook,
    fill_guide,
    fill_phrases,
    fill_records,
    fill_settings,
    header_row,
    workbook_bytes,
)
from ..output.write import Written, write_file
from ..workbook import campaigns, wording
from ..workbook.campaigns import Preset
from ..workbook.names import in_sentence
from ..workbook.schema import ACTIVITIES, CONTENT, COUNT, FIGURES, GUIDE, MONEY, ROLLUP_TABS, SETTINGS, UNITS, WORDING
from ..workbook.settings import ROLLUP_SETTING_KEYS

EXAMPLE_PRESET = "thang-hanh-dong-vi-tre-em"
LIST_NAME = "danh-sach-don-vi.xlsx"
GUIDE_LINES = (
    "DANH SÁCH ĐƠN VỊ ĐỂ TỔNG HỢP BÁO CÁO",
    '1. Trang "Thông tin": thông tin của cơ quan tổng hợp (tên, số và ngày báo cáo, người ký) và đợt, năm cần '
    "tổng hợp. Chỉ sổ của đơn vị ghi đúng Tên đợt và Năm này mới được tổng hợp.",
    '2. Trang "Đơn vị": mỗi đơn vị một dòng. Cột "Nguồn" là đường dẫn Google Sheet của đơn vị (chia sẻ quyền '
    "xem cho tài khoản dịch vụ) hoặc tệp .xlsx, tính từ thư mục của danh sách này; để trống khi đơn vị chưa gửi.",
    '3. Trang "Nội dung" (tùy chọn): Ưu điểm, Hạn chế, Nguyên nhân, Đề xuất, kiến nghị của cơ quan tổng hợp.',
    '4. Trang "Câu chữ": mọi câu cố định của Báo cáo tổng hợp; sửa cột "Câu chữ" nếu muốn viết khác.',
    "Chạy: toolkit rollup <danh sách> để ra Báo cáo tổng hợp (.docx) và bảng từng đơn vị (.xlsx) trong output/.",
)


@dataclass(frozen=True)
class ExampleSchool:
    """One school of the example: names, level, group in the list, and its size against the preset's example."""

    unit: str
    abbr: str
    level: str
    group: str
    scale: float


EXAMPLE_SCHOOLS = (
    ExampleSchool("TRƯỜNG MẦM NON HOA MAI", "MNHM", "Mầm non", "Mầm non", 0.3),
    ExampleSchool("TRƯỜNG MẦM NON SƠN CA", "MNSC", "Mầm non", "Mầm non", 0.25),
    ExampleSchool("TRƯỜNG TIỂU HỌC TÂN PHÚ", "THTP", "Tiểu học", "Tiểu học", 0.8),
    ExampleSchool("TRƯỜNG TIỂU HỌC KIM ĐỒNG", "THKD", "Tiểu học", "Tiểu học", 0.7),
    ExampleSchool("TRƯỜNG TH VÀ THCS LÊ LỢI", "THCSLL", "Liên cấp", "THCS", 1.0),
    ExampleSchool("TRƯỜNG THCS TÂN PHÚ", "THCSTP", "THCS", "THCS", 0.9),
)
EXAMPLE_OFFICE = {
    "Cơ quan chủ quản": "",
    "Đơn vị": "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ",
    "Viết tắt đơn vị": "UBND",
    "Địa danh": "Tân Phú",
    "Số báo cáo": 118,
    "Ngày báo cáo": "08/07/2026",
    "Nơi nhận báo cáo": "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp",
    "Chức vụ người ký": "PHÓ CHỦ TỊCH",
    "Thẩm quyền ký": "KT.",
    "Chức vụ thủ trưởng": "CHỦ TỊCH",
    "Người ký": "Nguyễn Thị Lan",
}


def build_list(preset: Preset | None = None, *, year: int | None = None, example: bool = False) -> Any:
    """The roll-up list laid out for ``preset`` and ``year`` (tabs, headers, notes, the office's settings);
    with ``example``, filled with the example commune and its schools (their files in ``truong/``)."""
    from openpyxl import Workbook

    preset = preset or (campaigns.find(EXAMPLE_PRESET) if example else campaigns.blank())
    if preset is None:
        raise LookupError(EXAMPLE_PRESET)
    values: dict[str, Any] = {"Tên đợt": preset.name or None}
    year = year or (preset.example.get(SETTINGS.name, {}).get("Năm") if example else None)
    if year:
        values["Năm"] = year
        values["Từ ngày"], values["Đến ngày"] = preset.dates(int(year))
    if example:
        values.update(EXAMPLE_OFFICE)
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "toolkit"
    book.properties.created = book.properties.modified = FIXED_TIME
    level = wording.default_level()
    for tab in ROLLUP_TABS:
        header_row(book.create_sheet(tab.name), tab, level)
    fill_guide(book[GUIDE.name], GUIDE_LINES)
    fill_settings(book[SETTINGS.name], values, ROLLUP_SETTING_KEYS)
    phrases = wording.rollup_phrases()
    fill_phrases(book[WORDING.name], phrases, {key: phrase.text for key, phrase in phrases.items()})
    if example:
        fill_records(
            book[UNITS.name],
            UNITS,
            [
                {
                    "STT": i,
                    "Tên đơn vị": in_sentence(school.unit),
                    "Viết tắt": school.abbr,
                    "Nguồn": f"truong/{school.abbr}.xlsx",
                    "Email": f"{school.abbr.lower()}@example.edu.vn",
                    "Nhóm": school.group,
                }
                for i, school in enumerate(EXAMPLE_SCHOOLS, start=1)
            ],
        )
        fill_records(
            book[CONTENT.name],
            CONTENT,
            [{"Phần": "Đề xuất, kiến nghị", "Nội dung": "Các trường tiếp tục duy trì lớp dạy bơi cho học sinh."}],
        )
    book.active = book.sheetnames.index(UNITS.name if example else GUIDE.name)
    return book


def school_workbook(preset: Preset, school: ExampleSchool, office: str) -> Any:
    """One example school's workbook: the preset's example, renamed to the school and scaled to its size."""

    school_settings = {
        "Đơn vị": school.unit,
        "Viết tắt đơn vị": school.abbr,
        "Nơi nhận báo cáo": office,
        "Người nhận báo cáo": None,  # the preset's example names a contact at its own office
    }
    book = build_workbook(preset, filled=True, level=school.level, settings=school_settings)
    for tab in (ACTIVITIES, FIGURES):
        ws = book[tab.name]
        numbers = [c.column for c in ws[1] if (col := tab.match(str(c.value or ""))) and col.kind in (COUNT, MONEY)]
        for row in range(2, ws.max_row + 1):
            for number in numbers:
                cell = ws.cell(row=row, column=number)
                if isinstance(cell.value, int) and cell.value:
                    cell.value = max(1, round(cell.value * school.scale))
    return book


def write_example(path: Path, kept: list[Written] | None = None) -> list[Path]:
    """Write the example list at ``path`` and its schools' workbooks in ``truong/`` beside it; return them all.
    What replaced an earlier, different file is added to ``kept`` (where that file went in ``history/``)."""
    preset = campaigns.find(EXAMPLE_PRESET)
    if preset is None:
        raise LookupError(EXAMPLE_PRESET)
    replaced = kept if kept is not None else []
    written = [_save(path, build_list(preset, example=True), replaced)]
    office = in_sentence(str(EXAMPLE_OFFICE["Đơn vị"]))
    for school in EXAMPLE_SCHOOLS:
        target = path.parent / "truong" / f"{school.abbr}.xlsx"
        written.append(_save(target, school_workbook(preset, school, office), replaced))
    return written


def _save(path: Path, book: Any, kept: list[Written]) -> Path:
    done = write_file(path, workbook_bytes(book))
    if done.kept:
        kept.append(done)
    return path

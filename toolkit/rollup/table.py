"""The per-school table, declared once: its columns in the consolidated report's Phụ lục I and in the
office's working copy (``.xlsx``: typed cells, frozen header, autofilter, a totals sheet).

Schools are sorted by group, then name; only counted schools carry figures (the others say why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..schema import PEOPLE
from ..text import fold
from ..vnformat import thousands
from ..wording import Words
from .figures import Figures
from .gather import SchoolResult

Value = Callable[[SchoolResult, Figures], object]


@dataclass(frozen=True)
class Col:
    """One column of the per-school table: header, value, and its width in the report (None: workbook only)."""

    header: str
    value: Value
    number: bool = True  # a count or amount (right-aligned, summed in the totals row)
    report_cm: float | None = None
    width: int = 12  # characters, in the workbook


def _people(key: str, sex: int) -> Value:
    return lambda r, f: f.people[key][sex]


COLUMNS: tuple[Col, ...] = (
    Col("Đơn vị", lambda r, f: r.entry.name or r.unit, number=False, report_cm=4.2, width=40),
    Col("Viết tắt", lambda r, f: r.entry.abbr, number=False, width=12),
    Col("Nhóm", lambda r, f: r.entry.group, number=False, report_cm=1.9, width=16),
    Col("Số hoạt động", lambda r, f: f.activities, width=12),
    Col("Hoạt động đã thực hiện", lambda r, f: f.done, report_cm=1.7, width=14),
    *(
        Col(f"{label} {sex_label}", _people(key, sex), width=12)
        for key, label in zip(PEOPLE, ("CB-GV-NV", "Người học", "Cha mẹ"), strict=True)
        for sex, sex_label in ((0, "nam"), (1, "nữ"))
    ),
    Col("Nam", lambda r, f: f.male, report_cm=1.5, width=10),
    Col("Nữ", lambda r, f: f.female, report_cm=1.5, width=10),
    Col("Băng rôn, khẩu hiệu", lambda r, f: f.banners, report_cm=1.6, width=12),
    Col("Tin bài", lambda r, f: f.news, report_cm=1.3, width=10),
    Col("Kinh phí đã chi (đồng)", lambda r, f: f.money, report_cm=2.4, width=16),
    Col("Kinh phí dự kiến (đồng)", lambda r, f: f.money_planned, width=16),
)
REPORT_COLUMNS = tuple(c for c in COLUMNS if c.report_cm)


def ordered(results: list[SchoolResult]) -> list[SchoolResult]:
    """Schools by group, then name (as Vietnamese sorts without diacritics), then list row."""
    return sorted(results, key=lambda r: (fold(r.entry.group), fold(r.entry.name or r.unit), r.entry.row))


def status_text(r: SchoolResult, w: Words) -> str:
    """``Hợp lệ``, ``Còn lỗi``, ``Chưa báo cáo`` … in the report's words."""
    return w(f"th.tinh_trang.{r.status}")


def report_table(
    results: list[SchoolResult], totals: Figures, w: Words
) -> tuple[list[str], list[tuple[str, ...]], tuple[str, ...], list[float], list[str], float]:
    """Phụ lục I: header, one row per school, the totals row, widths (cm), alignments and type size."""
    header = ["STT", *(c.header for c in REPORT_COLUMNS), "Ghi chú"]
    rows = []
    for i, r in enumerate(ordered(results), start=1):
        if r.counted and r.figures is not None:
            f = r.figures
            cells = [thousands(_int(c.value(r, f))) if c.number else str(c.value(r, f)) for c in REPORT_COLUMNS]
            note = status_text(r, w) if r.warnings else ""
        else:
            cells = [str(c.value(r, Figures())) if not c.number else "" for c in REPORT_COLUMNS]
            note = status_text(r, w)
        rows.append((str(i), *cells, note))
    total = ["", "Tổng cộng"]
    for c in REPORT_COLUMNS[1:]:
        total.append(thousands(_int(c.value(_NO_SCHOOL, totals))) if c.number else "")
    aligns = ["center", *("right" if c.number else "left" for c in REPORT_COLUMNS), "left"]
    numbers = [a == "right" for a in aligns]
    widths, size = fit(header, [*rows, (*total, "")], numbers, name_column=1)
    return header, rows, (*total, ""), widths, aligns, size


def fit(
    header: list[str], rows: list[tuple[str, ...]], numbers: list[bool], name_column: int
) -> tuple[list[float], float]:
    """Column widths (cm) that hold every number on one line and every word whole, at the largest type size
    that lets them (11 pt, else 10, else 9); the name column takes what is left.

    A figure summed over hundreds of schools (``1.204.350``, ``323.900.000``) must never wrap inside its cell.
    """
    from ..documents import styles as st
    from ..documents.layout import TEXT_WIDTH
    from ..documents.metrics import text_width_pt

    margin = 2 * 85 / 20 + 2  # the cell's left and right margins (85 twips each) and a little air, in points
    room = TEXT_WIDTH / 20
    sizes = st.CELL_SIZES[1:]  # 11 pt, then the smaller sizes the package has styles for
    for size in sizes:
        needs = []
        for i, title in enumerate(header):
            words = [text_width_pt(word, size, bold=True) for word in title.split()]
            cells = [row[i] for row in rows if row[i]]
            if numbers[i] or i == 0:  # a number stays on one line (bold in the totals row)
                values = [text_width_pt(text, size, bold=True) for text in cells]
            else:  # text may wrap between words, never inside one
                values = [text_width_pt(word, size) for text in cells for word in text.split()]
            needs.append(max([*words, *values, 0.0]) + margin)
        spare = room - sum(needs)
        if spare >= 0 or size == sizes[-1]:
            needs[name_column] += max(spare, 0.0)
            return [need / 72 * 2.54 for need in needs], size
    raise AssertionError("unreachable")


def table_bytes(results: list[SchoolResult], totals: Figures, w: Words, title: str, when: dt.datetime) -> bytes:
    """The office's working copy: sheet ``Đơn vị`` (one typed row per school, frozen header, autofilter,
    one column per activity group and per other figure) and sheet ``Tổng cộng``; the same bytes for the same
    results."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ..templates import workbook_bytes

    groups, others = list(totals.groups), list(totals.other)
    extra: list[Col] = [
        *(Col(g, _named("groups", g), width=14) for g in groups),
        *(Col(o, _named("other", o), width=14) for o in others),
    ]
    tail = (
        Col("Tình trạng", lambda r, f: status_text(r, w), number=False, width=16),
        Col("Số lỗi", lambda r, f: r.errors, width=8),
        Col("Số cảnh báo", lambda r, f: r.warnings, width=10),
        Col("Chi tiết", lambda r, f: r.reason.text() if r.reason else "", number=False, width=50),
        Col("Nguồn", lambda r, f: r.entry.source.label if r.entry.source else "", number=False, width=50),
        Col("Email", lambda r, f: r.entry.email, number=False, width=28),
        Col("Dòng trong danh sách", lambda r, f: r.entry.row, width=10),
    )
    columns = [*COLUMNS, *extra, *tail]
    book = Workbook()
    book.properties.creator = "toolkit"
    book.properties.title = title
    book.properties.created = book.properties.modified = when.replace(tzinfo=None)
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append([c.header for c in columns])
    for r in ordered(results):
        counted = r.counted and r.figures is not None
        f = r.figures if counted and r.figures is not None else Figures()
        sheet.append([_cell(c, r, f, counted) for c in columns])
    for i, c in enumerate(columns, start=1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = c.width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(results) + 1}"
    summary = book.create_sheet("Tổng cộng")
    summary.append(["Chỉ tiêu", "Tổng cộng"])
    for c in (*COLUMNS[3:], *extra):
        summary.append([c.header, _int(c.value(_NO_SCHOOL, totals))])
    summary.column_dimensions["A"].width = 50
    summary.cell(row=1, column=1).font = summary.cell(row=1, column=2).font = Font(bold=True)
    return workbook_bytes(book)


def _cell(c: Col, r: SchoolResult, f: Figures, counted: bool) -> Any:
    if c.number and not counted and c.header not in ("Số lỗi", "Số cảnh báo", "Dòng trong danh sách"):
        return None
    value = c.value(r, f)
    return value if value != "" else None


def _named(attr: str, name: str) -> Value:
    """The value of a school's activity group (``groups``) or other figure (``other``) of that name."""
    key = fold(name)
    return lambda r, f: sum(v for k, v in getattr(f, attr).items() if fold(k) == key)


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


class _NoSchool:
    """Stands for "no school" where a column's value reads only the figures (the totals row)."""

    entry = None
    unit = ""


_NO_SCHOOL: Any = _NoSchool()

"""The per-school table, declared once: its columns in the consolidated report's Phụ lục I and in the
office's working copy (``.xlsx``: typed cells, frozen header, autofilter, a totals sheet).

Schools are sorted by group, then name; only counted schools carry figures (the others say why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..authoring.templates import workbook_bytes
from ..core.text import fold
from ..core.vnformat import thousands
from ..documents import glue
from ..documents import styles as st
from ..documents.metrics import text_width_pt
from ..documents.page import TEXT_WIDTH
from ..workbook.problems import ERROR
from ..workbook.schema import PEOPLE
from ..workbook.wording import Words, level_rank, revealed_level
from .figures import Figures
from .gather import SchoolResult

Figure = Callable[[Figures], int]  # a figure of a school's report (summed over schools in the totals)
About = Callable[[SchoolResult], object]  # what the list or the check says of a school


@dataclass(frozen=True)
class Col:
    """One column of the per-school table: its header, either a ``figure`` of the school's report or what is
    known ``about`` the school, whether Phụ lục I shows it, and its width in the workbook (characters)."""

    header: str
    figure: Figure | None = None
    about: About | None = None
    in_report: bool = False
    width: int = 12

    def value(self, r: SchoolResult, f: Figures) -> object:
        """The cell of school ``r`` whose figures are ``f``."""
        if self.figure is not None:
            return self.figure(f)
        return self.about(r) if self.about is not None else None


def _people(key: str, sex: int) -> Figure:
    return lambda f: f.people[key][sex]


COLUMNS: tuple[Col, ...] = (
    Col("Đơn vị", about=lambda r: r.entry.name or r.unit, in_report=True, width=40),
    Col("Viết tắt", about=lambda r: r.entry.abbr),
    Col("Nhóm", about=lambda r: group_of(r), in_report=True, width=16),
    Col("Số hoạt động", lambda f: f.activities),
    Col("Hoạt động đã thực hiện", lambda f: f.done, in_report=True, width=14),
    *(
        Col(f"{label} {sex_label}", _people(key, sex))
        for key, label in zip(PEOPLE, ("CB-GV-NV", "Người học", "Cha mẹ"), strict=True)
        for sex, sex_label in ((0, "nam"), (1, "nữ"))
    ),
    Col("Nam", lambda f: f.male, in_report=True, width=10),
    Col("Nữ", lambda f: f.female, in_report=True, width=10),
    Col("Băng rôn, khẩu hiệu", lambda f: f.banners, in_report=True),
    Col("Tin bài", lambda f: f.news, in_report=True, width=10),
    Col("Kinh phí đã chi (đồng)", lambda f: f.money, in_report=True, width=16),
    Col("Kinh phí dự kiến (đồng)", lambda f: f.money_planned, width=16),
)
REPORT_COLUMNS = tuple(c for c in COLUMNS if c.in_report)


def group_of(r: SchoolResult) -> str:
    """The school's group: its ``Nhóm`` in the list, or when blank its level (its workbook's ``Cấp học``, or
    what its name shows: ``Trường TH và THCS …`` is Liên cấp), or nothing when neither says."""
    if r.entry.group:
        return r.entry.group
    if r.figures is not None and r.figures.levels:
        return r.figures.levels[0]
    level = revealed_level(r.unit or r.entry.name)
    return level.name if level is not None else ""


def _level_rank(group: str) -> int | None:
    """Where a group naming a level comes in ``levels.json``'s order: by its name or marker (``THCS``), or by
    the level its words show (``TH&THCS`` is Liên cấp, as a school's name is read)."""
    rank = level_rank(group)
    if rank is None and (level := revealed_level(group)) is not None:
        rank = level_rank(level.name)
    return rank


def ordered(results: list[SchoolResult]) -> list[SchoolResult]:
    """Schools by group (``group_of``), then name (as Vietnamese sorts without diacritics), then list row.
    Groups naming a level come in the order of levels (Mầm non, Tiểu học, Liên cấp, THCS, THPT…), the others
    after them in the order the list first names them."""
    first_seen: dict[str, int] = {}
    for r in sorted(results, key=lambda r: r.entry.row):
        first_seen.setdefault(fold(group_of(r)), len(first_seen))

    def group_rank(group: str) -> tuple[int, int]:
        rank = _level_rank(group) if group else None
        return (0, rank) if rank is not None else (1, first_seen[fold(group)])

    return sorted(results, key=lambda r: (group_rank(group_of(r)), fold(r.entry.name or r.unit), r.entry.row))


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
        figures = r.figures if r.counted else None  # a school not counted shows no figure, only why
        cells = [
            str(c.about(r)) if c.about else thousands(c.figure(figures)) if c.figure and figures else ""
            for c in REPORT_COLUMNS
        ]
        note = status_text(r, w) if not figures else ""  # why a school is not counted; warnings are the school's
        rows.append((str(i), *cells, note))
    total = ["", glue.TOTAL, *(thousands(c.figure(totals)) if c.figure else "" for c in REPORT_COLUMNS[1:])]
    aligns = ["center", *("right" if c.figure else "left" for c in REPORT_COLUMNS), "left"]
    numbers = [a == "right" for a in aligns]
    widths, size = fit(header, [*rows, (*total, "")], numbers, name_column=1)
    return header, rows, (*total, ""), widths, aligns, size


def fit(
    header: list[str],
    rows: list[tuple[str, ...]],
    numbers: list[bool],
    name_column: int,
    *,
    spread: bool = False,
) -> tuple[list[float], float]:
    """Column widths (cm) that hold every number on one line and every word whole, at the largest type size
    that lets them (11 pt, else 10, else 9); the name column takes what is left. With ``spread``, what is left
    goes first to the name column, until its longest name takes two lines, then to every text column in
    proportion to what its longest cell lacks (a table of words: no name wrapping on five lines beside a
    wide column of e-mail addresses).

    A figure summed over hundreds of schools (``1.204.350``, ``323.900.000``) must never wrap inside its cell.
    """

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
            else:  # text may wrap between words, never inside one (but an address or a link may)
                values = [_word_need(word, size) for text in cells for word in text.split()]
            needs.append(max([*words, *values, 0.0]) + margin)
        spare = room - sum(needs)
        lines = _lines(rows, name_column, size, needs[name_column] + max(spare, 0.0) - margin)
        if (spare >= 0 and lines <= NAME_LINES) or size == sizes[-1]:
            if spread and spare > 0:
                spare = _spread(needs, _natural(header, rows, numbers, size, margin), name_column, spare)
            needs[name_column] += max(spare, 0.0)
            return [need / 72 * 2.54 for need in needs], size
    raise AssertionError("unreachable")


LINK_ROOM = 16  # characters of a long address or link per line: it may wrap anywhere, a word may not
WHOLE_ADDRESS = 32  # an e-mail address this long or shorter is never broken (``sonca@cantho.edu.`` / ``vn``)
NAME_LINES = 3  # a school's name takes at most this many lines of Phụ lục I, the type made smaller if need be


def _word_need(word: str, size: float) -> float:
    """The width a word needs on one line: an e-mail address whole (a long one, or a link, wraps, so it needs
    only ``LINK_ROOM`` characters' width); a word joined by hyphens (``GDNN-GDTX``) may break after one."""
    if "@" in word and len(word) <= WHOLE_ADDRESS:
        return text_width_pt(word, size)
    if "@" in word or "://" in word or len(word) >= 25:
        word = word[:LINK_ROOM]
    parts = [part + "-" for part in word.split("-")[:-1]] + [word.split("-")[-1]]
    return max(text_width_pt(part, size) for part in parts)


def _lines(rows: list[tuple[str, ...]], column: int, size: float, width: float) -> int:
    """About how many lines the longest text of ``column`` takes in ``width`` points at ``size`` (words wrapped
    whole)."""
    most = 1
    for row in rows:
        count, used = 1, 0.0
        for word in row[column].split():
            need = text_width_pt(word, size)
            space = text_width_pt(" ", size) if used else 0.0
            if used and used + space + need > width:
                count, used = count + 1, need
            else:
                used += space + need
        most = max(most, count)
    return most


def _natural(
    header: list[str], rows: list[tuple[str, ...]], numbers: list[bool], size: float, margin: float
) -> list[float]:
    """Each column's width with its longest cell on one line (points)."""

    return [
        max([text_width_pt(row[i], size, bold=numbers[i]) for row in rows if row[i]] + [0.0]) + margin
        for i in range(len(header))
    ]


def _spread(needs: list[float], natural: list[float], name_column: int, spare: float) -> float:
    """Widen ``needs`` in place toward ``natural``: the name column first, until its longest name takes two
    lines, then every text column in proportion to what it lacks; return the spare left."""
    two_lines = natural[name_column] / 2 + 6  # half the name and the cell's margins
    grow = min(spare, max(two_lines - needs[name_column], 0.0))
    needs[name_column] += grow
    spare -= grow
    lacks = {i: natural[i] - needs[i] for i in range(len(needs)) if natural[i] > needs[i]}
    if not lacks or spare <= 0:
        return spare
    share = min(1.0, spare / sum(lacks.values()))
    for i, lack in lacks.items():
        needs[i] += lack * share
        spare -= lack * share
    return spare


def table_bytes(results: list[SchoolResult], totals: Figures, w: Words, title: str, when: dt.datetime) -> bytes:
    """The office's working copy: sheet ``Đơn vị`` (one typed row per school, frozen header, autofilter,
    one column per activity group and per other figure) and sheet ``Tổng cộng``; the same bytes for the same
    results."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    groups, others = list(totals.groups), list(totals.other)
    extra: list[Col] = [
        *(Col(g, _named("groups", g), width=14) for g in groups),
        *(Col(o, _named("other", o), width=14) for o in others),
    ]
    tail = (
        Col("Tình trạng", about=lambda r: status_text(r, w), width=16),
        Col("Số lỗi", about=lambda r: r.errors, width=8),
        Col("Số cảnh báo", about=lambda r: r.warnings, width=10),
        Col("Chi tiết", about=lambda r: r.reason.text() if r.reason else "", width=50),
        Col("Nguồn", about=lambda r: r.entry.shown, width=50),
        Col("Email", about=lambda r: r.entry.email, width=28),
        Col("Dòng trong danh sách", about=lambda r: r.entry.row, width=10),
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
        figures = r.figures if r.counted else None  # a school not counted has empty figure cells
        sheet.append([_cell(c, r, figures) for c in columns])
    for i, c in enumerate(columns, start=1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = c.width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(results) + 1}"
    summary = book.create_sheet(glue.TOTAL)
    summary.append(["Chỉ tiêu", glue.TOTAL])
    for c in (*COLUMNS, *extra):
        if c.figure is not None:
            summary.append([c.header, c.figure(totals)])
    summary.column_dimensions["A"].width = 50
    summary.cell(row=1, column=1).font = summary.cell(row=1, column=2).font = Font(bold=True)
    _problems_sheet(book.create_sheet(PROBLEMS_SHEET), results)
    return workbook_bytes(book)


PROBLEMS_SHEET = "Lỗi của đơn vị"
PROBLEM_COLUMNS = (("Đơn vị", 40), ("Dòng trong danh sách", 10), ("Mức", 10), ("Trang", 14), ("Ô", 8))


def _problems_sheet(sheet: Any, results: list[SchoolResult]) -> None:
    """What each school must fix: one row per problem of its workbook (errors first), its tab, cell and message
    as ``toolkit check`` gives them; for the office's working copy only, never the official report."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([*(header for header, _ in PROBLEM_COLUMNS), "Nội dung"])
    for r in ordered(results):
        for p in r.problems:
            severity = "Lỗi" if p.severity == ERROR else "Cảnh báo"
            sheet.append([r.entry.name or r.unit, r.entry.row, severity, p.tab, p.cell, p.message()])
    for i, (_, width) in enumerate((*PROBLEM_COLUMNS, ("Nội dung", 90)), start=1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:F{sheet.max_row}"  # the header row is always there


def _cell(c: Col, r: SchoolResult, figures: Figures | None) -> Any:
    if c.figure is not None:
        return c.figure(figures) if figures is not None else None
    value = c.about(r) if c.about is not None else None
    return value if value != "" else None


def _named(attr: str, name: str) -> Figure:
    """A school's count of the activity group (``groups``) or other figure (``other``) of that name."""
    key = fold(name)
    return lambda f: sum(v for k, v in getattr(f, attr).items() if fold(k) == key)

"""The office's roll-up list: its own ``Thông tin`` and one ``Đơn vị`` row per school, checked at the cell.

Each row names a school and where its workbook is (a Google Sheet link, or a file whose relative path
starts from the list's own folder). A row without a source is a school that has not sent one yet.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import SourceError
from ..core.i18n import T
from ..core.text import fold
from ..core.values import display
from ..sources import GOOGLE, LOCAL, Source, resolve
from ..workbook.checker import Checker
from ..workbook.model import Paragraph, Settings
from ..workbook.problems import CheckReport, problem
from ..workbook.schema import ROLLUP_TABS, UNITS
from ..workbook.settings import ROLLUP_SETTING_KEYS
from ..workbook.tables import RawWorkbook, Record, Table, bind
from ..workbook.validate import read_content
from ..workbook.validate_settings import read_settings, read_wording
from ..workbook.wording import rollup_phrases

MAX_SCHOOLS = 5000  # schools one roll-up list may hold (docs/rollup.md): a larger office splits its list


@dataclass(frozen=True)
class Entry:
    """One school of the list: its row, names, where its workbook is (None: not sent yet) and contacts."""

    row: int
    name: str
    abbr: str = ""
    source: Source | None = None
    email: str = ""
    group: str = ""
    note: str = ""
    typed: str = ""  # the Nguồn as the list gives it (a Google link as typed, not ``gsheet:<ID>``)

    @property
    def shown(self) -> str:
        """Where the workbook is, as the list says it (blank: not sent yet)."""
        return (self.typed or self.source.label) if self.source is not None else ""


@dataclass
class RollupList:
    """The list as read: the office's settings and narrative, the schools, and the check of the list."""

    office: Settings
    entries: list[Entry]
    check: CheckReport
    content: dict[str, list[Paragraph]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # the office's own texts of the report's phrases


def read_list(raw: RawWorkbook, today: dt.date | None = None, base: Path | None = None) -> RollupList:
    """Bind and check a roll-up list; ``base`` is the folder relative school paths start from."""
    tables, problems = bind(raw, ROLLUP_TABS)
    units = tables.get(UNITS.name)
    if units is not None and len(units.records) > MAX_SCHOOLS:
        raise SourceError(
            T(
                (
                    'Danh sách {source} có {count} dòng ở trang "{tab}", quá giới hạn {limit} đơn vị của một lần '
                    "tổng hợp. Hãy chia thành nhiều danh sách (ví dụ theo nhóm) rồi tổng hợp từng danh sách."
                ),
                source=raw.label,
                count=len(units.records),
                tab=units.title,
                limit=MAX_SCHOOLS,
            )
        )
    checker = Checker(tables, today or dt.date.today())
    checker.problems.extend(problems)
    office = read_settings(checker, ROLLUP_SETTING_KEYS)
    _in_list_words(checker)
    content = read_content(checker, office)
    texts = read_wording(checker, rollup_phrases())
    entries = _entries(checker, base)
    if UNITS.name in tables and not entries:
        checker.add("no-schools", tables[UNITS.name], None, None)
    check = CheckReport(raw.label, checker.problems, {"schools": len(entries)})
    return RollupList(office, entries, check, content, texts)


def _in_list_words(c: Checker) -> None:
    """A list's settings said in a list's words: its ``Ngày báo cáo`` is the office's report's, and a list has
    no activities judged by that day (a school's ``bad-report-date`` says they are)."""
    for i, p in enumerate(c.problems):
        if p.code == "bad-report-date":
            reason = dict(p.params)["reason"]
            c.problems[i] = problem(
                "list-report-date", tab=p.tab, row=p.row, column=p.column, cell=p.cell, value=p.value, reason=reason
            )


def _entries(c: Checker, base: Path | None) -> list[Entry]:
    table = c.tables.get(UNITS.name)
    if table is None:
        return []
    entries: list[Entry] = []
    seen: dict[str, int] = {}  # the same workbook named twice is read once
    units: dict[tuple[str, str], int] = {}  # the same school named twice (its Viết tắt, or its name folded)
    for record in table.records:
        c.require(table, record, "name")
        name = display(record.values.get("name", ""))
        text = display(record.values.get("source", "")).strip()
        source = None
        if text:
            try:
                source = resolve(text)
            except SourceError:
                c.add("bad-source", table, record, "source", text)
            if (
                source is not None
                and source.kind == LOCAL
                and base is not None
                and not Path(source.value).is_absolute()
            ):
                source = Source(LOCAL, str(base / source.value), source.value)
            if source is not None:
                key = source.value if source.kind == GOOGLE else fold(_real(source.value))
                if key in seen:
                    c.add("duplicate-school", table, record, "source", text, first=seen[key])
                    continue
                seen[key] = record.row
        if not name and source is None:
            continue
        _same_unit(c, table, record, units)
        entries.append(
            Entry(
                record.row,
                name,
                display(record.values.get("abbr", "")),
                source,
                display(record.values.get("email", "")),
                display(record.values.get("group", "")),
                display(record.values.get("note", "")),
                text if source is not None else "",
            )
        )
    return entries


def _same_unit(c: Checker, table: Table, record: Record, units: dict[tuple[str, str], int]) -> None:
    """Warn at the cell when a row names a school an earlier row named (the same ``Viết tắt``, or the same
    ``Tên đơn vị`` folded): by another link or path its figures would be counted twice (the roll-up counts
    a unit once, by what its workbook says)."""
    for key in ("abbr", "name"):
        value = display(record.values.get(key, ""))
        if not fold(value):
            continue
        first = units.setdefault((key, fold(value)), record.row)
        if first != record.row:
            c.add("duplicate-unit", table, record, key, value, first=first)
            return


def _real(path: str) -> str:
    """Where ``path`` really is, to tell one workbook named twice; a link loop or an unreadable folder is
    compared as written (reading it later says what is wrong)."""
    try:
        return os.path.realpath(path)
    except (OSError, RuntimeError, ValueError):
        return os.path.abspath(path)

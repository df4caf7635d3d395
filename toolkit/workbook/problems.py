"""Validation problems as data: a stable code, a severity, a cell, and a message in Vietnamese and English.

A ``Problem`` says what is wrong and where; ``CheckReport`` collects them for one source, gives the
machine-readable form (``to_dict``) and a human rendering grouped by tab, errors first.
"""

from __future__ import annotations

import dataclasses
import functools
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.i18n import Message, translate
from ..core.strenum import StrEnum


class Severity(StrEnum):
    """How much a problem matters: an error stops the documents, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity


@dataclass(frozen=True)
class Rule:
    """A kind of problem: its code, severity and message template (Vietnamese, with ``str.format`` fields;
    translated through the catalogue of ``i18n``)."""

    code: str
    severity: Severity
    template: str


_RULES = (
    Rule("missing-tab", ERROR, 'Thiếu trang tính "{tab}".'),
    Rule("duplicate-tab", WARNING, 'Trang tính "{value}" trùng tên với "{tab}"; chỉ đọc trang "{tab}".'),
    Rule("missing-column", ERROR, 'Thiếu cột "{column}" ở dòng tiêu đề.'),
    Rule("duplicate-column", ERROR, 'Cột "{column}" xuất hiện hai lần (đã có ở ô {first}); chỉ dùng cột đầu.'),
    Rule("unknown-column", WARNING, 'Không nhận ra cột "{value}"; cột này được bỏ qua.'),
    Rule("unknown-setting", WARNING, 'Không nhận ra mục "{value}"; mục này được bỏ qua.'),
    Rule("missing-setting", ERROR, 'Chưa điền "{column}".'),
    Rule("bad-setting", ERROR, '"{column}" không hợp lệ: {reason}.'),
    Rule(
        "bad-email",
        ERROR,
        'Địa chỉ thư "{value}" trong "{column}" không hợp lệ: cần dạng ten@ten-mien.vn; các địa chỉ cách nhau'
        " bằng dấu ; hoặc xuống dòng (dấu phẩy cũng tách hai địa chỉ).",
    ),
    Rule("required-value", ERROR, 'Chưa điền "{column}".'),
    Rule("bad-date", ERROR, '"{value}" không phải ngày hợp lệ: {reason}.'),
    Rule("bad-report-date", ERROR, "Ngày báo cáo {value} {reason}: các hoạt động được xét theo ngày {sane}."),
    Rule(
        "citation-after-document",
        WARNING,
        "Văn bản được dẫn ban hành ngày {value}, sau ngày {document} ({date}) dẫn nó: kiểm tra lại ngày.",
    ),
    Rule(
        "duplicate-citation",
        WARNING,
        'Văn bản "{value}" đã được dẫn ở dòng {first}: văn bản chỉ ghi một lần; xóa một trong hai dòng.',
    ),
    Rule(
        "mailto-email",
        ERROR,
        'Địa chỉ thư "{value}" trong "{column}" có "mailto:" chép từ một liên kết: bỏ "mailto:", chỉ ghi {address}.',
    ),
    Rule("duplicate-recipient", WARNING, 'Nơi nhận "{value}" trùng với "{first}": chỉ ghi một lần.'),
    Rule(
        "level-unit-mismatch",
        WARNING,
        'Cấp học "{value}" khác cấp {revealed} mà tên đơn vị "{unit}" cho thấy: văn bản sẽ gọi người học là'
        ' "{learners}" theo Cấp học. Kiểm tra lại Cấp học hoặc tên đơn vị.',
    ),
    Rule("date-order", ERROR, '"{column}" ({value}) trước "{other}" ({other_value}).'),
    Rule("outside-campaign", WARNING, "Ngày {value} nằm ngoài thời gian của đợt ({start} – {end})."),
    Rule("stale-year", WARNING, "Ngày {value} không thuộc năm {year} của đợt: có phải chép từ năm cũ?"),
    Rule(
        "campaign-name-year",
        WARNING,
        'Tên đợt "{value}" ghi năm {named}, khác Năm {year} của sổ: văn bản ghi "{name}". Có phải chép từ năm cũ?',
    ),
    Rule("year-mismatch", ERROR, "Năm {value} không khớp thời gian của đợt ({start} – {end})."),
    Rule("bad-count", ERROR, '"{value}" không phải số nguyên không âm.'),
    Rule("bad-money", ERROR, '"{value}" không phải số tiền hợp lệ (đồng, số nguyên không âm).'),
    Rule("not-in-list", ERROR, '"{value}" không có trong danh mục "{column}"{hint}'),
    Rule("done-without-participants", WARNING, 'Hoạt động "{name}" đã thực hiện nhưng chưa có số người tham gia.'),
    Rule("done-without-evidence", WARNING, 'Hoạt động "{name}" đã thực hiện nhưng chưa có minh chứng.'),
    Rule(
        "done-in-future",
        WARNING,
        'Hoạt động "{name}" ghi đã thực hiện nhưng bắt đầu ngày {value}, sau {moment}.',
    ),
    Rule(
        "nothing-done",
        WARNING,
        'Đã đến ngày báo cáo {value} nhưng chưa có hoạt động nào "Đã thực hiện": báo cáo sẽ ghi đơn vị chưa hoàn'
        ' thành hoạt động nào (không có phụ lục). Nếu đã làm, sửa cột Trạng thái ở trang "{activities}".',
    ),
    Rule("still-planned", WARNING, 'Hoạt động "{name}" đã qua ngày ({value}) nhưng vẫn ở trạng thái "Kế hoạch".'),
    Rule(
        "in-progress",
        WARNING,
        (
            'Hoạt động "{name}" đã hết thời gian nhưng vẫn "{value}" vào ngày báo cáo '
            "{report_date}: báo cáo ghi là đang thực hiện, chưa tính vào kết quả. Nếu đã "
            'xong, đổi thành "Đã thực hiện".'
        ),
    ),
    Rule("duplicate-activity", WARNING, 'Hoạt động "{name}" ngày {value} trùng với dòng {first}.'),
    Rule("control-characters", WARNING, "Đã xóa ký tự điều khiển không hợp lệ trong ô."),
    Rule(
        "legacy-encoding",
        WARNING,
        'Văn bản gõ bằng bảng mã cũ {encoding} đã được chuyển sang Unicode: "{converted}". Hãy sửa lại ô cho đúng.',
    ),
    Rule(
        "write-back-failed",
        WARNING,
        'Không ghi được các lỗi vào trang "{tab}" của Google Sheet ({reason}); văn bản vẫn được tạo.',
    ),
    Rule(
        "cell-too-long",
        WARNING,
        "Ô dài tới giới hạn {limit} ký tự của một ô bảng tính: chỉ dùng {limit} ký tự đầu, phần sau (nếu có) bị bỏ.",
    ),
    Rule("doubled-phrase", WARNING, 'Cụm từ "{value}" bị lặp hai lần liền nhau.'),
    Rule("bad-flag", ERROR, '"{value}" không hợp lệ: ghi "x" (hoặc Có) cho nhóm không cần số người, hoặc để trống.'),
    Rule("unknown-phrase", WARNING, 'Không có câu nào mã "{value}"{hint} Dòng này được bỏ qua.'),
    Rule("bad-placeholder", ERROR, "Câu chữ dùng {{{names}}} không có; chỉ dùng được {allowed}."),
    Rule(
        "tm-person-title",
        WARNING,
        '"TM." (thay mặt) đứng trước tên tập thể, không phải chức vụ "{value}": ghi tên tập thể (ví dụ Ủy ban nhân '
        "dân, Hội đồng trường), còn chức vụ của người ký ghi ở Chức vụ người ký (Nghị định 30, Phụ lục I).",
    ),
    Rule("list-report-date", ERROR, "Ngày báo cáo tổng hợp {value} {reason}."),
    Rule("no-schools", ERROR, 'Trang "{tab}" chưa có đơn vị nào để tổng hợp.'),
    Rule("bad-source", ERROR, '"{value}" không phải đường dẫn Google Sheet hay tệp bảng tính.'),
    Rule("duplicate-school", WARNING, 'Nguồn "{value}" đã có ở dòng {first}: chỉ đọc và tính một lần.'),
    Rule(
        "duplicate-unit",
        WARNING,
        '"{value}" đã có ở dòng {first}: nếu là cùng một đơn vị, chỉ giữ một dòng (đơn vị chỉ được tính một lần).',
    ),
)
RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
# The fields each rule's template needs, so a problem built without one fails where it is built (a
# translation has the very same fields: tests/test_i18n.py checks that).
_FIELDS: dict[str, frozenset[str]] = {
    rule.code: frozenset(name for _, name, _, _ in string.Formatter().parse(rule.template) if name) for rule in _RULES
}


@dataclass(frozen=True)
class Problem:
    """One problem found in the workbook, with the cell it is about (any location part may be None)."""

    code: str
    tab: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: str | None = None
    params: tuple[tuple[str, str | Message], ...] = ()  # a Message is shown in the reader's language

    @property
    def severity(self) -> Severity:
        """``"error"`` or ``"warning"``, fixed by the code."""
        return RULES[self.code].severity

    @property
    def where(self) -> str:
        """The location as people write it: ``Hoạt động!E7``, or the tab, or empty."""
        if self.tab and self.cell:
            return f"{self.tab}!{self.cell}"
        return self.tab or ""

    def message(self, lang: str = "vi") -> str:
        """The message in ``lang`` (``vi`` or ``en``)."""
        rule = RULES[self.code]
        fields: dict[str, Any] = {"tab": self.tab, "column": self.column, "value": _quoted(self.value)}
        fields.update((k, v.text(lang) if isinstance(v, Message) else _quoted(v)) for k, v in self.params)
        return translate(rule.template, lang, rule.code).format_map(
            fields
        )  # a field the template needs and the problem lacks is a bug: KeyError

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON form of a problem (``docs/cli.md``)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "tab": self.tab,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": self.value,
            "message": self.message(lang),
        }


def _quoted(text: str | None) -> str | None:
    """A cell's text as a message quotes it: its own straight quotes made typographic (``“…”``), so that
    ``Hoạt động "Trồng cây "Vườn của bé""`` reads ``Hoạt động "Trồng cây “Vườn của bé”"``."""
    if not text or '"' not in text:
        return text
    parts = text.split('"')
    return "".join(part + ("“" if i % 2 == 0 else "”") for i, part in enumerate(parts[:-1])) + parts[-1]


def problem(
    code: str,
    *,
    tab: str | None = None,
    row: int | None = None,
    column: str | None = None,
    cell: str | None = None,
    value: object = None,
    **params: object,
) -> Problem:
    """Build a ``Problem``; extra keyword arguments fill the message template."""
    if code not in RULES:
        raise KeyError(f"unknown problem code {code!r}")
    missing = _FIELDS[code] - {"tab", "column", "value"} - params.keys()
    if missing:
        raise KeyError(f"problem {code!r} needs {sorted(missing)}")
    text = None if value is None else cap(str(value))
    kept = tuple(sorted((k, v if isinstance(v, Message) else cap(str(v))) for k, v in params.items()))
    return Problem(code, tab, row, column, cell, text, kept)


CAP = 200  # characters of a cell's value a problem carries: a message names the value, it does not copy it


@functools.lru_cache(maxsize=4096)  # a value repeated in many cells is one string in memory
def cap(text: str, limit: int = CAP) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


Key = tuple[str, str | None, str | None]  # a group's code, tab and column
LISTED = 10  # problems of one kind in one column listed cell by cell; the rest are counted (``Group``)


@dataclass
class Group:
    """Problems of one code in one column of one tab beyond the first ``LISTED``: counted, not listed."""

    code: str
    tab: str | None
    column: str | None
    listed: int = 0  # how many of them are in ``CheckReport.problems``
    more: int = 0  # how many more were found
    last: str | None = None  # the cell of the last one

    @property
    def key(self) -> Key:
        """What the group's problems share: code, tab, column."""
        return (self.code, self.tab, self.column)

    @property
    def severity(self) -> Severity:
        """The severity of the group's code."""
        return RULES[self.code].severity

    @property
    def count(self) -> int:
        """All problems of the group, listed or not."""
        return self.listed + self.more

    def message(self, lang: str = "vi") -> str:
        """``… cột "STT": thêm 4990 ô cùng lỗi này (cell-too-long), tới ô A5001; tổng 5000 ô.``"""
        if self.column is None:
            return translate(_LABELS["more"], lang).format(more=self.more, code=self.code, count=self.count)
        return translate(_LABELS["more_cells"], lang).format(
            more=self.more, column=self.column, code=self.code, last=self.last or "…", count=self.count
        )

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON form of a group (``docs/cli.md``)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "tab": self.tab,
            "column": self.column,
            "count": self.count,
            "listed": self.listed,
            "last_cell": self.last,
            "message": self.message(lang),
        }


class Problems(list[Problem]):
    """The problems of one source as they are found, bounded: of each code in each column of each tab the first
    ``LISTED`` are kept, the others only counted in their ``Group`` (``full`` says when a caller need not even
    build one: ``skip`` counts it)."""

    def __init__(self, items: Iterable[Problem] = ()) -> None:
        super().__init__()
        self.counted: dict[Key, Group] = {}
        self.extend(items)

    def full(self, code: str, tab: str | None, column: str | None) -> bool:
        """True when a problem of ``code`` at ``tab``/``column`` would only be counted."""
        group = self.counted.get((code, tab, column))
        return group is not None and group.listed >= LISTED

    def skip(self, code: str, tab: str | None, column: str | None, cell: str | None) -> None:
        """Count a problem that is not listed (``full`` said so)."""
        group = self.counted[(code, tab, column)]
        group.more += 1
        group.last = cell or group.last

    def append(self, p: Problem) -> None:
        """Keep ``p``, or only count it when its group is full."""
        group = self.counted.get((p.code, p.tab, p.column))
        if group is None:
            group = self.counted[(p.code, p.tab, p.column)] = Group(p.code, p.tab, p.column)
        if group.listed < LISTED:
            group.listed += 1
            super().append(p)
        else:
            self.skip(p.code, p.tab, p.column, p.cell)

    def extend(self, items: Iterable[Problem]) -> None:
        """Add each problem, and what ``items`` only counted when it is a ``Problems`` itself."""
        for p in items:
            self.append(p)
        for group in items.groups if isinstance(items, Problems) else ():
            mine = self.counted.setdefault(group.key, Group(group.code, group.tab, group.column))
            mine.more += group.more
            mine.last = group.last or mine.last

    def __iadd__(self, items: Iterable[Problem]) -> Problems:  # type: ignore[override,misc]
        self.extend(items)
        return self

    @property
    def groups(self) -> list[Group]:
        """The groups with problems only counted, in the order they were first found."""
        return [g for g in self.counted.values() if g.more]

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle: the list and its counts, rebuilt together
        return (_rebuilt, (list(self), [dataclasses.replace(g) for g in self.counted.values()]))


def _rebuilt(items: list[Problem], counted: list[Group]) -> Problems:
    """A ``Problems`` as ``__reduce__`` gave it."""
    problems = Problems()
    problems.counted = {g.key: g for g in counted}
    list.extend(problems, items)
    return problems


@dataclass
class CheckReport:
    """All problems found in one source, in the order they were found, plus statistics of the data.

    However many cells share a problem, the report stays small (``Problems``): a 5,000-cell column of too-long
    texts is ten problems listed and one group counting 4,990 more.
    """

    source: str
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.problems, Problems):
            self.problems = Problems(self.problems)

    @property
    def groups(self) -> list[Group]:
        """The problems only counted, one ``Group`` per code and column."""
        return self.problems.groups if isinstance(self.problems, Problems) else []

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity error (those listed)."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems of severity warning (those listed)."""
        return [p for p in self.problems if p.severity == WARNING]

    def count(self, severity: Severity) -> int:
        """How many problems of ``severity`` were found, listed or only counted."""
        listed = sum(1 for p in self.problems if p.severity == severity)
        return listed + sum(g.more for g in self.groups if g.severity == severity)

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON document of ``--format json`` (``docs/cli.md``)."""
        return {
            "source": self.source,
            "valid": self.valid,
            "counts": {"errors": self.count(ERROR), "warnings": self.count(WARNING)},
            "problems": [p.to_dict(lang) for p in self.problems],
            "groups": [g.to_dict(lang) for g in self.groups],
            "stats": self.stats,
        }


_LABELS = {
    ERROR: "LỖI",
    WARNING: "CẢNH BÁO",
    "none": "Không có lỗi hay cảnh báo.",
    "summary": "{errors} lỗi, {warnings} cảnh báo.",
    "general": "(chung)",
    "more_cells": '… cột "{column}": thêm {more} ô cùng lỗi này ({code}), tới ô {last}; tổng {count} ô.',
    "more": "… thêm {more} lỗi cùng loại này ({code}); tổng {count}.",
}
_COLOURS = {ERROR: "\x1b[31m", WARNING: "\x1b[33m"}


def render(report: CheckReport, lang: str = "vi", colour: bool = False) -> str:
    """Render the problems for people: grouped by tab, errors before warnings, one line each; of each code in
    each column the first ``LISTED`` cells, then one line counting the rest."""
    labels = {key: translate(text, lang) for key, text in _LABELS.items()}
    if not report.problems:
        return labels["none"]

    def label(severity: Severity) -> str:
        return f"{_COLOURS[severity]}{labels[severity]}\x1b[0m" if colour else labels[severity]

    tabs: dict[str, list[Problem]] = {}
    for p in report.problems:
        tabs.setdefault(p.tab or labels["general"], []).append(p)
    groups: dict[str, list[Group]] = {}
    for g in report.groups:
        groups.setdefault(g.tab or labels["general"], []).append(g)
    lines: list[str] = []
    for tab, items in tabs.items():
        lines.append(f"[{tab}]")
        for p in sorted(items, key=lambda p: (p.severity != ERROR, p.row or 0)):
            where = f"{p.cell}: " if p.cell else ""
            lines.append(f"  {label(p.severity)} {where}{p.message(lang)}")
        for g in sorted(groups.get(tab, []), key=lambda g: g.severity != ERROR):
            lines.append(f"  {label(g.severity)} {g.message(lang)}")
    lines.append(labels["summary"].format(errors=report.count(ERROR), warnings=report.count(WARNING)))
    return "\n".join(lines)

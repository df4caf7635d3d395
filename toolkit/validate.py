"""Parse and validate a bound workbook into a ``Campaign`` and a ``Report`` of every problem.

Every rule of ``docs/workbook.md`` lives here, each reported at the cell it is about. The campaign is
built even when there are errors (missing values left empty), so ``--force`` can still write documents.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from . import campaigns, wording
from .model import Activity, Campaign, Citation, Figure, Paragraph, Settings
from .problems import Problem, Report, problem
from .schema import (
    ACTIVITIES,
    AUTHORITIES,
    CITATION_USES,
    CITATIONS,
    CONTENT,
    CONTENT_PARTS,
    COUNT,
    DATE,
    DEFAULT_FORMS,
    DEFAULT_STATUSES,
    FIGURES,
    INTEGER,
    LISTS,
    MESSAGES,
    MONEY,
    NO_WORDS,
    PARTICIPANTS,
    SETTING_KEYS,
    SETTINGS,
    WORDING,
    YES_WORDS,
    find_setting,
)
from .tables import RawWorkbook, Record, Table, bind
from .text import closest, collapse, fold
from .values import display, parse_count, parse_date, parse_integer, parse_money

LIST_SETTINGS = frozenset({"report_to", "report_to_person"})  # settings holding one item per line
# Words before a date that make it a citation (a law, a decree, a numbered document), never a stale date.
_CITATION = re.compile(r"(?:\b(?:luật|nghị định|nghị quyết|thông tư|quyết định|chỉ thị|chương trình|chiến lược|"
                       r"pháp lệnh|hiến pháp)\b|\bsố\s*\S*\d\S*)[^.;\n]{0,80}$", re.IGNORECASE)

_ABBR = re.compile(r"^[A-ZĐ0-9]{1,20}$")
_TEXT_DATES = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
EARLY_DAYS = 60  # planning this many days before the campaign is normal
# How each kind of cell parses, and the problem code when it does not.
_PARSERS: dict[str, tuple[Callable[[object], object], str]] = {
    DATE: (parse_date, "bad-date"),
    COUNT: (parse_count, "bad-count"),
    INTEGER: (parse_integer, "bad-count"),
    MONEY: (parse_money, "bad-money"),
}


class _Checker:
    """Collects problems while reading the tables of one workbook."""

    def __init__(self, tables: dict[str, Table], today: dt.date) -> None:
        self.tables = tables
        self.today = today
        self.problems: list[Problem] = []

    def add(self, code: str, table: Table | None, record: Record | None, key: str | None,
            value: object = None, label: str | None = None, **params: object) -> None:
        """Report a problem at ``record``'s cell in column ``key``; ``label`` overrides the column name."""
        tab = table.title if table else None
        column = label or (table.header(key) if table and key else None)
        cell = table.cell(record, key) if table and record and key else None
        self.problems.append(problem(code, tab=tab, row=record.row if record else None, column=column,
                                     cell=cell, value=None if value is None else display(value), **params))

    def parse(self, table: Table, record: Record, key: str, kind: str) -> object:
        """The parsed value of one cell, or None (blank, or reported as a problem)."""
        value = record.values.get(key)
        if value is None:
            return None
        if kind not in _PARSERS:
            return display(value)
        parser, code = _PARSERS[kind]
        try:
            return parser(value)
        except (ValueError, OverflowError):
            self.add(code, table, record, key, value)
            return None

    def require(self, table: Table, record: Record, key: str) -> None:
        if key in table.columns and record.values.get(key) is None:
            self.add("required-value", table, record, key)

    def in_list(self, table: Table, record: Record, key: str, allowed: tuple[str, ...], list_name: str) -> str:
        """The allowed spelling of a list value, or the value as typed after reporting it."""
        value = record.values.get(key)
        if value is None:
            return ""
        text = display(value)
        by_key = _keys(allowed)
        if fold(text) in by_key:
            return by_key[fold(text)]
        near = closest(text, allowed)
        self.add("not-in-list", table, record, key, text, label=list_name or None, **_hint(near))
        return text

    def stale(self, table: Table, record: Record, key: str, date: dt.date | None, s: Settings,
              label: str | None = None) -> None:
        """Warn when ``date`` belongs to an earlier year (copied from last year's file) or to a far later one.

        A date of the previous year is normal only as preparation shortly before the campaign starts.
        """
        year = s.year
        if not date or not year:
            return
        earliest = (s.start or dt.date(year, 1, 1)) - dt.timedelta(days=EARLY_DAYS)
        if (date.year < year and date < earliest) or date.year > year + 1:
            self.add("stale-year", table, record, key, date, label=label, year=year)


@functools.lru_cache(maxsize=64)
def _keys(allowed: tuple[str, ...]) -> dict[str, str]:
    """Allowed list values by their matching key."""
    return {fold(choice): choice for choice in allowed}


def _hint(near: str | None) -> dict[str, str]:
    """Message fields suggesting the nearest allowed value."""
    if not near:
        return {"hint_vi": ".", "hint_en": "."}
    return {"hint_vi": f"; có phải \"{near}\"?", "hint_en": f"; did you mean \"{near}\"?"}


def validate(raw: RawWorkbook, today: dt.date | None = None) -> tuple[Campaign, Report]:
    """Read, parse and check a whole workbook; return the campaign model and the report."""
    tables, problems = bind(raw)
    checker = _Checker(tables, today or dt.date.today())
    checker.problems.extend(problems)
    settings = _settings(checker)
    preset = campaigns.find(settings.preset) or campaigns.find(settings.campaign) or campaigns.blank()
    groups, quiet, forms, statuses = _lists(checker, preset)
    campaign = Campaign(settings, groups=groups, quiet_groups=quiet)
    campaign.level = wording.find_level(settings.level) if settings.level else wording.level_of_unit(settings.unit)
    preset_ratio = _yes_no(preset.settings.get("Tỷ lệ nữ", ""))
    campaign.female_ratio = bool(settings.female_ratio if settings.female_ratio is not None else preset_ratio)
    campaign.texts = wording.layered(preset.wording, _wording(checker))
    campaign.citations = _citations(checker, settings)
    campaign.content = _content(checker, settings)
    campaign.messages = _messages(checker)
    campaign.activities = _activities(checker, campaign, forms, statuses)
    campaign.figures = _figures(checker)
    report = Report(raw.label, checker.problems, campaign.stats())
    return campaign, report


def _yes_no(text: str) -> bool | None:
    """True for Có/x/yes, False for Không/no, None for anything else (blank included)."""
    key = fold(text)
    return True if key in YES_WORDS else False if key in NO_WORDS else None


def _settings(c: _Checker) -> Settings:
    settings = Settings()
    table = c.tables.get(SETTINGS.name)
    if table is None:
        return settings
    seen: dict[str, Record] = {}
    failed: set[str] = set()
    for record in table.records:
        label = record.values.get("key")
        if label is None:
            continue
        setting = find_setting(display(label))
        if setting is None:
            c.add("unknown-setting", table, record, "key", label)
            continue
        if setting.key in seen:
            continue
        seen[setting.key] = record
        value = record.values.get("value")
        if value is None:
            continue
        try:
            if setting.kind == DATE:
                parsed: object = parse_date(value)
            elif setting.kind == INTEGER:
                parsed = parse_integer(value)
            elif setting.key in LIST_SETTINGS:
                parsed = tuple(wording.split_list(display(value)))
            else:
                parsed = collapse(display(value))  # a line break typed in the cell is a space in a sentence
        except (ValueError, OverflowError):
            failed.add(setting.key)
            code = "bad-date" if setting.kind == DATE else "bad-setting"
            c.add(code, table, record, "value", value, label=setting.label,
                  reason_vi="cần một số nguyên", reason_en="a whole number is needed")
            continue
        setattr(settings, setting.key, parsed)
    for setting in SETTING_KEYS:
        if setting.required and getattr(settings, setting.key) in (None, "") and setting.key not in failed:
            _missing(c, table, seen, setting.key, setting.label)
    _check_settings(c, table, settings, seen)
    return settings


def _missing(c: _Checker, table: Table, seen: dict[str, Record], key: str, label: str) -> None:
    """Report a blank setting at its value cell, or on the tab when its row is absent."""
    record = seen.get(key)
    if record is None:
        c.problems.append(problem("missing-setting", tab=table.title, column=label))
    else:
        c.add("missing-setting", table, record, "value", label=label)


def _check_settings(c: _Checker, table: Table, s: Settings, seen: dict[str, Record]) -> None:
    def bad(key: str, label: str, value: object, vi: str, en: str) -> None:
        c.add("bad-setting", table, seen[key], "value", value, label=label, reason_vi=vi, reason_en=en)

    if s.unit_abbr and not _ABBR.match(s.unit_abbr):
        bad("unit_abbr", "Viết tắt đơn vị", s.unit_abbr, "chỉ dùng chữ in hoa A–Z, Đ và chữ số",
            "use capitals A–Z, Đ and digits only")
    if s.year is not None and not 2000 <= s.year <= 2100:
        bad("year", "Năm", s.year, "năm phải từ 2000 đến 2100", "the year must be from 2000 to 2100")
        s.year = None
    if s.authority:
        authority = next((a for a in AUTHORITIES if fold(a).rstrip(".") == fold(s.authority).rstrip(".")), None)
        if authority is None:
            bad("authority", "Thẩm quyền ký", s.authority, "chỉ dùng " + ", ".join(AUTHORITIES),
                "use one of " + ", ".join(AUTHORITIES))
            s.authority = ""
        else:
            s.authority = authority
            if not s.head_title:
                _missing(c, table, seen, "head_title", "Chức vụ thủ trưởng")
    for number_key, label in (("plan_number", "Số kế hoạch"), ("report_number", "Số báo cáo")):
        if getattr(s, number_key) == 0:
            bad(number_key, label, 0, "số văn bản bắt đầu từ 1", "document numbers start at 1")
            setattr(s, number_key, None)
    if s.start and s.end and s.end < s.start:
        c.add("date-order", table, seen["end"], "value", s.end, label="Đến ngày", other="Từ ngày",
              other_value=display(s.start))
    elif s.year and "year" in seen and s.start and s.end and s.year not in (s.start.year, s.end.year):
        c.add("year-mismatch", table, seen["year"], "value", s.year, label="Năm", start=display(s.start),
              end=display(s.end))
        s.year = s.start.year  # the documents follow the dates, so --force never titles them with the wrong year
    if s.preset and campaigns.find(s.preset) is None:
        bad("preset", "Mẫu đợt", s.preset, "không có mẫu này; xem: toolkit campaigns",
            "no such preset; see: toolkit campaigns")
        s.preset = ""
    if s.level and wording.find_level(s.level) is None:
        names = ", ".join(lv.name for lv in wording.levels())
        bad("level", "Cấp học", s.level, "chọn một trong: " + names, "use one of: " + names)
        s.level = ""
    if "female_ratio" in seen:
        raw = display(seen["female_ratio"].values.get("value", ""))
        s.female_ratio = _yes_no(raw)
        if raw and s.female_ratio is None:
            bad("female_ratio", "Tỷ lệ nữ", raw, "ghi Có hoặc Không", "write Có (yes) or Không (no)")
    for setting in SETTING_KEYS:
        if setting.kind == DATE and setting.key in seen:
            c.stale(table, seen[setting.key], "value", getattr(s, setting.key), s, label=setting.label)


def _lists(c: _Checker, preset: campaigns.Preset
           ) -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """Groups, the folded names of groups needing no head count, forms and statuses (``Danh mục``).

    A list left empty falls back to the campaign preset's (groups) or the usual one (forms, statuses).
    """
    table = c.tables.get(LISTS.name)
    defaults = {"group": tuple(g.name for g in preset.groups), "form": DEFAULT_FORMS, "status": DEFAULT_STATUSES}
    result: dict[str, tuple[str, ...]] = {}
    quiet: set[str] = set()
    for key, default in defaults.items():
        values: list[str] = []
        if table is not None and key in table.columns:
            for record in table.records:
                value = record.values.get(key)
                if value is not None and display(value) not in values:
                    values.append(display(value))
                    flag = display(record.values.get("no_participants", "")) if key == "group" else ""
                    if _yes_no(flag):
                        quiet.add(fold(display(value)))
                    elif flag and _yes_no(flag) is None:
                        c.add("bad-flag", table, record, "no_participants", flag)
        result[key] = tuple(values) or default
        if key == "group" and not values:
            quiet = {fold(g.name) for g in preset.groups if g.no_participants}
    return result["group"], frozenset(quiet), result["form"], result["status"]


def _wording(c: _Checker) -> dict[str, str]:
    """The ``Câu chữ`` tab: texts the school gave for phrases of the documents, by phrase key."""
    table = c.tables.get(WORDING.name)
    texts: dict[str, str] = {}
    if table is None:
        return texts
    known = wording.phrases()
    for record in table.records:
        key = display(record.values.get("key", "")).strip()
        if not key:
            c.require(table, record, "key")
            continue
        if key not in known:
            near = closest(key, list(known))
            c.add("unknown-phrase", table, record, "key", key, **_hint(near))
            continue
        text = record.values.get("text")
        if text is None:
            continue
        text = display(text)
        unknown = wording.unknown_placeholders(text)
        if unknown:
            c.add("bad-placeholder", table, record, "text", text, names=", ".join(unknown),
                  allowed=", ".join("{" + name + "}" for name in wording.PLACEHOLDERS))
            continue
        texts[key] = text
    return texts


def _citations(c: _Checker, settings: Settings) -> list[Citation]:
    table = c.tables.get(CITATIONS.name)
    if table is None:
        return []
    uses_by_key = {fold(label): use for label, use in CITATION_USES}
    citations = []
    for record in table.records:
        for key in ("kind", "number", "issued", "issuer"):
            c.require(table, record, key)
        issued = c.parse(table, record, "issued", DATE)  # citations may be of any earlier year: laws last
        if issued and settings.year and issued.year > settings.year + 1:
            c.stale(table, record, "issued", issued, settings)
        uses: set[str] = set()
        raw_uses = display(record.values.get("uses", ""))
        for part in filter(None, (p.strip() for p in raw_uses.split(","))):
            use = uses_by_key.get(fold(part))
            if use is None:
                near = closest(part, [label for label, _ in CITATION_USES])
                c.add("not-in-list", table, record, "uses", part, **_hint(near))
            else:
                uses.add(use)
        if not uses or "both" in uses:
            uses |= {"plan", "report"}
        citations.append(Citation(
            kind=display(record.values.get("kind", "")),
            number=display(record.values.get("number", "")),
            issued=issued,
            issuer=display(record.values.get("issuer", "")),
            summary=display(record.values.get("summary", "")),
            uses=frozenset(uses - {"both"}),
        ))
    return citations


def _content(c: _Checker, settings: Settings) -> dict[str, list[Paragraph]]:
    table = c.tables.get(CONTENT.name)
    content: dict[str, list[Paragraph]] = {}
    if table is None:
        return content
    parts = {fold(label): key for label, key in CONTENT_PARTS}
    labels = tuple(label for label, _ in CONTENT_PARTS)
    for record in table.records:
        c.require(table, record, "part")
        c.require(table, record, "text")
        part = c.in_list(table, record, "part", labels, "Phần")
        text = display(record.values.get("text", ""))
        _stale_text_dates(c, table, record, text, settings)
        if fold(part) not in parts or not text:
            continue
        for line in filter(None, (line.strip() for line in text.split("\n"))):
            bullet = line[:2] in ("- ", "+ ", "* ") or line[:1] in ("•", "–")
            body = line.lstrip("-+*•– ").strip() if bullet else line
            content.setdefault(parts[fold(part)], []).append(Paragraph(body, bullet))
    return content


def _stale_text_dates(c: _Checker, table: Table, record: Record, text: str, settings: Settings) -> None:
    """Dates written inside narrative text, except those that date a cited document or law."""
    for match in _TEXT_DATES.finditer(text):
        try:
            date = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            continue
        if _CITATION.search(text[max(0, match.start() - 120): match.start()]):
            continue
        c.stale(table, record, "text", date, settings)


def _messages(c: _Checker) -> list[str]:
    table = c.tables.get(MESSAGES.name)
    if table is None:
        return []
    messages = []
    for record in table.records:
        c.parse(table, record, "stt", INTEGER)
        text = record.values.get("text")
        if text is None:
            c.add("required-value", table, record, "text")
        else:
            messages.append(display(text))
    return messages


def _activities(c: _Checker, campaign: Campaign, forms: tuple[str, ...], statuses: tuple[str, ...]
                ) -> list[Activity]:
    table = c.tables.get(ACTIVITIES.name)
    if table is None:
        return []
    s, groups = campaign.settings, campaign.groups
    activities: list[Activity] = []
    first_seen: dict[tuple[str, dt.date], int] = {}
    report_date = s.report_date or c.today
    for record in table.records:
        for column in ACTIVITIES.columns:
            if column.required:
                c.require(table, record, column.key)
        start = c.parse(table, record, "start", DATE)
        end = c.parse(table, record, "end", DATE)
        counts = {key: c.parse(table, record, key, COUNT) or 0 for key, _ in PARTICIPANTS}
        activity = Activity(
            row=record.row,
            stt=c.parse(table, record, "stt", INTEGER),
            name=display(record.values.get("name", "")),
            group=c.in_list(table, record, "group", groups, ""),
            form=c.in_list(table, record, "form", forms, ""),
            start=start,
            end=end,
            audience=display(record.values.get("audience", "")),
            lead=display(record.values.get("lead", "")),
            partners=display(record.values.get("partners", "")),
            status=c.in_list(table, record, "status", statuses, ""),
            counts=counts,
            banners=c.parse(table, record, "banners", COUNT) or 0,
            news=c.parse(table, record, "news", COUNT) or 0,
            money=c.parse(table, record, "money", MONEY) or 0,
            evidence=display(record.values.get("evidence", "")),
            note=display(record.values.get("note", "")),
        )
        activities.append(activity)
        if start and end and end < start:
            c.add("date-order", table, record, "end", end, other=table.header("start"), other_value=display(start))
        _check_dates(c, table, record, s, start, end)
        if activity.done:
            if activity.male + activity.female == 0 and campaign.needs_audience(activity):
                c.add("done-without-participants", table, record, "staff_male" if "staff_male" in table.columns
                      else "status", name=activity.name)
            if not activity.evidence:
                c.add("done-without-evidence", table, record, "evidence" if "evidence" in table.columns
                      else "status", name=activity.name)
            if start and start > report_date:
                c.add("done-in-future", table, record, "start", start, name=activity.name,
                      report_date=display(report_date))
        if activity.planned and (end or start) and (end or start) < report_date:
            c.add("still-planned", table, record, "status", end or start, name=activity.name)
        if activity.in_progress and s.report_date and (end or start) and (end or start) <= s.report_date:
            c.add("in-progress", table, record, "status", activity.status, name=activity.name,
                  report_date=display(s.report_date))
        if start and activity.name:
            key = (fold(activity.name), start)
            if key in first_seen:
                c.add("duplicate-activity", table, record, "name", start, name=activity.name, first=first_seen[key])
            else:
                first_seen[key] = record.row
    return activities


def _check_dates(c: _Checker, table: Table, record: Record, s: Settings, start: dt.date | None,
                 end: dt.date | None) -> None:
    if not (s.start and s.end and s.end >= s.start):
        return
    earliest = s.start - dt.timedelta(days=EARLY_DAYS)
    for key, date in (("start", start), ("end", end)):
        if date and (date > s.end or date < earliest):
            c.add("outside-campaign", table, record, key, date, start=display(s.start), end=display(s.end))


def _figures(c: _Checker) -> list[Figure]:
    table = c.tables.get(FIGURES.name)
    if table is None:
        return []
    figures = []
    for record in table.records:
        c.require(table, record, "name")
        value = c.parse(table, record, "value", COUNT)
        name = display(record.values.get("name", ""))
        if name:
            figures.append(Figure(name, value or 0, display(record.values.get("note", ""))))
    return figures


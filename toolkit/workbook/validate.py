"""Parse and validate a bound workbook into a ``Campaign`` and a ``CheckReport`` of every problem.

Every rule of ``docs/workbook.md`` lives here, each reported at the cell it is about. The campaign is
built even when there are errors (missing values left empty), so ``--force`` can still write documents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from ..core.i18n import Message, T
from ..core.text import closest, fold
from ..core.values import display
from . import campaigns, citation_kinds, wording
from .checker import EARLY_DAYS, Checker, hint
from .model import Activity, Campaign, Citation, Figure, Paragraph, Settings
from .problems import CheckReport
from .schema import (
    ACTIVITIES,
    CITATION_USES,
    CITATION_VERBS,
    CITATIONS,
    CONTENT,
    CONTENT_PARTS,
    FIGURES,
    INTEGER,
    MESSAGES_TAB,
    MONEY,
    PARTICIPANTS,
    SETTINGS,
)
from .settings import setting_label
from .tables import RawWorkbook, Record, Table, bind
from .validate_settings import (
    female_ratio,
    read_lists,
    read_settings,
    read_wording,
    report_day,
    sane_report_date,
    setting_key,
)

# Words that open a citation (a law, a decree, a numbered document): the first date after them, in the
# same clause, is the cited document's own date and never a stale one.
_CITATION = re.compile(
    r"\b(?:luật|nghị định|nghị quyết|thông tư|quyết định|chỉ thị|chương trình|chiến lược|"
    r"pháp lệnh|hiến pháp)\b|\bsố\s*\S*\d\S*",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;\n]")

_TEXT_DATES = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


def validate(raw: RawWorkbook, today: dt.date | None = None) -> tuple[Campaign, CheckReport]:
    """Read, parse and check a whole workbook; return the campaign model and the report."""
    tables, problems = bind(raw)
    checker = Checker(tables, today or dt.date.today())
    checker.problems.extend(problems)
    settings = read_settings(checker)
    preset = campaigns.find(settings.preset) or campaigns.find(settings.campaign) or campaigns.blank()
    groups, quiet, forms, statuses = read_lists(checker, preset)
    campaign = Campaign(settings, groups=groups, quiet_groups=quiet)
    campaign.level = (wording.find_level(settings.level) if settings.level else None) or wording.level_of_unit(
        settings.unit
    )
    campaign.female_ratio = female_ratio(settings)
    campaign.texts = wording.layered(preset.wording, read_wording(checker))
    campaign.citations = _citations(checker, settings)
    campaign.content = read_content(checker, settings)
    campaign.messages = _messages(checker)
    campaign.activities = _activities(checker, campaign, forms, statuses)
    campaign.figures = _figures(checker)
    _nothing_done(checker, campaign)
    report = CheckReport(raw.label, checker.problems, campaign.stats())
    return campaign, report


def _citations(c: Checker, settings: Settings) -> list[Citation]:
    table = c.tables.get(CITATIONS.name)
    if table is None:
        return []
    uses_by_key = {fold(label): use for label, use in CITATION_USES}
    citations: list[Citation] = []
    first: dict[tuple[str, ...], tuple[int, int]] = {}  # a document's identity: its row, its place in the list
    for record in table.records:
        for key in _required_of(record):
            c.require(table, record, key)
        issued = c.date(table, record, "issued")  # citations may be of any earlier year: laws last
        if issued and settings.year and issued.year > settings.year + 1:
            c.stale(table, record, "issued", issued, settings)
        uses: set[str] = set()
        raw_uses = display(record.values.get("uses", ""))
        for part in filter(None, (p.strip() for p in raw_uses.split(","))):
            use = uses_by_key.get(fold(part))
            if use is None:
                near = closest(part, [label for label, _ in CITATION_USES])
                c.add("not-in-list", table, record, "uses", part, hint=hint(near))
            else:
                uses.add(use)
        if not uses or "both" in uses:
            uses |= {"plan", "report"}
        _cited_before(c, table, record, issued, uses, settings)
        citation = Citation(
            kind=display(record.values.get("kind", "")),
            number=display(record.values.get("number", "")),
            issued=issued,
            issuer=display(record.values.get("issuer", "")),
            summary=display(record.values.get("summary", "")),
            uses=frozenset(uses - {"both"}),
            verb=c.in_list(table, record, "verb", CITATION_VERBS, ""),
        )
        identities = citation_kinds.identities(citation.kind, citation.number, citation.summary, issued)
        earlier = next(((same, first[same]) for same in identities if same in first), None)
        if earlier is None:
            first.update((same, (record.row, len(citations))) for same in identities)
            citations.append(citation)
            continue
        same, (row, at) = earlier
        column = "number" if same[0] == "number" else "summary"
        c.add("duplicate-citation", table, record, column, record.values.get(column), first=row)
        # printed once, in every document either row is cited by
        citations[at] = dataclasses.replace(citations[at], uses=citations[at].uses | citation.uses)
    return citations


def _required_of(record: Record) -> tuple[str, ...]:
    """What a citation row must fill: a law (cited by its name and date, as ``citation_kinds`` says) needs its
    name or number, not its issuer; any other document its number, date and issuer."""
    kind = display(record.values.get("kind", ""))
    if kind and citation_kinds.way(kind).form == citation_kinds.LAW:
        named = display(record.values.get("summary", "")) or display(record.values.get("number", ""))
        return ("kind", "issued") if named else ("kind", "summary", "issued")
    return ("kind", "number", "issued", "issuer")


def _cited_before(
    c: Checker, table: Table, record: Record, issued: dt.date | None, uses: set[str], s: Settings
) -> None:
    """Warn at ``Ngày ban hành`` when the cited document is dated after the plan or report that cites it (the
    plan cites it also as the identity kit or the report outline), unless that date is itself of an earlier
    year (warned at its own cell)."""
    if issued is None:
        return
    citing = []
    if uses & {"plan", "identity", "outline"} and s.plan_date:
        citing.append((T("kế hoạch"), s.plan_date))
    if "report" in uses and s.report_date:
        citing.append((T("báo cáo"), s.report_date))
    for document, date in citing:
        if issued > date and (not s.year or date.year >= s.year):  # a stale document date is warned at its cell
            c.add("citation-after-document", table, record, "issued", issued, document=document, date=display(date))
            return


def read_content(c: Checker, settings: Settings) -> dict[str, list[Paragraph]]:
    """The ``Nội dung`` tab's paragraphs by part (``purpose``, ``strengths`` …), checked at their cells."""
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


def _stale_text_dates(c: Checker, table: Table, record: Record, text: str, settings: Settings) -> None:
    """Dates written inside narrative text, except those that date a cited document or law."""
    for match in _TEXT_DATES.finditer(text):
        try:
            date = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            continue
        if _cites(text[max(0, match.start() - 120) : match.start()]):
            continue
        c.stale(table, record, "text", date, settings)


def _cites(before: str) -> bool:
    """True when the text ``before`` a date ends in a citation whose own date it is: the last citation word
    within 80 characters, with neither another date nor the end of a clause since
    (``Kế hoạch số 30/KH-X ngày 10/04/2025 và hoàn thành trước ngày …``: only 10/04/2025 is the citation's)."""
    last = next(reversed(list(_CITATION.finditer(before))), None)
    if last is None:
        return False
    tail = before[last.start() :]
    return len(tail) <= 80 + len(last.group()) and not _CLAUSE_END.search(tail) and not _TEXT_DATES.search(tail)


def _messages(c: Checker) -> list[str]:
    table = c.tables.get(MESSAGES_TAB.name)
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


def _activities(c: Checker, campaign: Campaign, forms: tuple[str, ...], statuses: tuple[str, ...]) -> list[Activity]:
    """The ``Hoạt động`` tab: each row read at its cells, then checked against its dates and status."""
    table = c.tables.get(ACTIVITIES.name)
    if table is None:
        return []
    activities: list[Activity] = []
    first_seen: dict[tuple[str, dt.date], int] = {}
    report_date = report_day(campaign.settings, c.today)
    moment = _moment(campaign.settings, report_date, c.today)
    for record in table.records:
        activity = _activity(c, table, record, campaign.groups, forms, statuses)
        activities.append(activity)
        start, end = activity.start, activity.end
        if start and end and end < start:
            c.add("date-order", table, record, "end", end, other=table.header("start"), other_value=display(start))
        _check_dates(c, table, record, campaign.settings, start, end)
        _check_status(c, table, record, campaign, activity, report_date, moment)
        if start and activity.name:
            key = (fold(activity.name), start)
            if key in first_seen:
                c.add("duplicate-activity", table, record, "name", start, name=activity.name, first=first_seen[key])
            else:
                first_seen[key] = record.row
    return activities


def _nothing_done(c: Checker, campaign: Campaign) -> None:
    """Warn at ``Ngày báo cáo`` when the report's day has come and no activity is done: the report then says
    that none is (``bc.chua_hoat_dong``), which is seldom what a school means to send."""
    s = campaign.settings
    table = c.tables.get(SETTINGS.name)
    if table is None or ACTIVITIES.name not in c.tables:  # a missing tab is reported as such
        return
    if not s.report_date or s.report_date > c.today or not sane_report_date(s):
        return
    if campaign.done_activities:
        return
    record = next((r for r in table.records if setting_key(r) == "report_date"), None)
    if record is not None:
        label = setting_label("report_date")
        c.add("nothing-done", table, record, "value", s.report_date, label, activities=ACTIVITIES.name)


def _activity(
    c: Checker, table: Table, record: Record, groups: tuple[str, ...], forms: tuple[str, ...], statuses: tuple[str, ...]
) -> Activity:
    """One row of ``Hoạt động``, every value parsed at its cell (a required one missing is reported)."""
    for column in ACTIVITIES.columns:
        if column.required:
            c.require(table, record, column.key)
    start = c.date(table, record, "start")  # read in this order: the problems are listed as they are found
    end = c.date(table, record, "end")
    counts = {key: c.number(table, record, key) or 0 for key, _ in PARTICIPANTS}
    return Activity(
        row=record.row,
        stt=c.number(table, record, "stt", INTEGER),
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
        banners=c.number(table, record, "banners") or 0,
        news=c.number(table, record, "news") or 0,
        money=c.number(table, record, "money", MONEY) or 0,
        evidence=display(record.values.get("evidence", "")),
        note=display(record.values.get("note", "")),
    )


def _moment(s: Settings, day: dt.date, today: dt.date) -> Message:
    """The day activities are judged against as a message names it: the report's date, or today when no report
    date is set (``hôm nay (06/12/2026)``), or the day chosen in place of an impossible report date."""
    if s.report_date == day:
        return T("ngày báo cáo {date}", date=display(day))
    if day == today:
        return T("hôm nay ({date})", date=display(day))
    return T("ngày {date}", date=display(day))


def _check_status(
    c: Checker,
    table: Table,
    record: Record,
    campaign: Campaign,
    activity: Activity,
    report_date: dt.date,
    moment: Message,
) -> None:
    """A done activity needs participants (when its group counts them), evidence and a start not after the
    report; a planned one must not be over; one in progress must not have ended by the report."""
    start, name = activity.start, activity.name
    if activity.done:
        if activity.male + activity.female == 0 and campaign.needs_audience(activity):
            column = "staff_male" if "staff_male" in table.columns else "status"
            c.add("done-without-participants", table, record, column, name=name)
        if not activity.evidence:
            column = "evidence" if "evidence" in table.columns else "status"
            c.add("done-without-evidence", table, record, column, name=name)
        if start and start > report_date:
            c.add("done-in-future", table, record, "start", start, name=name, moment=moment)
    last_day = activity.end or start
    if activity.planned and last_day and last_day < report_date:
        c.add("still-planned", table, record, "status", last_day, name=name)
    if activity.in_progress and campaign.settings.report_date and last_day and last_day <= report_date:
        c.add("in-progress", table, record, "status", activity.status, name=name, report_date=display(report_date))


def _check_dates(
    c: Checker, table: Table, record: Record, s: Settings, start: dt.date | None, end: dt.date | None
) -> None:
    if not (s.start and s.end and s.end >= s.start):
        return
    earliest = s.start - dt.timedelta(days=EARLY_DAYS)
    for key, date in (("start", start), ("end", end)):
        if date and (date > s.end or date < earliest):
            c.add("outside-campaign", table, record, key, date, start=display(s.start), end=display(s.end))


def _figures(c: Checker) -> list[Figure]:
    table = c.tables.get(FIGURES.name)
    if table is None:
        return []
    figures = []
    for record in table.records:
        c.require(table, record, "name")
        value = c.number(table, record, "value")
        name = display(record.values.get("name", ""))
        if name:
            figures.append(Figure(name, value or 0, display(record.values.get("note", ""))))
    return figures

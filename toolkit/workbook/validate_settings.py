"""What a workbook says about itself: the ``Thông tin`` settings, the ``Danh mục`` lists and the ``Câu chữ``
phrases, checked at their cells. Campaign presets fill what the workbook leaves blank.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ..core.i18n import Message, T
from ..core.text import closest, collapse, fold
from ..core.values import display
from . import campaigns, wording
from .authority import check_collective
from .checker import _PARSERS, EARLY_DAYS, Checker, date_reason, hint, yes_no
from .model import Settings
from .names import same_body
from .problems import problem
from .schema import AUTHORITIES, DATE, DEFAULT_FORMS, DEFAULT_STATUSES, LISTS, SETTINGS, WORDING
from .settings import ADDRESS, SETTING_KEYS, Setting, addresses, find_setting, setting_label
from .tables import Record, Table

_ABBR = re.compile(r"^[A-ZĐ0-9]{1,20}$")


def read_settings(c: Checker, keys: tuple[Setting, ...] = SETTING_KEYS) -> Settings:
    """The ``Thông tin`` tab as ``Settings``, every value checked at its cell; ``keys`` are the settings the
    workbook may hold (a school's unless told)."""
    settings = Settings()
    table = c.tables.get(SETTINGS.name)
    if table is None:
        return settings
    seen: dict[str, Record] = {}
    failed: set[str] = set()
    numbered: list[tuple[Setting, Record, object]] = []  # document numbers typed with more than the number
    for record in table.records:
        label = record.values.get("key")
        if label is None:
            continue
        setting = find_setting(display(label), keys)
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
            if setting.kind in _PARSERS:  # a date, a whole number: parsed as any cell of that kind
                parsed: object = _PARSERS[setting.kind][0](value)
            elif setting.lines:
                parsed = tuple(wording.split_list(display(value)))
            elif setting.email:  # a line break separates two addresses, as ; does
                parsed = "; ".join(filter(None, map(collapse, display(value).splitlines())))
            else:
                parsed = collapse(display(value))  # a line break typed in the cell is a space in a sentence
        except (ValueError, OverflowError):
            failed.add(setting.key)
            if setting.symbol:  # ``45/KH-MNHS``: read once ``Viết tắt đơn vị`` is known
                numbered.append((setting, record, value))
                continue
            code = "bad-date" if setting.kind == DATE else "bad-setting"
            reason = date_reason(value) if setting.kind == DATE else T("cần một số nguyên")
            c.add(code, table, record, "value", value, label=setting.label, reason=reason)
            continue
        setattr(settings, setting.key, parsed)
    for setting, record, value in numbered:
        _typed_number(c, table, record, value, settings, setting)
    for setting in keys:
        if setting.required and getattr(settings, setting.key) in (None, "", ()) and setting.key not in failed:
            _missing(c, table, seen, setting.key, setting.label)
    _check_settings(c, table, settings, seen)
    return settings


def setting_key(record: Record, keys: tuple[Setting, ...] = SETTING_KEYS) -> str | None:
    """The key of the setting a ``Thông tin`` row is about, or None."""
    label = record.values.get("key")
    found = find_setting(display(label), keys) if label is not None else None
    return found.key if found else None


# A document's number as the document prints it: ``Số: 45/KH-MNHS``, ``số 45``, ``45/KH-MNHS``.
_NUMBERED = re.compile(r"^(?:số\s*[:.]?\s*)?(\d+)(?:\s*/\s*(\S+))?$", re.IGNORECASE)


def _typed_number(c: Checker, table: Table, record: Record, value: object, s: Settings, setting: Setting) -> None:
    """A document's number typed as it is printed (``45/KH-MNHS``, ``Số 45/KH-MNHS``, ``Số: 45``) is the number 45
    when what follows it is exactly what the documents print after it; anything else is an error saying the
    number alone is typed (the number typed, if any, as the example)."""
    symbol = f"{setting.symbol}-{s.unit_abbr or '…'}"
    text = collapse(display(value))
    found = _NUMBERED.match(text)
    if found and found.group(2) in (None, symbol) and int(found.group(1)) > 0:
        setattr(s, setting.key, int(found.group(1)))
        return
    typed = next((int(n) for n in re.findall(r"\d+", text) if int(n) > 0), None)
    example = str(typed) if typed else "12"
    reason = T("chỉ ghi số, ví dụ {number}: toolkit tự thêm /{symbol} khi in", number=example, symbol=symbol)
    c.add("bad-setting", table, record, "value", value, label=setting.label, reason=reason)


def female_ratio(s: Settings) -> bool:
    """Whether the participants table shows ``Tỷ lệ nữ (%)``: the workbook's ``Tỷ lệ nữ``, else its campaign
    preset's (``Mẫu đợt``, or the one its ``Tên đợt`` names)."""
    if s.female_ratio is not None:
        return s.female_ratio
    preset = campaigns.find(s.preset) or campaigns.find(s.campaign) or campaigns.blank()
    return bool(yes_no(preset.settings.get("Tỷ lệ nữ", "")))


def _missing(c: Checker, table: Table, seen: dict[str, Record], key: str, label: str | None = None) -> None:
    """Report a blank setting at its value cell, or on the tab when its row is absent."""
    label = label or setting_label(key)
    record = seen.get(key)
    if record is None:
        c.problems.append(problem("missing-setting", tab=table.title, column=label))
    else:
        c.add("missing-setting", table, record, "value", label=label)


def _check_settings(c: Checker, table: Table, s: Settings, seen: dict[str, Record]) -> None:
    """Each setting's own rules, in the order of ``Thông tin``; a value that cannot be used is reported and
    cleared (so that ``--force`` never prints it)."""

    def bad(key: str, value: object, reason: Message) -> None:
        c.add("bad-setting", table, seen[key], "value", value, label=setting_label(key), reason=reason)

    _check_issuer(c, table, s, seen, bad)
    check_collective(c, table, s, seen)
    _check_choices(s, seen, bad)
    named = campaigns.named_years(s.campaign)
    if named and s.year and not any(s.year in years for years in named):
        name = campaigns.with_year(s.campaign, s.year)
        years = ", ".join("-".join(map(str, years)) for years in named)
        c.add("campaign-name-year", table, seen["campaign"], "value", s.campaign, named=years, year=s.year, name=name)
    if "level" in seen and s.level:
        _level_of_unit(c, table, seen["level"], s)
    if "report_to" in seen:
        _distinct_recipients(c, table, seen["report_to"], s)
    for setting in SETTING_KEYS:
        if setting.email and setting.key in seen:
            _check_addresses(c, table, seen[setting.key], s, setting)
    wrong_report_date = "report_date" in seen and _report_date(c, table, seen["report_date"], s)
    for setting in SETTING_KEYS:
        if setting.kind == DATE and setting.key in seen and not (setting.key == "report_date" and wrong_report_date):
            c.stale(table, seen[setting.key], "value", getattr(s, setting.key), s, label=setting.label)


Bad = Callable[[str, object, Message], None]  # reports a setting's value as unusable, with the reason


def _authority_reason(typed: str) -> Message:
    """Why a ``Thẩm quyền ký`` cannot be used: a title typed after the authority (``KT. HIỆU TRƯỞNG``) belongs in
    ``Chức vụ thủ trưởng``; anything else is none of the authorities."""
    text = typed.strip()
    authority, rest = None, ""
    for candidate in AUTHORITIES:  # ``KT. HIỆU TRƯỞNG``, ``KT.HIỆU TRƯỞNG``, ``kt HIỆU TRƯỞNG``
        found = re.match(rf"{re.escape(candidate.rstrip('.'))}(?:\s*\.|\s)\s*(.*)$", text, re.IGNORECASE)
        if found:
            authority, rest = candidate, found.group(1)
            break
    if authority is not None and rest.strip():
        return T(
            'chỉ ghi {authority} ở đây, còn "{title}" ghi ở "{head_title}"',
            authority=authority,
            title=rest.strip(),
            head_title=setting_label("head_title"),
        )
    return T("chỉ dùng {authorities} hoặc để trống", authorities=", ".join(AUTHORITIES))


def _check_issuer(c: Checker, table: Table, s: Settings, seen: dict[str, Record], bad: Bad) -> None:
    """Abbreviation, year, signing authority, document numbers and the campaign's dates."""
    if s.unit_abbr and not _ABBR.match(s.unit_abbr):
        bad(
            "unit_abbr",
            s.unit_abbr,
            T("chỉ dùng chữ in hoa A–Z, Đ và chữ số"),
        )
    if s.year is not None and not 2000 <= s.year <= 2100:
        bad("year", s.year, T("năm phải từ 2000 đến 2100"))
        s.year = None
    if s.authority:
        authority = next((a for a in AUTHORITIES if fold(a).rstrip(".") == fold(s.authority).rstrip(".")), None)
        if authority is None:
            bad("authority", s.authority, _authority_reason(s.authority))
            s.authority = ""
        else:
            s.authority = authority
            if not s.head_title:
                _missing(c, table, seen, "head_title")
    for number_key in ("plan_number", "report_number"):
        if getattr(s, number_key) == 0:
            bad(number_key, 0, T("số văn bản bắt đầu từ 1"))
            setattr(s, number_key, None)
    if s.start and s.end and s.end < s.start:
        c.add(
            "date-order",
            table,
            seen["end"],
            "value",
            s.end,
            label=setting_label("end"),
            other=setting_label("start"),
            other_value=display(s.start),
        )
    elif s.year and "year" in seen and s.start and s.end and s.year not in (s.start.year, s.end.year):
        c.add(
            "year-mismatch",
            table,
            seen["year"],
            "value",
            s.year,
            label=setting_label("year"),
            start=display(s.start),
            end=display(s.end),
        )
        s.year = s.start.year  # the documents follow the dates, so --force never titles them with the wrong year


def _check_choices(s: Settings, seen: dict[str, Record], bad: Bad) -> None:
    """The settings chosen from a list: the preset, the school level, ``Có``/``Không`` for the women's ratio."""
    if s.preset and campaigns.find(s.preset) is None:
        bad(
            "preset",
            s.preset,
            T("không có mẫu này; xem: toolkit campaigns"),
        )
        s.preset = ""
    if s.level and wording.find_level(s.level) is None:
        names = ", ".join(lv.name for lv in wording.levels())
        bad("level", s.level, T("chọn một trong: {names}", names=names))
        s.level = ""
    if "female_ratio" in seen:
        raw = display(seen["female_ratio"].values.get("value", ""))
        s.female_ratio = yes_no(raw)
        if raw and s.female_ratio is None:
            bad("female_ratio", raw, T("ghi Có hoặc Không"))


def _level_of_unit(c: Checker, table: Table, record: Record, s: Settings) -> None:
    """A ``Cấp học`` other than the level the unit's name reveals (``THCS`` for ``TRƯỜNG MẦM NON HOA SEN``) is
    warned at its cell: the documents call the learners and parents by ``Cấp học``'s words."""
    chosen = wording.find_level(s.level)
    revealed = wording.contradicts(chosen, s.unit) if chosen is not None else None
    if chosen is not None and revealed is not None:
        c.add(
            "level-unit-mismatch",
            table,
            record,
            "value",
            s.level,
            unit=s.unit,
            revealed=revealed.name,
            learners=chosen.learners,
        )


def _distinct_recipients(c: Checker, table: Table, record: Record, s: Settings) -> None:
    """Each receiving office once, however it is spelled (``UBND xã A`` = ``Ủy ban nhân dân xã A``, ``Sở GD&ĐT
    Đồng Nai`` = ``Sở Giáo dục và Đào tạo tỉnh Đồng Nai``: ``names.same_body``); a repeated one is warned at the
    cell and dropped with its contact."""
    offices: list[str] = []
    people: list[str] = []
    for i, office in enumerate(s.report_to):
        earlier = next((o for o in offices if same_body(office, o) or same_body(o, office)), None)
        if earlier is not None:
            c.add(
                "duplicate-recipient",
                table,
                record,
                "value",
                office,
                label=setting_label("report_to"),
                first=earlier,
            )
            continue
        offices.append(office)
        if i < len(s.report_to_person):
            people.append(s.report_to_person[i])
    if len(offices) < len(s.report_to):
        s.report_to, s.report_to_person = tuple(offices), tuple(people)


def _check_addresses(c: Checker, table: Table, record: Record, s: Settings, setting: Setting) -> None:
    """Each address of an e-mail setting, split as the covering letter splits them: a malformed one is an
    error at the cell naming it, and is left out (so that ``--force`` never prints or mails it)."""
    typed = getattr(s, setting.key)
    found = addresses(typed)
    good = [a for a in found if ADDRESS.match(a)]
    for address in found:
        link = address[len("mailto:") :] if fold(address).startswith("mailto:") else ""
        if ADDRESS.match(address):
            continue
        if link and ADDRESS.match(link.strip()):  # copied from a web page's link: refused, not guessed at
            c.add("mailto-email", table, record, "value", address, label=setting.label, address=link.strip())
        else:
            c.add("bad-email", table, record, "value", address, label=setting.label)
    if len(good) < len(found):
        setattr(s, setting.key, "; ".join(good))


def sane_report_date(s: Settings) -> bool:
    """False when ``Ngày báo cáo`` cannot be right: before the campaign starts or the plan's date, or in a
    year the campaign does not reach (a report may follow the campaign's end by up to 60 days)."""
    return _report_date_reason(s) is None


def _report_date_reason(s: Settings) -> Message | None:
    day = s.report_date
    if day is None:
        return None
    if s.start and day < s.start:
        return T("trước ngày bắt đầu đợt ({start})", start=display(s.start))
    if s.plan_date and day < s.plan_date:
        return T("trước ngày kế hoạch ({plan})", plan=display(s.plan_date))
    years = {y for y in (s.year, s.start and s.start.year, s.end and s.end.year) if y}
    after_end = s.end is not None and s.end <= day <= s.end + dt.timedelta(days=EARLY_DAYS)
    if s.year and day.year not in years and not after_end:
        return T("không thuộc năm {year} của đợt", year=s.year)
    return None


def report_day(s: Settings, today: dt.date) -> dt.date:
    """The day activities are judged against: ``Ngày báo cáo`` when it is sane, else today kept within the
    campaign's days, never a date typed in the wrong year."""
    if not s.report_date or sane_report_date(s):
        return s.report_date or today
    day = max(today, s.start) if s.start else today
    return min(day, s.end) if s.end else day


def _report_date(c: Checker, table: Table, record: Record, s: Settings) -> bool:
    """Report an impossible ``Ngày báo cáo`` as an error at its cell; True when it is one."""
    reason = _report_date_reason(s)
    if reason is None:
        return False
    sane = report_day(s, c.today)
    c.add(
        "bad-report-date",
        table,
        record,
        "value",
        s.report_date,
        label=setting_label("report_date"),
        reason=reason,
        sane=display(sane),
    )
    return True


def read_lists(
    c: Checker, preset: campaigns.Preset
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
                    if yes_no(flag):
                        quiet.add(fold(display(value)))
                    elif flag and yes_no(flag) is None:
                        c.add("bad-flag", table, record, "no_participants", flag)
        result[key] = tuple(values) or default
        if key == "group" and not values:
            quiet = {fold(g.name) for g in preset.groups if g.no_participants}
    return result["group"], frozenset(quiet), result["form"], result["status"]


def read_wording(c: Checker, known: dict[str, wording.Phrase] | None = None) -> dict[str, str]:
    """The ``Câu chữ`` tab: texts the workbook gave for phrases of its documents, by phrase key; ``known`` are
    the phrases there are (a school's documents' unless told: an office's roll-up has its own)."""
    table = c.tables.get(WORDING.name)
    texts: dict[str, str] = {}
    if table is None:
        return texts
    known = known or wording.phrases()
    for record in table.records:
        key = display(record.values.get("key", "")).strip()
        if not key:
            c.require(table, record, "key")
            continue
        if key not in known:
            near = closest(key, list(known))
            c.add("unknown-phrase", table, record, "key", key, hint=hint(near))
            continue
        text = record.values.get("text")
        if text is None:
            continue
        text = display(text)
        unknown = wording.unknown_placeholders(text)
        if unknown:
            c.add(
                "bad-placeholder",
                table,
                record,
                "text",
                text,
                names=", ".join(unknown),
                allowed=", ".join("{" + name + "}" for name in wording.PLACEHOLDERS),
            )
            continue
        texts[key] = text
    return texts

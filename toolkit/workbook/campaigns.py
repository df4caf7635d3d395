"""Campaign presets: one data file per recurring school campaign in ``toolkit/data/campaigns/``.

A preset is only a starting point for a workbook: its name and usual dates, activity groups (and which
of them need no participant count), ``Số liệu khác`` rows, the phrases the documents use for it, and a
filled example. ``toolkit init --campaign NAME`` writes all of it into the workbook, where the school can
change everything; nothing in the code names a campaign. Adding a preset is adding a ``.json`` file.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..core.text import collapse, fold

BLANK = "blank"
_YEAR = r"(?:19|20)\d{2}"
# A school year (``2027-2028``, ``2027 - 2028``, ``2027/2028``): two years in a row.
_SCHOOL_YEAR = re.compile(rf"(?<![\w/.])({_YEAR})\s*[-–—/]\s*({_YEAR})(?![\w/])")
# A year on its own (``2027``), not part of a date (``12/2027``), a number or a range (``1945-2025``).
_ONE_YEAR = re.compile(rf"(?<![\w/.\-–—])({_YEAR})(?![\w/\-–—]|[.,]\d)")
# The year a name may end with, in its forms: ``năm 2027``, ``2027``, ``(năm 2027)``, ``năm học 2027-2028``.
_ENDING = re.compile(
    rf"(?:^|\s)(?P<open>\(\s*)?(?P<word>năm(?:\s+học)?\s*)?(?P<first>{_YEAR})"
    rf"(?:\s*[-–—/]\s*(?P<second>{_YEAR}))?(?P<close>\s*\))?$",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?…-–— "  # punctuation typed after a name is not part of it


def _trimmed(name: str) -> str:
    """The name without spacing slips and the punctuation typed after it (``Tháng … năm 2027.``)."""
    return collapse(name).rstrip(_TRAILING)


def named_years(name: str) -> list[tuple[int, ...]]:
    """The years a campaign's name names, each mention once: ``(2027,)`` for ``2027`` or ``năm 2027``,
    ``(2027, 2028)`` for a school year ``2027-2028``; a date (``12/2027``) or a range of other years names none."""
    text = _trimmed(name)
    found: list[tuple[int, ...]] = []
    for match in _SCHOOL_YEAR.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if second == first + 1:
            found.append((first, second))
            text = text[: match.start()] + " " * len(match.group()) + text[match.end() :]
    found.extend((int(match.group(1)),) for match in _ONE_YEAR.finditer(text))
    return found


def _ending(text: str) -> re.Match[str] | None:
    """The year ``text`` ends with (its parentheses closed), or None."""
    found = _ENDING.search(text)
    if found is None or bool(found.group("open")) != bool(found.group("close")):
        return None
    second = found.group("second")
    if second and int(second) != int(found.group("first")) + 1:
        return None
    return found


def bare_name(name: str) -> str:
    """A campaign's name without the year it may end with (``năm 2026``, ``2026``, ``(năm 2026)``, ``năm học
    2026-2027``) and the punctuation after it: what two names of one campaign share."""
    text = _trimmed(name)
    found = _ending(text)
    return text[: found.start()].rstrip(_TRAILING) if found else text


def with_year(name: str, year: int | None) -> str:
    """``<name> năm <year>``, the campaign as the documents name it. A name that already names a year is not
    given it again: a year it ends with (``… năm 2026``, ``… 2026``, ``… (năm 2026)``) is written as ``year``
    in the same form; a school year (``năm học 2026-2027``) or a year inside the name is kept as typed."""
    text = _trimmed(name) or collapse(name)
    if not year or not text:
        return name
    found = _ending(text)
    if found and not found.group("second"):
        word = "năm " if found.group("word") else ""
        opening = "(" if found.group("open") else ""
        closing = ")" if found.group("close") else ""
        return f"{text[: found.start()]} {opening}{word}{year}{closing}".lstrip()
    if named_years(text):
        return text
    return f"{text} năm {year}"


@dataclass(frozen=True)
class Group:
    """An activity group of ``Danh mục``; ``no_participants`` when its activities reach people without a head count."""

    name: str
    no_participants: bool = False


@dataclass(frozen=True)
class Preset:
    """One campaign preset as its data file declares it."""

    id: str
    name: str
    start: tuple[int, int] | None  # (day, month)
    end: tuple[int, int] | None
    groups: tuple[Group, ...]
    figures: tuple[str, ...]
    wording: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    example: dict[str, Any] = field(default_factory=dict)
    bundled_example: bool = False  # its example is the one commands use when given no workbook

    def dates(self, year: int) -> tuple[dt.date | None, dt.date | None]:
        """The usual first and last day of the campaign in ``year`` (an end before the start falls next year)."""
        if not self.start or not self.end:
            return None, None
        start = dt.date(year, self.start[1], self.start[0])
        end = dt.date(year, self.end[1], self.end[0])
        return start, end if end >= start else end.replace(year=year + 1)

    @property
    def usual_dates(self) -> str:
        """``15/11 – 15/12``, or empty."""
        if not self.start or not self.end:
            return ""
        return f"{self.start[0]:02d}/{self.start[1]:02d} – {self.end[0]:02d}/{self.end[1]:02d}"


def _day_month(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    day, month = (int(part) for part in text.split("/"))
    dt.date(2000, month, day)  # a preset with an impossible date fails loudly when loaded
    return day, month


@functools.lru_cache(maxsize=1)
def common_groups() -> tuple[Group, ...]:
    """The groups every preset shares (``data/common_groups.json``): banners, posts, ``Khác``."""
    data = json.loads((resources.files("toolkit") / "data" / "common_groups.json").read_text(encoding="utf-8"))
    return tuple(Group(g["name"], bool(g.get("no_participants"))) for g in data["groups"])


def _groups(data: dict[str, Any]) -> tuple[Group, ...]:
    """A preset's own groups, with each common group it lacks (and gives no reason to lack) added before its
    last common one (``Khác`` stays last)."""
    own = [Group(g["name"], bool(g.get("no_participants"))) for g in data.get("groups", ())]
    without = {fold(name) for name in data.get("without_common", {})}
    names = {fold(g.name) for g in own}
    for common in common_groups():
        if fold(common.name) in names or fold(common.name) in without:
            continue
        tail = next((i for i, g in enumerate(own) if fold(g.name) == fold(common_groups()[-1].name)), len(own))
        own.insert(tail, common)
        names.add(fold(common.name))
    return tuple(own)


def _load(preset_id: str, data: dict[str, Any]) -> Preset:
    return Preset(
        id=preset_id,
        name=data.get("name", ""),
        start=_day_month(data.get("start", "")),
        end=_day_month(data.get("end", "")),
        groups=_groups(data),
        figures=tuple(data.get("figures", ())),
        wording=dict(data.get("wording", {})),
        settings=dict(data.get("settings", {})),
        aliases=tuple(data.get("aliases", ())),
        example=data.get("example", {}),
        bundled_example=bool(data.get("bundled_example")),
    )


@functools.lru_cache(maxsize=1)
def presets() -> dict[str, Preset]:
    """Every bundled preset by its id (the data file's name), in alphabetical order, ``blank`` last."""
    folder = resources.files("toolkit") / "data" / "campaigns"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: (e.name == f"{BLANK}.json", e.name)):
        if entry.name.endswith(".json"):
            preset_id = entry.name[: -len(".json")]
            found[preset_id] = _load(preset_id, json.loads(entry.read_text(encoding="utf-8")))
    return found


def find(name: str | None) -> Preset | None:
    """The preset an id, a campaign name or one of its aliases names (forgiving match), or None."""
    if not name:
        return None
    key = fold(bare_name(name))
    for preset in presets().values():
        if key in {fold(preset.id), *(fold(n) for n in (preset.name, *preset.aliases) if n)}:
            return preset
    return None


def blank() -> Preset:
    """The preset with nothing campaign-specific."""
    return presets()[BLANK]


def bundled() -> Preset:
    """The preset whose example is the bundled example workbook."""
    return next(p for p in presets().values() if p.bundled_example)

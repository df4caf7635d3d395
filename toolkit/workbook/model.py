"""The campaign as the documents need it: settings, citations, narrative, activities and figures.

The validator builds a ``Campaign`` from the workbook; the document builders read only this model.
Statistics for the report (who took part, what was spent) are computed here, once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core.text import fold
from .schema import PARTICIPANTS, PEOPLE, STATUS_CANCELLED, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_PLANNED
from .settings import Settings
from .wording import Level, default_level, layered


@dataclass
class Citation:
    """A document the plan or report implements or cites (a row of ``Căn cứ``)."""

    kind: str
    number: str
    issued: dt.date | None
    issuer: str
    summary: str = ""
    uses: frozenset[str] = frozenset({"plan", "report"})
    verb: str = ""  # ``Căn cứ`` or ``Thực hiện`` chosen by the row's ``Cách dẫn``; empty: as the kind says
    # how it is written in a document is ``documents/citing.py``'s


@dataclass
class Paragraph:
    """One paragraph of narrative; ``bullet`` when it was typed as a "- " list item."""

    text: str
    bullet: bool = False


_MALE = tuple(key for key, _ in PARTICIPANTS if key.endswith("_male"))  # summed for every activity, often
_FEMALE = tuple(key for key, _ in PARTICIPANTS if key.endswith("_female"))


@dataclass(slots=True)  # one per row: no __dict__ each
class Activity:
    """One row of the activity log."""

    row: int
    stt: int | None
    name: str
    group: str
    start: dt.date | None
    end: dt.date | None = None
    form: str = ""
    audience: str = ""
    lead: str = ""
    partners: str = ""
    status: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    banners: int = 0
    news: int = 0
    money: int = 0
    evidence: str = ""
    note: str = ""

    @property
    def done(self) -> bool:
        """True when the status is ``Đã thực hiện``."""
        return _is(self.status, STATUS_DONE)

    @property
    def cancelled(self) -> bool:
        """True when the status is ``Hủy``."""
        return _is(self.status, STATUS_CANCELLED)

    @property
    def planned(self) -> bool:
        """True when the status is still ``Kế hoạch``."""
        return _is(self.status, STATUS_PLANNED)

    @property
    def in_progress(self) -> bool:
        """True when the status is ``Đang thực hiện``."""
        return _is(self.status, STATUS_IN_PROGRESS)

    @property
    def male(self) -> int:
        """Male participants over staff, students and parents."""
        counts = self.counts
        return sum([counts.get(key, 0) for key in _MALE])

    @property
    def female(self) -> int:
        """Female participants over staff, students and parents."""
        counts = self.counts
        return sum([counts.get(key, 0) for key in _FEMALE])


@dataclass
class Figure:
    """A report figure not tied to one activity (``Số liệu khác``)."""

    name: str
    value: int
    note: str = ""


@dataclass
class Campaign:
    """Everything the two documents are made of."""

    settings: Settings
    citations: list[Citation] = field(default_factory=list)
    content: dict[str, list[Paragraph]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    groups: tuple[str, ...] = ()
    quiet_groups: frozenset[str] = frozenset()  # folded names of groups that need no participant count
    level: Level = field(default_factory=default_level)
    female_ratio: bool = False
    texts: dict[str, str] = field(default_factory=layered)  # every phrase of the documents, by key

    def needs_audience(self, activity: Activity) -> bool:
        """False for activities of a group that reaches people without a head count (banners, posts …)."""
        return fold(activity.group) not in self.quiet_groups

    def paragraphs(self, part: str) -> list[Paragraph]:
        """The narrative paragraphs of one part (``purpose``, ``direction`` …), in row order."""
        return self.content.get(part, [])

    def cited_for(self, use: str) -> list[Citation]:
        """Citations used for ``plan``, ``report``, ``identity`` or ``outline``, in row order."""
        return [c for c in self.citations if use in c.uses]

    @property
    def planned_activities(self) -> list[Activity]:
        """Activities the plan lists: every one not cancelled."""
        return [a for a in self.activities if not a.cancelled]

    @property
    def done_activities(self) -> list[Activity]:
        """Activities carried out (status ``Đã thực hiện``), which the report counts."""
        return [a for a in self.activities if a.done]

    @property
    def running_activities(self) -> list[Activity]:
        """Activities still under way (``Đang thực hiện``), which the report names as such."""
        return [a for a in self.activities if a.in_progress]

    def participants(self) -> dict[str, tuple[int, int]]:
        """(male, female) participants of done activities for ``staff``, ``students`` and ``parents``."""
        totals: dict[str, tuple[int, int]] = {}
        for group in PEOPLE:
            male = sum(a.counts.get(f"{group}_male", 0) for a in self.done_activities)
            female = sum(a.counts.get(f"{group}_female", 0) for a in self.done_activities)
            totals[group] = (male, female)
        return totals

    def stats(self) -> dict[str, object]:
        """The summary figures of ``--format json``."""
        done = self.done_activities
        return {
            "activities": len(self.activities),
            "done": len(done),
            "participants": {"female": sum(a.female for a in done), "male": sum(a.male for a in done)},
            "banners": sum(a.banners for a in done),
            "news": sum(a.news for a in done),
            "money_spent": sum(a.money for a in done),
            "money_planned": sum(a.money for a in self.planned_activities),
        }


def _is(status: str, key: str) -> bool:
    """True when ``status`` folds to the status ``key``; a text many times longer (a pasted paragraph, which
    the check reports as no list value) is not folded at all."""
    return len(status) <= 4 * len(key) + 64 and fold(status) == key

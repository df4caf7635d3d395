"""What one school reports, reduced to the figures a roll-up adds up, and their sum over schools.

A school's ``Figures`` are computed from its checked campaign exactly as its own report computes them
(done activities only), so the office's totals equal the sum of the schools' own reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.text import fold
from ..workbook.model import Campaign
from ..workbook.schema import PEOPLE
from ..workbook.wording import level_rank


@dataclass
class Figures:
    """One school's (or a sum of schools') reported figures."""

    activities: int = 0  # every row of the log
    done: int = 0  # carried out, which the report counts
    groups: dict[str, int] = field(default_factory=dict)  # done activities by group, in first-seen order
    people: dict[str, tuple[int, int]] = field(default_factory=lambda: {key: (0, 0) for key in PEOPLE})
    banners: int = 0
    news: int = 0
    money: int = 0  # spent on done activities
    money_planned: int = 0
    other: dict[str, int] = field(default_factory=dict)  # ``Số liệu khác`` by label, in first-seen order
    noted: frozenset[str] = frozenset()  # folded labels some school reported with a note (a zero that says something)
    levels: tuple[str, ...] = ()  # the school levels counted in, for the people words

    @classmethod
    def of(cls, c: Campaign) -> Figures:
        """The figures of one school's campaign."""
        done = c.done_activities
        groups: dict[str, int] = {}
        for activity in done:
            groups[activity.group] = groups.get(activity.group, 0) + 1
        people = c.participants()
        other: dict[str, int] = {}
        for figure in c.figures:
            other[figure.name] = other.get(figure.name, 0) + figure.value
        noted = frozenset(fold(figure.name) for figure in c.figures if figure.note)
        return cls(
            activities=len(c.activities),
            done=len(done),
            groups=groups,
            people=people,
            banners=sum(a.banners for a in done),
            news=sum(a.news for a in done),
            money=sum(a.money for a in done),
            money_planned=sum(a.money for a in c.planned_activities),
            other=other,
            noted=noted,
            levels=(c.level.name,),
        )

    @property
    def male(self) -> int:
        """Male participants over every group of people."""
        return sum(m for m, _ in self.people.values())

    @property
    def female(self) -> int:
        """Female participants over every group of people."""
        return sum(f for _, f in self.people.values())

    def stats(self) -> dict[str, object]:
        """The same summary as a school's ``--format json`` ``stats``."""
        return {
            "activities": self.activities,
            "done": self.done,
            "participants": {"female": self.female, "male": self.male},
            "banners": self.banners,
            "news": self.news,
            "money_spent": self.money,
            "money_planned": self.money_planned,
        }


def total(schools: list[Figures]) -> Figures:
    """The sum of schools' figures; groups and other figures matched by name whatever their spelling
    (``Tuyên truyền`` and ``tuyên truyền `` are one), under the first spelling seen (``run`` gives the schools
    in the order of the report's tables, so that the list's row order changes nothing); the levels in
    ``levels.json``'s ``order``."""
    result = Figures()
    group_names: dict[str, str] = {}
    other_names: dict[str, str] = {}
    levels: list[str] = []
    noted: set[str] = set()
    for f in schools:
        noted |= f.noted
        result.activities += f.activities
        result.done += f.done
        result.banners += f.banners
        result.news += f.news
        result.money += f.money
        result.money_planned += f.money_planned
        for key, (male, female) in f.people.items():
            m, w = result.people.get(key, (0, 0))
            result.people[key] = (m + male, w + female)
        for name, count in f.groups.items():
            shown = group_names.setdefault(fold(name), name)
            result.groups[shown] = result.groups.get(shown, 0) + count
        for name, value in f.other.items():
            shown = other_names.setdefault(fold(name), name)
            result.other[shown] = result.other.get(shown, 0) + value
        levels += [lv for lv in f.levels if lv not in levels]
    result.levels = tuple(sorted(levels, key=_level_order))
    result.noted = frozenset(noted)
    return result


def _level_order(name: str) -> tuple[int, int]:
    """Where a level comes in ``levels.json``'s ``order`` (a name that is no level after them): the people words
    (``Trẻ, học sinh, học viên``) never follow the list's row order."""
    rank = level_rank(name)
    return (0, rank) if rank is not None else (1, 0)


def reported(totals: Figures) -> list[tuple[str, int]]:
    """The other figures a roll-up prints: every one not zero, and a zero some school reported with a note
    (``Số vụ ngộ độc thực phẩm: 0 (Không xảy ra …)`` is a report's key message), summed."""
    return [(name, value) for name, value in totals.other.items() if value or fold(name) in totals.noted]

"""The words of the documents: every fixed phrase, and the words for learners and parents by school level.

Both are data (``toolkit/data/wording.json``, ``toolkit/data/levels.json``). The text a document uses for
a phrase is layered: the default, then the campaign preset's, then the workbook's own ``Câu chữ`` tab.
Phrases hold ``{placeholders}`` filled when the document is written (``PLACEHOLDERS`` lists them).
"""

from __future__ import annotations

import functools
import json
import re
import string
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..core.text import fold

# The placeholders every phrase may use, and those only some phrases get.
COMMON_FIELDS = ("dot", "don_vi", "hoc_sinh", "cha_me")
PLACEHOLDERS = (*COMMON_FIELDS, "so", "so_tien", "nguon", "ke_hoach")


@dataclass(frozen=True)
class Phrase:
    """One fixed phrase of the documents: its stable key, what it is for, and its default text."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Level:
    """A school level and the words documents use for its learners and their parents."""

    name: str
    markers: tuple[str, ...]
    learners: str
    learners_label: str
    parents: str
    parents_label: str
    combines: tuple[str, ...] = ()  # for a combined school: the levels it joins (a name showing two is this one)


def _data(name: str) -> Any:
    return json.loads((resources.files("toolkit") / "data" / name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def phrases() -> dict[str, Phrase]:
    """Every phrase by key, in the order of the data file."""
    return {p["key"]: Phrase(p["key"], p["label"], p["text"]) for p in _data("wording.json")["phrases"]}


@functools.lru_cache(maxsize=1)
def levels() -> tuple[Level, ...]:
    """Every school level, in the order their markers are tried."""
    return tuple(
        Level(
            lv["name"],
            tuple(lv["markers"]),
            lv["learners"],
            lv["learners_label"],
            lv["parents"],
            lv["parents_label"],
            tuple(lv.get("combines", ())),
        )
        for lv in _data("levels.json")["levels"]
    )


def find_level(name: str) -> Level | None:
    """The level a ``Cấp học`` value names (forgiving match), or None."""
    key = fold(name)
    return next((lv for lv in levels() if fold(lv.name) == key), None)


def default_level() -> Level:
    """The level assumed when nothing says otherwise."""
    found = find_level(_data("levels.json")["default"])
    if found is None:
        raise LookupError("levels.json names a default that is not a level")
    return found


def level_rank(name: str) -> int | None:
    """Where a level (named as ``Cấp học`` names it, or by one of its markers: ``THCS``, ``Tiểu học``) comes in
    ``levels.json``'s ``order``: Mầm non, Tiểu học, Liên cấp, THCS, THPT…; None for a name that is no level."""
    order = [fold(name) for name in _data("levels.json")["order"]]
    level = find_level(name)
    if level is None:
        level = next((lv for lv in levels() if fold(name) in {fold(m) for m in lv.markers}), None)
    return order.index(fold(level.name)) if level is not None and fold(level.name) in order else None


_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    """``text`` folded, its punctuation made spaces, between spaces: ``TH&THCS`` and ``TH, THCS`` → `` th thcs ``."""
    return " " + " ".join(_WORD.findall(fold(text))) + " "


def revealed_levels(unit: str) -> tuple[Level, ...]:
    """Every level whose markers a unit's name holds, in the order they are tried."""
    words = _words(unit)
    return tuple(lv for lv in levels() if any(_words(marker) in words for marker in lv.markers))


def revealed_level(unit: str) -> Level | None:
    """The level a unit's name reveals (``TRƯỜNG MẦM NON HOA SEN`` → Mầm non; a name showing two levels a
    combined school joins, ``TRƯỜNG TH&THCS AN PHÚ``, → that combined level), or None when it names none."""
    found = revealed_levels(unit)
    names = {fold(lv.name) for lv in found}
    combined = next((lv for lv in levels() if len(names & {fold(n) for n in lv.combines}) >= 2), None)
    return combined or (found[0] if found else None)


def level_of_unit(unit: str) -> Level:
    """The level a unit's name reveals, or the default."""
    return revealed_level(unit) or default_level()


def contradicts(chosen: Level, unit: str) -> Level | None:
    """The level ``unit``'s name reveals when ``chosen`` is none of the levels it shows (None when it is one, or the
    name shows no level); a combined school (``TRƯỜNG TH VÀ THCS …``, ``PTDTNT …``) may choose any level it joins."""
    revealed = revealed_level(unit)
    if revealed is None:
        return None
    shown = {fold(lv.name) for lv in revealed_levels(unit)} | {fold(name) for name in revealed.combines}
    return None if fold(chosen.name) in shown or fold(chosen.name) == fold(revealed.name) else revealed


_FIELD = re.compile(r"\{([^{}]*)\}")


def unknown_placeholders(text: str) -> list[str]:
    """The ``{names}`` in ``text`` that are not placeholders (an unbalanced brace counts as one)."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return [text]
    return [name for name in names if name not in PLACEHOLDERS]


@dataclass(frozen=True)
class Words:
    """The phrases one campaign's documents use, filled with its common fields."""

    texts: dict[str, str]
    fields: dict[str, str]

    def __call__(self, key: str, **extra: object) -> str:
        """The text of phrase ``key`` with its placeholders filled."""
        values = {**self.fields, **{k: str(v) for k, v in extra.items()}}
        return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), self.texts[key])

    def lines(self, key: str) -> list[str]:
        """A phrase holding a list, one item per line (or separated by ``;``), blank items dropped."""
        return split_list(self(key))


def split_list(text: str) -> list[str]:
    """Items of a list typed one per line or separated by ``;`` (trailing ``;`` and ``.`` dropped)."""
    items = (item.strip().rstrip(";.").strip() for item in re.split(r"[\n;]", text))
    return [item for item in items if item]


@functools.lru_cache(maxsize=1)
def rollup_phrases() -> dict[str, Phrase]:
    """Every phrase of the office's consolidated report (``rollup_wording.json``), by key."""
    return {p["key"]: Phrase(p["key"], p["label"], p["text"]) for p in _data("rollup_wording.json")["phrases"]}


def layered(*overrides: dict[str, str]) -> dict[str, str]:
    """Default texts replaced in turn by each mapping's non-blank texts for known keys."""
    texts = {key: phrase.text for key, phrase in phrases().items()}
    for mapping in overrides:
        texts.update({k: v for k, v in mapping.items() if k in texts and v is not None})
    return texts

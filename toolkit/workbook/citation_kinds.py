"""The kinds of cited documents, as ``toolkit/data/citations.json`` declares them: the verb that opens the line
(``Căn cứ``, ``Thực hiện``) and the form of the reference (``law``: by name and date; ``legal``: by number, date,
issuer and subject; ``direction``: ``… về việc …``). Validation asks what a kind's form needs filled in;
``documents/citing.py`` writes it."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..core.text import fold

LAW, LEGAL, DIRECTION = "law", "legal", "direction"


@dataclass(frozen=True)
class Way:
    """How one kind of document is cited: the verb opening the line and the form of the reference."""

    verb: str
    form: str


@functools.lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """``citations.json`` as read."""
    loaded: dict[str, Any] = json.loads(
        (resources.files("toolkit") / "data" / "citations.json").read_text(encoding="utf-8")
    )
    return loaded


@functools.lru_cache(maxsize=1)
def _kinds() -> dict[str, dict[str, str]]:
    """``citations.json``'s kinds by folded name, built once."""
    return {fold(kind): entry for kind, entry in data()["kinds"].items()}


def way(kind: str, verb: str = "") -> Way:
    """The verb and form for a document of ``kind``: a row's own ``Cách dẫn`` (``verb``) over its kind's, the
    kind's over the default."""
    entry = _kinds().get(fold(kind), data()["default"])
    return Way(verb or entry["verb"], entry["form"])


def names_itself(kind: str, name: str) -> bool:
    """Whether a law's name already opens with its kind (``Luật Bình đẳng giới`` of kind ``Luật``)."""
    return bool(kind) and (fold(name) == fold(kind) or fold(name).startswith(fold(kind) + " "))


def _plain(text: str) -> str:
    """Folded, without punctuation or spacing: ``Số 55/2010/QH12`` and ``55 / 2010 / QH12`` alike."""
    return re.sub(r"[^0-9a-z]+", "", fold(text))


def identities(kind: str, number: str, name: str, issued: dt.date | None) -> list[tuple[str, ...]]:
    """What tells one cited document from another, compared forgivingly (case, diacritics, spacing,
    punctuation, a leading ``số``): its kind and number; a law also its name (its kind before it or not) and
    date, as it is cited by them. Two rows sharing one cite the same document."""
    found: list[tuple[str, ...]] = []
    bare = _plain(number)
    bare = bare[2:] if bare.startswith("so") and bare[2:3].isdigit() else bare
    if bare:
        found.append(("number", fold(kind), bare))
    if name and way(kind).form == LAW:
        title = name.strip()
        if names_itself(kind, title):
            title = title[len(kind) :]
        if _plain(title):
            found.append(("law", fold(kind), _plain(title), issued.isoformat() if issued else ""))
    return found

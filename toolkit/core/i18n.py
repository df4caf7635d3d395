"""Messages for people, in the language they chose: one catalogue mechanism for every message.

Vietnamese is the source language: a message is written in code as ``T("Không tìm thấy tệp {path}.",
path=path)``, and ``toolkit/locale/<lang>.po`` (standard gettext catalogues, read with Babel) gives it in
another language. A ``Message`` stays unformatted until it is shown, so a library call can raise or report
it before anyone knows the language. ``tests/test_i18n.py`` fails when a message has no translation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

SOURCE_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")


@functools.cache
def catalogue(lang: str) -> dict[tuple[str | None, str], str]:
    """The translations of ``lang`` by (context, Vietnamese message); empty for Vietnamese itself."""
    path = resources.files("toolkit") / "locale" / f"{lang}.po"
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        entries = read_po(handle)
    return {(m.context, str(m.id)): str(m.string) for m in entries if m.id and m.string}


def translate(template: str, lang: str, context: str | None = None) -> str:
    """``template`` in ``lang`` (the Vietnamese itself when no translation is known). ``context`` tells
    apart the same Vietnamese said in two places that other languages say differently (a problem's code)."""
    return catalogue(lang).get((context, template), template)


@dataclass(frozen=True)
class Message:
    """A message for people: its Vietnamese template and the values of its ``{fields}``."""

    template: str
    fields: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str = SOURCE_LANGUAGE) -> str:
        """The message in ``lang``, its fields filled in."""
        fields = {k: v.text(lang) if isinstance(v, Message) else v for k, v in self.fields}
        return translate(self.template, lang).format(**fields)

    def __str__(self) -> str:
        return self.text()


Notify = Callable[[Message], None]  # where a library call tells people something, in their language


def T(template: str, **fields: Any) -> Message:
    """Mark ``template`` as a message for people, with the values of its fields."""
    return Message(template, tuple(fields.items()))

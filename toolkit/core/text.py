"""Text helpers for Vietnamese: cleaning values on the way in, forgiving matching keys, slugs.

``fold`` is the single matching rule used for tab names, column headers, settings keys and list values:
NFC, trimmed, inner spaces collapsed, case-folded, diacritics stripped and ``đ`` folded to ``d``.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable

_XESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SPACES = re.compile(r"\s+")
# Characters XML 1.0 cannot carry: no .docx or .xlsx may hold them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What cleaning removes from a cell: those, and DEL (line breaks are normalised to \n first).
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")
# A word of a doubled phrase starts with a letter and holds letters, digits and / & . - only.
_WORD_START = re.compile(r"^[^\W\d_][\w/&.-]*$")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC form (decomposed Vietnamese tone marks recomposed)."""
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """Return ``text`` NFC-normalised, trimmed, with every run of white space made one space."""
    return _SPACES.sub(" ", nfc(text)).strip()


def strip_diacritics(text: str) -> str:
    """Return ``text`` without Vietnamese diacritics; ``đ``/``Đ`` become ``d``/``D``."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65536)  # list values and headers repeat on every row
def fold(text: str) -> str:
    """Return the forgiving matching key of ``text`` (``HOẠT  ĐỘNG`` and ``hoat dong`` give the same key)."""
    return strip_diacritics(collapse(text).casefold())


def clean_text(text: str) -> tuple[str, bool]:
    """Clean one cell's text and say whether control characters had to be removed.

    Decodes Excel ``_xHHHH_`` escapes, turns ``\\r\\n``, ``\\x0b`` and ``\\x0c`` into ``\\n``, removes other
    characters XML cannot hold, normalises to NFC and trims the ends.
    """
    text = _XESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = _LINE_BREAKS.sub("\n", text)
    cleaned = _ILLEGAL.sub("", text)
    removed = cleaned != text
    cleaned = nfc(cleaned).strip()
    return cleaned, removed


def doubled_phrase(text: str) -> str | None:
    """Return a phrase of two to six words typed twice in a row in ``text``, or None.

    Single doubled words are left alone: Vietnamese uses them on purpose ("nhà nhà, người người").
    Linear in the length of the text: words are compared as tokens, never by a backtracking pattern.
    """
    words = collapse(text).split(" ")
    keys = [w.casefold() for w in words]
    wordlike = [bool(_WORD_START.match(w)) for w in words]
    for i in range(len(words)):
        for size in range(2, 7):
            end = i + 2 * size
            if end > len(words):
                break
            if keys[i : i + size] == keys[i + size : end] and all(wordlike[i : i + size]):
                return " ".join(words[i : i + size])
    return None


def closest(value: str, choices: Iterable[str]) -> str | None:
    """Return the allowed value nearest to ``value`` by folded spelling, or None when nothing is near."""
    return _closest(value, tuple(choices))


@functools.lru_cache(maxsize=1024)  # the same wrong value is often typed in many rows
def _closest(value: str, choices: tuple[str, ...]) -> str | None:
    if len(value) > 200:
        return None  # a whole paragraph is no near miss of a list value
    by_key = {fold(choice): choice for choice in choices}
    key = fold(value)
    starts = [choice for k, choice in by_key.items() if k.startswith(key) or key.startswith(k)]
    if starts:
        return starts[0]
    near = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
    return by_key[near[0]] if near else None


_SLUG_STOPWORDS = {"va", "voi", "vi", "cua", "cho", "tren", "trong", "ve", "o"}


def slug(text: str, max_len: int = 36) -> str:
    """Return an ASCII file-name slug of ``text``, cut at a word boundary, never empty.

    ``Tháng hành động vì bình đẳng giới và …`` → ``thang-hanh-dong-vi-binh-dang-gioi``.
    """
    words = re.findall(r"[a-z0-9]+", fold(text))
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > max_len:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1] in _SLUG_STOPWORDS:
        kept.pop()
    if not kept and words:
        kept = [words[0][:max_len]]
    return "-".join(kept) or "tai-lieu"

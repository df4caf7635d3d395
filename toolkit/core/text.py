"""Text helpers for Vietnamese: cleaning values on the way in, forgiving matching keys, slugs.

``fold`` is the single matching rule used for tab names, column headers, settings keys and list values:
NFC, trimmed, inner spaces collapsed, case-folded, diacritics stripped and ``đ`` folded to ``d``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_XESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters XML 1.0 cannot carry: no .docx or .xlsx may hold them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What cleaning removes from a cell: those, and DEL (line breaks are normalised to \n first).
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")
_NEEDS_CLEANING = re.compile(
    "_x[0-9A-Fa-f]{4}_|[\r\x0b\x0c\u2028\u2029\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]"
)
# every mark from U+0300 to U+036F but U+034F (the grapheme joiner, of combining class 0: kept as the
# character-by-character rule keeps it)
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")
_BEYOND_LATIN_MARKS = "\u0483"  # where the next combining marks begin (compared, not matched: a character
# class up to U+10FFFF costs ~5 ms to compile at every start)
_TOKEN_BASE, _TOKENS = 0x10000, 0x100000  # one character per distinct word, from plane 1 on
_DOUBLED_RUN = re.compile(r"(.{2,6}?)\1", re.DOTALL)
# A word of a doubled phrase starts with a letter and holds letters, digits and / & . - only.
_WORD_START = re.compile(r"^[^\W\d_][\w/&.-]*$")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC form (decomposed Vietnamese tone marks recomposed)."""
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """Return ``text`` NFC-normalised, trimmed, with every run of white space made one space."""
    return " ".join(nfc(text).split())  # str.split() splits where \s+ would, and drops the ends


def strip_diacritics(text: str) -> str:
    """Return ``text`` without Vietnamese diacritics (every combining mark); ``đ``/``Đ`` become ``d``/``D``.

    The marks of Latin letters (U+0300–U+036F, every combining mark below U+0483) go by one regular
    expression; only a text holding characters beyond that is looked at character by character."""
    decomposed = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")))
    if not decomposed or max(decomposed) < _BEYOND_LATIN_MARKS:
        return decomposed
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
    if _NEEDS_CLEANING.search(text) is None:  # one scan of the text instead of three, for almost every cell
        return nfc(text).strip(), False
    text = _XESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = _LINE_BREAKS.sub("\n", text)
    cleaned = _ILLEGAL.sub("", text)
    removed = cleaned != text
    cleaned = nfc(cleaned).strip()
    return cleaned, removed


def doubled_phrase(text: str) -> str | None:
    """Return a phrase of two to six words typed twice in a row in ``text``, or None (the first in the text,
    the shortest where several start at one word).

    Single doubled words are left alone: Vietnamese uses them on purpose ("nhà nhà, người người").
    Linear in the length of the text: each distinct word (case aside) becomes one character, so a doubled
    phrase is a doubled run of two to six characters, found by one regular expression at C speed that
    tries at most six lengths at each start; a phrase holding something other than words is skipped.
    """
    words = nfc(text).split()  # collapse(text)'s words
    keys = "\x00".join(words).casefold().split("\x00")
    if len(keys) != len(words):  # a word holding NUL
        keys = [w.casefold() for w in words]
    distinct = dict.fromkeys(keys)
    if len(distinct) > _TOKENS:
        return None  # more different words than a cell can hold
    code = {key: chr(_TOKEN_BASE + n) for n, key in enumerate(distinct)}
    tokens = "".join(map(code.__getitem__, keys))
    start = 0
    while (found := _DOUBLED_RUN.search(tokens, start)) is not None:
        i, size = found.start(), len(found.group(1))
        if all(_WORD_START.match(w) for w in words[i : i + size]):
            return " ".join(words[i : i + size])
        start = i + 1  # a longer phrase from here holds the same non-word: none can count
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
    import difflib  # only when a name is not found: kept out of every start-up

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

"""Vietnamese typed in the legacy 8-bit encodings TCVN3 (ABC, ``.VnTime`` fonts) and VNI (``VNI-Times``).

Such text, read by Excel or Sheets as Windows-1252, shows as ``Tr­êng TiÓu häc`` (TCVN3) or
``Tröôøng Tieåu hoïc`` (VNI). ``detect`` recognises it by its characters; ``to_unicode`` converts it.
TCVN3 is one byte per letter; VNI writes a base letter followed by a mark character.
"""

from __future__ import annotations

import functools
import re

# TCVN3 (ABC) code → Unicode letter, lower-case row by row: a, ă, â, đ, e, ê, i, o, ô, ơ, u, ư, y; then capitals.
_TCVN3 = dict(
    zip(
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦",
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        strict=True,
    )
)

# VNI: each Vietnamese vowel is its base letter (or a stand-in) followed by a mark for the tone.
_TONES = ("", "ù", "ø", "û", "õ", "ï")  # none, sắc, huyền, hỏi, ngã, nặng
_VNI_VOWELS = (  # (VNI spelling without tone, the tones' spellings, Unicode letters without tone → nặng)
    ("a", ("a", "aù", "aø", "aû", "aõ", "aï"), "aáàảãạ"),
    ("aâ", ("aâ", "aá", "aà", "aå", "aã", "aä"), "âấầẩẫậ"),
    ("aê", ("aê", "aé", "aè", "aú", "aü", "aë"), "ăắằẳẵặ"),
    ("e", ("e", "eù", "eø", "eû", "eõ", "eï"), "eéèẻẽẹ"),
    ("eâ", ("eâ", "eá", "eà", "eå", "eã", "eä"), "êếềểễệ"),
    ("o", ("o", "où", "oø", "oû", "oõ", "oï"), "oóòỏõọ"),
    ("oâ", ("oâ", "oá", "oà", "oå", "oã", "oä"), "ôốồổỗộ"),
    ("ô", ("ô", "ôù", "ôø", "ôû", "ôõ", "ôï"), "ơớờởỡợ"),
    ("u", ("u", "uù", "uø", "uû", "uõ", "uï"), "uúùủũụ"),
    ("ö", ("ö", "öù", "öø", "öû", "öõ", "öï"), "ưứừửữự"),
    ("i", ("i", "í", "ì", "æ", "ó", "ò"), "iíìỉĩị"),
    ("y", ("y", "yù", "yø", "yû", "yõ", "î"), "yýỳỷỹỵ"),
)
_VNI: dict[str, str] = {"ñ": "đ", "Ñ": "Đ"}
for _, spellings, letters in _VNI_VOWELS:
    for spelling, letter in zip(spellings, letters, strict=True):
        if spelling != letter:
            _VNI[spelling] = letter
            _VNI[spelling.upper()] = letter.upper()


@functools.cache  # compiled when first needed (a text that is not Unicode Vietnamese), not at every start
def _vni_pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))


@functools.cache
def _tcvn3_pattern() -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(_TCVN3)) + "]")


_VN_UNICODE = re.compile("[ăđơưĂĐƠƯĩũĨŨ\u1ea0-\u1ef9]")
_VN_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_VNI_MARKS = set("øåäöûïñØÅÄÖÛÏÑ")


def detect(text: str) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` when ``text`` looks typed in a legacy encoding, else None.

    Such text has none of the Vietnamese letters beyond Latin-1 (``ư``, ``ơ``, ``ạ`` …). TCVN3 text has
    symbols no language writes inside words (``¸ µ ¶ × ­``); VNI text has at least two letter-and-mark
    pairs (``oä``, ``aø``). Foreign words such as "naïve" or "Zürich" are not mistaken for either.
    """
    if not text or text.isascii() or _VN_UNICODE.search(text):
        return None
    codes = [ch for ch in text if ch in _TCVN3 and ch not in _VN_LATIN1]
    if len(codes) >= 2 and any(not ch.isalpha() for ch in codes):
        return "TCVN3"
    if len(_vni_pattern().findall(text)) >= 2 and any(ch in _VNI_MARKS for ch in text):
        return "VNI"
    return None


def to_unicode(text: str, encoding: str) -> str:
    """``text`` converted from ``TCVN3``, ``TCVN3H`` (the all-capitals ``.VnTimeH`` fonts) or ``VNI``."""
    if encoding == "VNI":
        return _vni_pattern().sub(lambda m: _VNI[m.group()], text)
    converted = _tcvn3_pattern().sub(lambda m: _TCVN3[m.group()], text)
    return converted.upper() if encoding == "TCVN3H" else converted


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies (``.VnTime`` → TCVN3, ``.VnTimeH`` → TCVN3H, ``VNI-Times`` → VNI)."""
    if not font:
        return None
    name = font.strip().lower()
    if name.startswith(".vn"):
        return "TCVN3H" if name.endswith("h") else "TCVN3"
    if name.startswith(("vni-", "vni ")):
        return "VNI"
    return None

"""Names of schools and offices as Vietnamese administrative writing spells and sets them.

``in_sentence`` turns the capitals of a letterhead into the casing used inside a sentence
(``TRƯỜNG MẦM NON HOA SEN`` → ``Trường Mầm non Hoa Sen``): the first word and proper names title-case,
level and administrative words lower-case, abbreviations kept (Decree 30, Phụ lục II). ``break_lines``
finds where a name too long for its column may break: after the kind of body (``TRƯỜNG THCS /
NGUYỄN TRÃI``) or before an administrative unit, never inside the proper name when that can be avoided.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..core.text import fold, nfc, strip_diacritics

# Phrases written with fixed casing inside a sentence (after the first word of the name).
_PHRASES = (
    "Mầm non",
    "Mẫu giáo",
    "Nhà trẻ",
    "Nhóm trẻ",
    "Tiểu học",
    "Trung học cơ sở",
    "Trung học phổ thông",
    "Liên cấp",
    "Phổ thông",
    "Dân tộc nội trú",
    "Dân tộc bán trú",
    "Giáo dục và Đào tạo",
    "Giáo dục thường xuyên",
    "Giáo dục nghề nghiệp",
    "Ủy ban nhân dân",
    "Thành phố Hồ Chí Minh",
    "Thủ đô Hà Nội",
    "Trung tâm",
)
# Words written in lower case inside a name: administrative units (``xã Tân Phú``) and ``và``.
_LOWER = ("và", "xã", "phường", "thị trấn", "đặc khu", "huyện", "quận", "thị xã", "tỉnh", "thành phố")
_ACRONYMS = {"UBND", "HĐND", "MTTQ", "TNCS", "LĐLĐ", "PTDTBT", "PTDTNT", "GDTX", "GDNN"}
# Words that name the kind of body at the start of a name; the proper name comes after them.
_KIND_WORDS = ("Trường", "Sở", "Phòng", "Ban", "Trung tâm", "Ủy ban nhân dân", "Hội đồng nhân dân")
_VOWELS = set("aeiouy")


def _key(text: str) -> str:
    """Matching key for name words: case-insensitive but, unlike ``fold``, keeping diacritics (Số ≠ Sở)."""
    return nfc(text).casefold()


_BY_LENGTH = sorted(((tuple(_key(p).split()), p) for p in (*_PHRASES, *_LOWER)), key=lambda t: -len(t[0]))


def _is_acronym(word: str) -> bool:
    base = strip_diacritics(word).lower()
    return word in _ACRONYMS or not (set(base) & _VOWELS) or (any(ch.isdigit() for ch in word) and word.isupper())


def _phrase_at(keys: list[str], i: int) -> tuple[int, str] | None:
    """The fixed phrase starting at word ``i``: (number of words, its spelling), or None."""
    for phrase_keys, spelling in _BY_LENGTH:
        if tuple(keys[i : i + len(phrase_keys)]) == phrase_keys:
            return len(phrase_keys), spelling
    return None


_OPENING = "“‘\"'([«"  # punctuation a word may open with: quotes, brackets
_CLOSING = "”’\"')]»,.;:!?"
_QUOTES = "“”‘’\"'«»"


def _parts(word: str) -> tuple[str, str, str]:
    """``“HOA`` → (``“``, ``HOA``, ``""``): the punctuation around a word, and the word itself."""
    core = word.lstrip(_OPENING)
    lead = word[: len(word) - len(core)]
    bare = core.rstrip(_CLOSING)
    return lead, bare, core[len(bare) :]


def _titled(word: str) -> str:
    """A word of a proper name: its first letter a capital, an abbreviation kept."""
    return word if _is_acronym(word) else word[:1].upper() + word[1:].lower()


def in_sentence(name: str) -> str:
    """The name as written inside a sentence. A name typed in mixed case is kept as typed. Each word is judged
    without the quotes or brackets around it, and a name in quotes (``“HOA SEN”``) is a proper name: every
    word of it keeps its capital."""
    if any(ch.islower() for ch in name):
        return " ".join(name.split())
    words = name.split()
    parts = [_parts(w) for w in words]
    keys = [_key(bare) for _, bare, _ in parts]
    quoted = []
    inside = False
    for lead, _, trail in parts:
        opens = any(ch in _QUOTES for ch in lead)
        quoted.append(inside or opens)
        closes = any(ch in _QUOTES for ch in trail)
        inside = (inside or opens) and not closes
    out: list[str] = []
    i = 0
    while i < len(words):
        found = None if quoted[i] else _phrase_at(keys, i)
        if found:
            length, spelling = found
            spelled = spelling.split()
            if i == 0:
                spelled[0] = spelled[0][:1].upper() + spelled[0][1:]
            for j, piece in enumerate(spelled):  # each word of the phrase keeps its own punctuation
                lead, _, trail = parts[i + j]
                out.append(f"{lead}{piece}{trail}")
            i += length
            continue
        lead, bare, trail = parts[i]
        out.append(f"{lead}{_titled(bare)}{trail}")
        i += 1
    return " ".join(out)


def _kind_length(words: list[str]) -> int:
    """How many words at the start of a name say what kind of body it is (``TRƯỜNG TH VÀ THCS`` → 4)."""
    keys = [_key(w) for w in words]
    kinds = sorted((tuple(_key(k).split()) for k in _KIND_WORDS), key=len, reverse=True)
    i = 0
    while i < len(words):
        kind = next((k for k in kinds if tuple(keys[i : i + len(k)]) == k), None)
        phrase = _phrase_at(keys, i)
        if kind:
            i += len(kind)
        elif phrase and phrase[1] not in _LOWER[1:]:
            i += phrase[0]
        elif _is_acronym(words[i]) and not any(ch.isdigit() for ch in words[i]):
            i += 1
        else:
            break
    return i


def break_lines(name: str, fits: Callable[[str], bool]) -> list[str]:
    """``name`` as one line if it fits, else split at the most natural place where each part fits."""
    if fits(name):
        return [name]
    words = name.split()
    keys = [_key(w) for w in words]
    kind = _kind_length(words)
    natural = [kind] if 0 < kind < len(words) else []
    natural += [
        i
        for i in range(max(kind, 1), len(words))
        if any(tuple(keys[i : i + len(k.split())]) == tuple(_key(k).split()) for k in _LOWER[1:])
    ]
    others = sorted(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    candidates = [*natural, *(i for i in others if i not in natural)]
    for at in candidates:
        first, rest = " ".join(words[:at]), " ".join(words[at:])
        if fits(first) and fits(rest):
            return [first, rest]
    for at in candidates:  # no two lines will do: the first line that fits, then the rest broken again
        first, rest = " ".join(words[:at]), " ".join(words[at:])
        if fits(first):
            return [first, *break_lines(rest, fits)]
    return [name]


# Abbreviations of the kind of body and of school levels (folded), spelled out when two names are compared:
# how a letterhead shortens what a certificate or another list may spell out, or the other way.
_SPELLED_OUT = {
    "th": "tieu hoc",
    "thcs": "trung hoc co so",
    "thpt": "trung hoc pho thong",
    "mn": "mam non",
    "mg": "mau giao",
    "ptdtnt": "pho thong dan toc noi tru",
    "ptdtbt": "pho thong dan toc ban tru",
    "gdtx": "giao duc thuong xuyen",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "gd&dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "gd-dt": "giao duc va dao tao",
    "sgddt": "so giao duc va dao tao",
    "pgddt": "phong giao duc va dao tao",
    "tp.": "thanh pho",
    "tp": "thanh pho",
}
_WORDS = re.compile(r"[^\s,.;:()]+\.?")


def body_key(name: str) -> str:
    """The key two spellings of one office share: ``UBND xã Đại Lộc`` and ``Ủy ban nhân dân xã Đại Lộc``
    (also ``Uỷ``/``Ủy``, case and spacing) give the same key."""
    words = [fold(w) for w in _WORDS.findall(nfc(name))]
    return " ".join(_SPELLED_OUT.get(w, _SPELLED_OUT.get(w.rstrip("."), w.rstrip("."))) for w in words)


_COMMITTEE = body_key("Ủy ban nhân dân") + " "


def under_its_committee(body: str, parent: str) -> str:
    """The key of ``body``'s name completed by the place of the People's Committee it belongs to, as the body
    is also called: ``SỞ GIÁO DỤC VÀ ĐÀO TẠO`` under ``ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG`` is ``Sở Giáo dục và
    Đào tạo thành phố Hải Phòng`` ("" when ``parent`` is no People's Committee)."""
    key = body_key(parent)
    return f"{body_key(body)} {key.removeprefix(_COMMITTEE)}" if body and key.startswith(_COMMITTEE) else ""


def same_name(one: str, other: str) -> bool:
    """Whether two spellings may name the same person or body: folded (case, diacritics, spaces and
    punctuation aside), ``&`` read as ``và``, the usual abbreviations spelt out, one contained in the other."""
    keys = []
    for text in (one, other):
        words = re.sub(r"[^0-9a-z]+", " ", body_key(text).replace("&", " va ")).split()  # TH&THCS = TH và THCS
        keys.append(" " + " ".join(_SPELLED_OUT.get(w, w) for w in words) + " ")
    a, b = keys
    return bool(a.strip() and b.strip()) and (a in b or b in a)


# Words of the level above communes and wards (since 7/2025 only provinces and centrally-run cities), folded;
# and the words that start a commune-level unit's name (after the People's Committee, a school's parent body).
_PROVINCE_WORD = re.compile(r"(?:^| )(?:tinh|thanh pho)(?= |$)")
_COMMUNE_WORD = re.compile(r"(?:^| )(?:xa|phuong|thi tran|dac khu) ")


def _body_parts(key: str) -> tuple[str, str]:
    """A ``body_key`` split into the body and the province it may name: a commune's or ward's name keeps its
    own words and loses a trailing ``tỉnh X``/``thành phố X`` (returned as ``X``); any other name only loses
    the province word (``Sở GD&ĐT tỉnh Đồng Nai`` → ``so giao duc va dao tao dong nai``, no province)."""
    commune = _COMMUNE_WORD.search(key)
    if commune:
        province = _PROVINCE_WORD.search(key, commune.end())
        if province and province.start() > commune.end():
            return key[: province.start()].strip(), key[province.end() :].strip()
        return key.strip(), ""
    return " ".join(_PROVINCE_WORD.sub(" ", key).split()), ""


def same_body(name: str, body: str, parent: str = "") -> bool:
    """Whether ``name`` names ``body``, an office whose own parent body is ``parent``: spellings compared as
    ``body_key`` does, the office's name possibly completed by its committee's place (``under_its_committee``),
    the province word optional (``Sở GD&ĐT Đồng Nai`` = ``Sở GD&ĐT tỉnh Đồng Nai``) and a province after a
    commune's or ward's name optional (``UBND xã Tân Phú, tỉnh Đồng Nai`` = ``UBND xã Tân Phú``) unless it names
    another province than the office's. Two communes (``xã Tân Phú``, ``xã Tân Phú Đông``, ``phường Tân Phú``)
    or two provinces' departments stay different bodies."""
    own, own_province = _body_parts(body_key(name))
    if not (own and body):
        return False
    keys = [body_key(body), under_its_committee(body, parent)]
    office = [_body_parts(key) for key in keys if key]
    provinces = {province for _, province in office if province}
    return own in {core for core, _ in office} and (not own_province or not provinces or own_province in provinces)

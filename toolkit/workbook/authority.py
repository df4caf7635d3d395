"""Who a document is signed for: Decree 30's ``TM.`` (thay mặt) is followed by the collective body's name.

Decree 30/2020/NĐ-CP, Phụ lục I, signs a collective's document ``TM. ỦY BAN NHÂN DÂN`` over ``CHỦ TỊCH``
(``TM. HỘI ĐỒNG TRƯỜNG`` over ``CHỦ TỊCH`` in a school): with ``TM.`` the setting ``Chức vụ thủ trưởng`` holds
the collective's name, and ``Chức vụ người ký`` the title of the person who signs. ``TM. CHỦ TỊCH`` (a
person's title after ``TM.``) is the slip this module warns about.
"""

from __future__ import annotations

from ..core.text import fold
from .checker import Checker
from .model import Settings
from .settings import setting_label
from .tables import Record, Table

# The titles of a person who heads a body (folded), which never follow TM.: a deputy's (``Phó …``) too.
PERSON_TITLES = (
    "chu tich",
    "hieu truong",
    "giam doc",
    "tong giam doc",
    "truong phong",
    "truong ban",
    "bi thu",
    "chu nhiem",
    "thu truong",
    "vien truong",
    "cuc truong",
    "vu truong",
    "hieu pho",
    "to truong",
)


def is_person_title(text: str) -> bool:
    """True when ``text`` is a person's title (``Chủ tịch``, ``PHÓ HIỆU TRƯỞNG``, ``Giám đốc Sở``), not a
    collective's name (``Ủy ban nhân dân``, ``Hội đồng trường``)."""
    words = fold(text).removeprefix("pho ")
    return any(words == title or words.startswith(title + " ") for title in PERSON_TITLES)


def check_collective(c: Checker, table: Table, s: Settings, seen: dict[str, Record]) -> None:
    """Warn at ``Chức vụ thủ trưởng`` when the document is signed ``TM.`` a person's title."""
    if s.authority == "TM." and "head_title" in seen and s.head_title and is_person_title(s.head_title):
        c.add("tm-person-title", table, seen["head_title"], "value", s.head_title, label=setting_label("head_title"))

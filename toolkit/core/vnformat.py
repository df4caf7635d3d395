"""Vietnamese administrative formats: place-date lines, document numbers, money and percentages."""

from __future__ import annotations

import datetime as dt
import re

BLANK_DAY = "\u00a0" * 5  # room for a date or number written by hand


def place_date(place: str, date: dt.date | None, year: int | None = None) -> str:
    """``Bình An, ngày 07 tháng 11 năm 2023``: day padded below 10, month padded only for 01 and 02.

    With no date the day and month are left blank for handwriting, in the given year.
    """
    if date is None:
        return f"{place}, {blank_date(year)}"
    return f"{place}, ngày {long_date(date)}"


def blank_date(year: int | None = None) -> str:
    """``ngày      tháng      năm 2023``: a date left for handwriting, in the given year."""
    year_text = str(year) if year else BLANK_DAY
    return f"ngày{BLANK_DAY}tháng{BLANK_DAY}năm {year_text}"


def local_moment(stamp: object) -> dt.datetime | None:
    """A recorded time (a ``datetime``, ISO 8601, or the older ``06/12/2026 16:02``) in this computer's time
    zone (a school's is Asia/Ho_Chi_Minh), to be shown to people; None when ``stamp`` is no time."""
    if isinstance(stamp, dt.datetime):
        return stamp.astimezone()
    for shape in (dt.datetime.fromisoformat, lambda s: dt.datetime.strptime(s, "%d/%m/%Y %H:%M")):
        try:
            return shape(str(stamp)).astimezone()
        except (TypeError, ValueError, OverflowError):
            continue
    return None


def long_date(date: dt.date) -> str:
    """``07 tháng 11 năm 2023``: a date written in full, day padded below 10, month padded only for 01 and 02
    (the place-date line, a cited legal document's date)."""
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{date.day:02d} tháng {month} năm {date.year}"


def number_symbol(number: int | None, kind: str, abbr: str) -> str:
    """``12/KH-THBA`` (as a sentence cites a document); numbers under 10 get a leading zero; no number leaves
    room to write it."""
    text = f"{number:02d}" if number else BLANK_DAY * 2
    return f"{text}/{kind}-{abbr}"


def doc_number(number: int | None, kind: str, abbr: str) -> str:
    """``Số: 12/KH-THBA``, the number line of a document's top block."""
    return f"Số: {number_symbol(number, kind, abbr)}"


def date_text(date: dt.date | None) -> str:
    """``15/11/2023``, or a dotted blank."""
    return f"{date:%d/%m/%Y}" if date else "…/…/……"


def span_text(start: dt.date | None, end: dt.date | None) -> str:
    """``15/11/2023`` for one day, ``15/11 - 20/11/2023`` within a year, full dates otherwise."""
    if start is None:
        return ""
    if end is None or end == start:
        return date_text(start)
    if end.year == start.year:
        return f"{start:%d/%m} - {end:%d/%m/%Y}"
    return f"{date_text(start)} - {date_text(end)}"


def thousands(number: int) -> str:
    """``1.500.000``: a dot between thousands, as Vietnamese writes numbers."""
    return f"{number:,}".replace(",", ".")


def money(amount: int) -> str:
    """``1.500.000 đồng``."""
    return f"{thousands(amount)} đồng"


def percent(part: int, whole: int) -> str:
    """``51,2`` (one decimal, decimal comma); ``-`` when the whole is zero."""
    if whole == 0:
        return "-"
    return f"{100 * part / whole:.1f}".replace(".", ",")


# Units a figure's label may carry in brackets (``Giá trị quà tặng (đồng)``): written after the number instead.
UNITS = (
    "đồng",
    "nghìn đồng",
    "triệu đồng",
    "VNĐ",
    "%",
    "người",
    "lượt",
    "lượt người",
    "suất",
    "cuốn",
    "quyển",
    "kg",
    "giờ",
    "buổi",
    "vụ",
    "bài",
    "tin bài",
    "chiếc",
    "bộ",
    "điểm",
    "lớp",
    "trường",
)
_UNIT = re.compile(r"^(?P<name>.*\S)\s*\((?P<unit>[^()]+)\)\s*$")


def split_unit(name: str) -> tuple[str, str]:
    """``("Giá trị quà tặng", "đồng")`` for ``Giá trị quà tặng (đồng)``; ``(name, "")`` when no known unit."""
    match = _UNIT.match(name)
    if match and match["unit"].strip().casefold() in {u.casefold() for u in UNITS}:
        return match["name"], match["unit"].strip()
    return name, ""


def figure_text(name: str, value: int, note: str = "") -> str:
    """``Giá trị quà tặng: 17.500.000 đồng.``, ``Số vụ ngộ độc thực phẩm: 0 (Không xảy ra ngộ độc).``: the
    unit after the number, the note after both."""
    label, unit = split_unit(name)
    number = thousands(value) + ("" if not unit else unit if unit == "%" else f" {unit}")
    return f"{label}: {number}" + (f" ({note})" if note else "") + "."

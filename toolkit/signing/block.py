"""Where a document's signature block is, read from the PDF itself (so it holds for any page count and any
document the toolkit writes — plan, report, roll-up — and for the same layout made by hand).

Decree 30's signature block sits beside ``Nơi nhận:``: on its right, the authority lines (``KT. HIỆU
TRƯỞNG`` / ``PHÓ HIỆU TRƯỞNG``), empty lines where the signature and seal go, then the signer's name. The
text lines of the last page holding ``Nơi nhận`` are read with pdfminer.six; the widest vertical gap between
the lines of the right-hand column is the space for the marks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ..core.errors import SigningError
from ..core.i18n import T
from ..core.text import fold


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in PDF points from the page's bottom-left corner."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def as_tuple(self) -> tuple[int, int, int, int]:
        """The box rounded outwards to whole points, as pyHanko takes it."""
        import math

        return (math.floor(self.x0), math.floor(self.y0), math.ceil(self.x1), math.ceil(self.y1))


@dataclass(frozen=True)
class Line:
    """A line of text on a page and its box."""

    text: str
    box: Box


@dataclass(frozen=True)
class SignatureBlock:
    """The signature block: its page (0-based) and size, the whole block (authority lines to name, the column's
    width) and the empty space between the authority lines and the name."""

    page: int
    page_size: tuple[float, float]
    block: Box
    space: Box
    titles: tuple[str, ...]
    name: str
    name_box: Box


def pages(pdf: bytes) -> list[tuple[tuple[float, float], list[Line]]]:
    """Every page's size and text lines."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine

    found = []
    for page in extract_pages(io.BytesIO(pdf), laparams=LAParams()):
        lines = []
        for element in page:
            if isinstance(element, LTTextBox):
                for line in element:
                    if isinstance(line, LTTextLine) and line.get_text().strip():
                        lines.append(Line(line.get_text().strip(), Box(line.x0, line.y0, line.x1, line.y1)))
        found.append(((page.width, page.height), lines))
    return found


def find_block(pdf: bytes) -> SignatureBlock:
    """The signature block of ``pdf``; ``SigningError`` when none is found."""
    try:
        every = pages(pdf)
    except Exception:
        raise SigningError(T("Không đọc được nội dung tệp PDF để tìm chỗ ký.")) from None
    for number in range(len(every) - 1, -1, -1):
        (width, height), lines = every[number]
        anchors = [line for line in lines if fold(line.text).startswith("noi nhan")]
        if anchors:
            return _block(number, (width, height), lines, anchors[-1])
    raise SigningError(T('Không tìm thấy khối chữ ký (dòng "Nơi nhận:" và chức vụ, họ tên người ký) trong tệp PDF.'))


def _block(number: int, size: tuple[float, float], lines: list[Line], anchor: Line) -> SignatureBlock:
    width, _ = size
    right = [
        line
        for line in lines
        if (line.box.x0 + line.box.x1) / 2 > width / 2
        and line.box.x0 > anchor.box.x0 + 36
        and line.box.y1 <= anchor.box.y1 + 2
    ]
    right.sort(key=lambda line: -line.box.y1)
    column = _column(right)
    if len(column) < 2:
        raise SigningError(T("Khối chữ ký trong tệp PDF thiếu dòng chức vụ hoặc họ tên người ký."))
    gaps = [(column[i].box.y0 - column[i + 1].box.y1, i) for i in range(len(column) - 1)]
    _, at = max(gaps)
    titles, name = column[: at + 1], column[at + 1]
    center = sum((t.box.x0 + t.box.x1) / 2 for t in titles) / len(titles)
    text_right = max(line.box.x1 for line in lines)
    half = max(text_right - center, max(t.box.width for t in titles) / 2)
    top, bottom = titles[0].box.y1, name.box.y0
    block = Box(center - half, bottom, center + half, top)
    space = Box(center - half, name.box.y1, center + half, titles[-1].box.y0)
    return SignatureBlock(number, size, block, space, tuple(t.text for t in titles), name.text, name.box)


def _column(lines: list[Line]) -> list[Line]:
    """The lines of the block itself, top down: from the first (the authority) to the first line after the
    widest gap (the name); lines further down (a long ``Nơi nhận`` list never reaches here) are left out."""
    if len(lines) < 2:
        return lines
    gaps = [lines[i].box.y0 - lines[i + 1].box.y1 for i in range(len(lines) - 1)]
    widest = max(range(len(gaps)), key=lambda i: gaps[i])
    return lines[: widest + 2]

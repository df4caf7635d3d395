"""Approximate printed widths of text in Times New Roman, for drawing lines as long as a heading.

The widths are those of the standard Times metrics (thousandths of an em); Liberation Serif, the
metric twin LibreOffice uses, has the same. A Vietnamese letter is as wide as its base letter.
"""

from __future__ import annotations

from ..text import strip_diacritics

_CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, *[500] * 10, 278, 278, 564, 564,
    564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556,
    611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278,
    278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
)
_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, *[500] * 10, 333, 333, 570, 570,
    570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556,
    667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278,
    333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
)
REGULAR = dict(zip(_CHARS, _REGULAR, strict=True))
BOLD = dict(zip(_CHARS, _BOLD, strict=True))


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """The width in points of ``text`` set in Times New Roman at ``size_pt``."""
    table = BOLD if bold else REGULAR
    base = strip_diacritics(text)
    return sum(table.get(ch, 500) for ch in base) * size_pt / 1000

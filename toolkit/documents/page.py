"""The page of a Decree 30/2020/NĐ-CP document, declared once: A4, its minimum margins, Times New Roman, the
widths of the top block and the signature, the body's indents and spacing, and the paragraph styles."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import styles as st
from .ooxml import (
    ParagraphStyle,
    cm,
)

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = cm(21.0), cm(29.7)
# Decree 30's minimum margins (20, 20, 30, 15 mm), rounded up to whole twips so none falls below it.
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = (math.ceil(v * 1440 / 2.54) for v in (2.0, 2.0, 3.0, 1.5))
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TOP_LEFT, TOP_RIGHT = cm(6.3), TEXT_WIDTH - cm(6.3)
SIGN_LEFT, SIGN_RIGHT = cm(7.0), TEXT_WIDTH - cm(7.0)
INDENT = cm(1.27)
HANG = cm(0.5)  # a list item's dash hangs this far left of its text
BODY_AFTER = 120  # 6 pt after each paragraph and list item (Decree 30's minimum spacing)
BODY_LINE = 276  # 1.15 lines


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the package: body paragraphs, list items and data-table cells name one instead of
    repeating its properties (and their runs the type size) in every paragraph. Made from ``styles.py`` as it
    is when a document is written, like every other size."""

    body: ParagraphStyle
    bullet: ParagraphStyle
    cells: dict[float, ParagraphStyle]

    @classmethod
    def now(cls) -> Styles:
        """The styles for the sizes ``styles.py`` holds now."""
        return cls(
            ParagraphStyle("TkBody", st.BODY, "both", first_line=INDENT, after=BODY_AFTER, line=BODY_LINE),
            ParagraphStyle(
                "TkBullet", st.BODY, "both", left=INDENT + HANG, hanging=HANG, after=BODY_AFTER, line=BODY_LINE
            ),
            {
                size: ParagraphStyle(f"TkCell{round(size * 2)}", size, "left", before=40, after=40)
                for size in st.CELL_SIZES
            },
        )

    def all(self) -> list[ParagraphStyle]:
        """Every style, as ``styles.xml`` holds them."""
        return [self.body, self.bullet, *self.cells.values()]


def pt_to_twips(points: float) -> int:
    """Points to twips."""
    return round(points * 20)

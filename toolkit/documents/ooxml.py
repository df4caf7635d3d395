"""WordprocessingML written as text: paragraphs, runs, tables, borders, in the schema's element order.

Building the body as strings keeps large tables fast and the output byte-stable, and puts every
property where Word expects it (``pPr``: keepNext, keepLines, pageBreakBefore, pBdr, spacing, ind, jc;
``rPr``: b, bCs, i, iCs, sz, szCs), so Word never offers to repair a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.text import XML_ILLEGAL
from . import styles as st

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_CM = 1440 / 2.54


_NEEDS_WORK = re.compile(f"[&<>{XML_ILLEGAL.pattern[1:-1]}]")


def xml_text(text: str) -> str:
    """Text made safe for any XML part: characters XML cannot carry removed, then ``& < >`` escaped.

    (Written out rather than ``xml.sax.saxutils.escape``, whose import pulls in urllib, http and email.)
    Most text needs nothing: one search tells, and it is returned as it is.
    """
    if not _NEEDS_WORK.search(text):
        return text
    return XML_ILLEGAL.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cm(value: float) -> int:
    """Centimetres to twips (twentieths of a point), as WordprocessingML measures lengths."""
    return round(value * TWIPS_PER_CM)


@dataclass(frozen=True)
class Run:
    """A run of text with its character formatting."""

    text: str
    size: float | None = None  # points; None: the body size (``styles.BODY``)
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class ParagraphStyle:
    """A paragraph style of the package's ``styles.xml``: a paragraph naming it repeats none of its properties
    (lengths in twips, ``line`` in 240ths of a line), and its runs not the type size."""

    id: str
    size: float
    align: str = "both"
    first_line: int = 0
    left: int = 0
    hanging: int = 0
    before: int = 0
    after: int = 0
    line: int = 240

    def xml(self) -> str:
        """The ``w:style`` element, every property spelled out so nothing comes from ``Normal`` or the defaults."""
        half = round(self.size * 2)
        return (
            f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:customStyle="1" w:styleId="{self.id}">'
            f'<w:name w:val="{self.id}"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>'
            f"{_spacing(self.before, self.after, self.line)}{_indent(self.left, 0, self.hanging, self.first_line)}"
            f'<w:jc w:val="{self.align}"/></w:pPr><w:rPr><w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
            "</w:style>"
        )


def _spacing(before: int, after: int, line: int) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="auto"/>'


def _indent(left: int, right: int, hanging: int, first_line: int) -> str:
    indent = f'w:left="{left}" w:right="{right}"'
    if hanging:
        indent += f' w:hanging="{hanging}"'
    elif first_line:
        indent += f' w:firstLine="{first_line}"'
    return f"<w:ind {indent}/>"


def run_xml(run: Run, inherited: float | None = None) -> str:
    """One ``w:r``; line breaks in the text become ``w:br``. ``inherited`` is the type size the paragraph's
    style gives: a run of that size does not repeat it."""
    props = []
    if run.bold:
        props.append("<w:b/><w:bCs/>")
    if run.italic:
        props.append("<w:i/><w:iCs/>")
    size = run.size or st.BODY
    if size != inherited:
        half_points = round(size * 2)
        props.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    parts = []
    for index, line in enumerate(run.text.split("\n")):
        if index:
            parts.append("<w:br/>")
        if line:
            parts.append(f'<w:t xml:space="preserve">{xml_text(line)}</w:t>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def paragraph_xml(
    runs: Sequence[Run] | Run | str,
    *,
    align: str = "both",
    first_line: int = 0,
    left: int = 0,
    right: int = 0,
    hanging: int = 0,
    before: int = 0,
    after: int = 0,
    line: int = 240,
    keep_next: bool = False,
    keep_lines: bool = False,
    page_break_before: bool = False,
    border_bottom: bool = False,
    size: float | None = None,
    style: ParagraphStyle | None = None,
) -> str:
    """One ``w:p``. Lengths are twips; ``line`` is in 240ths of a line (240 = single). With a ``style``, only
    what differs from it is written."""
    if isinstance(runs, str):
        runs = [Run(runs, size=size)]
    elif isinstance(runs, Run):
        runs = [runs]
    props = [f'<w:pStyle w:val="{style.id}"/>'] if style else []
    if keep_next:
        props.append("<w:keepNext/>")
    if keep_lines:
        props.append("<w:keepLines/>")
    if page_break_before:
        props.append("<w:pageBreakBefore/>")
    if border_bottom:
        props.append('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>')
    if style is None or (before, after, line) != (style.before, style.after, style.line):
        props.append(_spacing(before, after, line))
    if style is None or (left, right, hanging, first_line) != (style.left, 0, style.hanging, style.first_line):
        props.append(_indent(left, right, hanging, first_line))
    if style is None or align != style.align:
        props.append(f'<w:jc w:val="{align}"/>')
    mark_size = size or st.BODY
    if style is None or mark_size != style.size:
        half = round(mark_size * 2)
        props.append(f'<w:rPr><w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>')
    inherited = style.size if style else None
    return f"<w:p><w:pPr>{''.join(props)}</w:pPr>{''.join(run_xml(r, inherited) for r in runs)}</w:p>"


def line_xml(width: int, length: int, *, after: int = 0) -> str:
    """A solid line ``length`` twips long, centred in a box ``width`` twips wide (an empty bordered paragraph)."""
    side = max(0, (width - length) // 2)
    return paragraph_xml(
        [], align="center", left=side, right=side, before=40, after=after, border_bottom=True, size=1, line=240
    )


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs (XML), horizontal span and vertical alignment."""

    paragraphs: tuple[str, ...]
    span: int = 1
    valign: str = "top"


def table_xml(
    widths: Sequence[int],
    rows: Iterable[Sequence[Cell]],
    *,
    borders: bool = True,
    header_rows: int = 0,
    cell_margin: int = 85,
    keep_rows_together: bool = True,
) -> str:
    """A fixed-layout ``w:tbl`` with every cell's width set; the first ``header_rows`` repeat on each page."""
    out = [table_open(widths, borders=borders, cell_margin=cell_margin)]
    for index, row in enumerate(rows):
        out.append(row_open(header=index < header_rows, keep_together=keep_rows_together))
        col = 0
        for cell in row:
            out.append(cell_xml(sum(widths[col : col + cell.span]), cell))
            col += cell.span
        out.append("</w:tr>")
    out.append(TABLE_CLOSE)
    return "".join(out)


TABLE_CLOSE = "</w:tbl>"


def table_open(widths: Sequence[int], *, borders: bool = True, cell_margin: int = 85) -> str:
    """The start of a ``w:tbl``: its properties (width, borders, fixed layout, cell margins) and grid."""
    total = sum(widths)
    edge = "single" if borders else "nil"
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    border_xml = "".join(
        f'<w:{s} w:val="{edge}" w:sz="4" w:space="0" w:color="000000"/>' if borders else f'<w:{s} w:val="nil"/>'
        for s in sides
    )
    margins = f'<w:left w:w="{cell_margin}" w:type="dxa"/><w:right w:w="{cell_margin}" w:type="dxa"/>'
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{border_xml}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar>{margins}</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" '
        f'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    )


def row_open(*, header: bool = False, keep_together: bool = True) -> str:
    """The start of a ``w:tr``: kept on one page, and repeated on each page when it is a header row."""
    props = ("<w:cantSplit/>" if keep_together else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{props}</w:trPr>"


def cell_xml(width: int, cell: Cell) -> str:
    """One ``w:tc`` ``width`` twips wide (an empty cell still holds the one paragraph Word requires)."""
    span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}<w:vAlign w:val="{cell.valign}"/></w:tcPr>'
        f"{''.join(cell.paragraphs) or paragraph_xml([])}</w:tc>"
    )

"""A Decree 30/2020/NĐ-CP administrative document: page, type, top block, title, body and signature.

``OfficialDocument`` collects the body as WordprocessingML and, on ``to_bytes``, pours it into the prepared
package (``package.py``) of the page ``page.py`` declares, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..workbook.names import break_lines
from . import styles as st
from .metrics import text_width_pt
from .ooxml import (
    TABLE_CLOSE,
    Cell,
    Run,
    cell_xml,
    cm,
    line_xml,
    paragraph_xml,
    row_open,
    table_open,
    table_xml,
    xml_text,
)
from .package import core_xml, fixed_parts, stable_zip
from .page import (
    BODY_AFTER,
    BODY_LINE,
    HANG,
    INDENT,
    SIGN_LEFT,
    SIGN_RIGHT,
    TEXT_WIDTH,
    TOP_LEFT,
    TOP_RIGHT,
    Styles,
    pt_to_twips,
)

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_SLOT = "\ue000"  # where a table cell's text goes in its column's template (a private-use character)
ROW_OPEN = row_open()


@dataclass(frozen=True)
class Signature:
    """Who signs: authority lines (``KT. HIỆU TRƯỞNG`` over ``PHÓ HIỆU TRƯỞNG``) and the name, if known."""

    titles: tuple[str, ...]
    name: str = ""


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman(number: int) -> str:
    """``1`` → ``I``: section numbers of an administrative document."""
    return ROMAN[number - 1] if 0 < number <= len(ROMAN) else str(number)


def name_lines(name: str, size: float, *, bold: bool, width: int) -> list[str]:
    """A letterhead name broken between words so that every line fits in ``width`` twips."""
    return break_lines(name, lambda line: pt_to_twips(text_width_pt(line, size, bold=bold)) <= width - 40)


class OfficialDocument:
    """A document being written, from the top block to the signature.

    Sections (``I.``, ``II.`` …) and the items inside them (``1.``, ``2.`` …) are numbered as they are
    written, so a section or item left out for want of data never leaves a gap in the numbering.
    """

    def __init__(self, *, title: str, author: str, created: dt.datetime) -> None:
        self.title = title
        self.author = author
        self.created = created
        self.body: list[str | bytes | TableRows] = []  # a table's rows kept as their texts until written
        self.sections = 0
        self.items = 0
        self.styles = Styles.now()

    # -- the top of the first page -------------------------------------------------------------
    def top_block(self, parent: str, unit: str, number: str, place_date: str) -> None:
        """The two-column block: agency and number on the left, national heading and date on the right.

        A name too long for the column is broken between words at a natural point (``TRƯỜNG THCS`` /
        ``NGUYỄN TRÃI``), each line centred; the short line goes under the last line of the unit. A body
        with no parent (``ỦY BAN NHÂN DÂN`` / ``XÃ BÌNH AN``) has no parent line.
        """
        parent_lines = name_lines(parent.upper(), st.TOP, bold=False, width=TOP_LEFT)
        unit_lines = name_lines(unit.upper(), st.TOP, bold=True, width=TOP_LEFT)
        widest = max(text_width_pt(line, st.TOP, bold=True) for line in unit_lines)
        unit_len = min(TOP_LEFT, pt_to_twips(widest * 0.42))
        motto_len = min(TOP_RIGHT, pt_to_twips(text_width_pt(MOTTO, st.TOP, bold=True)))
        left = (
            *([paragraph_xml(Run("\n".join(parent_lines), st.TOP), align="center", size=st.TOP)] if parent else []),
            paragraph_xml(Run("\n".join(unit_lines), st.TOP, bold=True), align="center", size=st.TOP),
            line_xml(TOP_LEFT, unit_len, after=120),
            paragraph_xml(Run(number, st.TOP), align="center", size=st.TOP),
        )
        right = (
            paragraph_xml(Run(NATIONAL, st.NATIONAL, bold=True), align="center", size=st.NATIONAL),
            paragraph_xml(Run(MOTTO, st.TOP, bold=True), align="center", size=st.TOP),
            line_xml(TOP_RIGHT, motto_len, after=120),
            paragraph_xml(Run(place_date, st.BODY, italic=True), align="center", size=st.BODY),
        )
        self.body.append(table_xml([TOP_LEFT, TOP_RIGHT], [[Cell(left), Cell(right)]], borders=False, cell_margin=0))

    def title_block(self, kind: str, subject: str, recipients: Sequence[str] = ()) -> None:
        """``KẾ HOẠCH`` / ``BÁO CÁO``, the subject line with a short line under it, and ``Kính gửi``.

        One recipient: ``Kính gửi: ….`` on one centred line. Several: ``Kính gửi:`` followed by one
        ``- …;`` line each, the last ending with a full stop, as a block centred on the page.
        """
        self.body.append(
            paragraph_xml(Run(kind.upper(), st.BODY, bold=True), align="center", before=360, keep_next=True)
        )
        self.body.append(paragraph_xml(Run(subject, st.BODY, bold=True), align="center", keep_next=True))
        length = min(TEXT_WIDTH, pt_to_twips(text_width_pt(subject, st.BODY, bold=True))) // 3
        self.body.append(line_xml(TEXT_WIDTH, max(length, cm(2.5)), after=240))
        names = [r.strip().rstrip(";.") for r in recipients if r.strip()]
        if len(names) == 1:
            self.body.append(paragraph_xml(Run(f"Kính gửi: {names[0]}.", st.BODY), align="center", after=240))
        elif names:
            label = "Kính gửi: "
            lines = [f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]
            label_w = pt_to_twips(text_width_pt(label, st.BODY))
            block = label_w + max(pt_to_twips(text_width_pt(line, st.BODY)) for line in lines)
            left = max(0, (TEXT_WIDTH - block) // 2)
            self.body.append(
                paragraph_xml(Run(label.strip(), st.BODY), align="left", left=left, after=BODY_AFTER, keep_next=True)
            )
            for i, line in enumerate(lines):
                last = i == len(lines) - 1
                self.body.append(
                    paragraph_xml(
                        Run(line, st.BODY),
                        align="left",
                        left=left + label_w,
                        after=240 if last else BODY_AFTER,
                        keep_next=not last,
                    )
                )

    # -- the body ------------------------------------------------------------------------------
    def paragraph(self, runs: Sequence[Run] | str, *, keep_next: bool = False) -> None:
        """A body paragraph: justified, first line indented, 6 pt after."""
        self.body.append(
            paragraph_xml(
                runs, first_line=INDENT, after=BODY_AFTER, line=BODY_LINE, keep_next=keep_next, style=self.styles.body
            ).encode("utf-8")
        )

    def heading(self, text: str) -> None:
        """The next section heading, such as ``I. MỤC ĐÍCH, YÊU CẦU``: bold capitals, kept with what follows."""
        self.sections += 1
        self.items = 0
        self.paragraph([Run(f"{roman(self.sections)}. {text.upper()}", st.BODY, bold=True)], keep_next=True)

    def item(self, label: str, text: str = "", *, title_bold: bool = True) -> None:
        """The next numbered item of the section, ``1. Chủ đề …``: the label bold, then plain text if any."""
        self.items += 1
        runs = [Run(f"{self.items}. {label}", st.BODY, bold=title_bold)]
        if text:
            runs.append(Run(" " + text, st.BODY))
        self.paragraph(runs, keep_next=not text)

    def bullet(self, text: str, *, keep_next: bool = False, mark: str = "-", level: int = 1) -> None:
        """A list item ``- …`` with a hanging indent and the same spacing as a paragraph; ``level`` 2 (with
        ``mark`` ``+``) is an item under the one before it, indented one step further."""
        self.body.append(
            paragraph_xml(
                Run(f"{mark} {text}", st.BODY),
                left=INDENT + level * HANG,
                hanging=HANG,
                after=BODY_AFTER,
                line=BODY_LINE,
                keep_next=keep_next,
                style=self.styles.bullet,
            ).encode("utf-8")
        )

    def centred(self, text: str, *, bold: bool = True, page_break: bool = False, size: float | None = None) -> None:
        """A centred line, for appendix titles."""
        size = size or st.BODY
        self.body.append(
            paragraph_xml(
                Run(text, size, bold=bold),
                align="center",
                after=BODY_AFTER,
                page_break_before=page_break,
                keep_next=True,
            )
        )

    def table(
        self,
        widths_cm: Sequence[float],
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        aligns: Sequence[str] | None = None,
        total: Sequence[str] | None = None,
        size: float | None = None,
    ) -> None:
        """A bordered data table: header row bold and repeated on every page, rows never split.

        Each column's cell is rendered once per weight as a template around its text, so a table of tens of
        thousands of rows costs one join per cell; the rows are kept as their texts and rendered only as the
        package is written (``TableRows``), never held as XML (20,000 rows are about 30 MB of it).
        """
        size = size or st.TABLE
        widths = [cm(w) for w in widths_cm]
        scale = TEXT_WIDTH / sum(widths)
        if scale < 1:
            widths = [int(w * scale) for w in widths]
        aligns = aligns or ["left"] * len(widths)

        style = self.styles.cells.get(size)

        def cell(text: str, align: str, bold: bool = False) -> Cell:
            return Cell(
                (paragraph_xml(Run(text, size, bold=bold), align=align, size=size, before=40, after=40, style=style),),
                valign="center",
            )

        templates = {
            bold: [cell_xml(w, cell(_SLOT, a, bold)).split(_SLOT) for w, a in zip(widths, aligns, strict=True)]
            for bold in (False, True)
        }

        def row_xml(values: Sequence[str], bold: bool) -> str:
            cells = []
            for value, (before, after), width, align in zip(values, templates[bold], widths, aligns, strict=True):
                if value and "\n" not in value and _SLOT not in value:
                    cells.append(f"{before}{xml_text(value)}{after}")
                else:  # a blank cell has no text element; a line break becomes w:br
                    cells.append(cell_xml(width, cell(value, align, bold)))
            return f"{ROW_OPEN}{''.join(cells)}</w:tr>"

        self.body.append(table_open(widths))
        header_cells = "".join(cell_xml(w, cell(h, "center", True)) for w, h in zip(widths, header, strict=True))
        self.body.append(f"{row_open(header=True)}{header_cells}</w:tr>")
        self.body.append(TableRows(tuple(rows), functools.partial(row_xml, bold=False)))
        if total is not None:
            self.body.append(row_xml(total, True))
        self.body.append(TABLE_CLOSE)
        self.body.append(paragraph_xml([], after=BODY_AFTER, size=6))

    # -- the end ---------------------------------------------------------------------------------
    def signature(self, recipients: Sequence[str], signature: Signature) -> None:
        """``Nơi nhận`` on the left, authority, space for the signature and seal, and name on the right."""
        left = [
            paragraph_xml(
                Run("Nơi nhận:", st.RECIPIENTS_HEAD, bold=True, italic=True),
                align="left",
                size=st.RECIPIENTS_HEAD,
                keep_next=True,
            )
        ]
        left += [
            paragraph_xml(Run(line, st.RECIPIENTS), align="left", size=st.RECIPIENTS, keep_next=True)
            for line in recipients
        ]
        right = [
            paragraph_xml(Run(t.upper(), st.BODY, bold=True), align="center", keep_next=True) for t in signature.titles
        ]
        right += [paragraph_xml([], align="center", keep_next=True) for _ in range(4)]
        right.append(paragraph_xml(Run(signature.name, st.BODY, bold=True), align="center", keep_next=True))
        self.body.append(
            table_xml([SIGN_LEFT, SIGN_RIGHT], [[Cell(tuple(left)), Cell(tuple(right))]], borders=False, cell_margin=0)
        )
        self.body.append(paragraph_xml([], size=2, line=240))

    # -- the package -----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The finished ``.docx`` as bytes, identical for identical content.

        The body is spliced as text into the prepared package's ``document.xml``: parsing it back
        into python-docx element by element takes minutes for a table of thousands of rows.
        """
        fixed, xml = fixed_parts()
        at = xml.index(b"<w:sectPr")
        parts: dict[str, bytes | Iterable[bytes]] = {
            "word/document.xml": self._document_xml(xml[:at], xml[at:]),
            "docProps/core.xml": core_xml(self.title, self.author, self.created),
        }
        return stable_zip(parts, start=fixed)

    def _document_xml(self, head: bytes, tail: bytes) -> Iterator[bytes]:
        """``document.xml`` in pieces, the body between the package's own head and section properties: the
        zip entry is written as it comes, never held whole (a 20,000-row table is about 100 MB of XML)."""
        yield head
        pieces: list[bytes] = []
        for piece in self.body:
            if isinstance(piece, TableRows):
                yield b"".join(pieces)
                pieces = []
                yield from piece.xml()
            else:
                pieces.append(piece if isinstance(piece, bytes) else piece.encode("utf-8"))
                if len(pieces) == 500:
                    yield b"".join(pieces)
                    pieces = []
        yield b"".join(pieces)
        yield tail


@dataclass(frozen=True)
class TableRows:
    """A data table's rows as their cell texts, and how one row becomes XML: rendered in batches as the
    package is written, so the document never holds a large table's XML."""

    rows: tuple[Sequence[str], ...]
    render: Callable[[Sequence[str]], str]

    def xml(self) -> Iterator[bytes]:
        """The rows' XML, UTF-8, in batches of 500 rows."""
        for start in range(0, len(self.rows), 500):
            yield "".join(map(self.render, self.rows[start : start + 500])).encode("utf-8")

"""A Decree 30/2020/NĐ-CP administrative document: page, type, top block, title, body and signature.

``OfficialDocument`` collects the body as WordprocessingML and, on ``to_bytes``, pours it into a
python-docx package whose styles are all Times New Roman, with A4 margins, the page number centred in
the header from page 2, fixed core properties and a stable zip, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.util
import io
import math
import os
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..workbook.names import break_lines
from . import styles as st
from .metrics import text_width_pt
from .ooxml import (
    TABLE_CLOSE,
    Cell,
    ParagraphStyle,
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
from .package_cache import cached

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

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SLOT = "\ue000"  # where a table cell's text goes in its column's template (a private-use character)
ROW_OPEN = row_open()


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
        fixed, xml = _fixed_parts()
        at = xml.index(b"<w:sectPr")
        parts: dict[str, bytes | Iterable[bytes]] = {
            "word/document.xml": self._document_xml(xml[:at], xml[at:]),
            "docProps/core.xml": _core_xml(self.title, self.author, self.created),
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


def _fixed_parts() -> tuple[bytes, bytes]:
    """The package's parts that are the same in every document, already zipped (compressed once per package),
    and the empty ``document.xml`` the body goes into."""
    return _zipped_at(_cache_path())


@functools.lru_cache(maxsize=1)
def _zipped_at(base: Path) -> tuple[bytes, bytes]:
    """``_zipped`` of the package cached at ``base``, itself cached beside it (checked whole like the package),
    so a run neither unpacks the package's 800 KB of parts nor compresses them again: about 10 ms of every run.
    Its name holds what makes those bytes besides the package (Python's zipfile and the zlib it runs on)."""
    from .package_cache import cached

    maker = hashlib.sha256(f"{sys.version}|{zlib.ZLIB_RUNTIME_VERSION}".encode()).hexdigest()[:8]
    path = base.with_name(f"{base.stem}-zipped-{maker}.zip")

    def build() -> tuple[tuple[str, bytes], ...]:
        fixed, xml = _zipped(_base_package())
        return (("fixed.zip", fixed), ("word/document.xml", xml))

    parts = dict(cached(path, build, required=("fixed.zip", "word/document.xml")))
    return parts["fixed.zip"], parts["word/document.xml"]


@functools.lru_cache(maxsize=1)
def _zipped(base: tuple[tuple[str, bytes], ...]) -> tuple[bytes, bytes]:
    parts = dict(base)
    fixed = {name: data for name, data in parts.items() if name not in ("word/document.xml", "docProps/core.xml")}
    return stable_zip(fixed), parts["word/document.xml"]


@functools.lru_cache(maxsize=1)
def _base_package() -> tuple[tuple[str, bytes], ...]:
    """The parts of an empty Decree 30 document: page, fonts, page numbers.

    Built by python-docx once and kept in the user's cache (keyed by everything it depends on), so a run
    neither imports python-docx nor builds it again; a cache that is not whole and unchanged
    (``package_cache``) is rebuilt, never trusted half-way.
    """

    return cached(_cache_path(), _build_base_package)


def _cache_path() -> Path:
    """Where the prepared package is cached: ``$TOOLKIT_CACHE``, else the user's cache folder."""

    folder = os.environ.get("TOOLKIT_CACHE")
    if not folder:
        root = os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else os.environ.get("XDG_CACHE_HOME")
        folder = str(Path(root or Path.home() / ".cache") / "school-campaign-toolkit")
    spec = importlib.util.find_spec("docx")
    origin = Path(spec.origin) if spec and spec.origin else None
    installed = f"{origin}:{origin.stat().st_mtime_ns}" if origin and origin.exists() else "?"
    here = Path(__file__).parent
    sources = b"".join((here / name).read_bytes() for name in ("layout.py", "styles.py"))
    values = repr(sorted((k, v) for k, v in vars(st).items() if k.isupper()))
    key = hashlib.sha256(f"{__version__}|{installed}|{values}".encode() + sources).hexdigest()[:16]
    return Path(folder) / f"base-{key}.docx"


def _build_base_package() -> tuple[tuple[str, bytes], ...]:
    from docx import Document

    document = Document()
    _page_setup(document)
    _fonts(document)
    _page_numbers(document)
    _paragraph_styles(document)
    body = document.element.body
    for child in list(body):
        if child.tag != body.sectPr.tag:
            body.remove(child)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return tuple((info.filename, package.read(info.filename)) for info in package.infolist())


def _core_xml(title: str, author: str, created: dt.datetime) -> bytes:
    """``docProps/core.xml`` with the document's title, author and fixed times."""
    stamp = created.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title><dc:creator>{xml_text(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{xml_text(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    ).encode()


def _page_setup(document) -> None:
    from docx.shared import Twips

    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(cm(1.0)), Twips(cm(1.0))
    section.gutter = Twips(0)


def _fonts(document) -> None:
    """Times New Roman for every script in every style, no theme fonts, black, Vietnamese language."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    styles = document.styles.element
    theme_attrs = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in theme_attrs:
            fonts.attrib.pop(attr, None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), FONT)
    for colour in styles.iter(qn("w:color")):
        colour.attrib.pop(qn("w:themeColor"), None)
        colour.attrib.pop(qn("w:themeShade"), None)
        colour.set(qn("w:val"), "000000")
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for xml in (
        f'<w:rFonts {ns} w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>',
        f'<w:color {ns} w:val="000000"/>',
        f'<w:sz {ns} w:val="{st.BODY * 2}"/>',
        f'<w:szCs {ns} w:val="{st.BODY * 2}"/>',
        f'<w:lang {ns} w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/>',
    ):
        rpr.append(parse_xml(xml))


def _paragraph_styles(document) -> None:
    """The toolkit's own paragraph styles (``Styles``), added to ``styles.xml``."""
    from docx.oxml import parse_xml

    styles = document.styles.element
    for style in Styles.now().all():
        styles.append(parse_xml(style.xml()))


def _page_numbers(document) -> None:
    """The page number centred in the header, 13 pt, on every page but the first."""
    from docx.oxml import parse_xml

    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    # python-docx has no public API for a field (PAGE): the header's XML element is edited directly
    for paragraph in list(header._element):
        header._element.remove(paragraph)
    half = st.PAGE_NUMBER * 2
    rpr = f'<w:rPr><w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    field = (
        f'<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pPr><w:jc w:val="center"/>'
        f'</w:pPr><w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>2</w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    header._element.append(parse_xml(field))


def stable_zip(parts: Mapping[str, bytes | Iterable[bytes]], start: bytes = b"") -> bytes:
    """The package as a zip with fixed member times and order, so identical documents are identical files.

    A part given as pieces is streamed into its entry; ``start`` is a zip (made here) the parts are added to,
    its own entries copied as they are, never compressed again."""
    out = io.BytesIO(start)
    with zipfile.ZipFile(out, "a" if start else "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if isinstance(data, bytes):
                target.writestr(info, data)
                continue
            with target.open(info, "w") as entry:
                for piece in data:
                    entry.write(piece)
    return out.getvalue()

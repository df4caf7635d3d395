"""The ``.docx`` package a document is poured into: the parts that are the same in every document (page,
fonts, page numbers, styles), built once by python-docx and cached whole in the user's cache, zipped once; the
core properties; and a stable zip, so identical documents are identical files."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.util
import io
import os
import sys
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .. import __version__
from . import styles as st
from .ooxml import (
    cm,
    xml_text,
)
from .package_cache import cached
from .page import FONT, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, Styles

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def fixed_parts() -> tuple[bytes, bytes]:
    """The package's parts that are the same in every document, already zipped (compressed once per package),
    and the empty ``document.xml`` the body goes into."""
    return _zipped_at(cache_path())


@functools.lru_cache(maxsize=1)
def _zipped_at(base: Path) -> tuple[bytes, bytes]:
    """``_zipped`` of the package cached at ``base``, itself cached beside it (checked whole like the package),
    so a run neither unpacks the package's 800 KB of parts nor compresses them again: about 10 ms of every run.
    Its name holds what makes those bytes besides the package (Python's zipfile and the zlib it runs on)."""
    maker = hashlib.sha256(f"{sys.version}|{zlib.ZLIB_RUNTIME_VERSION}".encode()).hexdigest()[:8]
    path = base.with_name(f"{base.stem}-zipped-{maker}.zip")

    def build() -> tuple[tuple[str, bytes], ...]:
        fixed, xml = _zipped(base_package())
        return (("fixed.zip", fixed), ("word/document.xml", xml))

    parts = dict(cached(path, build, required=("fixed.zip", "word/document.xml")))
    return parts["fixed.zip"], parts["word/document.xml"]


@functools.lru_cache(maxsize=1)
def _zipped(base: tuple[tuple[str, bytes], ...]) -> tuple[bytes, bytes]:
    parts = dict(base)
    fixed = {name: data for name, data in parts.items() if name not in ("word/document.xml", "docProps/core.xml")}
    return stable_zip(fixed), parts["word/document.xml"]


@functools.lru_cache(maxsize=1)
def base_package() -> tuple[tuple[str, bytes], ...]:
    """The parts of an empty Decree 30 document: page, fonts, page numbers.

    Built by python-docx once and kept in the user's cache (keyed by everything it depends on), so a run
    neither imports python-docx nor builds it again; a cache that is not whole and unchanged
    (``package_cache``) is rebuilt, never trusted half-way.
    """

    return cached(cache_path(), _build_base_package)


def cache_path() -> Path:
    """Where the prepared package is cached: ``$TOOLKIT_CACHE``, else the user's cache folder."""

    folder = os.environ.get("TOOLKIT_CACHE")
    if not folder:
        root = os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else os.environ.get("XDG_CACHE_HOME")
        folder = str(Path(root or Path.home() / ".cache") / "school-campaign-toolkit")
    spec = importlib.util.find_spec("docx")
    origin = Path(spec.origin) if spec and spec.origin else None
    installed = f"{origin}:{origin.stat().st_mtime_ns}" if origin and origin.exists() else "?"
    here = Path(__file__).parent
    sources = b"".join((here / name).read_bytes() for name in ("package.py", "page.py", "styles.py"))
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


def core_xml(title: str, author: str, created: dt.datetime) -> bytes:
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

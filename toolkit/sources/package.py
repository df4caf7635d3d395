"""The safety scan of an ``.xlsx`` package, and which reader may open it.

Every XML part streams once out of the zip, in blocks, keeping only a bounded tail between blocks (so the scan
is linear in the bytes, whatever they are). A part declaring a DTD (where entity bombs and external entities
live) is refused before any parser sees it: in UTF-8 or an ASCII-compatible encoding ``<!DOCTYPE`` shows as those
very bytes, in UTF-16 (with or without a byte-order mark) as their UTF-16 bytes; a part in any other encoding
(UTF-32, EBCDIC, UTF-7, a declaration the bytes contradict) is refused, as no workbook program writes one.
The scan is only the early, cheap refusal: the parsers behind it expand no entity either (``safe_expat``
raises at a DOCTYPE, calamine's quick-xml never reads a DTD, openpyxl reads sheets through defusedxml).

The scan also says whether calamine (a Rust reader, ten times faster than openpyxl) can be trusted with the
package: calamine gives no error values (``#N/A`` reads as empty), no fonts (TCVN3/VNI text is found by its
font), reads only UTF-8, and allocates a sheet's whole bounding box and the shared-string count a part claims
up front (a value at ``XFD1048576`` or ``uniqueCount="2000000000"`` would abort the process). A package with
any of these goes to openpyxl's streaming reader instead.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..core.errors import SourceError
from ..core.i18n import T
from ..core.legacy import font_encoding

BLOCK = 1 << 20
_TAG_CARRY = 4096  # a tag longer than this, cut by a block's end, sends the package to the careful reader
_UTF16_MARKERS = tuple(m.encode(e) for m in ("<!DOCTYPE", "<!ENTITY") for e in ("utf-16-le", "utf-16-be"))
_UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"})
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# calamine's limits: columns up to AZ, rows up to 99,999 (a school's tab is ~21 columns; 50,000 activities)
_FAR_REF = re.compile(rb"""r=["'](?:[A-Z]{3}|[B-Z][A-Z]|[A-Z]{0,2}[0-9]{6})""")
_CELL_WITHOUT_R = re.compile(rb"""<c(?:\s+(?!r=)[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")
_PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s>/]")  # a cell element written with a namespace prefix
_SST = re.compile(rb"<(?:[\w.-]+:)?sst\b[^>]*>")
_COUNT = re.compile(rb"""\b(?:uniqueCount|count)\s*=\s*["']\s*([0-9]+)""")
_STRING_CELL = re.compile(rb"""t="s"[^>]*>\s*<v>\s*([0-9]+)\s*<""")
_SI = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")
MAX_COPIED = 32 * 1024 * 1024  # bytes of shared text calamine may copy into cells (openpyxl shares one string)
_IMAGE = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".bin")
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class Package:
    """What the scan learnt: the worksheets' parts by title, and why calamine may not read it ("" if it may)."""

    sheets: dict[str, str] = field(default_factory=dict)  # part name → the tab's title
    careful: str = ""  # the reason the package goes to openpyxl's streaming reader; "" for calamine
    string_cells: int = 0  # cells of the worksheets that name a shared string
    odd_date: re.Pattern[bytes] | None = None  # a number calamine and openpyxl read differently under a date format


def unsafe(path: Path, detail: str | None = None) -> SourceError:
    """The refusal of a package holding a DTD (or XML no program writes)."""
    return SourceError(
        T(
            "{file} chứa XML không an toàn (khai báo entity/DTD): từ chối mở. Hãy mở bằng Excel và lưu lại.",
            file=path.name,
        ),
        detail=detail,
    )


class DoctypeRefused(ValueError):
    """A DOCTYPE met by ``safe_expat``'s parser."""


def safe_expat(data: bytes, start: Any) -> None:
    """Parse ``data`` with expat, calling ``start(name, attributes)`` for each element (names as
    ``namespace local``); raise ``DoctypeRefused`` at a DOCTYPE, whatever the encoding, before any declaration
    in it is read — so no entity is ever defined, expanded or fetched."""

    def refuse(*args: object) -> None:
        raise DoctypeRefused("DOCTYPE")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.Parse(data, True)


def scan(path: Path) -> Package:
    """Refuse a package with a DTD or an unreadable encoding in any XML part; say which reader may open it."""
    try:
        with zipfile.ZipFile(path) as package:
            return _scan(path, package)
    except DoctypeRefused as exc:
        raise unsafe(path, str(exc)) from exc
    except (expat.ExpatError, KeyError, ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SourceError(
            T(
                "Không đọc được tệp {file}: tệp hỏng hoặc không phải bảng tính Excel (.xlsx).",
                file=path.name,
            ),
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc


def refuse_dtd(path: Path, members: tuple[str, ...]) -> None:
    """Stream the named XML parts a package holds (an ``.ods``'s) through the same scan as an ``.xlsx``'s parts:
    a DTD anywhere in them, in UTF-8 or UTF-16, or an encoding no program writes, raises ``unsafe``."""
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        for member in members:
            if member in names:
                _scan_member(path, package, member, True, None)


def _scan(path: Path, package: zipfile.ZipFile) -> Package:
    names = set(package.namelist())
    found = Package()
    declared: set[str] = set()

    def read(member: str) -> bytes:
        return package.read(member) if member in names else b""

    targets: dict[str, tuple[str, str]] = {}  # relationship id → (part, type)

    def relationship(name: str, attrs: dict[str, str]) -> None:
        if name.endswith(" Relationship") and "Id" in attrs and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[attrs["Id"]] = (part, attrs.get("Type", ""))

    def override(name: str, attrs: dict[str, str]) -> None:
        if name.endswith(" Override") and not attrs.get("ContentType", "").startswith("image/"):
            declared.add(attrs.get("PartName", "").lstrip("/"))

    titles: list[tuple[str, str]] = []

    def sheet(name: str, attrs: dict[str, str]) -> None:
        if name.endswith(" sheet") and f"{_RELS} id" in attrs:
            titles.append((attrs.get("name", ""), attrs[f"{_RELS} id"]))

    safe_expat(read("[Content_Types].xml") or b"<Types/>", override)
    safe_expat(read("xl/_rels/workbook.xml.rels") or b"<Relationships/>", relationship)
    safe_expat(package.read("xl/workbook.xml"), sheet)
    kinds = {kind.rsplit("/", 1)[-1]: part for part, kind in targets.values()}
    for title, rel in titles:
        part, kind = targets.get(rel, ("", ""))
        if kind.endswith("/worksheet") and part in names:
            found.sheets[part] = title
    strings = kinds.get("sharedStrings", "xl/sharedStrings.xml")
    styles = kinds.get("styles", "xl/styles.xml")
    declared |= {part for part, _ in targets.values()}
    read_by_calamine = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", strings, styles, *found.sheets}
    legacy, dates = _styles(read(styles)) if styles in names else (False, set())
    if legacy:
        found.careful = "a TCVN3/VNI font in styles.xml"
    found.odd_date = _odd_date(dates)
    for member in sorted(names):
        lower = member.lower()
        xml = member in declared or lower.endswith((".xml", ".rels", ".vml"))
        if xml or not lower.endswith(_IMAGE):
            reason = _scan_member(path, package, member, xml, found if member in found.sheets else None)
            if reason and member in read_by_calamine and not found.careful:
                found.careful = f"{member}: {reason}"
    if not found.careful and strings in names:
        found.careful = _string_count(package, strings) or _copied_text(package, strings, found)
    return found


def _scan_member(path: Path, package: zipfile.ZipFile, member: str, xml: bool, sheet: Package | None) -> str:
    """Stream one part: refuse a DTD; return why calamine may not read it ("" when it may). A member that is
    neither named nor declared as XML (an embedded file, an odd extension) is scanned too, unless its first
    bytes show it is no XML any parser would read."""
    reason = ""
    with package.open(member) as handle:
        block = handle.read(BLOCK)
        encoding = _encoding(block[:256])
        if encoding is None:
            if not xml:
                return ""
            raise unsafe(path, f"{member}: an encoding no workbook program writes")
        if encoding != "utf-8":
            reason = "not UTF-8"
        carry = b""
        while block:
            block = carry + block
            if encoding == "utf-8":
                if b"<!" in block and (b"<!DOCTYPE" in block or b"<!ENTITY" in block):
                    raise unsafe(path, f"DTD in {member}")
            elif any(marker in block for marker in _UTF16_MARKERS):
                raise unsafe(path, f"DTD in {member}")
            carry, cut = _tail(block, encoding == "utf-8")
            if sheet is not None and not reason:
                reason = _sheet_reason(block, sheet.odd_date)
                sheet.string_cells += block.count(b't="s"', 0, len(block) - len(carry))  # the carry counts next
            if cut and not reason:
                reason = "a tag longer than 4 kB"
            block = handle.read(BLOCK)
    return reason


def tag_cut(block: bytes) -> int:
    """Where a block's unfinished last tag starts, to be carried to the next block (its end when there is none, or
    when that tag is longer than ``_TAG_CARRY`` bytes)."""
    start = block.rfind(b"<")
    return start if start > block.rfind(b">") and len(block) - start <= _TAG_CARRY else len(block)


def _tail(block: bytes, tags: bool) -> tuple[bytes, bool]:
    """What a block leaves for the next: an unfinished tag (up to ``_TAG_CARRY`` bytes), else enough bytes for a
    marker cut in two; and whether an unfinished tag was longer than that."""
    if tags:
        cut = tag_cut(block)
        if cut < len(block):
            return block[cut:], False
        if block.rfind(b"<") > block.rfind(b">"):
            return block[-64:], True
    return block[-64:], False


def _sheet_reason(block: bytes, odd_date: re.Pattern[bytes] | None) -> str:
    if b'"e"' in block or b"'e'" in block:
        return "an error value (#N/A …)"
    if odd_date is not None and odd_date.search(block):
        return "a negative or far date serial (calamine and openpyxl read them differently)"
    if _FAR_REF.search(block):
        return "a cell beyond column AZ or row 99,999"
    if _CELL_WITHOUT_R.search(block) or (b":c" in block and _PREFIXED_CELL.search(block)):
        return "a cell without its reference"
    return ""


def _encoding(head: bytes) -> str | None:
    """How a parser will read a part from its first bytes: ``utf-8`` (or ASCII-compatible), ``utf-16``, or None for
    an encoding in which a DTD would be neither (UTF-32, EBCDIC, a declared UTF-7 …)."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\x00\x00\x00<", b"<\x00\x00\x00", b"Lo\xa7\x94")):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        return "utf-16"
    declared = _DECLARED.match(head.removeprefix(b"\xef\xbb\xbf"))
    if declared is None or declared.group(1).decode().lower() in _UTF8:
        return "utf-8"
    return None


def _string_count(package: zipfile.ZipFile, member: str) -> str:
    """ "" when the shared-string counts a part claims are no more than its bytes could hold."""
    with package.open(member) as handle:
        head = handle.read(4096)
    tag = _SST.search(head)
    if tag is None:
        return "no <sst> at the start of the shared strings"
    size = package.getinfo(member).file_size
    if any(int(count) > size // 8 for count in _COUNT.findall(tag.group())):
        return "a shared-string count larger than the part"
    return ""


def _copied_text(package: zipfile.ZipFile, member: str, found: Package) -> str:
    """ "" when the text calamine would copy into cells (one copy of the shared string per cell) stays under
    ``MAX_COPIED``: first bounded by the longest string times the cells, then, if that is too much, counted
    exactly from each cell's string index (a 32,767-character text in 100,000 cells would need 6 GB)."""
    lengths = [len(piece) for piece in _SI.split(package.read(member))[1:]]
    if not lengths or max(lengths) * found.string_cells <= MAX_COPIED:
        return ""
    copied = cells = 0
    for part in found.sheets:
        for index in _STRING_CELL.findall(package.read(part)):
            cells += 1
            copied += lengths[int(index)] if int(index) < len(lengths) else 0
    if cells != found.string_cells or copied > MAX_COPIED:
        return "shared text repeated in many cells"
    return ""


# number formats that are dates or times: Excel's built-in ones, and any custom code with a date or time letter
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_DATE_CODE = re.compile(r"[dmyhsDMYHS]")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _odd_date(styles: set[int]) -> re.Pattern[bytes] | None:
    """A pattern for a cell under a date format holding a negative serial or one of seven digits or more (beyond
    year 4637, or an exponent): Excel shows ``#####``; openpyxl gives ``#VALUE!`` or a date before 1900, calamine
    the number or midnight, or a Rust panic (a serial of 1e11 overflows its time arithmetic)."""
    if not styles:
        return None
    ids = b"|".join(str(i).encode() for i in sorted(styles))
    return re.compile(rb"""\ss=["'](?:""" + ids + rb""")["'][^>]*>\s*<v>\s*(?:-|[0-9]{7}|[0-9.]+[eE])""")


def _styles(styles: bytes) -> tuple[bool, set[int]]:
    """Whether a cell format of ``styles.xml`` uses a TCVN3/VNI font (``.VnTime``, ``VNI-Times`` …), and the cell
    formats that show a date or time."""
    fonts: list[str | None] = []
    uses: list[int] = []
    codes: dict[str, str] = {}
    formats: list[str] = []
    where: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local in ("fonts", "cellXfs", "cellStyleXfs", "dxfs"):
            where.append(local)  # the section last opened: styles.xml keeps them in this order, never nested
        elif local == "numFmt":
            codes[attrs.get("numFmtId", "")] = attrs.get("formatCode", "")
        elif local == "font" and where and where[-1] == "fonts":
            fonts.append(None)
        elif local == "name" and fonts and where and where[-1] == "fonts" and fonts[-1] is None:
            fonts[-1] = attrs.get("val")
        elif local == "xf" and where and where[-1] == "cellXfs":
            font = attrs.get("fontId", "0")
            uses.append(int(font) if font.isdigit() else 0)
            formats.append(attrs.get("numFmtId", "0"))

    safe_expat(styles, start)
    legacy = any(0 <= i < len(fonts) and font_encoding(fonts[i]) for i in uses)
    dates = set()
    for index, number in enumerate(formats):
        code = codes.get(number)
        builtin = number.isdigit() and int(number) in _DATE_FORMAT_IDS
        if builtin or (code is not None and _DATE_CODE.search(_QUOTED.sub("", code))):
            dates.add(index)
    return bool(legacy), dates

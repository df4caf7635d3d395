"""Reading a local ``.xlsx``/``.xlsm`` workbook, after checking it is safe to open.

The checks come first and cost little: the file must be a real zip package of reasonable size (an
old ``.xls``, a password-protected workbook, a CSV or PDF renamed, or a zip bomb is refused with a
message that says what to do). Then ``package.scan`` streams every XML part once and refuses a DTD (where
entity bombs and external entities live) before any parser sees it, and says which reader may open the
package: calamine (``other_formats.read_calamine``, a Rust reader) for an ordinary workbook, or openpyxl's
streaming mode (``read_streamed``) for one with error values, TCVN3/VNI fonts or cells calamine cannot be
trusted with. Both give the same ``RawWorkbook`` (``tests/test_readers.py``); openpyxl is not even imported
on an ordinary run.
"""

from __future__ import annotations

import os
import re
import stat
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

from ..core.a1 import a1_to_rowcol
from ..core.errors import SourceError
from ..core.files import not_regular
from ..core.i18n import Message, T
from ..core.legacy import font_encoding
from ..workbook.tables import RawSheet, RawWorkbook
from .cells import fill_merged, plain_value
from .package import BLOCK, Package, refuse_dtd, scan, tag_cut, unsafe

MAX_UNCOMPRESSED = 400 * 1024 * 1024  # bytes of XML a school workbook never comes near
MAX_RATIO = 200  # compression ratio beyond which a member is a bomb, not a spreadsheet
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+):([A-Z]+[0-9]+)\"")


def read_xlsx(path: str | os.PathLike[str], label: str | None = None) -> RawWorkbook:
    """Read every tab of a local ``.xlsx`` workbook into a ``RawWorkbook``; raise ``SourceError`` when it cannot.

    The cost follows the cells the file really holds, not the bounding box a far-away formatted cell or a
    huge ``dimension`` claims.
    """
    path = Path(path)
    if check_workbook_file(path) != XLSX:
        raise SourceError(T("{file} không phải tệp .xlsx.", file=path.name))
    return _read_package(path, label or str(path))


def _read_package(path: Path, label: str) -> RawWorkbook:
    """An ``.xlsx`` package already checked to be sane: scanned, then read by the reader the scan chose."""
    package = scan(path)
    if not package.careful:
        from .other_formats import read_calamine

        try:
            return read_calamine(path, label)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # damage calamine refuses, or a Rust panic (not an Exception): openpyxl tries
            pass
    return read_streamed(path, label, package)


def read_streamed(path: Path, label: str, package: Package | None = None) -> RawWorkbook:
    """An ``.xlsx`` read by openpyxl's streaming mode (through defusedxml, its own parser): slower than calamine,
    but it gives error values, each cell's font and anything a hostile file may hold. ``package`` is the scan's
    answer (the file is scanned when it is not given: no reader ever sees a package the scan refused)."""
    import openpyxl  # imported here: an ordinary run never needs it

    package = package or scan(path)
    try:
        merged = _merged_ranges(path, package.sheets)
        with warnings.catch_warnings(), path.open("rb") as handle:
            # openpyxl's own notes (an unsupported extension, a date serial out of range) name no cell a
            # person can use; what matters about such a cell is reported by validation at the cell.
            warnings.simplefilter("ignore")
            # A file object, not the name: openpyxl refuses names that do not end in .xlsx (a template, a
            # download without an extension), while the package was already checked to be a workbook.
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False, keep_vba=False)
            try:
                legacy_fonts = any(font_encoding(name) for name in font_names(book))
                sheets = [_read_sheet(ws, legacy_fonts, merged.get(ws.title, [])) for ws in book.worksheets]
            finally:
                book.close()  # read-only mode keeps the file open (and locked, on Windows) until closed
    except SourceError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        if _unsafe_xml(exc):  # an entity declaration the scan could not see, refused by defusedxml
            raise unsafe(path, f"{type(exc).__name__}: {exc}") from exc
        raise SourceError(
            T(
                ("Không đọc được tệp {file}: tệp hỏng hoặc không phải bảng tính Excel (.xlsx)."),
                file=path.name,
            ),
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    return RawWorkbook(label, sheets)


def _merged_ranges(path: Path, sheets: dict[str, str]) -> dict[str, list[tuple[int, int, int, int]]]:
    """Each sheet's merged ranges ``(top, left, bottom, right)`` by title (openpyxl's streaming mode does not give
    them), read from the parts as they stream, an unfinished tag carried to the next block as the scan carries it."""
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    with zipfile.ZipFile(path) as package:
        for member, title in sheets.items():
            ranges: list[tuple[int, int, int, int]] = []
            with package.open(member) as handle:
                carry = b""
                while chunk := handle.read(BLOCK):
                    block = carry + chunk
                    cut = tag_cut(block)
                    ranges += [
                        (*a1_to_rowcol(a.decode()), *a1_to_rowcol(b.decode())) for a, b in _MERGE.findall(block[:cut])
                    ]
                    carry = block[cut:]
            found[title] = ranges
    return found


XLSX, XLS, ODS = "xlsx", "xls", "ods"
MAX_XLS_BYTES = 100 * 1024 * 1024  # an .xls is read whole into memory
_ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_XML = ("content.xml", "styles.xml", "meta.xml", "settings.xml")  # the parts odfpy parses


def read_workbook(path: str | os.PathLike[str], label: str | None = None) -> RawWorkbook:
    """Read a local workbook of any supported kind (``.xlsx``/``.xlsm``/``.xltx``, ``.xls``, ``.ods``)."""
    path = Path(path)
    kind = check_workbook_file(path)
    if kind == XLSX:
        return _read_package(path, label or str(path))
    from .other_formats import read_ods, read_xls

    return (read_xls if kind == XLS else read_ods)(path, label or str(path))


class NotAWorkbookFile(SourceError):
    """What is at a workbook's name is no regular file (a folder, a FIFO, a device, a loop of links): ``what``."""

    def __init__(self, message: Message, what: Message) -> None:
        super().__init__(message)
        self.what = what


def check_workbook_file(path: Path) -> str:
    """Say which kind of workbook ``path`` is; refuse, with a clear message, anything unreadable or insane."""
    # Long: the refusals in the order they are cheapest to detect, each with its own message.
    name = path.name
    what = not_regular(path)  # a FIFO or /dev/stdin would wait for ever, a device never ends, a link loop
    if what is not None:
        if path.is_dir():
            raise NotAWorkbookFile(T("{path} là một thư mục, không phải tệp bảng tính.", path=path), what)
        raise NotAWorkbookFile(T("{path} là {what}, không phải tệp bảng tính.", path=path, what=what), what)
    if not path.exists():
        raise SourceError(T("Không tìm thấy tệp {path}.", path=path))
    try:
        # opened without waiting (a FIFO put at the name after the check above cannot hang the run) and
        # read only when what was opened is a regular file
        nonblock = getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_BINARY", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise SourceError(T("{path} không phải tệp thường, không đọc được như bảng tính.", path=path))
        if nonblock:
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(512)
            if head.startswith(_OLE_MAGIC):
                handle.seek(0)
                container = handle.read(1 << 20)
                if _ENCRYPTED in container:
                    raise SourceError(
                        T("{name} được đặt mật khẩu: hãy gỡ mật khẩu rồi lưu lại.", name=name),
                    )
                if path.stat().st_size > MAX_XLS_BYTES:
                    raise SourceError(
                        T("{name} quá lớn cho một tệp .xls: từ chối mở để an toàn.", name=name),
                    )
                return XLS
    except PermissionError as exc:
        raise SourceError(T("Không có quyền đọc tệp {path}.", path=path)) from exc
    except OSError as exc:
        raise SourceError(T("Không đọc được tệp {path}: {reason}.", path=path, reason=exc.strerror or exc)) from exc
    if not head:
        raise SourceError(T("{name} là tệp rỗng, không phải bảng tính.", name=name))
    if not head.startswith(b"PK"):
        kind = "PDF" if head.startswith(b"%PDF") else "CSV" if _looks_text(head) else "?"
        raise SourceError(
            T(
                (
                    "{name} không phải bảng tính (nội dung dạng {kind}); hãy mở bằng Excel hoặc "
                    "LibreOffice và lưu dạng .xlsx."
                ),
                name=name,
                kind=kind,
            ),
        )
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            names = {m.filename for m in members}
            mimetype = package.read("mimetype")[:100] if "mimetype" in names else b""
            manifest = package.read("META-INF/manifest.xml")[: 1 << 20] if "META-INF/manifest.xml" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, EOFError) as exc:
        raise SourceError(T("{name} bị hỏng: không mở được như một bảng tính.", name=name)) from exc
    if "xl/workbook.xml" in names:
        kind = XLSX
    elif mimetype.startswith(_ODS_TYPE) and "content.xml" in names:
        kind = ODS
        if b"encryption-data" in manifest:
            raise SourceError(
                T("{name} được đặt mật khẩu: hãy gỡ mật khẩu rồi lưu lại.", name=name),
            )
    else:
        raise SourceError(
            T(("{name} không phải bảng tính (.xlsx, .xls, .ods): có thể là tệp Word hay tệp nén khác."), name=name),
        )
    total = sum(m.file_size for m in members)
    bomb = any(m.file_size > 10 * 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members)
    if total > MAX_UNCOMPRESSED or bomb:
        raise SourceError(
            T(("{name} bất thường (giải nén quá lớn so với kích thước tệp): từ chối mở để an toàn."), name=name),
        )
    if kind == ODS:
        try:
            refuse_dtd(path, _ODS_XML)
        except SourceError as exc:  # the scan's refusal, in words for any spreadsheet program
            raise SourceError(
                T(("{file} chứa XML không an toàn (khai báo entity/DTD): từ chối mở. Hãy mở và lưu lại."), file=name),
                detail=exc.detail,
            ) from exc
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise SourceError(T("{name} bị hỏng: không mở được như một bảng tính.", name=name)) from exc
    return kind


def _unsafe_xml(exc: BaseException | None) -> bool:
    """True when defusedxml refused part of the package (somewhere in the exception's chain)."""
    from defusedxml import DefusedXmlException

    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _looks_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return False
        text = head[: exc.start].decode("utf-8")
    return all(ch.isprintable() or ch in "\t\r\n" for ch in text)


def _read_sheet(ws: Any, legacy_fonts: bool, merged: list[tuple[int, int, int, int]]) -> RawSheet:
    """One streamed sheet: rows with trailing blanks dropped; gaps and blank rows share one empty row."""
    rows: list[list[object]] = []
    empty: list[object] = []
    previous: object = None
    ws.reset_dimensions()  # the file's <dimension> may be wrong or hostile: read what is there, unpadded
    for values in ws.iter_rows(values_only=True):
        if values is previous:  # openpyxl yields one and the same tuple for every missing row
            rows.append(empty)
            continue
        previous = values
        cells = [plain_value(v) for v in values]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells or empty)
    while rows and rows[-1] is empty:
        rows.pop()
    rows, header_rows = fill_merged(rows, merged)
    legacy: dict[tuple[int, int], str] = {}
    if legacy_fonts:
        ws.reset_dimensions()
        for row_cells in ws.iter_rows():
            for cell in row_cells:
                if isinstance(getattr(cell, "value", None), str):
                    encoding = font_encoding(cell.font.name if cell.font else None)
                    if encoding:
                        legacy[(cell.row, cell.column)] = encoding
    return RawSheet(ws.title, rows, header_rows, legacy)


def font_names(book: Any) -> list[str | None]:
    """The names of every font an openpyxl workbook declares (a legacy font anywhere means cells to look at).

    openpyxl has no public list of a workbook's fonts: this is the one place the toolkit reads its private
    ``_fonts``; ``tests/test_legacy.py`` fails the day openpyxl renames it."""
    return [getattr(font, "name", None) for font in book._fonts]

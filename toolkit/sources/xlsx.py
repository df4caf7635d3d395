"""Reading a local ``.xlsx``/``.xlsm`` workbook with openpyxl, after checking it is safe to open.

The checks come first and cost little: the file must be a real zip package of reasonable size (an
old ``.xls``, a password-protected workbook, a CSV or PDF renamed, or a zip bomb is refused with a
message that says what to do). openpyxl parses XML through defusedxml, which is installed with the toolkit.
"""

from __future__ import annotations

import os
import warnings
import zipfile
from pathlib import Path

from ..errors import SourceError
from ..legacy import font_encoding
from ..tables import RawSheet, RawWorkbook

MAX_UNCOMPRESSED = 400 * 1024 * 1024  # bytes of XML a school workbook never comes near
MAX_RATIO = 200  # compression ratio beyond which a member is a bomb, not a spreadsheet
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def read_xlsx(path: str | os.PathLike[str], label: str | None = None) -> RawWorkbook:
    """Read every tab of a local workbook into a ``RawWorkbook``; raise ``SourceError`` when it cannot."""
    path = Path(path)
    label = label or str(path)
    check_workbook_file(path)
    import openpyxl  # imported here: the CLI's start-up must stay fast

    try:
        with warnings.catch_warnings():
            # openpyxl's own notes (an unsupported extension, a date serial out of range) name no cell a
            # person can use; what matters about such a cell is reported by validation at the cell.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, data_only=True, keep_links=False, keep_vba=False)
    except SourceError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        if _unsafe_xml(exc):
            raise SourceError(
                f"{path.name} chứa XML không an toàn (khai báo entity/DTD): từ chối mở. Hãy mở bằng Excel và lưu lại.",
                f"{path.name} holds unsafe XML (entity/DTD declarations): refused. Open it in Excel and save it again.",
                detail=f"{type(exc).__name__}: {exc}") from exc
        raise SourceError(
            f"Không đọc được tệp {path.name}: tệp hỏng hoặc không phải bảng tính Excel (.xlsx).",
            f"Cannot read {path.name}: the file is damaged or not an Excel workbook (.xlsx).",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    legacy_fonts = any(font_encoding(getattr(f, "name", None)) for f in book._fonts)
    sheets = [_read_sheet(ws, legacy_fonts) for ws in book.worksheets]
    return RawWorkbook(label, sheets)


def check_workbook_file(path: Path) -> None:
    """Refuse, with a clear message, anything that is not a readable, sane ``.xlsx`` package."""
    name = path.name
    if not path.exists():
        raise SourceError(f"Không tìm thấy tệp {path}.", f"File not found: {path}.")
    if path.is_dir():
        raise SourceError(f"{path} là một thư mục, không phải tệp bảng tính .xlsx.",
                          f"{path} is a folder, not an .xlsx workbook.")
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
            if head.startswith(_OLE_MAGIC):
                handle.seek(0)
                container = handle.read(1 << 20)
                if _ENCRYPTED in container:
                    raise SourceError(f"{name} được đặt mật khẩu: hãy gỡ mật khẩu rồi lưu lại dạng .xlsx.",
                                      f"{name} is password-protected: remove the password and save it as .xlsx.")
                raise SourceError(f"{name} là tệp Excel cũ (.xls): hãy mở và lưu lại dạng .xlsx.",
                                  f"{name} is an old Excel file (.xls): open it and save it as .xlsx.")
    except PermissionError as exc:
        raise SourceError(f"Không có quyền đọc tệp {path}.", f"No permission to read {path}.") from exc
    except OSError as exc:
        raise SourceError(f"Không đọc được tệp {path}: {exc.strerror or exc}.",
                          f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if not head:
        raise SourceError(f"{name} là tệp rỗng, không phải bảng tính .xlsx.",
                          f"{name} is empty, not an .xlsx workbook.")
    if not head.startswith(b"PK"):
        kind = "PDF" if head.startswith(b"%PDF") else "CSV" if _looks_text(head) else "?"
        raise SourceError(f"{name} không phải bảng tính .xlsx (nội dung dạng {kind}); "
                          "hãy mở bằng Excel và lưu dạng .xlsx.",
                          f"{name} is not an .xlsx workbook (its content looks like {kind}); save it as .xlsx.")
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{name} bị hỏng: không mở được như một bảng tính .xlsx.",
                          f"{name} is damaged: it does not open as an .xlsx workbook.") from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise SourceError(f"{name} không phải bảng tính Excel (.xlsx): có thể là tệp Word hay tệp nén khác.",
                          f"{name} is not an Excel workbook (.xlsx): perhaps a Word file or another zip file.")
    total = sum(m.file_size for m in members)
    bomb = any(m.file_size > 10 * 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)
               for m in members)
    if total > MAX_UNCOMPRESSED or bomb:
        raise SourceError(f"{name} bất thường (giải nén quá lớn so với kích thước tệp): từ chối mở để an toàn.",
                          f"{name} is abnormal (it unpacks far larger than its size): refused for safety.")


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


def _read_sheet(ws, legacy_fonts: bool) -> RawSheet:
    rows = [list(values) for values in ws.iter_rows(values_only=True)]
    header_rows = 1
    for merged in ws.merged_cells.ranges:
        top, left, bottom, right = merged.min_row, merged.min_col, merged.max_row, merged.max_col
        if top == 1:
            header_rows = max(header_rows, bottom)
        value = rows[top - 1][left - 1] if top <= len(rows) and left <= len(rows[top - 1]) else None
        for r in range(top, min(bottom, len(rows)) + 1):
            row = rows[r - 1]
            # In the header only the column of the merged cell is filled: a group title spanning
            # several columns must not be glued to each sub-header.
            last = left if top <= header_rows and r <= header_rows else right
            for c in range(left, min(last, len(row)) + 1):
                if (r, c) != (top, left):
                    row[c - 1] = value
    legacy: dict[tuple[int, int], str] = {}
    if legacy_fonts:
        for row in ws.iter_rows():
            for cell in row:
                encoding = font_encoding(cell.font.name if cell.font else None) if isinstance(cell.value, str) else None
                if encoding:
                    legacy[(cell.row, cell.column)] = encoding
    return RawSheet(ws.title, rows, header_rows, legacy)

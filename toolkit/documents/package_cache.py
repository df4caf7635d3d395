"""The prepared document package kept in the user's cache folder, checked whole before it is used.

The cache holds the parts python-docx builds for an empty Decree 30 document, so a run needs neither
python-docx nor the time to build them. What is read back is used only when every part is there and unchanged:
the zip's comment holds a SHA-256 of every part's name and bytes, written with it, and the parts a
WordprocessingML package needs must be present. Anything else at the cache's name (a link, a FIFO, a folder,
a damaged or foreign file, one too big) is ignored and rebuilt; a write that fails leaves no temporary file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..core.files import read_regular

Parts = tuple[tuple[str, bytes], ...]
REQUIRED = (
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "docProps/core.xml",
)
MAX_BYTES = 8 << 20  # the package is about 40 KB zipped and 200 KB unpacked
_TAG = b"toolkit-parts-sha256:"


def cached(path: Path, build: Callable[[], Parts], required: tuple[str, ...] = REQUIRED) -> Parts:
    """The parts kept at ``path`` when they are whole and unchanged, else ``build()``'s (kept for next time);
    ``required`` are the parts that must be there (a WordprocessingML package's unless told)."""
    parts = read_parts(path, required)
    if parts is None:
        parts = build()
        keep(path, parts)
    return parts


def read_parts(path: Path, required: tuple[str, ...] = REQUIRED) -> Parts | None:
    """The parts of the package at ``path``, or None unless it is a regular file holding a whole package
    (every ``required`` part, and a ``word/document.xml`` with its section properties)."""
    try:
        with zipfile.ZipFile(io.BytesIO(read_regular(path, limit=MAX_BYTES))) as package:
            members = package.infolist()
            if sum(m.file_size for m in members) > MAX_BYTES:
                return None
            parts = tuple((m.filename, package.read(m)) for m in members)  # read() checks each CRC
            comment = package.comment
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        return None
    names = {name for name, _ in parts}
    if comment != _TAG + digest(parts).encode() or not set(required) <= names or len(names) != len(parts):
        return None
    return parts if b"<w:sectPr" in dict(parts)["word/document.xml"] else None


def digest(parts: Parts) -> str:
    """A SHA-256 of every part's name and bytes, in order."""
    hashed = hashlib.sha256()
    for name, data in parts:
        encoded = name.encode("utf-8")
        hashed.update(len(encoded).to_bytes(4, "big") + encoded + len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()


def keep(path: Path, parts: Parts) -> None:
    """Write the parts to ``path`` atomically, with their digest; on any failure, no cache and no leftover."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in parts:
            package.writestr(name, data)
        package.comment = _TAG + digest(parts).encode()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".base-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(buffer.getvalue())
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # no cache this time: the package is still right
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

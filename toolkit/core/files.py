"""Opening the files the toolkit writes, appends to or reads back from folders other people can plant
things in: never through a link, regular files only, never waiting on a FIFO.

Every such open goes through ``open_regular``: ``O_NOFOLLOW`` (a link at the name fails instead of being
followed), ``O_NONBLOCK`` (a FIFO without a writer or reader cannot hang the run) and then ``fstat`` on the
descriptor really opened, so a folder, a FIFO or a device is refused whatever appeared at the name between a
check and the open. Callers turn the ``NotRegularFile`` (or ``ELOOP`` for a link) into their own message.
A file the user names to be read (``read_chosen``) may be a link, but only to a regular file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .i18n import Message, T

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """What is at a name the toolkit opens is not a regular file (a link, a folder, a FIFO, a device)."""

    def __init__(self, path: str | os.PathLike[str], what: Message) -> None:
        super().__init__(errno.EINVAL, what.text("en"), str(path))
        self.what = what


def open_regular(path: str | os.PathLike[str], flags: int, mode: int = 0o666) -> int:
    """Open ``path`` with ``flags`` without following a link at its name, and only if it is a regular file.

    Returns the descriptor (blocking again, like any other). Raises ``NotRegularFile`` for a link, a folder,
    a FIFO or a device at the name, and the usual ``OSError`` for anything else (missing, no permission…).
    """
    if not _NOFOLLOW and os.path.islink(path):  # Windows: no O_NOFOLLOW, links are rare and need privileges
        raise NotRegularFile(path, T("một liên kết (symlink)"))
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY, mode)
    except OSError as exc:
        what = _what_is_at(path) if exc.errno in (errno.ELOOP, errno.EMLINK, errno.EISDIR, errno.ENXIO) else None
        if what is not None:
            raise NotRegularFile(path, what) from exc
        raise
    return _regular_fd(fd, path)


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (a link, folder, FIFO or device there: ``NotRegularFile``);
    with ``limit``, a file longer than that raises ``OSError(EFBIG)`` instead of being read whole."""
    return _read(open_regular(path, os.O_RDONLY), path, limit)


def read_chosen(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of the regular file at a path the user chose (``not_regular``'s rule: a link to a regular
    file is followed), read as ``read_regular`` reads: a folder, a FIFO, a device or a loop of links there
    raises ``NotRegularFile`` naming what was found, opened without blocking and checked on the descriptor
    really opened, so a FIFO cannot hang the run."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
    except OSError as exc:
        what = not_regular(path) if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EACCES) else None
        if what is not None:
            raise NotRegularFile(path, what) from exc
        raise
    return _read(_regular_fd(fd, path), path, limit)


def _regular_fd(fd: int, path: str | os.PathLike[str]) -> int:
    """``fd`` made blocking again when it is open on a regular file; else closed and ``NotRegularFile``
    naming what it is open on (checked on the descriptor, whatever appeared at the name since)."""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, _kind(info.st_mode))
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read(fd: int, path: str | os.PathLike[str], limit: int | None) -> bytes:
    """What the open descriptor ``fd`` holds (closed after); longer than ``limit``: ``OSError(EFBIG)``."""
    with os.fdopen(fd, "rb") as handle:
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise OSError(errno.EFBIG, f"longer than {limit} bytes", str(path))
    return data


def append_regular(path: str | os.PathLike[str], data: bytes) -> None:
    """Append ``data`` to the regular file at ``path`` (created if missing) and make sure it is on disk."""
    fd = open_regular(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    with os.fdopen(fd, "ab") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def not_regular(path: str | os.PathLike[str]) -> Message | None:
    """What is at ``path`` when it is there but no regular file, following links (``None`` for a regular
    file or nothing at all): for a path the user chose, where a link to a file is fine."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return T("một vòng liên kết (symlink trỏ vòng)")
        return None
    return None if stat.S_ISREG(info.st_mode) else _kind(info.st_mode)


def refusal(path: str | os.PathLike[str], what: Message) -> Message:
    """The message for a name the toolkit would write or read where something other than a regular file is."""
    return T(
        (
            "{path} là {what}, không phải tệp thường: phần mềm không ghi hay đọc qua đó (không theo liên "
            "kết). Hãy xóa hoặc đổi tên nó, hoặc chọn thư mục khác bằng -o."
        ),
        path=Path(path),
        what=what,
    )


def _what_is_at(path: str | os.PathLike[str]) -> Message | None:
    try:
        return None if stat.S_ISREG(mode := os.lstat(path).st_mode) else _kind(mode)
    except OSError:
        return None


def _kind(mode: int) -> Message:
    if stat.S_ISLNK(mode):
        return T("một liên kết (symlink)")
    if stat.S_ISDIR(mode):
        return T("một thư mục")
    if stat.S_ISFIFO(mode):
        return T("một FIFO (đường ống có tên)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return T("một thiết bị")
    if stat.S_ISSOCK(mode):
        return T("một socket")
    return T("một tệp đặc biệt")

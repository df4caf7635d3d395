"""Writing output files safely: names that stay inside the output folder, atomic writes, history kept.

A new file is written to a temporary name beside its target and renamed over it, so a crash never
leaves half a file under the real name. When the content changes, the earlier file is first kept in
``history/`` (once per distinct content, the newest ``keep`` versions of each document): nothing is
silently lost. Writers of one folder take turns through a lock file, so two people running the toolkit
on a shared folder never lose a version; a link planted where the toolkit writes is refused, never followed.
"""

from __future__ import annotations

import datetime as dt
import errno
import glob
import hashlib
import os
import re
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.config import KEEP
from ..core.errors import OutputError
from ..core.files import NotRegularFile, not_regular, open_regular, read_regular, refusal
from ..core.i18n import T

WRITTEN, UNCHANGED = "written", "unchanged"
STALE_SECONDS = 600  # a temporary file this old was left by a run that was killed
LOCK_NAME = ".toolkit.lock"
LOCK_SECONDS = 120
HISTORY = "history"
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-\d+)?")  # what follows a document's stem in history/, exactly
KEPT_LIST = ".toolkit-kept"  # history/'s list of the versions the toolkit kept: "<sha256>  <name>" lines
WRITTEN_LIST = ".toolkit-written"  # a folder's list of what the toolkit last wrote to each name, the same lines
_KEPT_LINE = re.compile(r"([0-9a-f]{64})  ([^/\\]+)")


@dataclass(frozen=True)
class Written:
    """What ``write_file`` did: ``written`` or ``unchanged``; where a differing earlier file was kept, and whether
    that earlier file is exactly what the toolkit itself last wrote there (``own``: not edited by anyone since)."""

    status: str
    kept: Path | None = None
    own: bool = False


def write_file(
    path: Path, data: bytes, *, keep_history: bool = True, keep: int = KEEP, remember: bool = False
) -> Written:
    """Write ``data`` to ``path`` atomically; keep a differing earlier file in ``history/`` (unless told not to).

    With ``remember`` (a document), what was written is noted in the folder's ``.toolkit-written``, so that a
    later write tells the toolkit's own earlier file (``Written.own``) from one edited since.
    Returns what was done and where the earlier file went. Raises ``OutputError``.
    """
    too_long = path_too_long(path, sys.platform == "win32")
    if too_long:
        raise too_long
    _make_folder(path.parent, path.parent.parent, path)
    with _locked(path.parent):
        try:
            if _current(path) == data:
                if remember:  # what the toolkit would write is there (also a file of a run before the list)
                    _remember(path, hashlib.sha256(data).hexdigest())
                return Written(UNCHANGED)
        except OSError as exc:
            raise output_error(path, exc) from exc
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a document gets the usual mode
            kept, own = None, False
            if keep_history and path.exists():
                own = remember and _written_by_us(path)
                kept = keep_in_history(path, keep)
            os.replace(tmp, path)
            tmp = None
            _sync_folder(path.parent)
            if remember:
                _remember(path, hashlib.sha256(data).hexdigest())
            _remove_stale(path)
        except OSError as exc:
            raise output_error(path, exc) from exc
        finally:
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
    return Written(WRITTEN, kept, own)


WINDOWS_MAX_PATH = 259  # characters Windows programs (Word among them) can open without long-path support


def path_too_long(path: Path, windows: bool) -> OutputError | None:
    """On Windows, a full path Word could not open; the error says to choose a shorter output folder."""
    full = str(path.absolute())
    if not windows or len(full) <= WINDOWS_MAX_PATH:
        return None
    return OutputError(
        T(
            (
                "Đường dẫn {full} dài {length} ký tự, quá giới hạn {limit} của "
                "Windows: hãy chọn thư mục ngắn hơn bằng -o (ví dụ C:\\BaoCao)."
            ),
            full=full,
            length=len(full),
            limit=WINDOWS_MAX_PATH,
        ),
    )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no folder handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _locked:
    """One writer at a time in a folder: an exclusive lock on a lock file beside the documents, across
    processes (``flock`` on POSIX, ``msvcrt.locking`` on Windows), waited for up to ``LOCK_SECONDS``.

    Written here rather than taken from ``filelock``: importing that library cost ~25 ms of a 0.3 s run,
    for the twenty lines below.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fd = -1

    def __enter__(self) -> None:
        path = self.folder / LOCK_NAME
        try:
            self.fd = open_regular(path, os.O_RDWR | os.O_CREAT)
        except OSError as exc:
            raise output_error(path, exc) from exc
        deadline = time.monotonic() + LOCK_SECONDS
        while not _try_lock(self.fd):
            if time.monotonic() > deadline:
                os.close(self.fd)
                raise OutputError(
                    T(
                        "Thư mục {folder} đang được người khác ghi (quá {seconds} giây): hãy chạy lại sau.",
                        folder=self.folder,
                        seconds=LOCK_SECONDS,
                    )
                )
            time.sleep(0.02)

    def __exit__(self, *exc: object) -> None:
        _unlock(self.fd)
        os.close(self.fd)


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock of ``fd`` if it is free; False when someone else holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EDEADLK):
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def make_folder(path: Path, *, under: Path) -> Path:
    """Make the folder ``path`` inside ``under`` and return it: ``under`` as the user chose it (made if missing,
    a link there followed), then each folder below it down to ``path``, one at a time (``mkdir``, no parents)
    and never through a link. Any of those that is already there but no real folder (a link, a file, a FIFO…)
    is refused with ``OutputError`` instead of being written through.
    """
    return _make_folder(Path(path), Path(under), Path(path))


def _make_folder(path: Path, under: Path, writing: Path) -> Path:
    """``make_folder``, its messages naming ``writing`` (the file to be written there, or ``path`` itself)."""
    parts = path.relative_to(under).parts
    try:
        under.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(writing, exc) from exc
    folder = under
    for part in parts:
        folder = folder / part
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except OSError as exc:
            raise output_error(writing, exc) from exc
        _refuse_no_folder(folder, writing)
    return path


def _refuse_no_folder(folder: Path, path: Path) -> None:
    """``OutputError`` unless ``folder`` is a real folder (not a link to one): ``refusal``'s words for a link,
    a FIFO or a device, the usual words for a file where a folder is needed (to write ``path``)."""
    try:
        mode = os.lstat(folder).st_mode
    except OSError as exc:
        raise output_error(path, exc) from exc
    if stat.S_ISDIR(mode):
        return
    what = T("một liên kết (symlink)") if stat.S_ISLNK(mode) else not_regular(folder)
    if what is not None:
        raise OutputError(refusal(folder, what))
    raise output_error(path, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)))


def _temporary_prefix(path: Path) -> str:
    return f".{path.stem[:40]}-"


def _remove_stale(path: Path, prefix: str | None = None) -> None:
    """Delete temporary files of ``path`` (or named ``prefix…``) left behind by a killed run (never a finished
    file)."""
    now = time.time()
    for leftover in path.parent.glob(f"{glob.escape(prefix or _temporary_prefix(path))}*.tmp"):
        try:
            if now - leftover.stat().st_mtime > STALE_SECONDS and not leftover.is_symlink():
                leftover.unlink()
        except OSError:
            pass


def versions(path: Path) -> list[Path]:
    """The versions of a document kept in ``history/``, oldest first: files named exactly the document's own
    stem, a stamp and its extension (``KH-X-dot-2-20231201-….docx`` is not a version of ``KH-X``)."""
    history = path.parent / HISTORY
    if not history.is_dir() or history.is_symlink():
        return []
    found = []
    for candidate in history.glob(f"{glob.escape(path.stem)}-*{path.suffix}"):
        stamp = _STAMP.fullmatch(candidate.name[len(path.stem) : len(candidate.name) - len(path.suffix)])
        if stamp and candidate.is_file() and not candidate.is_symlink():
            found.append((stamp.group(1), candidate.stat().st_mtime, candidate.name, candidate))
    return [item[-1] for item in sorted(found)]


def _current(path: Path) -> bytes | None:
    """The bytes of the file now at ``path`` (None when there is none); a link, folder or FIFO there is refused."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        return None


def _digest(path: Path) -> str:
    return hashlib.sha256(read_regular(path)).hexdigest()


def _kept_by_us(history: Path) -> dict[str, str]:
    """The names ``history/`` holds because the toolkit put them there, with their content's hash, from its
    list ``history/.toolkit-kept`` (lines ``<sha256>  <name>``; a damaged line proves nothing)."""
    return _hash_list(history / KEPT_LIST)


def _hash_list(path: Path) -> dict[str, str]:
    """A list of ``<sha256>  <name>`` lines as ``{name: sha256}`` (the last line of a name counts); none when
    it is missing or no regular file, and a damaged line is skipped."""
    try:
        text = read_regular(path).decode("utf-8", "replace")
    except OSError:
        return {}
    found = {}
    for line in text.splitlines():
        match = _KEPT_LINE.fullmatch(line)
        if match:
            found[match.group(2)] = match.group(1)
    return found


def _written_by_us(path: Path) -> bool:
    """True when the file at ``path`` is exactly what the toolkit last wrote there (its folder's
    ``.toolkit-written`` says so by its hash); False when it was changed since, or nothing says."""
    recorded = _hash_list(path.parent / WRITTEN_LIST).get(path.name)
    return recorded is not None and recorded == _digest(path)


def _remember(path: Path, digest: str) -> None:
    """Note in the folder's ``.toolkit-written`` that the toolkit wrote ``digest`` to ``path`` (rewritten
    atomically, one line a name). Only a hint for messages: a list that cannot be written is left as it is."""
    listed = path.parent / WRITTEN_LIST
    names = _hash_list(listed)
    if names.get(path.name) == digest:
        return
    names[path.name] = digest
    tmp = None
    _remove_stale(path, ".toolkit-written-")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".toolkit-written-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(f"{sha}  {name}\n" for name, sha in names.items())
        os.replace(tmp, listed)  # a link or FIFO planted there is replaced, never followed; a folder stays
    except OSError:
        pass
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def _trim(path: Path, keep: int) -> list[Path]:
    """Delete the oldest versions of ``path`` beyond ``keep``, counting and deleting only versions the toolkit
    provably kept (named in its list, with the same content): a file someone else put in ``history/`` stays.
    Returns the versions deleted."""
    history = path.parent / HISTORY
    ours = _kept_by_us(history)
    proven = [v for v in versions(path) if v.name in ours]
    removed = []
    for old in proven[: max(0, len(proven) - keep)]:
        if _digest(old) == ours[old.name]:
            old.unlink()
            removed.append(old)
    return removed


def _forget_gone(history: Path) -> None:
    """Rewrite the toolkit's list of kept versions without the names no longer there (atomically)."""
    ours = _kept_by_us(history)
    left = {name: digest for name, digest in ours.items() if (history / name).is_file()}
    if left == ours:
        return
    fd, tmp = tempfile.mkstemp(prefix=".toolkit-kept-", suffix=".tmp", dir=history)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(f"{digest}  {name}\n" for name, digest in left.items())
        os.replace(tmp, history / KEPT_LIST)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def keep_in_history(path: Path, keep: int = KEEP) -> Path:
    """Keep the current file in ``history/<name>-<yyyymmdd-hhmmss><ext>``, once per distinct content.

    A new name is created exclusively (a hard link, or a copy opened with ``O_EXCL``), so no history
    file is ever overwritten and no planted link is followed, and it is added to ``history/.toolkit-kept``
    with its hash. Beyond ``keep`` versions the oldest the toolkit kept go.
    """
    history = _make_folder(path.parent / HISTORY, path.parent, path)
    earlier = versions(path)
    digest = _digest(path)
    same = next((v for v in reversed(earlier) if _digest(v) == digest), None)
    if same is not None:
        return same
    when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    with os.fdopen(open_regular(history / KEPT_LIST, os.O_WRONLY | os.O_APPEND | os.O_CREAT), "ab") as kept:
        counter = 0
        while True:
            target = history / f"{path.stem}-{when}{f'-{counter}' if counter else ''}{path.suffix}"
            try:
                _exclusive_copy(path, target)
                break
            except FileExistsError:
                counter += 1
        kept.write(f"{digest}  {target.name}\n".encode())
        kept.flush()
        os.fsync(kept.fileno())
    _trim(path, keep)
    return target


def history_of(output: Path, keep: int = KEEP, removed: list[Path] | None = None) -> list[tuple[Path, list[Path]]]:
    """Every document of ``output/<Năm>/`` with the versions kept of it, trimmed to the newest ``keep`` (the
    versions deleted so are added to ``removed``)."""
    found = []
    removed = [] if removed is None else removed
    for folder in (
        sorted(p for p in Path(output).iterdir() if p.is_dir() and not p.is_symlink()) if Path(output).is_dir() else []
    ):
        documents = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".docx", ".pdf"))
        history = folder / HISTORY
        with _locked(folder):
            try:
                for document in documents:
                    removed += _trim(document, keep)
                if history.is_dir() and not history.is_symlink():
                    _forget_gone(history)
            except OSError as exc:
                raise output_error(history, exc) from exc
        found += [(document, versions(document)) for document in documents]
    return found


def _exclusive_copy(source: Path, target: Path) -> None:
    """Link ``source`` at ``target``, or copy it there; fails with ``FileExistsError`` if anything is there."""
    try:
        os.link(source, target, follow_symlinks=False)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # no hard links here (FAT, some network shares): copy instead
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(read_regular(source))
        handle.flush()
        os.fsync(handle.fileno())


def output_error(path: Path, exc: OSError) -> OutputError:
    """The message for a file that could not be written, naming the file or folder really at fault."""
    if isinstance(exc, NotRegularFile):
        return OutputError(refusal(exc.filename or path, exc.what), detail=f"{type(exc).__name__}: {exc}")
    culprit = Path(exc.filename) if getattr(exc, "filename", None) else path
    blocking = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir() and p != path), None)
    if getattr(exc, "winerror", None) in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        message = T(
            ("Không ghi được {path}: tệp đang mở trong Word (hoặc chương trình khác). Hãy đóng tệp rồi chạy lại."),
            path=path,
        )
    elif exc.errno == errno.ENOSPC:
        message = T("Hết dung lượng đĩa khi ghi {path}. Hãy giải phóng chỗ trống rồi chạy lại.", path=path)
    elif blocking is not None or (exc.errno in (errno.ENOTDIR, errno.EEXIST) and culprit.is_file()):
        where = blocking or culprit
        message = T(
            ("{where} là một tệp, nhưng cần là thư mục để ghi {path}. Hãy đổi tên hoặc xóa tệp đó."),
            where=where,
            path=path,
        )
    elif isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        if culprit.resolve() == path.resolve() or (
            culprit.parent.resolve() == path.parent.resolve() and culprit.name.startswith("." + path.stem[:40])
        ):
            message = T(
                (
                    "Không ghi được {path}: không có quyền ghi, hoặc tệp đang mở trong Word. Hãy "
                    "đóng tệp (hoặc chọn thư mục khác bằng -o) rồi chạy lại."
                ),
                path=path,
            )
        else:
            folder = culprit if culprit.is_dir() else culprit.parent
            message = T(
                (
                    "Không có quyền ghi vào {folder} (cần để ghi {path}). Hãy cấp quyền ghi hoặc "
                    "chọn thư mục khác bằng -o."
                ),
                folder=folder,
                path=path,
            )
    else:
        message = T("Không ghi được {path}: {reason}.", path=path, reason=exc.strerror or exc)
    return OutputError(message, detail=f"{type(exc).__name__}: {exc}")

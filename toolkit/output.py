"""Writing output files safely: names that stay inside the output folder, atomic writes, history kept.

A new file is written to a temporary name beside its target and renamed over it, so a crash never
leaves half a file under the real name. When the content changes, the earlier file is first kept in
``history/`` with its time in the name: nothing is ever silently lost.
"""

from __future__ import annotations

import datetime as dt
import errno
import glob
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from .errors import OutputError
from .model import Settings
from .text import slug, strip_diacritics

WRITTEN, UNCHANGED = "written", "unchanged"
STALE_SECONDS = 600  # a temporary file this old was left by a run that was killed


def document_paths(settings: Settings, output: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``output/<Năm>/KH-<Viết tắt>-<slug>.docx`` and the ``BC-…`` twin; every part is ASCII and safe."""
    year = str(settings.year) if settings.year and 1000 <= settings.year <= 9999 else "khong-ro-nam"
    abbr = re.sub(r"[^A-Z0-9]", "", strip_diacritics(settings.unit_abbr or "").upper())[:20] or "DV"
    name = f"{abbr}-{slug(settings.campaign or 'tai-lieu')}.docx"
    folder = Path(output) / year
    return folder / f"KH-{name}", folder / f"BC-{name}"


def write_file(path: Path, data: bytes, *, keep_history: bool = True) -> str:
    """Write ``data`` to ``path`` atomically; keep a differing earlier file in ``history/`` (unless told not to).

    Returns ``"written"`` or ``"unchanged"`` (same bytes already there). Raises ``OutputError``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            raise IsADirectoryError(errno.EISDIR, "a folder has that name", str(path))
        if path.is_file() and path.read_bytes() == data:
            return UNCHANGED
    except OSError as exc:
        raise output_error(path, exc) from exc
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_history and path.exists():
            _keep_in_history(path)
        os.replace(tmp, path)
        tmp = None
        _remove_stale(path)
    except OSError as exc:
        raise output_error(path, exc) from exc
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
    return WRITTEN


def _temporary_prefix(path: Path) -> str:
    return f".{path.stem[:40]}-"


def _remove_stale(path: Path) -> None:
    """Delete temporary files of ``path`` left behind by a killed run (never a finished file)."""
    now = time.time()
    for leftover in path.parent.glob(f"{glob.escape(_temporary_prefix(path))}*.tmp"):
        try:
            if now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            pass


def _keep_in_history(path: Path) -> Path:
    """Link (or copy) the current file into ``history/<name>-<yyyymmdd-hhmmss><ext>``."""
    history = path.parent / "history"
    history.mkdir(exist_ok=True)
    when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    target = history / f"{path.stem}-{when}{path.suffix}"
    counter = 1
    while target.exists():
        target = history / f"{path.stem}-{when}-{counter}{path.suffix}"
        counter += 1
    try:
        os.link(path, target)
    except OSError:
        shutil.copy2(path, target)
    return target


def output_error(path: Path, exc: OSError) -> OutputError:
    if exc.errno == errno.ENOSPC:
        vi = f"Hết dung lượng đĩa khi ghi {path}. Hãy giải phóng chỗ trống rồi chạy lại."
        en = f"The disk is full while writing {path}. Free some space and run again."
    elif isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        vi = (f"Không ghi được {path}: không có quyền ghi, hoặc tệp đang mở trong Word. "
              "Hãy đóng tệp (hoặc chọn thư mục khác bằng -o) rồi chạy lại.")
        en = (f"Cannot write {path}: no permission, or the file is open in Word. "
              "Close it (or choose another folder with -o) and run again.")
    else:
        vi = f"Không ghi được {path}: {exc.strerror or exc}."
        en = f"Cannot write {path}: {exc.strerror or exc}."
    return OutputError(vi, en, detail=f"{type(exc).__name__}: {exc}")

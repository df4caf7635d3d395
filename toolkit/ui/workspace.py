"""What ``toolkit ui`` remembers: the workbook chosen, the recent ones, the uploads, and the files the toolkit
wrote, each known to the page by an id (a download never names a path)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.files import read_regular
from ..output.write import make_folder, write_file
from ..sources import LOCAL, WORKBOOK_SUFFIXES, Source

FOLDER = ".ui"  # inside the output folder
RECENT = 8
UPLOADS_BYTES = 200 * 1024 * 1024  # the uploads kept, at most (the recent list's, newest first)
FRESH = 600.0  # seconds an upload folder is spared while it may still be being written or checked
_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")
_NAME = re.compile(r"[^\w.()-]+")


@dataclass
class Workspace:
    """The server's memory, kept under ``output/.ui/`` (recent workbooks, uploads, page pictures)."""

    output: Path
    source: Source | None = None
    _files: dict[str, Path] = field(default_factory=dict)
    _ids: dict[Path, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _uploading: set[Path] = field(default_factory=set)

    @property
    def folder(self) -> Path:
        """``output/.ui``."""
        return self.output / FOLDER

    # -- files the toolkit wrote ------------------------------------------------------------------
    def file_id(self, path: Path) -> str:
        """The id by which the page downloads ``path`` (one id per file, for the server's life)."""
        path = path.resolve()
        with self._lock:
            ident = self._ids.get(path)
            if ident is None:
                ident = secrets.token_urlsafe(12)
                self._ids[path], self._files[ident] = ident, path
            return ident

    def file(self, ident: str) -> Path | None:
        """The file of ``ident``, when it is one the toolkit wrote and it is still a regular file."""
        if not _ID.match(ident):
            return None
        path = self._files.get(ident)
        if path is None:
            return None
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        return path if stat.S_ISREG(mode) else None

    # -- uploads ----------------------------------------------------------------------------------
    def upload_path(self, filename: str) -> Path:
        """A new place for an uploaded workbook: its own folder, its name cleaned (never a path); a link or no
        folder at ``.ui`` or ``.ui/uploads`` is refused (``OutputError``), never written through."""
        name = _NAME.sub("-", Path(filename.replace("\\", "/")).name).strip(".-") or "so-theo-doi.xlsx"
        if not name.lower().endswith(WORKBOOK_SUFFIXES):
            name += ".xlsx"
        folder = self.folder / "uploads" / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"
        make_folder(folder, under=self.output)
        with self._lock:
            self._uploading.add(folder.resolve())
        return folder / name[-120:]

    def uploaded(self, path: Path) -> None:
        """The upload at ``path`` is written and checked (or refused): it may be pruned from now on."""
        with self._lock:
            self._uploading.discard(path.parent.resolve())

    def prune_uploads(self, now: float | None = None) -> list[Path]:
        """Remove the uploads no recent list names any more, and the oldest named ones beyond ``RECENT`` or
        ``UPLOADS_BYTES``; the chosen workbook's, and uploads of the last ``FRESH`` seconds, stay. Links are
        removed as links, never followed. Returns what was removed."""
        uploads = self.folder / "uploads"
        try:
            if not stat.S_ISDIR(os.lstat(uploads).st_mode):
                return []
            entries = sorted(os.scandir(uploads), key=_age, reverse=True)  # newest first
        except OSError:
            return []
        now = time.time() if now is None else now
        named = self._named_uploads()
        current = self._upload_of(self.source.value) if self.source and self.source.kind == LOCAL else None
        removed, kept, size = [], 0, 0
        for entry in entries:
            path = Path(entry.path)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            folder = stat.S_ISDIR(info.st_mode)
            here = path.resolve() if folder else None
            with self._lock:
                busy = here in self._uploading
            if folder and (busy or here == current or now - info.st_mtime < FRESH):
                continue
            if folder and here in named and kept < RECENT:
                bytes_ = _size(path)
                if size + bytes_ <= UPLOADS_BYTES:
                    kept, size = kept + 1, size + bytes_
                    continue
            try:
                if folder:
                    shutil.rmtree(path)  # never follows a link inside (and refuses one at the top)
                else:
                    path.unlink()  # a link or a stray file: itself, not what it points to
            except OSError:
                continue
            removed.append(path)
        return removed

    def _named_uploads(self) -> set[Path]:
        """The upload folders the recent lists name."""
        found = set()
        for kind in ("school", "rollup"):
            for entry in self.recent(kind):
                folder = self._upload_of(entry["spec"])
                if folder is not None:
                    found.add(folder)
        return found

    def is_upload(self, source: Source) -> bool:
        """Whether ``source`` is a workbook uploaded through the page (a copy kept here)."""
        return source.kind == LOCAL and self._upload_of(source.value) is not None

    def _upload_of(self, spec: str) -> Path | None:
        """The upload folder of a workbook path (None when it is not an upload)."""
        try:
            folder = Path(spec).resolve().parent
        except (OSError, ValueError):
            return None
        return folder if folder.parent == (self.folder / "uploads").resolve() else None

    # -- recent workbooks -------------------------------------------------------------------------
    def recent(self, kind: str = "school") -> list[dict[str, Any]]:
        """The workbooks (or roll-up lists) chosen lately, newest first; a damaged record reads as none."""
        try:
            data = json.loads(read_regular(self.folder / f"recent-{kind}.json").decode("utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, list):
            return []
        return [d for d in data if isinstance(d, dict) and isinstance(d.get("spec"), str)][:RECENT]

    def remember(self, spec: str, label: str, kind: str = "school", *, upload: bool = False) -> None:
        """Put ``spec`` first in the recent list, named ``label`` (an upload by the name the clerk gave it, never
        its path here); an upload of the same name replaces the older one's entry, and an upload chosen again
        keeps the time it was uploaded."""
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        recent = self.recent(kind)  # read once: the entry chosen again and the ones kept
        earlier = next((d for d in recent if d["spec"] == spec), None)
        entries = [
            d for d in recent if d["spec"] != spec and not (upload and d.get("upload") and d.get("label") == label)
        ]
        entry: dict[str, Any] = {"spec": spec, "label": label, "time": now}
        if upload:
            entry.update(upload=True, time=earlier["time"] if earlier and earlier.get("upload") else now)
        entries.insert(0, entry)
        data = json.dumps(entries[:RECENT], ensure_ascii=False, indent=1).encode()
        write_file(self.folder / f"recent-{kind}.json", data, keep_history=False)

    def entry(self, spec: str, kind: str = "school") -> dict[str, Any] | None:
        """The recent list's entry of ``spec`` (None when it has none)."""
        return next((d for d in self.recent(kind) if d["spec"] == spec), None)

    def chosen_upload(self) -> dict[str, Any] | None:
        """The recent entry of the chosen workbook when it is an upload (its name and the time it was
        uploaded); None for a Google Sheet, a path on this computer, or no workbook."""
        if self.source is None or self.source.kind != LOCAL:
            return None
        found = self.entry(self.source.value)
        return found if found is not None and found.get("upload") else None

    def base(self) -> Path | None:
        """The folder the chosen workbook's relative paths start from (its own folder, for a local file)."""
        if self.source is not None and self.source.kind == LOCAL:
            return Path(self.source.value).resolve().parent
        return None


def _size(folder: Path) -> int:
    """The bytes of the regular files in ``folder`` (links not followed)."""
    total = 0
    for root, _, files in os.walk(folder, followlinks=False):
        for name in files:
            try:
                info = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                total += info.st_size
    return total


def _age(entry: os.DirEntry[str]) -> tuple[float, str]:
    """When an upload folder was written (its own time, not a link's target's), then its name."""
    try:
        return entry.stat(follow_symlinks=False).st_mtime, entry.name
    except OSError:
        return 0.0, entry.name

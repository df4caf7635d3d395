"""What ``toolkit ui`` remembers: the workbook chosen, the recent ones, the uploads, and the files the toolkit
wrote, each known to the page by an id (a download never names a path)."""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..output.write import write_file
from ..sources import LOCAL, WORKBOOK_SUFFIXES, Source

FOLDER = ".ui"  # inside the output folder
RECENT = 8
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
        """A new place for an uploaded workbook: its own folder, its name cleaned (never a path)."""
        name = _NAME.sub("-", Path(filename.replace("\\", "/")).name).strip(".-") or "so-theo-doi.xlsx"
        if not name.lower().endswith(WORKBOOK_SUFFIXES):
            name += ".xlsx"
        folder = self.folder / "uploads" / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name[-120:]

    # -- recent workbooks -------------------------------------------------------------------------
    def recent(self, kind: str = "school") -> list[dict[str, Any]]:
        """The workbooks (or roll-up lists) chosen lately, newest first; a damaged record reads as none."""
        path = self.folder / f"recent-{kind}.json"
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return []
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [d for d in data if isinstance(d, dict) and isinstance(d.get("spec"), str)][:RECENT]

    def remember(self, spec: str, label: str, kind: str = "school") -> None:
        """Put ``spec`` first in the recent list."""
        entries = [d for d in self.recent(kind) if d["spec"] != spec]
        entries.insert(0, {"spec": spec, "label": label, "time": time.strftime("%d/%m/%Y %H:%M")})
        data = json.dumps(entries[:RECENT], ensure_ascii=False, indent=1).encode()
        write_file(self.folder / f"recent-{kind}.json", data, keep_history=False)

    def base(self) -> Path | None:
        """The folder the chosen workbook's relative paths start from (its own folder, for a local file)."""
        if self.source is not None and self.source.kind == LOCAL:
            return Path(self.source.value).resolve().parent
        return None

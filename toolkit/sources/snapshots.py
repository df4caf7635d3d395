"""Snapshots of a Google Sheet: every tab as read, saved as ``.xlsx`` (itself a valid SOURCE).

``output/snapshots/<ID>-<yyyymmdd-hhmmss>-<hash>.xlsx``; ``--offline`` reads the newest one of a sheet.
A read whose content equals the newest snapshot's (same hash) adds no file, and only the newest ``keep``
snapshots of each sheet are kept.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import json
import re
from pathlib import Path

from ..core.text import XML_ILLEGAL
from ..output.write import KEEP, write_file
from ..workbook.tables import CELL_LIMIT, RawWorkbook

_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-([0-9a-f]{8}))?\.xlsx")


def folder(output: Path) -> Path:
    """Where snapshots are kept."""
    return Path(output) / "snapshots"


def digest(raw: RawWorkbook) -> str:
    """A short hash of every tab's title and values: equal for equal content."""
    data = json.dumps([[sheet.title, sheet.rows] for sheet in raw.sheets], default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def save(raw: RawWorkbook, sheet_id: str, output: Path, when: dt.datetime | None = None, keep: int = KEEP) -> Path:
    """Write every tab of ``raw`` as read into a new snapshot (atomically) and return its path.

    When the newest snapshot already holds the same content, that one is returned and nothing is written.
    """
    from openpyxl import Workbook

    when = when or dt.datetime.now()
    content = digest(raw)
    latest = newest(sheet_id, output)
    stamp = _STAMP.search(latest.name) if latest is not None else None  # newest() matched it exactly
    if latest is not None and stamp is not None and stamp.group(2) == content:
        return latest
    book = Workbook()
    book.remove(book.active)
    for sheet in raw.sheets:
        ws = book.create_sheet(re.sub(r"[\\/?*\[\]:]", "-", sheet.title)[:31])
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(value, str):
                    # Excel's own escape keeps characters XML cannot hold; the reader decodes it.
                    # A longer cell is cut to what .xlsx holds; reading gives the same cut (and warning) online.
                    cell.value = XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", value[:CELL_LIMIT])
                    cell.data_type = "s"  # text that starts with "=" stays text, never a formula
                else:
                    cell.value = value
    buffer = io.BytesIO()
    book.save(buffer)
    path = folder(output) / f"{sheet_id}-{when:%Y%m%d-%H%M%S}-{content}.xlsx"
    write_file(path, buffer.getvalue())
    for old in _all(sheet_id, output)[:-keep]:
        old.unlink()
    return path


def _all(sheet_id: str, output: Path) -> list[Path]:
    """Every snapshot of a sheet, oldest first."""
    found = []
    for candidate in folder(output).glob(f"{glob.escape(sheet_id)}-*.xlsx"):
        stamp = _STAMP.fullmatch(candidate.name[len(sheet_id) :])  # exactly the ID, then only the stamp
        if stamp and candidate.is_file() and not candidate.is_symlink():
            found.append((stamp.group(1), candidate.stat().st_mtime, candidate))
    return [item[-1] for item in sorted(found)]


def newest(sheet_id: str, output: Path) -> Path | None:
    """The newest snapshot of a sheet, or None."""
    found = _all(sheet_id, output)
    return found[-1] if found else None


def taken_at(path: Path) -> dt.datetime | None:
    """When a snapshot was taken, from its name."""
    match = _STAMP.search(path.name)
    return dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S") if match else None

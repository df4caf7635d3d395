"""Snapshots of a Google Sheet: every tab as read, saved as ``.xlsx`` (itself a valid SOURCE).

``output/snapshots/<ID>-<yyyymmdd-hhmmss>.xlsx``; ``--offline`` reads the newest one of a sheet.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import re
from pathlib import Path

from .output import write_file
from .tables import RawWorkbook
from .text import XML_ILLEGAL

_STAMP = re.compile(r"-(\d{8}-\d{6})\.xlsx$")


def folder(output: Path) -> Path:
    """Where snapshots are kept."""
    return Path(output) / "snapshots"


def save(raw: RawWorkbook, sheet_id: str, output: Path, when: dt.datetime | None = None) -> Path:
    """Write every tab of ``raw`` as read into a new snapshot (atomically) and return its path."""
    from openpyxl import Workbook

    when = when or dt.datetime.now()
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
                    cell.value = XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
                    cell.data_type = "s"  # text that starts with "=" stays text, never a formula
                else:
                    cell.value = value
    buffer = io.BytesIO()
    book.save(buffer)
    path = folder(output) / f"{sheet_id}-{when:%Y%m%d-%H%M%S}.xlsx"
    write_file(path, buffer.getvalue())
    return path


def newest(sheet_id: str, output: Path) -> Path | None:
    """The newest snapshot of a sheet, or None."""
    found = sorted(p for p in folder(output).glob(f"{glob.escape(sheet_id)}-*.xlsx") if _STAMP.search(p.name))
    return found[-1] if found else None


def taken_at(path: Path) -> dt.datetime | None:
    """When a snapshot was taken, from its name."""
    match = _STAMP.search(path.name)
    return dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S") if match else None

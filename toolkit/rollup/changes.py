"""Which schools' sheets changed since the roll-up last read them, asked of Drive in one request, not 500 reads.

Google Sheets cannot tell whether a sheet changed without reading it, but Drive knows each file's
``modifiedTime``: one ``files.list`` with ``q = modifiedTime > '<oldest time seen>'`` (paged, 1,000 a page) names
every file the service account can see that changed since then (documented at
https://developers.google.com/drive/api/guides/search-files). Drive's quota is its own, so the Sheets read budget
is spent only on the schools that changed; the others are read from their newest snapshot, exactly as ``--offline``
reads them. The time each sheet had when last read is kept in ``output/snapshots/drive-seen.json``; a missing,
damaged or linked file only means every school is read again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import OutputError, ToolkitError
from ..core.files import read_regular
from ..output.write import write_file
from ..sources import GOOGLE, snapshots
from .listing import Entry

if TYPE_CHECKING:
    from ..core.config import Options
    from ..sources.google import GoogleSheets

STATE = "drive-seen.json"
PAGE = 1000
MAX_STATE = 16 * 1024 * 1024  # bytes: a list of every sheet seen never comes near


@dataclass
class Plan:
    """Which sheets to read again (``changed``) and which to take from snapshots (``unchanged``), with the
    ``modifiedTime`` each had before this run read it (``now``) and as last recorded (``seen``)."""

    unchanged: frozenset[str] = frozenset()
    now: dict[str, str] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)
    asked: bool = False  # Drive answered (False: it could not be asked; every school is read)


def state_path(output: Path) -> Path:
    """Where the times seen are kept."""
    return snapshots.folder(output) / STATE


def load_state(output: Path) -> dict[str, str]:
    """The times seen at the last reads; empty when the file is missing, not a regular file, or damaged."""
    try:
        data = json.loads(read_regular(state_path(output), limit=MAX_STATE))
    except (OSError, ValueError):  # missing, a link, a folder, a FIFO, too long, damaged
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def save_state(output: Path, seen: dict[str, str]) -> None:
    """Write the times seen atomically (``write_file``: a link, folder or FIFO at the name is refused, never
    followed); a failure costs only a full re-read."""
    data = json.dumps(seen, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        write_file(state_path(output), data, keep_history=False)
    except OutputError:
        return


def plan(entries: list[Entry], options: Options, google: GoogleSheets) -> Plan:
    """Ask Drive once which of the list's Google Sheets changed since they were last read."""
    ids = {e.source.value for e in entries if e.source is not None and e.source.kind == GOOGLE}
    ids = {i for i in ids if not any(e.source and e.source.value == i and e.source.published for e in entries)}
    seen = load_state(options.output)
    known = {i for i in ids if i in seen and snapshots.newest(i, options.output) is not None}
    since = min((seen[i] for i in known), default="") if known == ids else ""
    try:
        now = modified_since(google, since)
    except ToolkitError:
        return Plan(seen=seen)  # Drive not enabled or not allowed: every school is read, as before
    unchanged = frozenset(i for i in known if now.get(i, seen[i]) == seen[i])
    return Plan(unchanged, {i: t for i, t in now.items() if i in ids}, seen, True)


def modified_since(google: GoogleSheets, since: str) -> dict[str, str]:
    """``modifiedTime`` of every file the account sees changed after ``since`` (every file when empty)."""
    import gspread

    query = f"modifiedTime > '{since}' and trashed = false" if since else "trashed = false"
    found: dict[str, str] = {}
    token = ""
    while True:
        params = {"q": query, "fields": "nextPageToken,files(id,modifiedTime)", "pageSize": str(PAGE)}
        if token:
            params["pageToken"] = token
        try:
            answer = google.drive("files", params).json()
        except gspread.exceptions.APIError as exc:
            raise google._api_error("drive", exc) from exc
        for item in answer.get("files", []):
            if isinstance(item, dict) and item.get("id") and item.get("modifiedTime"):
                found[str(item["id"])] = str(item["modifiedTime"])
        token = str(answer.get("nextPageToken") or "")
        if not token:
            return found


def record(options: Options, plan_: Plan, read: set[str]) -> None:
    """Remember the time each sheet read this run had before it was read (only when Drive was asked)."""
    if not plan_.asked:
        return
    seen = dict(plan_.seen)
    for sheet_id in read:
        if sheet_id in plan_.now:
            seen[sheet_id] = plan_.now[sheet_id]
        else:
            seen.pop(sheet_id, None)  # no time known: read again next run
    save_state(options.output, seen)

"""What the templates show, shaped from the library's results: problems grouped by tab with their cells (and
links into a Google Sheet), the documents with their downloads and history, the messages to send and the
sent record, a roll-up's schools."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..core.errors import ToolkitError
from ..core.vnformat import local_moment
from ..delivery.send import sent_records
from ..output.naming import document_paths
from ..output.write import versions
from ..sources import GOOGLE, Source
from ..workbook.problems import ERROR, CheckReport, Problem
from .texts import words
from .work import BOTH, previews

if TYPE_CHECKING:
    from ..core.config import Options
    from .jobs import Job, Jobs
    from .workspace import Workspace

STATUSES = ("ok", "warnings", "errors", "unreadable", "wrong-campaign", "missing", "duplicate")


@dataclass(frozen=True)
class Group:
    """The problems of one tab, errors first, then by row."""

    tab: str
    problems: list[Problem]


def groups(report: CheckReport) -> list[Group]:
    """The problems by tab, in the order the tabs first appear (as ``toolkit check`` prints them)."""
    tabs: dict[str, list[Problem]] = {}
    for p in report.problems:
        tabs.setdefault(p.tab or "", []).append(p)
    return [Group(tab, sorted(items, key=lambda p: (p.severity != ERROR, p.row or 0))) for tab, items in tabs.items()]


def cell_link(source: Source | None, p: Problem, gids: dict[str, int]) -> str | None:
    """For a Google Sheet, the address that opens the sheet at the problem's cell; None otherwise."""
    if source is None or source.kind != GOOGLE or not p.cell:
        return None
    gid = gids.get(p.tab or "")
    place = f"gid={gid}&range={p.cell}" if gid is not None else f"range={quote(repr(p.tab or ''))}!{p.cell}"
    return f"https://docs.google.com/spreadsheets/d/{source.value}/edit#{place}"


@dataclass(frozen=True)
class Doc:
    """A document the run wrote (``.docx`` and, when made, its ``.pdf``) with the versions kept of each."""

    kind: str
    docx: Path
    pdf: Path | None
    history: list[Path]


def docs(result: Any) -> list[Doc]:
    """The documents of a ``pipeline.Result``."""
    found = []
    for written in result.files:
        if written.is_pdf:
            continue
        pdf = written.path.with_suffix(".pdf")
        kept = versions(written.path) + (versions(pdf) if pdf.is_file() else [])
        found.append(Doc(written.kind, written.path, pdf if pdf.is_file() else None, sorted(kept, reverse=True)))
    return found


def latest_campaign(jobs: Jobs) -> Any:
    """The campaign of the latest finished documents or check step (the send page's source of truth)."""
    for name in ("documents", "check"):
        job = jobs.get(name)
        if job is not None and job.state == "done":
            return job.result.campaign if name == "documents" else job.result[0]
    return None


def send_context(jobs: Jobs, space: Workspace, options: Options) -> dict[str, Any]:
    """The send page: each message as it would go now, and the sent record."""

    campaign = latest_campaign(jobs)
    if campaign is None:
        return {"campaign": None, "previews": [], "records": [], "error": None}
    folder = document_paths(campaign.settings, options.output)[1].parent
    error = None
    try:
        shown = previews(campaign, BOTH, options, space.base())
    except ToolkitError as exc:
        shown, error = [], exc.text(options.lang)
    records = [r for r in sent_records(folder) if r.get("state") in ("sent", "failed")]
    return {"campaign": campaign, "previews": shown, "records": records[::-1], "error": error}


FIX_SHOWN = 10  # a school's errors listed on the roll-up page; all of them in the working copy's sheet


def when(stamp: Any, lang: str = "vi") -> str:
    """A time of a record (ISO 8601 or a ``datetime``; the recent lists' older ``06/12/2026 16:02`` too) as
    people read it, in this computer's time: ``16:03 ngày 06/12/2026``; anything else as it is."""
    local = local_moment(stamp)
    if local is None:
        return str(stamp)
    return words(lang)("moment", hm=f"{local:%H:%M}", date=f"{local:%d/%m/%Y}")


def schools(job: Job, status: str = "") -> list[dict[str, Any]]:
    """A roll-up's schools as the page lists them (the list's order), those not read yet as waiting;
    ``status`` keeps only the schools of that status."""
    entries = job.live.get("entries", [])
    done = job.live.get("schools", {})
    rows = []
    for entry in entries:
        result = done.get(entry.row)
        row = {"entry": entry, "result": result, "status": result.status.value if result else "waiting"}
        if not status or row["status"] == status:
            rows.append(row)
    return rows


def counts(job: Job) -> dict[str, int]:
    """How many schools have each status so far."""
    found = {status: 0 for status in STATUSES}
    for result in job.live.get("schools", {}).values():
        found[result.status.value] += 1
    return found

"""The steps the page starts, each the same library calls as the command line (``pipeline.check``,
``generate``, ``export_pdf``, ``pipeline.run`` to send; ``rollup.run.rollup``): the same results and files."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.config import Options
from ..core.i18n import Message, T
from ..delivery.message import build_message
from ..delivery.send import addressed, prepare
from ..output.naming import document_paths
from ..output.pdf import find_soffice
from ..output.write import make_folder
from ..pipeline import PLAN, REPORT, Result, attachments, check, export_pdf, generate, run
from ..rollup.run import export_pdf as rollup_pdf
from ..rollup.run import rollup
from ..sources import GOOGLE, Source
from ..sources.budget import ReadBudget
from ..sources.reading import public_link

if TYPE_CHECKING:
    from ..delivery.send import Step
    from ..rollup.run import RollupResult
    from ..workbook.model import Campaign
    from ..workbook.problems import CheckReport
    from .jobs import Job

BOTH = (PLAN, REPORT)
PICTURE_DPI = 60


@dataclass
class Documents:
    """A documents step: the run as ``generate`` returned it, and each document's page pictures."""

    campaign: Campaign
    result: Result
    pages: dict[str, list[Path]] = field(default_factory=dict)
    pictures: str = ""  # why there are no pictures ("" when there are, or none were asked for)
    seconds: float = 0.0  # from the click to both documents written (pictures aside)


def checked(source: Source, options: Options) -> Callable[[Job], tuple[Campaign, CheckReport]]:
    """The check step: read and validate, as ``toolkit check``."""

    def work(job: Job) -> tuple[Campaign, CheckReport]:
        job.say(T("Đang đọc {source} …", source=source.label))
        found = check(source, dataclasses.replace(options, notify=job.say))
        job.live["gids"] = tab_ids(source, options)
        return found

    return work


def documents(source: Source, options: Options, pictures_folder: Path | None) -> Callable[[Job], Documents]:
    """The documents step: check, write both documents (unless errors without ``force``), then, when
    ``pictures_folder`` is given and LibreOffice is here, the PDFs and a picture of every page."""

    def work(job: Job) -> Documents:
        job.say(T("Đang đọc {source} …", source=source.label))
        said = dataclasses.replace(options, notify=job.say)
        campaign, report = check(source, said)
        result = generate(campaign, report, BOTH, said)
        done = Documents(campaign, result, seconds=job.seconds)
        job.live["documents"] = done
        if pictures_folder is None or not result.files:
            return done
        reason = missing_tools()
        if reason:
            done.pictures = reason
            return done
        job.say(T("Đang xuất PDF bằng LibreOffice …"))
        export_pdf(result)
        job.say(T("Đang vẽ từng trang …"))
        for written in result.files:
            if written.is_pdf:
                folder = pictures_folder / written.kind
                done.pages[written.kind] = page_pictures(written.path, folder, under=options.output)
        return done

    return work


def tab_ids(source: Source, options: Options) -> dict[str, int]:
    """A Google Sheet's tab ids by title, for links that open a tab at a cell (``#gid=…&range=B14``); empty
    for a local workbook or a sheet read by its public link (one metadata request otherwise)."""

    if source.kind != GOOGLE or options.offline or public_link(options):
        return {}
    try:
        from ..sources.google import connect  # gspread and google-auth: only for a Google Sheet read with a key

        sheets = connect(options).metadata(source.value).get("sheets", [])
        return {s["properties"]["title"]: int(s["properties"]["sheetId"]) for s in sheets}
    except Exception:  # the links then open the sheet at its first tab; the check itself has succeeded
        return {}


def missing_tools() -> str:
    """Why page pictures cannot be drawn here ("" when they can): LibreOffice or poppler's pdftoppm missing."""

    if not has_libreoffice():
        return "libreoffice"
    if shutil.which("pdftoppm") is None:
        return "pdftoppm"
    return ""


def has_libreoffice() -> bool:
    """Whether LibreOffice is here (``find_soffice``; a ``TOOLKIT_SOFFICE`` naming no program counts as none)."""
    try:
        return find_soffice() is not None
    except Exception:
        return False


def page_pictures(pdf: Path, folder: Path, *, under: Path) -> list[Path]:
    """A PNG of every page of ``pdf`` in ``folder`` (replacing the earlier pictures), by poppler's pdftoppm;
    ``folder`` is made inside ``under`` by ``make_folder`` (a link or no folder on the way is refused)."""
    make_folder(folder, under=under)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(PICTURE_DPI), str(pdf), str(Path(work, "trang"))],
            check=True,
            capture_output=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        for old in folder.glob("trang-*.png"):
            old.unlink()
        made = sorted(Path(work).glob("trang-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        pages = []
        for number, picture in enumerate(made, start=1):
            target = folder / f"trang-{number}.png"
            picture.replace(target)
            pages.append(target)
    return pages


@dataclass
class Preview:
    """One message as ``toolkit send`` would send it now: the decision from the sent record, and the
    message itself (recipients, subject, body, attachments)."""

    kind: str
    step: Step
    subject: str = ""
    body: str = ""
    files: list[Path] = field(default_factory=list)


def previews(campaign: Campaign, which: tuple[str, ...], options: Options, base: Path | None) -> list[Preview]:
    """The messages sending ``which`` would make, from the documents as they are in the output folder."""

    folder = document_paths(campaign.settings, options.output)[1].parent
    found = []
    for kind, files in attachments(campaign, which, options, base=base).items():
        if not all(f.is_file() for f in files):
            continue
        step = prepare(campaign, kind, files, folder)
        message = build_message(campaign, kind, files, "", *addressed(step), step.replaces)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        found.append(Preview(kind, step, str(message["Subject"]), text, files))
    return found


def send(source: Source, options: Options, which: tuple[str, ...], resend: bool) -> Callable[[Job], list[Any]]:
    """The send step, as ``toolkit send`` (``--both`` or one document): ``pipeline.run`` checks, writes, then
    e-mails what the sent record says is not sent yet (everything with ``resend``), unless the data has errors."""

    def work(job: Job) -> list[Any]:
        job.say(T("Đang đọc {source} …", source=source.label))
        notices: list[Message] = job.live.setdefault("notices", [])  # shown beside the outcome (a stale copy left out)

        def progress(message: Message) -> None:
            if not job.steps or job.steps[-1] != message:  # "Đang đọc …" said once
                job.say(message)

        def notify(message: Message) -> None:
            job.say(message)
            notices.append(message)

        done = run(
            source, dataclasses.replace(options, notify=notify, progress=progress), which, send={"resend": resend}
        )
        if done.failure is not None:
            raise done.failure
        if done.held:  # the page says why nothing went, and where to look
            job.live["held"] = True
            job.say(T("Dữ liệu có lỗi nên chưa gửi thư."))
        return done.outcomes

    return work


def roll_up(spec: str, options: Options, pdf: bool = False) -> Callable[[Job], RollupResult]:
    """The office's roll-up, as ``toolkit rollup`` (with ``pdf``, as ``--pdf`` when LibreOffice is here); every
    school's outcome reaches the page as it comes, and so do the waits for Google's read quota."""

    def work(job: Job) -> RollupResult:
        schools: dict[int, Any] = {}
        job.live.update(schools=schools, total=0)
        quota = job.live["quota"] = QuotaWaits()

        def listed(listing: Any) -> None:
            job.live["total"] = len(listing.entries)
            job.live["entries"] = listing.entries

        def each(school: Any) -> None:
            schools[school.entry.row] = school

        budget = ReadBudget.from_env()
        budget.sleep = quota.sleep(budget.sleep)
        job.say(T("Đang đọc {source} …", source=spec))
        quiet = dataclasses.replace(options, notify=job.say)
        result = rollup(spec, quiet, budget=budget, each=each, listed=listed)
        if pdf and result.files and has_libreoffice():
            job.say(T("Đang xuất PDF bằng LibreOffice …"))
            rollup_pdf(result)
        return result

    return work


@dataclass
class QuotaWaits:
    """The waits for Google's read quota (the read budget's sleeps, from any of the reading threads): how
    long in all — overlapping waits counted once — how many, and until when the reads wait now."""

    waited: float = 0.0
    times: int = 0
    until: float = 0.0
    clock: Callable[[], float] = time.monotonic

    def sleep(self, sleep: Callable[[float], None]) -> Callable[[float], None]:
        """``sleep`` that first counts the wait."""

        def counted(seconds: float) -> None:
            now = self.clock()
            end = now + max(0.0, seconds)
            if end > self.until:
                self.waited += end - max(now, self.until)
                if self.until <= now:
                    self.times += 1
                self.until = end
            sleep(seconds)

        return counted

    @property
    def left(self) -> float:
        """Seconds the reads still wait now (0 when they are not waiting)."""
        return max(0.0, self.until - self.clock())

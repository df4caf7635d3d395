"""The everyday job as library calls: read a source, validate it, write problems back, write documents.

The CLI is a thin layer over these functions; they never print and never exit: they return a
``CheckReport`` (the check) or a ``Result`` (the check and the files written), tell people things through
``Options.notify``, or raise a ``ToolkitError``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.config import Options
from .core.errors import DeliveryError, PermissionDenied, SourceError, ToolkitError
from .core.files import open_regular
from .core.i18n import Message, T
from .core.text import fold
from .documents.build import build
from .documents.kinds import KIND, PLAN, REPORT, Document
from .output.naming import document_path, signed_path
from .output.pdf import to_pdfs
from .output.write import WRITTEN, write_file
from .sources import GOOGLE, LOCAL, Source, resolve
from .sources.reading import Loaded, read_source
from .workbook.model import Campaign
from .workbook.problems import ERROR, WARNING, CheckReport, Problem, problem
from .workbook.schema import CHECK
from .workbook.validate import validate

if TYPE_CHECKING:
    from .delivery.send import Outcome


def check(source: Source, options: Options | None = None) -> tuple[Campaign, CheckReport]:
    """Read and validate a source; for a Google Sheet, write the problems back to its ``Kiểm tra`` tab."""
    options = options or Options()
    loaded = read_source(source, options)
    if loaded.google is not None:  # dates typed into a month-first sheet are wrong without a word: say so, once
        warning = loaded.google.month_first_locale(loaded.sheet_id, loaded.raw)
        if warning is not None:
            options.notify(warning)
    campaign, report = validate(loaded.raw, today=options.today)
    write_back = options.write_back if options.write_back is not None else loaded.google is not None
    if write_back and loaded.google is not None:
        write_problems(loaded, report, options)
    elif write_back and source.kind == GOOGLE and not options.offline:
        options.notify(
            T(
                "Đọc qua đường dẫn công khai thì không ghi được trang Kiểm tra: các lỗi chỉ hiện "
                "ở đây. Muốn ghi vào trang tính, hãy dùng tài khoản dịch vụ (xem README)."
            ),
        )
    return campaign, report


def write_problems(loaded: Loaded, report: CheckReport, options: Options) -> None:
    """Write the problems to the sheet's check tab; a failure is a warning, never the end of the run."""

    google = loaded.google
    if google is None:
        return

    sheet_id = loaded.sheet_id
    found = next(((title, n) for title, n in loaded.sizes.items() if fold(title) == fold(CHECK.name)), None)
    title, previous = found if found else (CHECK.name, None)
    try:
        google.write_check_tab(sheet_id, check_rows(report, options.lang), previous, title)
    except PermissionDenied:
        email = google.account.client_email
        options.notify(
            T(
                (
                    'Cảnh báo: không ghi được trang "Kiểm tra" (tài khoản {email} chỉ có quyền xem); '
                    "văn bản vẫn được tạo."
                ),
                email=email,
            ),
        )
    except SourceError as exc:
        report.problems.append(problem("write-back-failed", tab=title, reason=exc.msg))


def check_rows(report: CheckReport, lang: str = "vi", now: dt.datetime | None = None) -> list[list[str]]:
    """The ``Kiểm tra`` tab's rows: a header, then one row per problem listed (time, severity, cell, message)
    and one per group of problems only counted."""

    stamp = f"{now or dt.datetime.now():%d/%m/%Y %H:%M}"
    labels = {ERROR: T("Lỗi").text(lang), WARNING: T("Cảnh báo").text(lang)}
    rows = [[column.header for column in CHECK.columns]]
    rows += [[stamp, labels[p.severity], p.where, p.message(lang)] for p in report.problems]
    rows += [[stamp, labels[g.severity], g.tab or "", g.message(lang)] for g in report.groups]
    if not report.problems:
        rows.append([stamp, "OK", "", T("Không có lỗi hay cảnh báo.").text(lang)])
    return rows


def pull(source: Source, options: Options) -> Path:
    """Snapshot a Google Sheet (``toolkit pull``) and return the snapshot's path."""
    if source.kind != GOOGLE:
        raise SourceError(
            T("{source} không phải Google Sheet: chỉ Google Sheet mới cần tải về.", source=source.label),
        )
    snapshot = read_source(source, dataclasses.replace(options, offline=False)).snapshot
    if snapshot is None:
        raise RuntimeError("read_source() snapshots every Google read")
    return snapshot


@dataclass(frozen=True)
class Written:
    """A file a run wrote: which document (``plan``, ``report``; a roll-up's ``report`` or ``table``), where,
    where its differing earlier version was kept, and whether that version was the toolkit's own (``kept_own``:
    as the toolkit wrote it, so it changed only because the data did, not by hand)."""

    kind: str
    path: Path
    kept: Path | None = None
    changed: bool = True  # False when the file already held these bytes (or, for a PDF, was not made again)
    kept_own: bool = False

    @property
    def is_pdf(self) -> bool:
        """True for the PDF of a document, False for its ``.docx``."""
        return self.path.suffix.lower() == ".pdf"


@dataclass
class Result:
    """A run: the check of the workbook, and the files written from it (kept apart from the check)."""

    check: CheckReport
    files: list[Written] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when the check found no error."""
        return self.check.valid

    @property
    def problems(self) -> list[Problem]:
        """The problems the check found."""
        return self.check.problems

    @property
    def outputs(self) -> list[str]:
        """The paths written, documents first, then their PDFs."""
        return [str(f.path) for f in self.files]

    @property
    def kept(self) -> dict[str, str]:
        """Where each replaced file's differing earlier version was kept, by the path written."""
        return {str(f.path): str(f.kept) for f in self.files if f.kept}

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON of ``--format json``: the check, then what was written."""
        return {**self.check.to_dict(lang), "outputs": self.outputs, "kept": self.kept}


def generate(campaign: Campaign, report: CheckReport, which: Iterable[str], options: Options) -> Result:
    """Write the requested documents unless the check has errors (or ``force``)."""

    result = Result(report)
    if not report.valid and not options.force:
        return result
    for kind in which:
        path = document_path(campaign.settings, options.output, kind)
        written = write_file(path, build(kind, campaign).to_bytes(), keep=options.keep, remember=True)
        result.files.append(Written(Document(kind), path, written.kept, written.status == WRITTEN, written.own))
    return result


def export_pdf(result: Result) -> list[str]:
    """The PDF of every ``.docx`` of the run (LibreOffice); add them to the result, return their paths.

    A document the run changed is always converted again; one the run left as it was keeps its PDF when that
    PDF is at least as new as it (LibreOffice writes other bytes each time, so converting the same document
    again would look like a new version to the sent record and to ``history/``).
    """

    documents = [f for f in result.files if not f.is_pdf]
    again = [f.path for f in documents if f.changed or not _made_after(f.path.with_suffix(".pdf"), f.path)]
    made = dict(zip(again, to_pdfs(again), strict=True)) if again else {}
    pdfs = [Written(f.kind, made.get(f.path, f.path.with_suffix(".pdf")), changed=f.path in made) for f in documents]
    result.files.extend(pdfs)
    return [str(f.path) for f in pdfs]


def _made_after(pdf: Path, docx: Path) -> bool:
    """True when ``pdf`` is a regular file beginning as a PDF does, at least as new as ``docx``."""
    try:
        if pdf.stat().st_mtime < docx.stat().st_mtime:
            return False
        with open(open_regular(pdf, os.O_RDONLY), "rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def deliver(
    campaign: Campaign,
    report: CheckReport,
    which: Iterable[str],
    options: Options,
    *,
    dry_run: bool = False,
    resend: bool = False,
    attach: Iterable[Path] = (),
    base: Path | None = None,
) -> list:
    """E-mail the documents this run wrote: each ``.docx`` with its PDF — the digitally signed copy
    (``…-ky-so.pdf``, ``toolkit sign``) when there is one, else the signed scan named in the workbook, in place
    of the unsigned PDF — and ``attach`` with the last document. ``base`` is the folder
    relative paths in the workbook start from (the workbook's own folder)."""
    from .delivery.send import deliver as send_documents  # smtplib, ssl, email: only when sending

    documents = attachments(campaign, which, options, attach=attach, base=base)
    folder = document_path(campaign.settings, options.output, REPORT).parent
    return send_documents(campaign, documents, folder, dry_run=dry_run, resend=resend, notify=options.notify)


def attachments(
    campaign: Campaign, which: Iterable[str], options: Options, *, attach: Iterable[Path] = (), base: Path | None = None
) -> dict[str, list[Path]]:
    """The files each document's message carries (see ``deliver``), by document."""

    kinds = list(which)
    documents = {}
    for kind in kinds:
        docx = document_path(campaign.settings, options.output, kind)
        pdf = docx.with_suffix(".pdf")
        files = [docx]
        signed = KIND[kind].signed(campaign.settings)
        digital = _digitally_signed(pdf, docx, options)
        if digital is not None:
            files.append(digital)
        elif signed:
            scan = Path(signed) if Path(signed).is_absolute() else (base or Path.cwd()) / signed
            if not scan.is_file():
                label = KIND[kind].signed_label
                raise DeliveryError(
                    T(
                        'Không tìm thấy tệp "{signed}" ghi ở mục "{label}" ({scan}).',
                        signed=signed,
                        label=label,
                        scan=scan,
                    ),
                )
            files.append(scan)
        elif _current_pdf(pdf, docx, options):
            files.append(pdf)
        documents[kind] = [*files, *(_signed_attachment(Path(a)) for a in attach)] if kind == kinds[-1] else files
    return documents


def _digitally_signed(pdf: Path, docx: Path, options: Options) -> Path | None:
    """The signed copy ``toolkit sign`` wrote of ``pdf``, if it is at least as new as the document (a copy
    older than the ``.docx`` signed an earlier content: it is left out, and people are told)."""
    copy = signed_path(pdf)
    return _as_new(copy, docx, options, T("Bản ký số {path} cũ hơn văn bản nên không gửi: hãy ký lại.", path=copy))


def _current_pdf(pdf: Path, docx: Path, options: Options) -> bool:
    """True when ``pdf`` is there and at least as new as its ``.docx``; a PDF older than the document shows an
    earlier content: it is left out, and people are told to make it again."""
    stale = T("PDF {path} cũ hơn văn bản nên không gửi: hãy chạy lại với --pdf.", path=pdf)
    return _as_new(pdf, docx, options, stale) is not None


def _as_new(copy: Path, docx: Path, options: Options, stale: Message) -> Path | None:
    """``copy`` when it is a file at least as new as ``docx``; None when missing, and when older (``stale`` is
    told then)."""
    if not copy.is_file():
        return None
    if docx.is_file() and copy.stat().st_mtime < docx.stat().st_mtime:
        options.notify(stale)
        return None
    return copy


def _signed_attachment(path: Path) -> Path:
    """The attachment's copy signed by ``toolkit sign --attachment`` when it is newer than the attachment."""
    copy = signed_path(path)
    if copy != path and copy.is_file() and path.is_file() and copy.stat().st_mtime >= path.stat().st_mtime:
        return copy
    return path


def sync_and_report(spec: str | None, options: Options | None = None, which: Iterable[str] = (PLAN, REPORT)) -> Result:
    """Read, validate and write both documents: the whole everyday job."""
    options = options or Options()
    campaign, report = check(resolve(spec), options)
    return generate(campaign, report, which, options)


@dataclass
class Run:
    """One run of the everyday job: the files written, the messages sent, whether sending was held back because
    the data has errors, and the failure (PDF, e-mail) that stopped the run after some files were written."""

    result: Result
    outcomes: list[Outcome] = field(default_factory=list)
    held: bool = False
    failure: ToolkitError | None = None


def run(
    source: Source, options: Options, which: Iterable[str], *, pdf: bool = False, send: dict[str, Any] | None = None
) -> Run:
    """Check ``source``, write the documents ``which``, then (``pdf``) their PDFs and (``send``: ``deliver``'s
    options) e-mail them when the data has no errors. A failure after the documents were written is kept in the
    ``Run`` beside what was written, for the caller to say both; one before that is raised."""
    which = tuple(which)
    if source.kind == GOOGLE and not options.offline:
        options.progress(T("Đang đọc {source} …", source=source.label))
    campaign, report = check(source, options)
    done = Run(generate(campaign, report, which, options))
    try:
        if pdf and done.result.files:
            options.progress(T("Đang xuất PDF bằng LibreOffice …"))
            export_pdf(done.result)
        if send is not None and done.result.valid and done.result.files:
            options.progress(T("Đang gửi thư …"))
            base = Path(source.value).resolve().parent if source.kind == LOCAL else None
            done.outcomes = deliver(campaign, report, which, options, base=base, **send)
        else:
            done.held = send is not None
    except ToolkitError as exc:
        done.failure = exc
    return done

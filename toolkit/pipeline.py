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

from .errors import SourceError
from .i18n import Message, Notify, T
from .model import Campaign
from .problems import ERROR, WARNING, CheckReport, Problem
from .schema import TABS, Tab
from .sources import GOOGLE, LOCAL, Source, read, resolve
from .strenum import StrEnum
from .tables import RawWorkbook
from .validate import validate

if TYPE_CHECKING:
    from .sources.google import GoogleSheets, RetryPolicy


class Document(StrEnum):
    """The two documents a campaign has."""

    PLAN = "plan"
    REPORT = "report"


PLAN, REPORT = Document


def _quiet(message: Message) -> None:
    """The default notice sink: say nothing."""


@dataclass
class Options:
    """How a run reads, what it may write, and where it tells people things."""

    output: Path = Path("output")
    force: bool = False
    today: dt.date | None = None
    credentials: str | None = None
    offline: bool = False
    write_back: bool | None = None  # None: on for Google Sheets
    api: str | None = None  # Sheets API base URL (default: $TOOLKIT_SHEETS_API, then Google's)
    policy: RetryPolicy | None = None  # timeouts and retries for Google Sheets
    lang: str = "vi"
    notify: Notify = field(default=_quiet)
    progress: Notify = field(default=_quiet)  # steps and retries, for a person watching a terminal
    keep: int = 20  # versions of each document kept in history/
    public: bool | None = None  # read a Google Sheet by its public link; None: when no key is configured


@dataclass
class Loaded:
    """A source as read: the raw workbook, and for a Google Sheet the connection and tab sizes."""

    raw: RawWorkbook
    google: GoogleSheets | None = None
    sizes: dict[str, int] = field(default_factory=dict)
    snapshot: Path | None = None
    sheet_id: str = ""


def load(
    source: Source,
    options: Options,
    *,
    snapshot: bool = True,
    google: GoogleSheets | None = None,
    layout: tuple[Tab, ...] = TABS,
) -> Loaded:
    """Read a source. A Google Sheet is snapshotted after each successful read (or, ``offline``, the
    newest snapshot is read instead); ``google`` is a connection to reuse, ``layout`` the tabs to read
    from a Google Sheet (a school's workbook unless told)."""
    if source.kind == LOCAL:
        _refuse_special(Path(source.value))
    if source.kind != GOOGLE:
        return Loaded(read(source))
    from . import snapshots

    if options.offline:
        path = snapshots.newest(source.value, options.output)
        if path is None:
            raise SourceError(
                T(
                    ("Chưa có bản chụp nào của {source_label} trong {folder}: hãy chạy một lần khi có mạng."),
                    source_label=source.label,
                    folder=snapshots.folder(options.output),
                ),
            )
        when = snapshots.taken_at(path)
        options.notify(
            T("Chế độ ngoại tuyến: dùng bản chụp {path} (lúc {when:%d/%m/%Y %H:%M}).", path=path, when=when),
        )
        return Loaded(read(Source("local", str(path), source.label)), snapshot=path)
    from .sources.answers import NotAGoogleSheet
    from .sources.google import NetworkError, connect, read_upload

    public = public_link(options) or source.published  # a published sheet is read only by its published link
    sizes: dict[str, int] = {}
    try:
        if public:
            from .sources.public import read_public

            google = None
            if options.public is None and not source.published:
                options.notify(
                    T(
                        "Chưa có khóa tài khoản dịch vụ: đọc Google Sheet qua đường dẫn công khai (chỉ "
                        "xem, không ghi được trang Kiểm tra)."
                    ),
                )
            raw = read_public(source, options)
        else:
            google = google or connect(options)
            try:
                raw, sizes = google.read(source.value, layout)
            except NotAGoogleSheet as refused:
                raw = read_upload(google, source, refused, options)
                google = None  # an Excel file: nothing can be written back to it
    except NetworkError as exc:
        raise _with_snapshot_hint(exc, source, options) from exc
    raw.label = source.label
    path = snapshots.save(raw, source.value, options.output, keep=options.keep) if snapshot else None
    return Loaded(raw, google, sizes, path, source.value)


def _refuse_special(path: Path) -> None:
    """A FIFO, ``/dev/stdin``, a device or a loop of links named as the workbook would hang or never end
    the read: refused before any reader opens it (a folder or a missing file is the reader's to name)."""
    from .files import not_regular

    what = not_regular(path)
    if what is not None and not path.is_dir():
        raise SourceError(T("{path} là {what}, không phải tệp bảng tính.", path=path, what=what))


def public_link(options: Options) -> bool:
    """True when Google Sheets are read by their public link: asked for, or no service-account key is named
    or lies where one is looked for."""
    from .sources.credentials import key_path

    if options.public is not None:
        return options.public
    return not (options.credentials or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") or key_path(None).exists())


def _with_snapshot_hint(exc: SourceError, source: Source, options: Options) -> SourceError:
    from . import snapshots

    path = snapshots.newest(source.value, options.output)
    if path is None:
        return exc
    when = f"{snapshots.taken_at(path):%d/%m/%Y %H:%M}"
    hint = T(
        "{error} Bản chụp gần nhất: {path} (lúc {when}); chạy lại với --offline để dùng nó.",
        error=exc.msg,
        path=path,
        when=when,
    )
    return type(exc)(hint, detail=exc.detail)


def check(source: Source, options: Options | None = None) -> tuple[Campaign, CheckReport]:
    """Read and validate a source; for a Google Sheet, write the problems back to its ``Kiểm tra`` tab."""
    options = options or Options()
    loaded = load(source, options)
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
    from .problems import problem

    google = loaded.google
    if google is None:
        return
    from .schema import CHECK
    from .sources.google import PermissionDenied
    from .text import fold

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
    from .schema import CHECK

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
            T("{source_label} không phải Google Sheet: chỉ Google Sheet mới cần tải về.", source_label=source.label),
        )
    snapshot = load(source, dataclasses.replace(options, offline=False)).snapshot
    if snapshot is None:
        raise RuntimeError("load() snapshots every Google read")
    return snapshot


@dataclass(frozen=True)
class Written:
    """A file a run wrote: which document (``plan``, ``report``; a roll-up's ``report`` or ``table``), where,
    and where its differing earlier version was kept."""

    kind: str
    path: Path
    kept: Path | None = None

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
    from .documents.plan import build_plan
    from .documents.report import build_report
    from .output import document_paths, write_file

    result = Result(report)
    if not report.valid and not options.force:
        return result
    plan_path, report_path = document_paths(campaign.settings, options.output)
    builders = {PLAN: (build_plan, plan_path), REPORT: (build_report, report_path)}
    for kind in which:
        build, path = builders[Document(kind)]
        written = write_file(path, build(campaign).to_bytes(), keep=options.keep)
        result.files.append(Written(Document(kind), path, written.kept))
    return result


def export_pdf(result: Result) -> list[str]:
    """Convert every ``.docx`` the run wrote to PDF (LibreOffice); add them to the result, return their paths."""
    from .pdf import to_pdfs

    documents = [f for f in result.files if not f.is_pdf]
    pdfs = [Written(f.kind, pdf) for f, pdf in zip(documents, to_pdfs([f.path for f in documents]), strict=True)]
    result.files.extend(pdfs)
    return [str(f.path) for f in pdfs]


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
    from .delivery import deliver as send_documents
    from .output import document_paths

    documents = attachments(campaign, which, options, attach=attach, base=base)
    folder = document_paths(campaign.settings, options.output)[1].parent
    return send_documents(campaign, documents, folder, dry_run=dry_run, resend=resend, notify=options.notify)


def attachments(
    campaign: Campaign, which: Iterable[str], options: Options, *, attach: Iterable[Path] = (), base: Path | None = None
) -> dict[str, list[Path]]:
    """The files each document's message carries (see ``deliver``), by document."""
    from .delivery import DeliveryError
    from .output import document_paths

    kinds = list(which)
    paths = dict(zip(("plan", "report"), document_paths(campaign.settings, options.output), strict=True))
    documents = {}
    for kind in kinds:
        docx, pdf = paths[kind], paths[kind].with_suffix(".pdf")
        files = [docx]
        signed = getattr(campaign.settings, f"signed_{kind}")
        digital = _digitally_signed(pdf, docx, options)
        if digital is not None:
            files.append(digital)
        elif signed:
            scan = Path(signed) if Path(signed).is_absolute() else (base or Path.cwd()) / signed
            if not scan.is_file():
                label = "Bản đã ký (Kế hoạch)" if kind == "plan" else "Bản đã ký (Báo cáo)"
                raise DeliveryError(
                    T(
                        'Không tìm thấy tệp "{signed}" ghi ở mục "{label}" ({scan}).',
                        signed=signed,
                        label=label,
                        scan=scan,
                    ),
                )
            files.append(scan)
        elif pdf.is_file():
            files.append(pdf)
        documents[kind] = [*files, *(_signed_attachment(Path(a)) for a in attach)] if kind == kinds[-1] else files
    return documents


def _digitally_signed(pdf: Path, docx: Path, options: Options) -> Path | None:
    """The signed copy ``toolkit sign`` wrote of ``pdf``, if it is at least as new as the document (a copy
    older than the ``.docx`` signed an earlier content: it is left out, and people are told)."""
    from .signing.sign import signed_path

    copy = signed_path(pdf)
    if not copy.is_file():
        return None
    if docx.is_file() and copy.stat().st_mtime < docx.stat().st_mtime:
        options.notify(T("Bản ký số {path} cũ hơn văn bản nên không gửi: hãy ký lại.", path=copy))
        return None
    return copy


def _signed_attachment(path: Path) -> Path:
    """The attachment's copy signed by ``toolkit sign --attachment`` when it is newer than the attachment."""
    from .signing.sign import signed_path

    copy = signed_path(path)
    if copy != path and copy.is_file() and path.is_file() and copy.stat().st_mtime >= path.stat().st_mtime:
        return copy
    return path


def sync_and_report(spec: str | None, options: Options | None = None, which: Iterable[str] = (PLAN, REPORT)) -> Result:
    """Read, validate and write both documents: the whole everyday job."""
    options = options or Options()
    campaign, report = check(resolve(spec), options)
    return generate(campaign, report, which, options)

"""Command line: ``sync-and-report`` and ``toolkit``. Each command parses options, calls one library
function and maps the toolkit's exceptions to a message and a documented exit code.

Exit codes: ``errors.ExitCode`` (their meanings in ``errors.MEANINGS``, shown by ``toolkit --help``).
"""

from __future__ import annotations

import atexit
import functools
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .console import echo_json, safe_console, to_json
from .errors import MEANINGS, ExitCode, ToolkitError
from .i18n import LANGUAGES, Message, T

# Messages of the command line, in Vietnamese (the source language; translations in toolkit/locale/).
MESSAGES = {
    "example": (
        "Chưa chỉ định nguồn: dùng bảng tính ví dụ có sẵn ({unit}, {year}). Để dùng sổ "
        "của trường: sync-and-report truong.xlsx (hoặc đường dẫn Google Sheet), hoặc đặt "
        "TOOLKIT_SOURCE."
    ),
    "written": "Đã ghi {kind}: {path}",
    "kept": "  Tệp cũ có nội dung khác (có thể đã sửa tay) được giữ lại ở {path}",
    "versions": "{n} bản cũ",
    "plan": "Kế hoạch",
    "report": "Báo cáo",
    "blocked": "Dữ liệu có lỗi nên chưa tạo văn bản. Sửa các ô nêu trên rồi chạy lại (hoặc thêm --force).",
    "forced": "Dữ liệu có lỗi; văn bản vẫn được tạo vì có --force: hãy kiểm tra kỹ trước khi gửi.",
    "bug": "Lỗi không mong đợi của phần mềm. Chạy lại với -v để xem chi tiết và báo cho người phụ trách.",
    "interrupted": "Đã dừng theo yêu cầu (Ctrl-C). Các tệp đã ghi xong vẫn còn nguyên.",
    "init": "Đã tạo {path}. Mở bằng Excel, LibreOffice hoặc tải lên Google Sheets để điền.",
    "exists": "{path} đã có. Chọn tên khác hoặc thêm --force để ghi đè.",
    "pulled": "Đã lưu bản chụp: {path}",
    "not_google": "{sheet} không phải đường dẫn Google Sheet.",
    "laid_out": "Đã chuẩn bị {sheet}; trang mới tạo: {tabs}.",
    "blank_preset": "Không theo đợt nào: tự điền tên đợt, nhóm hoạt động, câu chữ",
    "not_sent": "Dữ liệu có lỗi nên chưa gửi thư.",
    "delivery_sent": "Đã gửi {kind} tới {to}: {subject}",
    "delivery_already_sent": "{kind} này đã gửi tới {to} lúc {earlier}: không gửi lại (thêm --resend để gửi lại).",
    "delivery_written": "Đã tạo thư {kind} (chưa gửi): {path}",
    "rollup_progress": "[{bar}] đã đọc {done}/{total} đơn vị · còn khoảng {eta}",
    "rollup_summary": (
        "Tổng hợp được {counted}/{total} đơn vị: {ok} hợp lệ, {warnings} có cảnh báo; chưa tổng hợp: "
        "{errors} còn lỗi, {unreadable} không đọc được, {wrong} sai đợt hoặc năm, {missing} chưa có sổ."
    ),
    "rollup_school": "  - {name} (dòng {row}): {reason}",
    "rollup_reads": (
        "Đã gửi {reads} yêu cầu đọc tới Google Sheets (giới hạn {rate} yêu cầu/phút); {unchanged} đơn vị không đổi "
        "từ lần đọc trước (theo Google Drive) được lấy từ bản chụp."
    ),
    "rollup_blocked": "Danh sách có lỗi nên chưa tổng hợp. Sửa các ô nêu trên rồi chạy lại (hoặc thêm --force).",
    "rollup_report": "Báo cáo tổng hợp",
    "rollup_table": "Bảng từng đơn vị",
    "init_rollup": "Đã tạo {path}. Điền trang Thông tin và Đơn vị rồi chạy: toolkit rollup {path}",
    "signed": "Đã ký số: {path} ({levels})",
}


class Ctx:
    """Options every command shares."""

    def __init__(self, lang: str, fmt: str, quiet: bool, verbose: bool) -> None:
        self.lang, self.fmt, self.quiet, self.verbose = lang, fmt, quiet, verbose

    def say(self, key: str, **fields: object) -> str:
        return T(MESSAGES[key], **fields).text(self.lang)

    def notify(self, message: Message) -> None:
        """A notice from the library, in the chosen language."""
        self.notice(message.text(self.lang))

    def progress(self, message: Message) -> None:
        """A step that may take a while, shown only to a person at a terminal."""
        if not self.quiet and sys.stderr.isatty():
            click.echo(message.text(self.lang), err=True)

    def notice(self, text: str) -> None:
        """A line for people on stderr (silent with --quiet)."""
        if not self.quiet:
            click.echo(text, err=True)

    @property
    def colour(self) -> bool:
        return sys.stdout.isatty() and "NO_COLOR" not in os.environ and not self.quiet


def common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the shared options and turn toolkit exceptions into messages and exit codes."""

    @click.option(
        "--lang",
        type=click.Choice(list(LANGUAGES)),
        envvar="TOOLKIT_LANG",
        default="vi",
        show_default=True,
        help="Language of messages (or TOOLKIT_LANG).",
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text for people; json on stdout for programs.",
    )
    @click.option("-q", "--quiet", is_flag=True, help="Only errors.")
    @click.option("-v", "--verbose", is_flag=True, help="More detail on failures.")
    @functools.wraps(func)
    def wrapper(lang: str, fmt: str, quiet: bool, verbose: bool, **kwargs: Any) -> None:
        safe_console()
        # A run allocates millions of short-lived objects and few cycles: collect the young generation
        # less often (the default 700 makes full collections a sixth of a large run).
        gc.set_threshold(50_000, 50, 100)
        # ... and none at exit: what is alive then goes with the process (the final collection is a tenth of a
        # clerk's 0.12 s run). Registered once, however many commands one process runs (tests).
        atexit.unregister(gc.freeze)
        atexit.register(gc.freeze)
        ctx = Ctx(lang, fmt, quiet, verbose)
        try:
            code = func(ctx, **kwargs)
        except ToolkitError as exc:
            _fail(ctx, exc.text(lang), exc.exit_code, exc.detail)
        except KeyboardInterrupt:
            _fail(ctx, ctx.say("interrupted"), ExitCode.INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception:  # a bug: a short message, the traceback only on request
            if verbose:
                import traceback

                traceback.print_exc()
            _fail(ctx, ctx.say("bug"), ExitCode.BUG)
        sys.exit(code or 0)

    return wrapper


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The output folder and how many versions of each file its history keeps."""
    func = click.option(
        "--keep",
        type=click.IntRange(1, 10_000),
        envvar="TOOLKIT_KEEP",
        default=20,
        show_default=True,
        help="Versions of each document (and snapshots of each sheet) kept in history.",
    )(func)
    return click.option(
        "-o",
        "--output",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="TOOLKIT_OUTPUT",
        default="output",
        show_default=True,
        help="Output folder (or TOOLKIT_OUTPUT).",
    )(func)


def _fail(ctx: Ctx, message: str, code: int, detail: str | None = None) -> None:
    """End with ``message`` on stderr (and, with ``--format json``, a JSON error object on stdout)."""
    click.echo(message, err=True)
    if ctx.verbose and detail:
        click.echo(detail, err=True)
    if ctx.fmt == "json":
        click.echo(to_json({"error": {"exit_code": code, "message": message}}))
    sys.exit(code)


def source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """SOURCE and the options that say where output goes."""
    return click.argument("source", required=False)(output_options(func))


def google_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options for reading a Google Sheet."""
    func = click.option(
        "--write-back/--no-write-back",
        "write_back",
        default=None,
        help="Write the problems to the sheet's Kiểm tra tab (default: on for Google Sheets).",
    )(func)
    func = click.option("--offline", is_flag=True, help="Use the newest snapshot of the sheet instead of the network.")(
        func
    )
    func = click.option(
        "--public/--key",
        "public",
        default=None,
        help="Read the sheet through its public link (no key; shared as 'anyone with the link "
        "can view'), or with the service-account key. Default: the key when one is found.",
    )(func)
    return click.option(
        "--credentials",
        type=click.Path(dir_okay=False),
        help="Service-account key (JSON); default $GOOGLE_APPLICATION_CREDENTIALS, then "
        "~/.config/gspread/service_account.json.",
    )(func)


def _options(
    ctx: Ctx,
    output: Path = Path("output"),
    force: bool = False,
    credentials: str | None = None,
    offline: bool = False,
    write_back: bool | None = None,
    keep: int = 20,
    public: bool | None = None,
) -> Any:
    from .pipeline import Options

    return Options(
        output=output,
        force=force,
        credentials=credentials,
        offline=offline,
        write_back=write_back,
        lang=ctx.lang,
        notify=ctx.notify,
        progress=ctx.progress,
        keep=keep,
        public=public,
    )


def _print_report(ctx: Ctx, report: Any, outcomes: list[Any] | None = None) -> None:
    """The check (a ``CheckReport``, or a run's ``Result``) for people, or as JSON."""
    from .problems import render

    if ctx.fmt == "json":
        data = report.to_dict(ctx.lang)
        if outcomes is not None:
            data["delivery"] = [
                {
                    "kind": o.kind,
                    "status": o.status,
                    "recipients": list(o.recipients),
                    "subject": o.subject,
                    "message_id": o.message_id,
                    "eml": o.path or None,
                    "earlier": o.earlier or None,
                }
                for o in outcomes
            ]
        echo_json(data)
        return
    if ctx.quiet and report.valid:
        return
    from .pipeline import Result

    check = report.check if isinstance(report, Result) else report
    click.echo(render(check, ctx.lang, colour=ctx.colour))


def _example_notice(ctx: Ctx) -> None:
    """Say that the bundled example is used, naming its school and year."""
    from .campaigns import bundled

    info = bundled().example["Thông tin"]
    ctx.notice(ctx.say("example", unit=info["Đơn vị"], year=info["Năm"]))


def _run_documents(
    ctx: Ctx, source: str | None, pdf: bool, which: tuple[str, ...], send: dict[str, Any] | None = None, **flags: Any
) -> int:
    from .pipeline import check, deliver, export_pdf, generate
    from .sources import EXAMPLE, GOOGLE, LOCAL, resolve

    resolved = resolve(source)
    if resolved.kind == EXAMPLE:
        _example_notice(ctx)
    options = _options(ctx, **flags)
    force = options.force
    if resolved.kind == GOOGLE and not options.offline:
        ctx.progress(T("Đang đọc {resolved_label} …", resolved_label=resolved.label))
    campaign, report = check(resolved, options)
    result = generate(campaign, report, which, options)
    if pdf and result.files:
        ctx.progress(T("Đang xuất PDF bằng LibreOffice …"))
        try:
            export_pdf(result)
        except ToolkitError:
            _summary(ctx, result, force)
            raise
    outcomes: list[Any] = []
    if send is not None and result.valid and result.files:
        ctx.progress(T("Đang gửi thư …"))
        try:
            base = Path(resolved.value).resolve().parent if resolved.kind == LOCAL else None
            outcomes = deliver(campaign, report, which, options, base=base, **send)
        except ToolkitError:
            _summary(ctx, result, force)
            raise
    elif send is not None:
        ctx.notice(ctx.say("not_sent"))
    _summary(ctx, result, force, outcomes)
    return ExitCode.DATA if not result.valid and not force else 0


def _summary(ctx: Ctx, result: Any, force: bool, outcomes: list[Any] | None = None) -> None:
    _print_report(ctx, result, outcomes)
    for outcome in outcomes or []:
        fields = {
            "kind": ctx.say(outcome.kind),
            "subject": outcome.subject,
            "to": ", ".join(outcome.recipients),
            "path": outcome.path,
            "earlier": outcome.earlier,
        }
        ctx.notice(ctx.say(f"delivery_{outcome.status.replace('-', '_')}", **fields))
    if not result.valid and not force:
        ctx.notice(ctx.say("blocked"))
        return
    if not result.valid:
        ctx.notice(ctx.say("forced"))
    if ctx.fmt == "text":
        for written in result.files:
            ctx.notice(ctx.say("written", kind=ctx.say(written.kind), path=written.path))
            if written.kept:
                ctx.notice(ctx.say("kept", path=written.kept))


EXIT_CODES_HELP = "\b\nExit codes:\n" + "\n".join(
    f"  {int(code):>3}  {meaning.replace('`', '')}" for code, meaning in MEANINGS.items()
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="toolkit")
def cli() -> None:
    """Kế hoạch và Báo cáo cho các đợt hoạt động của nhà trường, từ một sổ theo dõi chung.

    Campaign plans and results reports for Vietnamese schools, from one shared workbook.
    """


@cli.command("sync-and-report", context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="sync-and-report")
@source_options
@click.option("--force", is_flag=True, help="Write the documents even when the data has errors.")
@click.option("--pdf", is_flag=True, help="Also a PDF of each document (needs LibreOffice).")
@click.option("--send", "send", is_flag=True, help="Then e-mail both documents (see: toolkit send).")
@google_options
@common
def sync_and_report(ctx: Ctx, source: str | None, pdf: bool, send: bool, **options: Any) -> int:
    """Read SOURCE (a .xlsx file or a Google Sheet), check it, and write the Kế hoạch and the Báo cáo (.docx)."""
    return _run_documents(ctx, source, pdf, ("plan", "report"), send={} if send else None, **options)


@cli.command("send")
@source_options
@click.option("--plan", "which", flag_value="plan", help="Send the Kế hoạch.")
@click.option("--report", "which", flag_value="report", default=True, help="Send the Báo cáo (default).")
@click.option("--both", "which", flag_value="both", help="Send both, one message each.")
@click.option("--pdf", is_flag=True, help="Make and attach a PDF of each document (needs LibreOffice).")
@click.option(
    "--attach",
    "attach",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Attach this file too (e.g. the scanned, signed PDF); may be repeated.",
)
@click.option("--dry-run", is_flag=True, help="Write the message as output/<Năm>/outbox/<name>.eml; send nothing.")
@click.option("--resend", is_flag=True, help="Send even what the sent record says was already sent.")
@google_options
@common
def send(
    ctx: Ctx,
    source: str | None,
    which: str,
    pdf: bool,
    attach: tuple[Path, ...],
    dry_run: bool,
    resend: bool,
    **options: Any,
) -> int:
    """Check SOURCE, write the document(s) and e-mail them to the workbook's Email nhận báo cáo, once.

    The server comes from TOOLKIT_SMTP_HOST, _PORT, _USER, _SECURITY (starttls|ssl), _FROM; the password from the
    OS keyring or TOOLKIT_SMTP_PASSWORD. Every message is recorded in output/<Năm>/sent.jsonl.
    """
    kinds = ("plan", "report") if which == "both" else (which,)
    return _run_documents(
        ctx, source, pdf, kinds, send={"dry_run": dry_run, "resend": resend, "attach": list(attach)}, **options
    )


@cli.command("plan")
@source_options
@click.option("--force", is_flag=True, help="Write the document even when the data has errors.")
@click.option("--pdf", is_flag=True, help="Also a PDF of the document (needs LibreOffice).")
@google_options
@common
def plan(ctx: Ctx, source: str | None, pdf: bool, **options: Any) -> int:
    """Write only the Kế hoạch (plan)."""
    return _run_documents(ctx, source, pdf, ("plan",), **options)


@cli.command("report")
@source_options
@click.option("--force", is_flag=True, help="Write the document even when the data has errors.")
@click.option("--pdf", is_flag=True, help="Also a PDF of the document (needs LibreOffice).")
@google_options
@common
def report(ctx: Ctx, source: str | None, pdf: bool, **options: Any) -> int:
    """Write only the Báo cáo (results report)."""
    return _run_documents(ctx, source, pdf, ("report",), **options)


@cli.command("check")
@source_options
@google_options
@common
def check(ctx: Ctx, source: str | None, **options: Any) -> int:
    """Check SOURCE and list every problem with its cell; writes no document.

    For a Google Sheet the problems also go to its Kiểm tra tab (unless --no-write-back), and a snapshot
    is kept in OUTPUT/snapshots/.
    """
    from .pipeline import check as check_source
    from .sources import EXAMPLE, resolve

    resolved = resolve(source)
    if resolved.kind == EXAMPLE:
        _example_notice(ctx)
    _, result = check_source(resolved, _options(ctx, **options))
    _print_report(ctx, result)
    return 0 if result.valid else ExitCode.DATA


@cli.command("pull")
@source_options
@click.option("--credentials", type=click.Path(dir_okay=False), help="Service-account key (JSON).")
@common
def pull(ctx: Ctx, source: str | None, output: Path, keep: int, credentials: str | None) -> int:
    """Snapshot a Google Sheet into OUTPUT/snapshots/<ID>-<time>-<hash>.xlsx (itself a valid SOURCE)."""
    from .pipeline import pull as pull_sheet
    from .sources import GOOGLE, resolve

    resolved = resolve(source)
    if resolved.kind != GOOGLE:
        raise click.BadParameter(ctx.say("not_google", sheet=source or resolved.label), param_hint="SOURCE")
    path = pull_sheet(resolved, _options(ctx, output=output, credentials=credentials, keep=keep))
    ctx.notice(ctx.say("pulled", path=path))
    if ctx.fmt == "json":
        click.echo(to_json({"snapshot": str(path)}))
    return 0


def campaign_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--campaign``, ``--year``, ``--level`` and ``--example``: what a new workbook is laid out for."""
    func = click.option(
        "--example",
        is_flag=True,
        help="Fill it with the campaign's example data (without --campaign: the bundled example).",
    )(func)
    func = click.option(
        "--level",
        metavar="CẤP_HỌC",
        help="School level for the participant columns (Mầm non, Tiểu học, THCS, THPT, …).",
    )(func)
    func = click.option(
        "--year",
        type=click.IntRange(2000, 2100),
        help="Campaign year: fills Năm and the usual dates (default: this year).",
    )(func)
    return click.option("--campaign", metavar="NAME", help="Campaign preset (see: toolkit campaigns); default: blank.")(
        func
    )


def _preset(name: str | None, example: bool) -> Any:
    """The preset a --campaign value names; none given: blank, or the bundled example's with --example."""
    from . import campaigns

    if not name:
        return campaigns.bundled() if example else campaigns.blank()
    found = campaigns.find(name)
    if found is None:
        known = ", ".join(campaigns.presets())
        raise click.BadParameter(f"{name} ({known})", param_hint="--campaign")
    return found


def _year(preset: Any, year: int | None, example: bool) -> int | None:
    """The campaign year of a new workbook: as given, the example's, or this year for a dated preset."""
    import datetime as dt

    if year or example or not preset.start:
        return year
    return dt.date.today().year


@cli.command("init-sheet")
@click.argument("sheet")
@click.option("--credentials", type=click.Path(dir_okay=False), help="Service-account key (JSON).")
@campaign_options
@click.option("--rollup", is_flag=True, help="Lay out a receiving office's roll-up list (Thông tin, Đơn vị) instead.")
@click.option("--force", is_flag=True, help="Lay out tabs even when they already hold data (their data is replaced).")
@common
def init_sheet(
    ctx: Ctx,
    sheet: str,
    credentials: str | None,
    campaign: str | None,
    year: int | None,
    level: str | None,
    example: bool,
    rollup: bool,
    force: bool,
) -> int:
    """Lay out an empty Google Sheet like the template: tabs, headers, dropdowns, protected header rows."""
    from .sources import GOOGLE, resolve
    from .sources.sheet_setup import init_sheet as lay_out

    resolved = resolve(sheet)
    if resolved.kind != GOOGLE:
        raise click.BadParameter(ctx.say("not_google", sheet=sheet), param_hint="SHEET")
    list_of_schools: dict[str, Any] = {}
    if rollup:
        from .rollup.example import build_list
        from .schema import ROLLUP_TABS

        list_of_schools = {"layout": ROLLUP_TABS, "build": lambda p, y, filled: build_list(p, year=y, example=filled)}
    preset = (_preset(campaign, False) if campaign else None) if rollup else _preset(campaign, example)
    created = lay_out(
        resolved.value,
        _options(ctx, credentials=credentials),
        example=example,
        force=force,
        preset=preset,
        year=_year(preset, year, example) if preset else year,
        level=level,
        **list_of_schools,
    )
    ctx.notice(ctx.say("laid_out", sheet=resolved.label, tabs=", ".join(created) or "-"))
    return 0


@cli.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
@campaign_options
@click.option(
    "--rollup",
    is_flag=True,
    help="A receiving office's roll-up list instead (default name danh-sach-don-vi.xlsx; with --example, "
    "six example schools' workbooks in truong/ beside it).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file (the old one is kept in history/).")
@common
def init(
    ctx: Ctx,
    path: Path | None,
    campaign: str | None,
    year: int | None,
    level: str | None,
    example: bool,
    rollup: bool,
    force: bool,
) -> int:
    """Create a new workbook at PATH (default so-theo-doi.xlsx), laid out for a campaign (see: toolkit
    campaigns); with --rollup, an office's list of schools to roll up."""
    from .errors import OutputError
    from .templates import save_workbook

    if rollup:
        return _init_rollup(ctx, path, campaign, year, example, force)
    path = path or Path("so-theo-doi.xlsx")
    if path.exists() and not force:
        raise OutputError(T(MESSAGES["exists"], path=path))
    preset = _preset(campaign, example)
    save_workbook(path, preset, filled=example, year=_year(preset, year, example), level=level)
    ctx.notice(ctx.say("init", path=path))
    return 0


@cli.command("rollup")
@click.argument("listing", metavar="LIST")
@output_options
@click.option("--force", is_flag=True, help="Roll up even when the list itself has errors.")
@click.option("--pdf", is_flag=True, help="Also a PDF of the consolidated report (needs LibreOffice).")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Google Sheets read at the same time.",
)
@click.option(
    "--reads-per-minute",
    type=click.IntRange(1, 100_000),
    envvar="TOOLKIT_SHEETS_READS_PER_MINUTE",
    default=60,
    show_default=True,
    help="Read requests sent to Google Sheets in any minute (Google's quota: 60 per user).",
)
@google_options
@common
def rollup(ctx: Ctx, listing: str, pdf: bool, concurrency: int, reads_per_minute: int, **options: Any) -> int:
    """Roll up the schools of LIST (a workbook with a Đơn vị tab) into the office's Báo cáo tổng hợp (.docx)
    and a per-school table (.xlsx).

    Exit codes: 0 every school counted; 1 the list has errors (nothing written unless --force) or some schools
    are not counted (errors, another campaign or year, no workbook yet); 3 the list, or some school's workbook,
    could not be read (the roll-up is still written without it); 4 output not written.
    """
    from .console import ProgressBar
    from .rollup.run import export_pdf
    from .rollup.run import rollup as roll_up
    from .sources.budget import ReadBudget

    tick = None
    if ctx.fmt == "text" and not ctx.quiet and sys.stderr.isatty():
        tick = ProgressBar(lambda **f: ctx.say("rollup_progress", **f))
    result = roll_up(
        listing,
        _options(ctx, **options),
        concurrency=concurrency,
        budget=ReadBudget(reads_per_minute),
        tick=tick,
    )
    if pdf and result.files:
        ctx.progress(T("Đang xuất PDF bằng LibreOffice …"))
        export_pdf(result)
    _print_rollup(ctx, result, reads_per_minute)
    return result.exit_code


def _print_rollup(ctx: Ctx, result: Any, rate: int) -> None:
    """A roll-up for people (the list's problems, the count by status, who is not counted and why, the files
    written), or as JSON."""
    from .problems import render
    from .rollup.gather import Status

    if ctx.fmt == "json":
        echo_json(result.to_dict(ctx.lang))
        return
    check = result.listing.check
    if check.problems or not ctx.quiet:
        click.echo(render(check, ctx.lang, colour=ctx.colour))
    if not result.files:
        ctx.notice(ctx.say("rollup_blocked"))
        return
    counts = {status: result.count(status) for status in Status}
    ctx.notice(
        ctx.say(
            "rollup_summary",
            counted=counts[Status.OK] + counts[Status.WARNINGS],
            total=len(result.schools),
            ok=counts[Status.OK],
            warnings=counts[Status.WARNINGS],
            errors=counts[Status.ERRORS],
            unreadable=counts[Status.UNREADABLE],
            wrong=counts[Status.WRONG],
            missing=counts[Status.MISSING],
        )
    )
    for school in result.schools:
        if not school.counted or school.reason:  # not counted, or counted under another parent body
            reason = school.reason.text(ctx.lang) if school.reason else ""
            ctx.notice(ctx.say("rollup_school", name=school.entry.name or "…", row=school.entry.row, reason=reason))
    if result.budget is not None and result.budget.requests:
        ctx.notice(ctx.say("rollup_reads", reads=result.budget.requests, rate=rate, unchanged=result.unchanged))
    for written in result.files:
        ctx.notice(ctx.say("written", kind=ctx.say(f"rollup_{written.kind}"), path=written.path))
        if written.kept:
            ctx.notice(ctx.say("kept", path=written.kept))


def _init_rollup(
    ctx: Ctx, path: Path | None, campaign: str | None, year: int | None, example: bool, force: bool
) -> int:
    """``init --rollup``: the office's list, blank or with the example commune and its schools."""
    from .errors import OutputError
    from .output import write_file
    from .rollup.example import LIST_NAME, build_list, write_example
    from .templates import workbook_bytes

    path = path or Path(LIST_NAME)
    if path.exists() and not force:
        raise OutputError(T(MESSAGES["exists"], path=path))
    if example and not campaign and not year:
        write_example(path)
    else:
        preset = _preset(campaign, False) if campaign else None
        book = build_list(preset, year=year or (_year(preset, None, False) if preset else None), example=False)
        write_file(path, workbook_bytes(book))
    ctx.notice(ctx.say("init_rollup", path=path))
    return 0


@cli.command("history")
@output_options
@common
def history(ctx: Ctx, output: Path, keep: int) -> int:
    """List the documents in OUTPUT and the earlier versions kept of each; trim to the newest --keep."""
    from .output import history_of

    listing = history_of(output, keep)
    if ctx.fmt == "json":
        click.echo(to_json([{"file": str(doc), "versions": [str(v) for v in kept]} for doc, kept in listing]))
        return 0
    for doc, kept in listing:
        click.echo(f"{doc}  ({ctx.say('versions', n=len(kept))})")
        for version in kept:
            click.echo(f"    {version.name}")
    return 0


@cli.command("campaigns")
@common
def list_campaigns(ctx: Ctx) -> int:
    """List the campaign presets that init --campaign knows."""
    from . import campaigns

    presets = list(campaigns.presets().values())
    if ctx.fmt == "json":
        click.echo(
            to_json(
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "dates": p.usual_dates,
                        "groups": [g.name for g in p.groups],
                        "figures": list(p.figures),
                    }
                    for p in presets
                ]
            )
        )
        return 0
    width = max(len(p.id) for p in presets)
    for p in presets:
        name = p.name or ctx.say("blank_preset")
        dates = f" ({p.usual_dates})" if p.usual_dates else ""
        click.echo(f"{p.id:<{width}}  {name}{dates}")
    return 0


@cli.command("ui")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser; only print the address.")
@click.option(
    "--host",
    type=click.Choice(["127.0.0.1", "0.0.0.0"]),
    default="127.0.0.1",
    show_default=True,
    help="0.0.0.0: reachable on the school's LAN, with a password printed once (see SECURITY.md).",
)
@click.option("--lang", type=click.Choice(list(LANGUAGES)), help="Language of the page (default: the browser's).")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="TOOLKIT_OUTPUT",
    default="output",
    show_default=True,
    help="Output folder (or TOOLKIT_OUTPUT); the page keeps its own things in OUTPUT/.ui/.",
)
def ui(port: int | None, no_browser: bool, host: str, lang: str | None, output: Path) -> None:
    """Open the toolkit as a page in the browser: choose the workbook, check, write, see, download and send."""
    from .ui import serve

    safe_console()
    serve(port=port, host=host, browser=not no_browser, lang=lang, output=output)


def signing_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The keys, pictures, time-stamp server and trust roots of ``toolkit sign``."""
    options = [
        click.option(
            "--signer-key",
            envvar="TOOLKIT_SIGNER_KEY",
            metavar="KEY",
            help="The competent person's key: a .p12/.pfx file (password from the keyring or "
            "TOOLKIT_P12_PASSWORD) or a token, pkcs11:token=LABEL;object=CERT (or x-subject=…) "
            "(or TOOLKIT_SIGNER_KEY).",
        ),
        click.option(
            "--signature-image",
            envvar="TOOLKIT_SIGNATURE_IMAGE",
            type=click.Path(dir_okay=False, path_type=Path),
            help="The signer's handwritten signature, a transparent PNG (or TOOLKIT_SIGNATURE_IMAGE).",
        ),
        click.option(
            "--org-key",
            envvar="TOOLKIT_ORG_KEY",
            metavar="KEY",
            help="The organisation's key, as --signer-key (a .p12 password from TOOLKIT_ORG_P12_PASSWORD) "
            "(or TOOLKIT_ORG_KEY).",
        ),
        click.option(
            "--seal-image",
            envvar="TOOLKIT_SEAL_IMAGE",
            type=click.Path(dir_okay=False, path_type=Path),
            help="The organisation's seal, red on a transparent PNG (or TOOLKIT_SEAL_IMAGE).",
        ),
        click.option(
            "--org-name",
            help="Organisation's name under the seal (default: the workbook's Đơn vị, else the certificate's name).",
        ),
        click.option(
            "--tsa",
            envvar="TOOLKIT_TSA_URL",
            metavar="URL",
            help="Time-stamp server (RFC 3161; or TOOLKIT_TSA_URL): PAdES B-T, and B-LT when the CA's OCSP/CRL answer.",
        ),
        click.option(
            "--roots",
            envvar="TOOLKIT_TRUST_ROOTS",
            type=click.Path(file_okay=False, path_type=Path),
            help="Folder of trusted root certificates (.pem/.crt/.cer/.der) (or TOOLKIT_TRUST_ROOTS).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("sign")
@source_options
@click.option("--plan", "which", flag_value="plan", help="Sign the Kế hoạch's PDF.")
@click.option("--report", "which", flag_value="report", default=True, help="Sign the Báo cáo's PDF (default).")
@click.option("--both", "which", flag_value="both", help="Sign both.")
@click.option(
    "--file",
    "files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sign this PDF instead (e.g. a roll-up's BCTH-….pdf); may be repeated.",
)
@signing_options
@google_options
@common
def sign(
    ctx: Ctx,
    source: str | None,
    which: str,
    files: tuple[Path, ...],
    signer_key: str | None,
    signature_image: Path | None,
    org_key: str | None,
    seal_image: Path | None,
    org_name: str | None,
    tsa: str | None,
    roots: Path | None,
    **options: Any,
) -> int:
    """Sign the PDF of the document(s) of SOURCE (made with --pdf) as Decree 30 says: the signer first, then
    the organisation; writes …-ky-so.pdf beside it and never changes the PDF itself.

    A token's PIN is asked on the terminal (or read from the OS keyring) and never retried: a wrong PIN says
    how many tries the token has left.
    """
    from .signing import SignRequest, parse_key, sign_documents

    pdfs, unit = (list(files), None) if files else _document_pdfs(ctx, source, which, options)
    request = SignRequest(
        signer=parse_key(signer_key) if signer_key else None,
        signature_image=signature_image,
        organisation=parse_key(org_key, password_env="TOOLKIT_ORG_P12_PASSWORD") if org_key else None,
        seal_image=seal_image,
        organisation_name=org_name or unit,
        tsa=tsa,
        roots=roots,
    )
    signed = sign_documents(
        pdfs,
        request,
        ask=lambda message: click.prompt(message.text(ctx.lang), hide_input=True, err=True),
        notify=ctx.notify,
        keep=options.get("keep", 20),
    )
    if ctx.fmt == "json":
        click.echo(
            to_json(
                {
                    "signed": [
                        {"source": str(s.source), "path": str(s.path), "levels": s.levels, "kept": str(s.kept or "")}
                        for s in signed
                    ]
                }
            )
        )
        return 0
    for s in signed:
        ctx.notice(ctx.say("signed", path=s.path, levels=", ".join(s.levels)))
        if s.kept:
            ctx.notice(ctx.say("kept", path=s.kept))
    return 0


def _document_pdfs(ctx: Ctx, source: str | None, which: str, options: dict[str, Any]) -> tuple[list[Path], str]:
    """The PDFs ``--pdf`` made of SOURCE's documents (read and checked to know their names), and the issuing
    body's name as the documents write it (shown under the seal)."""
    from .documents.common import unit_name
    from .errors import SigningError
    from .output import document_paths
    from .pipeline import check as check_source
    from .sources import EXAMPLE, resolve

    resolved = resolve(source)
    if resolved.kind == EXAMPLE:
        _example_notice(ctx)
    opts = _options(ctx, **options)
    campaign, _ = check_source(resolved, opts)
    plan_path, report_path = document_paths(campaign.settings, opts.output)
    kinds = {"plan": [plan_path], "report": [report_path], "both": [plan_path, report_path]}[which]
    pdfs = [path.with_suffix(".pdf") for path in kinds]
    for pdf in pdfs:
        if not pdf.is_file():
            raise SigningError(
                T("Chưa có {path}: tạo PDF trước (toolkit plan/report --pdf) rồi ký.", path=pdf),
            )
    return pdfs, unit_name(campaign.settings)


@cli.command("verify")
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--roots",
    envvar="TOOLKIT_TRUST_ROOTS",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of trusted root certificates (.pem/.crt/.cer/.der) (or TOOLKIT_TRUST_ROOTS).",
)
@common
def verify(ctx: Ctx, pdf: Path, roots: Path | None) -> int:
    """Check the signatures of PDF: who signed, for which organisation, when, whether the document was changed
    after signing, and whether each certificate chains to the roots in --roots.

    Exit codes: 0 every signature intact, nothing changed after it, and trusted; 1 a signature is broken,
    the document was changed after signing, or it has no signature; 6 the file or roots cannot be read;
    7 intact but not trusted (no chain to the roots, revoked, expired, or no roots given).
    """
    from .signing import verify_file

    result = verify_file(pdf, roots)
    if ctx.fmt == "json":
        click.echo(
            to_json(
                {
                    "file": str(pdf),
                    "exit_code": result.exit_code,
                    "signatures": [s.to_dict(ctx.lang) for s in result.signatures],
                }
            )
        )
    else:
        click.echo("\n".join(result.lines(ctx.lang)))
    return result.exit_code


def sync_and_report_main() -> None:
    """Entry point of the ``sync-and-report`` console script."""
    sync_and_report(prog_name="sync-and-report")

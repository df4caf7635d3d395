"""What every command shares: the options (``--lang``, ``--format``, ``-q``, ``-v``; the output folder; how a
Google Sheet is read), the run's ``Options`` built from them, the report printed for people or as JSON, the
``toolkit`` group itself, and the one mapping of the toolkit's exceptions to messages and exit codes (``common``).
"""

from __future__ import annotations

import atexit
import functools
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..core.config import Options
from ..core.console import echo_json, safe_console, to_json
from ..core.errors import MEANINGS, ExitCode, ToolkitError
from ..core.i18n import LANGUAGES, Message, T
from ..pipeline import Result
from ..workbook.campaigns import bundled
from ..workbook.problems import CheckReport, render

if TYPE_CHECKING:
    from ..delivery.send import Outcome  # smtplib and ssl: only for the type


class Ctx:
    """Options every command shares."""

    def __init__(self, lang: str, fmt: str, quiet: bool, verbose: bool) -> None:
        self.lang, self.fmt, self.quiet, self.verbose = lang, fmt, quiet, verbose

    def say(self, message: Message) -> str:
        """A message of the command line, in the chosen language."""
        return message.text(self.lang)

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
        type=click.Choice(list(LANGUAGES), case_sensitive=False),
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
            fail(ctx, exc.text(lang), exc.exit_code, exc.detail)
        except KeyboardInterrupt:
            fail(
                ctx,
                ctx.say(T("Đã dừng theo yêu cầu (Ctrl-C). Các tệp đã ghi xong vẫn còn nguyên.")),
                ExitCode.INTERRUPTED,
            )
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception:  # a bug: a short message, the traceback only on request
            if verbose:
                import traceback

                traceback.print_exc()
            fail(
                ctx,
                ctx.say(
                    T("Lỗi không mong đợi của phần mềm. Chạy lại với -v để xem chi tiết và báo cho người phụ trách.")
                ),
                ExitCode.BUG,
            )
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


def fail(ctx: Ctx, message: str, code: int, detail: str | None = None) -> None:
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


def run_options(
    ctx: Ctx,
    output: Path = Path("output"),
    force: bool = False,
    credentials: str | None = None,
    offline: bool = False,
    write_back: bool | None = None,
    keep: int = 20,
    public: bool | None = None,
) -> Options:

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


def print_report(ctx: Ctx, report: CheckReport | Result, outcomes: list[Outcome] | None = None) -> None:
    """The check (a ``CheckReport``, or a run's ``Result``) for people, or as JSON."""

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

    check = report.check if isinstance(report, Result) else report
    click.echo(render(check, ctx.lang, colour=ctx.colour))


def example_notice(ctx: Ctx) -> None:
    """Say that the bundled example is used, naming its school and year."""

    info = bundled().example["Thông tin"]
    ctx.notice(
        ctx.say(
            T(
                (
                    "Chưa chỉ định nguồn: dùng bảng tính ví dụ có sẵn ({unit}, {year}). Để dùng sổ "
                    "của trường: sync-and-report truong.xlsx (hoặc đường dẫn Google Sheet), hoặc đặt "
                    "TOOLKIT_SOURCE."
                ),
                unit=info["Đơn vị"],
                year=info["Năm"],
            )
        )
    )


EXIT_CODES_HELP = "\b\nExit codes:\n" + "\n".join(
    f"  {int(code):>3}  {meaning.replace('`', '')}" for code, meaning in MEANINGS.items()
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="toolkit")
def cli() -> None:
    """Kế hoạch và Báo cáo cho các đợt hoạt động của nhà trường, từ một sổ theo dõi chung.

    Campaign plans and results reports for Vietnamese schools, from one shared workbook.
    """

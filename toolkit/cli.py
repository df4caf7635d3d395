"""Command line: ``sync-and-report`` and ``toolkit``. Each command parses options, calls one library
function and maps the toolkit's exceptions to a message and a documented exit code.

Exit codes: 0 done (warnings allowed) · 1 the data has errors · 2 usage · 3 source unreadable ·
4 output not written · 5 unexpected internal error (a bug).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ToolkitError

EXIT_DATA, EXIT_BUG = 1, 5
MESSAGES = {
    "vi": {
        "example": "Chưa chỉ định nguồn: dùng bảng tính ví dụ có sẵn (TRƯỜNG TH BÌNH AN, 2023). Để dùng sổ của "
                   "trường: sync-and-report truong.xlsx (hoặc đường dẫn Google Sheet), hoặc đặt TOOLKIT_SOURCE.",
        "written": "Đã ghi {kind}: {path}",
        "plan": "Kế hoạch",
        "report": "Báo cáo",
        "blocked": "Dữ liệu có lỗi nên chưa tạo văn bản. Sửa các ô nêu trên rồi chạy lại (hoặc thêm --force).",
        "forced": "Dữ liệu có lỗi; văn bản vẫn được tạo vì có --force: hãy kiểm tra kỹ trước khi gửi.",
        "bug": "Lỗi không mong đợi của phần mềm. Chạy lại với -v để xem chi tiết và báo cho người phụ trách.",
        "init": "Đã tạo {path}. Mở bằng Excel, LibreOffice hoặc tải lên Google Sheets để điền.",
        "exists": "{path} đã có. Chọn tên khác hoặc thêm --force để ghi đè.",
    },
    "en": {
        "example": "No source given: using the bundled example workbook (TRƯỜNG TH BÌNH AN, 2023). To use your "
                   "school's: sync-and-report school.xlsx (or a Google Sheet link), or set TOOLKIT_SOURCE.",
        "written": "Wrote the {kind}: {path}",
        "plan": "plan (Kế hoạch)",
        "report": "report (Báo cáo)",
        "blocked": "The data has errors, so no document was written. Fix the cells above and run again "
                   "(or add --force).",
        "forced": "The data has errors; the documents were written anyway because of --force: check them "
                  "before sending.",
        "bug": "Unexpected error in the toolkit. Run again with -v for details and report it.",
        "init": "Created {path}. Open it in Excel or LibreOffice, or upload it to Google Sheets, and fill it in.",
        "exists": "{path} already exists. Choose another name or add --force to overwrite it.",
    },
}


class Ctx:
    """Options every command shares."""

    def __init__(self, lang: str, fmt: str, quiet: bool, verbose: bool) -> None:
        self.lang, self.fmt, self.quiet, self.verbose = lang, fmt, quiet, verbose

    def say(self, key: str, **fields: object) -> str:
        return MESSAGES[self.lang][key].format(**fields)

    def notice(self, text: str) -> None:
        """A line for people on stderr (silent with --quiet)."""
        if not self.quiet:
            click.echo(text, err=True)

    @property
    def colour(self) -> bool:
        return sys.stdout.isatty() and "NO_COLOR" not in os.environ and not self.quiet


def common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the shared options and turn toolkit exceptions into messages and exit codes."""

    @click.option("--lang", type=click.Choice(["vi", "en"]), envvar="TOOLKIT_LANG", default="vi",
                  show_default=True, help="Language of messages (or TOOLKIT_LANG).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="text for people; json on stdout for programs.")
    @click.option("-q", "--quiet", is_flag=True, help="Only errors.")
    @click.option("-v", "--verbose", is_flag=True, help="More detail on failures.")
    @functools.wraps(func)
    def wrapper(lang: str, fmt: str, quiet: bool, verbose: bool, **kwargs: Any) -> None:
        ctx = Ctx(lang, fmt, quiet, verbose)
        try:
            code = func(ctx, **kwargs)
        except ToolkitError as exc:
            click.echo(exc.text(lang), err=True)
            if verbose and exc.detail:
                click.echo(exc.detail, err=True)
            sys.exit(exc.exit_code)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except Exception:  # a bug: a short message, the traceback only on request
            click.echo(ctx.say("bug"), err=True)
            if verbose:
                import traceback

                traceback.print_exc()
            sys.exit(EXIT_BUG)
        sys.exit(code or 0)

    return wrapper


def source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """SOURCE and the options that say where output goes."""
    func = click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), envvar="TOOLKIT_OUTPUT",
                        default="output", show_default=True, help="Output folder (or TOOLKIT_OUTPUT).")(func)
    return click.argument("source", required=False)(func)


def _print_report(ctx: Ctx, report: Any) -> None:
    from .problems import render

    if ctx.fmt == "json":
        click.echo(json.dumps(report.to_dict(ctx.lang), ensure_ascii=False, indent=2))
        return
    if ctx.quiet and report.valid:
        return
    click.echo(render(report, ctx.lang, colour=ctx.colour))


def _run_documents(ctx: Ctx, source: str | None, output: Path, force: bool, pdf: bool,
                   which: tuple[str, ...]) -> int:
    from .pipeline import Options, check, export_pdf, generate
    from .sources import EXAMPLE, resolve

    resolved = resolve(source)
    if resolved.kind == EXAMPLE:
        ctx.notice(ctx.say("example"))
    options = Options(output=output, force=force)
    campaign, report = check(resolved, options)
    generate(campaign, report, which, options)
    if pdf and report.outputs:
        try:
            export_pdf(report)
        except ToolkitError:
            _summary(ctx, report, which, force)
            raise
    _summary(ctx, report, which, force)
    return EXIT_DATA if not report.valid and not force else 0


def _summary(ctx: Ctx, report: Any, which: tuple[str, ...], force: bool) -> None:
    _print_report(ctx, report)
    if not report.valid and not force:
        ctx.notice(ctx.say("blocked"))
        return
    if not report.valid:
        ctx.notice(ctx.say("forced"))
    if ctx.fmt == "text":
        kinds = [*which, *which]  # each .docx, then its PDF when there is one
        for kind, path in zip(kinds, report.outputs, strict=False):
            ctx.notice(ctx.say("written", kind=ctx.say(kind), path=path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="toolkit")
def cli() -> None:
    """Kế hoạch và Báo cáo cho các đợt hoạt động của nhà trường, từ một sổ theo dõi chung.

    Campaign plans and results reports for Vietnamese schools, from one shared workbook.
    """


@cli.command("sync-and-report")
@source_options
@click.option("--force", is_flag=True, help="Write the documents even when the data has errors.")
@click.option("--pdf", is_flag=True, help="Also a PDF of each document (needs LibreOffice).")
@common
def sync_and_report(ctx: Ctx, source: str | None, output: Path, force: bool, pdf: bool) -> int:
    """Read SOURCE, check it, and write the Kế hoạch and the Báo cáo (.docx)."""
    return _run_documents(ctx, source, output, force, pdf, ("plan", "report"))


@cli.command("plan")
@source_options
@click.option("--force", is_flag=True, help="Write the document even when the data has errors.")
@click.option("--pdf", is_flag=True, help="Also a PDF of the document (needs LibreOffice).")
@common
def plan(ctx: Ctx, source: str | None, output: Path, force: bool, pdf: bool) -> int:
    """Write only the Kế hoạch (plan)."""
    return _run_documents(ctx, source, output, force, pdf, ("plan",))


@cli.command("report")
@source_options
@click.option("--force", is_flag=True, help="Write the document even when the data has errors.")
@click.option("--pdf", is_flag=True, help="Also a PDF of the document (needs LibreOffice).")
@common
def report(ctx: Ctx, source: str | None, output: Path, force: bool, pdf: bool) -> int:
    """Write only the Báo cáo (results report)."""
    return _run_documents(ctx, source, output, force, pdf, ("report",))


@cli.command("check")
@click.argument("source", required=False)
@common
def check(ctx: Ctx, source: str | None) -> int:
    """Check SOURCE and list every problem with its cell; writes nothing."""
    from .pipeline import check as check_source
    from .sources import EXAMPLE, resolve

    resolved = resolve(source)
    if resolved.kind == EXAMPLE:
        ctx.notice(ctx.say("example"))
    _, result = check_source(resolved)
    _print_report(ctx, result)
    return 0 if result.valid else EXIT_DATA


@cli.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default="so-theo-doi.xlsx")
@click.option("--example", is_flag=True, help="Fill it with the bundled example (TRƯỜNG TH BÌNH AN, 2023).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@common
def init(ctx: Ctx, path: Path, example: bool, force: bool) -> int:
    """Create a new workbook from the template at PATH."""
    from .errors import OutputError
    from .templates import save_workbook

    if path.exists() and not force:
        raise OutputError(MESSAGES["vi"]["exists"].format(path=path), MESSAGES["en"]["exists"].format(path=path))
    try:
        save_workbook(path, filled=example)
    except OSError as exc:
        from .output import _output_error

        raise _output_error(path, exc) from exc
    ctx.notice(ctx.say("init", path=path))
    return 0


def sync_and_report_main() -> None:
    """Entry point of the ``sync-and-report`` console script."""
    sync_and_report(prog_name="sync-and-report")

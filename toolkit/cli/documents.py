"""A school's documents: ``sync-and-report``, ``plan`` and ``report`` (one command per document kind, from
``documents.kinds``), ``check``, ``pull`` and ``send``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__, pipeline
from ..core.console import to_json
from ..core.errors import ExitCode
from ..core.i18n import Message, T
from ..delivery.sent_record import sent_at
from ..documents.kinds import KIND, KINDS, Kind
from ..pipeline import Result
from ..sources import EXAMPLE, GOOGLE, resolve
from .common import (
    EXIT_CODES_HELP,
    Ctx,
    cli,
    common,
    example_notice,
    google_options,
    print_report,
    run_options,
    source_options,
)

if TYPE_CHECKING:
    from ..delivery.send import Outcome  # smtplib and ssl: only for the type


def run_documents(
    ctx: Ctx, source: str | None, pdf: bool, which: tuple[str, ...], send: dict[str, Any] | None = None, **flags: Any
) -> int:
    """``pipeline.run`` for the commands that write documents, and what became of it, said."""
    resolved = resolve(source)
    if resolved.kind == EXAMPLE:
        example_notice(ctx)
    options = run_options(ctx, **flags)
    done = pipeline.run(resolved, options, which, pdf=pdf, send=send)
    if done.held:
        ctx.notice(ctx.say(T("Dữ liệu có lỗi nên chưa gửi thư.")))
    _summary(ctx, done.result, options.force, done.outcomes)
    if done.failure is not None:
        raise done.failure
    return ExitCode.DATA if not done.result.valid and not options.force else 0


def _summary(ctx: Ctx, result: Result, force: bool, outcomes: list[Outcome] | None = None) -> None:
    print_report(ctx, result, outcomes)
    for outcome in outcomes or []:
        ctx.notice(ctx.say(_delivered(outcome, ctx.say(KIND[outcome.kind].title))))
    if not result.valid and not force:
        ctx.notice(
            ctx.say(T("Dữ liệu có lỗi nên chưa tạo văn bản. Sửa các ô nêu trên rồi chạy lại (hoặc thêm --force)."))
        )
        return
    if not result.valid:
        ctx.notice(ctx.say(T("Dữ liệu có lỗi; văn bản vẫn được tạo vì có --force: hãy kiểm tra kỹ trước khi gửi.")))
    if ctx.fmt == "text":
        for written in result.files:
            ctx.notice(ctx.say(T("Đã ghi {kind}: {path}", kind=ctx.say(KIND[written.kind].title), path=written.path)))
            if written.kept and written.kept_own:  # the toolkit's own earlier version: the data changed
                ctx.notice(ctx.say(T("  Bản trước được giữ lại trong lịch sử: {path}", path=written.kept)))
            elif written.kept:
                ctx.notice(
                    ctx.say(T("  Tệp cũ có nội dung khác (có thể đã sửa tay) được giữ lại ở {path}", path=written.kept))
                )


def _delivered(outcome: Outcome, kind: str) -> Message:
    """What became of one message: sent, already sent earlier, or written for a dry run."""
    to = ", ".join(outcome.recipients)
    if outcome.status == "sent":
        return T("Đã gửi {kind} tới {to}: {subject}", kind=kind, to=to, subject=outcome.subject)
    if outcome.status == "already-sent":
        return T(
            "{kind} này đã gửi tới {to} lúc {earlier}: không gửi lại (thêm --resend để gửi lại).",
            kind=kind,
            to=to,
            earlier=sent_at(outcome.earlier),
        )
    return T("Đã tạo thư {kind} (chưa gửi): {path}", kind=kind, path=outcome.path)


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
    return run_documents(ctx, source, pdf, ("plan", "report"), send={} if send else None, **options)


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
    return run_documents(
        ctx, source, pdf, kinds, send={"dry_run": dry_run, "resend": resend, "attach": list(attach)}, **options
    )


def _document_command(kind: Kind) -> None:
    """``toolkit plan`` / ``toolkit report``: write one document kind, declared in ``documents.kinds``."""

    @source_options
    @click.option("--force", is_flag=True, help="Write the document even when the data has errors.")
    @click.option("--pdf", is_flag=True, help="Also a PDF of the document (needs LibreOffice).")
    @google_options
    @common
    def command(ctx: Ctx, source: str | None, pdf: bool, **options: Any) -> int:
        return run_documents(ctx, source, pdf, (kind.code,), **options)

    cli.command(kind.code, help=f"Write only the {kind.name} ({kind.english}).")(command)


for _kind in KINDS:
    _document_command(_kind)


@cli.command("check")
@source_options
@google_options
@common
def check(ctx: Ctx, source: str | None, **options: Any) -> int:
    """Check SOURCE and list every problem with its cell; writes no document.

    For a Google Sheet the problems also go to its Kiểm tra tab (unless --no-write-back), and a snapshot
    is kept in OUTPUT/snapshots/.
    """

    resolved = resolve(source)
    if resolved.kind == EXAMPLE:
        example_notice(ctx)
    _, result = pipeline.check(resolved, run_options(ctx, **options))
    print_report(ctx, result)
    return 0 if result.valid else ExitCode.DATA


@cli.command("pull")
@source_options
@click.option("--credentials", type=click.Path(dir_okay=False), help="Service-account key (JSON).")
@common
def pull(ctx: Ctx, source: str | None, output: Path, keep: int, credentials: str | None) -> int:
    """Snapshot a Google Sheet into OUTPUT/snapshots/<ID>-<time>-<hash>.xlsx (itself a valid SOURCE)."""

    resolved = resolve(source)
    if resolved.kind != GOOGLE:
        raise click.BadParameter(
            ctx.say(T("{sheet} không phải đường dẫn Google Sheet.", sheet=source or resolved.label)),
            param_hint="SOURCE",
        )
    path = pipeline.pull(resolved, run_options(ctx, output=output, credentials=credentials, keep=keep))
    ctx.notice(ctx.say(T("Đã lưu bản chụp: {path}", path=path)))
    if ctx.fmt == "json":
        click.echo(to_json({"snapshot": str(path)}))
    return 0

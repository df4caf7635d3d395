"""The receiving office's ``rollup``: many schools' workbooks rolled up into one report."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..core.console import ProgressBar, echo_json
from ..core.i18n import Message, T
from ..rollup.gather import SchoolResult, Status
from ..rollup.run import RollupResult
from ..rollup.run import export_pdf as export_rollup_pdf
from ..rollup.run import rollup as roll_up
from ..sources.budget import ReadBudget
from ..workbook.problems import ERROR, render
from .common import Ctx, cli, common, google_options, output_options, run_options

# The files a roll-up writes, as its summary names them.
ROLLUP_FILES = {"report": T("Báo cáo tổng hợp"), "table": T("Bảng từng đơn vị")}


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
    are not counted (errors, another campaign or year, no workbook yet, a school listed twice); 3 the list, or
    some school's workbook, could not be read (the roll-up is still written without it); 4 output not written.
    """

    tick = None
    if ctx.fmt == "text" and not ctx.quiet and sys.stderr.isatty():
        tick = ProgressBar(lambda **f: ctx.say(T("[{bar}] đã đọc {done}/{total} đơn vị · còn khoảng {eta}", **f)))
    result = roll_up(
        listing,
        run_options(ctx, **options),
        concurrency=concurrency,
        budget=ReadBudget(reads_per_minute),
        tick=tick,
    )
    if pdf and result.files:
        ctx.progress(T("Đang xuất PDF bằng LibreOffice …"))
        export_rollup_pdf(result)
    _print_rollup(ctx, result, reads_per_minute)
    return result.exit_code


def _print_rollup(ctx: Ctx, result: RollupResult, rate: int) -> None:
    """A roll-up for people (the list's problems, the count by status, who is not counted and why, the files
    written), or as JSON."""

    if ctx.fmt == "json":
        echo_json(result.to_dict(ctx.lang))
        return
    check = result.listing.check
    if check.problems:  # the list's own problems, said to be the list's (the schools' come after)
        click.echo(ctx.say(T("Danh sách đơn vị:")))
        click.echo(render(check, ctx.lang, colour=ctx.colour))
    elif not ctx.quiet:
        click.echo(ctx.say(T("Danh sách đơn vị: không có lỗi hay cảnh báo.")))
    if not result.files:
        ctx.notice(
            ctx.say(T("Danh sách có lỗi nên chưa tổng hợp. Sửa các ô nêu trên rồi chạy lại (hoặc thêm --force)."))
        )
        return
    ctx.notice(ctx.say(_counted(result)))
    if result.count(Status.DUPLICATE):
        ctx.notice(
            ctx.say(
                T(
                    "Dòng của danh sách là đơn vị đã có ở dòng trước, không tính lần nữa: {duplicate}.",
                    duplicate=result.count(Status.DUPLICATE),
                )
            )
        )
    _print_schools(ctx, result)
    if result.budget is not None and result.budget.requests:
        ctx.notice(
            ctx.say(
                T(
                    (
                        "Đã gửi {reads} yêu cầu đọc tới Google Sheets (giới hạn {rate} yêu cầu/phút); {unchanged} "
                        "đơn vị không đổi từ lần đọc trước (theo Google Drive) được lấy từ bản chụp."
                    ),
                    reads=result.budget.requests,
                    rate=rate,
                    unchanged=result.unchanged,
                )
            )
        )
    for written in result.files:
        ctx.notice(ctx.say(T("Đã ghi {kind}: {path}", kind=ctx.say(ROLLUP_FILES[written.kind]), path=written.path)))
        if written.kept and written.kept_own:  # the toolkit's own earlier version: the schools' data changed
            ctx.notice(ctx.say(T("  Bản trước được giữ lại trong lịch sử: {path}", path=written.kept)))
        elif written.kept:
            ctx.notice(
                ctx.say(T("  Tệp cũ có nội dung khác (có thể đã sửa tay) được giữ lại ở {path}", path=written.kept))
            )


def _print_schools(ctx: Ctx, result: RollupResult) -> None:
    """Each school not counted (or counted under another parent body), with why and its first errors."""
    for school in result.schools:
        if not school.counted or school.reason:
            reason = school.reason.text(ctx.lang) if school.reason else ""
            ctx.notice(
                ctx.say(
                    T(
                        "  - {name} (dòng {row}): {reason}",
                        name=school.entry.name or "…",
                        row=school.entry.row,
                        reason=reason,
                    )
                )
            )
            _fix_first(ctx, school)


SHOWN = 3  # a school's errors printed under its line; the rest are counted (all of them in --format json and the .xlsx)


def _fix_first(ctx: Ctx, school: SchoolResult) -> None:
    """The first errors a school must fix, at their cells as ``toolkit check`` prints them, then how many more."""
    errors = [p for p in school.problems if p.severity == ERROR]
    for p in errors[:SHOWN]:
        ctx.notice(f"      {p.where}: {p.message(ctx.lang)}" if p.where else f"      {p.message(ctx.lang)}")
    more = school.errors - min(len(errors), SHOWN)
    if more > 0:
        ctx.notice(ctx.say(T("      … và {more} lỗi khác", more=more)))


def _counted(result: RollupResult) -> Message:
    """How many schools were rolled up, and why the others were not, by status."""

    counts = {status: result.count(status) for status in Status}
    return T(
        (
            "Tổng hợp được {counted}/{total} đơn vị: {ok} hợp lệ, {warnings} có cảnh báo; "
            "chưa tổng hợp: {errors} còn lỗi, {unreadable} không đọc được, {wrong} sai đợt "
            "hoặc năm, {missing} chưa có sổ."
        ),
        counted=counts[Status.OK] + counts[Status.WARNINGS],
        total=len(result.schools),
        ok=counts[Status.OK],
        warnings=counts[Status.WARNINGS],
        errors=counts[Status.ERRORS],
        unreadable=counts[Status.UNREADABLE],
        wrong=counts[Status.WRONG],
        missing=counts[Status.MISSING],
    )

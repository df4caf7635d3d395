"""Setting up: ``init`` (a workbook, or an office's roll-up list), ``init-sheet`` (a Google Sheet laid out the
same way), ``campaigns`` and ``history``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..authoring.sheet_setup import init_sheet as lay_out
from ..authoring.templates import build_workbook, example_level, example_year, workbook_bytes
from ..core.console import to_json
from ..core.errors import OutputError
from ..core.i18n import Message, T
from ..output.write import Written, history_of, write_file
from ..rollup.example import EXAMPLE_PRESET, LIST_NAME, build_list, write_example
from ..sources import GOOGLE, resolve
from ..workbook import campaigns, wording
from ..workbook.campaigns import Preset
from ..workbook.schema import ROLLUP_TABS, SETTINGS
from ..workbook.settings import setting_label
from .common import Ctx, cli, common, output_options, run_options


def campaign_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--campaign``, ``--year``, ``--level`` and ``--example``: what a new workbook is laid out for."""
    func = click.option(
        "--example",
        is_flag=True,
        help="Fill it with the campaign's example data as it is, dated in the example's own year (another --year "
        "is refused); without --campaign: the bundled example.",
    )(func)
    func = click.option(
        "--level",
        metavar="CẤP_HỌC",
        help="School level for the participant columns: one of toolkit/data/levels.json's (Mầm non, Tiểu học, THCS, "
        "THPT, …); another is a usage error.",
    )(func)
    func = click.option(
        "--year",
        type=click.IntRange(2000, 2100),
        help="Campaign year: fills Năm and the usual dates (default: this year).",
    )(func)
    return click.option("--campaign", metavar="NAME", help="Campaign preset (see: toolkit campaigns); default: blank.")(
        func
    )


def preset_named(name: str | None, example: bool) -> Preset:
    """The preset a --campaign value names; none given: blank, or the bundled example's with --example."""
    if not name:
        return campaigns.bundled() if example else campaigns.blank()
    found = campaigns.find(name)
    if found is None:
        known = ", ".join(campaigns.presets())
        raise click.BadParameter(f"{name} ({known})", param_hint="--campaign")
    return found


def level_named(ctx: Ctx, level: str | None) -> str | None:
    """The ``Cấp học`` a --level value names, spelled as ``levels.json`` spells it (forgiving match, as the
    check reads ``Cấp học``: ``thcs``, ``Mam non``); an unknown one is a usage error listing the levels."""
    if level is None:
        return None
    found = wording.find_level(level)
    if found is None:
        names = ", ".join(lv.name for lv in wording.levels())
        raise click.BadParameter(
            ctx.say(T("không có cấp học {level}; chọn một trong: {names}.", level=level, names=names)),
            param_hint="--level",
        )
    return found.name


def refuse_what_example_cannot_honour(
    ctx: Ctx,
    campaign: str | None,
    year: int | None,
    example: bool,
    *,
    level: str | None = None,
    rollup: bool = False,
) -> None:
    """``--example`` writes an example as it is: dated in its own year (its dates inside that year's campaign
    period), of its own school's level and, for a roll-up list, of the one campaign it exists for. A ``--year``,
    ``--level`` or ``--campaign`` it cannot honour is a usage error naming the option, never silently dropped.
    A roll-up list is of no one school level: ``--level`` with ``--rollup`` is refused too, example or not."""
    why = _rollup_refusal(campaign, level, example, rollup)
    if why is None and example:
        why = _example_refusal(preset_named(EXAMPLE_PRESET if rollup else campaign, example), year, level, rollup)
    if why is not None:
        raise click.UsageError(ctx.say(why))


def _rollup_refusal(campaign: str | None, level: str | None, example: bool, rollup: bool) -> Message | None:
    """Why ``--level``, or another campaign's ``--example``, cannot go with ``--rollup`` (None when they can)."""
    if rollup and level:
        return T(
            "--level {level} không dùng được cùng --rollup: danh sách đơn vị của phòng không theo một cấp "
            "học (mỗi trường ghi Cấp học trong sổ của mình). Bỏ --level.",
            level=level,
        )
    if rollup and example and campaign and preset_named(campaign, False).id != EXAMPLE_PRESET:
        return T(
            "--campaign {campaign} không dùng được cùng --rollup --example: danh sách ví dụ chỉ có cho "
            "mẫu đợt {example}. Bỏ --example để lập danh sách trống cho {campaign}.",
            campaign=campaign,
            example=EXAMPLE_PRESET,
        )
    return None


def _example_refusal(preset: Preset, year: int | None, level: str | None, rollup: bool) -> Message | None:
    """Why ``preset``'s example cannot be written for ``year`` or ``level`` (None when it can)."""
    fixed = example_year(preset)
    if year and fixed and year != fixed:
        return T(
            "--year {year} không dùng được cùng --example: ví dụ của mẫu đợt {campaign} là năm "
            "{example_year}, các ngày của nó nằm trong đợt năm đó. Bỏ --year, hoặc bỏ --example để lập "
            "sổ trống cho năm {year}.",
            year=year,
            campaign=preset.id,
            example_year=fixed,
        )
    other = None if rollup else example_level(preset, level)
    if other is not None:
        return T(
            "--level {level} không dùng được cùng --example: ví dụ của mẫu đợt {campaign} là của {unit} "
            "(cấp {example_level}), tên và câu chữ của nó theo cấp đó. Bỏ --level, hoặc bỏ --example để "
            "lập sổ trống cho cấp {level}.",
            level=level,
            campaign=preset.id,
            unit=preset.example.get(SETTINGS.name, {}).get(setting_label("unit"), ""),
            example_level=other.name,
        )
    return None


def year_for(preset: Preset, year: int | None, example: bool) -> int | None:
    """The campaign year of a new workbook: as given, the example's, or this year for a dated preset."""
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
    from ..sources.google import connect

    level = level_named(ctx, level)
    refuse_what_example_cannot_honour(ctx, campaign, year, example, level=level, rollup=rollup)
    resolved = resolve(sheet)
    if resolved.kind != GOOGLE:
        raise click.BadParameter(
            ctx.say(T("{sheet} không phải đường dẫn Google Sheet.", sheet=sheet)), param_hint="SHEET"
        )
    list_of_schools: dict[str, Any] = {}
    if rollup:
        list_of_schools = {"layout": ROLLUP_TABS, "build": lambda p, y, filled: build_list(p, year=y, example=filled)}
    preset = (preset_named(campaign, False) if campaign else None) if rollup else preset_named(campaign, example)
    created = lay_out(
        connect(run_options(ctx, credentials=credentials)),
        resolved.value,
        example=example,
        force=force,
        preset=preset,
        year=year_for(preset, year, example) if preset else year,
        level=level,
        **list_of_schools,
    )
    ctx.notice(
        ctx.say(T("Đã chuẩn bị {sheet}; trang mới tạo: {tabs}.", sheet=resolved.label, tabs=", ".join(created) or "-"))
    )
    return 0


@cli.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
@campaign_options
@click.option(
    "--rollup",
    is_flag=True,
    help="A receiving office's roll-up list instead (default name danh-sach-don-vi.xlsx; with --example, "
    "six example schools' workbooks in truong/ beside it: an example of its own campaign and year only).",
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
    campaigns); with --rollup, an office's list of schools to roll up.

    --example writes the campaign's example as it is, dated in its own year: --year with another year is a
    usage error (the example's dates must stay inside its campaign period), and so is a --level other than its
    school's (its name and words are of that level). The roll-up list's example exists
    only for its own campaign: --rollup --example with another --campaign is a usage error too, and --level
    with --rollup is one (a list of schools is of no one level). With --force, the file replaced is kept in
    history/ beside it, and the command says where."""

    level = level_named(ctx, level)
    refuse_what_example_cannot_honour(ctx, campaign, year, example, level=level, rollup=rollup)
    if rollup:
        return _init_rollup(ctx, path, campaign, year, example, force)
    path = path or Path("so-theo-doi.xlsx")
    if path.exists() and not force:
        raise OutputError(T("{path} đã có. Chọn tên khác hoặc thêm --force để ghi đè.", path=path))
    preset = preset_named(campaign, example)
    book = build_workbook(preset, filled=example, year=year_for(preset, year, example), level=level)
    written = write_file(path, workbook_bytes(book))
    ctx.notice(ctx.say(T("Đã tạo {path}. Mở bằng Excel, LibreOffice hoặc tải lên Google Sheets để điền.", path=path)))
    _say_kept(ctx, written)
    return 0


def _say_kept(ctx: Ctx, written: Written) -> None:
    """Where ``--force`` kept the file it replaced, when it differed."""
    if written.kept:
        ctx.notice(ctx.say(T("  Bản trước được giữ lại trong lịch sử: {path}", path=written.kept)))


def _init_rollup(
    ctx: Ctx, path: Path | None, campaign: str | None, year: int | None, example: bool, force: bool
) -> int:
    """``init --rollup``: the office's list, blank or with the example commune and its schools."""

    path = path or Path(LIST_NAME)
    if path.exists() and not force:
        raise OutputError(T("{path} đã có. Chọn tên khác hoặc thêm --force để ghi đè.", path=path))
    replaced: list[Written] = []
    if example:  # its campaign and year, as refuse_what_example_cannot_honour checked
        write_example(path, replaced)
    else:
        preset = preset_named(campaign, False) if campaign else None
        book = build_list(preset, year=year or (year_for(preset, None, False) if preset else None), example=False)
        replaced.append(write_file(path, workbook_bytes(book)))
    ctx.notice(ctx.say(T("Đã tạo {path}. Điền trang Thông tin và Đơn vị rồi chạy: toolkit rollup {path}", path=path)))
    for written in replaced:
        _say_kept(ctx, written)
    return 0


@cli.command("history")
@output_options
@common
def history(ctx: Ctx, output: Path, keep: int) -> int:
    """List the documents in OUTPUT and the earlier versions kept of each; trim to the newest --keep."""

    removed: list[Path] = []
    listing = history_of(output, keep, removed)
    for path in removed:
        ctx.notice(ctx.say(T("Đã xóa {path} (chỉ giữ {keep} bản mới nhất, --keep).", path=path, keep=keep)))
    if ctx.fmt == "json":
        click.echo(to_json([{"file": str(doc), "versions": [str(v) for v in kept]} for doc, kept in listing]))
        return 0
    for doc, kept in listing:
        versions = ctx.say(T("{n} bản cũ", n=len(kept)))
        click.echo(f"{doc}  ({versions})")
        for version in kept:
            click.echo(f"    {version.name}")
    return 0


@cli.command("campaigns")
@common
def list_campaigns(ctx: Ctx) -> int:
    """List the campaign presets that init --campaign knows."""

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
        name = p.name or ctx.say(T("Không theo đợt nào: tự điền tên đợt, nhóm hoạt động, câu chữ"))
        dates = f" ({p.usual_dates})" if p.usual_dates else ""
        click.echo(f"{p.id:<{width}}  {name}{dates}")
    return 0

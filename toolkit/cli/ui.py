"""``toolkit ui``: the toolkit as a page in the clerk's own browser."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.console import safe_console
from ..core.i18n import LANGUAGES
from ..ui import serve
from .common import cli


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

    safe_console()
    serve(port=port, host=host, browser=not no_browser, lang=lang, output=output)

"""Command line: ``sync-and-report`` and ``toolkit``. Each command parses options, calls one library
function and maps the toolkit's exceptions to a message and a documented exit code.

Exit codes: ``errors.ExitCode`` (their meanings in ``errors.MEANINGS``, shown by ``toolkit --help``).
"""

from __future__ import annotations

from . import documents, rollup, setup, signing, ui  # each registers its commands on the group
from .common import cli
from .documents import sync_and_report

__all__ = ["cli", "documents", "rollup", "setup", "signing", "sync_and_report", "sync_and_report_main", "ui"]


def sync_and_report_main() -> None:
    """Entry point of the ``sync-and-report`` console script."""
    sync_and_report(prog_name="sync-and-report")

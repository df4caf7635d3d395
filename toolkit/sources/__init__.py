"""Sources: what the SOURCE argument names (a local workbook, a Google Sheet, or the bundled example).

``resolve`` turns the argument (or ``$TOOLKIT_SOURCE``) into a ``Source``; ``read`` reads it into a
``RawWorkbook``. Google Sheets are read by ``sources.google``; local files by ``sources.xlsx``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..i18n import T
from ..strenum import StrEnum
from ..tables import RawWorkbook


class SourceKind(StrEnum):
    """Where a workbook comes from."""

    LOCAL = "local"
    GOOGLE = "google"
    EXAMPLE = "example"


LOCAL, GOOGLE, EXAMPLE = SourceKind
_SHEET_URL = re.compile(r"docs\.google\.com/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]{20,})")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods")
_BARE_ID = re.compile(r"^[A-Za-z0-9_-]{40,}$")  # Google sheet IDs are 44 characters


@dataclass(frozen=True)
class Source:
    """A resolved SOURCE: its kind, the file path or sheet ID, and how messages name it."""

    kind: str
    value: str
    label: str


def sheet_id(spec: str) -> str | None:
    """The Google Sheet ID in a URL, ``gsheet:<ID>`` or bare ID; None when ``spec`` is not one."""
    spec = spec.strip()
    match = _SHEET_URL.search(spec)
    if match:
        return match.group(1)
    if spec.lower().startswith("gsheet:"):
        candidate = spec[len("gsheet:") :].strip()
        return candidate if re.fullmatch(r"[A-Za-z0-9_-]{10,}", candidate) else None
    if _BARE_ID.match(spec) and not spec.lower().endswith(WORKBOOK_SUFFIXES) and not os.path.exists(spec):
        return spec
    return None


def resolve(spec: str | None, environ: Mapping[str, str] | None = None) -> Source:
    """The source a SOURCE argument names; with none, ``$TOOLKIT_SOURCE``, then the bundled example."""
    environ = os.environ if environ is None else environ
    spec = spec or environ.get("TOOLKIT_SOURCE") or None
    if not spec:
        return Source(EXAMPLE, "", "vi-du-THBA-2023.xlsx")
    ident = sheet_id(spec)
    if ident:
        return Source(GOOGLE, ident, f"gsheet:{ident}")
    if spec.startswith(("http://", "https://")):
        raise SourceError(
            T(
                (
                    "Không nhận ra đường dẫn Google Sheet: {spec}. Hãy dán đường dẫn dạng "
                    "https://docs.google.com/spreadsheets/d/<ID>/edit."
                ),
                spec=spec,
            ),
        )
    return Source(LOCAL, spec, spec)


def read(source: Source) -> RawWorkbook:
    """Read a local or the bundled example workbook (Google Sheets are read by ``pipeline.load``)."""
    from .xlsx import read_workbook

    if source.kind == LOCAL:
        return read_workbook(Path(source.value), source.label)
    if source.kind == EXAMPLE:
        return read_example()
    raise ValueError(f"not a workbook file: {source.kind}")


def read_example() -> RawWorkbook:
    """The bundled example workbook, built from code and read like any local file."""
    from ..templates import EXAMPLE_NAME, save_workbook
    from .xlsx import read_xlsx

    with tempfile.TemporaryDirectory(prefix="toolkit-example-") as folder:
        path = save_workbook(Path(folder) / EXAMPLE_NAME, filled=True)
        return read_xlsx(path, EXAMPLE_NAME)

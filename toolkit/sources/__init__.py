"""Sources: what the SOURCE argument names (a local workbook, a Google Sheet, or the bundled example).

``resolve`` turns the argument (or ``$TOOLKIT_SOURCE``) into a ``Source``; ``read`` reads it into a
``RawWorkbook``. Google Sheets are read by ``sources.google``; local files by ``sources.xlsx``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..authoring.templates import EXAMPLE_NAME, save_workbook
from ..core.errors import SourceError
from ..core.i18n import T
from ..core.strenum import StrEnum
from ..workbook.tables import RawWorkbook
from .links import SHAPES, Link, looks_like_a_link, parse
from .xlsx import read_workbook, read_xlsx


class SourceKind(StrEnum):
    """Where a workbook comes from."""

    LOCAL = "local"
    GOOGLE = "google"
    EXAMPLE = "example"


LOCAL, GOOGLE, EXAMPLE = SourceKind
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods")


@dataclass(frozen=True)
class Source:
    """A resolved SOURCE: its kind, the file path or sheet ID, and how messages name it."""

    kind: str
    value: str
    label: str
    resource_key: str = ""  # a Google file shared by link that needs its key to be read by link
    published: bool = False  # ``value`` is a published sheet's 2PACX id, read only through its published export
    domain: str = ""  # the Workspace domain the link was shared in (``/a/<domain>/``)

    @property
    def link(self) -> str:
        """For a Google source, a spec ``resolve`` reads back to this very source (published, resource key and
        domain kept: what to remember instead of ``gsheet:<ID>``); for a local file, its path."""
        if self.kind != GOOGLE:
            return self.value
        return Link(self.value, self.resource_key, self.published, self.domain).spec


def sheet_id(spec: str) -> str | None:
    """The Google file id in any link shape ``links.parse`` knows, ``gsheet:<ID>`` or a bare id; None when
    ``spec`` is not one (a bare id that is also an existing file's name is the file)."""

    link = _google_link(spec)
    return link.id if link is not None else None


def _google_link(spec: str) -> Link | None:
    """What ``spec`` says as a Google link (None when it is not one, or is a bare id naming an existing file)."""
    spec = spec.strip()
    link = parse(spec)
    if link is None:
        return None
    if not looks_like_a_link(spec) and (spec.lower().endswith(WORKBOOK_SUFFIXES) or os.path.exists(spec)):
        return None
    return link


def resolve(spec: str | None, environ: Mapping[str, str] | None = None) -> Source:
    """The source a SOURCE argument names; with none, ``$TOOLKIT_SOURCE``, then the bundled example."""

    environ = os.environ if environ is None else environ
    spec = spec or environ.get("TOOLKIT_SOURCE") or None
    if not spec:
        return Source(EXAMPLE, "", EXAMPLE_NAME)
    link = _google_link(spec)
    if link is not None:
        return Source(GOOGLE, link.id, f"gsheet:{link.id}", link.resource_key, link.published, link.domain)
    if looks_like_a_link(spec):
        raise SourceError(
            T(
                "Không nhận ra đường dẫn Google Sheet: {spec}. Các dạng đọc được: {shapes}.",
                spec=spec,
                shapes="; ".join(SHAPES),
            ),
        )
    return Source(LOCAL, spec, spec)


def read(source: Source) -> RawWorkbook:
    """Read a local or the bundled example workbook (Google Sheets are read by ``pipeline.load``)."""

    if source.kind == LOCAL:
        return read_workbook(Path(source.value), source.label)
    if source.kind == EXAMPLE:
        return read_example()
    raise ValueError(f"not a workbook file: {source.kind}")


def read_example() -> RawWorkbook:
    """The bundled example workbook, built from code and read like any local file."""

    with tempfile.TemporaryDirectory(prefix="toolkit-example-") as folder:
        path = save_workbook(Path(folder) / EXAMPLE_NAME, filled=True)
        return read_xlsx(path, EXAMPLE_NAME)

"""Read this source: the one place that decides how — a local or the bundled workbook, a Google Sheet with a
service-account key or by its public link, or (offline) its newest snapshot — and keeps a snapshot of each
Google read. The pipeline, the roll-up and the page in the browser only call ``read_source``.

``sources.google`` (gspread, google-auth) and ``sources.public`` (requests) are imported inside the functions
that reach Google: a local run never loads the network stack
(``tests/test_robustness.py::test_a_local_run_imports_no_network_or_translation_stack``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.config import Options
from ..core.errors import NetworkError, NotAGoogleSheet, SourceError
from ..core.i18n import T
from ..workbook.schema import TABS, Tab
from ..workbook.tables import RawWorkbook
from . import GOOGLE, LOCAL, Source, read, snapshots
from .credentials import key_path

if TYPE_CHECKING:
    from .google import GoogleSheets


@dataclass
class Loaded:
    """A source as read: the raw workbook, and for a Google Sheet the connection and tab sizes."""

    raw: RawWorkbook
    google: GoogleSheets | None = None
    sizes: dict[str, int] = field(default_factory=dict)
    snapshot: Path | None = None
    sheet_id: str = ""


def read_source(
    source: Source,
    options: Options,
    *,
    snapshot: bool = True,
    google: GoogleSheets | None = None,
    layout: tuple[Tab, ...] = TABS,
) -> Loaded:
    """Read a source. A Google Sheet is snapshotted after each successful read (or, ``offline``, the
    newest snapshot is read instead); ``google`` is a connection to reuse, ``layout`` the tabs to read
    from a Google Sheet (a school's workbook unless told)."""
    if source.kind != GOOGLE:
        return Loaded(read(source))
    if options.offline:
        return _read_snapshot(source, options)
    sizes: dict[str, int] = {}
    try:
        if public_link(options) or source.published:  # a published sheet is read only by its published link
            google = None
            raw = _read_public(source, options)
        else:
            google, raw, sizes = _read_with_key(source, options, google, layout)
    except NetworkError as exc:
        raise _with_snapshot_hint(exc, source, options) from exc
    raw.label = source.label
    path = snapshots.save(raw, source.value, options.output, keep=options.keep) if snapshot else None
    return Loaded(raw, google, sizes, path, source.value)


def public_link(options: Options) -> bool:
    """True when Google Sheets are read by their public link: asked for, or no service-account key is named
    or lies where one is looked for."""
    if options.public is not None:
        return options.public
    return not (options.credentials or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS") or key_path(None).exists())


def _read_snapshot(source: Source, options: Options) -> Loaded:
    """``--offline``: the newest snapshot of the sheet, saying which; none is an error that says what to do."""
    path = snapshots.newest(source.value, options.output)
    if path is None:
        raise SourceError(
            T(
                ("Chưa có bản chụp nào của {source} trong {folder}: hãy chạy một lần khi có mạng."),
                source=source.label,
                folder=snapshots.folder(options.output),
            ),
        )
    when = snapshots.taken_at(path)
    options.notify(
        T("Chế độ ngoại tuyến: dùng bản chụp {path} (lúc {when:%d/%m/%Y %H:%M}).", path=path, when=when),
    )
    return Loaded(read(Source(LOCAL, str(path), source.label)), snapshot=path)


def _read_public(source: Source, options: Options) -> RawWorkbook:
    """The sheet by its public link, telling people why when they did not ask for it."""
    from .public import read_public  # requests: only when a sheet is read

    if options.public is None and not source.published:
        options.notify(
            T(
                "Chưa có khóa tài khoản dịch vụ: đọc Google Sheet qua đường dẫn công khai (chỉ "
                "xem, không ghi được trang Kiểm tra)."
            ),
        )
    return read_public(source, options)


def _read_with_key(
    source: Source, options: Options, google: GoogleSheets | None, layout: tuple[Tab, ...]
) -> tuple[GoogleSheets | None, RawWorkbook, dict[str, int]]:
    """The sheet through the service account (``google``, or a new connection), with its tabs' sizes; an
    uploaded Excel file is read from its download, and then there is no connection to write back through."""
    from .google import connect, read_upload  # gspread and google-auth: only when a sheet is read

    google = google or connect(options)
    try:
        raw, sizes = google.read(source.value, layout)
    except NotAGoogleSheet as refused:
        return None, read_upload(google, source, refused, options), {}
    return google, raw, sizes


def _with_snapshot_hint(exc: SourceError, source: Source, options: Options) -> SourceError:
    """The network error, with the newest snapshot and how to use it when there is one."""
    path = snapshots.newest(source.value, options.output)
    if path is None:
        return exc
    when = f"{snapshots.taken_at(path):%d/%m/%Y %H:%M}"
    hint = T(
        "{error} Bản chụp gần nhất: {path} (lúc {when}); chạy lại với --offline để dùng nó.",
        error=exc.msg,
        path=path,
        when=when,
    )
    return type(exc)(hint, detail=exc.detail)

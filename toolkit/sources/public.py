"""Reading a Google Sheet shared as "anyone with the link can view", with no key at all.

Google serves such a sheet's ``.xlsx`` export to anyone who has the link. The toolkit downloads it (with a
timeout, a bounded retry and a size limit) and reads it with the same reader as a local workbook, so the
results are those of the service-account path. Writing the problems back is impossible this way: that
needs a service account (the README's section on Google compares the two).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.config import RetryPolicy, SourceOptions
from ..core.errors import DownloadDisabled, NetworkError, NotShared, SourceError
from ..core.i18n import T
from ..workbook.tables import RawWorkbook
from .answers import UNRESOLVED_TRIES, gave_up, retry_notice, unresolved
from .xlsx import read_workbook

if TYPE_CHECKING:
    from . import Source

DOCS = "https://docs.google.com"
DRIVE = "https://drive.google.com"
MAX_BYTES = 50 * 1024 * 1024  # a school's sheet exports to well under a megabyte


def export_url(source: Source) -> str:
    """Where Google serves the sheet's ``.xlsx`` export (a published sheet's, for a published link), with the
    link's resource key when it had one."""
    base = (os.environ.get("TOOLKIT_DOCS_URL") or DOCS).rstrip("/")
    if source.published:
        return f"{base}/spreadsheets/d/e/{source.value}/pub?output=xlsx"
    url = f"{base}/spreadsheets/d/{source.value}/export?format=xlsx"
    return f"{url}&resourcekey={source.resource_key}" if source.resource_key else url


def upload_url(source: Source) -> str:
    """Where Drive serves a link-shared file's own bytes (its documented ``webContentLink`` form), with its key."""
    base = (os.environ.get("TOOLKIT_DOCS_URL") or DRIVE).rstrip("/")
    url = f"{base}/uc?export=download&id={source.value}"
    return f"{url}&resourcekey={source.resource_key}" if source.resource_key else url


def download(source: Source, options: SourceOptions) -> tuple[bytes, bool]:
    """The sheet's ``.xlsx`` export, or for a link that names an uploaded Excel file (which has no export) the file
    itself, and whether it was that file. Raise ``NotShared`` or ``NetworkError`` with a message that helps."""
    try:
        return _fetch(export_url(source), source, options), False
    except DownloadDisabled:
        raise
    except NotShared as refused:
        if source.published:
            raise
        try:
            return _fetch(upload_url(source), source, options), True
        except NotShared:
            raise refused from None


def read_downloaded(data: bytes, source: Source, options: SourceOptions, *, uploaded: bool = False) -> RawWorkbook:
    """Downloaded bytes read like a local workbook (the same checks and readers); an ``uploaded`` Excel file's
    download (not a Google Sheet: no ``Kiểm tra`` tab can be written) is said to be one."""
    if uploaded:
        options.notify(
            T(
                (
                    "{label} là tệp Excel tải lên Drive, chưa phải Google Sheet: đã đọc bản tải về của tệp (không "
                    "ghi được trang Kiểm tra). Muốn ghi, hãy mở tệp và chọn Tệp › Lưu dưới dạng Google Trang tính."
                ),
                label=source.label,
            )
        )
    with tempfile.TemporaryDirectory(prefix="toolkit-download-") as folder:
        path = Path(folder) / f"{source.value}.xlsx"
        path.write_bytes(data)
        return read_workbook(path, source.label)


def _fetch(url: str, source: Source, options: SourceOptions) -> bytes:
    """One download with the retry policy: the bytes of an ``.xlsx``, or ``NotShared`` / ``NetworkError``."""
    import requests

    policy = options.policy or RetryPolicy.from_env()
    sheet_id = source.value
    deadline = time.monotonic() + policy.total
    attempt = unnamed = 0
    while True:
        attempt += 1
        try:
            with requests.get(url, timeout=policy.timeout, stream=True) as response:
                if response.status_code == 403:  # shared, but its owner stopped viewers from downloading it
                    raise _download_disabled(sheet_id)
                if response.status_code in (401, 404):
                    raise _not_shared(source)
                if response.ok:
                    data = limited(response)
                    if not data.startswith(b"PK"):  # the sign-in page: the sheet is not shared by link
                        raise _not_shared(source)
                    return data
                problem = f"HTTP {response.status_code}"
        except requests.exceptions.RequestException as exc:
            problem = type(exc).__name__
            unnamed = unnamed + 1 if unresolved(exc) else 0
            if unnamed >= UNRESOLVED_TRIES:  # no name lookup works: no Internet here, waiting will not help
                raise NetworkError(gave_up(attempt, "NameResolutionError", by_link=True), detail=url) from exc
        delay = policy.backoff(attempt)
        if time.monotonic() + delay >= deadline:
            raise NetworkError(gave_up(attempt, problem, by_link=True), detail=url)
        options.progress(retry_notice(attempt, problem, delay))
        time.sleep(delay)


def limited(response) -> bytes:
    """A streamed response's body, refused past ``MAX_BYTES`` (a school's sheet is well under a megabyte)."""
    chunks, size = [], 0
    for chunk in response.iter_content(1 << 16):
        size += len(chunk)
        if size > MAX_BYTES:
            raise SourceError(
                T("Bản tải về của Google Sheet quá lớn: từ chối để an toàn."),
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _not_shared(source: Source) -> NotShared:
    """Which case it is, as far as the link tells: shared inside a school's Workspace domain only, shared with a
    resource key the link did not carry, or not shared by link at all."""
    if source.domain:
        return NotShared(
            T(
                (
                    "Không đọc được Google Sheet {sheet_id} qua đường dẫn: trang tính chỉ chia sẻ trong tên miền "
                    "{domain} (tài khoản Google Workspace của trường), người ngoài không mở được. Hãy bấm Chia sẻ › "
                    "Quyền truy cập chung › Bất kỳ ai có đường liên kết, hoặc chia sẻ với tài khoản dịch vụ."
                ),
                sheet_id=source.value,
                domain=source.domain,
            ),
        )
    if source.resource_key:
        return NotShared(
            T(
                (
                    "Không đọc được Google Sheet {sheet_id} qua đường dẫn dù đã gửi khóa tài nguyên (resourcekey) "
                    'của đường dẫn: trang tính không còn chia sẻ "Bất kỳ ai có đường liên kết" (hoặc đã bị xóa).'
                ),
                sheet_id=source.value,
            ),
        )
    return NotShared(
        T(
            (
                "Không đọc được Google Sheet {sheet_id} qua đường dẫn: trang tính chưa được chia "
                'sẻ "Bất kỳ ai có đường liên kết đều có thể xem" (hoặc không tồn tại). Hãy bấm '
                "Chia sẻ › Quyền truy cập chung › Bất kỳ ai có đường liên kết, hoặc dùng tài "
                "khoản dịch vụ (xem README). Nếu đường dẫn được chia sẻ có đoạn resourcekey=…, hãy dán nguyên "
                "đường dẫn đó; nếu trang tính chỉ chia sẻ trong tên miền của trường, người ngoài không đọc được."
            ),
            sheet_id=source.value,
        ),
    )


def _download_disabled(sheet_id: str) -> DownloadDisabled:
    return DownloadDisabled(
        T(
            (
                "Không tải được Google Sheet {sheet_id} qua đường dẫn: chủ sở hữu đã tắt tải xuống, in và sao chép "
                "cho người xem. Hãy bật lại (Chia sẻ › ⚙ › Người xem và người nhận xét có thể thấy tùy chọn tải "
                "xuống, in và sao chép), hoặc chia sẻ với tài khoản dịch vụ."
            ),
            sheet_id=sheet_id,
        ),
    )


def read_public(source: Source, options: SourceOptions) -> RawWorkbook:
    """Download the export and read it like a local workbook."""

    data, uploaded = download(source, options)
    return read_downloaded(data, source, options, uploaded=uploaded)

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

from ..errors import SourceError
from ..i18n import T
from ..tables import RawWorkbook

if TYPE_CHECKING:
    from ..pipeline import Options

DOCS = "https://docs.google.com"
MAX_BYTES = 50 * 1024 * 1024  # a school's sheet exports to well under a megabyte


class NotShared(SourceError):
    """The sheet is not shared by link (Google answers with its sign-in page), or does not exist (exit 3)."""


def export_url(sheet_id: str) -> str:
    """Where Google serves the sheet's ``.xlsx`` export."""
    base = os.environ.get("TOOLKIT_DOCS_URL") or DOCS
    return f"{base.rstrip('/')}/spreadsheets/d/{sheet_id}/export?format=xlsx"


def download(sheet_id: str, options: Options) -> bytes:
    """The sheet's ``.xlsx`` export; raise ``NotShared`` or ``NetworkError`` with a message that helps."""
    import requests

    from .google import NetworkError, RetryPolicy, retry_notice

    policy = options.policy or RetryPolicy.from_env()
    url = export_url(sheet_id)
    deadline = time.monotonic() + policy.total
    attempt = 0
    while True:
        attempt += 1
        try:
            with requests.get(url, timeout=policy.timeout, stream=True) as response:
                if response.status_code in (401, 403, 404):
                    raise _not_shared(sheet_id)
                if response.ok:
                    data = _limited(response)
                    if not data.startswith(b"PK"):  # the sign-in page: the sheet is not shared by link
                        raise _not_shared(sheet_id)
                    return data
                problem = f"HTTP {response.status_code}"
        except requests.exceptions.RequestException as exc:
            problem = type(exc).__name__
        delay = policy.backoff(attempt)
        if time.monotonic() + delay >= deadline:
            raise NetworkError(
                T(
                    "Không tải được Google Sheet qua đường dẫn sau {attempt} lần thử ({problem}).",
                    attempt=attempt,
                    problem=problem,
                ),
                detail=url,
            )
        options.progress(retry_notice(attempt, problem, delay))
        time.sleep(delay)


def _limited(response) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(1 << 16):
        size += len(chunk)
        if size > MAX_BYTES:
            raise SourceError(
                T("Bản tải về của Google Sheet quá lớn: từ chối để an toàn."),
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _not_shared(sheet_id: str) -> NotShared:
    return NotShared(
        T(
            (
                "Không đọc được Google Sheet {sheet_id} qua đường dẫn: trang tính chưa được chia "
                'sẻ "Bất kỳ ai có đường liên kết đều có thể xem" (hoặc không tồn tại). Hãy bấm '
                "Chia sẻ › Quyền truy cập chung › Bất kỳ ai có đường liên kết, hoặc dùng tài "
                "khoản dịch vụ (xem README)."
            ),
            sheet_id=sheet_id,
        ),
    )


def read_public(sheet_id: str, label: str, options: Options) -> RawWorkbook:
    """Download the export and read it like a local workbook."""
    from .xlsx import read_workbook

    data = download(sheet_id, options)
    with tempfile.TemporaryDirectory(prefix="toolkit-public-") as folder:
        path = Path(folder) / f"{sheet_id}.xlsx"
        path.write_bytes(data)
        raw = read_workbook(path, label)
    return raw

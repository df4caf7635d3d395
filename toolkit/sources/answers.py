"""What Google's refusals mean, told apart by their body, and the message that says what to do about each.

Google's APIs answer a refusal with a ``google.rpc.Status`` as JSON (https://cloud.google.com/apis/design/errors):
``{"error": {"code", "message", "status", "details": [ErrorInfo {reason, domain, metadata}, …]}}``; older
answers carry ``errors: [{reason, …}]`` instead. Every case the toolkit tells apart is here, with the README's
"When Google says no" table as its user-facing list.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import CredentialsError, NotAGoogleSheet, ServiceDisabled
from ..core.i18n import Message, T


@dataclass(frozen=True)
class Refusal:
    """A Google error body, read: HTTP status, RPC status, the reasons it gives, ErrorInfo metadata, message."""

    code: int
    status: str = ""
    reasons: frozenset[str] = frozenset()
    metadata: Mapping[str, str] = field(default_factory=dict)
    message: str = ""

    @classmethod
    def of(cls, code: int, body: Any) -> Refusal:
        """Read a body (a parsed ``{"error": …}`` or its inner object); anything else gives an empty refusal."""
        error = body.get("error", body) if isinstance(body, dict) else {}
        if not isinstance(error, dict):
            return cls(code)
        reasons: set[str] = set()
        metadata: dict[str, str] = {}
        for detail in error.get("details") or []:
            if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("google.rpc.ErrorInfo"):
                reasons.add(str(detail.get("reason", "")))
                meta = detail.get("metadata")
                if isinstance(meta, dict):
                    metadata.update({str(k): str(v) for k, v in meta.items()})
        for item in error.get("errors") or []:
            if isinstance(item, dict) and item.get("reason"):
                reasons.add(str(item["reason"]))
        return cls(
            code, str(error.get("status", "")), frozenset(reasons - {""}), metadata, str(error.get("message", ""))
        )

    @property
    def service_disabled(self) -> bool:
        """The API is not enabled in the caller's project (``SERVICE_DISABLED``, older ``accessNotConfigured``)."""
        return (
            bool(self.reasons & {"SERVICE_DISABLED", "accessNotConfigured"})
            or "has not been used in project" in self.message
        )

    @property
    def not_a_sheet(self) -> bool:
        """An uploaded Office file opened in Sheets: the Sheets API does not serve it (400 FAILED_PRECONDITION)."""
        return self.code == 400 and (self.status == "FAILED_PRECONDITION" or "failedPrecondition" in self.reasons)

    @property
    def quota(self) -> bool:
        """A quota answer (429 ``RESOURCE_EXHAUSTED`` / ``RATE_LIMIT_EXCEEDED``): the quota refills each minute."""
        return self.code == 429 or "RATE_LIMIT_EXCEEDED" in self.reasons or self.status == "RESOURCE_EXHAUSTED"

    @property
    def activation_url(self) -> str:
        """Where the API is enabled: the answer's own ``activationUrl``, else built from its consumer project."""
        if self.metadata.get("activationUrl"):
            return self.metadata["activationUrl"]
        project = self.metadata.get("consumer", "").removeprefix("projects/")
        service = self.metadata.get("service", "sheets.googleapis.com")
        if not project:
            found = re.search(r"project[ =](\d+)", self.message)
            project = found.group(1) if found else ""
        return f"https://console.developers.google.com/apis/api/{service}/overview?project={project}"


def service_disabled(refusal: Refusal) -> ServiceDisabled:
    """The message for an API not enabled: which project, and the console page to enable it on."""
    service = refusal.metadata.get("service", "sheets.googleapis.com")
    return ServiceDisabled(
        T(
            (
                "{service} chưa được bật trong dự án Google Cloud của tài khoản dịch vụ (không phải lỗi chia sẻ). "
                "Hãy mở {url}, bấm Bật (Enable), đợi vài phút rồi chạy lại."
            ),
            service=service,
            url=refusal.activation_url,
        ),
        detail=refusal.message[:300],
    )


def not_a_sheet(sheet_id: str) -> NotAGoogleSheet:
    """The message for an uploaded Excel file: what it is and how to make it a Google Sheet."""
    return NotAGoogleSheet(
        T(
            (
                "{sheet_id} là tệp Excel tải lên Drive (mở bằng Google Trang tính nhưng chưa chuyển đổi), nên Google "
                "Sheets API không đọc được. Hãy mở tệp, chọn Tệp › Lưu dưới dạng Google Trang tính, rồi dùng đường "
                "dẫn của bản mới."
            ),
            sheet_id=sheet_id,
        ),
    )


def token_refused(description: str, server_date: str | None, now: dt.datetime | None = None) -> CredentialsError:
    """The message for a refused token request: a wrong clock when Google says the JWT's time is off (compared
    with the server's ``Date`` header when there is one), otherwise a revoked or deleted key."""
    import re

    if re.search(r"short-lived|timeframe|\biat\b|\bexp\b", description):  # not "expired or revoked"
        return CredentialsError(clock_message(server_date, now), detail=description[:300])
    return CredentialsError(
        T("Google không chấp nhận khóa tài khoản dịch vụ (có thể khóa đã bị thu hồi): hãy tạo khóa mới."),
        detail=description[:300],
    )


def clock_message(server_date: str | None, now: dt.datetime | None = None) -> Message:
    """How far this computer's clock is from Google's, when Google's ``Date`` header is known."""
    from email.utils import parsedate_to_datetime

    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        server = parsedate_to_datetime(server_date) if server_date else None
    except (TypeError, ValueError):
        server = None
    if server is None or server.tzinfo is None:
        return T(
            (
                "Google từ chối vì đồng hồ máy tính này sai giờ (không phải do khóa). Hãy chỉnh ngày giờ và múi giờ "
                "của máy (đặt tự động), rồi chạy lại."
            ),
        )
    minutes = abs(round((now - server).total_seconds() / 60))
    return T(
        (
            "Google từ chối vì đồng hồ máy tính này lệch {minutes} phút so với giờ của Google ({server:%d/%m/%Y "
            "%H:%M} UTC), không phải do khóa. Hãy chỉnh ngày giờ và múi giờ của máy (đặt tự động), rồi chạy lại."
        ),
        minutes=minutes,
        server=server.astimezone(dt.timezone.utc),
    )


def retry_notice(attempt: int, problem: str, delay: float) -> Message:
    """What a person at a terminal is told while a request is being tried again."""
    return T(
        "Lần thử {attempt} chưa được ({problem}); thử lại sau {delay:.0f} giây …",
        attempt=attempt,
        problem=problem,
        delay=delay,
    )


# A request that never reached an answer: no network, a name not resolved, a connection cut or timed out.
_UNREACHED = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "Timeout",
    "SSLError",
    "ProxyError",
    "TransportError",
    "NameResolutionError",
)


def gave_up(attempt: int, problem: str, *, by_link: bool = False) -> Message:
    """Why a read of Google stopped after ``attempt`` tries; when no answer ever came (``problem`` is a failure to
    connect), what a person can check: the computer's Internet, or a network that blocks Google."""
    if problem in _UNREACHED:
        return T(
            "Không kết nối được tới Google sau {attempt} lần thử ({problem}): máy này chưa vào được Internet, hoặc "
            "mạng đang chặn Google. Kiểm tra kết nối rồi thử lại; sổ đã đọc trước đó vẫn dùng được với --offline.",
            attempt=attempt,
            problem=problem,
        )
    if by_link:
        return T(
            "Không tải được Google Sheet qua đường dẫn sau {attempt} lần thử ({problem}).",
            attempt=attempt,
            problem=problem,
        )
    return T("Không kết nối được Google Sheets sau {attempt} lần thử ({problem}).", attempt=attempt, problem=problem)


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it, as requests and urllib3 wrap one in another (at most ten deep)."""
    found: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(found) < 10:
        found.append(seen)
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    return found


def refused_connection(exc: BaseException) -> bool:
    """True when somewhere in the exception's chain a connection was refused (nothing listens there)."""
    return any(isinstance(e, ConnectionRefusedError) or "Connection refused" in str(e) for e in _chain(exc))


_NO_NAME = (
    "Name or service not known",
    "Temporary failure in name resolution",
    "nodename nor servname",
    "getaddrinfo failed",
)


UNRESOLVED_TRIES = 2  # a name lookup failing this many times in a row: no Internet (one failure may be a hiccup)


def unresolved(exc: BaseException) -> bool:
    """True when a host name could not be looked up (no Internet, or no name server): trying again in a few
    seconds will not help, so the read stops at once with ``gave_up``'s advice."""
    return any(isinstance(e, socket.gaierror) or any(m in str(e) for m in _NO_NAME) for e in _chain(exc))

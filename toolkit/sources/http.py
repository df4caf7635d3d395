"""Google's HTTP, with a retry that gives up: gspread's client with a timeout, a base URL override, a bounded
capped-exponential retry with jitter for 408, 429, 5xx, dropped connections and unreadable bodies, a 429 without
``Retry-After`` waiting for the quota's minute window, and refused tokens told apart (``answers.py``).

gspread 6.2's own backoff client never gives up, so it is not used. Drive v3 requests go through the same client
(their own quota: they take no turn in the Sheets read budget).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import gspread
import requests
from google.auth import exceptions as auth_exceptions

from ..core.config import RetryPolicy
from ..core.errors import NetworkError
from ..core.i18n import Message, T
from .answers import UNRESOLVED_TRIES, gave_up, refused_connection, retry_notice, token_refused, unresolved

if TYPE_CHECKING:
    from .budget import ReadBudget

DEFAULT_API = "https://sheets.googleapis.com"
DRIVE_API = "https://www.googleapis.com"  # Drive v3: files.get, files.list, alt=media
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class SheetsClient(gspread.HTTPClient):
    """gspread's HTTP client with a base URL override, a timeout and a bounded retry."""

    policy = RetryPolicy()
    api_base = DEFAULT_API
    token_uri = ""
    progress: Callable[[Message], None] = staticmethod(lambda message: None)
    REFUSED_TRIES = 3  # a port that refuses this many times in a row has nothing behind it
    budget: ReadBudget | None = None  # shared by the connections of a roll-up: requests wait their turn

    def request(
        self,
        method: str,
        endpoint: str,
        params: Any = None,
        data: Any = None,
        json: Any = None,
        files: Any = None,
        headers: Any = None,
    ) -> requests.Response:
        # Long: one retry loop; each kind of answer (timeout, dropped connection, 429 with or without Retry-After,
        # 5xx, a body that is not JSON) is handled beside the others so the deadline and the backoff stay in one place.
        drive = endpoint.startswith(DRIVE_API)
        url = endpoint.replace(DRIVE_API if drive else DEFAULT_API, self.api_base.rstrip("/"), 1)
        if drive and self.api_base == DEFAULT_API:
            url = endpoint  # Google's own Drive host; any other API address serves both (the emulator)
        deadline = time.monotonic() + self.policy.total
        attempt = refused = unnamed = 0
        asked = 0.0  # seconds the server asked to wait (Retry-After)
        media = isinstance(params, dict) and params.get("alt") == "media"  # a file's own bytes: streamed
        while True:
            attempt += 1
            if self.budget is not None and not drive:  # Drive's quota is its own, far larger
                deadline += self.budget.acquire()  # time waiting for the quota is not time failing
            problem: str
            try:
                response = self.session.request(
                    method=method,
                    url=url,
                    json=json,
                    params=params,
                    data=data,
                    files=files,
                    headers=headers,
                    timeout=self.policy.timeout,
                    stream=media,
                )
            except auth_exceptions.RefreshError as exc:
                if getattr(exc, "retryable", False):  # the token endpoint failed (5xx), it did not refuse
                    problem = f"token: {exc}"
                else:
                    raise token_refused(str(exc), self._server_date()) from exc
            except (requests.exceptions.RequestException, auth_exceptions.TransportError) as exc:
                problem = type(exc).__name__
                unnamed = unnamed + 1 if unresolved(exc) else 0
                if unnamed >= UNRESOLVED_TRIES:  # no name lookup works: no Internet here, waiting will not help
                    raise NetworkError(
                        gave_up(attempt, "NameResolutionError"), detail=f"{method.upper()} {url}"
                    ) from exc
                refused = refused + 1 if refused_connection(exc) else 0
                if refused >= self.REFUSED_TRIES:
                    token = isinstance(exc, auth_exceptions.TransportError)
                    where = f"token_uri {self.token_uri}" if token else self.api_base
                    raise NetworkError(
                        T(
                            ("Không có gì trả lời ở {where} (kết nối bị từ chối {refused} lần): kiểm tra địa chỉ này."),
                            where=where,
                            refused=refused,
                        ),
                        detail=f"{method.upper()} {url}",
                    ) from exc
            else:
                if response.ok:
                    if media:
                        return response  # a file's own bytes, not JSON: read by the caller
                    try:
                        response.json()
                        return response
                    except ValueError:
                        problem = "unreadable answer"
                elif response.status_code in RETRY_STATUS:
                    problem = f"HTTP {response.status_code}"
                    asked = _retry_after(response.headers.get("Retry-After"))
                    if response.status_code == 429:
                        if not asked:  # Google's quota answers carry no Retry-After: wait for the minute to refill
                            asked = self.budget.window if self.budget is not None else self.policy.quota_window
                            deadline += asked  # waiting for the quota is not failing
                        if self.budget is not None:
                            self.budget.hold(asked)  # every connection waits
                else:
                    raise gspread.exceptions.APIError(response)
            delay = self.policy.backoff(attempt, asked)
            asked = 0.0
            if time.monotonic() + delay >= deadline:
                raise NetworkError(gave_up(attempt, problem), detail=f"{method.upper()} {url}")
            self.progress(retry_notice(attempt, problem, delay))
            time.sleep(delay)

    def _server_date(self) -> str | None:
        """Google's clock, from the token host's ``Date`` header (one HEAD request), to compare with ours."""
        try:
            return requests.head(self.token_uri, timeout=min(5.0, self.policy.timeout)).headers.get("Date")
        except (requests.exceptions.RequestException, ValueError):
            return None


def _retry_after(value: str | None) -> float:
    """Seconds a ``Retry-After`` header asks for (a number, or an HTTP date), 0 when absent or unreadable."""
    if not value:
        return 0.0
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0

"""A small Google Sheets v4 emulator on 127.0.0.1 for tests: real HTTP, real response shapes.

It serves the endpoints the toolkit uses (``spreadsheets.get``, ``values:batchGet``,
``values:batchUpdate``, ``spreadsheets:batchUpdate``; Drive v3 ``files.list``, ``files.get`` and its
``alt=media`` download; the public ``export`` and ``pub`` links) and an OAuth token endpoint that verifies the
RS256 JWT assertion google-auth signs with the test key. It logs every request and can inject faults:
an HTTP status n times, a hang, a reset connection, a non-JSON or truncated body, a huge body, an
expired token.

Every refusal is Google's own answer, copied from Google's documentation or from a real response quoted in a
public bug report; each is a constant below with its source in a comment, and the tests name the constant.
Google's error model (https://cloud.google.com/apis/design/errors, https://google.aip.dev/193): a JSON body
``{"error": {"code", "message", "status", "details": [google.rpc.ErrorInfo {reason, domain, metadata}]}}``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_EMAIL = "toolkit-test@school-test.iam.gserviceaccount.com"
SCOPE = "https://www.googleapis.com/auth/spreadsheets"
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
PROJECT_NUMBER = "603366585132"
MIME_SHEET = "application/vnd.google-apps.spreadsheet"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# -- Google's answers, as documented or quoted --------------------------------------------------------------------

# An uploaded .xlsx opened in Sheets (Office editing): quoted in googleworkspace/php-samples#65
# (https://github.com/googleworkspace/php-samples/issues/65) and burnash/gspread#732
# (https://github.com/burnash/gspread/issues/732).
NOT_SUPPORTED_FOR_DOCUMENT = {
    "error": {
        "code": 400,
        "message": "This operation is not supported for this document",
        "errors": [
            {
                "message": "This operation is not supported for this document",
                "domain": "global",
                "reason": "failedPrecondition",
            }
        ],
        "status": "FAILED_PRECONDITION",
    }
}

# The Sheets API not enabled in the caller's Cloud project. Message quoted in home-assistant/core#79744
# (https://github.com/home-assistant/core/issues/79744) and googleapis/google-api-nodejs-client#1733; the
# ErrorInfo detail as Google's error model documents SERVICE_DISABLED (https://google.aip.dev/193,
# https://cloud.google.com/apis/design/errors#error_info: reason SERVICE_DISABLED, domain googleapis.com,
# metadata consumer/service; activationUrl as in the message).
ACTIVATION_URL = (
    f"https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project={PROJECT_NUMBER}"
)
SERVICE_DISABLED = {
    "error": {
        "code": 403,
        "message": (
            f"Google Sheets API has not been used in project {PROJECT_NUMBER} before or it is disabled. Enable it by "
            f"visiting {ACTIVATION_URL} then retry. If you enabled this API recently, wait a few minutes for the "
            "action to propagate to our systems and retry."
        ),
        "status": "PERMISSION_DENIED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
                "metadata": {
                    "consumer": f"projects/{PROJECT_NUMBER}",
                    "service": "sheets.googleapis.com",
                    "activationUrl": ACTIVATION_URL,
                },
            }
        ],
    }
}

# A token asked for with a wrong clock (iat/exp off by more than Google allows): quoted in
# googleapis/google-api-php-client#1501 (https://github.com/googleapis/google-api-php-client/issues/1501).
CLOCK_SKEW = {
    "error": "invalid_grant",
    "error_description": (
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat "
        "and exp values and use a clock with skew to account for clock differences between systems."
    ),
}

# The per-minute read quota exceeded: no Retry-After header. Message quoted in r-lib/gargle#160
# (https://github.com/r-lib/gargle/issues/160); the ErrorInfo per https://google.aip.dev/193 (RATE_LIMIT_EXCEEDED
# with quota_metric/quota_limit metadata); the minute window per https://developers.google.com/sheets/api/limits
# ("quotas are refilled every minute").
QUOTA_EXCEEDED = {
    "error": {
        "code": 429,
        "message": (
            "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service "
            f"'sheets.googleapis.com' for consumer 'project_number:{PROJECT_NUMBER}'."
        ),
        "status": "RESOURCE_EXHAUSTED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "quota_metric": "sheets.googleapis.com/read_requests",
                    "quota_limit": "ReadRequestsPerMinutePerUser",
                    "service": "sheets.googleapis.com",
                    "consumer": f"projects/{PROJECT_NUMBER}",
                },
            }
        ],
    }
}


def grid_limits(title: str, cell: str, rows: int, columns: int) -> dict:
    """A write beyond a tab's grid: quoted in home-assistant/core#104198
    (https://github.com/home-assistant/core/issues/104198) and cloudfour/lighthouse-parade#151."""
    return {
        "error": {
            "code": 400,
            "message": f"Range ({title}!{cell}) exceeds grid limits. Max rows: {rows}, max columns: {columns}",
            "status": "INVALID_ARGUMENT",
        }
    }


def duplicate_sheet_id(sheet_id: int) -> dict:
    """``addSheet`` with an id a tab already has: Google's documented rule (AddSheetRequest: "if set, the ID must not
    conflict with any existing sheet", https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request
    #addsheetrequest); the wording is deliberately not relied on by the toolkit."""
    return {
        "error": {
            "code": 400,
            "message": f"Invalid requests[0].addSheet: Sheet with id {sheet_id} already exists.",
            "status": "INVALID_ARGUMENT",
        }
    }


# A Drive file a request may not read (files.get / alt=media without access): Drive's documented 404
# (https://developers.google.com/drive/api/guides/handle-errors#resolve_a_404_error_file_not_found_fileid).
def drive_not_found(file_id: str) -> dict:
    return {
        "error": {
            "code": 404,
            "message": f"File not found: {file_id}.",
            "errors": [
                {
                    "message": f"File not found: {file_id}.",
                    "domain": "global",
                    "reason": "notFound",
                    "location": "fileId",
                    "locationType": "parameter",
                }
            ],
        }
    }


# A viewer downloading a file whose owner restricted downloads (downloadRestrictions.restrictedForReaders): Drive
# answers 403 with its documented insufficientFilePermissions body
# (https://developers.google.com/drive/api/guides/handle-errors#insufficient-file-permissions).
def download_disabled(file_id: str) -> dict:
    message = f"The user does not have sufficient permissions for file {file_id}."
    return {
        "error": {
            "code": 403,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "insufficientFilePermissions"}],
        }
    }


@dataclass
class Tab:
    """One tab: id, title and its cell values (rows of values, trailing blanks trimmed on read)."""

    sheet_id: int
    title: str
    values: list[list[object]] = field(default_factory=list)
    frozen_rows: int = 0
    protected: list[dict] = field(default_factory=list)
    validations: list[dict] = field(default_factory=list)
    rows: int = 1000  # the grid: a new tab is 1,000 rows × 26 columns
    columns: int = 26
    links: dict[tuple[int, int], dict] = field(default_factory=dict)  # (row, col) -> CellData hyperlink/chipRuns


@dataclass
class Spreadsheet:
    """A spreadsheet and who may read or edit it."""

    spreadsheet_id: str
    title: str
    tabs: list[Tab] = field(default_factory=list)
    readers: set[str] = field(default_factory=set)
    writers: set[str] = field(default_factory=lambda: {CLIENT_EMAIL})
    public: bool = False  # shared as "anyone with the link can view"
    mime: str = MIME_SHEET  # MIME_XLSX: an uploaded Excel file, opened in Sheets but not converted
    modified: float = field(default_factory=time.time)  # Drive's modifiedTime
    resource_key: str = ""  # a link-shared file that needs its resource key (Drive's 2021 security update)
    domain: str = ""  # shared with the link only inside this Workspace domain
    download_disabled: bool = False  # the owner stopped viewers from downloading, printing and copying
    published: str = ""  # the 2PACX… id of File › Share › Publish to web
    locale: str = "vi_VN"
    time_zone: str = "Asia/Ho_Chi_Minh"

    def tab(self, title: str) -> Tab | None:
        return next((t for t in self.tabs if t.title == title), None)


@dataclass
class Fault:
    """A fault for the next matching request: ``kind`` is status, hang, reset, garbage, truncated, big, or lost
    (carried out, but the answer is cut off); ``retry_after`` adds that header to a status answer."""

    kind: str
    status: int = 500
    seconds: float = 0.0
    times: int = 1
    target: str = "api"  # "api", "token", or "write" (only the API's POST requests)
    retry_after: str | None = None
    sheet: str | None = None  # only requests for this spreadsheet (None: any); such faults need not be first


class Emulator:
    """The running emulator: ``url``, ``key_file(path)``, ``sheets``, ``log``, ``faults``."""

    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.sheets: dict[str, Spreadsheet] = {}
        self.log: list[tuple[str, str, dict, object]] = []
        self.faults: deque[Fault] = deque()
        self.tokens: dict[str, float] = {}  # token -> expiry time
        self._emails: dict[str, str] = {}  # token -> service account
        self.expire_after: int | None = None  # API requests after which every token is refused
        self.token_lifetime = 3600
        self.lock = threading.Lock()
        self.quota: tuple[int, float] | None = None  # (reads, seconds): Google's per-user read quota, enforced
        self.reads: deque[float] = deque()  # when each read of the current quota window arrived
        self.throttled = 0  # reads answered 429 for going over the quota
        self.disabled = False  # the Sheets API is not enabled in the service account's project
        self.clock_offset = 0.0  # seconds Google's clock is ahead of this machine's (a wrong PC clock)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def key_file(self, path: Path, email: str = CLIENT_EMAIL) -> Path:
        """Write a service-account key whose ``token_uri`` is this emulator (mode 600)."""
        pem = self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        path.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": "school-test",
                    "private_key_id": "test-key-1",
                    "private_key": pem,
                    "client_email": email,
                    "client_id": "1000",
                    "token_uri": f"{self.url}/token",
                }
            )
        )
        path.chmod(0o600)
        return path

    def add(self, spreadsheet_id: str, tabs: dict[str, list[list[object]]], **kwargs: object) -> Spreadsheet:
        sheet = Spreadsheet(spreadsheet_id, "Sổ theo dõi", **kwargs)
        for index, (title, values) in enumerate(tabs.items()):
            width = max((len(r) for r in values), default=0)
            sheet.tabs.append(
                Tab(100 + index, title, [list(r) for r in values], rows=max(1000, len(values)), columns=max(26, width))
            )
        self.sheets[spreadsheet_id] = sheet
        return sheet

    def export_xlsx(self, sheet: Spreadsheet) -> bytes:
        """The sheet as Google's export writes it: every tab, numbers as numbers, text as text."""
        import io

        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for tab in sheet.tabs:
            ws = book.create_sheet(tab.title)
            for r, row in enumerate(tab.values, start=1):
                for c, value in enumerate(row, start=1):
                    if value not in ("", None):
                        ws.cell(row=r, column=c, value=value)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def reset(self) -> None:
        """Forget sheets, requests, faults and tokens (between tests)."""
        self.sheets.clear()
        self.log.clear()
        self.faults.clear()
        self.tokens.clear()
        self.expire_after = None
        self.quota = None
        self.reads.clear()
        self.throttled = 0
        self.disabled = False
        self.clock_offset = 0.0

    def api_requests(self) -> list[tuple[str, str]]:
        """(method, path) of every Sheets request (the token endpoint excluded)."""
        return [(m, p) for m, p, _, _ in self.log if p != "/token"]

    # -- the server ------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_HEAD(self) -> None:  # what any Google host answers a HEAD: no body, its Date header
                self.send_response(405)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def date_time_string(self, timestamp: float | None = None) -> str:
                return super().date_time_string(time.time() + emulator.clock_offset)

            def _serve(self, method: str) -> None:
                parsed = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                query = parse_qs(parsed.query)
                with emulator.lock:
                    emulator.log.append((method, parsed.path, query, raw))
                target = "token" if parsed.path == "/token" else "write" if method == "POST" else "api"
                sheet_match = re.match(r"^/v4/spreadsheets/([^/:]+)", parsed.path)
                fault = emulator._next_fault(target, sheet_match.group(1) if sheet_match else None)
                if target == "api" and parsed.path.startswith("/v4/") and emulator._over_quota():
                    self._send(429, json.dumps(QUOTA_EXCEEDED).encode())  # as Google: no Retry-After
                    return
                if fault and fault.kind == "lost":  # the request is carried out, its answer never arrives
                    emulator._route(method, parsed.path, query, raw, self.headers)
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                if fault and self._fault(fault):
                    return
                export = re.match(r"^/spreadsheets/d/([^/]+)/export$", parsed.path)
                if export and method == "GET":
                    self._export(emulator.sheets.get(export.group(1)), query)
                    return
                if parsed.path == "/uc" and method == "GET":  # Drive's webContentLink: a file's own bytes
                    self._upload(emulator.sheets.get((query.get("id") or [""])[0]), query)
                    return
                published = re.match(r"^/spreadsheets/d/e/([^/]+)/pub$", parsed.path)
                if published and method == "GET":
                    found = next((s for s in emulator.sheets.values() if s.published == published.group(1)), None)
                    self._export(found, {"format": query.get("output", [""])}, public=found is not None)
                    return
                if parsed.path.endswith("/ServiceLogin"):
                    self._send(200, b"<html><body>Sign in - Google Accounts</body></html>", "text/html")
                    return
                try:
                    status, body = emulator._route(method, parsed.path, query, raw, self.headers)
                except Exception as exc:  # an emulator bug shows as a 500 with the reason
                    status, body = 500, {"error": {"code": 500, "message": repr(exc), "status": "INTERNAL"}}
                if isinstance(body, tuple):  # ("bytes", content): a file's own bytes (Drive's alt=media)
                    self._send(status, body[1], MIME_XLSX)
                    return
                self._send(status, json.dumps(body).encode())

            def _fault(self, fault: Fault) -> bool:
                if fault.kind == "status":
                    self._send(
                        fault.status,
                        json.dumps(
                            {"error": {"code": fault.status, "message": "injected", "status": "UNAVAILABLE"}}
                        ).encode(),
                        extra={"Retry-After": fault.retry_after} if fault.retry_after else None,
                    )
                elif fault.kind == "hang":
                    time.sleep(fault.seconds)
                    self.close_connection = True
                elif fault.kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                elif fault.kind == "garbage":
                    self._send(200, b"<html>Service temporarily unavailable</html>", "text/html")
                elif fault.kind == "truncated":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b'{"valueRanges": [')
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                elif fault.kind == "big":
                    return False  # served normally, padded below
                return True

            def _export(self, sheet: Spreadsheet | None, query: dict, public: bool = False) -> None:
                """Google's export of a sheet shared by link: the whole workbook as .xlsx; otherwise the
                browser is sent to the sign-in page (an HTML page, with status 200 after the redirect), also for a
                sheet shared only inside a Workspace domain. A link-shared file that needs
                its resource key is served only with it (``resourcekey`` parameter, per
                https://developers.google.com/drive/api/guides/resource-keys); a file whose owner restricted
                downloads is refused with 403 (``download_disabled``)."""
                keyed = sheet is not None and (
                    not sheet.resource_key or query.get("resourcekey") == [sheet.resource_key]
                )
                shared = sheet is not None and (sheet.public or public) and not sheet.domain
                # Only Google Workspace documents are exported (files.export, documented at
                # https://developers.google.com/drive/api/reference/rest/v3/files/export): an uploaded file is not.
                native = sheet is not None and sheet.mime == MIME_SHEET
                if sheet is None or not shared or not keyed or not native or query.get("format") != ["xlsx"]:
                    self.send_response(302)
                    self.send_header("Location", "/ServiceLogin?continue=export")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if sheet.download_disabled:
                    self._send(403, json.dumps(download_disabled(sheet.spreadsheet_id)).encode())
                    return
                self._send(
                    200,
                    emulator.export_xlsx(sheet),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )

            def _upload(self, sheet: Spreadsheet | None, query: dict) -> None:
                """``uc?export=download&id=…`` (a file's ``webContentLink``, documented in the Drive files resource
                https://developers.google.com/drive/api/reference/rest/v3/files): the bytes of an uploaded file
                shared by link (with its resource key when it needs one); anything else, the sign-in page."""
                keyed = sheet is not None and (
                    not sheet.resource_key or query.get("resourcekey") == [sheet.resource_key]
                )
                if sheet is None or sheet.mime == MIME_SHEET or not sheet.public or sheet.domain or not keyed:
                    self.send_response(302)
                    self.send_header("Location", "/ServiceLogin?continue=uc")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._send(200, emulator.export_xlsx(sheet), MIME_XLSX)

            def _send(
                self,
                status: int,
                body: bytes,
                kind: str = "application/json; charset=UTF-8",
                extra: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def _next_fault(self, target: str, sheet_id: str | None = None) -> Fault | None:
        with self.lock:
            for fault in self.faults:  # a fault for one spreadsheet waits for it; the first other fault is next
                if fault.sheet is not None and fault.sheet == sheet_id:
                    break
                if fault.sheet is None:
                    if fault.target not in (target, "api" if target == "write" else target):
                        return None
                    break
            else:
                return None
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault

    def _over_quota(self) -> bool:
        """Count a read against the quota; True when it goes over (it is then refused)."""
        if self.quota is None:
            return False
        reads, seconds = self.quota
        with self.lock:
            now = time.monotonic()
            while self.reads and self.reads[0] <= now - seconds:
                self.reads.popleft()
            if len(self.reads) >= reads:
                self.throttled += 1
                return True
            self.reads.append(now)
            return False

    def _route(self, method: str, path: str, query: dict, raw: bytes, headers: object) -> tuple[int, object]:
        if path == "/token":
            return self._token(raw)
        auth = headers.get("Authorization", "")
        if self.expire_after is not None and len(self.api_requests()) > self.expire_after:
            self.expire_after = None
            self.expire_tokens()
        expiry = self.tokens.get(auth.removeprefix("Bearer "))
        if expiry is None or expiry < time.time():
            return 401, {
                "error": {
                    "code": 401,
                    "message": "Request had invalid authentication credentials.",
                    "status": "UNAUTHENTICATED",
                }
            }
        email = self._emails.get(auth.removeprefix("Bearer "), "")
        if path.startswith("/drive/v3/files"):
            return self._drive(path, query, email)
        if self.disabled:
            return 403, SERVICE_DISABLED
        match = re.match(r"^/v4/spreadsheets/([^/:]+)(.*)$", path)
        if not match:
            return 404, {"error": {"code": 404, "message": "Not found", "status": "NOT_FOUND"}}
        sheet = self.sheets.get(match.group(1))
        if sheet is None:
            return 404, {"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}}
        writing = method == "POST"
        allowed = sheet.writers if writing else sheet.writers | sheet.readers
        if email not in allowed:
            return 403, {
                "error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}
            }
        if sheet.mime != MIME_SHEET:
            return 400, NOT_SUPPORTED_FOR_DOCUMENT
        rest = match.group(2)
        body = json.loads(raw) if raw else {}
        if method == "GET" and rest == "":
            return 200, self._metadata(sheet, query)
        if method == "GET" and rest == "/values:batchGet":
            return self._batch_get(sheet, query)
        if method == "POST" and rest == "/values:batchUpdate":
            sheet.modified = time.time()
            return self._values_update(sheet, body)
        if method == "POST" and rest == ":batchUpdate":
            sheet.modified = time.time()
            return self._batch_update(sheet, body)
        return 404, {"error": {"code": 404, "message": f"no route {method} {rest}", "status": "NOT_FOUND"}}

    # -- OAuth -----------------------------------------------------------------------------------
    def _token(self, raw: bytes) -> tuple[int, object]:
        form = parse_qs(raw.decode())
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
            return 400, {"error": "unsupported_grant_type"}
        try:
            header_b64, payload_b64, signature_b64 = form["assertion"][0].split(".")
            header = json.loads(_b64(header_b64))
            claims = json.loads(_b64(payload_b64))
            self.private_key.public_key().verify(
                _b64(signature_b64), f"{header_b64}.{payload_b64}".encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except Exception:
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        now = time.time() + self.clock_offset
        # Google refuses an assertion issued more than a few minutes off its own clock (CLOCK_SKEW).
        if not claims.get("iat", 0) - 300 <= now <= claims.get("exp", 0) + 300:
            return 400, CLOCK_SKEW
        # google-auth addresses the assertion to Google's token endpoint whatever the token_uri, as Google checks.
        if (
            header.get("alg") != "RS256"
            or claims.get("aud") != GOOGLE_TOKEN_AUDIENCE
            or SCOPE not in claims.get("scope", "").split()
            or not claims.get("iat", 0) - 60 <= now
            or claims.get("exp", 0) < now
        ):
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT claims."}
        token = f"ya29.test-{len(self.tokens)}"
        self.tokens[token] = now + self.token_lifetime
        self._emails[token] = claims.get("iss", "")
        return 200, {"access_token": token, "expires_in": self.token_lifetime, "token_type": "Bearer"}

    def expire_tokens(self) -> None:
        """Make every issued token invalid (as when an hour has passed)."""
        for token in self.tokens:
            self.tokens[token] = 0

    # -- Sheets ----------------------------------------------------------------------------------
    def _metadata(self, sheet: Spreadsheet, query: dict | None = None) -> dict:
        """``spreadsheets.get``: properties and tabs; with ``ranges`` and ``includeGridData`` (or a ``fields`` mask
        naming ``data``), each range's cells with their ``hyperlink`` and ``chipRuns`` (CellData, as documented at
        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData)."""
        query = query or {}
        wanted = {_range_title(r) for r in query.get("ranges", [])}
        grid = query.get("includeGridData") == ["true"] or "data" in "".join(query.get("fields", []))
        sheets = []
        for i, t in enumerate(sheet.tabs):
            entry: dict = {
                "properties": {
                    "sheetId": t.sheet_id,
                    "title": t.title,
                    "index": i,
                    "sheetType": "GRID",
                    "gridProperties": {
                        "rowCount": t.rows,
                        "columnCount": t.columns,
                        "frozenRowCount": t.frozen_rows,
                    },
                },
                **({"protectedRanges": t.protected} if t.protected else {}),
            }
            if grid and (not wanted or t.title in wanted):
                rows = []
                for r, row in enumerate(t.values):
                    cells = []
                    for c, value in enumerate(row):
                        cell: dict = {"formattedValue": str(value)} if value not in ("", None) else {}
                        cell.update(t.links.get((r, c), {}))
                        cells.append(cell)
                    rows.append({"values": cells})
                entry["data"] = [{"startRow": 0, "startColumn": 0, "rowData": rows}]
            sheets.append(entry)
        return {
            "spreadsheetId": sheet.spreadsheet_id,
            "properties": {"title": sheet.title, "locale": sheet.locale, "timeZone": sheet.time_zone},
            "sheets": sheets,
        }

    # -- Drive v3 ----------------------------------------------------------------------------------
    def _drive(self, path: str, query: dict, email: str) -> tuple[int, object]:
        """Drive v3 ``files.list`` (``q`` with ``modifiedTime > '…'`` as documented at
        https://developers.google.com/drive/api/guides/search-files), ``files.get`` and ``files.get?alt=media``
        (https://developers.google.com/drive/api/reference/rest/v3/files/get); a file the caller may not read is
        Drive's documented 404 (``drive_not_found``)."""
        visible = [s for s in self.sheets.values() if email in s.readers | s.writers]
        if path == "/drive/v3/files":
            since = re.search(r"modifiedTime > '([^']+)'", (query.get("q") or [""])[0])
            after = dt.datetime.fromisoformat(since.group(1).replace("Z", "+00:00")).timestamp() if since else 0.0
            files = [self._drive_file(s) for s in visible if s.modified > after]
            size = int((query.get("pageSize") or ["100"])[0])
            start = int((query.get("pageToken") or ["0"])[0])
            answer: dict = {"kind": "drive#fileList", "incompleteSearch": False, "files": files[start : start + size]}
            if start + size < len(files):
                answer["nextPageToken"] = str(start + size)
            return 200, answer
        file_id = path.rsplit("/", 1)[1]
        sheet = next((s for s in visible if s.spreadsheet_id == file_id), None)
        if sheet is None:
            return 404, drive_not_found(file_id)
        if query.get("alt") == ["media"]:
            if sheet.mime == MIME_SHEET:  # Google files are exported, not downloaded: quoted in glotlabs/gdrive#3
                return 403, {
                    "error": {
                        "code": 403,
                        "message": "Only files with binary content can be downloaded. "
                        "Use Export with Docs Editors files.",
                        "errors": [
                            {
                                "domain": "global",
                                "location": "alt",
                                "locationType": "parameter",
                                "reason": "fileNotDownloadable",
                                "message": "Only files with binary content "
                                "can be downloaded. Use Export with Docs Editors files.",
                            }
                        ],
                    }
                }
            if sheet.download_disabled and email not in sheet.writers:
                return 403, download_disabled(file_id)
            return 200, ("bytes", self.export_xlsx(sheet))
        return 200, self._drive_file(sheet)

    @staticmethod
    def _drive_file(sheet: Spreadsheet) -> dict:
        stamp = dt.datetime.fromtimestamp(sheet.modified, dt.timezone.utc).isoformat(timespec="milliseconds")
        answer = {"id": sheet.spreadsheet_id, "mimeType": sheet.mime, "modifiedTime": stamp.replace("+00:00", "Z")}
        if sheet.resource_key:
            answer["resourceKey"] = sheet.resource_key
        return answer

    def _batch_get(self, sheet: Spreadsheet, query: dict) -> tuple[int, object]:
        ranges = []
        for spec in query.get("ranges", []):
            title = _range_title(spec)
            tab = sheet.tab(title)
            if tab is None:
                return 400, {
                    "error": {"code": 400, "message": f"Unable to parse range: {spec}", "status": "INVALID_ARGUMENT"}
                }
            rows = [_trim(r) for r in tab.values]
            while rows and not rows[-1]:
                rows.pop()
            width = max((len(r) for r in rows), default=0)
            entry = {"range": f"{_quote(title)}!A1:{_col(max(width, 1))}{max(len(rows), 1)}", "majorDimension": "ROWS"}
            if rows:
                entry["values"] = rows
            ranges.append(entry)
        answer = {"spreadsheetId": sheet.spreadsheet_id, "valueRanges": ranges}
        if self.faults and self.faults[0].kind == "big":
            self._next_fault("api")
            answer["padding"] = "x" * 2_000_000
        return 200, answer

    def _values_update(self, sheet: Spreadsheet, body: dict) -> tuple[int, object]:
        if body.get("valueInputOption") not in ("RAW", "USER_ENTERED"):
            return 400, {"error": {"code": 400, "message": "valueInputOption required", "status": "INVALID_ARGUMENT"}}
        updated = 0
        for data in body.get("data", []):
            title, row0, col0 = _range_start(data["range"])
            tab = sheet.tab(title)
            if tab is None:
                return 400, {
                    "error": {
                        "code": 400,
                        "message": f"Unable to parse range: {data['range']}",
                        "status": "INVALID_ARGUMENT",
                    }
                }
            values = data.get("values", [])
            last_row, last_col = row0 + len(values), col0 + max((len(v) for v in values), default=0)
            if last_row > tab.rows or last_col > tab.columns:
                return 400, grid_limits(_quote(title), f"{_col(last_col)}{last_row}", tab.rows, tab.columns)
            for r, row in enumerate(values):
                for c, value in enumerate(row):
                    if body["valueInputOption"] == "USER_ENTERED" and isinstance(value, str) and value[:1] in "=+":
                        value = {"formula": value}
                    _put(tab, row0 + r, col0 + c, value)
                    updated += 1
        return 200, {"spreadsheetId": sheet.spreadsheet_id, "totalUpdatedCells": updated}

    def _batch_update(self, sheet: Spreadsheet, body: dict) -> tuple[int, object]:
        """Every request or none (batchUpdate is atomic, as documented at
        https://developers.google.com/sheets/api/guides/batchupdate)."""
        import copy

        saved = (copy.deepcopy(sheet.tabs), sheet.locale, sheet.time_zone)
        status, answer = self._batch_update_all(sheet, body)
        if status != 200:
            sheet.tabs, sheet.locale, sheet.time_zone = saved
        return status, answer

    def _batch_update_all(self, sheet: Spreadsheet, body: dict) -> tuple[int, object]:
        replies = []
        for request in body.get("requests", []):
            ((kind, spec),) = request.items()
            if kind == "addSheet":
                props = spec.get("properties", {})
                if sheet.tab(props["title"]):
                    return 400, {
                        "error": {
                            "code": 400,
                            "message": f'A sheet with the name "{props["title"]}" already exists.',
                            "status": "INVALID_ARGUMENT",
                        }
                    }
                if "sheetId" in props and any(t.sheet_id == props["sheetId"] for t in sheet.tabs):
                    return 400, duplicate_sheet_id(props["sheetId"])
                grid = props.get("gridProperties", {})
                tab = Tab(
                    props.get("sheetId", 900 + len(sheet.tabs)),
                    props["title"],
                    frozen_rows=grid.get("frozenRowCount", 0),
                    rows=grid.get("rowCount", 1000),
                    columns=grid.get("columnCount", 26),
                )
                sheet.tabs.insert(min(props.get("index", len(sheet.tabs)), len(sheet.tabs)), tab)
                replies.append({"addSheet": {"properties": {"sheetId": tab.sheet_id, "title": tab.title}}})
                continue
            if kind == "updateSpreadsheetProperties":
                sheet.locale = spec["properties"].get("locale", sheet.locale)
                sheet.time_zone = spec["properties"].get("timeZone", sheet.time_zone)
                replies.append({})
                continue
            tab = next((t for t in sheet.tabs if t.sheet_id == _sheet_of(spec)), None)
            if tab is None:
                return 400, {
                    "error": {
                        "code": 400,
                        "message": f"No grid with id: {_sheet_of(spec)}",
                        "status": "INVALID_ARGUMENT",
                    }
                }
            if kind == "updateCells":
                start_row = spec["range"].get("startRowIndex", 0)
                rows = spec.get("rows", [])
                width = max((len(row.get("values", [])) for row in rows), default=0)
                if start_row + len(rows) > tab.rows or width > tab.columns:
                    cell = f"{_col(max(width, 1))}{start_row + len(rows)}"
                    return 400, grid_limits(_quote(tab.title), cell, tab.rows, tab.columns)
                if "userEnteredValue" in spec.get("fields", ""):
                    del tab.values[start_row:]
                for r, row in enumerate(spec.get("rows", [])):
                    for c, cell in enumerate(row.get("values", [])):
                        entered = cell.get("userEnteredValue")
                        if entered:
                            ((_, value),) = entered.items()
                            _put(tab, start_row + r, c, value)
            elif kind == "updateSheetProperties":
                grid = spec["properties"].get("gridProperties", {})
                tab.frozen_rows = grid.get("frozenRowCount", tab.frozen_rows)
                tab.rows, tab.columns = grid.get("rowCount", tab.rows), grid.get("columnCount", tab.columns)
            elif kind == "appendDimension":
                if spec["dimension"] == "ROWS":
                    tab.rows += spec["length"]
                else:
                    tab.columns += spec["length"]
            elif kind == "addProtectedRange":
                tab.protected.append(spec["protectedRange"])
            elif kind == "setDataValidation":
                tab.validations.append(spec)
            else:
                return 400, {
                    "error": {"code": 400, "message": f"unsupported request {kind}", "status": "INVALID_ARGUMENT"}
                }
            replies.append({})
        return 200, {"spreadsheetId": sheet.spreadsheet_id, "replies": replies}


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _range_title(spec: str) -> str:
    spec = unquote(spec)
    title = spec.split("!")[0] if not spec.startswith("'") else spec[1:].split("'!")[0].rstrip("'")
    return title.replace("''", "'")


def _range_start(spec: str) -> tuple[str, int, int]:
    title = _range_title(spec)
    cell = spec.rsplit("!", 1)[1] if "!" in spec else "A1"
    match = re.match(r"([A-Z]+)(\d+)", cell)
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return title, int(match.group(2)) - 1, col - 1


def _col(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _trim(row: list[object]) -> list[object]:
    row = list(row)
    while row and row[-1] in ("", None):
        row.pop()
    return ["" if v is None else v for v in row]


def _put(tab: Tab, row: int, col: int, value: object) -> None:
    while len(tab.values) <= row:
        tab.values.append([])
    cells = tab.values[row]
    while len(cells) <= col:
        cells.append("")
    cells[col] = value


def _sheet_of(spec: dict) -> int | None:
    for key in ("range", "properties", "protectedRange"):
        part = spec.get(key, {})
        if key == "protectedRange":
            part = part.get("range", {})
        if "sheetId" in part:
            return part["sheetId"]
    return None


def workbook_values(path: Path) -> dict[str, list[list[object]]]:
    """The tabs of an ``.xlsx`` as Sheets would return them: dates as serial numbers, blanks as ""."""
    from openpyxl import load_workbook

    epoch = dt.datetime(1899, 12, 30)
    tabs = {}
    for ws in load_workbook(path, data_only=True).worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            values = []
            for value in row:
                if isinstance(value, dt.datetime):
                    value = (value - epoch).days
                elif isinstance(value, dt.date):
                    value = (value - epoch.date()).days
                values.append("" if value is None else value)
            rows.append(values)
        tabs[ws.title] = rows
    return tabs

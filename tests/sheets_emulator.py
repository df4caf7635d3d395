"""A small Google Sheets v4 emulator on 127.0.0.1 for tests: real HTTP, real response shapes.

It serves the endpoints the toolkit uses (``spreadsheets.get``, ``values:batchGet``,
``values:batchUpdate``, ``spreadsheets:batchUpdate``) and an OAuth token endpoint that verifies the
RS256 JWT assertion google-auth signs with the test key. It logs every request and can inject faults:
an HTTP status n times, a hang, a reset connection, a non-JSON or truncated body, a huge body, an
expired token.
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


@dataclass
class Tab:
    """One tab: id, title and its cell values (rows of values, trailing blanks trimmed on read)."""

    sheet_id: int
    title: str
    values: list[list[object]] = field(default_factory=list)
    frozen_rows: int = 0
    protected: list[dict] = field(default_factory=list)
    validations: list[dict] = field(default_factory=list)


@dataclass
class Spreadsheet:
    """A spreadsheet and who may read or edit it."""

    spreadsheet_id: str
    title: str
    tabs: list[Tab] = field(default_factory=list)
    readers: set[str] = field(default_factory=set)
    writers: set[str] = field(default_factory=lambda: {CLIENT_EMAIL})
    public: bool = False  # shared as "anyone with the link can view"

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
            sheet.tabs.append(Tab(100 + index, title, [list(r) for r in values]))
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
                if target == "api" and emulator._over_quota() and emulator.quota:
                    fault = Fault("status", 429, retry_after=f"{emulator.quota[1] / 60:.3f}")  # a second of a minute
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
                    self._export(export.group(1), query)
                    return
                if parsed.path == "/ServiceLogin":
                    self._send(200, b"<html><body>Sign in - Google Accounts</body></html>", "text/html")
                    return
                try:
                    status, body = emulator._route(method, parsed.path, query, raw, self.headers)
                except Exception as exc:  # an emulator bug shows as a 500 with the reason
                    status, body = 500, {"error": {"code": 500, "message": repr(exc), "status": "INTERNAL"}}
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

            def _export(self, sheet_id: str, query: dict) -> None:
                """Google's export of a sheet shared by link: the whole workbook as .xlsx; otherwise the
                browser is sent to the sign-in page (an HTML page, with status 200 after the redirect)."""
                sheet = emulator.sheets.get(sheet_id)
                if sheet is None or not sheet.public or query.get("format") != ["xlsx"]:
                    self.send_response(302)
                    self.send_header("Location", "/ServiceLogin?continue=export")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._send(
                    200,
                    emulator.export_xlsx(sheet),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )

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
        match = re.match(r"^/v4/spreadsheets/([^/:]+)(.*)$", path)
        if not match:
            return 404, {"error": {"code": 404, "message": "Not found", "status": "NOT_FOUND"}}
        sheet = self.sheets.get(match.group(1))
        if sheet is None:
            return 404, {"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}}
        email = self._emails.get(auth.removeprefix("Bearer "), "")
        writing = method == "POST"
        allowed = sheet.writers if writing else sheet.writers | sheet.readers
        if email not in allowed:
            return 403, {
                "error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}
            }
        rest = match.group(2)
        body = json.loads(raw) if raw else {}
        if method == "GET" and rest == "":
            return 200, self._metadata(sheet)
        if method == "GET" and rest == "/values:batchGet":
            return self._batch_get(sheet, query)
        if method == "POST" and rest == "/values:batchUpdate":
            return self._values_update(sheet, body)
        if method == "POST" and rest == ":batchUpdate":
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
        now = time.time()
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
    def _metadata(self, sheet: Spreadsheet) -> dict:
        return {
            "spreadsheetId": sheet.spreadsheet_id,
            "properties": {"title": sheet.title, "locale": "vi_VN"},
            "sheets": [
                {
                    "properties": {
                        "sheetId": t.sheet_id,
                        "title": t.title,
                        "index": i,
                        "sheetType": "GRID",
                        "gridProperties": {
                            "rowCount": max(1000, len(t.values)),
                            "columnCount": 26,
                            "frozenRowCount": t.frozen_rows,
                        },
                    },
                    **({"protectedRanges": t.protected} if t.protected else {}),
                }
                for i, t in enumerate(sheet.tabs)
            ],
        }

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
            for r, row in enumerate(data.get("values", [])):
                for c, value in enumerate(row):
                    if body["valueInputOption"] == "USER_ENTERED" and isinstance(value, str) and value[:1] in "=+":
                        value = {"formula": value}
                    _put(tab, row0 + r, col0 + c, value)
                    updated += 1
        return 200, {"spreadsheetId": sheet.spreadsheet_id, "totalUpdatedCells": updated}

    def _batch_update(self, sheet: Spreadsheet, body: dict) -> tuple[int, object]:
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
                tab = Tab(
                    props.get("sheetId", 900 + len(sheet.tabs)),
                    props["title"],
                    frozen_rows=props.get("gridProperties", {}).get("frozenRowCount", 0),
                )
                sheet.tabs.insert(min(props.get("index", len(sheet.tabs)), len(sheet.tabs)), tab)
                replies.append({"addSheet": {"properties": {"sheetId": tab.sheet_id, "title": tab.title}}})
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
                if "userEnteredValue" in spec.get("fields", ""):
                    del tab.values[start_row:]
                for r, row in enumerate(spec.get("rows", [])):
                    for c, cell in enumerate(row.get("values", [])):
                        entered = cell.get("userEnteredValue")
                        if entered:
                            ((_, value),) = entered.items()
                            _put(tab, start_row + r, c, value)
            elif kind == "updateSheetProperties":
                tab.frozen_rows = spec["properties"].get("gridProperties", {}).get("frozenRowCount", tab.frozen_rows)
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

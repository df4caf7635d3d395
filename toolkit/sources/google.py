"""Reading and writing a Google Sheet through gspread's client (``http.py``: timeouts, a retry that gives up).

The normal read is one ``values:batchGet`` of every tab (unformatted values, dates as serial numbers);
a metadata call is made only when a tab is missing or renamed. Refusals are told apart by their body
(``answers.py``); an uploaded Excel file is read from its Drive download (size-capped and read as ``public.py``
reads one); the ``Kiểm tra`` tab is written RAW, its grid grown in the same batch when it must hold more than a new
tab's 1,000 × 26.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import gspread
import requests
from google.auth.transport.requests import AuthorizedSession

from ..core.a1 import quote_tab
from ..core.config import RetryPolicy, SourceOptions
from ..core.errors import CredentialsError, NetworkError, PermissionDenied, SourceError
from ..core.i18n import Message, T
from ..core.text import fold
from ..workbook.schema import CHECK, TABS, Tab, find_tab
from ..workbook.tables import RawSheet, RawWorkbook
from . import credentials
from .answers import Refusal, not_a_sheet, retry_notice, service_disabled
from .credentials import ServiceAccount
from .http import DEFAULT_API, DRIVE_API, SheetsClient
from .public import limited, read_downloaded

__all__ = ["DEFAULT_API", "GoogleSheets", "NetworkError", "RetryPolicy", "SheetsClient", "connect", "retry_notice"]

if TYPE_CHECKING:
    from . import Source

CELL_CHARACTERS = 50_000  # Google Sheets' limit for one cell
GRID_ROWS, GRID_COLUMNS = 1000, 26  # a new tab's grid (Sheets' default), which writes may not go beyond
READ_PARAMS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}


class GoogleSheets:
    """One connection to Google Sheets as one service account."""

    def __init__(
        self,
        account: ServiceAccount,
        *,
        api: str | None = None,
        policy: RetryPolicy | None = None,
        progress: Callable[[Message], None] | None = None,
    ) -> None:
        self.account = account
        policy = policy or RetryPolicy.from_env()
        session = AuthorizedSession(account.credentials, refresh_timeout=policy.timeout)
        self.http = SheetsClient(account.credentials, session)
        self.http.policy = policy
        self.http.api_base = api or os.environ.get("TOOLKIT_SHEETS_API") or DEFAULT_API
        self.http.token_uri = str(getattr(account.credentials, "_token_uri", "") or "")
        if progress is not None:
            self.http.progress = progress

    # -- reading ---------------------------------------------------------------------------------
    def read(self, sheet_id: str, layout: tuple[Tab, ...] = TABS) -> tuple[RawWorkbook, dict[str, int]]:
        """Every tab of ``layout`` (a school's workbook unless told) the sheet has, and the size (rows) of
        each tab found; one request normally."""
        tabs = (*(tab for tab in layout if tab.is_input), CHECK)
        wanted = [tab.name for tab in tabs]
        try:
            titles, contents = wanted, self._batch_get(sheet_id, wanted)
        except gspread.exceptions.APIError as exc:
            refusal = _refusal(exc)
            if exc.response.status_code != 400 or refusal.not_a_sheet:  # 400: a tab missing or renamed
                raise self._api_error(sheet_id, exc) from exc
            titles = [t for t in self.titles(sheet_id) if find_tab(t, layout) in tabs]
            contents = self.values(sheet_id, titles)
        sheets, sizes = [], {}
        for title, values in zip(titles, contents, strict=False):
            rows = [list(row) for row in values]
            sizes[title] = len(rows)
            if find_tab(title, layout) is not CHECK:
                sheets.append(RawSheet(title, rows))
        return RawWorkbook(f"gsheet:{sheet_id}", sheets), sizes

    def titles(self, sheet_id: str) -> list[str]:
        """The titles of the sheet's tabs (one metadata request)."""
        meta = self.metadata(sheet_id)
        return [sheet["properties"]["title"] for sheet in meta.get("sheets", [])]

    def metadata(self, sheet_id: str) -> dict:
        """The spreadsheet's metadata: tabs with their ids and sizes, no cell data."""
        return self._call(
            sheet_id,
            self.http.fetch_sheet_metadata,
            sheet_id,
            params={
                "includeGridData": "false",
                "fields": "spreadsheetId,properties.title,sheets(properties,protectedRanges)",
            },
        )

    def cells(self, sheet_id: str, range_: str, fields: str) -> dict:
        """``spreadsheets.get`` of one range's cells with the given ``fields`` mask (links, chips)."""
        params = {"includeGridData": "false", "ranges": range_, "fields": fields}
        return self._call(sheet_id, self.http.fetch_sheet_metadata, sheet_id, params=params)

    # -- writing ---------------------------------------------------------------------------------
    def write_check_tab(
        self, sheet_id: str, rows: list[list[str]], previous_rows: int | None, title: str = CHECK.name
    ) -> None:
        """Rewrite the ``Kiểm tra`` tab whole; values are written RAW (never formulas).

        ``previous_rows`` is its size as read (None when the tab does not exist: it is created); ``title``
        is the tab's name as the sheet spells it (``Kiem tra``, ``KIỂM TRA `` …). Normally one request. A tab is
        1,000 rows × 26 columns unless grown: more rows than that, or a refused write, take one metadata read and
        one batch that grows the grid and writes the cells together.
        """
        width = max(len(r) for r in rows)
        rows = [[cell[:CELL_CHARACTERS] for cell in row] for row in rows]
        if previous_rows is not None:
            padded = [r + [""] * (width - len(r)) for r in rows]
            padded += [[""] * width for _ in range(max(0, previous_rows - len(rows)))]
            if len(padded) <= GRID_ROWS and width <= GRID_COLUMNS:
                body = {"valueInputOption": "RAW", "data": [{"range": f"{quote_tab(title)}!A1", "values": padded}]}
                try:
                    self.http.values_batch_update(sheet_id, body)
                    return
                except gspread.exceptions.APIError as exc:
                    if exc.response.status_code != 400:  # a 400: the grid is smaller than the default
                        raise self._api_error(sheet_id, exc) from exc
            self._rewrite(sheet_id, padded, self._check_tab(sheet_id))
            return
        # The same id for the same sheet: a creation retried after a lost answer finds its own tab.
        sheet_number = 10_000_000 + zlib.crc32(f"{sheet_id}/{CHECK.name}".encode()) % 1_000_000_000
        body = {
            "requests": [
                {
                    "addSheet": {
                        "properties": {
                            "sheetId": sheet_number,
                            "title": CHECK.name,
                            "gridProperties": {
                                "frozenRowCount": 1,
                                "rowCount": max(GRID_ROWS, len(rows)),
                                "columnCount": max(GRID_COLUMNS, width),
                            },
                        }
                    }
                },
                {
                    "updateCells": {
                        "range": {"sheetId": sheet_number},
                        "rows": _cells(rows),
                        "fields": "userEnteredValue",
                    }
                },
            ]
        }
        try:
            self.http.batch_update(sheet_id, body)
        except gspread.exceptions.APIError as exc:
            if exc.response.status_code != 400:
                raise self._api_error(sheet_id, exc) from exc
            # A 400 whatever its wording: an earlier attempt was carried out but its answer lost, or the id is
            # taken. The sheet's tabs say which, and the rows go to the check tab found or made.
            self._rewrite(sheet_id, rows, self._check_tab(sheet_id))

    def _check_tab(self, sheet_id: str) -> tuple[int, int, int, bool]:
        """The check tab's (sheetId, rows, columns, exists) from the metadata; when it is missing, a free id."""

        sheets = [sheet["properties"] for sheet in self.metadata(sheet_id).get("sheets", [])]
        for props in sheets:
            if fold(props["title"]) == fold(CHECK.name):
                grid = props.get("gridProperties", {})
                return props["sheetId"], grid.get("rowCount", GRID_ROWS), grid.get("columnCount", GRID_COLUMNS), True
        taken = {props.get("sheetId") for props in sheets}
        return next(n for n in range(20_000_000, 30_000_000) if n not in taken), 0, 0, False

    def _rewrite(self, sheet_id: str, rows: list[list[str]], tab: tuple[int, int, int, bool]) -> None:
        """One batch: the tab added or its grid grown to hold ``rows``, then its cells written."""
        number, have_rows, have_columns, exists = tab
        width = max(len(r) for r in rows)
        grid = {
            "frozenRowCount": 1,
            "rowCount": max(have_rows, len(rows), GRID_ROWS),
            "columnCount": max(have_columns, width, GRID_COLUMNS),
        }
        first: dict = (
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": number, "gridProperties": grid},
                    "fields": "gridProperties.frozenRowCount,gridProperties.rowCount,gridProperties.columnCount",
                }
            }
            if exists
            else {"addSheet": {"properties": {"sheetId": number, "title": CHECK.name, "gridProperties": grid}}}
        )
        cells = {"updateCells": {"range": {"sheetId": number}, "rows": _cells(rows), "fields": "userEnteredValue"}}
        self._call(sheet_id, self.http.batch_update, sheet_id, {"requests": [first, cells]})

    def batch_update(self, sheet_id: str, requests_: list[dict]) -> dict:
        """One ``spreadsheets:batchUpdate`` with the given requests."""
        return self._call(sheet_id, self.http.batch_update, sheet_id, {"requests": requests_})

    def values(self, sheet_id: str, titles: list[str]) -> list[list[list[object]]]:
        """The values of the named tabs, in one ``values:batchGet``."""
        if not titles:
            return []
        try:
            return self._batch_get(sheet_id, titles)
        except gspread.exceptions.APIError as exc:
            raise self._api_error(sheet_id, exc) from exc

    def _batch_get(self, sheet_id: str, titles: list[str]) -> list[list[list[object]]]:
        """One ``values:batchGet`` of whole tabs; gspread's ``APIError`` is left to the caller."""
        answer = self.http.values_batch_get(sheet_id, [quote_tab(t) for t in titles], params=dict(READ_PARAMS))
        return [value_range.get("values", []) for value_range in answer.get("valueRanges", [])]

    # -- errors ----------------------------------------------------------------------------------
    def _call(self, sheet_id: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except gspread.exceptions.APIError as exc:
            raise self._api_error(sheet_id, exc) from exc

    def _api_error(self, sheet_id: str, exc: gspread.exceptions.APIError) -> SourceError:
        status = exc.response.status_code
        email = self.account.client_email
        refusal = _refusal(exc)
        if refusal.service_disabled:
            return service_disabled(refusal)
        if refusal.not_a_sheet:
            return not_a_sheet(sheet_id)
        if status == 403:
            return PermissionDenied(
                T(
                    (
                        "Không có quyền truy cập Google Sheet {sheet_id}: hãy chia sẻ trang tính với "
                        "{email} (quyền Người chỉnh sửa)."
                    ),
                    sheet_id=sheet_id,
                    email=email,
                ),
            )
        if status == 404:
            return SourceError(
                T("Không có Google Sheet {sheet_id}: hãy kiểm tra lại đường dẫn.", sheet_id=sheet_id),
            )
        if status == 401:
            return CredentialsError(
                T("Google không chấp nhận khóa tài khoản dịch vụ: hãy tạo khóa mới."),
            )
        message = refusal.message[:300]
        return SourceError(T("Google Sheets trả lỗi {status}: {message}", status=status, message=message))

    def month_first_locale(self, sheet_id: str, raw: RawWorkbook) -> Message | None:
        """A warning when the sheet holds dates and its locale reads a typed date month first (a sheet made from
        an English-language account is en_US: 05/10/2023 typed becomes 10 May); one metadata request."""
        if not _holds_dates(raw):
            return None
        params = {"includeGridData": "false", "fields": "properties(locale,timeZone)"}
        locale = str(
            self._call(sheet_id, self.http.fetch_sheet_metadata, sheet_id, params=params)
            .get("properties", {})
            .get("locale", "")
        )
        if not _month_first(locale):
            return None
        return T(
            (
                "Cảnh báo: bảng tính đặt ngôn ngữ {locale}, nên ngày gõ dạng 05/10/2023 được hiểu là tháng/ngày "
                "(10 tháng 5). Hãy chọn Tệp › Cài đặt › Ngôn ngữ: Việt Nam (hoặc chạy init-sheet), rồi kiểm tra lại "
                "các ngày đã gõ."
            ),
            locale=locale,
        )

    # -- Drive ---------------------------------------------------------------------------------
    def drive(self, path: str, params: dict[str, str] | None = None) -> requests.Response:
        """One Drive v3 GET (``files/…``), with the same retries; gspread's ``APIError`` is left to the caller."""
        return self.http.request("get", f"{DRIVE_API}/drive/v3/{path}", params=params)

    def download(self, sheet_id: str) -> requests.Response:
        """The file's own bytes (an uploaded Excel file), through Drive's ``files.get?alt=media``, as a streamed
        response (``public.limited`` reads it, refusing it past ``public.MAX_BYTES``)."""
        try:
            return self.drive(f"files/{sheet_id}", {"alt": "media", "supportsAllDrives": "true"})
        except gspread.exceptions.APIError as exc:
            raise self._api_error(sheet_id, exc) from exc


FIRST_SERIAL, LAST_SERIAL = 32_874, 62_091  # 1 Jan 1990 … 31 Dec 2069 as date serial numbers


def _holds_dates(raw: RawWorkbook) -> bool:
    """True when some cell is a whole number in the range of date serials (how a read sees a typed date)."""
    return any(
        isinstance(v, (int, float)) and not isinstance(v, bool) and FIRST_SERIAL <= v <= LAST_SERIAL and v == int(v)
        for sheet in raw.sheets
        for row in sheet.rows
        for v in row
    )


def _month_first(locale: str) -> bool:
    """True when the locale's short date puts the month before the day (en_US ``M/d/yy``; vi_VN is day first)."""
    from babel import Locale, UnknownLocaleError

    try:
        pattern = Locale.parse(locale.replace("-", "_")).date_formats["short"].pattern
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    month, day = pattern.find("M"), pattern.find("d")
    return 0 <= month < day


def _cells(rows: list[list[str]]) -> list[dict]:
    """Rows of text as Sheets ``RowData`` (string values: never formulas)."""
    return [{"values": [{"userEnteredValue": {"stringValue": str(v)}} for v in row]} for row in rows]


def read_upload(google: GoogleSheets, source: Source, refused: SourceError, options: SourceOptions) -> RawWorkbook:
    """An uploaded Excel file opened in Sheets, read from its download (Drive) like a local workbook, saying so;
    when it cannot be downloaded either, the refusal that says how to make it a Google Sheet."""
    try:
        response = google.download(source.value)
    except SourceError as exc:
        raise refused from exc
    with response:  # capped as the public link's download is
        data = limited(response)
    return read_downloaded(data, source, options, uploaded=True)


def _refusal(exc: gspread.exceptions.APIError) -> Refusal:
    """The error body gspread parsed (``{"code": -1, …}`` when it was not JSON), read as a ``Refusal``."""
    return Refusal.of(exc.response.status_code, exc.error if isinstance(exc.error, dict) else {})


def connect(options: SourceOptions) -> GoogleSheets:
    """A connection as the service account the options name, with their API address, limits and progress."""

    return GoogleSheets(
        credentials.load(options.credentials, options.notify),
        api=options.api,
        policy=options.policy,
        progress=options.progress,
    )

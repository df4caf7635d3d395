r"""Service-account credentials for Google Sheets: found, checked and loaded, never printed.

Where the key is looked for: ``--credentials``, then ``$GOOGLE_APPLICATION_CREDENTIALS``, then gspread's
``~/.config/gspread/service_account.json`` (``%APPDATA%\gspread\`` on Windows). Every failure names the
file, never its content.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import CredentialsError
from ..core.i18n import Notify, T

if TYPE_CHECKING:
    from google.oauth2.service_account import Credentials

# Sheets to read and write; Drive read-only to download an uploaded Excel file and to ask which sheets changed.
SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.readonly")


@dataclass(frozen=True)
class ServiceAccount:
    """A loaded key: the google-auth credentials and the e-mail to share sheets with."""

    credentials: Credentials
    client_email: str
    path: Path


def key_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The key file to use, by the documented order of places."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if env:
        return Path(env).expanduser()
    from gspread.auth import DEFAULT_SERVICE_ACCOUNT_FILENAME  # ~/.config/gspread, %APPDATA%\gspread on Windows

    return Path(DEFAULT_SERVICE_ACCOUNT_FILENAME)


MAX_KEY_BYTES = 64 * 1024  # a real key is about 2 KB


def _check_token_uri(path: Path, uri: object) -> None:
    """A ``token_uri`` that can never work fails now, naming the field, instead of being retried."""
    if uri is None:
        return  # google-auth then uses Google's
    from urllib.parse import urlsplit

    parts = urlsplit(uri) if isinstance(uri, str) else None
    local = parts is not None and parts.hostname in ("localhost", "127.0.0.1", "::1")
    if (
        parts is None
        or not parts.hostname
        or parts.scheme not in ("https", "http")
        or (parts.scheme == "http" and not local)
    ):
        raise CredentialsError(
            T(
                (
                    'Mục "token_uri" trong {path} không phải địa chỉ https dùng được ({uri!r}): hãy '
                    "tải lại khóa từ Google Cloud."
                ),
                path=path,
                uri=uri,
            ),
        )


def load(explicit: str | os.PathLike[str] | None = None, notify: Notify | None = None) -> ServiceAccount:
    """Load and check the service-account key; raise ``CredentialsError`` with a message that helps."""
    path = key_path(explicit)
    if not path.exists():
        raise CredentialsError(
            T(
                (
                    "Không tìm thấy tệp khóa tài khoản dịch vụ {path}. Tạo khóa (JSON) cho tài khoản "
                    "dịch vụ trên Google Cloud, rồi chỉ đường dẫn bằng --credentials hoặc "
                    "GOOGLE_APPLICATION_CREDENTIALS."
                ),
                path=path,
            ),
        )
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):  # a FIFO would hang, a device would never end
            raise CredentialsError(T("{path} không phải một tệp khóa bình thường.", path=path))
        if path.stat().st_size > MAX_KEY_BYTES:
            raise CredentialsError(
                T("{path} quá lớn để là một khóa tài khoản dịch vụ.", path=path),
            )
        text = path.read_text(encoding="utf-8-sig")  # a key saved by Notepad starts with a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(T("Không đọc được tệp khóa {path}.", path=path), detail=type(exc).__name__) from exc
    try:
        info = json.loads(text)
    except ValueError:
        info = None
    if (
        not isinstance(info, dict)
        or info.get("type") != "service_account"
        or not info.get("private_key")
        or not info.get("client_email")
    ):
        raise CredentialsError(
            T(
                ('{path} không phải khóa tài khoản dịch vụ Google (cần tệp JSON có "type": "service_account").'),
                path=path,
            ),
        )
    _check_token_uri(path, info.get("token_uri"))
    if notify and os.name == "posix" and mode & (stat.S_IRGRP | stat.S_IROTH):
        notify(
            T("Cảnh báo: tệp khóa {path} người khác đọc được; hãy chạy: chmod 600 {path}", path=path),
        )
    from google.oauth2.service_account import Credentials

    try:
        credentials = Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except (ValueError, KeyError) as exc:
        raise CredentialsError(
            T("Khóa trong {path} bị hỏng: hãy tạo khóa mới.", path=path),
            detail=type(exc).__name__,
        ) from exc
    return ServiceAccount(credentials, info["client_email"], path)

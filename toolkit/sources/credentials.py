r"""Service-account credentials for Google Sheets: found, checked and loaded, never printed.

Where the key is looked for: ``--credentials``, then ``$GOOGLE_APPLICATION_CREDENTIALS``, then gspread's
``~/.config/gspread/service_account.json`` (``%APPDATA%\gspread\`` on Windows). Every failure names the
file, never its content.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CredentialsError

if TYPE_CHECKING:
    from google.oauth2.service_account import Credentials

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
Notify = Callable[[str, str], None]  # (Vietnamese, English) notice for people


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
            f'Mục "token_uri" trong {path} không phải địa chỉ https dùng được ({uri!r}): hãy '
            "tải lại khóa từ Google Cloud.",
            f'The "token_uri" field of {path} is not a usable https address ({uri!r}): '
            "download the key again from Google Cloud.",
        )


def load(explicit: str | os.PathLike[str] | None = None, notify: Notify | None = None) -> ServiceAccount:
    """Load and check the service-account key; raise ``CredentialsError`` with a message that helps."""
    path = key_path(explicit)
    if not path.exists():
        raise CredentialsError(
            f"Không tìm thấy tệp khóa tài khoản dịch vụ {path}. Tạo khóa (JSON) cho tài khoản dịch vụ trên Google "
            "Cloud, rồi chỉ đường dẫn bằng --credentials hoặc GOOGLE_APPLICATION_CREDENTIALS.",
            f"Service-account key file {path} not found. Create a JSON key for a service account in Google Cloud "
            "and point to it with --credentials or GOOGLE_APPLICATION_CREDENTIALS.",
        )
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):  # a FIFO would hang, a device would never end
            raise CredentialsError(f"{path} không phải một tệp khóa bình thường.", f"{path} is not a regular key file.")
        if path.stat().st_size > MAX_KEY_BYTES:
            raise CredentialsError(
                f"{path} quá lớn để là một khóa tài khoản dịch vụ.",
                f"{path} is far too large to be a service-account key.",
            )
        text = path.read_text(encoding="utf-8-sig")  # a key saved by Notepad starts with a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(
            f"Không đọc được tệp khóa {path}.", f"Cannot read the key file {path}.", detail=type(exc).__name__
        ) from exc
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
            f'{path} không phải khóa tài khoản dịch vụ Google (cần tệp JSON có "type": "service_account").',
            f'{path} is not a Google service-account key (a JSON file with "type": "service_account").',
        )
    _check_token_uri(path, info.get("token_uri"))
    if notify and os.name == "posix" and mode & (stat.S_IRGRP | stat.S_IROTH):
        notify(
            f"Cảnh báo: tệp khóa {path} người khác đọc được; hãy chạy: chmod 600 {path}",
            f"Warning: the key file {path} is readable by others; run: chmod 600 {path}",
        )
    from google.oauth2.service_account import Credentials

    try:
        credentials = Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except (ValueError, KeyError) as exc:
        raise CredentialsError(
            f"Khóa trong {path} bị hỏng: hãy tạo khóa mới.",
            f"The key in {path} is damaged: create a new key.",
            detail=type(exc).__name__,
        ) from exc
    return ServiceAccount(credentials, info["client_email"], path)

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

from ..errors import CredentialsError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
Notify = Callable[[str, str], None]  # (Vietnamese, English) notice for people


@dataclass(frozen=True)
class ServiceAccount:
    """A loaded key: the google-auth credentials and the e-mail to share sheets with."""

    credentials: object  # google.oauth2.service_account.Credentials
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


def load(explicit: str | os.PathLike[str] | None = None, notify: Notify | None = None) -> ServiceAccount:
    """Load and check the service-account key; raise ``CredentialsError`` with a message that helps."""
    path = key_path(explicit)
    if not path.exists():
        raise CredentialsError(
            f"Không tìm thấy tệp khóa tài khoản dịch vụ {path}. Tạo khóa (JSON) cho tài khoản dịch vụ trên Google "
            "Cloud, rồi chỉ đường dẫn bằng --credentials hoặc GOOGLE_APPLICATION_CREDENTIALS.",
            f"Service-account key file {path} not found. Create a JSON key for a service account in Google Cloud "
            "and point to it with --credentials or GOOGLE_APPLICATION_CREDENTIALS.")
    try:
        text = path.read_text(encoding="utf-8")
        mode = path.stat().st_mode
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(f"Không đọc được tệp khóa {path}.", f"Cannot read the key file {path}.",
                               detail=type(exc).__name__) from exc
    try:
        info = json.loads(text)
    except ValueError:
        info = None
    if not isinstance(info, dict) or info.get("type") != "service_account" or not info.get("private_key") \
            or not info.get("client_email"):
        raise CredentialsError(
            f"{path} không phải khóa tài khoản dịch vụ Google (cần tệp JSON có \"type\": \"service_account\").",
            f"{path} is not a Google service-account key (a JSON file with \"type\": \"service_account\").")
    if notify and os.name == "posix" and mode & (stat.S_IRGRP | stat.S_IROTH):
        notify(f"Cảnh báo: tệp khóa {path} người khác đọc được; hãy chạy: chmod 600 {path}",
               f"Warning: the key file {path} is readable by others; run: chmod 600 {path}")
    from google.oauth2.service_account import Credentials

    try:
        credentials = Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except (ValueError, KeyError) as exc:
        raise CredentialsError(f"Khóa trong {path} bị hỏng: hãy tạo khóa mới.",
                               f"The key in {path} is damaged: create a new key.", detail=type(exc).__name__) from exc
    return ServiceAccount(credentials, info["client_email"], path)

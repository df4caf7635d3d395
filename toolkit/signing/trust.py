"""The trust roots the user configures: a folder of CA certificates (``.pem``, ``.crt``, ``.cer``, ``.der``).

The Vietnamese national root (Root CA of the Ministry of Information and Communications, and the Government
CA of Ban Cơ yếu) is in no common trust store, so nothing is trusted unless the user puts its certificate
in this folder (``--roots`` or ``TOOLKIT_TRUST_ROOTS``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from asn1crypto import pem, x509

from ..core.errors import SigningError
from ..core.i18n import T

SUFFIXES = (".pem", ".crt", ".cer", ".der")


def load_roots(folder: Path) -> list[x509.Certificate]:
    """Every certificate in the regular files of ``folder`` (links and other files are skipped)."""
    if not folder.is_dir():
        raise SigningError(T("Không thấy thư mục chứng thư gốc {path}.", path=folder))
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.is_symlink() or not path.is_file():
            continue
        try:
            data = path.read_bytes()
            blobs = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            certs = [x509.Certificate.load(der) for der in blobs]
            _ = [cert.native for cert in certs]  # parse now: a damaged file fails here, not in the validator
            found += certs
        except Exception:
            raise SigningError(T("Tệp {path} không phải chứng thư số đọc được.", path=path)) from None
    if not found:
        raise SigningError(T("Thư mục chứng thư gốc {path} không có chứng thư nào.", path=folder))
    return found


def fetchers() -> Any:
    """How OCSP answers, CRLs and CA certificates are fetched: with ``requests`` (pyHanko's default aiohttp
    fetchers leave their sessions unclosed when a command ends)."""
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    return RequestsFetcherBackend()

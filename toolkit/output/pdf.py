"""PDF export through LibreOffice (headless), for printing, signing and sealing.

Each conversion runs in a throw-away LibreOffice profile (so it never fights a LibreOffice the user
has open), with a timeout, and is checked: soffice can exit 0 without writing anything. The same
document always gives the same PDF (``steady``).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..core.errors import ConverterMissing, OutputError
from ..core.files import read_regular
from ..core.i18n import T
from .write import write_file

TIMEOUT = 180  # seconds for one document; a first start of LibreOffice is slow
INSTALL = T(
    "Chưa cài LibreOffice nên chưa xuất được PDF (các tệp .docx đã được ghi). Cài LibreOffice "
    "(https://vi.libreoffice.org; trên Debian/Ubuntu: sudo apt install libreoffice-writer) "
    "hoặc đặt TOOLKIT_SOFFICE trỏ tới soffice, rồi chạy lại với --pdf."
)


def find_soffice() -> str | None:
    """The LibreOffice program: ``$TOOLKIT_SOFFICE``, else the first of ``candidates()`` that exists.

    A ``$TOOLKIT_SOFFICE`` that names no program is an error saying so, not "LibreOffice is missing".
    """
    configured = os.environ.get("TOOLKIT_SOFFICE")
    if configured:
        found = (
            configured if Path(configured).is_file() and os.access(configured, os.X_OK) else shutil.which(configured)
        )
        if found is None:
            raise ConverterMissing(
                T(
                    (
                        'TOOLKIT_SOFFICE trỏ tới "{configured}", không phải một chương trình chạy được. '
                        "Hãy sửa hoặc bỏ biến này (các tệp .docx đã được ghi)."
                    ),
                    configured=configured,
                ),
            )
        return found
    for candidate in candidates(sys.platform, os.environ, _registry_paths() if sys.platform == "win32" else ()):
        found = (
            shutil.which(candidate)
            if os.sep not in candidate and "/" not in candidate
            else (candidate if Path(candidate).is_file() else None)
        )
        if found:
            return found
    return None


def candidates(platform: str, environ: Mapping[str, str], registry: Iterable[str] = ()) -> list[str]:
    """Where LibreOffice is looked for, in order, on ``platform`` (``sys.platform``): names on PATH first,
    then the places its installers use (Windows: Program Files and the registry's App Paths; macOS: the
    app bundle; Linux: flatpak and snap wrappers)."""
    found = ["soffice", "libreoffice"]
    if platform == "win32":
        found[0:0] = ["soffice.exe"]
        for variable in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
            base = environ.get(variable)
            if base:
                found.append(f"{base}\\LibreOffice\\program\\soffice.exe")
        found += list(registry)
    elif platform == "darwin":
        found += [
            "/Applications/LibreOffice.app/Contents/MacOS/soffice",
            f"{environ.get('HOME', '~')}/Applications/LibreOffice.app/Contents/MacOS/soffice",
        ]
    else:
        found += [
            "/usr/lib/libreoffice/program/soffice",
            "/opt/libreoffice/program/soffice",
            "/snap/bin/libreoffice",
            "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice",
            f"{environ.get('HOME', '~')}/.local/share/flatpak/exports/bin/org.libreoffice.LibreOffice",
        ]
    return list(dict.fromkeys(found))


def _registry_paths() -> list[str]:
    """soffice.exe as Windows' App Paths registry key records it (any install folder)."""
    if sys.platform != "win32":
        return []
    import winreg

    found = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\soffice.exe") as key:
                found.append(str(winreg.QueryValue(key, None)))
        except OSError:
            continue
    return found


def to_pdf(docx: Path, pdf: Path | None = None, timeout: float = TIMEOUT) -> Path:
    """Convert ``docx`` to a PDF beside it (or at ``pdf``); raise ``ConverterMissing`` or ``OutputError``."""
    produced = to_pdfs([docx], timeout)[0]
    if pdf is not None and pdf != produced:
        write_file(pdf, produced.read_bytes())
        return pdf
    return produced


def to_pdfs(docxs: list[Path], timeout: float = TIMEOUT) -> list[Path]:
    """Convert several ``.docx`` files to PDFs beside them in one LibreOffice run (it starts once: about half
    the time of one run per file); each PDF is checked before it is written in place."""
    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissing(INSTALL)
    names = ", ".join(d.name for d in docxs)
    with tempfile.TemporaryDirectory(prefix="toolkit-pdf-") as work:
        profile = Path(work, "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            *(str(d) for d in docxs),
        ]
        try:
            run = subprocess.run(
                command,
                capture_output=True,
                timeout=timeout * len(docxs),
                stdin=subprocess.DEVNULL,
                env={**os.environ, "HOME": work},
            )
        except subprocess.TimeoutExpired as exc:
            raise OutputError(
                T(
                    "LibreOffice không xuất xong PDF cho {document} sau {timeout:.0f} giây.",
                    document=names,
                    timeout=timeout * len(docxs),
                ),
            ) from exc
        except OSError as exc:
            raise ConverterMissing(INSTALL, detail=str(exc)) from exc
        written = []
        for docx in docxs:
            produced = Path(work, docx.with_suffix(".pdf").name)
            if not produced.is_file() or not produced.read_bytes().startswith(b"%PDF"):
                detail = (run.stderr or run.stdout).decode(errors="replace")[-2000:]
                raise OutputError(
                    T("LibreOffice không tạo được PDF cho {document}.", document=docx.name),
                    detail=detail,
                )
            pdf = docx.with_suffix(".pdf")
            write_file(pdf, steady(produced.read_bytes(), read_regular(docx)))
            written.append(pdf)
    return written


_CREATED = re.compile(rb"<dcterms:created[^>]*>(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z</dcterms:created>")
_CREATION_DATE = re.compile(rb"/CreationDate\(D:\d{14}(Z'|[+-]\d\d'\d\d')\)")
_ID = re.compile(rb"(/ID \[ <)[0-9A-F]{32}(>\s*<)[0-9A-F]{32}(> \])")
_CHECKSUM = re.compile(rb"/DocChecksum /[0-9A-F]{32}")


def steady(pdf: bytes, docx: bytes) -> bytes:
    """The PDF LibreOffice made of ``docx`` with the parts it changes on every export made the document's own:
    the creation time (``/CreationDate``) becomes the ``.docx``'s ``dcterms:created`` (the document's date), the
    file ID (trailer ``/ID``) the MD5 of the ``.docx``, LibreOffice's ``/DocChecksum`` the MD5 of the PDF so
    made. The same document then always gives the same bytes (the sent record and ``history/`` see no new
    version). Each is replaced by text of the same length, so the cross-reference offsets stay right; a PDF
    without one of them exactly as LibreOffice writes it (another version) keeps it unchanged."""
    created = _CREATED.search(_core_properties(docx))
    if created and len(_CREATION_DATE.findall(pdf)) == 1:  # in UTC, in the form (so the length) found
        when = b"/CreationDate(D:" + b"".join(created.groups())
        pdf = _CREATION_DATE.sub(lambda m: when + (b"Z')" if m[1] == b"Z'" else b"+00'00')"), pdf)
    if len(_ID.findall(pdf)) == 1:
        mark = hashlib.md5(docx, usedforsecurity=False).hexdigest().upper().encode()
        pdf = _ID.sub(lambda m: m[1] + mark + m[2] + mark + m[3], pdf)
    sums = _CHECKSUM.findall(pdf)
    if len(sums) == 1:
        blank = pdf.replace(sums[0], b"/DocChecksum /" + b"0" * 32)
        pdf = blank.replace(
            b"/DocChecksum /" + b"0" * 32,
            b"/DocChecksum /" + hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode(),
        )
    return pdf


def _core_properties(docx: bytes) -> bytes:
    """The ``.docx``'s ``docProps/core.xml`` (empty when it has none or is no zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            return package.read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return b""

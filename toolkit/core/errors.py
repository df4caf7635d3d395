"""The toolkit's exceptions: one base class, one small subclass per kind of failure.

Each subclass carries the process exit code documented in the command-line contract, so the CLI can
map any library failure to a message and an exit code without knowing where it came from.
"""

from __future__ import annotations

from enum import IntEnum

from .i18n import Message


class ExitCode(IntEnum):
    """Every exit code of the command line, declared once: ``--help``, ``docs/cli.md``, the roll-up and the
    exceptions below read it. The meaning is the one line ``MEANINGS`` gives each."""

    OK = 0
    DATA = 1
    USAGE = 2
    SOURCE = 3
    OUTPUT = 4
    BUG = 5
    SIGNING = 6
    UNTRUSTED = 7
    INTERRUPTED = 130


MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "done (warnings allowed; with `--force`, also when the data has errors: the problems are printed)",
    ExitCode.DATA: "the data has errors: no document was written",
    ExitCode.USAGE: "usage error (a wrong option, a local file where a Google Sheet is needed)",
    ExitCode.SOURCE: "the source could not be read, or the e-mail could not be delivered",
    ExitCode.OUTPUT: "an output could not be written (no permission, file open in Word, disk full, a link in the way)",
    ExitCode.BUG: "unexpected internal error (a bug; run again with `-v`)",
    ExitCode.SIGNING: "`sign`: nothing signed (key, token, PIN, password, certificate, signature block or time-stamp "
    "server unusable); `verify`: the file or the roots folder cannot be read",
    ExitCode.UNTRUSTED: "`verify`: the signatures are intact but not all trusted (no chain to `--roots`, revoked, "
    "expired, no roots)",
    ExitCode.INTERRUPTED: "stopped with Ctrl-C",
}


class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose; ``str(error)`` is the message for people."""

    exit_code: int = ExitCode.DATA

    def __init__(self, message: Message, *, detail: str | None = None) -> None:
        super().__init__(message.text())
        self.msg = message
        self.detail = detail  # extra context shown with --verbose

    def text(self, lang: str = "vi") -> str:
        """The message in ``lang``."""
        return self.msg.text(lang)

    @property
    def message(self) -> str:
        """The message in Vietnamese, the source language."""
        return self.msg.text("vi")

    @property
    def en(self) -> str:
        """The message in English."""
        return self.msg.text("en")


class SourceError(ToolkitError):
    """The source could not be read: missing file, not a workbook, no access, network down (exit 3)."""

    exit_code = ExitCode.SOURCE


class CredentialsError(SourceError):
    """The service-account key is missing, unreadable or not a service-account key (exit 3)."""


class NetworkError(SourceError):
    """Google Sheets could not be reached, or kept failing, within the total time (exit 3)."""


class PermissionDenied(SourceError):
    """The service account may not read (or write) the sheet: it must be shared with its e-mail (exit 3)."""


class NotShared(SourceError):
    """The sheet is not shared by link (Google answers with its sign-in page), or does not exist (exit 3)."""


class DownloadDisabled(NotShared):
    """Shared by link, but its owner stopped viewers from downloading it (exit 3)."""


class ServiceDisabled(SourceError):
    """The Sheets (or Drive) API is not enabled in the service account's Cloud project (exit 3); every sheet
    would be refused alike, so a roll-up stops at the first."""


class NotAGoogleSheet(SourceError):
    """The link names an uploaded Excel file opened in Sheets, not a Google Sheet (exit 3)."""


class OutputError(ToolkitError):
    """An output file or folder could not be written (exit 4)."""

    exit_code = ExitCode.OUTPUT


class ConverterMissing(OutputError):
    """LibreOffice is needed for PDF export but was not found (exit 4)."""


class SigningError(ToolkitError):
    """A document could not be signed: the key, the token, its PIN or the certificate is unusable, or the PDF
    has no signature block (exit 6). Its message never holds a PIN or a password."""

    exit_code = ExitCode.SIGNING


class DeliveryError(ToolkitError):
    """The message could not be delivered: settings, server, password, recipient or size (exit 3)."""

    exit_code = ExitCode.SOURCE

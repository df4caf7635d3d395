"""The toolkit's exceptions: one base class, one small subclass per kind of failure.

Each subclass carries the process exit code documented in the command-line contract, so the CLI can
map any library failure to a message and an exit code without knowing where it came from.
"""

from __future__ import annotations


class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose; ``str(error)`` is the message for people."""

    exit_code = 1

    def __init__(self, message: str, en: str | None = None, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message  # Vietnamese, the default language
        self.en = en or message
        self.detail = detail  # extra context shown with --verbose

    def text(self, lang: str = "vi") -> str:
        """The message in ``lang`` (``vi`` or ``en``)."""
        return self.en if lang == "en" else self.message


class DataError(ToolkitError):
    """The workbook has errors, so no document was written (exit 1)."""

    exit_code = 1


class SourceError(ToolkitError):
    """The source could not be read: missing file, not a workbook, no access, network down (exit 3)."""

    exit_code = 3


class CredentialsError(SourceError):
    """The service-account key is missing, unreadable or not a service-account key (exit 3)."""


class OutputError(ToolkitError):
    """An output file or folder could not be written (exit 4)."""

    exit_code = 4


class ConverterMissing(OutputError):
    """LibreOffice is needed for PDF export but was not found (exit 4)."""

"""A run's settings, split by who needs them: how sources are read, what outputs may do, and where people are told.

``Options`` joins the three for the library calls of ``pipeline`` (one object to pass along); a module that needs
only one part names that part in its signature (``sources.google.connect`` takes ``SourceOptions``), so what it
may depend on is visible. Declared here, at the bottom, so that every layer can read its part without importing
the orchestrator.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import Message, Notify

KEEP = 20  # versions of each document kept in history/


def quiet(message: Message) -> None:
    """The default notice sink: say nothing."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for one answer, and for all attempts together."""

    timeout: float = 20.0  # seconds for one request
    total: float = 90.0  # seconds for all attempts of one call
    base: float = 0.5  # first backoff
    cap: float = 8.0  # longest backoff
    quota_window: float = 60.0  # Google's quotas refill each minute: a 429 without Retry-After waits this long

    def backoff(self, attempt: int, asked: float = 0.0) -> float:
        """Seconds before try ``attempt + 1``: capped exponential with jitter, or what the server asked for."""
        return max(min(self.cap, self.base * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0), asked)

    @classmethod
    def from_env(cls) -> RetryPolicy:
        """The default, or ``$TOOLKIT_HTTP_TIMEOUT`` / ``$TOOLKIT_HTTP_TOTAL`` seconds (for slow networks)."""

        def number(name: str, default: float) -> float:
            try:
                return max(0.1, float(os.environ.get(name, default)))
            except ValueError:
                return default

        return cls(timeout=number("TOOLKIT_HTTP_TIMEOUT", cls.timeout), total=number("TOOLKIT_HTTP_TOTAL", cls.total))


@dataclass
class Feedback:
    """Where a run tells people things, and in which language."""

    lang: str = "vi"
    notify: Notify = field(default=quiet)
    progress: Notify = field(default=quiet)  # steps and retries, for a person watching a terminal


@dataclass
class SourceOptions(Feedback):
    """How a source is read (a Google Sheet's key, address, limits; offline or by its public link), and whether
    the problems are written back to it. Reading tells people about retries, so it carries ``Feedback``."""

    credentials: str | None = None
    api: str | None = None  # Sheets API base URL (default: $TOOLKIT_SHEETS_API, then Google's)
    policy: RetryPolicy | None = None  # timeouts and retries for Google Sheets
    offline: bool = False
    public: bool | None = None  # read a Google Sheet by its public link; None: when no key is configured
    write_back: bool | None = None  # None: on for Google Sheets


@dataclass
class OutputOptions:
    """Where documents go and what a run may do there."""

    output: Path = Path("output")
    keep: int = KEEP  # versions of each document kept in history/
    force: bool = False  # write the documents even when the check found errors
    today: dt.date | None = None  # the day the check takes as today (tests, late reports)


@dataclass
class Options(SourceOptions, OutputOptions):
    """Everything one run needs: how it reads, what it may write, and where it tells people things."""

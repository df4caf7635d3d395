"""The console the commands write to: JSON for programs, and text that never crashes on the console's
encoding (a Vietnamese Windows console, a cp1258 redirect): a letter it cannot show loses its accents.
"""

from __future__ import annotations

import codecs
import json
import sys
import time
from typing import Any

from .text import strip_diacritics


def to_json(data: Any) -> str:
    """JSON for stdout: Vietnamese as is on a UTF-8 console, ``\\u`` escapes (still valid JSON) on any other."""
    return json.dumps(data, ensure_ascii=not is_utf(sys.stdout), indent=2)


def echo_json(data: Any) -> None:
    """Write ``data`` to stdout as ``to_json`` would, in pieces as it is encoded (never one string of it all)."""
    import click

    encoder = json.JSONEncoder(ensure_ascii=not is_utf(sys.stdout), indent=2)
    batch: list[str] = []
    size = 0
    for piece in encoder.iterencode(data):
        batch.append(piece)
        size += len(piece)
        if size >= 1 << 16:
            click.echo("".join(batch), nl=False)
            batch, size = [], 0
    click.echo("".join(batch))


def _transliterate(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a letter the console cannot show loses its accents (``ệ`` → ``e``), else ``?``."""

    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    plain = strip_diacritics(bad)
    return ("".join(ch if ch.isascii() else "?" for ch in plain)), error.end


def safe_console() -> None:
    """Never crash on the console's encoding (a Vietnamese Windows console, a cp1258 redirect)."""

    try:
        codecs.lookup_error("toolkit-transliterate")
    except LookupError:
        codecs.register_error("toolkit-transliterate", _transliterate)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not is_utf(stream):
            reconfigure(errors="toolkit-transliterate")


def is_utf(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "").startswith("utf")


class ProgressBar:
    """``[#####-----] 37/200 · 1:20`` redrawn in place on a terminal's stderr: items done, in all, and the time
    still to go at the pace so far. ``line`` words it (``done``, ``total``, ``bar``, ``eta`` fields)."""

    WIDTH = 20

    def __init__(self, line: Any, stream: Any = None) -> None:

        self.line, self.stream = line, stream or sys.stderr
        self.started = time.monotonic()
        self.clock = time.monotonic

    def __call__(self, done: int, total: int) -> None:
        elapsed = self.clock() - self.started
        left = elapsed / done * (total - done) if done else 0.0
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        eta = f"{int(left) // 60}:{int(left) % 60:02d}"
        end = "\n" if done >= total else ""
        self.stream.write(f"\r{self.line(done=done, total=total, bar=bar, eta=eta)}{end}")
        self.stream.flush()

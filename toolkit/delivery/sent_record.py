"""The sent record ``output/<Năm>/sent.jsonl``: one JSON object a line, what was sent, to whom, when.

Read forgivingly (a damaged line, however it got damaged, is skipped and reported with its number; every
good line still counts) and appended to safely (never through a link, only to a regular file, each line on
disk before the run goes on, a line cut short by a crash closed before the next one starts).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.files import open_regular, read_regular
from ..core.i18n import Message, T
from ..core.vnformat import date_text, local_moment
from ..output.write import output_error

SHOWN = 10  # damaged line numbers named in the warning; the count says how many more
_TEXTS = ("kind", "state", "time", "subject")  # what every record must hold as text


def read_records(path: Path, notify: Callable[[Message], None] | None = None) -> list[dict[str, Any]]:
    """The sound records of ``path``, in order (none when it does not exist); the numbers of damaged lines go
    to ``notify`` as one warning. A link, folder or FIFO at ``path`` raises ``OutputError`` (exit 4)."""
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise output_error(path, exc) from exc
    found, damaged = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError is one too
            record = None
        if sound(record):
            found.append(record)
        else:
            damaged.append(number)
    if damaged and notify is not None:
        shown = ", ".join(str(n) for n in damaged[:SHOWN]) + (", …" if len(damaged) > SHOWN else "")
        notify(
            T(
                "Cảnh báo: {path} có {count} dòng hỏng (dòng {lines}), đã bỏ qua; các dòng còn lại vẫn được dùng.",
                path=path,
                count=len(damaged),
                lines=shown,
            )
        )
    return found


def sent_at(stamp: str) -> Message | str:
    """A time of the record (ISO 8601, kept so) as an office writes it, in this machine's time zone (a school's
    is Asia/Ho_Chi_Minh): ``16 giờ 03 phút ngày 06/12/2026``; a stamp that is no time is shown as it is."""
    moment = local_moment(stamp)
    if moment is None:
        return str(stamp)
    return T(
        "{hour} giờ {minute} phút ngày {date}",
        hour=f"{moment.hour:02d}",
        minute=f"{moment.minute:02d}",
        date=date_text(moment.date()),
    )


def sound(record: Any) -> bool:
    """True for a record the toolkit could have written: an object with its texts, recipients and hashes."""
    if not isinstance(record, dict) or not all(isinstance(record.get(key), str) for key in _TEXTS):
        return False
    recipients, attachments = record.get("recipients"), record.get("attachments")
    return (
        isinstance(recipients, list)
        and all(isinstance(a, str) for a in recipients)
        and isinstance(attachments, dict)
        and all(isinstance(v, str) for v in attachments.values())
        and all(isinstance(record.get(key, ""), str) for key in ("id", "message_id"))
    )


def append_record(path: Path, record: dict[str, Any]) -> None:
    """Add one line to the record and make sure it is on disk before going on (``OutputError`` if it cannot)."""
    line = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = open_regular(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        with os.fdopen(fd, "r+b", buffering=0) as handle:
            size = os.fstat(fd).st_size
            if size:
                handle.seek(size - 1)
                if handle.read(1) != b"\n":  # a line cut short by a crash: end it, or the new one is lost with it
                    line = b"\n" + line
            handle.write(line)
            os.fsync(fd)
    except OSError as exc:
        raise output_error(path, exc) from exc

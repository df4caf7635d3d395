"""Delivering the documents by e-mail to the receiving office, exactly once.

``deliver`` has ``message.py`` write the message a school office writes (Vietnamese subject and body, the
``.docx`` and any PDF as attachments), checks the sent record ``output/<Năm>/sent.jsonl`` (``prepare``) so the
same content never goes twice to the same address without ``resend``, records the intent before talking to the
server and the outcome after, and has ``smtp.py`` send it over SMTP with verified TLS. ``dry_run`` writes the
message as an ``.eml`` instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from ..core.errors import DeliveryError, SourceError
from ..core.files import not_regular
from ..core.i18n import Message, T
from ..output.write import write_file
from ..workbook.model import Campaign
from .message import build_message, recipients_of
from .sent_record import append_record as _append
from .sent_record import read_records, sent_at
from .smtp import Transport, smtp_send

RECORD = "sent.jsonl"


@dataclass(frozen=True)
class Outcome:
    """What happened to one document: ``sent``, ``already-sent``, ``written`` (dry run)."""

    kind: str
    status: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str = ""
    path: str = ""
    earlier: str = ""  # when the same content was sent before (already-sent), or the message it replaces


def sha256(path: Path) -> str:
    """The SHA-256 of an attachment, read in blocks; a FIFO, a device or a folder at its name is refused
    (it would hang or never end) instead of being read."""
    what = not_regular(path)
    if what is not None or path.is_dir():
        raise SourceError(T("{path} là {what}, không phải tệp để đính kèm.", path=path, what=what or T("một thư mục")))
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


Sender = Callable[[EmailMessage, Sequence[str], Transport], str]


def deliver(
    c: Campaign,
    documents: Mapping[str, Sequence[Path]],
    folder: Path,
    *,
    dry_run: bool = False,
    resend: bool = False,
    transport: Transport | None = None,
    notify: Callable[[Message], None] | None = None,
    send: Sender | None = None,
) -> list[Outcome]:
    """Send each document (``{"plan": [docx, pdf…], "report": […]}``) once to the workbook's addresses.

    ``folder`` is ``output/<Năm>``: its ``sent.jsonl`` is the record, its ``outbox/`` holds dry runs.
    """
    # Long: one pass per document — dry run, the send decision (prepare), then intent, the one SMTP call and
    # sent/failed written to the record around it: kept together so the record's order reads in one place.
    notify = notify or (lambda message: None)
    outcomes = []
    first_kind = next(iter(documents), None)  # damaged lines of the record are reported once per run
    for kind, files in documents.items():
        files = [Path(f) for f in files]
        if dry_run:
            to, cc = recipients_of(c)
            message = build_message(c, kind, files, _sender(c, transport), to, cc)
            path = folder / "outbox" / f"{files[0].stem}.eml"
            write_file(path, bytes(message))
            outcomes.append(Outcome(kind, "written", (*to, *cc), str(message["Subject"]), path=str(path)))
            continue
        step = prepare(c, kind, files, folder, resend=resend, notify=notify if kind == first_kind else None)
        if step.interrupted is not None:
            first = step.interrupted
            raise DeliveryError(
                T(
                    (
                        "Lần gửi trước lúc {time} ({message_id}) bị ngắt giữa chừng: có "
                        "thể thư đã đến máy chủ. Hãy xem hộp thư đã gửi; nếu chưa có, chạy lại với "
                        "--resend."
                    ),
                    time=sent_at(first["time"]),
                    message_id=first.get("message_id"),
                ),
            )
        if step.already is not None:
            last = step.already
            outcomes.append(
                Outcome(
                    kind,
                    "already-sent",
                    (*step.to, *step.cc),
                    last["subject"],
                    last.get("message_id", ""),
                    earlier=last["time"],
                )
            )
            continue
        record, hashes, wanted, replaces = folder / RECORD, step.hashes, step.wanted, step.replaces
        active = transport or Transport.from_env(sender=c.settings.unit_email)
        message = build_message(c, kind, files, _sender(c, active), *addressed(step), replaces)
        ident = hashlib.sha256(f"{message['Message-ID']}".encode()).hexdigest()[:16]
        base = {
            "id": ident,
            "kind": kind,
            "recipients": wanted,
            "subject": str(message["Subject"]),
            "attachments": hashes,
            "message_id": str(message["Message-ID"]),
        }
        _append(record, {**base, "state": "intent", "time": _now()})
        try:
            answer = (send or smtp_send)(message, wanted, active)
        except DeliveryError as exc:
            _append(record, {**base, "state": "failed", "time": _now(), "answer": exc.en})
            raise
        _append(record, {**base, "state": "sent", "time": _now(), "answer": answer})
        outcomes.append(
            Outcome(kind, "sent", tuple(wanted), str(message["Subject"]), str(message["Message-ID"]), earlier=replaces)
        )
    return outcomes


@dataclass(frozen=True)
class Step:
    """What sending one document would do now, read from the sent record: go to ``wanted`` (as a
    "[Thay thế]" of the message sent at ``replaces`` when the content changed), or nothing because it
    was ``already`` sent, or wait because an earlier attempt was ``interrupted``."""

    kind: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    hashes: dict[str, str]
    wanted: tuple[str, ...] = ()
    replaces: str = ""
    already: dict | None = None
    interrupted: dict | None = None


def addressed(step: Step) -> tuple[list[str], list[str]]:
    """The ``To`` and ``Cc`` of the message ``step`` sends: the addresses it still wants, each in its own
    header; when only ``Cc`` addresses are wanted, they are the ``To`` (and there is no ``Cc``)."""
    to = [a for a in step.to if a in step.wanted]
    cc = [a for a in step.cc if a in step.wanted]
    return (to, cc) if to else (cc, [])


def prepare(
    c: Campaign,
    kind: str,
    files: Sequence[Path],
    folder: Path,
    *,
    resend: bool = False,
    notify: Callable[[Message], None] | None = None,
) -> Step:
    """Decide what sending ``files`` as ``kind`` does, from the sent record in ``folder`` (``deliver`` and
    the preview of ``toolkit ui`` both ask this)."""
    to, cc = recipients_of(c)
    hashes = {f.name: sha256(f) for f in files}
    history = [r for r in read_records(folder / RECORD, notify) if r.get("kind") == kind]
    step = Step(kind, tuple(to), tuple(cc), hashes)
    pending = [
        r
        for r in history
        if r.get("state") == "intent"
        and r.get("attachments") == hashes
        and not any(o.get("id") == r.get("id") and o.get("state") in ("sent", "failed") for o in history)
    ]
    if pending and not resend:
        return dataclasses.replace(step, interrupted=pending[-1])
    done = [r for r in history if r.get("state") == "sent"]
    same = [r for r in done if r.get("attachments") == hashes]
    reached = {a for r in same for a in r.get("recipients", [])}
    wanted = tuple(a for a in (*to, *cc) if a not in reached) if not resend else (*to, *cc)
    if not wanted:
        return dataclasses.replace(step, already=same[-1])
    replaced = [r for r in done if r.get("attachments") != hashes]
    replaces = replaced[-1]["time"] if replaced and not same else ""
    return dataclasses.replace(step, wanted=wanted, replaces=replaces)


def sent_records(folder: Path) -> list[dict]:
    """The sent record of ``folder`` (``output/<Năm>``), oldest first; a damaged line is skipped."""
    return read_records(folder / RECORD)


def _sender(c: Campaign, transport: Transport | None) -> str:
    return (transport.sender if transport else "") or os.environ.get("TOOLKIT_SMTP_FROM", "") or c.settings.unit_email


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")

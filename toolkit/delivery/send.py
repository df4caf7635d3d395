"""Delivering the documents by e-mail to the receiving office, exactly once.

``deliver`` builds the message a school office writes (Vietnamese subject and body, the ``.docx`` and any
PDF as attachments), checks the sent record ``output/<Năm>/sent.jsonl`` so the same content never goes
twice to the same address without ``resend``, records the intent before talking to the server and the
outcome after, and sends over SMTP with verified TLS. ``dry_run`` writes the message as an ``.eml`` instead.
The password never leaves this module: it is not printed, logged, recorded or written into the message.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import email.charset
import email.header
import email.policy
import email.utils
import hashlib
import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from ..core.errors import DeliveryError, SourceError
from ..core.files import not_regular
from ..core.i18n import Message, T
from ..core.vnformat import date_text, number_symbol
from ..documents.common import campaign_name, unit_name, words
from ..documents.kinds import KIND
from ..output.write import write_file
from ..workbook.model import Campaign
from .sent_record import append_record as _append
from .sent_record import read_records

KEYRING_SERVICE = "school-campaign-toolkit"
RECORD = "sent.jsonl"
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass(frozen=True)
class Transport:
    """How to reach the mail server; the password is kept out of ``repr``."""

    host: str
    port: int
    user: str = ""
    security: str = "starttls"  # or "ssl" (implicit TLS)
    sender: str = ""
    timeout: float = 30.0
    attempts: int = 3
    delay: float = 2.0  # seconds before the first retry, doubled each time
    cafile: str | None = None
    password: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, sender: str = "") -> Transport:
        """``TOOLKIT_SMTP_HOST``, ``_PORT``, ``_USER``, ``_SECURITY``, ``_FROM``, ``_TIMEOUT``, ``_CAFILE``;
        the password from the OS keyring (service ``school-campaign-toolkit``, the user name) or
        ``TOOLKIT_SMTP_PASSWORD``."""
        env = os.environ if environ is None else environ
        host = env.get("TOOLKIT_SMTP_HOST", "").strip()
        if not host:
            raise DeliveryError(
                T(
                    "Chưa cấu hình máy chủ thư: đặt TOOLKIT_SMTP_HOST (ví dụ smtp.gmail.com), hoặc "
                    "dùng --dry-run để chỉ tạo thư .eml."
                ),
            )
        security = env.get("TOOLKIT_SMTP_SECURITY", "starttls").strip().lower()
        if security not in ("starttls", "ssl"):
            raise DeliveryError(
                T('TOOLKIT_SMTP_SECURITY phải là starttls hoặc ssl, không phải "{security}".', security=security),
            )
        try:
            port = int(env.get("TOOLKIT_SMTP_PORT") or (465 if security == "ssl" else 587))
            timeout = float(env.get("TOOLKIT_SMTP_TIMEOUT") or 30)
            delay = float(env.get("TOOLKIT_SMTP_RETRY_DELAY") or 2)
        except ValueError as exc:
            raise DeliveryError(
                T("TOOLKIT_SMTP_PORT/TIMEOUT/RETRY_DELAY phải là số."),
            ) from exc
        user = env.get("TOOLKIT_SMTP_USER", "").strip()
        return cls(
            host=host,
            port=port,
            user=user,
            security=security,
            sender=env.get("TOOLKIT_SMTP_FROM", "").strip() or sender or user,
            timeout=timeout,
            delay=delay,
            cafile=env.get("TOOLKIT_SMTP_CAFILE") or None,
            password=_password(user, env),
        )


def _password(user: str, env: Mapping[str, str]) -> str:
    """The SMTP password: the OS keyring first, then ``TOOLKIT_SMTP_PASSWORD``; empty when neither has one."""
    if user:
        try:
            import keyring

            stored = keyring.get_password(KEYRING_SERVICE, user)
            if stored:
                return stored
        except Exception:  # no keyring library or no usable backend on this machine: fall back to the variable
            pass
    return env.get("TOOLKIT_SMTP_PASSWORD", "")


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


def addresses(text: str) -> list[str]:
    """E-mail addresses typed one per line or separated by ``;`` or ``,``."""
    return [a for a in (part.strip() for part in re.split(r"[\n;,]", text or "")) if a]


def recipients_of(c: Campaign) -> tuple[list[str], list[str]]:
    """The ``To`` and ``Cc`` addresses from the workbook; a malformed one is an error naming it."""
    to, cc = addresses(c.settings.report_email), addresses(c.settings.cc_email)
    if not to:
        raise DeliveryError(
            T('Chưa có "Email nhận báo cáo" ở trang Thông tin: không biết gửi cho ai.'),
        )
    bad = [a for a in (*to, *cc) if not _ADDRESS.match(a)]
    if bad:
        raise DeliveryError(
            T("Địa chỉ thư không hợp lệ: {addresses} (trang Thông tin).", addresses=", ".join(bad)),
        )
    return to, cc


def subject_of(c: Campaign, kind: str) -> str:
    """``[THBA] Báo cáo số 25/BC-THBA ngày 08/12/2023 kết quả thực hiện Tháng hành động … năm 2023``."""
    s = c.settings
    document = KIND[kind]
    abbr = s.unit_abbr or "?"
    number, date = document.number(s), document.date(s)
    ref = f" số {number_symbol(number, document.symbol, abbr)}" if number else ""
    ref += f" ngày {date_text(date)}" if date else ""
    return f"[{abbr}] {document.name}{ref} {document.subject} {campaign_name(s)}"


def document_title(c: Campaign, kind: str) -> str:
    """The document as an office names it in a letter: ``Báo cáo số 96/BC-THPTLQĐ ngày 18/5/2026 về kết quả
    thực hiện …`` (``Kế hoạch số … về việc triển khai …``)."""
    s = c.settings
    document = KIND[kind]
    number, date, subject = document.number(s), document.date(s), words(c)(document.heading)
    text = document.name + (f" số {number_symbol(number, document.symbol, s.unit_abbr or '?')}" if number else "")
    text += f" ngày {date.day}/{date.month}/{date.year}" if date else ""
    return f"{text} {document.about} {subject[:1].lower()}{subject[1:]}"


def body_of(c: Campaign, kind: str, names: Sequence[str], replaces: str = "") -> str:
    """The short Vietnamese covering letter: the document named as an office names it, the attached files
    listed below it, the signature."""
    s = c.settings
    offices = "; ".join(s.report_to) or "Quý cơ quan"
    lines = [f"Kính gửi: {offices}.", ""]
    lines.append(f"{unit_name(s)} trân trọng gửi {document_title(c, kind)}.")
    if replaces:
        lines.append(f"Văn bản này thay thế văn bản đã gửi lúc {replaces}.")
    lines += ["", "Tệp đính kèm:", *(f"- {name}" for name in names)]
    lines += ["", "Trân trọng./.", ""]
    title = f"{s.authority} {s.head_title}".strip() if s.authority else ""
    lines += [t for t in (title, s.signer_title, s.signer_name, unit_name(s), s.unit_phone, s.unit_email) if t]
    return "\n".join(lines) + "\n"


# Headers are written already encoded (RFC 2047, base64 UTF-8, folded between encoded words with the spaces
# inside them), and kept as written: the standard library's own folding drops a space between two encoded
# words of a long subject ("Thánghành động"), and splits a display name's word in two.
POLICY = email.policy.default.clone(refold_source="none")
_UTF8 = email.charset.Charset("utf-8")
_UTF8.header_encoding = email.charset.BASE64
_WORD_BYTES = 45  # the most UTF-8 bytes one encoded word of a display name holds (60 base64 characters)


def encoded_text(text: str, header: str) -> str:
    """``text`` as the folded encoded words of an unstructured header (``Subject``): any length, exact."""
    if text.isascii() and len(text) + len(header) + 2 <= 78:
        return text
    return email.header.Header(text, _UTF8, header_name=header).encode(linesep="\n")


def mailbox(name: str, address: str) -> str:
    """``Trường THPT Lê Quý Đôn <vanthu@…>`` with the display name encoded word by word (a reader joins a
    phrase's words with one space), so that it reads back exactly whatever its length."""
    name = " ".join(name.split())
    if not name:
        return address
    if name.isascii():
        return email.utils.formataddr((name, address))
    words = []
    for word in name.split(" "):
        data = word.encode("utf-8")
        while data:
            cut = min(len(data), _WORD_BYTES)
            while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # never inside a character
                cut -= 1
            words.append(f"=?utf-8?b?{base64.b64encode(data[:cut]).decode('ascii')}?=")
            data = data[cut:]
    return "\n ".join(words) + f"\n <{address}>"


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


def build_message(
    c: Campaign, kind: str, files: Sequence[Path], sender: str, to: Sequence[str], cc: Sequence[str], replaces: str = ""
) -> EmailMessage:
    """The whole message: UTF-8 headers (RFC 2047) that read back exactly, the school's name as the sender's
    display name, attachments named as the files (RFC 2231)."""
    message = EmailMessage(policy=POLICY)
    message.set_raw("Subject", encoded_text(("[Thay thế] " if replaces else "") + subject_of(c, kind), "Subject"))
    address = sender or "school@localhost"
    if "<" in address:  # a sender given with its own display name (TOOLKIT_SMTP_FROM)
        message["From"] = address
    else:
        message.set_raw("From", mailbox(unit_name(c.settings) if c.settings.unit else "", address))
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Date"] = format_datetime(dt.datetime.now(dt.timezone.utc))
    domain = (sender.rsplit("@", 1)[-1] if "@" in sender else "localhost").strip(">")
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body_of(c, kind, [f.name for f in files], replaces))
    for path in files:
        kind_of = (
            ("application", "pdf")
            if path.suffix.lower() == ".pdf"
            else ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
        )
        message.add_attachment(path.read_bytes(), maintype=kind_of[0], subtype=kind_of[1], filename=path.name)
    return message


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
                    time=first["time"],
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
        new_to = [a for a in step.to if a in wanted]
        new_cc = [a for a in step.cc if a in wanted]
        message = build_message(
            c, kind, files, _sender(c, active), new_to or new_cc, new_cc if new_to else [], replaces
        )
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


def smtp_send(message: EmailMessage, recipients: Sequence[str], t: Transport) -> str:
    """Send over SMTP with verified TLS; retry temporary (4xx) answers and dropped connections a few times."""
    context = ssl.create_default_context(cafile=t.cafile)
    data = message.as_bytes()
    wait = t.delay
    for attempt in range(1, t.attempts + 1):
        try:
            return _once(message, data, recipients, t, context)
        except (smtplib.SMTPServerDisconnected, ConnectionResetError, TimeoutError) as exc:
            problem: Exception = exc
        except smtplib.SMTPResponseException as exc:
            if not 400 <= exc.smtp_code < 500:
                raise _permanent(exc, t) from exc
            problem = exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if not all(400 <= code < 500 for code in codes):
                raise _refused(exc) from exc
            problem = exc
        if attempt == t.attempts:
            raise DeliveryError(
                T(
                    (
                        "Máy chủ thư {host} không nhận thư sau {attempts} lần thử ({problem}). "
                        "Chưa gửi; hãy chạy lại sau."
                    ),
                    host=t.host,
                    attempts=t.attempts,
                    problem=_said(problem),
                ),
            ) from problem
        time.sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")


def _once(message: EmailMessage, data: bytes, recipients: Sequence[str], t: Transport, context: ssl.SSLContext) -> str:
    # Long: one SMTP conversation (connect, TLS, login, send), each step with the message people need when it fails.
    try:
        if t.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(t.host, t.port, timeout=t.timeout, context=context)
        else:
            client = smtplib.SMTP(t.host, t.port, timeout=t.timeout)
    except socket.gaierror as exc:
        raise DeliveryError(
            T('Không tìm thấy máy chủ thư "{host}": kiểm tra TOOLKIT_SMTP_HOST.', host=t.host),
        ) from exc
    except ConnectionRefusedError as exc:
        raise DeliveryError(
            T(
                "Máy chủ thư {host}:{port} từ chối kết nối: kiểm tra cổng (587 hoặc 465).",
                host=t.host,
                port=t.port,
            ),
        ) from exc
    except ssl.SSLError as exc:
        raise _tls(exc, t) from exc
    with client:
        try:
            client.ehlo()
            if t.security == "starttls":
                if not client.has_extn("starttls"):
                    raise DeliveryError(
                        T(
                            (
                                "Máy chủ thư {host} không hỗ trợ mã hóa STARTTLS: không gửi mật khẩu và thư "
                                "qua kết nối không mã hóa."
                            ),
                            host=t.host,
                        ),
                    )
                client.starttls(context=context)
                client.ehlo()
        except ssl.SSLError as exc:
            raise _tls(exc, t) from exc
        limit = int(client.esmtp_features.get("size", "0").split()[0] or 0) if client.has_extn("size") else 0
        if limit and len(data) > limit:
            raise DeliveryError(
                T(
                    (
                        "Thư nặng {len_data_1024} KB, vượt giới hạn {limit_1024} KB của máy chủ "
                        "{host}: bớt tệp đính kèm (ví dụ bỏ PDF) rồi gửi lại."
                    ),
                    len_data_1024=len(data) // 1024,
                    limit_1024=limit // 1024,
                    host=t.host,
                ),
            )
        if t.user:
            try:
                _login(client, t)
            except (smtplib.SMTPAuthenticationError, smtplib.SMTPServerDisconnected, TimeoutError) as exc:
                # some servers hang up on a wrong password instead of answering 535
                raise DeliveryError(
                    T(
                        (
                            "Máy chủ thư {host} không nhận tên đăng nhập hoặc mật khẩu của {user}. Với "
                            'Gmail hãy dùng "mật khẩu ứng dụng" (App password), không dùng mật khẩu thường.'
                        ),
                        host=t.host,
                        user=t.user,
                    ),
                ) from exc
        refused = client.send_message(message, from_addr=t.sender or None, to_addrs=list(recipients))
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        return f"250 {message['Message-ID']}"


def _login(client: smtplib.SMTP, t: Transport) -> None:
    """AUTH with one mechanism (PLAIN, else LOGIN): a wrong password is one clear 535, not a disconnect."""
    offered = client.esmtp_features.get("auth", "").upper().split()
    if not offered:
        raise DeliveryError(T("Máy chủ thư {host} không nhận đăng nhập (AUTH).", host=t.host))
    mechanism = "PLAIN" if "PLAIN" in offered else "LOGIN" if "LOGIN" in offered else None
    if mechanism is None:
        client.login(t.user, t.password)
        return
    client.user, client.password = t.user, t.password
    client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"), initial_response_ok=True)


def _said(exc: BaseException) -> str:
    """The server's answer (``451 try later``) or the kind of failure."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return type(exc).__name__


def _permanent(exc: smtplib.SMTPResponseException, t: Transport) -> DeliveryError:
    return DeliveryError(
        T("Máy chủ thư {host} từ chối thư: {error}.", host=t.host, error=_said(exc)),
    )


def _refused(exc: smtplib.SMTPRecipientsRefused) -> DeliveryError:
    parts = ", ".join(
        f"{addr} ({code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg})"
        for addr, (code, msg) in exc.recipients.items()
    )
    return DeliveryError(
        T('Máy chủ thư từ chối người nhận: {parts}. Kiểm tra "Email nhận báo cáo".', parts=parts),
    )


def _tls(exc: ssl.SSLError, t: Transport) -> DeliveryError:
    return DeliveryError(
        T(
            ("Không lập được kết nối mã hóa (TLS) an toàn với {host}: {reason}. Không gửi qua kết nối không an toàn."),
            host=t.host,
            reason=exc.reason or exc,
        ),
    )

"""The covering e-mail an office writes: recipients, subject, a body naming each document, attachments, with
headers that read back exactly (RFC 2047/2231) whatever their length."""

from __future__ import annotations

import base64
import datetime as dt
import email.charset
import email.header
import email.policy
import email.utils
import re
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from ..core.errors import DeliveryError
from ..core.i18n import T
from ..documents.common import campaign_name, unit_name, words
from ..documents.kinds import KIND
from ..workbook.model import Campaign
from ..workbook.settings import ADDRESS as _ADDRESS
from ..workbook.settings import addresses  # declared with the settings, so that the check splits them alike
from .sent_record import sent_at


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
    return f"[{s.unit_abbr or '?'}] {document.reference(s)} {document.subject} {campaign_name(s)}"


def document_title(c: Campaign, kind: str) -> str:
    """The document as an office names it in a letter: ``Báo cáo số 96/BC-THPTLQĐ ngày 18/05/2026 về kết quả
    thực hiện …`` (``Kế hoạch số … về việc triển khai …``)."""
    document = KIND[kind]
    subject = words(c)(document.heading)
    return f"{document.reference(c.settings)} {document.about} {subject[:1].lower()}{subject[1:]}"


def body_of(c: Campaign, kind: str, names: Sequence[str], replaces: str = "") -> str:
    """The short Vietnamese covering letter: the document named as an office names it, the attached files
    listed below it, the signature."""
    s = c.settings
    offices = "; ".join(s.report_to) or "Quý cơ quan"
    lines = [f"Kính gửi: {offices}.", ""]
    lines.append(f"{unit_name(s)} trân trọng gửi {document_title(c, kind)}.")
    if replaces:
        lines.append(f"Văn bản này thay thế văn bản đã gửi lúc {sent_at(replaces)}.")  # a Message reads in Vietnamese
    lines += ["", "Tệp đính kèm:", *(f"- {name}" for name in names)]
    lines += ["", "Trân trọng./.", ""]
    title = f"{s.authority} {s.head_title}".strip() if s.authority else ""
    lines += [t for t in (title, s.signer_title, s.signer_name, unit_name(s), s.unit_phone, s.unit_email) if t]
    return "\n".join(lines) + "\n"


# Headers are written already encoded (RFC 2047, base64 UTF-8) and kept as written: the standard library's own
# folding drops a space between two encoded words of a long subject ("Thánghành động"), and splits a display
# name's word in two. RFC 2047 (6.2) has a reader ignore the white space between two adjacent encoded words, so a
# space of the text is always written inside an encoded word, never between two of them: RFC 2047 readers
# (``email.header.decode_header``, Perl, mail programs) and ``email.policy.default`` then read the same text.
POLICY = email.policy.default.clone(refold_source="none")
_UTF8 = email.charset.Charset("utf-8")
_UTF8.header_encoding = email.charset.BASE64
_LINE = 998  # the longest line RFC 5322 allows
_NAME_BYTES = 720  # the most UTF-8 bytes of one encoded word of a display name: 960 base64 characters
_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/^_`{|}~-]{1,200}")  # a word a display name can hold as it is


def encoded_text(text: str, header: str) -> str:
    """``text`` as the folded encoded words of an unstructured header (``Subject``): any length, exact. Each
    encoded word holds whole characters, its spaces inside it; the folding white space between two of them is
    ignored by every reader."""
    if text.isascii() and len(text) + len(header) + 2 <= 78:
        return text
    return email.header.Header(text, _UTF8, header_name=header).encode(linesep="\n")


def mailbox(name: str, address: str) -> str:
    """``Trường Mầm non Hoa Sen <vanthu@…>``: the display name's plain ASCII words as they are (``non Hoa Sen``)
    and each run of the other words as one encoded word holding the spaces between them, so that the name reads
    back exactly, spaces and all, whatever its length and whichever way the header is decoded.

    Two encoded words of one name are never side by side, since RFC 2047 readers drop the white space between
    them while ``email.policy.default`` keeps it: a run is one encoded word, longer than RFC 2047's 75 characters
    when it must be (every reader tested takes it). Only a run of more than ``_NAME_BYTES`` bytes, which no school's
    name has, is cut, after a space kept inside the first word: RFC 2047 readers still read it exactly.
    """
    name = " ".join(name.split())
    if not name:
        return address
    if name.isascii():
        return email.utils.formataddr((name, address))
    pieces: list[str] = []
    run: list[str] = []
    for word in [*name.split(" "), ""]:  # the empty word ends the last run
        if word and not _ATOM.fullmatch(word):
            run.append(word)
            continue
        if run:
            pieces += _encoded_words(" ".join(run))
            run = []
        if word:
            pieces.append(word)
    return "\n ".join(pieces) + f"\n <{address}>"


def _encoded_words(text: str) -> list[str]:
    """``text`` as encoded words of at most ``_NAME_BYTES`` bytes each: one, or cut after a space (else between
    characters), the space kept at the end of the first."""
    data, words = text.encode("utf-8"), []
    while data:
        cut = len(data)
        if cut > _NAME_BYTES:
            space = data.rfind(b" ", 0, _NAME_BYTES)
            cut = space + 1 if space > 0 else _NAME_BYTES
            while (data[cut] & 0xC0) == 0x80:  # never inside a character
                cut -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(data[:cut]).decode('ascii')}?=")
        data = data[cut:]
    return words


def build_message(
    c: Campaign, kind: str, files: Sequence[Path], sender: str, to: Sequence[str], cc: Sequence[str], replaces: str = ""
) -> EmailMessage:
    """The whole message: UTF-8 headers (RFC 2047) that read back exactly, the school's name as the sender's
    display name, attachments named as the files (RFC 2231)."""
    message = EmailMessage(policy=POLICY)
    message.set_raw("Subject", encoded_text(("[Thay thế] " if replaces else "") + subject_of(c, kind), "Subject"))
    address = sender or "school@localhost"
    given, bare = email.utils.parseaddr(address) if "<" in address else ("", "")
    if "<" in address and not bare:  # a sender given with its own display name the parser cannot read: as given
        message["From"] = address
    elif "<" in address:  # a sender given with its own display name (TOOLKIT_SMTP_FROM): encoded the same way
        message.set_raw("From", mailbox(given, bare))
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

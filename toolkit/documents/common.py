"""What the plan and the report share: subject lines, the signature, dates for core properties."""

from __future__ import annotations

import datetime as dt

from ..model import Campaign, Paragraph, Settings
from ..vnformat import proper_name
from .layout import OfficialDocument, Signature

MISSING = "…"


def campaign_name(s: Settings) -> str:
    """``<Tên đợt> năm <Năm>``."""
    name = s.campaign or MISSING
    return f"{name} năm {s.year}" if s.year else name


def unit_name(s: Settings) -> str:
    """The issuing body as written inside a sentence: ``Trường TH Bình An``."""
    return proper_name(s.unit) if s.unit else MISSING


def signature(s: Settings) -> Signature:
    """The signing authority lines of Decree 30: ``HIỆU TRƯỞNG`` or ``KT. HIỆU TRƯỞNG`` / ``PHÓ HIỆU TRƯỞNG``."""
    signer = (s.signer_title or MISSING).upper()
    if not s.authority:
        return Signature((signer,), s.signer_name)
    head = (s.head_title or signer).upper()
    if s.authority == "Q.":
        return Signature((f"Q. {head}",), s.signer_name)
    titles = (f"{s.authority} {head}",) if signer == head else (f"{s.authority} {head}", signer)
    return Signature(titles, s.signer_name)


def stamp(date: dt.date | None, fallback: dt.date | None) -> dt.datetime:
    """The fixed creation time written into the file: taken from the data, never from the clock."""
    day = date or fallback or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, 8, 0, 0, tzinfo=dt.timezone.utc)


def write_paragraphs(doc: OfficialDocument, paragraphs: list[Paragraph], empty: str | None = None) -> None:
    """Narrative paragraphs in order, list items as ``- `` bullets; ``empty`` when there are none."""
    for paragraph in paragraphs:
        if paragraph.bullet:
            doc.bullet(paragraph.text)
        else:
            doc.paragraph(paragraph.text)
    if not paragraphs and empty:
        doc.paragraph(empty)


def new_document(c: Campaign, subject: str, date: dt.date | None) -> OfficialDocument:
    """An empty document titled ``subject``, its time fixed from ``date``."""
    s = c.settings
    return OfficialDocument(title=subject, author=s.unit or "toolkit", created=stamp(date, s.start))

"""What the plan and the report share: the campaign's words, names, recipients and the signature."""

from __future__ import annotations

import datetime as dt

from ..workbook import campaigns
from ..workbook.model import Campaign, Paragraph, Settings
from ..workbook.names import in_sentence
from ..workbook.wording import Words
from .layout import OfficialDocument, Signature
from .ooxml import Run

MISSING = "…"


def campaign_name(s: Settings) -> str:
    """``<Tên đợt> năm <Năm>``, the year written once even when ``Tên đợt`` ends with one."""
    return campaigns.with_year(s.campaign or MISSING, s.year)


def unit_name(s: Settings) -> str:
    """The issuing body as written inside a sentence: ``Trường Mầm non Hoa Sen`` (or as the school set it)."""
    if s.unit_in_sentence:
        return s.unit_in_sentence
    return in_sentence(s.unit) if s.unit else MISSING


def words(c: Campaign) -> Words:
    """The campaign's phrases, with the campaign, the school and the people words filled in."""
    s = c.settings
    fields = {"dot": campaign_name(s), "don_vi": unit_name(s), "hoc_sinh": c.level.learners, "cha_me": c.level.parents}
    return Words(c.texts, fields)


def recipients(s: Settings) -> list[str]:
    """The offices the report goes to, each with its contact when one is given (same order)."""
    offices = list(s.report_to) or [MISSING]
    people = list(s.report_to_person)
    return [f"{office} ({people[i]})" if i < len(people) and people[i] else office for i, office in enumerate(offices)]


def send_to(s: Settings) -> str:
    """``A (Đ/c B) và C`` / ``A, B và C``: the receiving offices inside a sentence."""
    names = recipients(s)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


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


def distribution(head: list[str], extra: list[str]) -> list[str]:
    """``Nơi nhận`` items: ``- …;`` each, ``- Lưu: VT.`` last."""
    return [f"- {item};" for item in [*head, *extra]] + ["- Lưu: VT."]


def stamp(date: dt.date | None, fallback: dt.date | None) -> dt.datetime:
    """The fixed creation time written into the file: taken from the data, never from the clock."""
    day = date or fallback or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, 8, 0, 0, tzinfo=dt.timezone.utc)


def write_paragraphs(doc: OfficialDocument, paragraphs: list[Paragraph], label: str = "") -> None:
    """Narrative paragraphs in order, list items as ``- `` bullets, in every section alike.

    A ``label`` (``Hình thức tuyên truyền:``, bold italic) opens the first paragraph when that is plain text;
    before dash items it stands on its own line, so every item keeps its dash.
    """
    if label and paragraphs and not paragraphs[0].bullet:
        first, *rest = paragraphs
        doc.paragraph([Run(label + " ", bold=True, italic=True), Run(first.text)])
        paragraphs = rest
    elif label and paragraphs:
        doc.paragraph([Run(label, bold=True, italic=True)], keep_next=True)
    for paragraph in paragraphs:
        if paragraph.bullet:
            doc.bullet(paragraph.text)
        else:
            doc.paragraph(paragraph.text)


def capitalised(word: str) -> str:
    """``cha mẹ học sinh`` → ``Cha mẹ học sinh``: a sentence's word as a table's row label."""
    return word[:1].upper() + word[1:]


def new_document(c: Campaign, subject: str, date: dt.date | None) -> OfficialDocument:
    """An empty document titled ``subject``, its time fixed from ``date``."""
    s = c.settings
    return OfficialDocument(title=subject, author=s.unit or "toolkit", created=stamp(date, s.start))

"""The Kế hoạch (plan): its outline, with every phrase taken from the campaign's words."""

from __future__ import annotations

from ..core.vnformat import date_text, doc_number, money, place_date, span_text
from ..workbook.model import Campaign
from ..workbook.wording import Words
from . import citing, glue
from .common import MISSING, distribution, new_document, send_to, signature, words, write_paragraphs
from .kinds import KIND, PLAN
from .layout import OfficialDocument


def build_plan(c: Campaign) -> OfficialDocument:
    """The whole plan document."""
    s = c.settings
    w = words(c)
    kind = KIND[PLAN]
    doc = new_document(c, w(kind.heading), kind.date(s))
    doc.top_block(
        s.parent_body or MISSING,
        s.unit or MISSING,
        doc_number(kind.number(s), kind.symbol, s.unit_abbr),
        place_date(s.place or MISSING, kind.date(s), s.year),
    )
    doc.title_block(kind.name, w(kind.heading))
    for verb, reference in citing.ordered(c.cited_for("plan")):
        doc.paragraph(f"{verb} {reference};")
    doc.paragraph(w("kh.mo_dau"))

    doc.heading(w("kh.muc_dich"))
    write_paragraphs(doc, c.paragraphs("purpose"))

    doc.heading(w("kh.noi_dung"))
    if s.theme:
        doc.item(w("kh.chu_de"), f"“{s.theme}”.")
    doc.item(w("kh.thoi_gian"), f"Từ ngày {date_text(s.start)} đến ngày {date_text(s.end)}.")
    _identity(doc, c, w)
    _activities(doc, c, w)
    doc.item(w("kh.kinh_phi"))
    doc.paragraph(s.funding or w("kh.kinh_phi_nguon"))
    planned = sum(a.money for a in c.planned_activities)
    if planned:
        doc.paragraph(w("kh.kinh_phi_du_kien", so_tien=money(planned)))

    doc.heading(w("kh.to_chuc"))
    write_paragraphs(doc, c.paragraphs("organisation"))
    doc.paragraph(_reporting_duty(c, w))
    doc.paragraph(w("kh.ket_thuc"), keep_next=True)
    head = [f"{office} (b/c)" for office in s.report_to or (MISSING,)]
    doc.signature(distribution(head, w.lines("kh.noi_nhan")), signature(s))
    return doc


def _identity(doc: OfficialDocument, c: Campaign, w: Words) -> None:
    """The identity kit and messages, only when the workbook cites a kit or lists messages."""
    identity = c.cited_for("identity")
    if not identity and not c.messages:
        return
    doc.item(w("kh.nhan_dien"))
    if identity:
        doc.paragraph(w("kh.nhan_dien_nguon", nguon="; ".join(citing.short(citation) for citation in identity)))
    if c.messages:
        doc.paragraph(w("kh.thong_diep"), keep_next=True)
        for message in c.messages:
            doc.bullet(message)


def _activities(doc: OfficialDocument, c: Campaign, w: Words) -> None:
    """The main activities: narrative, the outreach paragraph and the table of activities."""
    activities = c.planned_activities
    if not (c.paragraphs("main_activities") or c.paragraphs("outreach") or activities):
        return
    doc.item(w("kh.hoat_dong_chinh"))
    write_paragraphs(doc, c.paragraphs("main_activities"))
    write_paragraphs(doc, c.paragraphs("outreach"), label=w("kh.hinh_thuc"))
    if activities:
        doc.paragraph(w("kh.hoat_dong_cu_the"), keep_next=True)
        rows = [
            (str(i), a.name, span_text(a.start, a.end), a.lead, a.partners) for i, a in enumerate(activities, start=1)
        ]
        doc.table(
            [1.2, 6.6, 2.9, 3.0, 2.8],
            glue.PLAN_TABLE,
            rows,
            aligns=("center", "left", "center", "left", "left"),
        )


def _reporting_duty(c: Campaign, w: Words) -> str:
    """``Báo cáo kết quả thực hiện theo đề cương … gửi về … (Đ/c Bằng) chậm nhất ngày 10/12/2023.``"""
    s = c.settings
    text = w("kh.bao_cao")
    outline = c.cited_for("outline")
    if outline:
        text += " theo đề cương báo cáo kèm theo " + "; ".join(citing.short(citation) for citation in outline)
    text += f" gửi về {send_to(s)}"
    if s.report_email:
        text += f", địa chỉ thư điện tử {s.report_email}"
    if s.report_deadline:
        text += f" chậm nhất ngày {date_text(s.report_deadline)}"
    return text + "."

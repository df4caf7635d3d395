"""The Kế hoạch (plan), following the outline of ``documents.md`` and reproducing the seed plan."""

from __future__ import annotations

from ..model import Campaign
from ..vnformat import date_text, doc_number, money, place_date, span_text
from .common import MISSING, campaign_name, new_document, signature, unit_name, write_paragraphs
from .layout import OfficialDocument
from .ooxml import Run


def build_plan(c: Campaign) -> OfficialDocument:
    """The whole plan document."""
    s = c.settings
    name = campaign_name(s)
    subject = f"Triển khai {name}"
    doc = new_document(c, subject, s.plan_date)
    doc.top_block(s.parent_body or MISSING, s.unit or MISSING, doc_number(s.plan_number, "KH", s.unit_abbr),
                  place_date(s.place or MISSING, s.plan_date, s.year))
    doc.title_block("Kế hoạch", subject)
    for citation in c.cited_for("plan"):
        doc.paragraph(f"Thực hiện {citation.full()};")
    doc.paragraph(f"{unit_name(s)} xây dựng Kế hoạch triển khai {name} như sau:")

    doc.heading("I. Mục đích, yêu cầu")
    write_paragraphs(doc, c.paragraphs("purpose"))

    doc.heading("II. Nội dung thực hiện")
    doc.item(f"1. Chủ đề {name}:", f"“{s.theme or MISSING}”.")
    doc.item("2. Thời gian thực hiện:", f"Từ ngày {date_text(s.start)} đến ngày {date_text(s.end)}.")
    doc.item("3. Bộ nhận diện và thông điệp truyền thông")
    identity = c.cited_for("identity")
    if identity:
        sources = "; ".join(citation.short() for citation in identity)
        doc.paragraph(f"Thực hiện theo Bộ nhận diện và các thông điệp truyền thông kèm theo {sources}.")
    if c.messages:
        doc.paragraph("Các thông điệp truyền thông:", keep_next=True)
        for message in c.messages:
            doc.bullet(message)
    if not identity and not c.messages:
        doc.paragraph("Sử dụng bộ nhận diện và các thông điệp truyền thông do cấp trên ban hành.")
    doc.item("4. Những hoạt động chính")
    write_paragraphs(doc, c.paragraphs("main_activities"))
    for index, paragraph in enumerate(c.paragraphs("outreach")):
        label = [Run("Hình thức tuyên truyền: ", bold=True, italic=True)] if index == 0 else []
        doc.paragraph([*label, Run(paragraph.text)])
    activities = c.planned_activities
    if activities:
        doc.paragraph("Các hoạt động cụ thể:", keep_next=True)
        rows = [(str(i), a.name, span_text(a.start, a.end), a.lead, a.partners)
                for i, a in enumerate(activities, start=1)]
        doc.table([1.2, 6.6, 2.9, 3.0, 2.8], ("STT", "Hoạt động", "Thời gian", "Phụ trách", "Phối hợp"), rows,
                  aligns=("center", "left", "center", "left", "left"))
    doc.item("5. Kinh phí thực hiện")
    doc.paragraph(s.funding or "Từ nguồn kinh phí hoạt động của đơn vị.")
    planned = sum(a.money for a in activities)
    if planned:
        doc.paragraph(f"Tổng kinh phí dự kiến: {money(planned)}.")

    doc.heading("III. Tổ chức thực hiện")
    write_paragraphs(doc, c.paragraphs("organisation"))
    doc.paragraph(_reporting_duty(c))
    doc.paragraph(f"Trên đây là Kế hoạch triển khai {name} của {unit_name(s)}./.", keep_next=True)
    doc.signature([f"- {s.report_to or MISSING} (b/c);", "- CB, GV, NV (t/h);", "- Lưu: VT."], signature(s))
    return doc


def _reporting_duty(c: Campaign) -> str:
    """``Báo cáo kết quả thực hiện theo đề cương … gửi về … (Đ/c Bằng) chậm nhất ngày 10/12/2023.``"""
    s = c.settings
    text = "Báo cáo kết quả thực hiện"
    outline = c.cited_for("outline")
    if outline:
        text += " theo đề cương báo cáo kèm theo " + "; ".join(citation.short() for citation in outline)
    text += f" gửi về {s.report_to or MISSING}"
    if s.report_to_person:
        text += f" ({s.report_to_person})"
    if s.report_email:
        text += f", địa chỉ thư điện tử {s.report_email}"
    if s.report_deadline:
        text += f" chậm nhất ngày {date_text(s.report_deadline)}"
    return text + "."

"""The Báo cáo (results report): figures computed from the activity log, never typed by hand."""

from __future__ import annotations

import datetime as dt

from ..model import Activity, Campaign
from ..text import fold
from ..vnformat import date_text, doc_number, money, percent, place_date, span_text, thousands
from .common import MISSING, campaign_name, new_document, signature, unit_name, write_paragraphs
from .layout import OfficialDocument

PEOPLE = (("staff", "CB-GV-NV"), ("students", "Học sinh"), ("parents", "Phụ huynh"))
NONE = "Không có."


def build_report(c: Campaign) -> OfficialDocument:
    """The whole report document, with its appendix of completed activities."""
    s = c.settings
    name = campaign_name(s)
    subject = f"Kết quả thực hiện {name}"
    doc = new_document(c, subject, s.report_date)
    number = doc_number(s.report_number, "BC", s.unit_abbr)
    doc.top_block(s.parent_body or MISSING, s.unit or MISSING, number,
                  place_date(s.place or MISSING, s.report_date, s.year))
    doc.title_block("Báo cáo", subject, recipient=s.report_to or MISSING)
    cited = "; ".join(citation.full() for citation in c.cited_for("report"))
    opening = f"Thực hiện {cited}, " if cited else ""
    doc.paragraph(f"{opening}{unit_name(s)} báo cáo kết quả thực hiện {name} như sau:")

    doc.heading("I. Công tác chỉ đạo, triển khai")
    doc.paragraph(_plan_sentence(c))
    write_paragraphs(doc, c.paragraphs("direction"))

    doc.heading("II. Kết quả thực hiện")
    _communication(doc, c)
    doc.item("2. Số lượt người tham gia")
    doc.paragraph("Số lượt người tham gia các hoạt động đã thực hiện:", keep_next=True)
    rows, total = participant_rows(c)
    doc.table([4.5, 2.8, 2.8, 2.8, 3.6], ("Đối tượng", "Nam", "Nữ", "Tổng", "Tỷ lệ nữ (%)"), rows,
              aligns=("left", "right", "right", "right", "right"), total=total)
    doc.item("3. Kiểm tra, phát hiện, xử lý")
    for figure in c.figures:
        note = f" ({figure.note})" if figure.note else ""
        doc.bullet(f"{figure.name}: {thousands(figure.value)}{note}.")
    if not c.figures:
        doc.paragraph(NONE)
    spent = sum(a.money for a in c.done_activities)
    doc.item("4. Kinh phí:", f"Tổng kinh phí đã chi: {money(spent)}.")

    doc.heading("III. Đánh giá chung")
    for label, part in (("1. Ưu điểm", "strengths"), ("2. Hạn chế", "weaknesses"), ("3. Nguyên nhân", "causes")):
        doc.item(label)
        write_paragraphs(doc, c.paragraphs(part), NONE)
    doc.heading("IV. Đề xuất, kiến nghị")
    write_paragraphs(doc, c.paragraphs("proposals"), NONE)
    doc.paragraph(f"Trên đây là báo cáo kết quả thực hiện {name} của {unit_name(s)}./.", keep_next=True)
    doc.signature(["- Như trên;", "- Lưu: VT."], signature(s))
    _appendix(doc, c, number)
    return doc


def _plan_sentence(c: Campaign) -> str:
    s = c.settings
    plan = "Kế hoạch"
    if s.plan_number:
        plan += f" số {s.plan_number:02d}/KH-{s.unit_abbr}"
    if s.plan_date:
        plan += f" ngày {date_text(s.plan_date)}"
    return f"{unit_name(s)} đã ban hành {plan} về việc triển khai {campaign_name(s)}, phân công nhiệm vụ và tổ " \
           "chức thực hiện đến toàn thể cán bộ, giáo viên, nhân viên và học sinh."


def _communication(doc: OfficialDocument, c: Campaign) -> None:
    done = c.done_activities
    doc.item("1. Hoạt động truyền thông")
    doc.paragraph(f"Đơn vị đã tổ chức {len(done)} hoạt động, trong đó:", keep_next=True)
    by_group: dict[str, int] = {}
    for activity in done:
        by_group[fold(activity.group)] = by_group.get(fold(activity.group), 0) + 1
    names = {fold(g): g for g in (*c.groups, *(a.group for a in done))}
    for key, count in sorted(by_group.items(), key=lambda kv: _order(c.groups, names[kv[0]])):
        doc.bullet(f"{names[key]}: {count} hoạt động;")
    doc.bullet(f"Treo {sum(a.banners for a in done)} băng rôn, khẩu hiệu;")
    doc.bullet(f"Đăng {sum(a.news for a in done)} tin bài trên trang thông tin điện tử, mạng xã hội của đơn vị.")
    if done:
        doc.paragraph("Các hoạt động cụ thể:", keep_next=True)
    for activity in sorted(done, key=lambda a: (a.start or a.end or dt.date.max, a.row)):
        doc.bullet(activity_sentence(activity))


def _order(groups: tuple[str, ...], group: str) -> int:
    keys = [fold(g) for g in groups]
    return keys.index(fold(group)) if fold(group) in keys else len(keys)


def activity_sentence(a: Activity) -> str:
    """``Ngày 20/11/2023: Phát động … (30 CB-GV-NV, 602 học sinh tham gia).``"""
    if a.end and a.start and a.end != a.start:
        when = f"Từ ngày {date_text(a.start)} đến ngày {date_text(a.end)}"
    else:
        when = f"Ngày {date_text(a.start)}"
    who = []
    for key, label in PEOPLE:
        count = a.counts.get(f"{key}_male", 0) + a.counts.get(f"{key}_female", 0)
        if count:
            who.append(f"{thousands(count)} {label if key == 'staff' else label.lower()}")
    extra = []
    if who:
        extra.append(", ".join(who) + " tham gia")
    if a.banners:
        extra.append(f"{a.banners} băng rôn, khẩu hiệu")
    if a.news:
        extra.append(f"{a.news} tin bài")
    detail = f" ({'; '.join(extra)})" if extra else ""
    return f"{when}: {a.name.rstrip('.')}{detail}."


def participant_rows(c: Campaign) -> tuple[list[tuple[str, ...]], tuple[str, ...]]:
    """Rows CB-GV-NV, Học sinh, Phụ huynh and the total row: Nam, Nữ, Tổng, Tỷ lệ nữ."""
    totals = c.participants()
    rows = []
    for key, label in PEOPLE:
        male, female = totals[key]
        rows.append((label, thousands(male), thousands(female), thousands(male + female),
                     percent(female, male + female)))
    male = sum(m for m, _ in totals.values())
    female = sum(f for _, f in totals.values())
    total = ("Tổng cộng", thousands(male), thousands(female), thousands(male + female), percent(female, male + female))
    return rows, total


def _appendix(doc: OfficialDocument, c: Campaign, number: str) -> None:
    s = c.settings
    doc.centred("PHỤ LỤC", page_break=True)
    doc.centred("DANH SÁCH CÁC HOẠT ĐỘNG ĐÃ THỰC HIỆN")
    when = f" ngày {date_text(s.report_date)}" if s.report_date else ""
    doc.centred(f"(Kèm theo Báo cáo {number.removeprefix('Số: ')}{when} của {unit_name(s)})", bold=False, size=13)
    done = c.done_activities
    rows = [
        (str(i), a.name, span_text(a.start, a.end), a.group, thousands(a.male), thousands(a.female),
         thousands(a.money), a.evidence)
        for i, a in enumerate(done, start=1)
    ]
    total = ("", "Tổng cộng", "", "", thousands(sum(a.male for a in done)), thousands(sum(a.female for a in done)),
             thousands(sum(a.money for a in done)), "")
    doc.table([1.1, 3.5, 2.3, 2.0, 1.4, 1.4, 2.3, 2.5],
              ("STT", "Hoạt động", "Thời gian", "Nhóm", "Nam", "Nữ", "Kinh phí (đồng)", "Minh chứng"), rows,
              aligns=("center", "left", "center", "left", "right", "right", "right", "left"), total=total, size=11)

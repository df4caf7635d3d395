"""The Báo cáo (results report): figures computed from the activity log, never typed by hand.

Every phrase comes from the campaign's words; a statistic is printed only when it has something to
say (no "Treo 0 băng rôn"), and sections with nothing in them are left out, the numbering closing up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..core.text import fold
from ..core.vnformat import (
    blank_date,
    date_text,
    doc_number,
    figure_text,
    money,
    number_symbol,
    percent,
    place_date,
    span_text,
    thousands,
)
from ..workbook.model import Activity, Campaign
from ..workbook.schema import PEOPLE
from ..workbook.wording import Words
from . import citing, glue
from . import styles as st
from .common import MISSING, capitalised, distribution, new_document, signature, unit_name, words, write_paragraphs
from .kinds import KIND, PLAN, REPORT
from .layout import OfficialDocument

EVALUATION = (("bc.uu_diem", "strengths"), ("bc.han_che", "weaknesses"), ("bc.nguyen_nhan", "causes"))


def build_report(c: Campaign) -> OfficialDocument:
    """The whole report document, with its appendix of completed activities."""
    s = c.settings
    w = words(c)
    kind = KIND[REPORT]
    doc = new_document(c, w(kind.heading), kind.date(s))
    number = number_symbol(kind.number(s), kind.symbol, s.unit_abbr)
    doc.top_block(
        s.parent_body or MISSING,
        s.unit or MISSING,
        doc_number(kind.number(s), kind.symbol, s.unit_abbr),
        place_date(s.place or MISSING, kind.date(s), s.year),
    )
    doc.title_block(kind.name, w(kind.heading), s.report_to or (MISSING,))
    lines = citing.ordered(c.cited_for("report"))
    for verb, reference in lines:
        if verb == citing.BASIS:
            doc.paragraph(f"{verb} {reference};")
    directions = [(verb, reference) for verb, reference in lines if verb != citing.BASIS]
    if directions:
        doc.paragraph(f"{directions[0][0]} {'; '.join(r for _, r in directions)}, {w('bc.mo_dau')}")
    else:
        doc.paragraph(w("bc.mo_dau"))

    doc.heading(w("bc.chi_dao"))
    doc.paragraph(_plan_sentence(c, w))
    write_paragraphs(doc, c.paragraphs("direction"))

    doc.heading(w("bc.ket_qua"))
    _activities(doc, c, w)
    _participants(doc, c, w)
    figures = [f for f in c.figures if f.value or f.note]
    if figures:
        doc.item(w("bc.so_lieu"))
        for figure in figures:
            doc.bullet(figure_text(figure.name, figure.value, figure.note))
    spent = sum(a.money for a in c.done_activities)
    if spent:
        doc.item(w("bc.kinh_phi"))
        doc.paragraph(w("bc.kinh_phi_da_chi", so_tien=money(spent)))

    evaluation = [(key, c.paragraphs(part)) for key, part in EVALUATION if c.paragraphs(part)]
    if evaluation:
        doc.heading(w("bc.danh_gia"))
        for key, paragraphs in evaluation:
            doc.item(w(key))
            write_paragraphs(doc, paragraphs)
    if c.paragraphs("proposals"):
        doc.heading(w("bc.de_xuat"))
        write_paragraphs(doc, c.paragraphs("proposals"))
    doc.paragraph(w("bc.ket_thuc"), keep_next=True)
    doc.signature(distribution([glue.AS_ABOVE], w.lines("bc.noi_nhan")), signature(s))
    _appendix(doc, c, w, number)
    return doc


def _plan_sentence(c: Campaign, w: Words) -> str:
    return w("bc.da_ban_hanh", ke_hoach=KIND[PLAN].reference(c.settings))


def _activities(doc: OfficialDocument, c: Campaign, w: Words) -> None:
    """How many activities of each group, banners and posts, then one sentence per activity; when none is done
    yet, a sentence saying so (``bc.chua_hoat_dong``) and those under way."""
    done = c.done_activities
    running = c.running_activities
    people = people_words(c, w)
    doc.item(w("bc.hoat_dong"))
    if not done:  # no count of nothing, no "trong đó:" before an empty list, no appendix (``_appendix``)
        doc.paragraph(w("bc.chua_hoat_dong"), keep_next=bool(running))
        _running(doc, running, people, w)
        return
    doc.paragraph(w("bc.so_hoat_dong", so=len(done)), keep_next=True)
    by_group: dict[str, int] = {}
    for activity in done:
        by_group[fold(activity.group)] = by_group.get(fold(activity.group), 0) + 1
    names = {fold(g): g for g in (*c.groups, *(a.group for a in done))}
    items = [
        f"{names[key]}: {count} hoạt động;"
        for key, count in sorted(by_group.items(), key=lambda kv: _order(c.groups, names[kv[0]]))
    ]
    banners, news = sum(a.banners for a in done), sum(a.news for a in done)
    if banners:
        items.append(w("bc.bang_ron", so=thousands(banners)))
    if news:
        items.append(w("bc.tin_bai", so=thousands(news)))
    for i, item in enumerate(items, start=1):
        doc.bullet(item if i < len(items) else _last(item))
    # the appendix lists them too (``_appendix``): Decree 30 wants the body to point to it
    doc.paragraph(_pointing_to_appendix(w("bc.cu_the"), w("bc.xem_phu_luc")), keep_next=True)
    for activity in sorted(done, key=_when):
        doc.bullet(activity_sentence(activity, people, w))
    _running(doc, running, people, w)


def _running(doc: OfficialDocument, running: list[Activity], people: Mapping[str, str], w: Words) -> None:
    """The activities under way at the report's date, one sentence each, when there are any."""
    if running:
        doc.paragraph(w("bc.dang_thuc_hien"), keep_next=True)
        for activity in sorted(running, key=_when):
            doc.bullet(activity_sentence(activity, people, w))


def _pointing_to_appendix(lead: str, pointer: str) -> str:
    """``Các hoạt động cụ thể (chi tiết tại Phụ lục kèm theo):``: the pointer before the lead's closing colon."""
    text = lead.rstrip()
    return f"{text[:-1].rstrip()} {pointer}:" if text.endswith(":") else f"{text} {pointer}"


def _last(item: str) -> str:
    """The last item of a list ends with a full stop, whichever item it is (``- Treo 6 biển cảnh báo.``)."""
    return item.rstrip().rstrip(";.,") + "."


def _when(a: Activity) -> tuple[dt.date, int]:
    return a.start or a.end or dt.date.max, a.row


def _order(groups: tuple[str, ...], group: str) -> int:
    keys = [fold(g) for g in groups]
    return keys.index(fold(group)) if fold(group) in keys else len(keys)


def people_labels(c: Campaign, w: Words) -> dict[str, str]:
    """Row labels of the participants table by group, the very words of the sentences: ``CB-GV-NV``,
    ``Học sinh``/``Trẻ``, ``Cha mẹ học sinh``/``Cha mẹ trẻ``…"""
    return {
        "staff": w("bang.can_bo"),
        "students": capitalised(c.level.learners),
        "parents": capitalised(c.level.parents),
    }


def people_words(c: Campaign, w: Words) -> dict[str, str]:
    """The groups as a sentence names them: ``CB-GV-NV``, ``học sinh``/``trẻ``, ``cha mẹ học sinh``…"""
    return {"staff": w("bang.can_bo"), "students": c.level.learners, "parents": c.level.parents}


def activity_sentence(a: Activity, people: Mapping[str, str], w: Words) -> str:
    """``Ngày 20/11/2023: Phát động … (30 CB-GV-NV, 602 học sinh tham gia).``: banners and posts in the
    campaign's words (``bc.bang_ron_hoat_dong``, ``bc.tin_bai_hoat_dong``)."""
    if a.end and a.start and a.end != a.start:
        when = glue.FROM_TO.format(start=date_text(a.start), end=date_text(a.end))
    else:
        when = glue.ON_DAY.format(day=date_text(a.start))
    who = []
    for key in PEOPLE:
        count = a.counts.get(f"{key}_male", 0) + a.counts.get(f"{key}_female", 0)
        if count:
            who.append(f"{thousands(count)} {people[key]}")
    extra = []
    if who:
        extra.append(glue.TOOK_PART.format(who=", ".join(who)))
    if a.banners:
        extra.append(w("bc.bang_ron_hoat_dong", so=a.banners))
    if a.news:
        extra.append(w("bc.tin_bai_hoat_dong", so=a.news))
    detail = f" ({'; '.join(extra)})" if extra else ""
    return f"{when}: {a.name.rstrip('.')}{detail}."


def _participants(doc: OfficialDocument, c: Campaign, w: Words) -> None:
    """The participants table, when anyone took part."""
    people = c.participants()
    if not sum(m + f for m, f in people.values()):
        return
    doc.item(w("bc.nguoi_tham_gia"))
    doc.paragraph(w("bc.nguoi_tham_gia_dan"), keep_next=True)
    people_table(doc, w, people, people_labels(c, w), ratio=c.female_ratio)


def people_table(
    doc: OfficialDocument,
    w: Words,
    people: Mapping[str, tuple[int, int]],
    labels: Mapping[str, str],
    *,
    ratio: bool,
) -> None:
    """A row per group of people (``labels``: ``CB-GV-NV``, ``Học sinh`` …) with Nam, Nữ, Tổng, and the
    female share when ``ratio``; then the total row. The school's report and the office's roll-up share it."""

    def row(label: str, male: int, female: int) -> tuple[str, ...]:
        cells = (label, thousands(male), thousands(female), thousands(male + female))
        return (*cells, percent(female, male + female)) if ratio else cells

    rows = [row(labels[key], *people[key]) for key in PEOPLE]
    total = row(glue.TOTAL, sum(m for m, _ in people.values()), sum(f for _, f in people.values()))
    header = (w("bang.doi_tuong"), "Nam", "Nữ", "Tổng")
    if ratio:
        doc.table(
            [4.5, 2.8, 2.8, 2.8, 3.6],
            (*header, w("bang.ty_le_nu")),
            rows,
            aligns=("left", "right", "right", "right", "right"),
            total=total,
        )
    else:
        doc.table([5.5, 3.4, 3.4, 3.4], header, rows, aligns=("left", "right", "right", "right"), total=total)


def _appendix(doc: OfficialDocument, c: Campaign, w: Words, number: str) -> None:
    s = c.settings
    done = sorted(c.done_activities, key=_when)  # by date, as the body lists them
    if not done:
        return
    doc.centred("PHỤ LỤC", page_break=True)
    doc.centred(w("bc.phu_luc").upper())
    # no date: room to write it by hand, as the document's own date line leaves
    when = glue.ON_DATE.format(date=date_text(s.report_date)) if s.report_date else f" {blank_date(s.year)}"
    caption = glue.ATTACHED.format(document=KIND[REPORT].name, number=number, when=when, unit=unit_name(s))
    doc.centred(caption, bold=False, size=st.CAPTION)
    rows = [
        (
            str(i),
            a.name,
            span_text(a.start, a.end),
            a.group,
            thousands(a.male),
            thousands(a.female),
            thousands(a.money),
            a.evidence,
        )
        for i, a in enumerate(done, start=1)
    ]
    total = (
        "",
        glue.TOTAL,
        "",
        "",
        thousands(sum(a.male for a in done)),
        thousands(sum(a.female for a in done)),
        thousands(sum(a.money for a in done)),
        "",
    )
    doc.table(
        [1.1, 3.5, 2.3, 2.0, 1.4, 1.4, 2.3, 2.5],
        glue.APPENDIX_TABLE,
        rows,
        aligns=("center", "left", "center", "left", "right", "right", "right", "left"),
        total=total,
        size=st.APPENDIX_TABLE,
    )

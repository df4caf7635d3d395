"""The Báo cáo tổng hợp: the office's consolidated report, laid out as Decree 30 requires.

The same ``OfficialDocument`` as the schools' documents (top block, title, Kính gửi, numbered sections,
signature, appendices); every phrase from ``rollup_wording.json``; every figure the sum of the counted
schools' own reports.
"""

from __future__ import annotations

from ..core.vnformat import date_text, doc_number, figure_text, money, number_symbol, place_date, thousands
from ..documents import glue
from ..documents import styles as st
from ..documents.common import (
    MISSING,
    campaign_name,
    capitalised,
    distribution,
    signature,
    stamp,
    unit_name,
    write_paragraphs,
)
from ..documents.kinds import KIND, REPORT
from ..documents.layout import OfficialDocument
from ..documents.report import people_table
from ..workbook.model import Settings
from ..workbook.names import in_sentence
from ..workbook.schema import CONTENT_PARTS
from ..workbook.validate_settings import female_ratio
from ..workbook.wording import Words, default_level, find_level, phrases, rollup_phrases
from .figures import Figures, reported
from .gather import COUNTED, SchoolResult, Status, other_body
from .listing import RollupList
from .table import fit, group_of, ordered, report_table, status_text

EVALUATION = tuple((label, key) for label, key in CONTENT_PARTS if key in ("strengths", "weaknesses", "causes"))


def rollup_words(
    office: Settings, levels: tuple[str, ...], own: dict[str, str] | None = None
) -> tuple[Words, dict[str, str]]:
    """The report's phrases (the office's ``own`` texts over the defaults) with the office, the campaign and the
    people words filled in, and the row labels of the participants table (``Trẻ, học sinh`` when kindergartens
    and schools are counted together)."""
    found = [lv for lv in (find_level(name) for name in levels) if lv is not None] or [default_level()]

    def joined(attr: str) -> str:
        words: list[str] = []
        for lv in found:
            word = getattr(lv, attr)
            if word.lower() not in (w.lower() for w in words):
                words.append(word)
        return ", ".join(words)

    texts = {key: phrase.text for key, phrase in rollup_phrases().items()}
    texts.update({key: text for key, text in (own or {}).items() if key in texts})
    # the participants table's words are the schools' reports' own (``bang.*`` of wording.json)
    texts.update({key: phrase.text for key, phrase in phrases().items() if key.startswith("bang.")})
    fields = {
        "dot": campaign_name(office),
        "don_vi": unit_name(office),
        "hoc_sinh": joined("learners"),
        "cha_me": joined("parents"),
    }
    labels = {  # the very words of the sentences, as the schools' own tables have them
        "staff": texts["bang.can_bo"],
        "students": capitalised(joined("learners")),
        "parents": capitalised(joined("parents")),
    }
    return Words(texts, fields), labels


def build_rollup(listing: RollupList, results: list[SchoolResult], totals: Figures) -> OfficialDocument:
    """The whole consolidated report with its two appendices."""
    s = listing.office
    w, labels = rollup_words(s, totals.levels, listing.texts)
    doc = OfficialDocument(title=w("th.tieu_de"), author=s.unit or "toolkit", created=stamp(s.report_date, s.start))
    kind = KIND[REPORT]
    number = number_symbol(kind.number(s), kind.symbol, s.unit_abbr)
    top_number = doc_number(kind.number(s), kind.symbol, s.unit_abbr)
    doc.top_block(s.parent_body, s.unit or MISSING, top_number, place_date(s.place or MISSING, s.report_date, s.year))
    doc.title_block(kind.name, w("th.tieu_de"), s.report_to or (MISSING,))
    doc.paragraph(w("th.mo_dau"))

    results = [r for r in results if r.status != Status.DUPLICATE]  # a row of the list twice: one school, once
    counted = [r for r in ordered(results) if r.counted]
    others = [r for r in ordered(results) if not r.counted]
    doc.heading(w("th.tinh_hinh"))
    doc.bullet(w("th.tong_so", so=len(results)))
    doc.bullet(w("th.da_bao_cao", so=len(counted)))
    if others:
        doc.bullet(w("th.chua_bao_cao", so=len(others)), keep_next=True)
        _sub_items(doc, [f"{in_sentence(r.entry.name or r.unit)}: {_why(r, w)}" for r in others])
    foreign = [r for r in counted if other_body(r, s)]
    if foreign:
        doc.bullet(w("th.khac_chu_quan", so=len(foreign)), keep_next=True)
        _sub_items(doc, [f"{in_sentence(r.entry.name or r.unit)}: {_other_body(r, w)}" for r in foreign])

    doc.heading(w("th.ket_qua"))
    _activities(doc, totals, w)
    _participants(doc, totals, w, labels, female_ratio(s))
    figures = reported(totals)
    if figures:
        doc.item(w("th.so_lieu"))
        for name, value in figures:
            doc.bullet(figure_text(name, value))
    if totals.money:
        doc.item(w("th.kinh_phi"))
        doc.paragraph(w("th.kinh_phi_da_chi", so_tien=money(totals.money)))
    doc.item(w("th.tung_don_vi"), w("th.xem_phu_luc"))

    evaluation = [(label, listing.content.get(part, [])) for label, part in EVALUATION]
    if any(paragraphs for _, paragraphs in evaluation):
        doc.heading(w("th.danh_gia"))
        for label, paragraphs in evaluation:
            if paragraphs:
                doc.item(label)
                write_paragraphs(doc, paragraphs)
    if listing.content.get("proposals"):
        doc.heading(w("th.de_xuat"))
        write_paragraphs(doc, listing.content["proposals"])
    doc.paragraph(w("th.ket_thuc"), keep_next=True)
    doc.signature(distribution([glue.AS_ABOVE], w.lines("th.noi_nhan")), signature(s))
    _appendices(doc, listing, results, totals, w, number)
    return doc


def _sub_items(doc: OfficialDocument, items: list[str]) -> None:
    """Items under a counted line, a level below it (``+ …;``), the last closing with a full stop."""
    for i, item in enumerate(items):
        doc.bullet(item + ("." if i == len(items) - 1 else ";"), mark="+", level=2)


def _other_body(r: SchoolResult, w: Words) -> str:
    """``cơ quan chủ quản ghi trong sổ: Sở GD&ĐT tỉnh Quảng Nam``."""
    return w("th.chu_quan_ghi", nguon=in_sentence(r.parent))


def _why(r: SchoolResult, w: Words) -> str:
    """Why a school is not counted, in the report's words."""
    if r.status == Status.WRONG:
        return w("th.ly_do.wrong-campaign", nguon=f"“{r.campaign or MISSING}” năm {r.year or MISSING}")
    if r.status == Status.ERRORS:
        return w("th.ly_do.errors", so=r.errors)
    return w(f"th.ly_do.{r.status}")


def _activities(doc: OfficialDocument, totals: Figures, w: Words) -> None:
    doc.item(w("th.hoat_dong"))
    doc.paragraph(w("th.so_hoat_dong", so=thousands(totals.done)), keep_next=bool(totals.groups))
    for group, count in totals.groups.items():
        doc.bullet(f"{group}: {thousands(count)} hoạt động;")
    if totals.banners:
        doc.bullet(w("th.bang_ron", so=thousands(totals.banners)))
    if totals.news:
        doc.bullet(w("th.tin_bai", so=thousands(totals.news)))


def _participants(doc: OfficialDocument, totals: Figures, w: Words, labels: dict[str, str], ratio: bool) -> None:
    """Participants by group and sex, with the female ratio when the campaign's ``Tỷ lệ nữ`` asks for it."""
    if not totals.male + totals.female:
        return
    doc.item(w("th.nguoi_tham_gia"))
    doc.paragraph(w("th.nguoi_tham_gia_dan"), keep_next=True)
    people_table(doc, w, totals.people, labels, ratio=ratio)


def _appendices(
    doc: OfficialDocument, listing: RollupList, results: list[SchoolResult], totals: Figures, w: Words, number: str
) -> None:
    s = listing.office
    when = glue.ON_DATE.format(date=date_text(s.report_date)) if s.report_date else ""
    caption = glue.ATTACHED.format(document=KIND[REPORT].name, number=number, when=when, unit=unit_name(s))
    header, rows, total, widths, aligns, size = report_table(results, totals, w)
    doc.centred("PHỤ LỤC I", page_break=True)
    doc.centred(w("th.phu_luc_1").upper())
    doc.centred(caption, bold=False, size=st.CAPTION)
    doc.table(widths, header, rows, aligns=aligns, total=total, size=size)
    others = [r for r in ordered(results) if r.status not in COUNTED or other_body(r, s)]
    if not others:
        return
    doc.centred("PHỤ LỤC II", page_break=True)
    doc.centred(w("th.phu_luc_2_luu_y" if any(r.counted for r in others) else "th.phu_luc_2").upper())
    doc.centred(caption, bold=False, size=st.CAPTION)
    header = list(glue.SCHOOLS_TABLE)
    rows = [
        (str(i), r.entry.name or r.unit, group_of(r), _status(r, w, s), _detail(r, w, s), r.entry.email)
        for i, r in enumerate(others, start=1)
    ]
    widths, size = fit(header, rows, [False] * len(header), name_column=1, spread=True)
    doc.table(widths, header, rows, aligns=("center", "left", "left", "left", "left", "left"), size=size)


def _status(r: SchoolResult, w: Words, office: Settings) -> str:
    """The school's status in Phụ lục II: why it is not counted, or that it is counted under another body."""
    return w("th.tinh_trang.other-body") if r.counted and other_body(r, office) else status_text(r, w)


def _detail(r: SchoolResult, w: Words, office: Settings) -> str:
    """The reason in full: the reader's own message for an unreadable workbook."""
    if r.counted and other_body(r, office):
        return _other_body(r, w)
    if r.status == Status.UNREADABLE and r.reason is not None:
        return r.reason.text()
    return _why(r, w)

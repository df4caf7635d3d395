"""Decree 30/2020/NĐ-CP layout facts of a .docx, shared by every document the toolkit writes (the schools'
plan and report, the office's consolidated report): page, margins, page numbers, fonts, tables."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_page_setup(path: Path) -> None:
    """A4 portrait, margins within the decree's ranges, the page number centred in the header from page 2."""
    section = Document(str(path)).sections[0]
    assert abs(section.page_width - Cm(21)) < 635 and abs(section.page_height - Cm(29.7)) < 635  # ±1 twip
    assert Cm(2.0) <= section.top_margin <= Cm(2.5)
    assert Cm(2.0) <= section.bottom_margin <= Cm(2.5)
    assert Cm(3.0) <= section.left_margin <= Cm(3.5)
    assert Cm(1.5) <= section.right_margin <= Cm(2.0)
    assert section.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in section.header._element.iter(f"{W}instrText"))
    assert section.header.paragraphs[0].alignment == 1  # centred
    assert {int(s.get(qn("w:val"))) for s in section.header._element.iter(f"{W}sz")} == {26}
    first = section.first_page_header._element
    assert not list(first.iter(f"{W}instrText")) and not "".join(t.text for t in first.iter(f"{W}t"))


def check_fonts(path: Path) -> None:
    """Times New Roman for every script in every style, no theme fonts, black text; runs inherit."""
    with zipfile.ZipFile(path) as package:
        styles = package.read("word/styles.xml").decode()
        document = package.read("word/document.xml").decode()
    assert "Theme" not in styles.replace("w:themeFontLang", "")
    fonts = re.findall(r"<w:rFonts [^>]*/>", styles)
    assert fonts
    for element in fonts:
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert f'w:{attr}="Times New Roman"' in element
    assert "rFonts" not in document  # runs inherit the styles' fonts
    assert re.findall(r'<w:color w:val="([0-9A-F]+)"', styles) and set(
        re.findall(r'<w:color w:val="([0-9A-Fa-f]+)"', styles)
    ) == {"000000"}


def check_data_tables(path: Path) -> None:
    """Every bordered data table: its header row repeats on each page, no row splits, it fits the text width."""
    document = Document(str(path))
    section = document.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) / 635  # EMU → twips
    tables = [
        t for t in document.tables if t._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) != "nil"
    ]
    assert tables
    for table in tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
        assert sum(int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))) <= width


def effective(paragraph, name: str):
    """A paragraph's formatting as Word applies it: its own (``paragraph_format.<name>``), else its style's,
    else the style that style is based on …"""
    value = getattr(paragraph.paragraph_format, name)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, name)
        style = style.base_style
    return value


def size_pt(run, paragraph) -> float:
    """A run's type size as Word applies it: its own, else its paragraph style's, else the document default."""
    if run.font.size is not None:
        return run.font.size.pt
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    default = paragraph.part.document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    return int(default.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val"))) / 2

"""Word-safety of the XML we write: schema element order, field runs, table structure.

Word rejects (or offers to "repair") a file whose elements are out of the order the schema gives,
so every properties element of both documents is checked against the sequences we rely on.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import write_workbook
from toolkit.core.config import Options
from toolkit.pipeline import sync_and_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Child order of the ECMA-376 complex types (only the part of each sequence that matters here).
SEQUENCES = {
    "pPr": (
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ),
    "rPr": (
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ),
    "pBdr": ("top", "left", "bottom", "right", "between", "bar"),
    "tblPr": (
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    ),
    "tcPr": (
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
    ),
    "tblBorders": ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV"),
    "tblCellMar": ("top", "left", "start", "bottom", "right", "end"),
    "sectPr": (
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
    ),
    "tbl": ("bookmarkStart", "tblPr", "tblGrid", "tr"),
    "tc": ("tcPr", "p", "tbl"),
    "tr": ("tblPrEx", "trPr", "tc"),
}


def order_problems(root: etree._Element) -> list[str]:
    """Every element whose children break the sequences above, as ``parent: a before b``."""
    found = []
    for name, sequence in SEQUENCES.items():
        for element in root.iter(f"{W}{name}"):
            ranks = []
            for child in element:
                local = etree.QName(child).localname
                if local in sequence:
                    ranks.append((sequence.index(local), local))
            for (r1, a), (r2, b) in itertools.pairwise(ranks):
                if r2 < r1:
                    found.append(f"{name}: {a} before {b}")
    return found


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> dict[str, etree._Element]:
    folder = tmp_path_factory.mktemp("xml")
    report = sync_and_report(str(write_workbook(folder / "x.xlsx")), Options(output=folder / "out"))
    found = {}
    for path in report.outputs:
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if (
                    name.startswith("word/")
                    and name.endswith(".xml")
                    and ("header" in name or "document" in name or "styles" in name)
                ):
                    found[f"{Path(path).name[:2]}:{name}"] = etree.fromstring(package.read(name))
    return found


def test_elements_are_in_schema_order(parts) -> None:
    assert len(parts) >= 6
    for name, root in parts.items():
        assert order_problems(root) == [], name


def test_field_runs_hold_no_text(parts) -> None:
    fields = 0
    for root in parts.values():
        for run in root.iter(f"{W}r"):
            if run.find(f"{W}fldChar") is not None:
                fields += 1
                assert run.find(f"{W}t") is None and run.find(f"{W}instrText") is None
            if run.find(f"{W}instrText") is not None:
                assert run.find(f"{W}t") is None
    assert fields >= 3


def test_tables_are_well_formed_and_the_body_ends_with_a_paragraph(parts) -> None:
    for name, root in parts.items():
        for table in root.iter(f"{W}tbl"):
            columns = len(table.find(f"{W}tblGrid"))
            for row in table.iter(f"{W}tr"):
                spans = [
                    int(tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val"))
                    if tc.find(f"{W}tcPr/{W}gridSpan") is not None
                    else 1
                    for tc in row.findall(f"{W}tc")
                ]
                assert sum(spans) == columns, name
                for cell in row.findall(f"{W}tc"):
                    assert cell[-1].tag == f"{W}p", name
                    assert cell.find(f"{W}tcPr/{W}tcW") is not None
        body = root.find(f"{W}body")
        if body is not None:
            assert body[-1].tag == f"{W}sectPr" and body[-2].tag == f"{W}p", name


def test_the_order_check_can_fail() -> None:
    bad = etree.fromstring(
        f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:spacing/><w:pBdr><w:bottom/><w:top/></w:pBdr><w:keepNext/></w:pPr>'
        "<w:r><w:rPr><w:sz/><w:b/></w:rPr></w:r></w:p>"
    )
    assert order_problems(bad) == [
        "pPr: spacing before pBdr",
        "pPr: pBdr before keepNext",
        "rPr: sz before b",
        "pBdr: bottom before top",
    ]


def test_a_name_with_a_control_character_gives_a_valid_file(tmp_path) -> None:
    """Through the library (not the reader, which cleans cells), a Campaign may hold any text."""
    import datetime as dt

    from docx import Document

    from toolkit.documents.plan import build_plan
    from toolkit.workbook.model import Campaign, Settings

    settings = Settings(
        unit="TRƯỜNG\x0b TH BÌNH AN",
        campaign="Tháng\x0b hành động",
        year=2023,
        unit_abbr="THBA",
        start=dt.date(2023, 11, 15),
        end=dt.date(2023, 12, 15),
    )
    path = tmp_path / "kh.docx"
    path.write_bytes(build_plan(Campaign(settings)).to_bytes())
    document = Document(str(path))
    assert document.core_properties.title == "Triển khai Tháng hành động năm 2023"
    assert document.core_properties.author == "TRƯỜNG TH BÌNH AN"


def test_every_run_of_text_is_stripped_of_what_xml_cannot_hold() -> None:
    from lxml import etree

    from toolkit.documents.ooxml import Run, paragraph_xml

    xml = paragraph_xml([Run("a\x0bb\x00c\ud800d\ufffe & <e>")])
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    element = etree.fromstring(xml.replace("<w:p>", f"<w:p {ns}>", 1).encode("utf-8", "surrogatepass"))
    assert "".join(element.itertext()) == "abcd & <e>"

"""The two ``.xlsx`` readers are equal: calamine (an ordinary workbook) and openpyxl's streaming mode (a workbook
with error values, TCVN3/VNI fonts or cells calamine cannot be trusted with) give the same ``RawWorkbook``, so
the same problems and byte-identical documents, on every workbook of the tests and on generated cells.

Where the two libraries disagree (``docs/readers.md``), the scan sends the package to openpyxl, or both readers
give what Excel shows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import warnings
import zipfile
from itertools import zip_longest
from pathlib import Path

import pytest
from fuzzing import damage, example, mutations
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_hostile import CASES, SIZE_CASES

from cases import build_case_a, build_case_b
from conftest import write_workbook
from toolkit.core.errors import SourceError
from toolkit.documents.plan import build_plan
from toolkit.documents.report import build_report
from toolkit.sources.other_formats import read_calamine
from toolkit.sources.package import scan
from toolkit.sources.xlsx import XLSX, check_workbook_file, read_streamed, read_xlsx
from toolkit.workbook.tables import RawWorkbook
from toolkit.workbook.validate import validate

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2023, 12, 8)


def outputs(raw: RawWorkbook) -> tuple[str, bytes, bytes]:
    """The problems as JSON and both documents' bytes."""
    campaign, report = validate(raw, today=TODAY)
    problems = json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=True, default=str)
    return problems, build_plan(campaign).to_bytes(), build_report(campaign).to_bytes()


def both(path: Path) -> tuple[RawWorkbook, RawWorkbook]:
    """``path`` read as the toolkit reads it, and by openpyxl's streaming reader."""
    return read_xlsx(path, "x"), read_streamed(path, "x")


def bench_workbook(path: Path, n: int) -> Path:
    sys.path.insert(0, str(HERE.parent / "bench"))
    try:
        from generate import write
    finally:
        sys.path.remove(str(HERE.parent / "bench"))
    return write(n, path)


def saved_by_calc(source: Path) -> Path:
    """``source`` opened and saved again as ``.xlsx`` by LibreOffice Calc (its shared strings, its styles)."""
    from test_formats import _calc

    soffice = _calc()
    with tempfile.TemporaryDirectory(prefix="toolkit-calc-") as work:
        out = Path(work, "out")
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(work, 'p').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(out),
                str(source),
            ],
            capture_output=True,
            timeout=180,
            env={**os.environ, "HOME": work},
        )
        target = source.with_name(f"calc-{source.stem}.xlsx")
        target.write_bytes((out / f"{source.stem}.xlsx").read_bytes())
    return target


def merged_and_reordered(tmp_path: Path) -> Path:
    """The example with merged ranges (a two-row header over the participants, a text over two rows), saved with
    ``r:id`` before ``name`` in ``workbook.xml`` (the order a pattern once missed)."""
    import re

    from openpyxl import load_workbook

    path = write_workbook(tmp_path / "merged.xlsx")
    book = load_workbook(path)
    ws = book["Hoạt động"]
    ws.insert_rows(1)
    ws["K1"] = "Người tham gia"
    ws.merge_cells("K1:P1")
    ws["A1"] = ws["A2"].value
    ws.merge_cells("A1:A2")  # a header two rows tall
    ws.merge_cells("B3:B4")
    book.save(path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    workbook = parts["xl/workbook.xml"].decode()
    swapped = re.sub(r'(<sheet [^>]*?)(name="[^"]*") ([^>]*?)(r:id="[^"]*")', r"\1\4 \3\2", workbook)
    assert swapped != workbook
    parts["xl/workbook.xml"] = swapped.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


WORKBOOKS = {
    "merged ranges, r:id before name": merged_and_reordered,
    "example": lambda t: write_workbook(t / "example.xlsx"),
    "blank template": lambda t: write_workbook(t / "blank.xlsx", filled=False),
    "case A": lambda t: build_case_a(t / "a.xlsx"),
    "case B": lambda t: build_case_b(t / "b.xlsx"),
    "300 activities": lambda t: bench_workbook(t / "bench.xlsx", 300),
    "case B saved by LibreOffice": lambda t: saved_by_calc(build_case_b(t / "b.xlsx")),
    "a date under a text format": lambda t: write_workbook(t / "d.xlsx", {("Hoạt động", "B3"): dt.date(2023, 11, 20)}),
}


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_every_workbook_reads_the_same_through_both_readers(tmp_path, name) -> None:
    path = WORKBOOKS[name](tmp_path)
    assert scan(path).careful == ""  # an ordinary workbook: the toolkit reads it with calamine
    fast, careful = both(path)
    assert fast == careful
    assert outputs(fast) == outputs(careful)


@pytest.mark.parametrize("name", list(CASES) + list(SIZE_CASES))
def test_hostile_and_huge_files_give_the_same_answer_through_both_readers(tmp_path, name, monkeypatch) -> None:
    """A refused file is refused before either reader is asked; a read one gives the cells it holds, through the
    reader the scan chose (blank cells far away or in 200,000 rows add nothing to the example's rows; the long
    text fills its 5,000 rows; a long cell is read whole, by calamine and by openpyxl alike)."""
    from toolkit.sources import other_formats

    make = (CASES.get(name) or SIZE_CASES[name])[0]
    path = make(tmp_path)
    try:
        if check_workbook_file(path) != XLSX:
            return  # an .xls: neither .xlsx reader is asked
        careful = scan(path).careful
    except SourceError:
        return  # refused before any reader (zip bomb, password, a DTD, not a workbook …): one check for both
    asked: list[Path] = []

    def calamine(path: Path, label: str) -> RawWorkbook:
        asked.append(path)
        return read_calamine(path, label)

    monkeypatch.setattr(other_formats, "read_calamine", calamine)
    raw = read_xlsx(path, "x")
    assert bool(asked) == (not careful)  # calamine only for what the scan trusts it with
    base = read_xlsx(write_workbook(tmp_path / "expected.xlsx"), "x")
    activities = next(i for i, sheet in enumerate(base.sheets) if sheet.title == "Hoạt động")
    expected = [sheet.rows for sheet in base.sheets]
    if name == "repeated long text":
        expected[activities] = [expected[activities][0], *[[("Tọa đàm về bình đẳng giới " * 1400)[:32767]] * 21] * 5000]
    elif name == "quadratic regex":
        expected[activities][1] = [
            *expected[activities][1],
            *[None] * (20 - len(expected[activities][1])),
            "đ-" * 16383,
        ]
        assert read_streamed(path, "x") == raw  # the one case read by calamine: openpyxl gives the same
    assert [sheet.rows for sheet in raw.sheets] == expected


def _workbook_of(raw: RawWorkbook, path: Path) -> Path | None:
    """``raw`` written as an ``.xlsx`` by openpyxl, as a program other than the toolkit would save it; None when
    openpyxl cannot write it (a control character, a lone surrogate, a title Excel refuses)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    try:
        for sheet in raw.sheets:
            ws = book.create_sheet(sheet.title[:31])
            for row in sheet.rows:
                ws.append(list(row))
        book.save(path)
    except Exception:  # openpyxl's refusals come in many kinds
        return None
    return path


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations)
def test_the_fuzz_corpus_reads_the_same_through_both_readers(changes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            path = _workbook_of(damage(example(), changes), Path(folder) / "fuzz.xlsx")
        assume(path is not None)
        assert path is not None
        fast, careful = both(path)
    assert fast == careful
    assert outputs(fast) == outputs(careful)


# -- generated cells, written as raw SpreadsheetML (what Excel, LibreOffice or a script may write) ------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STYLES = (  # 0 General, 1 a date, 2 a date and time, 3 a time, 4 text, 5 a number with two decimals
    f'<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts><fonts count="1"><font><sz val="11"/>'
    '<name val="Times New Roman"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill>'
    '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" applyNumberFormat="1"/><xf numFmtId="20" fontId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" applyNumberFormat="1"/><xf numFmtId="4" fontId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)
TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _escape(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace('"', "&quot;").replace("'", "&apos;")  # no text looks like an attribute to the scan


texts = st.one_of(
    st.sampled_from(["05/09/2023", "2023-09-05", "012", "1.500.000", "12,5", " Tọa đàm ", "Đã thực hiện", "TRUE"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12),
)
# (kind, payload): how one cell is written
cells = st.one_of(
    st.tuples(st.just("date"), st.integers(1, 2958465), st.sampled_from([1, 2])),
    st.tuples(st.just("serial"), st.floats(-100, 60000, allow_nan=False).map(lambda x: round(x, 4)), st.integers(0, 5)),
    st.tuples(st.just("number"), st.one_of(st.integers(-(10**9), 10**12), st.floats(-1e9, 1e9)), st.just(0)),
    st.tuples(st.just("inline"), texts, st.sampled_from([0, 4])),
    st.tuples(st.just("shared"), texts, st.sampled_from([0, 4])),
    st.tuples(st.just("rich"), st.lists(texts, min_size=1, max_size=3), st.just(0)),
    st.tuples(st.just("bool"), st.booleans(), st.just(0)),
    st.tuples(st.just("formula"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("text formula"), texts, st.just(0)),
    st.tuples(st.just("error"), st.sampled_from(["#N/A", "#REF!", "#DIV/0!", "#VALUE!"]), st.just(0)),
)


def _cell(ref: str, kind: str, payload: object, style: int, strings: list[str]) -> str:
    s = f' s="{style}"' if style else ""
    if kind in ("date", "serial", "number"):
        return f'<c r="{ref}"{s}><v>{payload!r}</v></c>'
    if kind == "inline":
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_escape(str(payload))}</t></is></c>'
    if kind in ("shared", "rich"):
        if kind == "shared":
            strings.append(f'<si><t xml:space="preserve">{_escape(str(payload))}</t></si>')
        else:
            runs = "".join(
                f'<r><rPr><b val="{i % 2}"/></rPr><t xml:space="preserve">{_escape(t)}</t></r>'
                for i, t in enumerate(payload)  # type: ignore[arg-type]
            )
            strings.append(f"<si>{runs}</si>")
        return f'<c r="{ref}"{s} t="s"><v>{len(strings) - 1}</v></c>'
    if kind == "bool":
        return f'<c r="{ref}" t="b"><v>{int(payload)}</v></c>'  # type: ignore[call-overload]
    if kind == "formula":
        return f'<c r="{ref}"><f>ROUND({payload},0)</f><v>{payload}</v></c>'
    if kind == "text formula":
        return f'<c r="{ref}" t="str"><f>"x"</f><v>{_escape(str(payload))}</v></c>'
    return f'<c r="{ref}" t="e"><f>NA()</f><v>{payload}</v></c>'


def raw_package(path: Path, rows: list[list[tuple]], date1904: bool) -> Path:
    """A workbook of one tab holding ``rows`` of generated cells; a column of shared formulas with cached values
    after them."""
    from toolkit.core.a1 import col_to_letters

    strings: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells_xml = [_cell(f"{col_to_letters(c)}{r}", *cell, strings) for c, cell in enumerate(row, start=1)]
        column = col_to_letters(len(row) + 2)
        formula = f'<f t="shared" ref="{column}1:{column}{len(rows)}" si="0">{r}*2</f>' if r == 1 else ""
        formula = formula or '<f t="shared" si="0"/>'  # the rows below share the first one's formula
        cells_xml.append(f'<c r="{column}{r}">{formula}<v>{r * 2}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells_xml)}</row>')
    parts = {
        "[Content_Types].xml": TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="{int(date1904)}"/>'
        '<sheets><sheet name="Hoạt động" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(strings)
        + "</sst>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(xml_rows)}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return path


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=6), st.booleans())
def test_generated_cells_read_the_same_cell_by_cell(rows, date1904) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = raw_package(Path(folder) / "cells.xlsx", rows, date1904)
        careful = read_streamed(path, "x")
        errors = any(kind == "error" for row in rows for kind, *_ in row)
        far_dates = any(  # a serial under a date format that is negative or beyond year 4637
            kind in ("date", "serial") and style in (1, 2, 3) and (repr(value).startswith("-") or value >= 1_000_000)
            for row in rows
            for kind, value, style in row
        )
        assert (scan(path).careful == "") == (not errors and not far_dates)
        assert read_xlsx(path, "x") == careful  # the toolkit's answer, whichever reader it took
        fast = read_calamine(path, "x")  # calamine on its own, also where the scan would not let it read
    for r, (row_fast, row_careful) in enumerate(zip(fast.sheets[0].rows, careful.sheets[0].rows, strict=True)):
        for c, (a, b) in enumerate(zip_longest(row_fast, row_careful)):
            kind = rows[r][c][0] if c < len(rows[r]) else "formula"
            if kind == "error":
                assert a is None  # calamine gives no error values: hence the scan's detour through openpyxl
            elif kind in ("date", "serial") and rows[r][c][2] in (1, 2, 3) and rows[r][c][1] < 0:
                assert a != b  # Excel shows #####; calamine a time of day, openpyxl a date before 1900
            elif kind == "date" and b == "#VALUE!":  # after 9999-12-31: Excel shows #####
                assert a == rows[r][c][1]  # calamine gives the number: the scan sends serials this far to openpyxl
            else:
                assert a == b and type(a) is type(b), (r, c, rows[r][c] if c < len(rows[r]) else "shared", a, b)


def _rewritten(path: Path, part: str, change) -> Path:
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    parts[part] = change(parts[part].decode()).encode()
    target = path.with_name(f"changed-{path.name}")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return target


SHEET = "xl/worksheets/sheet1.xml"
CAREFUL = {  # what sends a package to openpyxl, and the scan's reason
    "a cell without its reference": (SHEET, lambda x: x.replace('<c r="B1"', "<c", 1), "without its reference"),
    "a prefixed cell": (
        SHEET,
        lambda x: (
            x.replace("<worksheet ", f'<worksheet xmlns:x="{MAIN}" ', 1)
            .replace("<c ", "<x:c ", 1)
            .replace("</c>", "</x:c>", 1)
        ),
        "without its reference",
    ),
    "column BA": (SHEET, lambda x: x.replace('<c r="D1">', '<c r="BA1">', 1), "beyond column AZ"),
    "row 100,000": (
        SHEET,
        lambda x: x.replace("</sheetData>", '<row r="100000"><c r="B100000"><v>7</v></c></row></sheetData>', 1),
        "row 99,999",
    ),
    "an inflated string count": (
        "xl/sharedStrings.xml",
        lambda x: x.replace('uniqueCount="1"', 'uniqueCount="2000000000"'),
        "shared-string count",
    ),
    "a .VnTime font": ("xl/styles.xml", lambda x: x.replace("Times New Roman", ".VnTime"), "TCVN3/VNI font"),
    "an error value": (SHEET, lambda x: x.replace('<c r="B1"><v>5</v>', '<c r="B1" t="e"><v>#N/A</v>'), "error"),
    "a negative date": (SHEET, lambda x: x.replace('<c r="B1"><v>5</v>', '<c r="B1" s="1"><v>-5</v>'), "date serial"),
}


FIRST_ROW = ["Tọa đàm", 5, None, 2]  # the base package's row: a shared string, a number, a shared formula's value
CAREFUL_ROWS = {  # what each careful case reads as (the base's row unless told)
    "column BA": {0: ["Tọa đàm", 5, *[None] * 50, 2]},
    "row 100,000": {0: FIRST_ROW, 99_999: [None, 7]},
    "an error value": {0: ["Tọa đàm", "#N/A", None, 2]},
    "a negative date": {0: ["Tọa đàm", dt.date(1899, 12, 25), None, 2]},  # openpyxl's answer (Excel shows #####)
}


@pytest.mark.parametrize("name", list(CAREFUL))
def test_what_calamine_cannot_be_trusted_with_goes_to_openpyxl(tmp_path, name, monkeypatch) -> None:
    """The scan's reason sends the package to openpyxl (calamine is never asked), which reads the expected cells."""
    from toolkit.sources import other_formats

    base = raw_package(tmp_path / "base.xlsx", [[("shared", "Tọa đàm", 0), ("number", 5, 0)]], False)
    assert scan(base).careful == ""
    assert read_xlsx(base, "x").sheets[0].rows == [FIRST_ROW]
    part, change, reason = CAREFUL[name]
    path = _rewritten(base, part, change)
    assert reason in scan(path).careful
    asked: list[Path] = []
    monkeypatch.setattr(other_formats, "read_calamine", lambda path, label: asked.append(path))
    (sheet,) = read_xlsx(path, "x").sheets
    assert asked == []
    expected = CAREFUL_ROWS.get(name, {0: FIRST_ROW})
    assert len(sheet.rows) == max(expected) + 1
    assert {i: sheet.rows[i] for i in expected} == expected
    assert sheet.legacy_cells == ({(1, 1): "TCVN3"} if name == "a .VnTime font" else {})

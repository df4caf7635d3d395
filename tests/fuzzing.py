"""The whole-pipeline property, shared by the test suite (``tests/test_fuzz.py``) and ``bench/fuzz.py``.

Start from the example workbook as a source reads it, apply random damage (any value in any cell,
renamed, shuffled, duplicated or missing headers, columns and tabs, thousands of blank rows), then run
tables → validation → model → both documents. Property: nothing raises, every problem points at a
real cell of a real tab, and the documents (written with --force) reopen cleanly.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import random
from functools import cache

from docx import Document
from hypothesis import strategies as st

from toolkit.core.a1 import a1_to_rowcol
from toolkit.documents.plan import build_plan
from toolkit.documents.report import build_report
from toolkit.workbook.tables import RawSheet, RawWorkbook
from toolkit.workbook.validate import validate

SPECIAL = [
    "#REF!",
    "#N/A",
    "#DIV/0!",
    "#VALUE!",
    "=SUM(A1:A2)",
    "31/11/2023",
    "29/02/2023",
    "1.500.000 đ",
    "-3",
    "12,5",
    "mười",
    "Tọa đàm",
    "Đã thực hiện",
    "KT.",
    "Công văn số  Công văn số",
    "Tr\xadêng TiÓu häc",
    "Tröôøng Tieåu hoïc",
    "../../etc/passwd",
    "CON",
    "\x00\x07\x1b",
    "_x0007_",
    "\ud800",
    "a" * 300,
    "Công văn số " * 3000,
    "\u202e\u200b\ufeff",
    "𝕿𝖊𝖝𝖙 🎉",
    "1e308",
    "NaN",
    " ",
    "\n\n",
]
values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0x40), max_size=10),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.sampled_from(SPECIAL),
)
headers = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "TEN HOAT DONG",
            "Bat dau",
            "  Kết   thúc ",
            "STT",
            "Trạng thái",
            "Mục",
            "Giá trị",
            "Phần",
            "Nội dung",
            "",
            None,
            "Kinh phí",
            "Kinh phí (đồng)",
            "Hoạt động",
        ]
    ),
)
tab_names = st.one_of(
    st.text(min_size=1, max_size=12),
    st.sampled_from(["THONG TIN", "hoat dong", "Danh muc", "Căn cứ", "Nội dung", "Kiểm tra", "Sheet1"]),
)
mutation = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 20), st.integers(0, 40), st.integers(0, 25), values),
    st.tuples(st.just("header"), st.integers(0, 20), st.integers(0, 25), headers),
    st.tuples(st.just("shuffle"), st.integers(0, 20), st.integers(0, 10**6)),
    st.tuples(st.just("drop_tab"), st.integers(0, 20)),
    st.tuples(st.just("dup_tab"), st.integers(0, 20)),
    st.tuples(st.just("dup_col"), st.integers(0, 20), st.integers(0, 25)),
    st.tuples(st.just("drop_col"), st.integers(0, 20), st.integers(0, 25)),
    st.tuples(st.just("blank_rows"), st.integers(0, 20), st.integers(1, 3000)),
    st.tuples(st.just("rename_tab"), st.integers(0, 20), tab_names),
)
mutations = st.lists(mutation, max_size=8)


@cache
def example() -> RawWorkbook:
    """The example workbook as the local reader gives it."""
    import tempfile
    from pathlib import Path

    from toolkit.authoring.templates import save_workbook
    from toolkit.sources.xlsx import read_xlsx

    with tempfile.TemporaryDirectory() as folder:
        return read_xlsx(save_workbook(Path(folder) / "x.xlsx", filled=True), "fuzz")


def damage(raw: RawWorkbook, changes: list[tuple]) -> RawWorkbook:
    """A copy of ``raw`` with the changes applied."""
    sheets = copy.deepcopy(raw.sheets)
    for change in changes:
        if not sheets:
            break
        kind, index = change[0], change[1] % len(sheets)
        sheet = sheets[index]
        if kind == "set":
            _, _, row, col, value = change
            while len(sheet.rows) <= row:
                sheet.rows.append([])
            cells = sheet.rows[row]
            cells.extend([None] * (col + 1 - len(cells)))
            cells[col] = value
        elif kind == "header" and sheet.rows:
            header = sheet.rows[0]
            header.extend([None] * (change[2] + 1 - len(header)))
            header[change[2]] = change[3]
        elif kind == "shuffle":
            width = max((len(r) for r in sheet.rows), default=0)
            order = list(range(width))
            random.Random(change[2]).shuffle(order)
            sheet.rows = [[(r + [None] * width)[i] for i in order] for r in sheet.rows]
        elif kind == "drop_tab":
            del sheets[index]
        elif kind == "dup_tab":
            sheets.append(RawSheet(_unique(sheet.title + " 2", sheets), copy.deepcopy(sheet.rows)))
        elif kind == "dup_col":
            sheet.rows = [[*r, r[change[2]] if change[2] < len(r) else None] for r in sheet.rows]
        elif kind == "drop_col":
            sheet.rows = [r[: change[2]] + r[change[2] + 1 :] for r in sheet.rows]
        elif kind == "blank_rows":
            sheet.rows.extend([[None] * 5 for _ in range(change[2])])
        elif kind == "rename_tab":
            sheet.title = _unique(change[2], [s for s in sheets if s is not sheet])
    return RawWorkbook(raw.label, sheets)


def _unique(title: str, sheets: list[RawSheet]) -> str:
    """A tab title not taken yet: Excel and Sheets refuse two tabs of the same name (in any case)."""
    taken = {s.title.casefold() for s in sheets}
    candidate, n = title, 2
    while candidate.casefold() in taken:
        candidate, n = f"{title} ({n})", n + 1
    return candidate


def check_pipeline(changes: list[tuple]) -> None:
    """The property: validation and both documents never fail, and every problem points at a real cell."""
    raw = damage(example(), changes)
    campaign, report = validate(raw, today=dt.date(2023, 12, 8))
    titles = {sheet.title: sheet for sheet in raw.sheets}
    for problem in report.problems:
        assert problem.message("vi") and problem.message("en")
        if problem.cell is None:
            continue
        assert problem.tab in titles, problem
        sheet = titles[problem.tab]
        row, col = a1_to_rowcol(problem.cell)
        assert row == problem.row and row <= len(sheet.rows), problem
        assert col <= max(len(r) for r in sheet.rows), problem
    report.to_dict()
    for build in (build_plan, build_report):
        document = Document(io.BytesIO(build(campaign).to_bytes()))
        assert document.paragraphs

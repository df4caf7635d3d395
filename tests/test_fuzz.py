"""Property tests over the whole pipeline (see ``tests/fuzzing.py``); ``bench/fuzz.py`` runs 100,000."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from fuzzing import check_pipeline, mutations, values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.authoring.templates import build_workbook
from toolkit.cli import cli


@given(mutations)
def test_any_damage_to_the_workbook(changes) -> None:
    check_pipeline(changes)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    cells=st.lists(st.tuples(st.integers(2, 30), st.integers(1, 22), values), max_size=10),
    merges=st.lists(
        st.tuples(st.integers(1, 25), st.integers(1, 20), st.integers(0, 3), st.integers(0, 3)), max_size=3
    ),
    blank=st.sampled_from([0, 10, 3000]),
    formula=st.booleans(),
)
def test_real_files_through_the_command(tmp_path_factory, cells, merges, blank, formula) -> None:
    """Saved .xlsx files with merged cells, formulas without cached values and formatted blank rows."""
    book = build_workbook(filled=True)
    ws = book["Hoạt động"]
    for row, col, value in cells:
        if isinstance(value, str):
            value = "".join(ch for ch in value if (ch >= " " or ch in "\t\n") and not "\ud800" <= ch <= "\udfff")
            if value.startswith("="):
                value = "'" + value
        if isinstance(value, float) and value != value:
            value = None
        if (isinstance(value, dt.datetime) and value.year < 1900) or (isinstance(value, dt.date) and value.year < 1900):
            value = str(value)
        try:
            ws.cell(row=row, column=col, value=value)
        except (ValueError, TypeError):
            ws.cell(row=row, column=col, value=repr(value))
    if formula:
        ws["S3"] = "=S2*2"  # saved by openpyxl without a cached value
    for row, col, down, right in merges:
        if down or right:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + down, end_column=col + right)
    for row in range(40, 40 + blank):
        ws.cell(row=row, column=5).number_format = "dd/mm/yyyy"
    path = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    book.save(path)
    result = CliRunner().invoke(cli, ["sync-and-report", str(path), "-o", str(path.parent / "out"), "--format", "json"])
    # openpyxl has just written this file: it must be read (never "unreadable"), and the JSON must agree
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["valid"] is (result.exit_code == 0)
    assert all(p["cell"] is None or p["tab"] for p in data["problems"])

"""A roll-up of 200 schools served by the Sheets emulator, with faults and Google's read quota enforced
(compressed: 60 reads per second instead of per minute), and the shared read budget on a fake clock."""

from __future__ import annotations

import json
from pathlib import Path

from cases import replace_rows
from sheets_emulator import CLIENT_EMAIL, Emulator, Fault, workbook_values
from toolkit.core.config import Options, RetryPolicy
from toolkit.rollup.example import EXAMPLE_SCHOOLS, build_list, school_workbook
from toolkit.rollup.gather import Status
from toolkit.rollup.run import rollup
from toolkit.sources.budget import ReadBudget
from toolkit.sources.xlsx import read_xlsx
from toolkit.workbook import campaigns
from toolkit.workbook.schema import UNITS
from toolkit.workbook.validate import validate

SCHOOLS = 200
OFFICE = "Ủy ban nhân dân xã Tân Phú"
FORBIDDEN, GONE, HANGS = 17, 101, 150  # the schools whose sheets are not shared, deleted, and never answer


def sheet_id(i: int) -> str:
    return f"school{i:03d}-" + "x" * 30


def _schools(emulator: Emulator, tmp_path: Path, n: int = SCHOOLS) -> dict[int, dict]:
    """200 sheets made from the six example schools' workbooks; their own stats by school."""
    preset = campaigns.find("thang-hanh-dong-vi-tre-em")
    stats: dict[int, dict] = {}
    kinds = []
    for school in EXAMPLE_SCHOOLS:
        path = tmp_path / f"{school.abbr}.xlsx"
        school_workbook(preset, school, OFFICE).save(path)
        kinds.append((workbook_values(path), validate(read_xlsx(path))[1].stats))
    for i in range(n):
        if i == GONE:
            continue
        values, own = kinds[i % len(kinds)]
        values = _named(values, i)  # 200 schools, each its own unit (the same unit twice is counted once)
        readers = set() if i == FORBIDDEN else {CLIENT_EMAIL}  # the office may read, never write
        emulator.add(sheet_id(i), values, writers=set(), readers=readers)
        stats[i] = own
    return stats


def _named(values: dict[str, list[list[object]]], i: int) -> dict[str, list[list[object]]]:
    """A copy of a school's tabs whose ``Đơn vị`` (in ``Thông tin``) is made the ``i``-th school's own."""
    tabs = {tab: [list(row) for row in rows] for tab, rows in values.items()}
    for row in tabs["Thông tin"]:
        if row and row[0] == "Đơn vị":
            row[1] = f"{row[1]} SỐ {i + 1}"
    return tabs


def _list(tmp_path: Path, n: int = SCHOOLS) -> Path:
    book = build_list(campaigns.find("thang-hanh-dong-vi-tre-em"), example=True)
    replace_rows(
        book,
        UNITS.name,
        [
            {
                "STT": i + 1,
                "Tên đơn vị": f"Trường số {i + 1}",
                "Nguồn": f"https://docs.google.com/spreadsheets/d/{sheet_id(i)}/edit",
                "Nhóm": EXAMPLE_SCHOOLS[i % len(EXAMPLE_SCHOOLS)].group,
            }
            for i in range(n)
        ],
    )
    path = tmp_path / "danh-sach.xlsx"
    book.save(path)
    return path


def test_two_hundred_schools_with_faults_under_the_quota(emulator, tmp_path) -> None:
    stats = _schools(emulator, tmp_path)
    listing = _list(tmp_path)
    emulator.quota = (60, 1.0)  # Google's 60 reads per minute, a minute compressed to a second
    emulator.faults.extend(
        [
            Fault("status", 429, times=12, retry_after="0.2"),  # a burst of "too many requests"
            Fault("hang", seconds=2.0, times=10, sheet=sheet_id(HANGS)),
        ]
    )
    ticks: list[tuple[int, int]] = []
    options = Options(
        output=tmp_path / "out",
        credentials=str(emulator.key),
        policy=RetryPolicy(timeout=0.5, total=3.0, base=0.05, cap=0.2),
    )
    result = rollup(
        str(listing),
        options,
        concurrency=8,
        budget=ReadBudget(60, per=1.0),
        tick=lambda done, total: ticks.append((done, total)),
    )
    by_row = {r.entry.row - 2: r for r in result.schools}
    assert by_row[FORBIDDEN].status == Status.UNREADABLE and "quyền" in by_row[FORBIDDEN].reason.text()
    assert by_row[GONE].status == Status.UNREADABLE and "Không có Google Sheet" in by_row[GONE].reason.text()
    assert by_row[HANGS].status == Status.UNREADABLE and "lần thử" in by_row[HANGS].reason.text()
    others = [r for i, r in by_row.items() if i not in (FORBIDDEN, GONE, HANGS)]
    assert len(others) == SCHOOLS - 3 and all(r.counted for r in others)
    assert result.exit_code == 3
    # the totals are the sum of every counted school's own check
    counted = [i for i in stats if i not in (FORBIDDEN, HANGS)]
    assert result.totals.done == sum(stats[i]["done"] for i in counted)
    assert result.totals.money == sum(stats[i]["money_spent"] for i in counted)
    assert result.totals.female == sum(stats[i]["participants"]["female"] for i in counted)
    # progress told for every school, in order; one batchGet per school (plus retries), snapshots kept
    assert ticks == [(n, SCHOOLS) for n in range(1, SCHOOLS + 1)]
    reads = [p for m, p in emulator.api_requests() if p.endswith("values:batchGet")]
    assert SCHOOLS <= len(reads) <= SCHOOLS + 40
    assert len(list((tmp_path / "out" / "snapshots").glob("*.xlsx"))) == SCHOOLS - 3
    # the quota was kept: what Google refused for the quota was waited out, never given up
    assert emulator.throttled <= 20
    data = result.to_dict()
    assert data["counts"]["unreadable"] == 3 and json.dumps(data)


def test_offline_rolls_up_from_the_snapshots(emulator, tmp_path) -> None:
    _schools(emulator, tmp_path)
    listing = _list(tmp_path)
    options = Options(output=tmp_path / "out", credentials=str(emulator.key))
    online = rollup(str(listing), options, budget=ReadBudget(600, per=1.0))
    emulator.reset()  # Google is gone
    offline = rollup(str(listing), Options(output=tmp_path / "out", offline=True))
    assert [r.status for r in offline.schools] == [r.status for r in online.schools]
    assert offline.totals == online.totals and offline.budget and offline.budget.requests == 0
    docx = next(f.path for f in offline.files if f.kind == "report")
    assert docx.read_bytes() == next(f.path for f in online.files if f.kind == "report").read_bytes()


class FakeClock:
    """Time that passes only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_budget_never_exceeds_the_quota_and_meets_the_floor() -> None:
    clock = FakeClock()
    budget = ReadBudget(60, per=60.0, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(500):
        budget.acquire()
        times.append(clock.now)
    assert all(sum(1 for t in times if start <= t < start + 60) <= 60 for start in times)
    assert times[-1] <= budget.floor(500) * 1.05  # 500 reads at 60 a minute: within 1.05 × 8 min 20 s
    assert times[59] == 0.0 and times[60] == 61.0  # a small roll-up goes at once; a second's margin after that


def test_budget_holds_everyone_when_google_asks() -> None:
    clock = FakeClock()
    budget = ReadBudget(60, per=60.0, clock=clock, sleep=clock.sleep)
    budget.acquire()
    budget.hold(7.5)
    assert budget.acquire() == 7.5 and clock.now == 7.5


def test_init_sheet_rollup_lays_out_a_list_that_rolls_up_from_google(emulator, tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli
    from toolkit.rollup.example import write_example

    monkeypatch.chdir(tmp_path)
    write_example(tmp_path / "mau.xlsx")  # the example schools' workbooks in truong/, where the list points
    list_id = "office-list-" + "y" * 30
    emulator.add(list_id, {"Trang tính1": []})
    url = f"https://docs.google.com/spreadsheets/d/{list_id}/edit"
    runner = CliRunner()
    laid = runner.invoke(cli, ["init-sheet", url, "--rollup", "--example", "--credentials", str(emulator.key)])
    assert laid.exit_code == 0, laid.output
    tabs = emulator.sheets[list_id].tabs
    assert [t.title for t in tabs][:5] == ["Hướng dẫn", "Thông tin", "Đơn vị", "Nội dung", "Kiểm tra"]
    assert tabs[2].values[0][:4] == ["STT", "Tên đơn vị", "Viết tắt", "Nguồn"] and len(tabs[2].values) == 7
    rolled = runner.invoke(cli, ["rollup", url, "--credentials", str(emulator.key), "-o", "out", "--format", "json"])
    assert rolled.exit_code == 0, rolled.output
    assert json.loads(rolled.stdout)["counts"]["ok"] == 6
    check = emulator.sheets[list_id].tab("Kiểm tra")
    assert check is not None and check.values[1][1] == "OK"  # the list's own check written back
    refused = runner.invoke(cli, ["init-sheet", url, "--rollup", "--credentials", str(emulator.key)])
    assert refused.exit_code == 4  # its tabs hold data now


def test_the_progress_bar_counts_schools_and_time_to_go() -> None:
    import io

    from toolkit.core.console import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(lambda **f: "[{bar}] {done}/{total} · {eta}".format(**f), stream)
    clock = iter([10.0, 40.0]).__next__
    bar.started, bar.clock = 0.0, clock
    bar(1, 4)
    bar(4, 4)
    assert stream.getvalue() == "\r[#####---------------] 1/4 · 0:30\r[####################] 4/4 · 0:00\n"


def test_the_text_summary_says_how_many_schools_were_read_again(emulator, tmp_path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli

    _schools(emulator, tmp_path, n=20)
    listing = _list(tmp_path, n=20)
    args = ["rollup", str(listing), "-o", str(tmp_path / "out"), "--credentials", str(emulator.key), "--lang", "en"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3, result.output  # school 17's sheet is not shared with the office
    assert "Rolled up 19 of 20 schools" in result.stderr
    # no "1 read requests" / "1 schools": the count after the words, one sentence for any number
    assert "Read requests sent to Google Sheets: 20 (budget 60 per minute)" in result.stderr
    assert "schools unchanged since they were last read (as Google Drive says), taken from their snapshots: 0." in (
        result.stderr
    )
    assert "Trường số 18 (row 19): No access to Google Sheet" in result.stderr


# -- Google as offices meet it -------------------------------------------------------------------------------------


def test_a_rerun_reads_only_the_schools_drive_says_changed(emulator, tmp_path) -> None:
    """Drive's files.list (modifiedTime > …) names the changed sheets; the others come from their snapshots, and the
    roll-up is the same as a full read's."""
    import time

    _schools(emulator, tmp_path, n=30)
    listing = _list(tmp_path, n=30)
    options = Options(output=tmp_path / "out", credentials=str(emulator.key))
    first = rollup(str(listing), options, budget=ReadBudget(600, per=1.0))
    assert first.unchanged == 0
    time.sleep(0.01)
    for i in (3, 11):  # two schools change a figure: an activity's spending
        tab = emulator.sheets[sheet_id(i)].tab("Hoạt động")
        money = tab.values[0].index("Kinh phí (đồng)")
        tab.values[1] = [*tab.values[1][:money], 1_234_000, *tab.values[1][money + 1 :]]
        emulator.sheets[sheet_id(i)].modified = time.time()
    emulator.log.clear()
    again = rollup(str(listing), options, budget=ReadBudget(600, per=1.0))
    reads = sorted(p for m, p in emulator.api_requests() if p.endswith("values:batchGet"))
    # the two that changed, and school 17 (never readable: no snapshot to take it from)
    assert reads == [f"/v4/spreadsheets/{sheet_id(i)}/values:batchGet" for i in (3, 11, FORBIDDEN)]
    assert len([p for m, p in emulator.api_requests() if p.startswith("/drive/")]) == 1  # one files.list
    assert again.unchanged == 27 and again.totals != first.totals
    full = rollup(str(listing), Options(output=tmp_path / "full", credentials=str(emulator.key)))
    assert again.totals == full.totals and [r.status for r in again.schools] == [r.status for r in full.schools]
    report = next(f.path for f in again.files if f.kind == "report")
    assert report.read_bytes() == next(f.path for f in full.files if f.kind == "report").read_bytes()
    # a damaged record of what was seen only means every school is read again
    (tmp_path / "out" / "snapshots" / "drive-seen.json").write_text("{not json")
    emulator.log.clear()
    rollup(str(listing), options, budget=ReadBudget(600, per=1.0))
    assert len([p for m, p in emulator.api_requests() if p.endswith("values:batchGet")]) == 30  # every school


def test_the_sheets_api_not_enabled_stops_the_rollup_at_the_first_answer(emulator, tmp_path) -> None:
    """SERVICE_DISABLED: every school would get it; the roll-up stops instead of marking each school."""
    import pytest

    from sheets_emulator import ACTIVATION_URL
    from toolkit.sources.answers import ServiceDisabled

    _schools(emulator, tmp_path, n=60)
    listing = _list(tmp_path, n=60)
    emulator.disabled = True
    with pytest.raises(ServiceDisabled) as error:
        rollup(str(listing), Options(output=tmp_path / "out", credentials=str(emulator.key)), concurrency=4)
    assert ACTIVATION_URL in error.value.en
    reads = [p for m, p in emulator.api_requests() if p.endswith("values:batchGet")]
    assert 1 <= len(reads) <= 4  # the first answer of each connection at most, not sixty
    assert not (tmp_path / "out" / "2023").exists() and not list((tmp_path / "out").glob("**/*.docx"))
    from click.testing import CliRunner

    from toolkit.cli import cli

    args = ["rollup", str(listing), "-o", str(tmp_path / "cli"), "--credentials", str(emulator.key), "--lang", "en"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert result.stderr.startswith("sheets.googleapis.com is not enabled in the service account's Google Cloud")


def test_nguon_cells_as_smart_chips_and_hyperlinks_are_read_by_their_link(emulator, tmp_path) -> None:
    """A Google list whose Nguồn cells show the file's title: a smart chip (chipRuns richLinkProperties.uri) and a
    hyperlink (CellData.hyperlink), as documented for CellData; a local list with openpyxl hyperlinks and a
    HYPERLINK formula."""
    from openpyxl import load_workbook

    from sheets_emulator import workbook_values as values_of
    from toolkit.sources.xlsx import read_xlsx

    _schools(emulator, tmp_path, n=3)
    path = _list(tmp_path, n=3)
    tabs = values_of(path)
    units = tabs[UNITS.name]
    column = units[0].index("Nguồn")
    list_id = "office-list-" + "z" * 30
    sheet = emulator.add(list_id, tabs, readers={CLIENT_EMAIL})
    unit_tab = sheet.tab(UNITS.name)
    for row in (1, 2):
        url = units[row][column]
        unit_tab.values[row][column] = f"Sổ theo dõi trường số {row}"
        if row == 1:
            unit_tab.links[(row, column)] = {"chipRuns": [{"chip": {"richLinkProperties": {"uri": url}}}]}
        else:
            unit_tab.links[(row, column)] = {"hyperlink": url}
    url = f"https://docs.google.com/spreadsheets/d/{list_id}/edit"
    options = Options(output=tmp_path / "out", credentials=str(emulator.key), write_back=False)
    result = rollup(url, options, budget=ReadBudget(600, per=1.0))
    assert [r.entry.source.value for r in result.schools[:2]] == [sheet_id(0), sheet_id(1)]
    assert all(r.counted for r in result.schools)
    asked = next(q for m, p, q, _ in emulator.log if p == f"/v4/spreadsheets/{list_id}" and "ranges" in q)
    assert "chipRuns" in asked["fields"][0] and "hyperlink" in asked["fields"][0]
    # a local list: a hyperlink on the title, and a HYPERLINK formula
    book = load_workbook(path)
    ws = book[UNITS.name]
    first, second = ws.cell(row=2, column=column + 1), ws.cell(row=3, column=column + 1)
    first.hyperlink, first.value = first.value, "Sổ theo dõi trường số 1"
    second.value = f'=HYPERLINK("{second.value}", "Sổ theo dõi trường số 2")'
    book.save(path)
    assert read_xlsx(path).sheets[2].rows[1][column] == "Sổ theo dõi trường số 1"  # what people see
    local = rollup(str(path), Options(output=tmp_path / "local", credentials=str(emulator.key)))
    assert [r.entry.source.value for r in local.schools[:2]] == [sheet_id(0), sheet_id(1)]


def test_a_damaged_snapshot_of_an_unchanged_sheet_is_read_again_online(emulator, tmp_path) -> None:
    """Drive says the sheet is unchanged but its newest snapshot is damaged (truncated): the school is read again
    online and counted, every run, instead of staying unreadable until its sheet changes."""
    from toolkit.sources import snapshots

    _schools(emulator, tmp_path, n=3)
    listing = _list(tmp_path, n=3)
    options = Options(output=tmp_path / "out", credentials=str(emulator.key))
    first = rollup(str(listing), options, budget=ReadBudget(600, per=1.0))
    assert [r.status for r in first.schools].count(Status.UNREADABLE) == 0
    damaged = snapshots.newest(sheet_id(1), options.output)
    assert damaged is not None
    damaged.write_bytes(damaged.read_bytes()[:200])
    emulator.log.clear()
    again = rollup(str(listing), options, budget=ReadBudget(600, per=1.0))
    reads = [p for m, p in emulator.api_requests() if p.endswith("values:batchGet")]
    assert reads == [f"/v4/spreadsheets/{sheet_id(1)}/values:batchGet"]
    assert [r.status for r in again.schools] == [r.status for r in first.schools]
    assert again.totals == first.totals and again.unchanged == 2
    third = rollup(str(listing), options, budget=ReadBudget(600, per=1.0))
    assert third.unchanged == 2 and third.totals == first.totals


def _pair(emulator, tmp_path: Path) -> tuple[Path, dict]:
    """A list naming Sơn Ca twice (its Google Sheet on row 2, a local copy on row 4) and Hoa Mai once; the
    schools' own stats by abbreviation."""
    from openpyxl import load_workbook

    preset = campaigns.find("thang-hanh-dong-vi-tre-em")
    stats = {}
    for school in EXAMPLE_SCHOOLS[:2]:
        path = tmp_path / f"{school.abbr}.xlsx"
        school_workbook(preset, school, OFFICE).save(path)
        stats[school.abbr] = validate(read_xlsx(path))[1].stats
    sonca, hoamai = EXAMPLE_SCHOOLS[1], EXAMPLE_SCHOOLS[0]
    emulator.add(sheet_id(1), workbook_values(tmp_path / f"{sonca.abbr}.xlsx"), writers=set(), readers={CLIENT_EMAIL})
    book = build_list(preset, example=True)
    row = {"Tên đơn vị": sonca.unit.title(), "Viết tắt": sonca.abbr}
    replace_rows(
        book,
        UNITS.name,
        [
            {"STT": 1, **row, "Nguồn": f"https://docs.google.com/spreadsheets/d/{sheet_id(1)}/edit"},
            {"STT": 2, "Tên đơn vị": hoamai.unit.title(), "Viết tắt": hoamai.abbr, "Nguồn": f"{hoamai.abbr}.xlsx"},
            {"STT": 3, **row, "Nguồn": f"{sonca.abbr}.xlsx"},
        ],
    )
    listing = tmp_path / "danh-sach.xlsx"
    book.save(listing)
    ws = load_workbook(listing)[UNITS.name]
    letters = {c.value: c.column_letter for c in ws[1]}
    return listing, {"stats": stats, "letters": letters, "sonca": sonca, "hoamai": hoamai}


def test_a_school_listed_by_its_google_link_and_a_local_copy_is_counted_once(emulator, tmp_path) -> None:
    listing, known = _pair(emulator, tmp_path)
    result = rollup(str(listing), Options(output=tmp_path / "out", credentials=str(emulator.key)))
    # the list says so at the cell: the same Viết tắt as row 2
    problems = [(p.code, p.cell, dict(p.params).get("first")) for p in result.listing.check.problems]
    assert problems == [("duplicate-unit", f"{known['letters']['Viết tắt']}4", "2")]
    # and after reading, the second workbook of the same unit is not counted, naming the first row
    statuses = {r.entry.row: r.status for r in result.schools}
    assert statuses == {2: Status.OK, 3: Status.OK, 4: Status.DUPLICATE}
    duplicate = next(r for r in result.schools if r.entry.row == 4)
    assert duplicate.reason is not None and "dòng 2" in duplicate.reason.text()
    assert not duplicate.counted and result.exit_code == 1
    stats = known["stats"]
    assert result.totals.done == stats["MNSC"]["done"] + stats["MNHM"]["done"]  # never doubled
    assert result.totals.money == stats["MNSC"]["money_spent"] + stats["MNHM"]["money_spent"]
    report = next(f.path for f in result.files if f.kind == "report")
    from docx import Document

    text = [p.text for p in Document(str(report)).paragraphs]
    # the official report knows two schools: the list's repeated row is the office's own matter (text, JSON, table)
    assert "- Tổng số đơn vị: 2." in text and not any("cùng đơn vị" in t for t in text)
    # the Nguồn as the list gives it: the link typed, not gsheet:<id>
    link = f"https://docs.google.com/spreadsheets/d/{sheet_id(1)}/edit"
    assert [s["source"] for s in result.to_dict()["schools"]] == [link, "MNHM.xlsx", "MNSC.xlsx"]
    from openpyxl import load_workbook

    table = load_workbook(next(f.path for f in result.files if f.kind == "table"))["Đơn vị"]
    column = next(c.column for c in table[1] if c.value == "Nguồn")
    assert link in [table.cell(row=r, column=column).value for r in range(2, table.max_row + 1)]


def test_the_same_name_typed_differently_is_warned_at_its_cell(tmp_path) -> None:
    from toolkit.rollup.listing import read_list
    from toolkit.workbook.tables import RawSheet, RawWorkbook

    rows: list[list[object]] = [
        ["STT", "Tên đơn vị", "Viết tắt", "Nguồn"],
        [1, "Trường Mầm non Sơn Ca", "MNSC", "a.xlsx"],
        [2, "TRƯỜNG MẦM NON  SƠN CA", "", "b.xlsx"],
        [3, "Trường Mầm non Hoa Mai", "MNHM", "c.xlsx"],
    ]
    listing = read_list(RawWorkbook("ds", [RawSheet(UNITS.name, rows, 1)]), base=tmp_path)
    found = [
        (p.code, p.cell, dict(p.params).get("first")) for p in listing.check.problems if p.code == "duplicate-unit"
    ]
    assert found == [("duplicate-unit", "B3", "2")]
    assert len(listing.entries) == 3  # both read: their workbooks say whether they are one unit


def test_the_text_summary_says_a_school_listed_twice_is_counted_once(emulator, tmp_path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli

    listing, _ = _pair(emulator, tmp_path)
    args = ["rollup", str(listing), "-o", str(tmp_path / "out"), "--credentials", str(emulator.key), "--lang", "en"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "Rows of the list naming a school already on an earlier row, not counted again: 1." in result.stderr
    assert (
        "  - Trường Mầm Non Sơn Ca (row 4): the same school, Trường Mầm non Sơn Ca, as the workbook on row 2: "
        "counted once, as row 2" in result.stderr
    )

"""The receiving office's roll-up of twelve local schools: classification, totals cross-checked against
each school's own check, the consolidated report's Decree 30 layout, the working copy, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from decree30 import check_data_tables, check_fonts, check_page_setup
from docx import Document
from openpyxl import load_workbook

from cases import replace_rows, set_settings
from toolkit.cli import cli
from toolkit.core.text import fold
from toolkit.rollup.example import EXAMPLE_SCHOOLS, ExampleSchool, build_list, school_workbook
from toolkit.workbook.schema import ACTIVITIES, SETTINGS, UNITS, WORDING

TODAY = dt.date(2026, 7, 8)
OFFICE = "Ủy ban nhân dân xã Tân Phú"
MORE = (
    ExampleSchool("TRƯỜNG MẦM NON HƯỚNG DƯƠNG", "MNHD", "Mầm non", "Mầm non", 0.35),
    ExampleSchool("TRƯỜNG TIỂU HỌC LÊ VĂN TÁM", "THLVT", "Tiểu học", "Tiểu học", 0.6),
    ExampleSchool("TRƯỜNG TIỂU HỌC NGUYỄN DU", "THND", "Tiểu học", "Tiểu học", 0.5),
    ExampleSchool("TRƯỜNG THCS NGUYỄN TRÃI", "THCSNT", "THCS", "THCS", 1.2),
    ExampleSchool("TRƯỜNG THCS LÊ QUÝ ĐÔN", "THCSLQD", "THCS", "THCS", 1.1),
    ExampleSchool("TRƯỜNG TH VÀ THCS VÕ THỊ SÁU", "THCSVTS", "Liên cấp", "THCS", 0.9),
)
SCHOOLS = (*EXAMPLE_SCHOOLS, *MORE)
# What each school's workbook is made to be, and what the roll-up must classify it as.
EXPECTED = {
    "MNHM": "ok",
    "MNSC": "warnings",  # a done activity without evidence
    "THTP": "ok",
    "THKD": "errors",  # a count that is not a number
    "THCSLL": "ok",
    "THCSTP": "errors",  # a date that is not a date, and a missing status
    "MNHD": "unreadable",  # not a workbook at all
    "THLVT": "wrong-campaign",  # last year's workbook
    "THND": "missing",  # no source in the list
    "THCSNT": "ok",  # its own wording for the report
    "THCSLQD": "ok",
    "THCSVTS": "ok",
}


def _column(ws, header: str) -> int:
    return next(c.column for c in ws[1] if ACTIVITIES.match(str(c.value or "")) is ACTIVITIES.match(header))


def _school(folder: Path, school: ExampleSchool, preset) -> Path:
    path = folder / "truong" / f"{school.abbr}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    if school.abbr == "MNHD":
        path.write_text("không phải bảng tính", encoding="utf-8")
        return path
    book = school_workbook(preset, school, OFFICE)
    ws = book[ACTIVITIES.name]
    if school.abbr == "MNSC":
        ws.cell(row=2, column=_column(ws, "Minh chứng")).value = None
    if school.abbr == "THKD":
        ws.cell(row=3, column=_column(ws, "CB-GV-NV nam"), value="nhiều")
    if school.abbr == "THCSTP":
        ws.cell(row=2, column=_column(ws, "Bắt đầu"), value="31/06/2026")
        ws.cell(row=4, column=_column(ws, "Trạng thái")).value = None
    if school.abbr == "THLVT":
        set_settings(book, {"Năm": 2025, "Từ ngày": dt.date(2025, 6, 1), "Đến ngày": dt.date(2025, 6, 30)})
    if school.abbr == "THCSNT":
        words = book[WORDING.name]
        row = next(r for r in range(2, words.max_row + 1) if words.cell(row=r, column=1).value == "bc.mo_dau")
        words.cell(row=row, column=3, value="Nhà trường xin báo cáo kết quả {dot} như sau:")
    book.save(path)
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Twelve schools' workbooks and the office's list; the roll-up run once through the CLI as JSON."""
    from toolkit.workbook import campaigns

    folder = tmp_path_factory.mktemp("office")
    preset = campaigns.find("thang-hanh-dong-vi-tre-em")
    for school in SCHOOLS:
        _school(folder, school, preset)
    book = build_list(preset, example=True)
    rows = [
        {
            "STT": i,
            "Tên đơn vị": school.unit.title(),
            "Viết tắt": school.abbr,
            "Nguồn": None if school.abbr == "THND" else f"truong/{school.abbr}.xlsx",
            "Email": f"{school.abbr.lower()}@example.edu.vn",
            "Nhóm": school.group,
        }
        for i, school in enumerate(SCHOOLS, start=1)
    ]
    replace_rows(book, UNITS.name, rows)
    listing = folder / "danh-sach.xlsx"
    book.save(listing)
    result = CliRunner().invoke(
        cli, ["rollup", str(listing), "-o", str(folder / "out"), "--format", "json"], env={"TOOLKIT_TODAY": ""}
    )
    return folder, listing, result


def test_every_school_is_classified_as_expected(office) -> None:
    _, _, result = office
    assert result.exit_code == 3, result.output  # one school unreadable: the roll-up is written without it
    data = json.loads(result.stdout)
    found = {s["source"].split("/")[-1].removesuffix(".xlsx") if s["source"] else "THND": s for s in data["schools"]}
    assert {abbr: s["status"] for abbr, s in found.items()} == EXPECTED
    assert found["THKD"]["errors"] == 1 and found["THCSTP"]["errors"] >= 2
    assert "2025" in found["THLVT"]["reason"] and "2026" in found["THLVT"]["reason"]
    assert found["MNHD"]["reason"] and found["THND"]["reason"]
    assert data["counts"] == {
        "ok": 6,
        "warnings": 1,
        "errors": 2,
        "unreadable": 1,
        "wrong-campaign": 1,
        "missing": 1,
        "duplicate": 0,
    }
    assert not data["complete"] and len(data["outputs"]) == 2


def test_totals_equal_the_sum_of_the_schools_own_checks(office) -> None:
    folder, _, result = office
    data = json.loads(result.stdout)
    counted = [s for s in data["schools"] if s["status"] in ("ok", "warnings")]
    sums = {"activities": 0, "done": 0, "female": 0, "male": 0, "banners": 0, "news": 0, "money_spent": 0}
    for school in counted:
        own = CliRunner().invoke(cli, ["check", str(folder / school["source"]), "--format", "json"])
        stats = json.loads(own.stdout)["stats"]
        for key in ("activities", "done", "banners", "news", "money_spent"):
            sums[key] += stats[key]
        sums["female"] += stats["participants"]["female"]
        sums["male"] += stats["participants"]["male"]
    totals = data["totals"]
    assert {k: totals[k] for k in ("activities", "done", "banners", "news", "money_spent")} == {
        k: sums[k] for k in ("activities", "done", "banners", "news", "money_spent")
    }
    assert totals["participants"] == {"female": sums["female"], "male": sums["male"]}
    assert sum(totals["groups"].values()) == totals["done"]
    people = totals["people"]
    assert sum(p["male"] for p in people.values()) == sums["male"]


def _report(folder: Path) -> Path:
    (path,) = (folder / "out" / "2026").glob("BCTH-*.docx")
    return path


def test_the_report_names_who_is_missing_and_adds_up(office) -> None:
    folder, _, result = office
    data = json.loads(result.stdout)
    document = Document(str(_report(folder)))
    text = [p.text for p in document.paragraphs]
    assert "- Tổng số đơn vị: 12." in text
    assert "- Số đơn vị đã báo cáo, được tổng hợp: 7." in text
    # the schools not counted are items under the count, a level below it, the last closing with a full stop
    assert any(t.startswith("+ Trường Tiểu Học Nguyễn Du: chưa gửi sổ theo dõi") for t in text)
    assert any("sổ theo dõi ghi “Tháng hành động vì trẻ em” năm 2025" in t for t in text)  # quotes as in the plan
    assert any(t.startswith("+ Trường Thcs Tân Phú: sổ theo dõi còn") for t in text)
    listed = [t for t in text if t.startswith("+ ")]
    assert len(listed) == 5 and all(t.endswith(";") for t in listed[:-1]) and listed[-1].endswith(".")
    assert text[text.index(listed[-1]) + 1] == "II. KẾT QUẢ THỰC HIỆN"
    spent = f"{data['totals']['money_spent']:,}".replace(",", ".")
    assert text[text.index("4. Kinh phí") + 1] == f"Tổng kinh phí các đơn vị đã chi: {spent} đồng."  # one colon
    assert "Tỷ lệ nữ (%)" not in " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    people = next(t for t in document.tables if t.rows[0].cells[0].text == "Đối tượng")
    # the words of the sentences, joined when kindergartens and schools are counted together
    assert [r.cells[0].text for r in people.rows[1:3]] == ["CB-GV-NV", "Trẻ, học sinh"]
    assert people.rows[3].cells[0].text == "Cha mẹ trẻ, cha mẹ học sinh"
    # Phụ lục I: one row per school, by level (Mầm non, Tiểu học, Liên cấp, THCS) then name, and the totals row
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị" and len(t.columns) == 10)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert len(rows) == 1 + 12 + 1
    levels = ["Mầm non", "Tiểu học", "Liên cấp", "THCS"]
    keys = [(levels.index(r[2]), fold(r[1])) for r in rows[1:-1]]
    assert keys == sorted(keys) and [r[2] for r in rows[1:-1]][:2] == ["Mầm non"] * 2
    # the official table writes why a school is not counted, never the tool's "Có cảnh báo"
    notes = {r[1]: r[-1] for r in rows[1:-1]}
    assert notes["Trường Mầm Non Sơn Ca"] == "" and "Có cảnh báo" not in notes.values()
    assert notes["Trường Tiểu Học Nguyễn Du"] == "Chưa báo cáo"
    total = rows[-1]
    assert total[1] == "Tổng cộng" and total[3] == str(data["totals"]["done"])
    assert total[4] == f"{data['totals']['participants']['male']:,}".replace(",", ".")
    assert sum(int(r[3] or 0) for r in rows[1:-1]) == data["totals"]["done"]
    # Phụ lục II: the five schools not counted, with why
    second = next(t for t in document.tables if t.rows[0].cells[-1].text == "Liên hệ")
    assert len(second.rows) == 1 + 5
    assert {r.cells[3].text for r in second.rows[1:]} == {"Còn lỗi", "Không đọc được", "Sai đợt, năm", "Chưa báo cáo"}


def test_the_report_is_laid_out_as_decree_30_requires(office) -> None:
    folder, _, _ = office
    path = _report(folder)
    check_page_setup(path)
    check_fonts(path)
    check_data_tables(path)
    document = Document(str(path))
    left, right = document.tables[0].rows[0].cells
    unit, _, number = left.paragraphs  # a People's Committee has no parent body line
    assert "".join(t.text or "\n" for t in unit._p.iter(f"{{{unit._p.nsmap['w']}}}t")) == "ỦY BAN NHÂN DÂNXÃ TÂN PHÚ"
    assert unit.runs[0].bold and number.text == "Số: 118/BC-UBND"
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    signature = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    assert [p.text for p in signature.rows[0].cells[0].paragraphs[1:]] == [
        "- Như trên;",
        "- Các đơn vị trong danh sách;",
        "- Lưu: VT.",
    ]
    titles = [p.text for p in signature.rows[0].cells[1].paragraphs]
    assert titles[:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] and titles[-1] == "Nguyễn Thị Lan"


def test_the_working_copy_is_a_typed_filtered_table(office) -> None:
    folder, _, result = office
    data = json.loads(result.stdout)
    (path,) = (folder / "out" / "2026").glob("BCTH-*.xlsx")
    book = load_workbook(path)
    ws = book["Đơn vị"]
    assert (
        ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=ws.max_column).column_letter}13"
    )
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 12
    assert all(isinstance(r["Nam"], int) for r in rows if r["Tình trạng"] in ("Hợp lệ", "Có cảnh báo"))
    assert all(r["Nam"] is None for r in rows if r["Tình trạng"] not in ("Hợp lệ", "Có cảnh báo"))
    assert sum(r["Kinh phí đã chi (đồng)"] or 0 for r in rows) == data["totals"]["money_spent"]
    for group, count in data["totals"]["groups"].items():
        assert sum(r[group] or 0 for r in rows) == count
    summary = {row[0].value: row[1].value for row in book["Tổng cộng"].iter_rows(min_row=2)}
    assert summary["Hoạt động đã thực hiện"] == data["totals"]["done"]


def test_same_input_same_bytes_and_history(office, tmp_path) -> None:
    folder, listing, _ = office
    out = tmp_path / "out"
    first = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(out), "-q"])
    docx = next((out / "2026").glob("BCTH-*.docx"))
    xlsx = next((out / "2026").glob("BCTH-*.xlsx"))
    before = docx.read_bytes(), xlsx.read_bytes()
    again = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(out), "-q"])
    assert first.exit_code == again.exit_code == 3
    assert (docx.read_bytes(), xlsx.read_bytes()) == before
    assert docx.read_bytes() == _report(folder).read_bytes()


def test_text_summary_names_each_school_not_counted(office, tmp_path) -> None:
    _, listing, _ = office
    result = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 3
    assert (
        "Rolled up 7 of 12 schools: 6 clean, 1 with warnings; not counted: 2 with errors, 1 unreadable, "
        "1 for another campaign or year, 1 without a workbook." in result.stderr
    )
    assert "  - Trường Tiểu Học Nguyễn Du (row 10): the list has no link to its workbook yet" in result.stderr
    assert "Traceback" not in result.output


def test_exit_codes_complete_partial_and_list_errors(office, tmp_path) -> None:
    folder, listing, _ = office
    book = load_workbook(listing)
    ws = book[UNITS.name]
    keep = {"MNHM", "THTP", "THCSLL"}
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row=row, column=3).value not in keep:
            ws.delete_rows(row)
    complete = folder / "complete.xlsx"
    book.save(complete)
    result = CliRunner().invoke(cli, ["rollup", str(complete), "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    ws.cell(row=5, column=2, value="Trường chưa gửi")
    partial = folder / "partial.xlsx"
    book.save(partial)
    assert CliRunner().invoke(cli, ["rollup", str(partial), "-o", str(tmp_path / "b")]).exit_code == 1
    set_settings(book, {"Năm": None})
    broken = folder / "broken.xlsx"
    book.save(broken)
    result = CliRunner().invoke(cli, ["rollup", str(broken), "-o", str(tmp_path / "c")])
    assert result.exit_code == 1 and not (tmp_path / "c").exists()
    assert "Thông tin" in result.output and "Năm" in result.output
    missing = CliRunner().invoke(cli, ["rollup", str(folder / "none.xlsx"), "-o", str(tmp_path / "d")])
    assert missing.exit_code == 3 and "Traceback" not in missing.output


def test_duplicate_and_bad_sources_are_problems_at_their_cells(office, tmp_path) -> None:
    folder, listing, _ = office
    book = load_workbook(listing)
    ws = book[UNITS.name]
    source = next(c.column for c in ws[1] if c.value == "Nguồn")
    ws.cell(row=3, column=source, value=ws.cell(row=2, column=source).value)
    ws.cell(row=4, column=source, value="https://example.com/so.xlsx")
    path = tmp_path / "list.xlsx"
    shutil.copytree(folder / "truong", tmp_path / "truong")
    book.save(path)
    result = CliRunner().invoke(cli, ["rollup", str(path), "-o", str(tmp_path / "out"), "--format", "json"])
    problems = {(p["code"], p["cell"]) for p in json.loads(result.stdout)["list"]["problems"]}
    letter = ws.cell(row=1, column=source).column_letter
    assert ("duplicate-school", f"{letter}3") in problems and ("bad-source", f"{letter}4") in problems
    assert result.exit_code == 1


def test_init_rollup_writes_a_list_and_example_schools_that_roll_up(tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["init", "--rollup", "--example", str(tmp_path / "ds.xlsx")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "truong").glob("*.xlsx"))) == len(EXAMPLE_SCHOOLS)
    rolled = runner.invoke(cli, ["rollup", str(tmp_path / "ds.xlsx"), "-o", str(tmp_path / "out")])
    assert rolled.exit_code == 0, rolled.output
    blank = runner.invoke(
        cli, ["init", "--rollup", "--campaign", "an-toan-giao-thong", "--year", "2027", str(tmp_path / "b.xlsx")]
    )
    assert blank.exit_code == 0, blank.output
    settings = {r[0].value: r[1].value for r in load_workbook(tmp_path / "b.xlsx")[SETTINGS.name].iter_rows(min_row=2)}
    assert settings["Năm"] == 2027 and "giao thông" in settings["Tên đợt"].lower()
    again = runner.invoke(cli, ["init", "--rollup", str(tmp_path / "b.xlsx")])
    assert again.exit_code == 4


def test_a_list_without_schools_is_an_error_at_its_tab(tmp_path) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["init", "--rollup", "--campaign", "van-hoa-doc", "--year", "2026", str(tmp_path / "l.xlsx")]
        ).exit_code
        == 0
    )
    book = load_workbook(tmp_path / "l.xlsx")
    set_settings(book, {"Đơn vị": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Viết tắt đơn vị": "SGDĐT", "Địa danh": "Huế"})
    set_settings(book, {"Nơi nhận báo cáo": "Ủy ban nhân dân thành phố Huế", "Chức vụ người ký": "GIÁM ĐỐC"})
    book.save(tmp_path / "l.xlsx")
    result = runner.invoke(cli, ["rollup", str(tmp_path / "l.xlsx"), "-o", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 1
    assert [(p["code"], p["tab"]) for p in json.loads(result.stdout)["list"]["problems"]] == [("no-schools", "Đơn vị")]


def test_one_campaign_under_its_names_and_never_two() -> None:
    from toolkit.rollup.gather import same_campaign

    assert same_campaign("tháng HÀNH ĐỘNG  vì trẻ em", "Tháng hành động vì trẻ em")
    assert same_campaign("thang-hanh-dong-vi-tre-em", "Tháng hành động vì trẻ em")  # the preset's id
    assert not same_campaign("Tuần lễ hưởng ứng học tập suốt đời", "Tháng hành động vì trẻ em")
    assert not same_campaign("Đợt thi đua đặc biệt", "Đợt thi đua khác")  # two campaigns of no preset


def test_a_campaign_named_with_its_year_is_the_same_campaign() -> None:
    from toolkit.rollup.gather import same_campaign

    # the year is compared on its own (``Năm``): a school that typed it into ``Tên đợt`` too is not another campaign
    assert same_campaign("Tuần lễ hưởng ứng học tập suốt đời năm 2027", "Tuần lễ hưởng ứng học tập suốt đời")
    assert same_campaign("Đợt thi đua đặc biệt", "Đợt thi đua đặc biệt NĂM 2027")
    assert not same_campaign("Đợt thi đua đặc biệt năm 2027", "Đợt thi đua khác năm 2027")


def test_the_office_words_its_report_in_its_own_cau_chu_tab(office, tmp_path) -> None:
    folder, listing, _ = office
    book = load_workbook(listing)
    ws = book[WORDING.name]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    assert "th.mo_dau" in rows and "bc.mo_dau" not in rows  # the office's phrases, not a school's
    ws.cell(row=rows["th.mo_dau"], column=3, value="Thực hiện chỉ đạo của Sở, {don_vi} tổng hợp {dot} như sau:")
    ws.cell(row=ws.max_row + 1, column=1, value="th.khong_co")
    shutil.copytree(folder / "truong", tmp_path / "truong")
    path = tmp_path / "ds.xlsx"
    book.save(path)
    result = CliRunner().invoke(cli, ["rollup", str(path), "-o", str(tmp_path / "out"), "--format", "json"])
    assert [p["code"] for p in json.loads(result.stdout)["list"]["problems"]] == ["unknown-phrase"]
    report = next((tmp_path / "out" / "2026").glob("BCTH-*.docx"))
    text = [p.text for p in Document(str(report)).paragraphs]
    own = "Thực hiện chỉ đạo của Sở, Ủy ban nhân dân xã Tân Phú tổng hợp Tháng hành động vì trẻ em năm 2026 như sau:"
    assert own in text


def test_a_source_that_is_no_regular_file_is_unreadable_and_the_rest_rolls_up(office, tmp_path) -> None:
    import os
    import signal

    folder, listing, _ = office
    shutil.copytree(folder / "truong", tmp_path / "truong")
    os.mkfifo(tmp_path / "truong" / "fifo.xlsx")
    (tmp_path / "truong" / "thu-muc.xlsx").mkdir()
    (tmp_path / "truong" / "vong.xlsx").symlink_to(tmp_path / "truong" / "vong2.xlsx")
    (tmp_path / "truong" / "vong2.xlsx").symlink_to(tmp_path / "truong" / "vong.xlsx")
    planted = {
        "MNHM": "truong/fifo.xlsx",
        "THTP": "/dev/stdin",
        "THCSLL": "/dev/zero",
        "THCSLQD": "truong/thu-muc.xlsx",
        "THCSVTS": "truong/vong.xlsx",
    }
    book = load_workbook(listing)
    ws = book[UNITS.name]
    source = next(c.column for c in ws[1] if c.value == "Nguồn")
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=3).value in planted:
            ws.cell(row=row, column=source, value=planted[ws.cell(row=row, column=3).value])
    book.save(tmp_path / "list.xlsx")

    def hung(signum, frame):
        raise TimeoutError("the roll-up waited on a source")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        result = CliRunner().invoke(
            cli,
            ["rollup", str(tmp_path / "list.xlsx"), "-o", str(tmp_path / "out"), "--format", "json", "--lang", "en"],
        )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result.exit_code == 3, (result.output, result.exception)
    data = json.loads(result.stdout)
    reasons = {s["source"]: s["reason"] for s in data["schools"] if s["status"] == "unreadable"}
    assert reasons == {
        "truong/fifo.xlsx": "a FIFO (named pipe), not a workbook file",
        "/dev/stdin": reasons["/dev/stdin"],
        "/dev/zero": "a device, not a workbook file",
        "truong/thu-muc.xlsx": "a folder, not a workbook file",
        "truong/vong.xlsx": "a loop of links (a symlink pointing back), not a workbook file",
        "truong/MNHD.xlsx": reasons["truong/MNHD.xlsx"],
    }
    assert reasons["/dev/stdin"].endswith(", not a workbook file")
    assert data["counts"]["ok"] == 1 and data["counts"]["unreadable"] == 6 and len(data["outputs"]) == 2
    assert all(Path(p).is_file() for p in data["outputs"])


def test_a_list_longer_than_the_cap_is_refused_naming_it_before_any_school_is_read(office, tmp_path) -> None:
    from toolkit.rollup.listing import MAX_SCHOOLS

    _, listing, _ = office
    book = load_workbook(listing)
    ws = book[UNITS.name]
    for i in range(ws.max_row, MAX_SCHOOLS + 2):
        ws.append([i, f"Trường số {i}", f"S{i}", f"truong/s{i}.xlsx"])
    path = tmp_path / "dai.xlsx"
    book.save(path)
    result = CliRunner().invoke(cli, ["rollup", str(path), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 3, result.output
    assert (
        f'The list {path} has {MAX_SCHOOLS + 1} rows in its "Đơn vị" tab, over the limit of {MAX_SCHOOLS} schools'
        in result.stderr
    )
    assert not (tmp_path / "out").exists()


LONG_NAME = "Trường Phổ thông Dân tộc bán trú Tiểu học và Trung học cơ sở Đại Lộc Đông"


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    """A commune rolling up a food-safety month (no preset, 2026, Tỷ lệ nữ asked for): its own combined
    school, an upper-secondary school under the provincial Department put on its list, and a school that has
    not sent its workbook, with a long name and a long e-mail address."""
    from cases import CASE_C_DAY, build_case_c
    from toolkit.workbook import campaigns

    folder = tmp_path_factory.mktemp("commune")
    (folder / "truong").mkdir()
    build_case_c(folder / "truong" / "THPTLQD.xlsx")  # under the provincial Department
    combined = build_case_c(folder / "truong" / "THCSDL.xlsx")
    book = load_workbook(combined)
    set_settings(
        book,
        {
            "Cơ quan chủ quản": "UBND XÃ ĐẠI LỘC",
            "Đơn vị": "TRƯỜNG TH VÀ THCS ĐẠI LỘC",
            "Viết tắt đơn vị": "THCSDL",
            "Cấp học": "Liên cấp",
            "Nơi nhận báo cáo": "Ủy ban nhân dân xã Đại Lộc",
        },
    )
    book.save(combined)
    listing = build_list(campaigns.blank(), year=2026)
    set_settings(
        listing,
        {
            "Đơn vị": "ỦY BAN NHÂN DÂN XÃ ĐẠI LỘC",
            "Viết tắt đơn vị": "UBND",
            "Địa danh": "Đại Lộc",
            "Tên đợt": "Tháng hành động vì an toàn thực phẩm",
            "Số báo cáo": 40,
            "Ngày báo cáo": dt.date(2026, 5, 25),
            "Nơi nhận báo cáo": "Ủy ban nhân dân tỉnh Quảng Nam",
            "Chức vụ người ký": "CHỦ TỊCH",
            "Tỷ lệ nữ": "Có",
        },
    )
    rows = [
        {"STT": 1, "Tên đơn vị": "Trường THPT Lê Quý Đôn", "Nguồn": "truong/THPTLQD.xlsx", "Nhóm": "THPT"},
        {"STT": 2, "Tên đơn vị": "Trường TH và THCS Đại Lộc", "Nguồn": "truong/THCSDL.xlsx", "Nhóm": "Liên cấp"},
        {
            "STT": 3,
            "Tên đơn vị": LONG_NAME,
            "Email": "truong.phothong.dantoc.bantru.daiLocdong@example.edu.vn",
            "Nhóm": "Liên cấp",
        },
    ]
    replace_rows(listing, UNITS.name, rows)
    path = folder / "danh-sach.xlsx"
    listing.save(path)
    result = CliRunner().invoke(
        cli, ["rollup", str(path), "-o", str(folder / "out")], env={"TOOLKIT_TODAY": CASE_C_DAY.isoformat()}
    )
    return folder, result


def test_a_commune_roll_up_says_what_an_office_would(commune) -> None:
    folder, result = commune
    assert result.exit_code == 1, result.output  # one school has not sent its workbook
    document = Document(str(_report(folder)))
    text = [p.text for p in document.paragraphs]
    # a zero the schools reported with a note is the report's key message: written, summed
    assert "- Số vụ ngộ độc thực phẩm: 0." in text
    assert "- Giá trị hỗ trợ bếp ăn: 35.000.000 đồng." in text  # summed, the unit after the number
    # Tỷ lệ nữ as the list's Tỷ lệ nữ says
    people = next(t for t in document.tables if t.rows[0].cells[0].text == "Đối tượng")
    assert people.rows[0].cells[-1].text == "Tỷ lệ nữ (%)"
    # the upper-secondary school is counted, but named as under another parent body: section I and Phụ lục II
    line = next(i for i, t in enumerate(text) if "cơ quan chủ quản không phải Ủy ban nhân dân xã Đại Lộc" in t)
    assert text[line + 1] == "+ Trường THPT Lê Quý Đôn: sổ theo dõi ghi cơ quan chủ quản là Sở GD&ĐT tỉnh Quảng Nam."
    assert not any("Trường TH và THCS Đại Lộc: sổ theo dõi ghi" in t for t in text)
    second = next(t for t in document.tables if t.rows[0].cells[-1].text == "Liên hệ")
    cells = {r.cells[1].text: (r.cells[3].text, r.cells[4].text) for r in second.rows[1:]}
    assert cells["Trường THPT Lê Quý Đôn"][0] == "Khác cơ quan chủ quản"
    assert cells[LONG_NAME][0] == "Chưa báo cáo" and len(cells) == 2
    assert "Trường THPT Lê Quý Đôn (dòng 2): được tổng hợp, nhưng sổ ghi cơ quan chủ quản" in result.stderr
    # schools by level: Liên cấp before THPT, whatever the list's order
    first = next(t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị" and len(t.columns) == 10)
    assert [r.cells[2].text for r in first.rows[1:-1]] == ["Liên cấp", "Liên cấp", "THPT"]


def test_phu_luc_ii_gives_the_name_its_room(commune) -> None:
    from docx.shared import Emu

    from toolkit.documents.metrics import text_width_pt

    folder, _ = commune
    document = Document(str(_report(folder)))
    second = next(t for t in document.tables if t.rows[0].cells[-1].text == "Liên hệ")
    widths = [Emu(int(c.width)).pt for c in second.columns]
    name_width = widths[1] - 2 * 85 / 20
    assert text_width_pt(LONG_NAME, 11) / name_width <= 2  # the longest name fits on two lines of its cell
    assert widths[1] > widths[-1]  # wider than the contacts


@pytest.mark.parametrize("kind", ["folder", "fifo", "link", "damaged"])
def test_the_record_of_drive_times_is_read_and_written_only_as_a_regular_file(tmp_path, kind) -> None:
    """drive-seen.json as a folder, a FIFO, a link or damaged JSON: nothing is read from it (every school is read
    again), saving neither follows nor hangs nor leaves a temporary file behind, and damage is written over."""
    import os

    from toolkit.rollup import changes

    path = changes.state_path(tmp_path)
    path.parent.mkdir(parents=True)
    target = tmp_path / "elsewhere.json"
    target.write_text('{"a": "2024-01-01T00:00:00Z"}')
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    elif kind == "link":
        path.symlink_to(target)
    else:
        path.write_text('{"a": ')
    assert changes.load_state(tmp_path) == {}
    changes.save_state(tmp_path, {"b": "2025-01-01T00:00:00Z"})
    changes.save_state(tmp_path, {"b": "2025-01-01T00:00:00Z"})
    assert not [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert target.read_text() == '{"a": "2024-01-01T00:00:00Z"}'
    if kind == "damaged":
        assert changes.load_state(tmp_path) == {"b": "2025-01-01T00:00:00Z"}
    else:
        assert changes.load_state(tmp_path) == {}


def test_the_nguon_column_behind_chips_is_found_as_the_list_binds_it() -> None:
    """A two-row header ("Liên kết" over "Nguồn"): ``tables.bind`` finds Nguồn by its lower part, and so does
    ``chips.source_column`` (it looked at the first row only)."""
    from toolkit.rollup.chips import source_column
    from toolkit.workbook.tables import RawSheet

    rows: list[list[object]] = [["STT", "Tên đơn vị", "Liên kết"], [None, None, "Nguồn"], [1, "A", "a.xlsx"]]
    assert source_column(RawSheet(UNITS.name, rows, 2)) == 2
    assert source_column(RawSheet(UNITS.name, [["STT", "Tên đơn vị", "Nguồn"]], 1)) == 2
    assert source_column(RawSheet(UNITS.name, [["STT", "Tên đơn vị"]], 1)) is None


WARD = (
    ExampleSchool("TRUNG TÂM GDNN-GDTX TÂN PHÚ", "GDTXTP", "GDNN-GDTX", "GDNN-GDTX", 0.4),
    ExampleSchool("TRƯỜNG TIỂU HỌC TÂN PHÚ", "THTP", "Tiểu học", "Tiểu học", 0.8),
    ExampleSchool("TRƯỜNG MẦM NON SƠN CA", "MNSC", "Mầm non", "Mầm non", 0.5),
    ExampleSchool("TRƯỜNG THCS TÂN PHÚ", "THCSTP", "THCS", "THCS", 0.9),
)


def _ward_list(folder: Path, schools: tuple[ExampleSchool, ...], name: str) -> Path:
    from toolkit.workbook import campaigns

    preset = campaigns.find("thang-hanh-dong-vi-tre-em")
    for school in schools:
        path = folder / "truong" / f"{school.abbr}.xlsx"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            school_workbook(preset, school, OFFICE).save(path)
    book = build_list(preset, example=True)
    rows = [
        {"STT": i, "Tên đơn vị": s.unit.title(), "Viết tắt": s.abbr, "Nguồn": f"truong/{s.abbr}.xlsx", "Nhóm": s.group}
        for i, s in enumerate(schools, start=1)
    ]
    replace_rows(book, UNITS.name, rows)
    book.save(folder / name)
    return folder / name


def test_a_reordered_list_writes_the_same_report(tmp_path) -> None:
    """The people words follow levels.json's order (Trẻ, học sinh, học viên), not the list's rows: the same
    schools in another order give the very same report."""
    reports = []
    for name, schools in (("a.xlsx", WARD), ("b.xlsx", WARD[::-1]), ("c.xlsx", (WARD[2], WARD[0], *WARD[1::2]))):
        listing = _ward_list(tmp_path, schools, name)
        out = tmp_path / f"out-{name}"
        result = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(out)], env={"TOOLKIT_TODAY": ""})
        assert result.exit_code == 0, result.output
        reports.append(next(out.glob("*/BCTH-*.docx")))
    people = next(t for t in Document(str(reports[0])).tables if t.rows[0].cells[0].text == "Đối tượng")
    assert people.rows[2].cells[0].text == "Trẻ, học sinh, học viên"
    assert reports[0].read_bytes() == reports[1].read_bytes() == reports[2].read_bytes()


def test_the_first_line_says_it_is_about_the_list(tmp_path) -> None:
    listing = _ward_list(tmp_path, WARD[:2], "ds.xlsx")
    result = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(tmp_path / "out")], env={"TOOLKIT_TODAY": ""})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Danh sách đơn vị: không có lỗi hay cảnh báo."
    english = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(tmp_path / "en"), "--lang", "en"])
    assert english.stdout.splitlines()[0] == "The list of schools: no errors or warnings."
    book = load_workbook(listing)
    ws = book[UNITS.name]
    ws.cell(row=3, column=3, value=ws.cell(row=2, column=3).value)  # the same Viết tắt twice
    book.save(tmp_path / "twice.xlsx")
    twice = CliRunner().invoke(cli, ["rollup", str(tmp_path / "twice.xlsx"), "-o", str(tmp_path / "t")])
    assert twice.stdout.splitlines()[:2] == ["Danh sách đơn vị:", "[Đơn vị]"]


def test_the_office_sees_what_each_school_must_fix(office, tmp_path) -> None:
    """A school's own problems, at their cells as ``toolkit check`` gives them: all of them in the JSON and the
    working copy's sheet, the first few in the text, never in the official report."""
    folder, listing, result = office
    data = json.loads(result.stdout)
    by_abbr = {s["source"].split("/")[-1].removesuffix(".xlsx"): s for s in data["schools"] if s["source"]}
    for abbr in ("THKD", "THCSTP", "MNSC"):
        own = json.loads(
            CliRunner().invoke(cli, ["check", str(folder / by_abbr[abbr]["source"]), "--format", "json"]).stdout
        )
        assert sorted(map(json.dumps, by_abbr[abbr]["problems"])) == sorted(map(json.dumps, own["problems"]))
    (kd,) = by_abbr["THKD"]["problems"]
    assert kd["severity"] == "error" and kd["cell"] and kd["tab"] == "Hoạt động"
    (path,) = (folder / "out" / "2026").glob("BCTH-*.xlsx")
    sheet = load_workbook(path)["Lỗi của đơn vị"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert ["Trường Tiểu Học Kim Đồng", 5, "Lỗi", "Hoạt động", kd["cell"], kd["message"]] in rows
    assert len(rows) == sum(len(s["problems"]) for s in data["schools"])
    report = " ".join(p.text for p in Document(str(_report(folder))).paragraphs)
    assert kd["message"] not in report
    # the text: the first three errors under the school's line, then how many more
    book = load_workbook(folder / "truong" / "THKD.xlsx")
    ws = book[ACTIVITIES.name]
    for row in range(2, 8):
        ws.cell(row=row, column=_column(ws, "CB-GV-NV nam"), value="nhiều")
    shutil.copytree(folder / "truong", tmp_path / "truong")
    book.save(tmp_path / "truong" / "THKD.xlsx")
    shutil.copy(listing, tmp_path / "ds.xlsx")
    text = CliRunner().invoke(cli, ["rollup", str(tmp_path / "ds.xlsx"), "-o", str(tmp_path / "out"), "--lang", "en"])
    lines = text.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  - Trường Tiểu Học Kim Đồng (row 5)"))
    letter = kd["cell"].rstrip("0123456789")
    assert [line.split(":")[0] for line in lines[at + 1 : at + 4]] == [
        f"      Hoạt động!{letter}{r}" for r in (2, 3, 4)
    ]
    assert lines[at + 4] == "      … and 3 more error(s)"  # was "errors": wrong for one (finding 3)


def test_a_school_with_one_error_is_not_said_to_have_1_errors(office, tmp_path) -> None:
    """In English the reason a school is not counted reads right for one error as for several."""
    folder, listing, _ = office
    shutil.copytree(folder / "truong", tmp_path / "truong")
    shutil.copy(listing, tmp_path / "ds.xlsx")
    args = ["rollup", str(tmp_path / "ds.xlsx"), "-o", str(tmp_path / "out"), "--format", "json", "--lang", "en"]
    data = json.loads(CliRunner().invoke(cli, args, env={"TOOLKIT_TODAY": ""}).stdout)
    (kd,) = [s for s in data["schools"] if (s["source"] or "").endswith("THKD.xlsx")]
    assert len(kd["problems"]) == 1 and kd["reason"] == "the workbook still has 1 error(s) to fix"


def _phu_luc_i(folder: Path) -> list[list[str]]:
    (path,) = folder.glob("*/BCTH-*.docx")
    table = next(t for t in Document(str(path)).tables if t.rows[0].cells[1].text == "Đơn vị" and len(t.columns) == 10)
    return [[c.text for c in row.cells] for row in table.rows[1:-1]]


def test_a_group_or_a_blank_group_is_ordered_by_the_level_it_shows(tmp_path) -> None:
    """``Nhóm`` = ``TH&THCS`` is Liên cấp (as a school's name is read), before GDNN-GDTX; with ``Nhóm`` blank the
    schools come by their workbooks' levels, which the column then shows."""
    combined = ExampleSchool("TRƯỜNG TH VÀ THCS VÕ THỊ SÁU", "THCSVTS", "Liên cấp", "TH&THCS", 0.9)
    listing = _ward_list(tmp_path, (WARD[0], combined, WARD[2]), "nhom.xlsx")
    result = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(tmp_path / "a")], env={"TOOLKIT_TODAY": ""})
    assert result.exit_code == 0, result.output
    assert [r[2] for r in _phu_luc_i(tmp_path / "a")] == ["Mầm non", "TH&THCS", "GDNN-GDTX"]
    blank = tuple(ExampleSchool(s.unit, s.abbr, s.level, "", s.scale) for s in (*WARD, combined))
    listing = _ward_list(tmp_path, blank, "trong.xlsx")
    result = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(tmp_path / "b")], env={"TOOLKIT_TODAY": ""})
    assert result.exit_code == 0, result.output
    rows = _phu_luc_i(tmp_path / "b")
    assert [r[2] for r in rows] == ["Mầm non", "Tiểu học", "Liên cấp", "THCS", "GDNN-GDTX"]
    assert rows[0][1] == "Trường Mầm Non Sơn Ca"
    # the JSON gives each school the group the tables use: its level, not the blank Nhóm
    args = ["rollup", str(listing), "-o", str(tmp_path / "c"), "--format", "json"]
    data = json.loads(CliRunner().invoke(cli, args, env={"TOOLKIT_TODAY": ""}).stdout)
    groups = {s["name"]: s["group"] for s in data["schools"]}
    assert groups == {r[1]: r[2] for r in rows}


def test_the_list_s_report_date_is_checked_in_a_list_s_words(tmp_path) -> None:
    listing = _ward_list(tmp_path, WARD[:2], "ds.xlsx")
    book = load_workbook(listing)
    set_settings(book, {"Ngày báo cáo": dt.date(2026, 5, 20)})  # the campaign runs from 01/06/2026
    book.save(listing)
    result = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(tmp_path / "out"), "--format", "json"])
    (found,) = json.loads(result.stdout)["list"]["problems"]
    assert found["code"] == "list-report-date" and found["tab"] == "Thông tin"
    assert found["message"] == "Ngày báo cáo tổng hợp 20/05/2026 trước ngày bắt đầu đợt (01/06/2026)."
    assert "hoạt động" not in found["message"] and result.exit_code == 1


LONG = "Trường Tiểu học và Trung học cơ sở Nguyễn Văn Trỗi số {}"


@pytest.fixture(scope="module")
def ward36(tmp_path_factory):
    """A ward of 36 schools: four counted with large figures (wide number columns), the others not sent yet,
    with long names, the group GDNN-GDTX and e-mail addresses."""
    folder = tmp_path_factory.mktemp("ward36")
    big = tuple(ExampleSchool(s.unit, s.abbr, s.level, s.group, 40.0) for s in WARD)
    listing = _ward_list(folder, big, "ds.xlsx")
    book = load_workbook(listing)
    ws = book[UNITS.name]
    for i in range(5, 37):
        ws.append([i, LONG.format(i), f"S{i}", None, f"sonca{i}@cantho.edu.vn", "GDNN-GDTX"])
    book.save(listing)
    result = CliRunner().invoke(cli, ["rollup", str(listing), "-o", str(folder / "out")], env={"TOOLKIT_TODAY": ""})
    return folder, result


def test_phu_luc_i_gives_names_their_room_and_phu_luc_ii_keeps_addresses_whole(ward36) -> None:
    from docx.shared import Emu

    from toolkit.documents.metrics import text_width_pt
    from toolkit.output.pdf import to_pdf

    folder, result = ward36
    assert result.exit_code == 1, result.output
    (path,) = folder.glob("out/*/BCTH-*.docx")
    document = Document(str(path))
    first = next(t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị" and len(t.columns) == 10)
    widths = [Emu(int(c.width)).pt for c in first.columns]
    size = first.rows[1].cells[1].paragraphs[0].style.font.size.pt  # the type size fit() chose
    assert widths[1] > 2 * widths[2]  # the names wider than the group
    assert text_width_pt(LONG.format(10), size) / (widths[1] - 2 * 85 / 20) <= 3
    # as printed: every address whole on its line
    from render_checks import words

    printed = {w.text for w in words(to_pdf(path))}
    assert {f"sonca{i}@cantho.edu.vn" for i in range(5, 37)} <= printed


def test_section_i_names_schools_as_a_sentence_does(ward36, tmp_path) -> None:
    folder, _ = ward36
    book = load_workbook(folder / "ds.xlsx")
    ws = book[UNITS.name]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=3).value == "MNSC")
    ws.cell(row=row, column=2, value="TRƯỜNG MẦM NON SƠN CA")  # typed in capitals, not sent yet
    ws.cell(row=row, column=4).value = None
    shutil.copytree(folder / "truong", tmp_path / "truong")
    book.save(tmp_path / "ds.xlsx")
    CliRunner().invoke(cli, ["rollup", str(tmp_path / "ds.xlsx"), "-o", str(tmp_path / "out")])
    (path,) = tmp_path.glob("out/*/BCTH-*.docx")
    text = [p.text for p in Document(str(path)).paragraphs]
    assert "+ Trường Mầm non Sơn Ca: chưa gửi sổ theo dõi;" in text


HAI_PHONG = ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
DONG_NAI = ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
TAN_PHU = ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "UBND XÃ TÂN PHÚ")
TAN_PHU_ALONE = ("", "UBND XÃ TÂN PHÚ")


@pytest.mark.parametrize(
    ("office", "parent", "other"),
    [
        (HAI_PHONG, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", False),  # the office as its list names it
        (HAI_PHONG, "SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HẢI PHÒNG", False),  # with its committee's place: the same body
        (HAI_PHONG, "Sở GD&ĐT TP. Hải Phòng", False),
        (HAI_PHONG, "Sở GD&ĐT Hải Phòng", False),  # the province word left out
        (HAI_PHONG, "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", False),  # the office's own parent
        (HAI_PHONG, "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH QUẢNG NAM", True),  # another province's department
        (HAI_PHONG, "ỦY BAN NHÂN DÂN PHƯỜNG LÊ CHÂN", True),
        (DONG_NAI, "SỞ GD&ĐT TỈNH ĐỒNG NAI", False),
        (DONG_NAI, "SỞ GD&ĐT ĐỒNG NAI", False),
        (DONG_NAI, "Sở GDĐT Đồng Nai", False),
        (DONG_NAI, "SỞ GIÁO DỤC VÀ ĐÀO TẠO ĐỒNG NAI", False),
        (DONG_NAI, "UBND Đồng Nai", False),
        (DONG_NAI, "Sở GD&ĐT tỉnh Quảng Nam", True),
        (DONG_NAI, "SỞ GD&ĐT QUẢNG NAM", True),
        (DONG_NAI, "UBND xã Tân Phú", True),
        (TAN_PHU, "UBND XÃ TÂN PHÚ", False),
        (TAN_PHU, "UBND XÃ TÂN PHÚ, TỈNH ĐỒNG NAI", False),  # a province after the commune's name
        (TAN_PHU, "UBND xã Tân Phú (tỉnh Đồng Nai)", False),
        (TAN_PHU, "Ủy ban nhân dân xã Tân Phú tỉnh Đồng Nai", False),
        (TAN_PHU, "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", False),  # the office's own parent
        (TAN_PHU, "UBND xã Tân Phú Đông", True),  # another commune
        (TAN_PHU, "UBND xã Tân Phú Đông, tỉnh Đồng Nai", True),
        (TAN_PHU, "UBND phường Tân Phú", True),  # a ward of the same name
        (TAN_PHU, "UBND phường Tân Phú, tỉnh Đồng Nai", True),
        (TAN_PHU, "UBND xã Tân Phú, tỉnh Quảng Nam", True),  # the same name in another province
        (TAN_PHU, "Sở GD&ĐT Đồng Nai", True),
        (TAN_PHU_ALONE, "UBND xã Tân Phú, tỉnh Đồng Nai", False),  # the office names no province
        (TAN_PHU_ALONE, "UBND xã Tân Phú Đông", True),
    ],
)
def test_a_department_is_the_same_body_named_with_its_committees_place(office, parent, other) -> None:
    """A Department's list heads its documents ``UBND THÀNH PHỐ HẢI PHÒNG / SỞ GIÁO DỤC VÀ ĐÀO TẠO`` (Decree 30);
    a school under it names its parent ``Sở Giáo dục và Đào tạo thành phố Hải Phòng``: not another body. The
    province word is optional (``Sở GD&ĐT Đồng Nai``), and so is a province after a commune's name (``UBND xã
    Tân Phú, tỉnh Đồng Nai``); another commune, a ward of the same name, another province stay other bodies."""
    from toolkit.rollup.gather import SchoolResult, Status, other_body
    from toolkit.rollup.listing import Entry
    from toolkit.workbook.model import Settings

    settings = Settings(parent_body=office[0], unit=office[1])
    school = SchoolResult(Entry(2, "Trường THPT Nguyễn Trãi"), Status.OK, parent=parent)
    assert other_body(school, settings) is other


def test_a_row_whose_workbook_names_another_school_is_counted_and_questioned(office, tmp_path) -> None:
    """The office points a row at the wrong workbook (the row says Trường THPT Chu Văn An, the workbook is
    Trường Tiểu học Nguyễn Du's, which the list does not read elsewhere): counted (it is a workbook of this
    campaign), the office told to check it."""
    folder, listing, _ = office
    book = load_workbook(listing)
    ws = book[UNITS.name]
    first = ws.max_row + 1
    ws.append([first, "Trường THPT Chu Văn An", "THPTCVA", "truong/THND.xlsx", None, "THPT"])
    path = tmp_path / "danh-sach.xlsx"
    book.save(path)
    for school in folder.glob("truong/*.xlsx"):
        (tmp_path / "truong").mkdir(exist_ok=True)
        shutil.copyfile(school, tmp_path / "truong" / school.name)
    result = CliRunner().invoke(
        cli, ["rollup", str(path), "-o", str(tmp_path / "out"), "--format", "json"], env={"TOOLKIT_TODAY": ""}
    )
    schools = {s["row"]: s for s in json.loads(result.stdout)["schools"]}
    questioned = [s for s in schools.values() if s["reason"] and "kiểm tra Nguồn" in s["reason"]]
    assert len(questioned) == 1, [s["reason"] for s in schools.values()]
    assert '"Trường Tiểu học Nguyễn Du", không phải "Trường THPT Chu Văn An"' in questioned[0]["reason"]
    assert questioned[0]["status"] in ("ok", "warnings")  # counted


def test_a_rerun_after_a_schools_change_keeps_the_earlier_report_without_calling_it_hand_edited(tmp_path) -> None:
    """The roll-up's own earlier report, replaced because a school's data changed, is 'kept in history'; only a
    report someone changed since is 'perhaps edited by hand'."""
    runner = CliRunner()
    listing = tmp_path / "danh-sach.xlsx"
    assert runner.invoke(cli, ["init", str(listing), "--rollup", "--example"]).exit_code == 0
    args = ["rollup", str(listing), "-o", str(tmp_path / "out")]
    assert runner.invoke(cli, args, env={"TOOLKIT_TODAY": ""}).exit_code == 0

    def change_a_school(people: int) -> None:
        school = sorted((tmp_path / "truong").glob("*.xlsx"))[0]
        book = load_workbook(school)
        ws = book[ACTIVITIES.name]
        column = next(c.column for c in ws[1] if c.value and "nữ" in str(c.value))
        ws.cell(row=2, column=column, value=people)
        book.save(school)

    change_a_school(977)
    again = runner.invoke(cli, args, env={"TOOLKIT_TODAY": ""})
    assert "Bản trước được giữ lại trong lịch sử:" in again.stderr and "sửa tay" not in again.stderr
    (report,) = (tmp_path / "out").glob("*/BCTH-*.docx")
    report.write_bytes(report.read_bytes() + b"\0")  # someone changed it since
    change_a_school(978)
    third = runner.invoke(cli, args, env={"TOOLKIT_TODAY": ""})
    assert "(có thể đã sửa tay)" in third.stderr, third.stderr


def test_init_rollup_example_with_force_says_where_each_replaced_file_went(tmp_path) -> None:
    """--force over an example whose list and schools were filled in since: every replaced file is named with
    the copy kept in history/ (the list's own was said, the schools' workbooks went without a word)."""
    runner = CliRunner()
    listing = tmp_path / "danh-sach.xlsx"
    assert runner.invoke(cli, ["init", str(listing), "--rollup", "--example"]).exit_code == 0
    school = sorted((tmp_path / "truong").glob("*.xlsx"))[0]
    book = load_workbook(school)
    book[ACTIVITIES.name]["B2"] = "Hoạt động do trường tự ghi"
    book.save(school)
    again = runner.invoke(cli, ["init", str(listing), "--rollup", "--example", "--force"])
    assert again.exit_code == 0, again.output
    kept = [line for line in again.stderr.splitlines() if "giữ lại trong lịch sử" in line]
    assert len(kept) == 1 and f"{school.parent / 'history' / school.stem}-" in kept[0], again.stderr
    assert load_workbook(school)[ACTIVITIES.name]["B2"].value != "Hoạt động do trường tự ghi"  # the example again


def test_last_years_workbook_of_a_unit_listed_first_does_not_hide_this_years() -> None:
    from toolkit.rollup.figures import Figures
    from toolkit.rollup.gather import SchoolResult, Status, count_once
    from toolkit.rollup.listing import Entry

    old = SchoolResult(Entry(2, "Trường A"), Status.WRONG, None, figures=Figures(), unit="Trường A", year=2025)
    new = SchoolResult(Entry(3, "Trường A"), Status.OK, None, figures=Figures(), unit="Trường A", year=2026)
    again = SchoolResult(Entry(4, "Trường A"), Status.OK, None, figures=Figures(), unit="Trường A", year=2026)
    count_once([old, new, again])
    # a workbook of another campaign or year is not this unit's workbook of the roll-up: the later one counts
    assert (old.status, new.status, again.status) == (Status.WRONG, Status.OK, Status.DUPLICATE)
    assert new.counted and again.same_as == 3

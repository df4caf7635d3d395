"""Round 2 of bad input and faults: giant cells, quadratic text, console encodings, links and folders in the
way, exit codes. Each case failed before its fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from test_hostile import run_limited

from conftest import write_workbook
from toolkit.cli import cli
from toolkit.core.text import doubled_phrase
from toolkit.sources import GOOGLE, LOCAL, resolve
from toolkit.sources.xlsx import read_xlsx
from toolkit.workbook.problems import CAP
from toolkit.workbook.tables import CELL_LIMIT
from toolkit.workbook.validate import validate

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def test_doubled_phrase_is_linear() -> None:
    started = time.perf_counter()
    assert doubled_phrase("đ-" * 16383) is None
    assert doubled_phrase("Công văn " * 20000) == "Công văn"
    assert time.perf_counter() - started < 1


def test_a_problem_carries_a_capped_value(tmp_path) -> None:
    long = "Tọa đàm " * 4000  # 32,000 characters, not in the list
    report = validate(read_xlsx(write_workbook(tmp_path / "x.xlsx", {("Hoạt động", "C7"): long})))[1]
    problem = next(p for p in report.problems if p.code == "not-in-list")
    assert len(problem.value) == CAP and problem.value.endswith("…")
    assert len(problem.message()) < 2 * CAP


def test_a_cell_at_the_xlsx_limit_is_cut_and_warned_the_same_online_and_offline() -> None:
    from toolkit.workbook.tables import RawSheet, RawWorkbook

    def run(text: str):
        raw = RawWorkbook("raw", [RawSheet("Hoạt động", [["Tên hoạt động", "Ghi chú"], ["Lễ phát động", text]])])
        campaign, report = validate(raw)
        return campaign.activities[0].note, [(p.code, p.cell) for p in report.problems if p.tab == "Hoạt động"]

    online = run("x" * 40_000)  # a Google Sheets cell may hold 50,000
    offline = run("x" * CELL_LIMIT)  # what the snapshot keeps
    assert online == offline
    assert online[0] == "x" * CELL_LIMIT and ("cell-too-long", "B2") in online[1]


def test_output_in_a_console_that_cannot_show_vietnamese(tmp_path) -> None:
    env = {**ENV, "PYTHONIOENCODING": "cp1258"}
    out = tmp_path / "out"
    text = subprocess.run(
        [sys.executable, "-m", "toolkit", "sync-and-report", "-o", str(out)], env=env, capture_output=True, timeout=120
    )
    assert text.returncode == 0, text.stderr
    assert b"Traceback" not in text.stderr
    as_json = subprocess.run(
        [sys.executable, "-m", "toolkit", "check", "--format", "json", "-o", str(out)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert as_json.returncode == 0
    data = json.loads(as_json.stdout.decode("cp1258"))
    assert data["valid"] is True and data["stats"]["done"] > 0


def test_openpyxl_warnings_do_not_reach_the_console(tmp_path) -> None:
    source = write_workbook(tmp_path / "x.xlsx", {("Hoạt động", "E20"): -4.2e16})
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "check", str(source), "-q"],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "site-packages" not in result.stderr and "UserWarning" not in result.stderr
    assert "E20" in result.stdout


def test_a_file_where_a_folder_must_be_is_named(tmp_path) -> None:
    source = write_workbook(tmp_path / "x.xlsx")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "2023").write_text("not a folder")
    result = CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 4
    assert f"{tmp_path / 'out' / '2023'} is a file, but it has to be a folder" in result.stderr


def test_a_history_file_and_a_read_only_history_are_named_not_blamed_on_word(tmp_path) -> None:
    source = write_workbook(tmp_path / "x.xlsx")
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli, ["report", str(source), "-o", str(out)]).exit_code == 0
    document = next((out / "2023").glob("BC-*.docx"))
    document.write_bytes(b"edited")
    (out / "2023" / "history").write_text("in the way")
    result = runner.invoke(cli, ["report", str(source), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 4 and f"{out / '2023' / 'history'} is a file" in result.stderr
    (out / "2023" / "history").unlink()
    (out / "2023" / "history").mkdir()
    os.chmod(out / "2023" / "history", 0o555)
    try:
        limited = run_limited("report", str(source), "-o", str(out), "--lang", "en", no_root_bypass=True)
    finally:
        os.chmod(out / "2023" / "history", 0o755)
    assert limited.returncode == 4, limited.stderr
    assert f"No permission to write in {out / '2023' / 'history'}" in limited.stderr and "Word" not in limited.stderr


def test_a_wrong_toolkit_soffice_says_so(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TOOLKIT_SOFFICE", str(tmp_path / "no-such-soffice"))
    result = CliRunner().invoke(
        cli, ["report", str(write_workbook(tmp_path / "x.xlsx")), "-o", str(tmp_path / "o"), "--pdf", "--lang", "en"]
    )
    assert result.exit_code == 4 and "TOOLKIT_SOFFICE points at" in result.stderr
    assert "not installed" not in result.stderr


def test_a_long_local_name_is_a_file_not_a_sheet_id(tmp_path) -> None:
    assert resolve("so-theo-doi-cua-truong-nam-2025").kind == LOCAL
    assert resolve("1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-xyzAB").kind == GOOGLE


def test_pull_and_init_sheet_on_a_local_file_are_both_usage_errors(tmp_path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["pull", "local.xlsx", "-o", str(tmp_path)]).exit_code == 2
    assert runner.invoke(cli, ["init-sheet", "local.xlsx"]).exit_code == 2


def test_a_missing_file_in_json_mode_prints_a_json_error(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "missing.xlsx"), "--format", "json", "--lang", "en"])
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]
    assert error["exit_code"] == 3 and error["message"].startswith("File not found")


def test_ctrl_c_exits_130(tmp_path) -> None:
    """Ctrl-C in the middle of the work: exit 130 with a word, no traceback. The child says when the work has
    begun (a line on stdout), so the interrupt lands inside it however slow the machine is."""
    import signal

    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, toolkit.cli as c\n"
            "def slow(*a, **k):\n    print('started', flush=True)\n    time.sleep(60)\n"
            "import toolkit.pipeline as p; p.check = slow\n"
            "c.cli(['check', '-o', '" + str(tmp_path) + "'], prog_name='toolkit')",
        ],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "started"
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130 and "Ctrl-C" in err and "Traceback" not in err


def test_sync_and_report_alone_has_help_and_version() -> None:
    for flag, expected in (("-h", "Usage: sync-and-report"), ("--version", "sync-and-report, version")):
        result = subprocess.run(
            [sys.executable, "-c", "from toolkit.cli import sync_and_report_main as m; m()", flag],
            env=ENV,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0 and expected in result.stdout, result.stderr


def test_snapshots_keep_each_content_once_and_the_newest(tmp_path) -> None:
    import datetime as dt

    from toolkit.sources import snapshots
    from toolkit.workbook.tables import RawSheet, RawWorkbook

    def raw(n: int) -> RawWorkbook:
        return RawWorkbook("g", [RawSheet("Hoạt động", [["Tên hoạt động"], [f"Hoạt động {n}"]])])

    start = dt.datetime(2026, 11, 1, 8, 0, 0)
    paths = [
        snapshots.save(raw(n), "SHEET", tmp_path, when=start + dt.timedelta(minutes=i), keep=2)
        for i, n in enumerate([1, 1, 2, 3, 3, 4])
    ]
    assert paths[0] == paths[1] and paths[3] == paths[4]  # the same content read again: no new snapshot
    kept = sorted(p.name for p in snapshots.folder(tmp_path).glob("*.xlsx"))
    assert kept == sorted(p.name for p in (paths[3], paths[5]))
    assert snapshots.newest("SHEET", tmp_path) == paths[5]


def test_libreoffice_is_looked_for_where_each_system_installs_it() -> None:
    from toolkit.output.pdf import candidates

    windows = candidates(
        "win32",
        {"ProgramFiles": r"C:\Program Files", "ProgramFiles(x86)": r"C:\Program Files (x86)"},
        [r"D:\Apps\LibreOffice\program\soffice.exe"],
    )
    assert windows[:3] == ["soffice.exe", "soffice", "libreoffice"]
    assert r"C:\Program Files\LibreOffice\program\soffice.exe" in windows
    assert r"C:\Program Files (x86)\LibreOffice\program\soffice.exe" in windows
    assert windows[-1] == r"D:\Apps\LibreOffice\program\soffice.exe"  # the registry's App Paths
    mac = candidates("darwin", {"HOME": "/Users/vanthu"})
    assert "/Applications/LibreOffice.app/Contents/MacOS/soffice" in mac
    linux = candidates("linux", {"HOME": "/home/vanthu"})
    assert "/snap/bin/libreoffice" in linux and "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice" in linux


def test_windows_path_and_sharing_decisions(tmp_path) -> None:
    from toolkit.output.write import output_error, path_too_long

    deep = tmp_path / ("thu-muc-rat-dai-" * 20) / "KH-THBA-x.docx"
    assert path_too_long(deep, windows=True) is not None and path_too_long(deep, windows=False) is None
    assert "choose a shorter folder with -o" in path_too_long(deep, windows=True).en
    assert path_too_long(tmp_path / "KH.docx", windows=True) is None
    locked = PermissionError(13, "Permission denied", str(tmp_path / "KH.docx"))
    locked.winerror = 32  # what Windows says for a file open in Word
    assert output_error(tmp_path / "KH.docx", locked).en.endswith(
        "the file is open in Word (or another program). Close it and run again."
    )


def test_a_local_run_imports_no_network_or_translation_stack(tmp_path) -> None:
    """What a local run loads: no http/ssl/email/requests/Google/Babel/numpy (``urllib.parse`` itself comes
    with the standard library's ``pathlib``), nothing of the other commands (signing, the web UI and its
    templates, mail, the old formats' readers), no openpyxl (calamine reads an ordinary workbook); from the
    second run on, not even python-docx and its lxml (the prepared package is cached), and the documents are the
    same bytes."""
    source = write_workbook(tmp_path / "x.xlsx")
    env = {**ENV, "TOOLKIT_CACHE": str(tmp_path / "cache")}
    runs = []
    for n in (1, 2):
        code = (
            "import sys\nfrom toolkit.cli import cli\ntry:\n"
            f"    cli(['sync-and-report', {str(source)!r}, '-o', {str(tmp_path / f'out{n}')!r}, '-q'], "
            "prog_name='toolkit')\n"
            "except SystemExit as end:\n    assert not end.code, end.code\nprint('\\n'.join(sorted(sys.modules)))"
        )
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]
        runs.append(set(run.stdout.split()))
    first, second = runs
    assert "docx" in first and "python_calamine" in first  # the run really happened, building the package
    assert "docx" not in second and "python_calamine" in second
    assert not [m for m in first | second if m.split(".")[0] in ("openpyxl", "defusedxml")]
    heavy = ("http", "ssl", "email", "requests", "babel", "gspread", "google", "numpy", "smtplib")
    heavy += ("pyhanko", "starlette", "uvicorn", "jinja2", "multipart", "aiosmtpd", "xlrd", "odf")
    assert not sorted(m for m in first | second if m.split(".")[0] in heavy or m == "urllib.request")
    assert not sorted(m for m in second if m.split(".")[0] in ("lxml", "PIL"))  # python-docx's, building the package
    for a, b in zip(
        sorted((tmp_path / "out1").rglob("*.docx")), sorted((tmp_path / "out2").rglob("*.docx")), strict=True
    ):
        assert a.read_bytes() == b.read_bytes()


def test_a_damaged_package_cache_is_rebuilt(tmp_path, monkeypatch) -> None:
    from toolkit.documents import package as docx_package

    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path))
    docx_package.base_package.cache_clear()
    try:
        built = docx_package.base_package()
        cached = docx_package.cache_path()
        assert cached.is_file()
        cached.write_bytes(b"PK\x03\x04 cut short")
        docx_package.base_package.cache_clear()
        import zipfile

        assert docx_package.base_package() == built and zipfile.is_zipfile(cached)
    finally:
        docx_package.base_package.cache_clear()


def test_a_damaged_zipped_package_cache_is_rebuilt_and_the_documents_are_the_same_bytes(tmp_path) -> None:
    """The fixed parts' zip kept beside the package (so a run neither unpacks nor compresses them again): cut
    short, a FIFO or a folder in its place, the run rebuilds it and writes the same bytes as with it whole."""
    import zipfile

    cache = tmp_path / "cache"
    first = _documents_with_cache(tmp_path, cache, tmp_path / "out0")
    assert first.returncode == 0, first.stderr
    (zipped,) = cache.glob("base-*-zipped-*.zip")
    whole = {p.name: p.read_bytes() for p in (tmp_path / "out0").rglob("*.docx")}
    assert len(whole) == 2
    for n, damage in enumerate(("cut", "fifo", "folder"), start=1):
        zipped.unlink()
        if damage == "cut":
            zipped.write_bytes(b"PK\x03\x04 cut short")
        elif damage == "fifo":
            os.mkfifo(zipped)
        else:
            zipped.mkdir()
        run = _documents_with_cache(tmp_path, cache, tmp_path / f"out{n}")  # the timeout says it never hangs
        assert run.returncode == 0, run.stderr
        assert {p.name: p.read_bytes() for p in (tmp_path / f"out{n}").rglob("*.docx")} == whole, damage
        if damage == "cut":
            assert zipfile.is_zipfile(zipped)  # rebuilt and kept
        if damage == "folder":
            zipped.rmdir()
    assert not [p for p in cache.iterdir() if p.suffix == ".tmp"]


def _documents_with_cache(tmp_path: Path, cache: Path, out: Path) -> subprocess.CompletedProcess:
    source = write_workbook(tmp_path / "x.xlsx")
    env = {**ENV, "TOOLKIT_CACHE": str(cache)}
    command = [sys.executable, "-m", "toolkit", "sync-and-report", str(source), "-o", str(out), "-q"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def _whole(document: Path) -> None:
    import zipfile

    from docx import Document

    with zipfile.ZipFile(document) as package:
        names = set(package.namelist())
    assert {"[Content_Types].xml", "word/styles.xml", "word/document.xml", "docProps/core.xml"} <= names
    assert len(Document(str(document)).paragraphs) > 10


def test_a_cache_holding_part_of_a_package_or_a_fifo_is_rebuilt_and_the_documents_are_whole(
    tmp_path, monkeypatch
) -> None:
    import zipfile

    from toolkit.documents import package as docx_package

    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path / "cache"))
    cached = docx_package.cache_path()
    cached.parent.mkdir()
    body = '<w:document xmlns:w="x"><w:body><w:sectPr/></w:body></w:document>'
    with zipfile.ZipFile(cached, "w") as package:
        package.writestr("word/document.xml", body)
    run = _documents_with_cache(tmp_path, cached.parent, tmp_path / "out1")
    assert run.returncode == 0, run.stderr
    for document in (tmp_path / "out1").rglob("*.docx"):
        _whole(document)
    assert zipfile.is_zipfile(cached) and "[Content_Types].xml" in zipfile.ZipFile(cached).namelist()
    cached.unlink()
    os.mkfifo(cached)
    run = _documents_with_cache(tmp_path, cached.parent, tmp_path / "out2")  # the timeout says it never hangs
    assert run.returncode == 0, run.stderr
    for document in (tmp_path / "out2").rglob("*.docx"):
        _whole(document)
    assert not [p for p in cached.parent.iterdir() if p.suffix == ".tmp"]


def test_a_failing_cache_write_leaves_no_temporary_file(tmp_path) -> None:
    """A full disk, as the kernel says it to a process over its file-size limit (EFBIG)."""
    import resource
    import signal

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    cache = tmp_path / "cache"
    code = "from toolkit.documents import package\nparts = dict(package.base_package())\nprint(len(parts))"
    for _ in range(2):
        run = subprocess.run(
            [sys.executable, "-c", code],
            env={**ENV, "TOOLKIT_CACHE": str(cache)},
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=small_files,
        )
        assert run.returncode == 0 and int(run.stdout) >= 6, run.stderr
    assert cache.is_dir() and list(cache.iterdir()) == []


def test_a_huge_problem_list_is_counted_per_code_and_column_in_text_json_and_the_check_rows(tmp_path) -> None:
    """Issue 18's workbook: one 32,767-character text in 21 columns of 5,000 rows, 285,000 problems."""
    from collections import Counter

    from test_hostile import repeated_long_text

    from toolkit.pipeline import check_rows
    from toolkit.workbook.problems import LISTED

    path = repeated_long_text(tmp_path)
    text = CliRunner().invoke(cli, ["check", str(path), "--lang", "en"])
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    # and one more warning: none of the 5,000 garbled activities is done by the report date (nothing-done)
    assert lines[-1] == "75000 error(s), 210001 warning(s)."
    assert lines[-3:-1] == ["[Thông tin]", lines[-2]] and lines[-2].startswith("  WARNING B14: The report date")
    assert (
        '  WARNING … column "Ghi chú": 4990 more cells with this problem (cell-too-long), up to U5001; '
        "5000 cells in all." in lines
    )
    assert (
        '  ERROR … column "Bắt đầu": 4990 more cells with this problem (bad-date), up to E5001; 5000 cells in all.'
        in lines
    )
    assert len(lines) == 4 + 57 * (LISTED + 1)  # two tabs, 57 codes × columns (ten cells and a count), nothing-done,
    # the totals
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["counts"] == {"errors": 75000, "warnings": 210001}
    assert max(Counter((p["code"], p["column"]) for p in data["problems"]).values()) == LISTED
    groups = {(g["code"], g["column"]): g for g in data["groups"]}
    assert len(groups) == 57 and all(g["count"] == 5000 and g["listed"] == LISTED for g in groups.values())
    assert groups[("cell-too-long", "Ghi chú")]["last_cell"] == "U5001"
    assert len(data["problems"]) + sum(g["count"] - g["listed"] for g in groups.values()) == 285001
    assert len(result.stdout) < 1_000_000  # was 153 MB
    report = validate(read_xlsx(path))[1]
    rows = check_rows(report, "en")
    assert len(rows) == 1 + 57 * LISTED + 57 + 1
    assert [
        "Warning",
        "Hoạt động",
        '… column "Ghi chú": 4990 more cells with this problem (cell-too-long), up to U5001; 5000 cells in all.',
    ] in [row[1:] for row in rows]


def test_ten_problems_of_a_kind_in_a_column_are_listed_and_the_rest_counted(tmp_path) -> None:
    from toolkit.workbook.problems import render

    edits = {("Hoạt động", f"E{row}"): "31/11/2023" for row in range(2, 14)}  # twelve bad dates in one column
    report = validate(read_xlsx(write_workbook(tmp_path / "x.xlsx", edits)))[1]
    assert [(p.code, p.cell) for p in report.problems] == [("bad-date", f"E{row}") for row in range(2, 12)]
    lines = render(report, "en").splitlines()
    assert lines[1:] == [
        *(f'  ERROR E{row}: "31/11/2023" is not a valid date: month 11 has only 30 days.' for row in range(2, 12)),
        '  ERROR … column "Bắt đầu": 2 more cells with this problem (bad-date), up to E13; 12 cells in all.',
        "12 error(s), 0 warning(s).",
    ]
    import copy
    import pickle

    for again in (copy.deepcopy(report), pickle.loads(pickle.dumps(report))):
        assert render(again, "en") == render(report, "en")
    edits.pop(("Hoạt động", "E13"))
    edits.pop(("Hoạt động", "E12"))
    report = validate(read_xlsx(write_workbook(tmp_path / "y.xlsx", edits)))[1]
    assert len(report.problems) == 10 and report.groups == []  # ten are listed as before, each at its cell

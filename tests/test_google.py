"""Google Sheets sync against the emulator: gspread and google-auth run their real code over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import tuples, write_workbook
from sheets_emulator import CLIENT_EMAIL, Emulator, Fault, workbook_values
from toolkit.cli import cli
from toolkit.core.config import Options, RetryPolicy
from toolkit.core.errors import CredentialsError, NetworkError, SourceError
from toolkit.pipeline import check, pull, sync_and_report
from toolkit.sources import credentials, resolve, sheet_id

SHEET = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-xy"
URL = f"https://docs.google.com/spreadsheets/d/{SHEET}/edit#gid=0"
FAST = RetryPolicy(timeout=1.0, total=4.0, base=0.01, cap=0.05, quota_window=0.2)


@pytest.fixture
def example_sheet(emulator, tmp_path):
    xlsx = write_workbook(tmp_path / "example.xlsx")
    emulator.add(SHEET, workbook_values(xlsx))
    return xlsx


def options(emulator, tmp_path, **kwargs) -> Options:
    notes: list[str] = []
    kwargs.setdefault("policy", FAST)
    result = Options(
        output=tmp_path / "out",
        credentials=str(emulator.key),
        notify=lambda message: notes.append(message.text("en")),
        **kwargs,
    )
    result.notes = notes
    return result


def test_local_names_are_not_sheet_ids() -> None:
    assert sheet_id("truong.xlsx") is None and sheet_id("so-theo-doi-2023.xlsx") is None


def test_one_read_one_write_and_the_same_result_as_the_xlsx(emulator, example_sheet, tmp_path) -> None:
    google = sync_and_report(URL, options(emulator, tmp_path))
    assert emulator.api_requests() == [
        ("GET", f"/v4/spreadsheets/{SHEET}/values:batchGet"),
        ("GET", f"/v4/spreadsheets/{SHEET}"),  # properties.locale only: the sheet holds dates
        ("POST", f"/v4/spreadsheets/{SHEET}/values:batchUpdate"),
    ]
    locale = next(q for m, p, q, _ in emulator.log if p == f"/v4/spreadsheets/{SHEET}")
    assert locale["fields"] == ["properties(locale,timeZone)"]
    assert [p for _, p, _, _ in emulator.log].count("/token") == 1
    read = next(q for m, p, q, _ in emulator.log if p.endswith("batchGet"))
    assert read["valueRenderOption"] == ["UNFORMATTED_VALUE"] and read["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    local = sync_and_report(str(example_sheet), Options(output=tmp_path / "local"))
    assert {**google.to_dict(), "source": "", "outputs": []} == {**local.to_dict(), "source": "", "outputs": []}
    for a, b in zip(google.outputs, local.outputs, strict=True):
        assert Path(a).read_bytes() == Path(b).read_bytes()
    check_tab = emulator.sheets[SHEET].tab("Kiểm tra").values
    assert check_tab[0] == ["Thời điểm", "Mức", "Ô", "Nội dung"]
    assert check_tab[1][1:] == ["OK", "", "Không có lỗi hay cảnh báo."]


def test_write_back_is_raw_and_names_cells(emulator, tmp_path) -> None:
    tabs = workbook_values(write_workbook(tmp_path / "bad.xlsx", {("Hoạt động", "K3"): "+84912345678"}))
    tabs["Hoạt động"][6][4] = '=HYPERLINK("http://x")'  # text that looks like a formula, in E7
    emulator.add(SHEET, tabs)
    emulator.sheets[SHEET].tab("Kiểm tra").values = [["old"] for _ in range(30)]
    _, report = check(resolve(URL), options(emulator, tmp_path))
    assert tuples(report) == [("bad-count", "Hoạt động", "K3"), ("bad-date", "Hoạt động", "E7")]
    body = json.loads(next(raw for m, p, _, raw in emulator.log if p.endswith("values:batchUpdate")))
    assert body["valueInputOption"] == "RAW"
    rows = emulator.sheets[SHEET].tab("Kiểm tra").values
    assert rows[1][1:3] == ["Lỗi", "Hoạt động!K3"] and rows[2][2] == "Hoạt động!E7"
    assert rows[2][3] == report.problems[1].message() and rows[2][3].startswith('"=HYPERLINK')
    assert all(not isinstance(v, dict) for row in rows for v in row)  # text, never formulas
    assert rows[3:] == [["", "", "", ""]] * 27  # the old rows are cleared


def test_missing_check_tab_is_created_in_one_request(emulator, example_sheet, tmp_path) -> None:
    tabs = workbook_values(example_sheet)
    del tabs["Kiểm tra"]
    tabs["HOAT DONG"] = tabs.pop("Hoạt động")
    emulator.add(SHEET, tabs)
    _, report = check(resolve(URL), options(emulator, tmp_path))
    assert report.valid and report.problems == []
    paths = [p for _, p in emulator.api_requests()]
    assert paths == [
        f"/v4/spreadsheets/{SHEET}/values:batchGet",
        f"/v4/spreadsheets/{SHEET}",
        f"/v4/spreadsheets/{SHEET}/values:batchGet",
        f"/v4/spreadsheets/{SHEET}",  # the locale
        f"/v4/spreadsheets/{SHEET}:batchUpdate",
    ]
    assert emulator.sheets[SHEET].tab("Kiểm tra").values[0] == ["Thời điểm", "Mức", "Ô", "Nội dung"]


def test_missing_required_tab_is_a_data_error(emulator, example_sheet, tmp_path) -> None:
    tabs = workbook_values(example_sheet)
    del tabs["Hoạt động"]
    emulator.add(SHEET, tabs)
    _, report = check(resolve(URL), options(emulator, tmp_path, write_back=False))
    assert tuples(report) == [("missing-tab", "Hoạt động", None)]
    assert all(m == "GET" for m, _ in emulator.api_requests())


def test_not_shared_names_the_service_account(emulator, example_sheet, tmp_path) -> None:
    emulator.sheets[SHEET].writers = set()
    with pytest.raises(SourceError) as error:
        check(resolve(URL), options(emulator, tmp_path))
    assert error.value.exit_code == 3
    assert error.value.en == f"No access to Google Sheet {SHEET}: share the sheet with {CLIENT_EMAIL} (as Editor)."


def test_unknown_sheet(emulator, tmp_path) -> None:
    with pytest.raises(SourceError) as error:
        check(resolve(URL), options(emulator, tmp_path))
    assert error.value.en == f"No such Google Sheet {SHEET}: check the link."


def test_view_only_access_warns_and_still_writes_documents(emulator, example_sheet, tmp_path) -> None:
    sheet = emulator.sheets[SHEET]
    sheet.writers, sheet.readers = set(), {CLIENT_EMAIL}
    opts = options(emulator, tmp_path)
    report = sync_and_report(URL, opts)
    assert len(report.outputs) == 2 and all(Path(p).is_file() for p in report.outputs)
    assert opts.notes == [
        f'Warning: could not write the "Kiểm tra" tab ({CLIENT_EMAIL} may only view the sheet); '
        "the documents are still written."
    ]


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", status=429, times=2),
        Fault("status", status=500),
        Fault("status", status=503, times=3),
        Fault("status", status=408),
        Fault("hang", seconds=2.5),
        Fault("reset"),
        Fault("garbage"),
        Fault("truncated"),
        Fault("big"),
        Fault("status", status=500, target="token"),
    ],
)
def test_passing_faults_are_survived(emulator, example_sheet, tmp_path, fault) -> None:
    emulator.faults.append(fault)
    report = sync_and_report(URL, options(emulator, tmp_path))
    assert report.valid and len(report.outputs) == 2
    assert not emulator.faults  # the fault was met


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", status=503, times=1000),
        Fault("reset", times=1000),
        Fault("hang", seconds=1.5, times=1000),
        Fault("garbage", times=1000),
    ],
)
def test_lasting_faults_end_in_a_clear_message_in_bounded_time(emulator, example_sheet, tmp_path, fault) -> None:
    emulator.faults.append(fault)
    start = time.monotonic()
    with pytest.raises(NetworkError) as error:
        sync_and_report(URL, options(emulator, tmp_path))
    assert time.monotonic() - start < FAST.total + FAST.timeout + 2
    assert error.value.exit_code == 3
    if fault.kind in ("reset", "hang"):  # no answer ever came: what a person can check
        assert error.value.en.startswith("Could not connect to Google after ") and "Internet" in error.value.en
    else:
        assert error.value.en.startswith("Could not reach Google Sheets after ")
    assert not (tmp_path / "out").exists()  # no snapshot, no document


def test_token_endpoint_down_ends_in_bounded_time(emulator, example_sheet, tmp_path) -> None:
    emulator.faults.append(Fault("status", status=503, times=1000, target="token"))
    start = time.monotonic()
    with pytest.raises(NetworkError) as error:
        check(resolve(URL), options(emulator, tmp_path))
    assert time.monotonic() - start < FAST.total + FAST.timeout + 2
    assert error.value.en.startswith("Could not reach Google Sheets after ") and "token" in error.value.en


def test_expired_token_mid_run_is_refreshed(emulator, example_sheet, tmp_path) -> None:
    emulator.expire_after = 1  # the read succeeds, the write-back meets an expired token
    report = sync_and_report(URL, options(emulator, tmp_path))
    assert report.valid and len(report.outputs) == 2
    assert [p for _, p, _, _ in emulator.log].count("/token") == 2


def test_refused_key(emulator, example_sheet, tmp_path) -> None:
    other = Emulator()
    try:
        wrong = other.key_file(tmp_path / "wrong.json")
        wrong.write_text(wrong.read_text().replace(other.url, emulator.url))
        with pytest.raises(CredentialsError) as error:
            check(resolve(URL), Options(output=tmp_path / "o", credentials=str(wrong), policy=FAST))
        assert error.value.exit_code == 3 and "create a new key" in error.value.en
    finally:
        other.close()


def test_snapshots_offline_and_the_hint_on_failure(emulator, example_sheet, tmp_path) -> None:
    opts = options(emulator, tmp_path)
    first = sync_and_report(URL, opts)
    snaps = sorted((tmp_path / "out" / "snapshots").glob("*.xlsx"))
    assert len(snaps) == 1 and snaps[0].name.startswith(f"{SHEET}-")
    sync_and_report(URL, opts)  # the same content read again adds no snapshot
    assert sorted((tmp_path / "out" / "snapshots").glob("*.xlsx")) == snaps
    from_snapshot = sync_and_report(str(snaps[0]), Options(output=tmp_path / "snap"))
    assert {**from_snapshot.to_dict(), "source": "", "outputs": []} == {**first.to_dict(), "source": "", "outputs": []}
    for a, b in zip(first.outputs, from_snapshot.outputs, strict=True):
        assert Path(a).read_bytes() == Path(b).read_bytes()
    emulator.faults.append(Fault("reset", times=1000))
    with pytest.raises(NetworkError) as error:
        check(resolve(URL), opts)
    assert f"The newest snapshot is {snaps[0]}" in error.value.en and "--offline" in error.value.en
    emulator.faults.clear()
    emulator.log.clear()
    offline = options(emulator, tmp_path, offline=True)
    _, report = check(resolve(URL), offline)
    assert report.valid and emulator.log == []
    assert offline.notes[0].startswith(f"Offline: using the snapshot {snaps[0]} (taken ")


def test_pull_writes_a_snapshot_only(emulator, example_sheet, tmp_path) -> None:
    path = pull(resolve(f"gsheet:{SHEET}"), options(emulator, tmp_path))
    assert path.is_file() and path.parent == tmp_path / "out" / "snapshots"
    assert emulator.api_requests() == [("GET", f"/v4/spreadsheets/{SHEET}/values:batchGet")]


def test_init_sheet_lays_out_an_empty_sheet(emulator, tmp_path) -> None:
    emulator.add(SHEET, {"Trang tính1": []})
    runner = CliRunner()
    args = ["init-sheet", URL, "--credentials", str(emulator.key), "--lang", "en"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    sheet = emulator.sheets[SHEET]
    assert [t.title for t in sheet.tabs][:9] == [
        "Hướng dẫn",
        "Thông tin",
        "Căn cứ",
        "Nội dung",
        "Thông điệp",
        "Hoạt động",
        "Số liệu khác",
        "Danh mục",
        "Kiểm tra",
    ]
    activities = sheet.tab("Hoạt động")
    assert activities.values[0][:3] == ["STT", "Tên hoạt động", "Nhóm hoạt động"]
    assert activities.frozen_rows == 1 and activities.protected[0]["range"]["endRowIndex"] == 1
    rules = [v["rule"]["condition"]["values"][0]["userEnteredValue"] for v in activities.validations]
    assert rules == ["='Danh mục'!$A$2:$A$200", "='Danh mục'!$C$2:$C$200", "='Danh mục'!$D$2:$D$200"]
    write_requests = [p for m, p in emulator.api_requests() if m == "POST"]
    assert len(emulator.api_requests()) == 2 and len(write_requests) == 1  # metadata, then one batchUpdate
    again = runner.invoke(cli, [*args, "--example"])  # the laid-out template holds no data yet
    assert again.exit_code == 0, again.output
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 4 and "already hold data" in refused.stderr
    _, report = check(resolve(URL), options(emulator, tmp_path))
    assert report.valid and report.problems == []


def test_init_sheet_example_gives_the_same_documents_as_the_xlsx(emulator, tmp_path) -> None:
    emulator.add(SHEET, {"Trang tính1": []})
    result = CliRunner().invoke(cli, ["init-sheet", URL, "--credentials", str(emulator.key), "--example"])
    assert result.exit_code == 0, result.output
    google = sync_and_report(URL, options(emulator, tmp_path))
    local = sync_and_report(str(write_workbook(tmp_path / "x.xlsx")), Options(output=tmp_path / "local"))
    for a, b in zip(google.outputs, local.outputs, strict=True):
        assert Path(a).read_bytes() == Path(b).read_bytes()


def test_credentials_problems(emulator, tmp_path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["check", URL, "--credentials", str(tmp_path / "none.json"), "--lang", "en"])
    assert missing.exit_code == 3
    assert missing.stderr.startswith(f"Service-account key file {tmp_path / 'none.json'} not found.")
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "authorized_user", "client_secret": "s3cret"}')
    result = runner.invoke(cli, ["check", URL, "--credentials", str(bad), "--lang", "en"])
    assert result.exit_code == 3 and "is not a Google service-account key" in result.stderr
    assert "s3cret" not in result.output


def test_key_readable_by_others_is_warned_and_never_printed(emulator, example_sheet, tmp_path) -> None:
    emulator.key.chmod(0o644)
    result = CliRunner().invoke(
        cli, ["check", URL, "--credentials", str(emulator.key), "-o", str(tmp_path), "--lang", "en", "-v"]
    )
    assert result.exit_code == 0, result.output
    assert f"Warning: the key file {emulator.key} is readable by others; run: chmod 600 {emulator.key}" in result.stderr
    secret = json.loads(emulator.key.read_text())["private_key"].splitlines()[1]
    assert secret not in result.output


def test_cli_end_to_end_as_a_process(emulator, example_sheet, tmp_path) -> None:
    env = {**os.environ, "TOOLKIT_SHEETS_API": emulator.url, "NO_PROXY": "127.0.0.1"}
    script = Path(sys.executable).with_name("sync-and-report")  # the installed console script
    command = [str(script)] if script.exists() else [sys.executable, "-m", "toolkit", "sync-and-report"]
    run = subprocess.run(
        [*command, URL, "--credentials", str(emulator.key), "-o", str(tmp_path / "o"), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["source"] == f"gsheet:{SHEET}" and data["valid"] and len(data["outputs"]) == 2
    assert all(Path(p).is_file() for p in data["outputs"])
    assert "Traceback" not in run.stderr


def test_cli_network_failure_exit_3_without_traceback(emulator, example_sheet, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TOOLKIT_HTTP_TIMEOUT", "0.5")
    monkeypatch.setenv("TOOLKIT_HTTP_TOTAL", "2")
    emulator.faults.append(Fault("status", status=503, times=1000))
    result = CliRunner().invoke(
        cli, ["sync-and-report", URL, "--credentials", str(emulator.key), "-o", str(tmp_path), "--lang", "en"]
    )
    assert result.exit_code == 3
    assert result.stderr.startswith("Could not reach Google Sheets after ") and "HTTP 503" in result.stderr
    assert not list(tmp_path.glob("**/*.docx"))


# -- round 2 ---------------------------------------------------------------------------------------------


def test_write_back_goes_to_the_check_tab_as_the_sheet_spells_it(emulator, tmp_path) -> None:
    xlsx = write_workbook(tmp_path / "example.xlsx")
    tabs = workbook_values(xlsx)
    tabs["KIEM TRA "] = tabs.pop("Kiểm tra", [["old"]])
    emulator.add(SHEET, tabs)
    report = sync_and_report(URL, options(emulator, tmp_path))
    assert report.valid and len(report.outputs) == 2
    titles = [t.title for t in emulator.sheets[SHEET].tabs]
    assert "Kiểm tra" not in titles
    assert emulator.sheets[SHEET].tab("KIEM TRA ").values[0] == ["Thời điểm", "Mức", "Ô", "Nội dung"]


@pytest.mark.parametrize("status", [400, 500])
def test_a_failed_write_back_is_a_warning_and_the_documents_are_written(
    emulator, example_sheet, tmp_path, status
) -> None:
    emulator.faults.append(Fault("status", status=status, times=1000, target="write"))
    report = sync_and_report(URL, options(emulator, tmp_path))
    assert report.valid and len(report.outputs) == 2 and all(Path(p).is_file() for p in report.outputs)
    assert [p.code for p in report.problems] == ["write-back-failed"]
    assert report.problems[0].message("en").startswith('Could not write the problems to the sheet\'s "Kiểm tra"')


def test_key_files_that_cannot_work_fail_fast_naming_the_field(emulator, example_sheet, tmp_path) -> None:
    import json as json_

    good = emulator.key.read_text()
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + good.encode())
    _, report = check(resolve(URL), Options(output=tmp_path / "o", credentials=str(bom), policy=FAST))
    assert report.valid  # a key saved with a byte-order mark is accepted
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        with pytest.raises(CredentialsError) as error:
            check(resolve(URL), Options(output=tmp_path / "o", credentials=str(path), policy=FAST))
        assert error.value.en == f"{path} is not a regular key file."
    for uri in ("file:///etc/passwd", 12345, "ftp://example.com/token"):
        bad = tmp_path / "bad.json"
        bad.write_text(json_.dumps({**json_.loads(good), "token_uri": uri}))
        with pytest.raises(CredentialsError) as error:
            check(resolve(URL), Options(output=tmp_path / "o", credentials=str(bad), policy=FAST))
        assert 'The "token_uri" field of' in error.value.en
    refused = tmp_path / "refused.json"
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused.write_text(json_.dumps({**json_.loads(good), "token_uri": f"http://127.0.0.1:{port}/token"}))
    started = time.monotonic()
    with pytest.raises(NetworkError) as error:
        check(resolve(URL), Options(output=tmp_path / "o", credentials=str(refused), policy=RetryPolicy(total=60)))
    assert time.monotonic() - started < 15
    assert f"Nothing answers at token_uri http://127.0.0.1:{port}/token" in error.value.en


def test_retries_are_told_as_they_happen(emulator, example_sheet, tmp_path) -> None:
    emulator.faults.append(Fault("status", status=503, times=2))
    steps: list[str] = []
    report = sync_and_report(
        URL, options(emulator, tmp_path, progress=lambda message: steps.append(message.text("en")))
    )
    assert report.valid
    assert steps[0].startswith("Attempt 1 failed (HTTP 503); trying again in ") and len(steps) == 2


# -- no key: the public link ------------------------------------------------------------------------------


@pytest.fixture
def public_sheet(emulator, example_sheet, monkeypatch, tmp_path):
    emulator.sheets[SHEET].public = True
    monkeypatch.setenv("TOOLKIT_DOCS_URL", emulator.url)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no key where gspread looks for one
    monkeypatch.setenv("APPDATA", str(tmp_path / "home"))
    return emulator


def test_a_sheet_shared_by_link_gives_the_same_results_without_a_key(public_sheet, tmp_path) -> None:
    with_key = sync_and_report(URL, options(public_sheet, tmp_path / "a"))
    notes: list[str] = []
    no_key = sync_and_report(
        URL,
        Options(output=tmp_path / "b" / "out", policy=FAST, notify=lambda message: notes.append(message.text("en"))),
    )
    assert notes[0].startswith("No service-account key: reading the Google Sheet through its public link")
    strip = {"source": "", "outputs": [], "kept": {}}
    assert {**no_key.to_dict(), **strip} == {**with_key.to_dict(), **strip}
    for a, b in zip(with_key.outputs, no_key.outputs, strict=True):
        assert Path(a).read_bytes() == Path(b).read_bytes()
    exports = [p for m, p, _, _ in public_sheet.log if p.endswith("/export")]
    assert exports == [f"/spreadsheets/d/{SHEET}/export"]
    assert list((tmp_path / "b" / "out" / "snapshots").glob("*.xlsx"))  # kept for --offline as well


def test_a_sheet_not_shared_by_link_says_how_to_share_it(public_sheet, tmp_path) -> None:
    public_sheet.sheets[SHEET].public = False
    result = CliRunner().invoke(cli, ["check", URL, "-o", str(tmp_path / "out"), "--public", "--lang", "en"])
    assert result.exit_code == 3
    assert 'it is not shared as "Anyone with the link can view"' in result.stderr


def test_write_back_asked_for_on_the_public_link_is_explained(public_sheet, tmp_path) -> None:
    result = CliRunner().invoke(
        cli, ["check", URL, "-o", str(tmp_path / "out"), "--public", "--write-back", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "the Kiểm tra tab cannot be written: the problems are shown here only" in result.stderr
    assert not [p for m, p in public_sheet.api_requests() if m == "POST"]


def test_retry_after_is_honoured(emulator, example_sheet, tmp_path) -> None:
    emulator.faults.append(Fault("status", status=429, retry_after="1"))
    started = time.monotonic()
    report = sync_and_report(URL, options(emulator, tmp_path))
    assert report.valid and time.monotonic() - started >= 1.0  # FAST's own backoff is 0.05 s at most


def test_a_check_tab_created_twice_after_a_lost_answer_is_created_once(emulator, tmp_path) -> None:
    xlsx = write_workbook(tmp_path / "example.xlsx")
    tabs = workbook_values(xlsx)
    tabs.pop("Kiểm tra", None)
    emulator.add(SHEET, tabs)
    emulator.faults.append(Fault("lost", target="write"))
    report = sync_and_report(URL, options(emulator, tmp_path))
    assert report.valid and [p.code for p in report.problems] == []
    titles = [t.title for t in emulator.sheets[SHEET].tabs]
    assert titles.count("Kiểm tra") == 1
    assert emulator.sheets[SHEET].tab("Kiểm tra").values[0] == ["Thời điểm", "Mức", "Ô", "Nội dung"]


# -- Google as schools meet it: each answer is one of the emulator's quoted constants, named here -----------------


def test_an_uploaded_excel_file_is_read_from_its_download_and_said_so(emulator, example_sheet, tmp_path) -> None:
    """NOT_SUPPORTED_FOR_DOCUMENT: the Sheets API refuses an uploaded .xlsx; its Drive download is read instead."""
    from sheets_emulator import MIME_XLSX, NOT_SUPPORTED_FOR_DOCUMENT

    emulator.sheets[SHEET].mime = MIME_XLSX
    opts = options(emulator, tmp_path)
    link = f"https://docs.google.com/spreadsheets/d/{SHEET}/edit?usp=sharing&ouid=1&rtpof=true&sd=true"
    report = sync_and_report(link, opts)
    local = sync_and_report(str(example_sheet), Options(output=tmp_path / "local"))
    for a, b in zip(report.outputs, local.outputs, strict=True):
        assert Path(a).read_bytes() == Path(b).read_bytes()
    assert opts.notes == [
        f"gsheet:{SHEET} is an Excel file uploaded to Drive, not a Google Sheet: read from its download (the "
        "Kiểm tra tab cannot be written). To write it, open the file and choose File › Save as Google Sheets."
    ]
    assert emulator.api_requests() == [
        ("GET", f"/v4/spreadsheets/{SHEET}/values:batchGet"),  # answered NOT_SUPPORTED_FOR_DOCUMENT
        ("GET", f"/drive/v3/files/{SHEET}"),  # alt=media
    ]
    assert NOT_SUPPORTED_FOR_DOCUMENT["error"]["status"] == "FAILED_PRECONDITION"
    # when the download is refused too, the message says what the file is and what to do
    emulator.sheets[SHEET].download_disabled = True
    emulator.sheets[SHEET].writers, emulator.sheets[SHEET].readers = set(), {CLIENT_EMAIL}
    with pytest.raises(SourceError) as error:
        check(resolve(link), options(emulator, tmp_path))
    assert error.value.exit_code == 3 and "400" not in error.value.en
    assert error.value.en == (
        f"{SHEET} is an Excel file uploaded to Drive (opened in Google Sheets but not converted), so the Google "
        "Sheets API cannot read it. Open the file, choose File › Save as Google Sheets, and use the new copy's link."
    )


def test_the_sheets_api_not_enabled_is_told_apart_from_sharing(emulator, example_sheet, tmp_path) -> None:
    """SERVICE_DISABLED: 403 like a sheet not shared, told apart by its ErrorInfo; the console link is given."""
    from sheets_emulator import ACTIVATION_URL
    from toolkit.core.errors import ServiceDisabled

    emulator.disabled = True
    with pytest.raises(ServiceDisabled) as error:
        check(resolve(URL), options(emulator, tmp_path))
    assert error.value.exit_code == 3 and "share the sheet" not in error.value.en
    assert error.value.en == (
        "sheets.googleapis.com is not enabled in the service account's Google Cloud project (this is not a sharing "
        f"problem). Open {ACTIVATION_URL}, click Enable, wait a few minutes and run again."
    )


def test_a_wrong_clock_is_said_to_be_the_clock_not_the_key(emulator, example_sheet, tmp_path) -> None:
    """CLOCK_SKEW: Google's clock two hours ahead of this machine's; compared with its Date header."""
    emulator.clock_offset = 2 * 3600
    with pytest.raises(CredentialsError) as error:
        check(resolve(URL), options(emulator, tmp_path))
    assert "new key" not in error.value.en
    assert error.value.en.startswith("Google refused because this computer's clock is 120 minutes off Google's (")
    assert ("HEAD", "/token") not in [(m, p) for m, p, _, _ in emulator.log]  # HEAD requests are not logged
    emulator.clock_offset = 0
    _, report = check(resolve(URL), options(emulator, tmp_path))
    assert report.valid


def test_a_quota_answer_without_retry_after_waits_for_the_minute_window(emulator, example_sheet, tmp_path) -> None:
    """QUOTA_EXCEEDED: Google's 429 carries no Retry-After; the toolkit waits out the quota's window once instead of
    trying again within it."""
    emulator.quota = (2, 1.0)  # two reads (the values, the locale) per (compressed) minute of one second
    steps: list[str] = []
    policy = RetryPolicy(timeout=1.0, total=4.0, base=0.01, cap=0.05, quota_window=1.0)
    opts = options(emulator, tmp_path, policy=policy, progress=lambda m: steps.append(m.text("en")))
    check(resolve(URL), opts)
    started = time.monotonic()
    _, report = check(resolve(URL), opts)
    assert report.valid and time.monotonic() - started >= 0.9
    assert emulator.throttled == 1  # one refusal, then the window had refilled
    assert steps == ["Attempt 1 failed (HTTP 429); trying again in 1 s …"]


def test_a_link_with_a_resource_key_is_read_with_it(public_sheet, tmp_path) -> None:
    """A file shared by link since Drive's 2021 security update is served only with its resource key
    (https://developers.google.com/drive/api/guides/resource-keys): the key in the pasted link is kept and sent."""
    key = "0-kBgRZ3XDSaZgHJk8BfkUSQ"
    public_sheet.sheets[SHEET].resource_key = key
    runner = CliRunner()
    keyed = f"https://docs.google.com/spreadsheets/d/{SHEET}/edit?usp=sharing&resourcekey={key}"
    result = runner.invoke(cli, ["check", keyed, "-o", str(tmp_path / "out"), "--public", "--lang", "en"])
    assert result.exit_code == 0, result.output
    exports = [q for m, p, q, _ in public_sheet.log if p.endswith("/export")]
    assert exports[-1]["resourcekey"] == [key]
    bare = runner.invoke(cli, ["check", URL, "-o", str(tmp_path / "out2"), "--public", "--lang", "en"])
    assert bare.exit_code == 3 and "If the shared link has a resourcekey=… part, paste that whole link" in bare.stderr


def test_a_sheet_shared_only_in_the_school_domain_says_so(public_sheet, tmp_path) -> None:
    public_sheet.sheets[SHEET].domain = "thcs-tanphu.edu.vn"
    link = f"https://docs.google.com/a/thcs-tanphu.edu.vn/spreadsheets/d/{SHEET}/edit"
    result = CliRunner().invoke(cli, ["check", link, "-o", str(tmp_path / "out"), "--public", "--lang", "en"])
    assert result.exit_code == 3
    assert "it is shared only inside the domain thcs-tanphu.edu.vn" in result.stderr


def test_download_disabled_for_viewers_says_so(public_sheet, tmp_path) -> None:
    """download_disabled: Drive's documented 403 insufficientFilePermissions for a restricted download."""
    public_sheet.sheets[SHEET].download_disabled = True
    result = CliRunner().invoke(cli, ["check", URL, "-o", str(tmp_path / "out"), "--public", "--lang", "en"])
    assert result.exit_code == 3
    assert "its owner turned off downloading, printing and copying for viewers" in result.stderr


def test_a_published_link_is_read_through_its_published_export(public_sheet, tmp_path) -> None:
    code = "2PACX-1vQ8x2vDlb3Sk0hbX_hpUqV3pKq2wH0cJmD0YVvQd7PZ8x1o9yJ0Zf9z2YxkqzZt1cZC1aC5pU7qQ2wRz"
    public_sheet.sheets[SHEET].public = False
    public_sheet.sheets[SHEET].published = code
    link = f"https://docs.google.com/spreadsheets/d/e/{code}/pubhtml"
    result = CliRunner().invoke(
        cli, ["check", link, "-o", str(tmp_path / "out"), "--credentials", str(public_sheet.key), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert [p for m, p, _, _ in public_sheet.log if m == "GET"] == [f"/spreadsheets/d/e/{code}/pub"]


# -- the sheet's locale and its grid ------------------------------------------------------------------------------


def test_init_sheet_sets_the_locale_and_never_reuses_a_tab_id(emulator, tmp_path) -> None:
    """duplicate_sheet_id: Google refuses an addSheet whose id a tab has; init-sheet's ids skip the sheet's own."""
    sheet = emulator.add(SHEET, {"Trang tính1": [], "Ghi chú": [["riêng của trường"]]}, locale="en_US")
    sheet.tabs[0].sheet_id, sheet.tabs[1].sheet_id = 7000, 7003
    sheet.time_zone = "America/New_York"
    result = CliRunner().invoke(cli, ["init-sheet", URL, "--credentials", str(emulator.key)])
    assert result.exit_code == 0, result.output
    assert (sheet.locale, sheet.time_zone) == ("vi_VN", "Asia/Ho_Chi_Minh")
    ids = [t.sheet_id for t in sheet.tabs]
    assert len(ids) == len(set(ids)) and {7000, 7003} <= set(ids)
    guide = sheet.tab("Hướng dẫn").values
    assert any("Ngôn ngữ Việt Nam" in row[0] for row in guide if row)


def test_a_month_first_locale_holding_dates_is_warned_once(emulator, example_sheet, tmp_path) -> None:
    emulator.sheets[SHEET].locale = "en_US"
    opts = options(emulator, tmp_path)
    check(resolve(URL), opts)
    warnings = [n for n in opts.notes if "locale" in n]
    assert warnings == [
        "Warning: the spreadsheet's locale is en_US, so a date typed as 05/10/2023 is read month first (10 May). "
        "Choose File › Settings › Locale: Vietnam (or run init-sheet), then check the dates typed so far."
    ]
    emulator.sheets[SHEET].locale = "vi_VN"
    day_first = options(emulator, tmp_path)
    check(resolve(URL), day_first)
    assert not [n for n in day_first.notes if "locale" in n]


def test_more_problems_than_a_tab_holds_grow_its_grid_in_the_same_batch(emulator, example_sheet, tmp_path) -> None:
    """grid_limits: Google refuses writes beyond a tab's grid (1,000 × 26 for a new tab); the emulator too."""
    from toolkit.sources.google import GoogleSheets

    google = GoogleSheets(credentials.load(emulator.key), policy=FAST)
    rows = [["Thời điểm", "Mức", "Ô", "Nội dung"]] + [["t", "Lỗi", f"A{i}", "x"] for i in range(1500)]
    google.write_check_tab(SHEET, rows, previous_rows=30, title="Kiểm tra")
    tab = emulator.sheets[SHEET].tab("Kiểm tra")
    assert tab.rows >= 1501 and len(tab.values) == 1501 and tab.values[-1][2] == "A1499"
    batch = json.loads([raw for m, p, _, raw in emulator.log if p.endswith(":batchUpdate")][-1])
    kinds = [next(iter(r)) for r in batch["requests"]]
    assert kinds == ["updateSheetProperties", "updateCells"]  # grown and written in one batch
    # a tab someone shrank: the plain write is refused, then the grid is grown
    tab.rows, tab.values = 5, [["old"]] * 5
    google.write_check_tab(SHEET, rows[:20], previous_rows=5, title="Kiểm tra")
    assert tab.rows >= 20 and tab.values[19][2] == "A18"
    # a new tab with more rows than 1,000: created that big
    del emulator.sheets[SHEET].tabs[[t.title for t in emulator.sheets[SHEET].tabs].index("Kiểm tra")]
    google.write_check_tab(SHEET, rows, previous_rows=None)
    assert emulator.sheets[SHEET].tab("Kiểm tra").rows >= 1501


def test_a_check_tab_whose_id_is_taken_is_made_with_a_free_one(emulator, example_sheet, tmp_path) -> None:
    """duplicate_sheet_id: the toolkit's fixed id for Kiểm tra belongs to another tab; whatever the error's
    wording, the sheet's tabs are read and a free id is used."""
    import zlib

    from toolkit.sources.google import GoogleSheets

    sheet = emulator.sheets[SHEET]
    del sheet.tabs[[t.title for t in sheet.tabs].index("Kiểm tra")]
    sheet.tabs[0].sheet_id = 10_000_000 + zlib.crc32(f"{SHEET}/Kiểm tra".encode()) % 1_000_000_000
    google = GoogleSheets(credentials.load(emulator.key), policy=FAST)
    google.write_check_tab(SHEET, [["a", "b"], ["c", "d"]], previous_rows=None)
    check_tab = sheet.tab("Kiểm tra")
    assert check_tab is not None and check_tab.values == [["a", "b"], ["c", "d"]]
    ids = [t.sheet_id for t in sheet.tabs]
    assert len(ids) == len(set(ids))


def test_the_check_tab_lists_ten_cells_of_a_kind_and_counts_the_rest(emulator, tmp_path) -> None:
    edits = {("Hoạt động", f"E{row}"): "31/11/2023" for row in range(2, 23)}  # every activity's start is wrong
    emulator.add(SHEET, workbook_values(write_workbook(tmp_path / "bad.xlsx", edits)))
    check(resolve(URL), options(emulator, tmp_path, lang="en"))
    rows = emulator.sheets[SHEET].tab("Kiểm tra").values
    assert [row[2] for row in rows[1:11]] == [f"Hoạt động!E{row}" for row in range(2, 12)]
    assert rows[11][1:] == [
        "Error",
        "Hoạt động",
        '… column "Bắt đầu": 11 more cells with this problem (bad-date), up to E22; 21 cells in all.',
    ]
    assert len(rows) == 12


def test_an_uploaded_excel_file_shared_by_link_is_read_without_a_key(public_sheet, tmp_path) -> None:
    """No key: an uploaded .xlsx has no export (only Workspace documents are exported), so its webContentLink
    download (uc?export=download) is read, with its resource key, and said so."""
    from sheets_emulator import MIME_XLSX

    key = "0-kBgRZ3XDSaZgHJk8BfkUSQ"
    public_sheet.sheets[SHEET].mime = MIME_XLSX
    public_sheet.sheets[SHEET].resource_key = key
    link = (
        f"https://docs.google.com/spreadsheets/d/{SHEET}/edit?usp=sharing&ouid=1&rtpof=true&sd=true&resourcekey={key}"
    )
    result = CliRunner().invoke(cli, ["check", link, "-o", str(tmp_path / "out"), "--public", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"gsheet:{SHEET} is an Excel file uploaded to Drive, not a Google Sheet: read from its download" in (
        result.stderr
    )
    downloads = [(p, q) for m, p, q, _ in public_sheet.log if p in (f"/spreadsheets/d/{SHEET}/export", "/uc")]
    assert [p for p, _ in downloads] == [f"/spreadsheets/d/{SHEET}/export", "/uc"]
    assert downloads[1][1]["resourcekey"] == [key] and downloads[1][1]["id"] == [SHEET]
    public_sheet.sheets[SHEET].public = False  # not shared by link: the usual message, not the Excel one
    refused = CliRunner().invoke(cli, ["check", link, "-o", str(tmp_path / "out"), "--public", "--lang", "en"])
    assert refused.exit_code == 3 and "Cannot read Google Sheet" in refused.stderr


def test_only_a_time_complaint_is_taken_for_a_wrong_clock() -> None:
    """CLOCK_SKEW's description is about the clock; a revoked key's ("Invalid JWT Signature.", "Token has been
    expired or revoked.") is not."""
    from sheets_emulator import CLOCK_SKEW
    from toolkit.sources.answers import token_refused

    assert "clock" in token_refused(CLOCK_SKEW["error_description"], None).en
    for other in ("invalid_grant: Invalid JWT Signature.", "invalid_grant: Token has been expired or revoked."):
        assert "create a new key" in token_refused(other, None).en


def test_reading_by_public_link_imports_no_google_client(public_sheet, tmp_path) -> None:
    """The public link is read with requests alone: neither gspread nor google-auth is loaded (≈200 ms), even when
    a download is tried again (the retry notice lives beside the refusals, not in the Google client)."""
    public_sheet.faults.append(Fault("status", status=503, times=1))
    code = (
        "import sys\nfrom toolkit.core.config import Options, RetryPolicy\nfrom toolkit.pipeline import check\n"
        "from toolkit.sources import resolve\nsteps = []\n"
        f"check(resolve({URL!r}), Options(output={str(tmp_path / 'out')!r}, public=True, progress=steps.append,\n"
        "      policy=RetryPolicy(timeout=5.0, total=20.0, base=0.01, cap=0.05)))\n"
        "assert steps, 'the download was not tried again'\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    loaded = set(run.stdout.split())
    assert "requests" in loaded
    assert not sorted(m for m in loaded if m.split(".")[0] in ("gspread", "google"))


def test_an_uploaded_excel_file_too_large_to_download_is_refused(
    emulator, example_sheet, tmp_path, monkeypatch
) -> None:
    """The Drive download of an uploaded Excel file is capped as the public link's download is (it was read whole)."""
    from sheets_emulator import MIME_XLSX
    from toolkit.sources import public

    emulator.sheets[SHEET].mime = MIME_XLSX
    monkeypatch.setattr(public, "MAX_BYTES", 1000)
    with pytest.raises(SourceError) as error:
        check(resolve(URL), options(emulator, tmp_path))
    assert "too large" in error.value.en


@pytest.mark.parametrize("keyed", [True, False])
def test_no_name_lookup_stops_at_once_with_what_to_check(emulator, example_sheet, monkeypatch, tmp_path, keyed) -> None:
    """A computer without the Internet cannot look up Google's name: the read stops after two tries with what to
    check, instead of retrying for the whole budget (was ~2.5 min on the page). The resolver is the one part
    replaced: a real lookup would need a network the tests may not use."""
    import socket

    real = socket.getaddrinfo

    def lookup(host, *args, **kwargs):
        if host == "127.0.0.1":
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    far = RetryPolicy(timeout=1.0, total=60.0, base=0.2, cap=0.5)
    if keyed:
        key = tmp_path / "key.json"
        key.write_text(emulator.key.read_text().replace(emulator.url, "https://oauth2.example.invalid"))
        opts = Options(output=tmp_path / "out", credentials=str(key), policy=far)
    else:
        monkeypatch.setenv("TOOLKIT_DOCS_URL", "http://docs.example.invalid")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no key where gspread looks for one
        monkeypatch.setenv("APPDATA", str(tmp_path / "home"))
        opts = Options(output=tmp_path / "out", policy=far)
    start = time.monotonic()
    with pytest.raises(NetworkError) as error:
        check(resolve(URL), opts)
    assert time.monotonic() - start < 10  # two tries, not the minute the policy allows
    assert error.value.en.startswith("Could not connect to Google after ") and "Internet" in error.value.en
    assert "NameResolutionError" in error.value.en

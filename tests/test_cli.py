"""The command line, driven through click's CliRunner: exit codes, exact messages, JSON = library report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_workbook
from toolkit import __version__
from toolkit.cli import cli, sync_and_report
from toolkit.output.write import LOCK_NAME, WRITTEN_LIST
from toolkit.pipeline import check
from toolkit.sources import resolve

BOOKKEEPING = (LOCK_NAME, WRITTEN_LIST)  # the toolkit's own files in a folder it writes
PLAN = "KH-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"
REPORT = "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"


@pytest.fixture
def runner(monkeypatch) -> CliRunner:
    for name in ("TOOLKIT_SOURCE", "TOOLKIT_OUTPUT", "TOOLKIT_LANG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def test_no_source_uses_the_bundled_example(runner, tmp_path) -> None:
    result = runner.invoke(sync_and_report, ["-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (
        "Chưa chỉ định nguồn: dùng bảng tính ví dụ có sẵn (TRƯỜNG TH BÌNH AN, 2023). Để dùng sổ của trường: "
        "sync-and-report truong.xlsx (hoặc đường dẫn Google Sheet), hoặc đặt TOOLKIT_SOURCE."
    ) in result.stderr
    assert (tmp_path / "2023" / PLAN).is_file() and (tmp_path / "2023" / REPORT).is_file()
    assert f"Đã ghi Kế hoạch: {tmp_path / '2023' / PLAN}" in result.stderr
    assert result.stdout == "Không có lỗi hay cảnh báo.\n"


def test_toolkit_sync_and_report_from_env(runner, tmp_path, monkeypatch) -> None:
    source = write_workbook(tmp_path / "truong.xlsx")
    monkeypatch.setenv("TOOLKIT_SOURCE", str(source))
    monkeypatch.setenv("TOOLKIT_OUTPUT", str(tmp_path / "out"))
    result = runner.invoke(cli, ["sync-and-report", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "bundled example" not in result.stderr
    assert f"Wrote the report (Báo cáo): {tmp_path / 'out' / '2023' / REPORT}" in result.stderr


@pytest.mark.parametrize("lang", ["EN", "En"])
def test_the_language_is_chosen_whatever_its_case(runner, tmp_path, monkeypatch, lang) -> None:
    source = write_workbook(tmp_path / "truong.xlsx")
    monkeypatch.setenv("TOOLKIT_LANG", lang)
    result = runner.invoke(cli, ["check", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("No errors or warnings.")


def test_json_equals_the_library_report(runner, tmp_path) -> None:
    source = write_workbook(tmp_path / "bad.xlsx", {("Hoạt động", "E7"): "31/11/2023", ("Hoạt động", "T2"): None})
    result = runner.invoke(cli, ["check", str(source), "--format", "json"])
    assert result.exit_code == 1
    _, report = check(resolve(str(source)))
    assert json.loads(result.stdout) == report.to_dict()
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["counts"] == {"errors": 1, "warnings": 1}
    assert [(p["code"], p["cell"]) for p in data["problems"]] == [("done-without-evidence", "T2"), ("bad-date", "E7")]


def test_json_lists_the_outputs(runner, tmp_path) -> None:
    source = write_workbook(tmp_path / "ok.xlsx")
    result = runner.invoke(cli, ["sync-and-report", str(source), "-o", str(tmp_path / "o"), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["outputs"] == [str(tmp_path / "o" / "2023" / PLAN), str(tmp_path / "o" / "2023" / REPORT)]
    assert data["stats"]["activities"] == 21 and data["stats"]["done"] == 17
    assert data["stats"]["participants"] == {"female": 1320, "male": 1154}


def test_errors_stop_the_documents_exit_1(runner, tmp_path) -> None:
    source = write_workbook(tmp_path / "bad.xlsx", {("Hoạt động", "E7"): "31/11/2023"})
    result = runner.invoke(cli, ["sync-and-report", str(source), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert '  LỖI E7: "31/11/2023" không phải ngày hợp lệ: tháng 11 chỉ có 30 ngày.' in result.stdout
    assert "Dữ liệu có lỗi nên chưa tạo văn bản. Sửa các ô nêu trên rồi chạy lại (hoặc thêm --force)." in result.stderr
    assert not (tmp_path / "o").exists()


def test_force_writes_despite_errors(runner, tmp_path) -> None:
    source = write_workbook(tmp_path / "bad.xlsx", {("Hoạt động", "E7"): "31/11/2023"})
    result = runner.invoke(cli, ["plan", str(source), "-o", str(tmp_path / "o"), "--force"])
    assert result.exit_code == 0
    assert "Dữ liệu có lỗi; văn bản vẫn được tạo vì có --force: hãy kiểm tra kỹ trước khi gửi." in result.stderr
    assert (tmp_path / "o" / "2023" / PLAN).is_file()
    assert not (tmp_path / "o" / "2023" / REPORT).exists()


def test_report_only(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["report", "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0
    assert result.stderr == "" and result.stdout == ""
    assert sorted(p.name for p in (tmp_path / "2023").iterdir() if p.name not in BOOKKEEPING) == [REPORT]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.xlsx", None, "Không tìm thấy tệp {path}."),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Không đọc được tệp old.xls: tệp .xls bị hỏng."),
        (
            "data.xlsx",
            "STT,Tên\n1,Lễ\n".encode(),
            "data.xlsx không phải bảng tính (nội dung dạng CSV); hãy mở bằng Excel hoặc LibreOffice và lưu dạng .xlsx.",
        ),
        ("empty.xlsx", b"", "empty.xlsx là tệp rỗng, không phải bảng tính."),
    ],
)
def test_unreadable_source_exit_3(runner, tmp_path, name, content, message) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 3
    assert result.stderr == message.format(path=path) + "\n"
    assert result.stdout == ""


def test_folder_as_source(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 3
    assert result.stderr == f"{tmp_path} is a folder, not a workbook.\n"


def test_a_fifo_device_or_link_loop_as_source_is_refused_without_waiting(runner, tmp_path) -> None:
    import os
    import signal

    os.mkfifo(tmp_path / "so.xlsx")
    (tmp_path / "vong.xlsx").symlink_to(tmp_path / "vong.xlsx")

    def hung(signum, frame):
        raise TimeoutError("the check waited on its source")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        for source, what in (
            (tmp_path / "so.xlsx", "a FIFO (named pipe)"),
            (Path("/dev/zero"), "a device"),
            (tmp_path / "vong.xlsx", "a loop of links (a symlink pointing back)"),
        ):
            result = runner.invoke(cli, ["check", str(source), "--lang", "en"])
            assert result.exit_code == 3, (result.output, result.exception)
            assert result.stderr == f"{source} is {what}, not a workbook file.\n"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_output_cannot_be_written_exit_4(runner, tmp_path) -> None:
    (tmp_path / "2023" / PLAN).mkdir(parents=True)  # a folder where the file should go
    result = runner.invoke(cli, ["plan", "-o", str(tmp_path)])
    assert result.exit_code == 4
    assert f"{tmp_path / '2023' / PLAN} là một thư mục, không phải tệp thường" in result.stderr
    assert [p.name for p in (tmp_path / "2023").iterdir() if p.name not in BOOKKEEPING] == [
        PLAN
    ]  # no temporary file left


def test_usage_error_exit_2(runner) -> None:
    result = runner.invoke(cli, ["check", "--format", "yaml"])
    assert result.exit_code == 2


def test_version(runner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_init_creates_a_workbook_and_refuses_to_overwrite(runner, tmp_path) -> None:
    target = tmp_path / "truong.xlsx"
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0
    assert result.stderr == f"Đã tạo {target}. Mở bằng Excel, LibreOffice hoặc tải lên Google Sheets để điền." + "\n"
    again = runner.invoke(cli, ["init", str(target), "--example"])
    assert again.exit_code == 4
    assert again.stderr == f"{target} đã có. Chọn tên khác hoặc thêm --force để ghi đè." + "\n"
    forced = runner.invoke(cli, ["init", str(target), "--example", "--force"])
    assert forced.exit_code == 0
    [kept] = (tmp_path / "history").glob("truong-*")
    assert kept.name.startswith("truong-") and kept.suffix == ".xlsx"
    assert forced.stderr == (
        f"Đã tạo {target}. Mở bằng Excel, LibreOffice hoặc tải lên Google Sheets để điền.\n"
        f"  Bản trước được giữ lại trong lịch sử: {kept}\n"
    )
    assert runner.invoke(cli, ["check", str(target)]).exit_code == 0
    again = runner.invoke(cli, ["init", str(target), "--example", "--force"])  # the same file: nothing to keep
    assert again.stderr == f"Đã tạo {target}. Mở bằng Excel, LibreOffice hoặc tải lên Google Sheets để điền.\n"
    listing = tmp_path / "ds.xlsx"
    runner.invoke(cli, ["init", str(listing), "--rollup"])
    relisted = runner.invoke(cli, ["init", str(listing), "--rollup", "--campaign", "van-hoa-doc", "--force"])
    assert relisted.exit_code == 0 and "  Bản trước được giữ lại trong lịch sử: " in relisted.stderr


def test_blank_template_reports_what_to_fill(runner, tmp_path) -> None:
    target = tmp_path / "blank.xlsx"
    runner.invoke(cli, ["init", str(target)])
    result = runner.invoke(cli, ["check", str(target), "--lang", "en"])
    assert result.exit_code == 1
    assert '  ERROR B3: "Đơn vị" is blank.' in result.stdout


def test_help_lists_the_commands(runner) -> None:
    result = runner.invoke(cli, ["--help"])
    for command in ("sync-and-report", "check", "plan", "report", "init"):
        assert command in result.stdout


def test_console_script_runs_as_a_process(tmp_path) -> None:
    import subprocess
    import sys

    source = write_workbook(tmp_path / "p.xlsx")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from toolkit.cli import sync_and_report_main; sync_and_report_main()",
            str(source),
            "-o",
            str(tmp_path / "o"),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert Path(tmp_path / "o" / "2023" / PLAN).is_file()


def test_pdf_without_libreoffice_writes_the_docx_and_exits_4(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TOOLKIT_SOFFICE", raising=False)
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # a machine without LibreOffice: nothing on PATH …
    import toolkit.output.pdf

    monkeypatch.setattr(toolkit.output.pdf, "candidates", lambda *args: ["soffice"])  # … nor where installers put it
    result = runner.invoke(cli, ["sync-and-report", "-o", str(tmp_path), "--pdf", "--lang", "en"])
    assert result.exit_code == 4
    from toolkit.output.pdf import INSTALL

    assert result.stderr.rstrip().endswith(INSTALL.text("en"))
    assert f"Wrote the plan (Kế hoạch): {tmp_path / '2023' / PLAN}" in result.stderr
    assert sorted(p.name for p in (tmp_path / "2023").iterdir() if p.name not in BOOKKEEPING) == [
        REPORT,
        PLAN,
    ]


def test_every_exit_code_is_declared_once_and_shown_in_help() -> None:
    """The exceptions, the roll-up and --help all read errors.ExitCode; each code has one meaning."""
    from toolkit.core import errors

    assert set(errors.MEANINGS) == set(errors.ExitCode)
    raised = {cls.exit_code for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, Exception)}
    assert raised <= set(errors.ExitCode)
    shown = CliRunner().invoke(cli, ["--help"], terminal_width=120).output
    for code, meaning in errors.MEANINGS.items():
        assert f"{int(code):>3}  {meaning.replace('`', '')}" in shown

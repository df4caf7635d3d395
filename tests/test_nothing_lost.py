"""Nothing lost: killed at random points while writing, on a full disk, in a read-only folder.

Every earlier file stays intact and no partial file is ever left under a final name.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_hostile import run_limited

from conftest import ROOT, write_workbook

KILL_POINTS = int(os.environ.get("TOOLKIT_KILL_POINTS", "200"))


def start(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "toolkit", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def complete_outputs(source: Path, folder: Path) -> dict[str, bytes]:
    """The finished documents of ``source``, by file name."""
    run = run_limited("sync-and-report", str(source), "-o", str(folder), "-q")
    assert run.returncode == 0, run.stderr
    return {p.name: p.read_bytes() for p in (folder / "2023").glob("*.docx")}


def _duration(command: list[str]) -> float:
    """The median wall time of three runs of ``command``."""
    times = []
    for _ in range(3):
        begin = time.monotonic()
        subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        times.append(time.monotonic() - begin)
    return sorted(times)[1]


def assert_nothing_partial(out: Path, known: list[dict[str, bytes]]) -> None:
    """Every document under a final name, or kept in history, is one of the known complete versions."""
    versions = {name: {k[name] for k in known} for name in known[0]}
    for path in (out / "2023").glob("*.docx"):
        assert path.read_bytes() in versions[path.name], f"{path} is partial"
    for path in (out / "2023" / "history").glob("*.docx") if (out / "2023" / "history").exists() else []:
        name = path.name[:3] + path.name[3:].split("-2")[0] + ".docx"
        base = next(n for n in versions if n.startswith(path.name[:3]))
        assert path.read_bytes() in versions[base], f"{path} is partial ({name})"


def test_killed_at_random_points_loses_nothing(tmp_path) -> None:
    a = write_workbook(tmp_path / "a.xlsx")
    b = write_workbook(
        tmp_path / "b.xlsx",
        {
            ("Hoạt động", "B2"): "Tham gia Lễ phát động cấp huyện",
            ("Nội dung", "B2"): "Mục đích đã được sửa lại cho năm nay.",
        },
    )
    known = [complete_outputs(a, tmp_path / "ref-a"), complete_outputs(b, tmp_path / "ref-b")]
    out = tmp_path / "out"
    shutil.copytree(tmp_path / "ref-a", out)
    full = _duration([sys.executable, "-m", "toolkit", "sync-and-report", str(b), "-o", str(tmp_path / "t"), "-q"])
    rng = random.Random(2023)
    killed = attempts = 0
    while killed < KILL_POINTS and attempts < 3 * KILL_POINTS:
        source = (a, b)[attempts % 2]
        # Half the points anywhere in the run, half in its last 40 %, where the files are written.
        delay = rng.uniform(0, full) if attempts % 4 < 2 else rng.uniform(0.6 * full, full)
        attempts += 1
        begin = time.monotonic()
        process = start("sync-and-report", str(source), "-o", str(out), "-q")
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        else:  # the machine is faster than measured: aim earlier from now on
            full = 0.8 * full + 0.2 * (time.monotonic() - begin)
        process.wait()
        assert_nothing_partial(out, known)
    assert killed == KILL_POINTS, f"only {killed} of {attempts} runs were killed"
    final = run_limited("sync-and-report", str(b), "-o", str(out), "-q")
    assert final.returncode == 0
    assert {p.name: p.read_bytes() for p in (out / "2023").glob("*.docx")} == known[1]
    history = list((out / "2023" / "history").glob("*.docx"))
    assert history and all(zipfile.is_zipfile(p) for p in history)


def test_full_disk_exit_4_and_earlier_files_intact(tmp_path) -> None:
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small file system")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(disk)]).returncode != 0:
        pytest.skip("mount refused")
    try:
        a = write_workbook(tmp_path / "a.xlsx")
        b = write_workbook(tmp_path / "b.xlsx", {("Hoạt động", "B2"): "Một hoạt động khác"})
        first = run_limited("plan", str(a), "-o", str(disk), "-q")
        assert first.returncode == 0, first.stderr
        earlier = {p: p.read_bytes() for p in disk.rglob("*.docx")}
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (96 * 1024 - sum(len(v) for v in earlier.values()) - 8192))
        run = run_limited("sync-and-report", str(b), "-o", str(disk))
        assert run.returncode == 4
        assert "Hết dung lượng đĩa khi ghi" in run.stderr and "Traceback" not in run.stderr
        for path, data in earlier.items():
            assert path.read_bytes() == data
        assert not list(disk.rglob("*.tmp"))
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_read_only_output_folder_exit_4(tmp_path) -> None:
    out = tmp_path / "out"
    (out / "2023").mkdir(parents=True)
    (out / "2023").chmod(0o555)
    run = run_limited("sync-and-report", "-o", str(out), "--lang", "en", no_root_bypass=True)
    assert run.returncode == 4
    assert f"Cannot write {out / '2023'}" in run.stderr and "no permission" in run.stderr
    assert not list(out.rglob("*.docx"))


def test_killed_while_syncing_a_google_sheet(tmp_path) -> None:
    """Snapshots, documents and the write-back, killed at random points: snapshots are whole or absent."""
    from sheets_emulator import Emulator, workbook_values

    emulator = Emulator()
    try:
        sheet = "1KillTestSheet0123456789abcdefghijklmnop"
        emulator.add(sheet, workbook_values(write_workbook(tmp_path / "a.xlsx")))
        key = emulator.key_file(tmp_path / "key.json")
        env = {"TOOLKIT_SHEETS_API": emulator.url, "NO_PROXY": "127.0.0.1"}
        out = tmp_path / "out"
        args = ("sync-and-report", f"gsheet:{sheet}", "--credentials", str(key), "-o", str(out), "-q")
        begin = time.monotonic()
        assert start(*args, env=env).wait() == 0
        full = time.monotonic() - begin
        known = [{p.name: p.read_bytes() for p in (out / "2023").glob("*.docx")}]
        rng = random.Random(11)
        for _ in range(max(10, KILL_POINTS // 8)):
            process = start(*args, env=env)
            time.sleep(rng.uniform(0.3 * full, 1.1 * full))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait()
            assert_nothing_partial(out, known)
            for snapshot in (out / "snapshots").glob("*.xlsx"):
                assert "Hoạt động" in load_workbook(snapshot, read_only=True).sheetnames, snapshot
        assert emulator.sheets[sheet].tab("Kiểm tra").values[0] == ["Thời điểm", "Mức", "Ô", "Nội dung"]
    finally:
        emulator.close()

"""Huge problem lists: a workbook whose ~100,000 cells each hold a 32,767-character text, checked in every
output format, each run as a fresh process with its wall time and peak RSS; the target is 10 s and 500 MB.

Two workbooks: the attack of issue 18 (one shared string in 21 columns of 5,000 rows: 235 kB, 285,000
problems) and a 10 MB one (the same cells, their texts drawn from 1,250 different 32,767-character texts of
Vietnamese words, so the file really is 10 MB). Output formats: ``check`` as text and as JSON, and the
``Kiểm tra`` tab's rows (``pipeline.check_rows`` after ``pipeline.check``, what a Google Sheet's check tab
receives). Wall time is the median and the best of the rounds (on a shared machine the best is the one its
neighbours disturbed least; the CPU time says what the run itself cost). Usage::

    python bench/problems.py               # both workbooks, every format, 3 rounds
    python bench/problems.py --rounds 1
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import INSTALLED  # noqa: E402  (children run from bytecode, as installed)

ACTIVITIES_PART = "xl/worksheets/sheet6.xml"  # the Hoạt động tab of the example workbook
LIMIT = 32767
ROWS, COLUMNS = 5000, 21
SECONDS, MEGABYTES = 10.0, 500.0
WORDS = [
    "tọa",
    "đàm",
    "bình",
    "đẳng",
    "giới",
    "học",
    "sinh",
    "giáo",
    "viên",
    "phụ",
    "huynh",
    "tuyên",
    "truyền",
    "hoạt",
    "động",
    "kế",
    "hoạch",
    "báo",
    "cáo",
    "nhà",
    "trường",
    "phòng",
    "chống",
    "bạo",
    "lực",
    "an",
    "toàn",
    "giao",
    "thông",
    "văn",
    "hóa",
    "đọc",
    "trải",
    "nghiệm",
    "sáng",
    "tạo",
    "thi",
    "đua",
    "khen",
    "thưởng",
    "tổng",
    "kết",
]
CHECK_TAB = """
import sys
from toolkit.pipeline import check, check_rows
from toolkit.sources import resolve
rows = check_rows(check(resolve(sys.argv[1]))[1])
print(len(rows))
"""


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one process (exit 0 or 1)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=INSTALLED)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def texts(distinct: int) -> list[str]:
    """``distinct`` different texts of exactly ``LIMIT`` characters."""
    chance = random.Random(18)
    found = []
    for _ in range(distinct):
        words: list[str] = []
        size = 0
        while size <= LIMIT:
            words.append(chance.choice(WORDS))
            size += len(words[-1]) + 1
        found.append(" ".join(words)[:LIMIT])
    return found


def workbook(path: Path, distinct: int) -> Path:
    """The example workbook with every cell of ``ROWS`` activity rows a ``LIMIT``-character text."""
    from toolkit.authoring.templates import build_workbook
    from toolkit.core.a1 import col_to_letters

    base = path.with_name("base.xlsx")
    build_workbook(filled=True).save(base)
    with zipfile.ZipFile(base) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = parts[ACTIVITIES_PART].decode()
    header = re.search(r'<row r="1".*?</row>', sheet, flags=re.S)
    assert header is not None
    rows = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{col_to_letters(c)}{r}" t="s"><v>{(r * COLUMNS + c) % distinct}</v></c>' for c in range(1, 22)
        )
        + "</row>"
        for r in range(2, ROWS + 2)
    )
    sheet = re.sub(r"<sheetData>.*</sheetData>", f"<sheetData>{header.group(0)}{rows}</sheetData>", sheet, flags=re.S)
    sheet = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:U{ROWS + 1}"/>', sheet)
    items = "".join(f"<si><t>{text}</t></si>" for text in texts(distinct))
    parts[ACTIVITIES_PART] = sheet.encode()
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" count="{ROWS * COLUMNS}" uniqueCount="{distinct}">{items}</sst>'
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    if "sharedStrings" not in types:
        parts["[Content_Types].xml"] = types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    if "sharedStrings" not in rels:
        parts["xl/_rels/workbook.xml.rels"] = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    base.unlink()
    return path


def _made(path: Path, distinct: int) -> Path:
    """``workbook`` built by a child process: the texts it holds would otherwise count in every measured
    child's peak RSS (a forked child starts with its parent's pages)."""
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); from problems import workbook; from pathlib import Path; "
    subprocess.run([sys.executable, "-c", code + f"workbook(Path({str(path)!r}), {distinct})"], check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    toolkit = shutil.which("toolkit") or str(Path(sys.executable).with_name("toolkit"))
    with tempfile.TemporaryDirectory(prefix="bench-problems-") as tmp:
        folder = Path(tmp)
        books = {"one shared text": _made(folder / "one.xlsx", 1), "10 MB": _made(folder / "ten.xlsx", 1250)}
        print(
            f"{'workbook':<16} {'size':>7} {'format':<14} {'wall s':>7} {'best':>6} {'CPU s':>6} {'peak MB':>8}  within"
        )
        failed = False
        for label, path in books.items():
            commands = {
                "text": [toolkit, "check", str(path)],
                "json": [toolkit, "check", str(path), "--format", "json"],
                "Kiểm tra rows": [sys.executable, "-c", CHECK_TAB, str(path)],
            }
            for name, command in commands.items():
                runs = [measure(command) for _ in range(args.rounds)]  # one program each: nothing to interleave
                wall, best = statistics.median(r[0] for r in runs), min(r[0] for r in runs)
                cpu, peak = statistics.median(r[1] for r in runs), max(r[2] for r in runs)
                ok = best <= SECONDS and peak <= MEGABYTES
                failed |= not ok
                size = f"{path.stat().st_size / 1e6:.1f} MB"
                print(
                    f"{label:<16} {size:>7} {name:<14} {wall:>7.2f} {best:>6.2f} {cpu:>6.2f} {peak:>8.0f}  "
                    f"{'yes' if ok else 'NO'}"
                )
        if failed:
            raise SystemExit(f"over {SECONDS:.0f} s or {MEGABYTES:.0f} MB")


if __name__ == "__main__":
    main()

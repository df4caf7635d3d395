"""Benchmark: the same workbook as .xlsx, .xls and .ods, and the readers that could read the last two.

    python bench/formats.py            # N = 1000, 20000
    python bench/formats.py 5000

For each N the example workbook with N activities is saved by LibreOffice Calc as .xls and .ods. Then, in
rounds (xlsx, xls, ods, then the candidate readers, interleaved, so that a drift of the machine's speed hits
all alike), it times the whole ``sync-and-report`` process on each file, and the bare read of each file by
each candidate library: xlrd and python-calamine for .xls; python-calamine and odfpy for .ods. Medians over
the rounds, with the spread.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write  # noqa: E402

CALAMINE = (
    "import sys; from python_calamine import CalamineWorkbook as W\nb = W.from_path(sys.argv[1])\n"
    "[b.get_sheet_by_name(n).to_python() for n in b.sheet_names]"
)
READERS = {
    "xlrd (.xls)": (
        "xls",
        "import xlrd, sys; b = xlrd.open_workbook(sys.argv[1], formatting_info=True)\n"
        "[list(b.sheet_by_index(i).get_rows()) for i in range(b.nsheets)]",
    ),
    "calamine (.xls)": ("xls", CALAMINE),
    "calamine (.ods)": ("ods", CALAMINE),
    "odfpy (.ods)": (
        "ods",
        "import sys; from odf.opendocument import load; from odf.table import Table, TableRow\n"
        "d = load(sys.argv[1]); tables = d.spreadsheet.getElementsByType(Table)\n"
        "[[r for r in t.getElementsByType(TableRow)] for t in tables]",
    ),
}


def convert(source: Path, kind: str) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice Calc is needed: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                {"xls": "xls:MS Excel 97", "ods": "ods"}[kind],
                "--outdir",
                str(source.parent),
                str(source),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "HOME": profile},
        )
    return source.with_suffix(f".{kind}")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main(sizes: list[int], rounds: int = 3) -> None:
    toolkit = shutil.which("toolkit") or str(Path(sys.executable).with_name("toolkit"))
    print(f"{'N':>7} {'what':<22} {'median s':>9} {'min–max s':>13}")
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            files = {"xlsx": write(n, Path(folder) / f"bench-{n}.xlsx")}
            files["xls"] = convert(files["xlsx"], "xls")
            files["ods"] = convert(files["xlsx"], "ods")
            runs: dict[str, list[float]] = {}
            for _ in range(rounds):
                for kind, path in files.items():
                    command = [toolkit, "sync-and-report", str(path), "-o", f"{folder}/out-{kind}", "-q", "--force"]
                    runs.setdefault(f"sync-and-report .{kind}", []).append(timed(command))
                for name, (kind, code) in READERS.items():
                    runs.setdefault(f"read: {name}", []).append(timed([sys.executable, "-c", code, str(files[kind])]))
            for name, times in runs.items():
                print(f"{n:>7} {name:<22} {statistics.median(times):>9.2f} {min(times):>6.2f}–{max(times):<6.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 20000])

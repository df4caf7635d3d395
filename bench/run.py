"""Benchmark: the whole ``sync-and-report`` process against the honest floor and the raw-parse probe.

    python bench/run.py                    # N = 100, 1000, 5000, 20000, 50000, 3 rounds
    python bench/run.py --rounds 5 100 1000

For each N a workbook of N activities is generated; then, in rounds, the toolkit, the floor and the probe
(``bench/floor.py``) run in turn on it (A B C A B C …, so that a drift of the machine's speed hits all
alike), each as a fresh process whose own peak memory is read from the kernel (``wait4``). It prints the
medians with their spread, the ratios, the cost per activity and the peak RSS, then the log-log slope of the
toolkit's time between consecutive sizes (1.0 is linear). ``toolkit --help`` is timed too (start-up).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The children run from bytecode, as an installed package does (pip compiles it at install time): a shell
# with PYTHONDONTWRITEBYTECODE set would otherwise time the compiling of every module on every run.
INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, which must succeed."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=INSTALLED)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command} failed: {child.stderr.read().decode() if child.stderr else ''}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 5000, 20000, 50000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    toolkit = shutil.which("toolkit") or str(Path(sys.executable).with_name("toolkit"))
    helps = [run([toolkit, "--help"])[0] for _ in range(5)]
    print(f"toolkit --help: median {statistics.median(helps):.3f} s")
    names = " ".join(f"{c:>14}" for c in ("toolkit s", "floor s", "probe s"))
    print(f"{'N':>7} {names} {'/floor':>7} {'/probe':>7} {'ms/act':>7} {'RSS MB':>7}")
    previous: tuple[int, float] | None = None
    slopes = []
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            # generated in a child: a parent grown by building the workbook would count in each child's peak RSS
            # (a forked child starts with the parent's pages resident: 157 MB instead of 121 MB at 20,000)
            path = Path(folder) / f"bench-{n}.xlsx"
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(n), str(path)],
                check=True,
                env=INSTALLED,
                stdout=subprocess.DEVNULL,
            )
            commands = {
                "toolkit": [toolkit, "sync-and-report", str(path), "-o", f"{folder}/out-{n}", "-q", "--force"],
                "floor": [sys.executable, str(HERE / "floor.py"), str(path)],
                "probe": [sys.executable, str(HERE / "floor.py"), "--probe", str(path)],
            }
            times: dict[str, list[float]] = {k: [] for k in commands}
            memory: list[float] = []
            for _ in range(args.rounds):
                for name, command in commands.items():
                    wall, rss = run(command)
                    times[name].append(wall)
                    if name == "toolkit":
                        memory.append(rss)
            med = {k: statistics.median(v) for k, v in times.items()}

            spread = {k: f"{med[k]:.2f} ({min(v):.2f}–{max(v):.2f})" for k, v in times.items()}
            print(
                f"{n:>7} {spread['toolkit']:>14} {spread['floor']:>14} {spread['probe']:>14} "
                f"{med['toolkit'] / med['floor']:>7.2f} {med['toolkit'] / med['probe']:>7.2f} "
                f"{1000 * med['toolkit'] / n:>7.3f} {max(memory):>7.0f}"
            )
            if previous:
                slopes.append((previous[0], n, math.log(med["toolkit"] / previous[1]) / math.log(n / previous[0])))
            previous = (n, med["toolkit"])
    for a, b, slope in slopes:
        print(f"log-log slope {a}→{b}: {slope:.2f}")


if __name__ == "__main__":
    main()

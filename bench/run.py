"""Benchmark: the whole ``sync-and-report`` process against the floor, as ratios measured in one run.

    python bench/run.py            # N = 100, 1000, 5000, 20000
    python bench/run.py 100 2000   # chosen sizes

For each N it generates a workbook, then times (best of a few runs, each a fresh process) the real
command and ``bench/floor.py`` on the same file, and prints the ratio and the cost per activity.
It also times ``toolkit --help`` (start-up: the heavy libraries must be imported lazily).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write  # noqa: E402


def best_time(command: list[str], repeat: int) -> float:
    """Best wall-clock time of ``repeat`` runs of ``command`` (each must succeed)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        best = min(best, time.perf_counter() - start)
    return best


def main(sizes: list[int]) -> None:
    toolkit = shutil.which("toolkit") or str(Path(sys.executable).with_name("toolkit"))
    help_time = best_time([toolkit, "--help"], 5)
    print(f"toolkit --help: {help_time:.3f} s")
    print(f"{'N':>7} {'toolkit s':>10} {'floor s':>9} {'ratio':>6} {'ms/activity':>12}")
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            path = write(n, Path(folder) / f"bench-{n}.xlsx")
            repeat = 3 if n <= 5000 else 1
            ours = best_time(
                [toolkit, "sync-and-report", str(path), "-o", f"{folder}/out-{n}", "-q", "--force"], repeat
            )
            floor = best_time([sys.executable, str(HERE / "floor.py"), str(path)], repeat)
            print(f"{n:>7} {ours:>10.2f} {floor:>9.2f} {ours / floor:>6.2f} {1000 * ours / n:>12.3f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 5000, 20000])

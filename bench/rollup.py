"""Roll-up benchmark: ``toolkit rollup`` over 20, 200 and 1,000 local schools against an honest floor, and a
simulated Google roll-up of 500 schools under the 60-reads-per-minute quota.

Local: each size is a list of N schools whose workbooks are copies of the six example schools' (one file
per school). The toolkit (``toolkit rollup LIST -q``) and the floor (the minimal program reading every
school's workbook with python-calamine, the reader the toolkit itself uses for an ordinary ``.xlsx``, and
counting its activity rows) run as fresh processes, paired and interleaved (A B A B …); medians, ms per
school, peak RSS (``wait4``) and the log-log slope.

Google: the repository's Sheets emulator (``tests/sheets_emulator.py``) enforces Google's read quota with
the minute compressed ``--scale`` times; the roll-up runs with the same compressed budget, and its time is
compared with the quota floor (N reads at 60 a minute). Then the re-run: ``--changed`` of the N sheets change,
and the roll-up runs again under Google's real, uncompressed quota (60 reads per 60 s): Drive names the changed
sheets, only those are read, the rest come from snapshots; its wall time is the goal (≤ 30 s for 10 of 500), and
its report must be byte-identical to a full read's. Usage::

    python bench/rollup.py                 # local 20, 200, 1000 and Google 500 (10 changed) at scale 20
    python bench/rollup.py --google 0      # local only
    python bench/rollup.py 0 --google 500  # Google only
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import run  # noqa: E402  (the same timing of one process as bench/run.py)

FLOOR = """
import sys
from python_calamine import CalamineWorkbook
total = 0
for path in sys.argv[1:]:
    book = CalamineWorkbook.from_path(path)
    rows = book.get_sheet_by_name("Hoạt động").to_python(skip_empty_area=False)[1:]
    total += sum(1 for row in rows if any(v not in ("", None) for v in row))
    book.close()
print(total)
"""


def example_schools(folder: Path) -> list[Path]:
    """The six example schools' workbooks, written once."""
    from toolkit.rollup.example import write_example

    written = write_example(folder / "mau.xlsx")
    return written[1:]


def _own_unit(book: Any, unit: str, abbr: str) -> Any:
    """``book`` naming its own school: copies of one workbook are one school to the roll-up, counted once."""
    from toolkit.workbook.schema import SETTINGS
    from toolkit.workbook.settings import setting_label

    values = {setting_label("unit"): unit, setting_label("unit_abbr"): abbr}
    for row in book[SETTINGS.name].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    return book


def write_list(folder: Path, n: int, templates: list[Path]) -> tuple[Path, list[Path]]:
    """A list of ``n`` schools, each with its own copy of an example school's workbook."""
    from openpyxl import load_workbook

    from toolkit.rollup.example import LIST_NAME
    from toolkit.workbook.schema import UNITS

    schools = folder / "truong"
    schools.mkdir(parents=True, exist_ok=True)
    book = load_workbook(folder.parent / "mau.xlsx")
    ws = book[UNITS.name]
    ws.delete_rows(2, ws.max_row)
    originals = [load_workbook(t) for t in templates]
    paths = []
    for i in range(n):
        path = schools / f"s{i:04d}.xlsx"
        _own_unit(originals[i % len(originals)], f"TRƯỜNG SỐ {i + 1}", f"S{i}").save(path)
        paths.append(path)
        ws.append([i + 1, f"Trường số {i + 1}", f"S{i}", f"truong/{path.name}", None, f"Cụm {i % 7}"])
    listing = folder / LIST_NAME
    book.save(listing)
    return listing, paths


def _every_school_its_own(toolkit: str, listing: Path, out: Path, n: int) -> None:
    """Stop unless the roll-up reads all ``n`` schools as distinct units (no row counted as a duplicate)."""
    import json
    import subprocess

    done = subprocess.run([toolkit, "rollup", str(listing), "-o", str(out), "--format", "json"], capture_output=True)
    statuses = [school["status"] for school in json.loads(done.stdout)["schools"]]
    if len(statuses) != n or "duplicate" in statuses:
        raise SystemExit(f"the list of {n} is not {n} distinct schools: {sorted(set(statuses))}")


def local(sizes: list[int], rounds: int) -> None:
    toolkit = shutil.which("toolkit") or "toolkit"
    with tempfile.TemporaryDirectory(prefix="bench-rollup-") as tmp:
        root = Path(tmp)
        templates = example_schools(root)
        print(f"{'N':>6} {'toolkit':>16} {'floor':>16} {'ratio':>6} {'ms/school':>10} {'peak RSS':>9}")
        previous = None
        for n in sizes:
            folder = root / f"n{n}"
            listing, paths = write_list(folder, n, templates)
            _every_school_its_own(toolkit, listing, folder / "out", n)
            times: dict[str, list[float]] = {"toolkit": [], "floor": []}
            rss = []
            for _ in range(rounds):
                wall, peak = run([toolkit, "rollup", str(listing), "-o", str(folder / "out"), "-q"])
                times["toolkit"].append(wall)
                rss.append(peak)
                times["floor"].append(run([sys.executable, "-c", FLOOR, *map(str, paths)])[0])
            med = {k: statistics.median(v) for k, v in times.items()}
            spread = {k: (max(v) - min(v)) / 2 for k, v in times.items()}
            print(
                f"{n:>6} {med['toolkit']:>9.2f} ± {spread['toolkit']:.2f} s "
                f"{med['floor']:>9.2f} ± {spread['floor']:.2f} s "
                f"{med['toolkit'] / med['floor']:>6.2f} {1000 * med['toolkit'] / n:>10.1f} {max(rss):>6.0f} MB"
            )
            if previous:
                slope = math.log(med["toolkit"] / previous[1]) / math.log(n / previous[0])
                print(f"{'':>6} log-log slope {previous[0]}→{n}: {slope:.2f}")
            previous = (n, med["toolkit"])


def google(n: int, scale: float, changed: int = 10) -> None:
    """``n`` schools served by the emulator under the compressed quota; elapsed against the quota floor."""
    sys.path.insert(0, str(ROOT / "tests"))
    from sheets_emulator import CLIENT_EMAIL, Emulator, workbook_values
    from toolkit.core.config import Options
    from toolkit.rollup.example import build_list
    from toolkit.rollup.run import rollup
    from toolkit.sources.budget import ReadBudget
    from toolkit.workbook.schema import UNITS

    per = 60.0 / scale
    emulator = Emulator()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-rollup-google-") as tmp:
            root = Path(tmp)
            values = [workbook_values(p) for p in example_schools(root)]
            book = build_list(example=True)
            ws = book[UNITS.name]
            ws.delete_rows(2, ws.max_row)
            for i in range(n):
                sid = f"bench{i:04d}-" + "x" * 30
                emulator.add(sid, values[i % len(values)], readers={CLIENT_EMAIL})
                ws.append([i + 1, f"Trường số {i + 1}", None, f"https://docs.google.com/spreadsheets/d/{sid}/edit"])
            listing = root / "danh-sach.xlsx"
            book.save(listing)
            os.environ["TOOLKIT_SHEETS_API"] = emulator.url
            emulator.quota = (60, per)
            options = Options(output=root / "out", credentials=str(emulator.key_file(root / "key.json")))
            budget = ReadBudget(60, per=per)
            start = time.perf_counter()
            result = rollup(str(listing), options, concurrency=8, budget=budget)
            elapsed = time.perf_counter() - start
            floor = budget.floor(n)
            counted = sum(1 for r in result.schools if r.counted)
            print(
                f"Google {n} schools, 60 reads per {per:.1f} s (a minute / {scale:g}): {elapsed:.1f} s, quota floor "
                f"{floor:.1f} s, ratio {elapsed / floor:.3f}; {budget.requests} reads, {emulator.throttled} refused "
                f"by the quota, {counted}/{n} counted; real-time equivalent {elapsed * scale / 60:.1f} min "
                f"(floor {n / 60:.1f} min)"
            )
            if changed:
                rerun(emulator, listing, options, root, n, changed, result)
    finally:
        emulator.close()


def rerun(emulator, listing: Path, options, root: Path, n: int, changed: int, first) -> None:
    """``changed`` sheets edited, then the roll-up again under the real quota; checked against a full read."""
    from toolkit.rollup.run import rollup
    from toolkit.sources.budget import ReadBudget

    ids = sorted(emulator.sheets)
    for sid in ids[:: max(1, n // changed)][:changed]:
        sheet = emulator.sheets[sid]
        tab = sheet.tab("Hoạt động")
        money = tab.values[0].index("Kinh phí (đồng)")
        tab.values[1] = [*tab.values[1][:money], 1_234_000, *tab.values[1][money + 1 :]]
        sheet.modified = time.time()
    emulator.quota = (60, 60.0)  # Google's own: 60 reads a minute, not compressed
    emulator.reads.clear()  # a re-run comes later than a minute after the last run's reads
    emulator.throttled = 0
    budget = ReadBudget(60, per=60.0)
    start = time.perf_counter()
    again = rollup(str(listing), options, concurrency=8, budget=budget)
    elapsed = time.perf_counter() - start
    drive = sum(1 for _, p, _, _ in emulator.log if p.startswith("/drive/"))
    emulator.quota = None
    full_options = type(options)(output=root / "full", credentials=options.credentials)
    full = rollup(str(listing), full_options, concurrency=8, budget=ReadBudget(100_000, per=1.0))  # no quota here
    same = (
        next(f.path for f in again.files if f.kind == "report").read_bytes()
        == next(f.path for f in full.files if f.kind == "report").read_bytes()
        and again.totals == full.totals
        and again.totals != first.totals
    )
    print(
        f"Re-run, {changed} of {n} changed, Google's real quota (60 reads / 60 s): {elapsed:.1f} s (goal ≤ 30 s); "
        f"{budget.requests} Sheets reads, {drive} Drive requests in all, {again.unchanged} schools from snapshots, "
        f"{emulator.throttled} refused by the quota; report identical to a full read's: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[20, 200, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--google", type=int, default=500, help="schools of the simulated Google roll-up (0: none)")
    parser.add_argument("--scale", type=float, default=20.0, help="how many times faster than real the minute runs")
    parser.add_argument("--changed", type=int, default=10, help="sheets changed before the re-run (0: no re-run)")
    args = parser.parse_args()
    sizes = [n for n in args.sizes if n > 0]
    if sizes:
        local(sizes, args.rounds)
    if args.google:
        google(args.google, args.scale, args.changed)


if __name__ == "__main__":
    main()

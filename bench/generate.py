"""Generate workbooks of N activities for benchmarks and large-document tests.

``python bench/generate.py 20000 out.xlsx`` writes the example workbook with its activity log
replaced by N realistic, valid activities (deterministic: the same N gives the same data).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from toolkit.example import ACTIVITIES
from toolkit.schema import ACTIVITIES as TAB
from toolkit.schema import DEFAULT_GROUPS
from toolkit.templates import build_workbook

START = dt.date(2023, 11, 15)


def activity_rows(n: int, seed: int = 2023) -> list[tuple[object, ...]]:
    """N activity rows in the column order of the ``Hoạt động`` tab, all valid for the example campaign."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        base = ACTIVITIES[i % len(ACTIVITIES)]
        start = START + dt.timedelta(days=rng.randrange(0, 23))
        done = start <= dt.date(2023, 12, 8) and rng.random() < 0.85
        group = DEFAULT_GROUPS[rng.randrange(len(DEFAULT_GROUPS))]
        counts = [rng.randrange(1, 40) if done else 0 for _ in range(6)]
        rows.append((
            i, f"{base[0]} (đợt {i})", group, base[2], start, None, base[5], base[6], base[7],
            "Đã thực hiện" if done else ("Kế hoạch" if start > dt.date(2023, 12, 8) else "Đang thực hiện"),
            *counts, rng.randrange(0, 3), rng.randrange(0, 3), rng.randrange(0, 20) * 50_000,
            f"https://thbinhan.example.edu.vn/minh-chung/{i}" if done else None, None,
        ))
    return rows


def write(n: int, path: Path) -> Path:
    """Save the example workbook with N generated activities to ``path``."""
    book = build_workbook(filled=True)
    ws = book[TAB.name]
    ws.delete_rows(2, ws.max_row)
    for r, row in enumerate(activity_rows(n), start=2):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    book.save(path)
    return path


if __name__ == "__main__":
    print(write(int(sys.argv[1]), Path(sys.argv[2])))

"""Generate workbooks of N activities for benchmarks and large-document tests.

``python bench/generate.py 20000 out.xlsx`` writes the example workbook with its activity log
replaced by N realistic, valid activities (deterministic: the same N gives the same data).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from toolkit.authoring.templates import build_workbook
from toolkit.workbook.campaigns import bundled
from toolkit.workbook.schema import ACTIVITIES as TAB

START = dt.date(2023, 11, 15)


PEOPLE = ("CB-GV-NV nam", "CB-GV-NV nữ", "Học sinh nam", "Học sinh nữ", "Phụ huynh nam", "Phụ huynh nữ")


def activity_rows(n: int, seed: int = 2023) -> list[dict[str, object]]:
    """N activity rows by header name, all valid for the bundled example campaign."""
    preset = bundled()
    examples = preset.example[TAB.name]
    groups = [g.name for g in preset.groups]
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        base = examples[i % len(examples)]
        start = START + dt.timedelta(days=rng.randrange(0, 23))
        done = start <= dt.date(2023, 12, 8) and rng.random() < 0.85
        row: dict[str, object] = {
            "STT": i,
            "Tên hoạt động": f"{base['Tên hoạt động']} (đợt {i})",
            "Nhóm hoạt động": groups[rng.randrange(len(groups))],
            "Hình thức": base.get("Hình thức"),
            "Bắt đầu": start,
            "Đối tượng": base.get("Đối tượng"),
            "Phụ trách": base["Phụ trách"],
            "Phối hợp": base.get("Phối hợp"),
            "Trạng thái": "Đã thực hiện" if done else "Kế hoạch" if start > dt.date(2023, 12, 8) else "Đang thực hiện",
            **{header: rng.randrange(1, 40) if done else 0 for header in PEOPLE},
            "Băng rôn, khẩu hiệu": rng.randrange(0, 3),
            "Tin bài": rng.randrange(0, 3),
            "Kinh phí (đồng)": rng.randrange(0, 20) * 50_000,
            "Minh chứng": f"https://thbinhan.example.edu.vn/minh-chung/{i}" if done else None,
        }
        if not done and start <= dt.date(2023, 12, 8):
            row["Kết thúc"] = dt.date(2023, 12, 15)  # still under way on the report date
        rows.append(row)
    return rows


def write(n: int, path: Path) -> Path:
    """Save the example workbook with N generated activities to ``path``."""
    book = build_workbook(filled=True)
    ws = book[TAB.name]
    ws.delete_rows(2, ws.max_row)
    columns = {TAB.match(str(cell.value)): cell.column for cell in ws[1]}
    for r, row in enumerate(activity_rows(n), start=2):
        for header, value in row.items():
            if value is not None:
                ws.cell(row=r, column=columns[TAB.match(header)], value=value)
    book.save(path)
    return path


if __name__ == "__main__":
    print(write(int(sys.argv[1]), Path(sys.argv[2])))

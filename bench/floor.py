"""The floor a run is measured against: openpyxl loading the workbook and python-docx saving one
document holding the same activity table (5 columns, one row per activity)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import openpyxl
from docx import Document


def main(path: str) -> None:
    book = openpyxl.load_workbook(path, data_only=True)
    rows = [row for row in book["Hoạt động"].iter_rows(min_row=2, values_only=True) if row[1]]
    document = Document()
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("STT", "Hoạt động", "Thời gian", "Phụ trách", "Phối hợp"), strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, (row[0], row[1], row[4], row[7], row[8]), strict=True):
            cell.text = "" if value is None else str(value)
    with tempfile.TemporaryDirectory() as folder:
        document.save(Path(folder) / "floor.docx")


if __name__ == "__main__":
    main(sys.argv[1])

"""Regenerate the pictures of page 1 of the example documents shown in the README.

    python docs/render_pictures.py

Needs LibreOffice and poppler-utils (pdftoppm). Writes docs/ke-hoach-trang-1.png and docs/bao-cao-trang-1.png
(the bundled example: a primary school, 2023), and docs/mam-non-ke-hoach-trang-1.png and
docs/mam-non-bao-cao-trang-1.png (the lifelong-learning week preset's example: a kindergarten, 2025), and
docs/tong-hop-trang-1.png (the example roll-up of a commune's six schools, 2026).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.authoring.templates import save_workbook
from toolkit.core.config import Options
from toolkit.pipeline import export_pdf, sync_and_report

HERE = Path(__file__).resolve().parent
NAMES = {"KH": "ke-hoach-trang-1", "BC": "bao-cao-trang-1"}


def render(source: str | None, prefix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        report = sync_and_report(source, Options(output=Path(folder)))
        for pdf in map(Path, export_pdf(report)):
            stem = HERE / f"{prefix}{NAMES[pdf.name[:2]]}"
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
            )
            print(stem.with_suffix(".png"))


def render_rollup() -> None:
    """Page 1 of the example roll-up (Ủy ban nhân dân xã Tân Phú, six schools, 2026): docs/tong-hop-trang-1.png."""
    from toolkit.rollup.example import write_example
    from toolkit.rollup.run import export_pdf as rollup_pdf
    from toolkit.rollup.run import rollup

    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "danh-sach.xlsx"
        write_example(listing)
        pdf = rollup_pdf(rollup(str(listing), Options(output=Path(folder) / "out")))
        stem = HERE / "tong-hop-trang-1"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
        )
        print(stem.with_suffix(".png"))


def main() -> None:
    render(None, "")
    render_rollup()
    with tempfile.TemporaryDirectory() as folder:
        workbook = save_workbook(Path(folder) / "mam-non.xlsx", "hoc-tap-suot-doi", filled=True)
        render(str(workbook), "mam-non-")


if __name__ == "__main__":
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")
    main()

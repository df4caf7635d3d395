"""Regenerate the pictures of page 1 of both example documents shown in the README.

    python docs/render_pictures.py

Needs LibreOffice and poppler-utils (pdftoppm). Writes docs/ke-hoach-trang-1.png and docs/bao-cao-trang-1.png.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.pipeline import Options, export_pdf, sync_and_report

HERE = Path(__file__).resolve().parent
NAMES = {"KH": "ke-hoach-trang-1", "BC": "bao-cao-trang-1"}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        report = sync_and_report(None, Options(output=Path(folder)))
        for pdf in map(Path, export_pdf(report)):
            stem = HERE / NAMES[pdf.name[:2]]
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                           check=True)
            print(stem.with_suffix(".png"))


if __name__ == "__main__":
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")
    main()

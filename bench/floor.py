"""The honest floor a run is measured against, and the raw-parse probe below it.

    python bench/floor.py WORKBOOK          # the floor
    python bench/floor.py --probe WORKBOOK  # the probe

The floor is the minimal program doing the same work safely: the same hostile-file checks on the package,
openpyxl in streaming mode (with defusedxml, as the toolkit), and the two documents' tables (the plan's 5
columns, the report appendix's 8) written as WordprocessingML text into a minimal ``.docx`` package each.
The probe is the physical limit: unzip, lxml's ``iterparse`` over every sheet, the same two tables.
"""

from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def escape(text: object) -> str:
    return "" if text is None else str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def table(rows: list[tuple[object, ...]]) -> str:
    cell = '<w:tc><w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>'
    return (
        "<w:tbl>"
        + "".join("<w:tr>" + "".join(cell.format(escape(v)) for v in row) + "</w:tr>" for row in rows)
        + ("</w:tbl>")
    )


def save(body: str, path: Path) -> None:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}<w:p/></w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", TYPES)
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/document.xml", document)


def num(value: object) -> float:
    """A count as a number, whether the reader gave a number or its text."""
    try:
        return float(value or 0)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def documents(rows: list[tuple[object, ...]]) -> None:
    """The plan's table and the report's appendix (done activities), each saved as a .docx."""
    plan = [(r[0], r[1], r[4], r[7], r[8]) for r in rows if r[9] != "Hủy"]
    done = [r for r in rows if r[9] == "Đã thực hiện"]
    appendix = [
        (
            r[0],
            r[1],
            r[4],
            r[2],
            sum(num(r[c]) for c in (10, 12, 14)),
            sum(num(r[c]) for c in (11, 13, 15)),
            r[18],
            r[19],
        )
        for r in done
    ]
    with tempfile.TemporaryDirectory() as folder:
        save(table(plan), Path(folder) / "kh.docx")
        save(table(appendix), Path(folder) / "bc.docx")


def floor(path: str) -> None:
    from openpyxl import load_workbook

    from toolkit.sources.xlsx import check_workbook_file

    check_workbook_file(Path(path))
    book = load_workbook(path, read_only=True, data_only=True)
    rows = [tuple(r) + (None,) * 21 for r in book["Hoạt động"].iter_rows(min_row=2, values_only=True) if r and r[1]]
    book.close()
    documents(rows)


def probe(path: str) -> None:
    from lxml import etree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as package:
        strings = []
        if "xl/sharedStrings.xml" in package.namelist():
            strings = ["".join(si.itertext()) for si in etree.parse(package.open("xl/sharedStrings.xml")).getroot()]
        sheets = {}
        for name in package.namelist():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                rows = []
                for _, row in etree.iterparse(io.BytesIO(package.read(name)), tag=f"{main}row"):
                    values = []
                    for c in row:
                        v = c.find(f"{main}v")
                        text = c.find(f"{main}is/{main}t")
                        if c.get("t") == "s" and v is not None:
                            values.append(strings[int(v.text)])
                        elif text is not None:
                            values.append(text.text)
                        else:
                            values.append(v.text if v is not None else None)
                    rows.append(tuple(values) + (None,) * 21)
                    row.clear()
                sheets[name] = rows
    activities = max(sheets.values(), key=len)[1:]
    documents([r for r in activities if r[1]])


if __name__ == "__main__":
    if sys.argv[1] == "--probe":
        probe(sys.argv[2])
    else:
        floor(sys.argv[1])

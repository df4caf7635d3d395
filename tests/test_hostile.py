"""Hostile and broken files: each refused with a clear message and exit code 3, quickly, in bounded memory.

Each case runs the real command in a child process limited to 10 s and 300 MB of address space.
"""

from __future__ import annotations

import ctypes
import io
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import write_workbook

LIMIT_BYTES = 300 * 1024 * 1024
LIMIT_SECONDS = 10
ENTITIES = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)


def run_limited(*args: str, no_root_bypass: bool = False, memory: int = LIMIT_BYTES) -> subprocess.CompletedProcess:
    """``python -m toolkit ARGS`` under the time and memory limits.

    ``no_root_bypass`` drops root's power to read any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so
    file permissions apply as they do for a school's ordinary user.
    """

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if no_root_bypass and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
                libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS,
        preexec_fn=limits,
        env=env,
        cwd="/",
    )


def rewrite(source: Path, target: Path, change: dict[str, bytes]) -> Path:
    """A copy of a workbook package with some members replaced."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            new.writestr(name, change.get(name, old.read(name)))
    return target


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(500):  # 500 MB of nothing, a few hundred kB on disk
                member.write(chunk)
    return path


def entity_bomb(tmp_path: Path) -> Path:
    base = write_workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as package:
        sheet = package.read("xl/worksheets/sheet2.xml").decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    bombed = '<?xml version="1.0" encoding="UTF-8"?>' + ENTITIES + body.replace("<v>", "<v>&lol9;", 1)
    return rewrite(base, tmp_path / "entities.xlsx", {"xl/worksheets/sheet2.xml": bombed.encode()})


def encrypted(path: Path) -> Path:
    """The start of an OLE container holding an encrypted OOXML package (what Excel writes with a password)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = "EncryptedPackage".encode("utf-16-le") + b"\0" * 64 + "EncryptionInfo".encode("utf-16-le")
    path.write_bytes(header + directory + b"\0" * 4096)
    return path


def docx_renamed(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    path.write_bytes(buffer.getvalue())
    return path


CASES = {
    "zip bomb": (
        lambda t: zip_bomb(t / "bomb.xlsx"),
        "bomb.xlsx bất thường (giải nén quá lớn so với kích thước tệp): từ chối mở để an toàn.",
    ),
    "entity bomb": (
        entity_bomb,
        "entities.xlsx chứa XML không an toàn (khai báo entity/DTD): từ chối mở. Hãy mở bằng Excel và lưu lại.",
    ),
    "damaged .xls": (lambda t: _ole(t / "cu.xls"), "Không đọc được tệp cu.xls: tệp .xls bị hỏng."),
    "password": (
        lambda t: encrypted(t / "matkhau.xlsx"),
        "matkhau.xlsx được đặt mật khẩu: hãy gỡ mật khẩu rồi lưu lại.",
    ),
    "csv renamed": (
        lambda t: _write(t / "bang.xlsx", "STT;Tên hoạt động\n1;Lễ phát động\n".encode()),
        "bang.xlsx không phải bảng tính (nội dung dạng CSV); hãy mở bằng Excel hoặc LibreOffice và lưu dạng .xlsx.",
    ),
    "pdf renamed": (
        lambda t: _write(t / "kehoach.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        "kehoach.xlsx không phải bảng tính (nội dung dạng PDF); hãy mở bằng Excel hoặc LibreOffice và lưu dạng .xlsx.",
    ),
    "docx renamed": (
        lambda t: docx_renamed(t / "vanban.xlsx"),
        "vanban.xlsx không phải bảng tính (.xlsx, .xls, .ods): có thể là tệp Word hay tệp nén khác.",
    ),
    "truncated": (
        lambda t: _write(t / "cut.xlsx", write_workbook(t / "full.xlsx").read_bytes()[:5000]),
        "cut.xlsx bị hỏng: không mở được như một bảng tính.",
    ),
    "empty": (lambda t: _write(t / "rong.xlsx", b""), "rong.xlsx là tệp rỗng, không phải bảng tính."),
    "folder": (lambda t: _folder(t / "thu-muc.xlsx"), "{path} là một thư mục, không phải tệp bảng tính."),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _ole(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused(tmp_path, case) -> None:
    make, message = CASES[case]
    path = make(tmp_path)
    run = run_limited("sync-and-report", str(path), "-o", str(tmp_path / "out"))
    assert run.returncode == 3, run.stderr
    assert run.stderr == message.format(path=path) + "\n"
    assert not (tmp_path / "out").exists()


def test_unreadable_file(tmp_path) -> None:
    path = write_workbook(tmp_path / "khoa.xlsx")
    path.chmod(0)
    run = run_limited("check", str(path), no_root_bypass=True)
    assert run.returncode == 3, run.stderr
    assert run.stderr == f"Không có quyền đọc tệp {path}.\n"


# -- cost in proportion to what the file holds: every file of at most 10 MB checked in 10 s and 500 MB ------

BIG_LIMIT = 500 * 1024 * 1024
ACTIVITIES_PART = "xl/worksheets/sheet6.xml"  # the Hoạt động tab of the example


def _with_sheet(tmp_path: Path, name: str, edit) -> Path:
    base = write_workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as package:
        sheet = package.read(ACTIVITIES_PART).decode()
    return rewrite(base, tmp_path / name, {ACTIVITIES_PART: edit(sheet).encode()})


def _rows_at_end(extra: str, dimension: str):
    def edit(sheet: str) -> str:
        sheet = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', sheet)
        return sheet.replace("</sheetData>", extra + "</sheetData>")

    return edit


def far_cell(tmp_path: Path) -> Path:
    return _with_sheet(
        tmp_path, "far.xlsx", _rows_at_end('<row r="1048576"><c r="A1048576" s="1"/></row>', "A1:A1048576")
    )


def wide_cell(tmp_path: Path) -> Path:
    return _with_sheet(tmp_path, "wide.xlsx", _rows_at_end('<row r="600"><c r="XFD600" s="1"/></row>', "A1:XFD600"))


def blank_rows(tmp_path: Path) -> Path:
    rows = "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="B{n}" s="1"/></row>' for n in range(1000, 201000))
    return _with_sheet(tmp_path, "blank-rows.xlsx", _rows_at_end(rows, "A1:U201000"))


def repeated_long_text(tmp_path: Path) -> Path:
    """One 32,767-character shared string in 21 columns of 5,000 rows: a 230 kB file."""
    from toolkit.a1 import col_to_letters

    base = write_workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as package:
        sheet = package.read(ACTIVITIES_PART).decode()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("xl/_rels/workbook.xml.rels").decode()
    header = re.search(r'<row r="1".*?</row>', sheet).group(0)
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{col_to_letters(c)}{r}" t="s"><v>0</v></c>' for c in range(1, 22)) + "</row>"
        for r in range(2, 5002)
    )
    sheet = re.sub(r"<sheetData>.*</sheetData>", f"<sheetData>{header}{rows}</sheetData>", sheet, flags=re.S)
    text = ("Tọa đàm về bình đẳng giới " * 1400)[:32767]
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>'
    )
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    target = tmp_path / "long-text.xlsx"
    rewrite(
        base,
        target,
        {
            ACTIVITIES_PART: sheet.encode(),
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
        },
    )
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/sharedStrings.xml", strings)
    return target


def quadratic_text(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "regex.xlsx", {("Hoạt động", "U2"): "đ-" * 16383})


SIZE_CASES = {
    "far cell": (far_cell, 0),
    "XFD600": (wide_cell, 0),
    "200,000 blank rows": (blank_rows, 0),
    "repeated long text": (repeated_long_text, 1),
    "quadratic regex": (quadratic_text, 0),
}


@pytest.mark.parametrize("case", list(SIZE_CASES))
def test_cost_follows_the_cells_that_hold_values(tmp_path, case) -> None:
    make, code = SIZE_CASES[case]
    path = make(tmp_path)
    assert path.stat().st_size <= 10 * 1024 * 1024
    run = run_limited("check", str(path), "-q", memory=BIG_LIMIT)
    assert run.returncode == code, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr


# -- the DTD scan and the parser it allows -------------------------------------------------------------------


def _read(path: Path):
    from toolkit.sources.xlsx import read_xlsx

    return read_xlsx(path)


def test_a_clean_package_is_parsed_without_defusedxml(tmp_path, monkeypatch) -> None:
    """A scanned package never reaches defusedxml's (pure-Python, slow) parser; any other read still does."""
    import openpyxl.worksheet._reader as sheets

    from toolkit.errors import SourceError
    from toolkit.sources import xlsx

    base = write_workbook(tmp_path / "base.xlsx")
    expected = _read(base)
    xlsx._use_checked_parser()

    def refuse(*args, **kwargs):
        raise AssertionError("defusedxml's parser was used")

    monkeypatch.setitem(sheets.iterparse.__kwdefaults__, "_guarded", refuse)
    assert [s.rows for s in _read(base).sheets] == [s.rows for s in expected.sheets]
    monkeypatch.setattr(xlsx, "_plain_encoding", lambda head: False)  # a package the scan cannot vouch for
    with pytest.raises(SourceError) as refused:
        _read(base)
    assert "defusedxml's parser was used" in str(refused.value.detail)


def test_a_dtd_is_refused_wherever_the_part_is_named_or_hidden(tmp_path) -> None:
    from toolkit.errors import SourceError

    base = write_workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as package:
        sheet = package.read("xl/worksheets/sheet2.xml").decode()
        rels = package.read("xl/_rels/workbook.xml.rels").decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    comment = "<!--" + " <a " * 300_000 + "-->"  # a long comment (with tag-like text) before the DTD
    hidden = rewrite(base, tmp_path / "hidden.xlsx", {"xl/worksheets/sheet2.xml": (comment + ENTITIES + body).encode()})
    renamed = rewrite(
        base,
        tmp_path / "renamed.xlsx",
        {"xl/_rels/workbook.xml.rels": rels.replace("worksheets/sheet2.xml", "worksheets/sheet2.dat").encode()},
    )
    with zipfile.ZipFile(renamed, "a") as package:  # the sheet under a name that is not .xml
        package.writestr("xl/worksheets/sheet2.dat", ENTITIES + body)
    for path in (hidden, renamed):
        with pytest.raises(SourceError, match="không an toàn"):
            _read(path)


def test_a_part_in_utf16_is_still_read_through_defusedxml(tmp_path) -> None:
    from toolkit.errors import SourceError

    base = write_workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as package:
        sheet = package.read("xl/worksheets/sheet2.xml").decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>'
    path = rewrite(base, tmp_path / "utf16.xlsx", {"xl/worksheets/sheet2.xml": (utf16 + body).encode("utf-16")})
    assert [s.rows for s in _read(path).sheets] == [s.rows for s in _read(base).sheets]
    bombed = (utf16 + ENTITIES + body.replace("<v>", "<v>&lol9;", 1)).encode("utf-16")
    hostile = rewrite(base, tmp_path / "utf16-dtd.xlsx", {"xl/worksheets/sheet2.xml": bombed})
    with pytest.raises(SourceError, match="không an toàn"):
        _read(hostile)

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
# A guard against hangs and quadratic blow-ups (the attacks took minutes), not a timing: ten times what a
# hostile file takes here alone, so a loaded 2-core machine running the suite on every core stays inside it.
LIMIT_SECONDS = 30
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
    from toolkit.core.a1 import col_to_letters

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


# -- the DTD scan, and the parsers behind it (issue 18: 2, 3, 4) ---------------------------------------------------


def _read(path: Path):
    from toolkit.sources.xlsx import read_xlsx

    return read_xlsx(path)


def _parts(tmp_path: Path) -> tuple[Path, str, str]:
    """The example workbook, the body of its second sheet (after the XML declaration) and its relationships."""
    base = write_workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as package:
        sheet = package.read("xl/worksheets/sheet2.xml").decode()
        rels = package.read("xl/_rels/workbook.xml.rels").decode()
    return base, (sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet), rels


SHARED = (
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>x&lol9;</t></si></sst>"
)
# Issue 18.3: references spaced under expat's amplification limit, 48 kB that took 82 s and 226 MB to expand.
AMPLIFIED = (
    '<!DOCTYPE w [<!ENTITY a "'
    + "A" * 4000
    + '">]>'
    + '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    + ("&a;" + " " * 4) * 6000
    + "</t></is></c></row></sheetData></worksheet>"
)


def test_utf16_without_a_byte_order_mark_cannot_pass(tmp_path) -> None:
    """A sheet and the shared strings in UTF-16 without BOM, beginning with a space: expat reads them as UTF-16,
    so ``<!DOCTYPE`` is not those bytes; refused all the same (exit 3, the unsafe-XML message)."""
    base, body, _ = _parts(tmp_path)
    path = rewrite(
        base,
        tmp_path / "utf16.xlsx",
        {
            "xl/worksheets/sheet2.xml": (" " + ENTITIES + body.replace("<t>", "<t>&lol9;", 1)).encode("utf-16-le"),
            "xl/sharedStrings.xml": (" " + ENTITIES + SHARED).encode("utf-16-le"),
        },
    )
    run = run_limited("sync-and-report", str(path), "-o", str(tmp_path / "out"))
    assert run.returncode == 3, run.stderr
    assert run.stderr == CASES["entity bomb"][1].replace("entities.xlsx", "utf16.xlsx") + "\n"
    assert not (tmp_path / "out").exists()


def test_a_dtd_is_refused_whatever_the_part_is_named_or_the_attributes_order(tmp_path) -> None:
    from toolkit.core.errors import SourceError

    base, body, rels = _parts(tmp_path)
    comment = "<!--" + " <a " * 300_000 + "-->"  # a long comment (with tag-like text) before the DTD
    hidden = rewrite(base, tmp_path / "hidden.xlsx", {"xl/worksheets/sheet2.xml": (comment + ENTITIES + body).encode()})
    renamed = rewrite(  # a sheet named .dat, in UTF-16 with a byte-order mark, declared in [Content_Types].xml
        base,
        tmp_path / "renamed.xlsx",
        {"xl/_rels/workbook.xml.rels": rels.replace("worksheets/sheet2.xml", "worksheets/sheet2.dat").encode()},
    )
    with zipfile.ZipFile(renamed) as package:
        types = package.read("[Content_Types].xml").decode()
    types = types.replace("/xl/worksheets/sheet2.xml", "/xl/worksheets/sheet2.dat")
    renamed = rewrite(renamed, tmp_path / "renamed2.xlsx", {"[Content_Types].xml": types.encode()})
    with zipfile.ZipFile(renamed, "a") as package:
        package.writestr("xl/worksheets/sheet2.dat", (ENTITIES + body).encode("utf-16"))
    with zipfile.ZipFile(base) as package:
        workbook = package.read("xl/workbook.xml").decode()
    swapped = re.sub(r'(<sheet [^>]*?)(name="[^"]*") ([^>]*?)(r:id="[^"]*")', r"\1\4 \3\2", workbook)
    assert swapped != workbook and 'r:id="rId2" sheetId="2" state="visible" name=' in swapped
    reordered = rewrite(
        base,
        tmp_path / "reordered.xlsx",
        {"xl/workbook.xml": swapped.encode(), "xl/worksheets/sheet2.xml": (ENTITIES + body).encode("utf-16")},
    )
    for path in (hidden, renamed, reordered):
        with pytest.raises(SourceError, match="không an toàn"):
            _read(path)


def test_entity_amplification_is_refused_at_once(tmp_path) -> None:
    base, _, _ = _parts(tmp_path)
    for encoding in ("utf-8", "utf-16", "utf-16-le"):
        data = AMPLIFIED.encode(encoding)
        assert len(data) < 200_000
        path = rewrite(base, tmp_path / f"amplified-{encoding}.xlsx", {"xl/worksheets/sheet2.xml": data})
        run = run_limited("check", str(path), "-q")  # expanded, this would be 96 MB of text and minutes
        assert run.returncode == 3, run.stderr
        assert "không an toàn" in run.stderr


def test_the_scan_is_linear_on_a_member_that_never_closes_a_tag(tmp_path) -> None:
    """Issue 18.4: a 3.2 MB member starting with ``<`` and never holding ``>`` took 143 s and 816 MB; the scan keeps
    a bounded tail, so it passes under the 10 s and 300 MB limits whatever the member's name."""
    base, _, _ = _parts(tmp_path)
    for name in ("xl/media/image1.png", "xl/custom.dat", "xl/worksheets/extra.xml"):
        path = rewrite(base, tmp_path / "open-tag.xlsx", {})
        with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as package:  # stored: not a zip bomb by ratio
            package.writestr(name, b"<" + b"a" * (3_200_000))
        run = run_limited("check", str(path), "-q")
        assert run.returncode == 0, (name, run.stderr[-2000:])


def test_the_parsers_behind_the_scan_expand_no_entity(tmp_path) -> None:
    """Were the scan ever passed, no parser expands an entity: ``safe_expat`` refuses a DOCTYPE in any encoding,
    calamine's quick-xml refuses an entity it does not know (internal or external), and openpyxl's streaming
    reader (defusedxml) refuses an entity declaration."""
    from defusedxml import DefusedXmlException
    from python_calamine import CalamineWorkbook

    from toolkit.sources.package import DoctypeRefused, safe_expat

    for data in (ENTITIES + "<a>&lol9;</a>", " " + ENTITIES + "<a/>", '<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>'):
        for encoding in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
            with pytest.raises(DoctypeRefused):
                safe_expat(data.encode(encoding), lambda name, attrs: None)
    base, body, _ = _parts(tmp_path)
    external = '<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
    for name, dtd, reference in (("internal", ENTITIES, "&lol9;"), ("external", external, "&e;")):
        path = rewrite(
            base,
            tmp_path / f"{name}.xlsx",
            {"xl/worksheets/sheet2.xml": (dtd + body.replace("<t>", f"<t>{reference}", 1)).encode()},
        )
        with pytest.raises(Exception, match="unrecognized entity"):
            book = CalamineWorkbook.from_path(str(path))
            for sheet in book.sheet_names:
                book.get_sheet_by_name(sheet).to_python()
    import openpyxl
    from openpyxl.xml.functions import fromstring  # openpyxl's parser of a workbook's other parts

    expanded = fromstring(b'<!DOCTYPE a [<!ENTITY e "EXPANDED">]><a>&e;</a>')
    assert "EXPANDED" not in (expanded.text or "")  # lxml with resolve_entities=False (or defusedxml: refused)
    with pytest.raises(ValueError) as refused:
        list(openpyxl.load_workbook(tmp_path / "internal.xlsx", read_only=True)["Thông tin"].iter_rows())
    causes = []
    exc: BaseException | None = refused.value
    while exc is not None:
        causes.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert any(isinstance(c, DefusedXmlException) for c in causes)


def test_no_reader_sees_a_package_the_scan_refused(tmp_path, monkeypatch) -> None:
    from toolkit.core.errors import SourceError
    from toolkit.sources import other_formats, xlsx

    seen: list[Path] = []
    real = other_formats.read_calamine

    def spy(path, label):
        seen.append(path)
        return real(path, label)

    monkeypatch.setattr(other_formats, "read_calamine", spy)
    base, body, _ = _parts(tmp_path)
    _read(base)
    assert seen == [base]  # an ordinary package is read by calamine
    for name, data in (
        ("plain", (ENTITIES + body).encode()),
        ("utf16", (" " + ENTITIES + body).encode("utf-16-le")),
    ):
        path = rewrite(base, tmp_path / f"{name}.xlsx", {"xl/worksheets/sheet2.xml": data})
        for read in (_read, lambda p: xlsx.read_streamed(p, str(p))):
            with pytest.raises(SourceError, match="không an toàn"):
                read(path)
    assert seen == [base]


def test_a_part_in_utf16_is_read_by_openpyxl(tmp_path) -> None:
    """calamine reads only UTF-8 (a UTF-16 sheet would come out empty): such a package goes to openpyxl."""
    from toolkit.sources.package import scan

    base, body, _ = _parts(tmp_path)
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>'
    path = rewrite(base, tmp_path / "utf16.xlsx", {"xl/worksheets/sheet2.xml": (utf16 + body).encode("utf-16")})
    assert scan(path).careful == "xl/worksheets/sheet2.xml: not UTF-8"
    assert _read(path).sheets == _read(base).sheets


def test_a_fifo_given_to_the_format_check_is_refused_without_waiting(tmp_path, monkeypatch) -> None:
    """check_workbook_file opens without waiting and reads only a regular file: a FIFO put at the name after
    its own check of what is there (made to miss it here) cannot hang the run."""
    import os
    import signal

    from toolkit.core.errors import SourceError
    from toolkit.sources import xlsx
    from toolkit.sources.xlsx import check_workbook_file

    fifo = tmp_path / "so.xlsx"
    os.mkfifo(fifo)
    monkeypatch.setattr(xlsx, "not_regular", lambda path: None)  # the FIFO appears just after the check

    def hung(signum, frame):
        raise TimeoutError("check_workbook_file waited on a FIFO")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        with pytest.raises(SourceError) as error:
            check_workbook_file(fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert error.value.en == f"{fifo} is not a regular file and cannot be read as a workbook."

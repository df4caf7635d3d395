"""Hostile and broken files: each refused with a clear message and exit code 3, quickly, in bounded memory.

Each case runs the real command in a child process limited to 10 s and 300 MB of address space.
"""

from __future__ import annotations

import ctypes
import io
import os
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


def run_limited(*args: str, no_root_bypass: bool = False) -> subprocess.CompletedProcess:
    """``python -m toolkit ARGS`` under the time and memory limits.

    ``no_root_bypass`` drops root's power to read any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so
    file permissions apply as they do for a school's ordinary user.
    """

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
        if no_root_bypass and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
                libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True,
                          timeout=LIMIT_SECONDS, preexec_fn=limits, env=env, cwd="/")


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
    "zip bomb": (lambda t: zip_bomb(t / "bomb.xlsx"),
                 "bomb.xlsx bất thường (giải nén quá lớn so với kích thước tệp): từ chối mở để an toàn."),
    "entity bomb": (entity_bomb, "entities.xlsx chứa XML không an toàn (khai báo entity/DTD): từ chối mở. "
                                 "Hãy mở bằng Excel và lưu lại."),
    "old .xls": (lambda t: _ole(t / "cu.xls"),
                 "cu.xls là tệp Excel cũ (.xls): hãy mở và lưu lại dạng .xlsx."),
    "password": (lambda t: encrypted(t / "matkhau.xlsx"),
                 "matkhau.xlsx được đặt mật khẩu: hãy gỡ mật khẩu rồi lưu lại dạng .xlsx."),
    "csv renamed": (lambda t: _write(t / "bang.xlsx", "STT;Tên hoạt động\n1;Lễ phát động\n".encode()),
                    "bang.xlsx không phải bảng tính .xlsx (nội dung dạng CSV); hãy mở bằng Excel và lưu dạng .xlsx."),
    "pdf renamed": (lambda t: _write(t / "kehoach.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
                    "kehoach.xlsx không phải bảng tính .xlsx (nội dung dạng PDF); "
                    "hãy mở bằng Excel và lưu dạng .xlsx."),
    "docx renamed": (lambda t: docx_renamed(t / "vanban.xlsx"),
                     "vanban.xlsx không phải bảng tính Excel (.xlsx): có thể là tệp Word hay tệp nén khác."),
    "truncated": (lambda t: _write(t / "cut.xlsx", write_workbook(t / "full.xlsx").read_bytes()[:5000]),
                  "cut.xlsx bị hỏng: không mở được như một bảng tính .xlsx."),
    "empty": (lambda t: _write(t / "rong.xlsx", b""), "rong.xlsx là tệp rỗng, không phải bảng tính .xlsx."),
    "folder": (lambda t: _folder(t / "thu-muc.xlsx"), "{path} là một thư mục, không phải tệp bảng tính .xlsx."),
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

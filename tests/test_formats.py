"""The same workbook saved as .xlsx, .xls (Excel 97–2003) and .ods (LibreOffice) gives the same problems and
byte-identical documents. The .xls and .ods files are made at test time by LibreOffice Calc, as a school's
machine would save them."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.styles import Font
from test_hostile import run_limited, zip_bomb

from cases import build_case_b
from conftest import write_workbook
from toolkit.cli import cli
from toolkit.core.errors import SourceError
from toolkit.output.pdf import find_soffice


def _calc() -> str:
    """LibreOffice with its spreadsheet part (Calc), or a skip (a failure under CI=true)."""
    soffice = find_soffice()
    program = Path(soffice).resolve().parent if soffice else None
    if program is None or (os.name == "posix" and not list(program.glob("libsc*.so"))):
        reason = "needs LibreOffice Calc (apt-get install libreoffice-calc-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return soffice


def save_as(source: Path, kind: str) -> Path:
    """``source`` saved by LibreOffice Calc as ``kind`` (``xls`` or ``ods``) beside it."""
    soffice = _calc()
    with tempfile.TemporaryDirectory(prefix="toolkit-calc-") as work:
        filters = {"xls": "xls:MS Excel 97", "ods": "ods"}
        run = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(work, 'p').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                filters[kind],
                "--outdir",
                str(source.parent),
                str(source),
            ],
            capture_output=True,
            timeout=180,
            env={**os.environ, "HOME": work},
        )
    target = source.with_suffix(f".{kind}")
    assert target.is_file(), run.stderr.decode(errors="replace")
    return target


def run_json(source: Path, out: Path) -> dict:
    result = CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(out), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    return {"problems": data["problems"], "stats": data["stats"], "valid": data["valid"]}


@pytest.mark.parametrize("build", ["example", "case-b"])
def test_xls_and_ods_give_the_same_problems_and_identical_documents(tmp_path, build) -> None:
    if build == "example":  # with a few problems, so that cells are compared too
        xlsx = write_workbook(
            tmp_path / "truong.xlsx",
            {("Hoạt động", "E7"): "31/11/2023", ("Hoạt động", "T2"): None, ("Hoạt động", "C8"): "Tọa đàm"},
        )
    else:
        xlsx = build_case_b(tmp_path / "truong.xlsx")
    results = {}
    for kind in ("xlsx", "xls", "ods"):
        source = xlsx if kind == "xlsx" else save_as(xlsx, kind)
        results[kind] = run_json(source, tmp_path / f"out-{kind}")
        if build == "case-b":  # the run's "today" is the real one: documents need a valid run
            CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(tmp_path / f"docs-{kind}"), "--force"])
    assert results["xls"] == results["xlsx"] == results["ods"]
    if build == "example":
        assert {p["cell"] for p in results["xlsx"]["problems"]} >= {"E7", "T2", "C8"}
        CliRunner().invoke(cli, ["sync-and-report", str(xlsx), "-o", str(tmp_path / "docs-xlsx"), "--force"])
        for kind in ("xls", "ods"):
            CliRunner().invoke(
                cli,
                ["sync-and-report", str(xlsx.with_suffix(f".{kind}")), "-o", str(tmp_path / f"docs-{kind}"), "--force"],
            )
    reference = sorted((tmp_path / "docs-xlsx").rglob("*.docx"))
    assert len(reference) == 2
    for kind in ("xls", "ods"):
        other = sorted((tmp_path / f"docs-{kind}").rglob("*.docx"))
        assert [p.name for p in other] == [p.name for p in reference]
        assert all(a.read_bytes() == b.read_bytes() for a, b in zip(reference, other, strict=True)), kind


def test_tcvn3_text_in_an_xls_is_found_by_its_font_and_reaches_the_documents(tmp_path) -> None:
    xlsx = write_workbook(
        tmp_path / "cu.xlsx",
        {("Hoạt động", "B3"): "Treo b¨ng r«n h­ëng øng Th¸ng hµnh ®éng", ("Hoạt động", "G5"): "B×nh An"},
    )
    book = load_workbook(xlsx)
    for cell in ("B3", "G5"):
        book["Hoạt động"][cell].font = Font(name=".VnTime")
    book.save(xlsx)
    xls = save_as(xlsx, "xls")
    result = CliRunner().invoke(cli, ["sync-and-report", str(xls), "-o", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(p["code"], p["cell"]) for p in data["problems"]] == [("legacy-encoding", "B3"), ("legacy-encoding", "G5")]
    plan = next(Path(p) for p in data["outputs"] if Path(p).name.startswith("KH-"))
    with zipfile.ZipFile(plan) as package:
        text = package.read("word/document.xml").decode()
    assert "Treo băng rôn hưởng ứng Tháng hành động" in text


def _ods_with(tmp_path: Path, name: str, change: dict[str, bytes]) -> Path:
    ods = save_as(write_workbook(tmp_path / "goc.xlsx"), "ods")
    target = tmp_path / name
    with zipfile.ZipFile(ods) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.namelist():
            new.writestr(member, change.get(member, old.read(member)))
    return target


def test_hostile_ods_and_xls_are_refused_like_xlsx(tmp_path) -> None:
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;">]>'
        b"<office:document-content>&lol1;</office:document-content>"
    )
    cases = {
        "entities.ods": (_ods_with(tmp_path, "entities.ods", {"content.xml": entity}), "holds unsafe XML"),
        "locked.ods": (
            _ods_with(
                tmp_path,
                "locked.ods",
                {"META-INF/manifest.xml": b"<manifest:manifest><manifest:encryption-data/></manifest:manifest>"},
            ),
            "is password-protected",
        ),
        "cut.ods": (None, "is damaged"),
        "cut.xls": (None, "the .xls file is damaged"),
        "bomb.ods": (None, "is abnormal"),
    }
    good = save_as(write_workbook(tmp_path / "nguon.xlsx"), "ods")
    (tmp_path / "cut.ods").write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    xls = save_as(write_workbook(tmp_path / "nguon2.xlsx"), "xls")
    (tmp_path / "cut.xls").write_bytes(xls.read_bytes()[:9000])
    bomb = zip_bomb(tmp_path / "bomb.ods")
    with zipfile.ZipFile(bomb, "a") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<x/>")
    for name, (path, message) in cases.items():
        path = path or tmp_path / name
        run = run_limited("check", str(path), "--lang", "en")
        assert run.returncode == 3, (name, run.stderr)
        assert message in run.stderr, (name, run.stderr)


def test_an_xlsx_under_any_name_is_read(tmp_path) -> None:
    source = write_workbook(tmp_path / "x.xlsx")
    for name in ("so-theo-doi", "mau.xltx", "SO.XLSX"):
        copy = tmp_path / name
        copy.write_bytes(source.read_bytes())
        result = CliRunner().invoke(cli, ["check", str(copy), "-q"])
        assert result.exit_code == 0, (name, result.output)


@pytest.mark.parametrize("attack", ["after a long comment", "in UTF-16"])
def test_an_ods_dtd_is_refused_wherever_and_however_it_is_written(tmp_path, attack) -> None:
    """The .ods parts go through the .xlsx scan: a DTD behind a 5 kB comment, or in a UTF-16 content.xml, is
    refused (a look at the first 4 kB in UTF-8 let both through)."""
    from toolkit.sources.xlsx import check_workbook_file

    dtd = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;">]>'
    body = "<office:document-content>&lol1;</office:document-content>"
    if attack == "in UTF-16":
        content = f'<?xml version="1.0" encoding="UTF-16"?>{dtd}{body}'.encode("utf-16")
    else:
        content = f'<?xml version="1.0"?><!--{"x" * 5000}-->{dtd}{body}'.encode()
    path = tmp_path / "entities.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", content)
    with pytest.raises(SourceError) as error:
        check_workbook_file(path)
    assert "holds unsafe XML" in error.value.en

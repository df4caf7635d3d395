"""Output files: safe names, atomic writes, earlier versions kept in history/."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from toolkit.model import Settings
from toolkit.output import UNCHANGED, WRITTEN, document_paths, write_file


def test_same_bytes_are_not_rewritten(tmp_path) -> None:
    target = tmp_path / "2023" / "KH.docx"
    assert write_file(target, b"one") == WRITTEN
    assert write_file(target, b"one") == UNCHANGED
    assert not (tmp_path / "2023" / "history").exists()


def test_changed_content_keeps_the_old_file_in_history(tmp_path) -> None:
    target = tmp_path / "KH.docx"
    write_file(target, b"first")
    write_file(target, b"second")
    write_file(target, b"third")
    assert target.read_bytes() == b"third"
    kept = sorted((tmp_path / "history").iterdir())
    assert sorted(p.read_bytes() for p in kept) == [b"first", b"second"]
    assert all(p.name.startswith("KH-") and p.suffix == ".docx" for p in kept)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_example_paths() -> None:
    settings = Settings(unit_abbr="THBA", year=2023, campaign="Tháng hành động vì bình đẳng giới và phòng ngừa")
    plan, report = document_paths(settings, "output")
    assert plan == Path("output/2023/KH-THBA-thang-hanh-dong-vi-binh-dang-gioi.docx")
    assert report == Path("output/2023/BC-THBA-thang-hanh-dong-vi-binh-dang-gioi.docx")


@given(st.text(), st.text(), st.one_of(st.none(), st.integers()))
def test_paths_never_leave_the_output_folder(abbr: str, campaign: str, year: int | None) -> None:
    out = Path("/srv/output")
    for path in document_paths(Settings(unit_abbr=abbr, campaign=campaign, year=year), out):
        assert path.resolve().parent.parent == out
        assert path.name.isascii() and len(path.name) < 80
        assert path.name[:3] in ("KH-", "BC-") and path.suffix == ".docx"


def test_temporary_files_left_by_a_killed_run_are_cleaned(tmp_path) -> None:
    import os
    import time

    old = tmp_path / ".KH-abc123.tmp"
    young = tmp_path / ".KH-def456.tmp"
    other = tmp_path / ".BC-abc123.tmp"
    for leftover in (old, young, other):
        leftover.write_bytes(b"half a docum")
    past = time.time() - 3600
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    write_file(tmp_path / "KH.docx", b"whole")
    assert not old.exists() and young.exists() and other.exists()

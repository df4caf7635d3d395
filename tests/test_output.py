"""Output files: safe names, atomic writes, earlier versions kept in history/."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.core.errors import OutputError
from toolkit.output.naming import campaign_slug, document_paths
from toolkit.output.write import UNCHANGED, WRITTEN, versions, write_file
from toolkit.workbook.model import Settings


def test_same_bytes_are_not_rewritten(tmp_path) -> None:
    target = tmp_path / "2023" / "KH.docx"
    assert write_file(target, b"one").status == WRITTEN
    assert write_file(target, b"one").status == UNCHANGED
    assert not (tmp_path / "2023" / "history").exists()


def test_changed_content_keeps_the_old_file_in_history(tmp_path) -> None:
    target = tmp_path / "KH.docx"
    write_file(target, b"first")
    write_file(target, b"second")
    write_file(target, b"third")
    assert target.read_bytes() == b"third"
    kept = sorted((tmp_path / "history").glob("*.docx"))
    assert sorted(p.read_bytes() for p in kept) == [b"first", b"second"]
    assert all(p.name.startswith("KH-") and p.suffix == ".docx" for p in kept)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_example_paths() -> None:
    settings = Settings(unit_abbr="THBA", year=2023, campaign="Tháng hành động vì bình đẳng giới và phòng ngừa")
    plan, report = document_paths(settings, "output")
    assert plan == Path("output/2023/KH-THBA-thang-hanh-dong-vi-binh-dang-gioi-332011.docx")
    assert report == Path("output/2023/BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-332011.docx")


@given(st.text(), st.text(), st.one_of(st.none(), st.integers()))
def test_paths_never_leave_the_output_folder(abbr: str, campaign: str, year: int | None) -> None:
    out = Path("/srv/output")
    for path in document_paths(Settings(unit_abbr=abbr, campaign=campaign, year=year), out):
        assert path.resolve().parent.parent == out
        assert path.name.isascii() and len(path.name) < 80
        assert path.name[:3] in ("KH-", "BC-") and path.suffix == ".docx"
        for part in (path.parent.name, path.name):  # valid on NTFS too
            assert not set(part) & set('<>:"/\\|?*') and part[-1] not in ". "
            assert part.split(".")[0].upper() not in WINDOWS_RESERVED


WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


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


# -- round 2: races, links, retention, names, modes -------------------------------------------------------

WRITER = """
import os, sys
from pathlib import Path
if sys.argv[4] == "nolinks":  # a file system without hard links (FAT, SMB shares)
    def no_link(*args, **kwargs):
        raise OSError(1, "Operation not permitted")
    os.link = no_link
from toolkit.output.write import write_file
target, writer, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(count):
    result = write_file(target, f"writer {writer} version {n}".encode(), keep=100_000)
    assert result.status == "written"
"""


@pytest.mark.parametrize("links", ["links", "nolinks"])
def test_concurrent_writers_lose_no_version(tmp_path, links) -> None:
    import subprocess
    import sys

    target = tmp_path / "2023" / "KH-THBA-x.docx"
    writers, each = 8, 125
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    children = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(w), str(each), links], env=env)
        for w in range(writers)
    ]
    assert all(child.wait(timeout=600) == 0 for child in children)
    found = [target.read_bytes(), *(p.read_bytes() for p in (target.parent / "history").glob("*.docx"))]
    expected = {f"writer {w} version {n}".encode() for w in range(writers) for n in range(each)}
    assert len(expected) == writers * each >= 1000
    assert set(found) == expected and len(found) == len(expected)


def test_a_dangling_link_at_the_next_history_name_is_never_followed(tmp_path) -> None:
    import datetime as dt

    target = tmp_path / "KH.docx"
    write_file(target, b"first")
    stamp = dt.datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    outside = tmp_path / "outside" / "planted.docx"
    outside.parent.mkdir()
    (tmp_path / "history").mkdir()
    (tmp_path / "history" / f"KH-{stamp}.docx").symlink_to(outside)
    write_file(target, b"second")
    assert not outside.exists()
    assert (tmp_path / "history" / f"KH-{stamp}-1.docx").read_bytes() == b"first"


def test_a_linked_document_or_history_folder_is_refused(tmp_path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"secret")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "KH.docx").symlink_to(outside)
    with pytest.raises(OutputError, match="symlink"):
        write_file(folder / "KH.docx", b"document")
    assert outside.read_bytes() == b"secret" and not (folder / "history").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "history").symlink_to(elsewhere)
    write_file(folder / "BC.docx", b"one")
    with pytest.raises(OutputError, match="symlink"):
        write_file(folder / "BC.docx", b"two")
    assert list(elsewhere.iterdir()) == [] and (folder / "BC.docx").read_bytes() == b"one"


def test_history_keeps_each_content_once_and_the_newest_versions(tmp_path) -> None:
    target = tmp_path / "KH.docx"
    for run in range(50):  # two workbooks alternating
        write_file(target, b"A" if run % 2 else b"B")
    assert sorted(p.read_bytes() for p in (tmp_path / "history").glob("*.docx")) == [b"A", b"B"]
    for n in range(30):
        write_file(target, f"version {n}".encode(), keep=5)
    kept = versions(target)
    assert [p.read_bytes() for p in kept] == [f"version {n}".encode() for n in range(24, 29)]


def test_history_command_lists_and_trims(tmp_path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli

    target = tmp_path / "2023" / "KH.docx"
    for n in range(6):
        write_file(target, f"v{n}".encode())
    before = versions(target)
    listed = CliRunner().invoke(cli, ["history", "-o", str(tmp_path), "--keep", "3", "--lang", "en"])
    assert listed.exit_code == 0, listed.output
    assert f"{target}  (3 earlier version(s))" in listed.output
    assert [p.read_bytes() for p in versions(target)] == [b"v2", b"v3", b"v4"]
    assert listed.stderr.splitlines() == [
        f"Deleted {old} (only the newest 3 versions are kept, --keep)." for old in before[:2]
    ]  # the two oldest, each named
    again = CliRunner().invoke(cli, ["history", "-o", str(tmp_path), "--keep", "3", "--lang", "en"])
    assert again.exit_code == 0 and again.stderr == ""  # nothing more to delete, nothing said


def test_two_campaigns_never_share_a_file_name_and_names_are_stable() -> None:
    names = [
        "Tuần lễ hưởng ứng học tập suốt đời - đợt 1",
        "Tuần lễ hưởng ứng học tập suốt đời - đợt 2",
        "学习周",
        "学习月",
        "Tháng an toàn giao thông",
    ]
    slugs = [campaign_slug(n) for n in names]
    assert len(set(slugs)) == len(slugs)
    assert slugs == [campaign_slug(n) for n in names]
    assert slugs[-1] == "thang-an-toan-giao-thong"  # a short name stays readable


def test_files_get_the_usual_mode(tmp_path) -> None:
    previous = os.umask(0o022)
    try:
        target = tmp_path / "KH.docx"
        write_file(target, b"one")
        write_file(target, b"two")
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "history").glob("*.docx").__next__().stat().st_mode & 0o777 == 0o644


def test_a_hand_edited_document_is_kept_and_the_command_says_where(tmp_path) -> None:
    from click.testing import CliRunner

    from conftest import write_workbook
    from toolkit.cli import cli

    source = write_workbook(tmp_path / "x.xlsx")
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["report", str(source), "-o", str(out)])
    document = next((out / "2023").glob("BC-*.docx"))
    document.write_bytes(document.read_bytes() + b"\0")  # edited by hand in the meantime
    again = CliRunner().invoke(cli, ["report", str(source), "-o", str(out), "--lang", "en"])
    assert again.exit_code == 0
    kept = next((out / "2023" / "history").glob("*.docx"))
    assert f"The earlier file differed (perhaps edited by hand); it was kept at {kept}" in again.stderr


def test_a_document_changed_only_by_the_data_is_kept_without_blaming_a_hand(tmp_path) -> None:
    """The toolkit's own earlier document, replaced because the data changed, is "kept in history"; "perhaps edited
    by hand" is said only of a file that is not what the toolkit wrote there."""
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from cases import CASE_C_DAY, build_case_c, set_settings
    from toolkit.cli import cli

    source = build_case_c(tmp_path / "c.xlsx")  # an upper-secondary school, 2026
    out = tmp_path / "out"
    env = {"TOOLKIT_TODAY": CASE_C_DAY.isoformat()}
    assert CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(out)], env=env).exit_code == 0
    book = load_workbook(source)
    set_settings(book, {"Số báo cáo": 97})
    book.save(source)
    again = CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(out), "--lang", "en"], env=env)
    assert again.exit_code == 0, again.output
    (kept,) = (out / "2026" / "history").glob("BC-*.docx")
    assert f"  The earlier version was kept in history: {kept}\n" in again.stderr
    assert "perhaps edited by hand" not in again.stderr
    document = next((out / "2026").glob("BC-*.docx"))
    by_hand = document.read_bytes() + b"\0"
    document.write_bytes(by_hand)  # now someone edits it
    third = CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(out), "--lang", "en"], env=env)
    (edited,) = [p for p in (out / "2026" / "history").glob("BC-*.docx") if p.read_bytes() == by_hand]
    assert f"The earlier file differed (perhaps edited by hand); it was kept at {edited}" in third.stderr
    assert "The earlier version was kept" not in third.stderr


def test_what_the_toolkit_wrote_is_told_apart_and_a_damaged_or_linked_list_proves_nothing(tmp_path) -> None:
    target = tmp_path / "KH.docx"
    write_file(target, b"one", remember=True)
    assert write_file(target, b"two", remember=True).own  # the toolkit's own "one"
    target.write_bytes(b"two, edited")
    assert not write_file(target, b"three", remember=True).own
    listed = tmp_path / ".toolkit-written"
    listed.write_bytes(b"\xff damaged\n" + listed.read_bytes()[:20])
    assert not write_file(target, b"four", remember=True).own  # nothing says what was written: not claimed
    assert write_file(target, b"five", remember=True).own  # the list was made whole again
    outside = tmp_path / "outside.txt"
    outside.write_text(f"{hashlib.sha256(b'five').hexdigest()}  KH.docx\n")
    listed.unlink()
    listed.symlink_to(outside)
    assert not write_file(target, b"six", remember=True).own  # a planted link is not read ...
    assert outside.read_text().endswith("  KH.docx\n") and not listed.is_symlink()  # ... nor written through
    leftover = tmp_path / ".toolkit-written-killed.tmp"  # a run killed while it rewrote the list
    leftover.write_bytes(b"half")
    os.utime(leftover, (1, 1))
    write_file(target, b"seven", remember=True)
    assert not leftover.exists()
    older = tmp_path / "BC.docx"
    write_file(older, b"written before the list was kept")
    assert write_file(older, b"written before the list was kept", remember=True).status == UNCHANGED
    assert write_file(older, b"new data", remember=True).own  # the same bytes the toolkit writes: its own


def _learning_week(tmp_path: Path) -> tuple[Path, Path]:
    """Two campaigns of one school and year whose file names share a beginning."""
    first = document_paths(Settings(unit_abbr="THBA", year=2024, campaign="Tuần lễ học tập suốt đời"), tmp_path)[0]
    second = document_paths(Settings(unit_abbr="THBA", year=2024, campaign="Tuần lễ học tập suốt đời đợt 2"), tmp_path)
    assert second[0].stem.startswith(first.stem + "-")
    return first, second[0]


def test_trimming_one_campaign_never_deletes_another_campaigns_versions_or_a_users_file(tmp_path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli

    first, second = _learning_week(tmp_path)
    for n in range(4):
        write_file(second, f"second {n}".encode())
    assert [p.read_bytes() for p in versions(second)] == [b"second 0", b"second 1", b"second 2"]
    mine = first.parent / "history" / f"{first.stem}-20231201-090000.docx"
    mine.write_bytes(b"the user's own copy")
    for n in range(5):
        write_file(first, f"first {n}".encode(), keep=1)
    assert versions(first) == [mine, *versions(first)[1:]] and len(versions(first)) == 2
    assert [p.read_bytes() for p in versions(second)] == [b"second 0", b"second 1", b"second 2"]
    listed = CliRunner().invoke(cli, ["history", "-o", str(tmp_path), "--keep", "1", "--lang", "en"])
    assert listed.exit_code == 0, listed.output
    assert [p.read_bytes() for p in versions(second)] == [b"second 2"]
    assert [p.read_bytes() for p in versions(first)] == [b"the user's own copy", b"first 3"]
    assert mine.read_bytes() == b"the user's own copy"


def test_a_version_changed_after_it_was_kept_is_not_the_toolkits_to_delete(tmp_path) -> None:
    target = tmp_path / "KH.docx"
    write_file(target, b"one")
    write_file(target, b"two")
    (kept,) = versions(target)
    kept.unlink()
    kept.write_bytes(b"someone put their own file under that name")
    for n in range(3):
        write_file(target, f"v{n}".encode(), keep=1)
    assert kept.read_bytes() == b"someone put their own file under that name"


def _plant(kind: str, at: Path, outside: Path) -> None:
    if kind == "link":
        at.symlink_to(outside)
    elif kind == "fifo":
        os.mkfifo(at)
    else:
        at.mkdir()


@pytest.mark.parametrize("kind", ["link", "fifo", "folder"])
def test_a_link_fifo_or_folder_at_the_document_lock_or_history_list_is_refused(tmp_path, kind) -> None:
    import subprocess
    import sys

    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"secret")
    for name in ("KH.docx", ".toolkit.lock", "history/.toolkit-kept"):
        folder = tmp_path / name.replace("/", "-")
        folder.mkdir()
        if name != "KH.docx":
            write_file(folder / "KH.docx", b"one")
            (folder / name).unlink(missing_ok=True)  # the lock file stays after a run
            (folder / name).parent.mkdir(exist_ok=True)
        _plant(kind, folder / name, outside)
        code = (
            "import sys; from pathlib import Path; from toolkit.output.write import write_file\n"
            "from toolkit.core.errors import OutputError\n"
            "try: write_file(Path(sys.argv[1]), b'two')\nexcept OutputError as e: print(e); sys.exit(4)"
        )
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        run = subprocess.run(
            [sys.executable, "-c", code, str(folder / "KH.docx")], capture_output=True, text=True, timeout=60, env=env
        )
        assert run.returncode == 4, (name, run.stdout, run.stderr)
        assert f"{folder / name} là " in run.stdout and "không phải tệp thường" in run.stdout, run.stdout
        assert outside.read_bytes() == b"secret"
        assert (folder / name).is_symlink() if kind == "link" else (folder / name).exists()
        assert name == "KH.docx" or (folder / "KH.docx").read_bytes() == b"one"
        assert list(folder.glob("history/*.docx")) == []


def test_trimming_snapshots_keeps_another_sheets_whose_id_begins_alike(tmp_path) -> None:
    import datetime as dt

    from toolkit.sources import snapshots
    from toolkit.workbook.tables import RawSheet, RawWorkbook

    def raw(n: int) -> RawWorkbook:
        return RawWorkbook("x", [RawSheet("Thông tin", [["Mục", "Giá trị"], ["Năm", n]])])

    other = snapshots.save(raw(0), "abc-20", tmp_path, when=dt.datetime(2024, 1, 1))
    mine = snapshots.folder(tmp_path) / "abc-20240101-000000-notes.xlsx"
    mine.write_bytes(b"the user's own file")
    for n in range(1, 4):
        snapshots.save(raw(n), "abc", tmp_path, when=dt.datetime(2024, 1, 2, n), keep=1)
    assert other.is_file() and mine.is_file()
    assert [p.name for p in snapshots._all("abc", tmp_path)] == [f"abc-20240102-030000-{snapshots.digest(raw(3))}.xlsx"]


@pytest.mark.parametrize("kind", ["link", "file", "fifo"])
@pytest.mark.parametrize("at", ["out", "out/2024", "out/2024/history"])
def test_a_link_file_or_fifo_where_a_folder_is_written_is_refused(tmp_path, kind, at) -> None:
    from toolkit.core.files import refusal
    from toolkit.core.i18n import T
    from toolkit.output.write import make_folder

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "KH.docx").write_bytes(b"theirs")
    place = tmp_path / at
    place.parent.mkdir(parents=True, exist_ok=True)
    if at.endswith("history"):
        write_file(place.parent / "KH.docx", b"one")
    if kind == "link":
        place.symlink_to(elsewhere, target_is_directory=True)
    elif kind == "fifo":
        os.mkfifo(place)
    else:
        place.write_bytes(b"a file")
    errors = []
    with pytest.raises(OutputError) as refused:
        make_folder(tmp_path / "out" / "2024" / "history" / "x", under=tmp_path)
    errors.append(refused.value)
    if at != "out":  # write_file makes its file's folder under the folder above it (the one the user chose)
        with pytest.raises(OutputError) as refused:
            write_file(tmp_path / "out" / "2024" / "KH.docx", b"two")
        errors.append(refused.value)
    what = {"link": T("một liên kết (symlink)"), "fifo": T("một FIFO (đường ống có tên)")}.get(kind)
    for error in errors:
        if what is not None:
            assert str(error) == str(refusal(place, what))
        else:
            assert f"{place} là một tệp, nhưng cần là thư mục" in str(error)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["KH.docx"]
    assert (elsewhere / "KH.docx").read_bytes() == b"theirs"
    assert place.is_symlink() if kind == "link" else place.exists()


def test_make_folder_makes_each_missing_folder_and_follows_a_link_only_at_the_chosen_folder(tmp_path) -> None:
    from toolkit.output.write import make_folder

    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "chosen").symlink_to(real, target_is_directory=True)
    assert make_folder(tmp_path / "chosen" / "a" / "b", under=tmp_path / "chosen") == tmp_path / "chosen" / "a" / "b"
    assert (real / "a" / "b").is_dir()
    assert make_folder(tmp_path / "new" / "x", under=tmp_path / "new") == tmp_path / "new" / "x"
    assert (tmp_path / "new" / "x").is_dir()

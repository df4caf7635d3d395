"""``toolkit ui``'s guard, over plain HTTP against the server started as a user starts it: no token, a foreign
Host (DNS rebinding), cross-origin and forged POSTs, paths as download ids, oversized and fake uploads, and the
LAN mode's password."""

from __future__ import annotations

import html
import http.client
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from test_send import _free_port
from ui_server import Server, start_ui

from conftest import write_workbook
from toolkit.core.errors import OutputError
from toolkit.core.files import refusal
from toolkit.core.i18n import T


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("ui-security")
    process, lines = start_ui(["-o", str(folder / "output")], folder, dict(os.environ))
    match = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=[\w-]+", lines[0])
    assert match, lines
    yield Server(match.group(0), match.group(1), folder, folder)
    process.terminate()
    process.wait(10)


def _session(server: Server) -> tuple[requests.Session, str]:
    session = requests.Session()
    page = session.get(server.url, timeout=5)
    assert page.status_code == 200 and page.url == server.base + "/"
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    return session, csrf.group(1)


def test_the_page_speaks_the_browsers_language_vietnamese_first(server: Server) -> None:
    session, _ = _session(server)
    assert "Chọn sổ theo dõi" in session.get(server.base + "/", timeout=5).text
    english = session.get(server.base + "/", headers={"Accept-Language": "en-GB,en;q=0.9"}, timeout=5)
    assert "Choose the workbook" in english.text and '<html lang="en">' in english.text
    french = session.get(server.base + "/", headers={"Accept-Language": "fr-FR,fr;q=0.9,vi;q=0.5"}, timeout=5)
    assert "Chọn sổ theo dõi" in french.text


def test_no_token_no_page(server: Server) -> None:
    for path in ("/", "/check", "/documents", "/static/app.js", "/file/AAAAAAAAAAAAAAAA"):
        answer = requests.get(server.base + path, timeout=5, allow_redirects=False)
        assert answer.status_code == 403, path
        assert "toolkit ui" in answer.text
    wrong = requests.get(server.base + "/?token=nope", timeout=5, allow_redirects=False)
    assert wrong.status_code == 403 and "set-cookie" not in wrong.headers


def test_a_foreign_host_is_refused_even_with_the_token(server: Server) -> None:
    token = server.url.split("token=")[1]
    port = server.base.rsplit(":", 1)[1]
    for host in (f"evil.example:{port}", f"127.0.0.1.nip.io:{port}", "127.0.0.1:1"):
        answer = requests.get(f"{server.base}/?token={token}", headers={"Host": host}, timeout=5)
        assert answer.status_code == 421, host
    session, _ = _session(server)
    assert session.get(server.base + "/", headers={"Host": f"evil.example:{port}"}, timeout=5).status_code == 421


def test_a_cross_origin_or_forged_post_changes_nothing(server: Server) -> None:
    session, csrf = _session(server)
    chosen = write_workbook(server.folder / "so.xlsx")
    origin = {"Origin": server.base}
    first = session.post(server.base + "/choose", data={"csrf": csrf, "spec": str(chosen)}, headers=origin, timeout=5)
    assert first.status_code == 200 and first.url == server.base + "/check"
    before = (server.folder / "output" / ".ui" / "recent-school.json").read_bytes()
    for headers, data in (
        ({"Origin": "http://evil.example"}, {"csrf": csrf, "spec": "x.xlsx"}),
        ({}, {"csrf": csrf, "spec": "x.xlsx"}),  # no Origin at all
        ({"Origin": server.base}, {"csrf": "forged", "spec": "x.xlsx"}),
        ({"Origin": server.base}, {"spec": "x.xlsx"}),
    ):
        answer = session.post(server.base + "/choose", data=data, headers=headers, timeout=5, allow_redirects=False)
        assert answer.status_code == 403, headers
    assert (server.folder / "output" / ".ui" / "recent-school.json").read_bytes() == before


def test_downloads_only_by_id_never_by_path(server: Server) -> None:
    session, _ = _session(server)
    secret = server.folder / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    for ident in ("..%2Fsecret.txt", "%2e%2e%2f%2e%2e%2fsecret.txt", str(secret), "AAAAAAAAAAAAAAAA", "a" * 200):
        answer = session.get(f"{server.base}/file/{ident}", timeout=5)
        assert answer.status_code == 404, ident
        assert "not for the web" not in answer.text


def test_uploads_are_checked_as_the_cli_checks_files(server: Server) -> None:
    session, csrf = _session(server)
    origin = {"Origin": server.base}
    fake = session.post(
        server.base + "/choose",
        data={"csrf": csrf},
        files={"workbook": ("bao-cao.xlsx", b"%PDF-1.4 not a workbook", "application/octet-stream")},
        headers=origin,
        timeout=5,
    )
    assert fake.status_code == 400
    assert "bao-cao.xlsx không phải bảng tính (nội dung dạng PDF)" in fake.text
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    big = http.client.HTTPConnection(server.base.removeprefix("http://"), timeout=5)
    big.putrequest("POST", "/choose")  # a length past the limit: refused before the body is read
    for name, value in {**origin, "Cookie": cookie, "Content-Length": str(31 << 20)}.items():
        big.putheader(name, value)
    big.endheaders()
    answer = big.getresponse()
    assert answer.status == 413
    _refused_on_the_page(answer.read().decode("utf-8"))  # was the bare text alone
    stranger = requests.post(server.base + "/choose", data=b"x" * (31 << 20), headers=origin, timeout=30)
    assert (stranger.status_code, stranger.text) == (413, "Tệp quá lớn (tối đa 30 MB).")  # no page without the cookie
    head = b'--x\r\nContent-Disposition: form-data; name="workbook"; filename="big.xlsx"\r\n\r\n'
    chunks = session.post(  # no length given: the body is cut off once past the limit
        server.base + "/choose",
        data=iter([head, *(b"x" * (1 << 20) for _ in range(32))]),
        headers={**origin, "Content-Type": "multipart/form-data; boundary=x"},
        timeout=30,
    )
    assert chunks.status_code == 413
    _refused_on_the_page(chunks.text)


def test_a_refused_upload_is_named_as_the_clerk_named_it(server: Server) -> None:
    import io
    import zipfile

    session, csrf = _session(server)
    word = io.BytesIO()
    with zipfile.ZipFile(word, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
    for name, data, expected in (
        ("bao cao.docx", word.getvalue(), "không phải bảng tính (.xlsx, .xls, .ods): có thể là tệp Word"),
        ("Sổ theo dõi.xlsx", b"", "là tệp rỗng, không phải bảng tính."),
    ):
        answer = session.post(
            server.base + "/choose",
            data={"csrf": csrf},
            files={"workbook": (name, data, "application/octet-stream")},
            headers={"Origin": server.base},
            timeout=5,
        )
        assert answer.status_code == 400
        said = re.search(r'<p class="alert error" id="error">([^<]*)</p>', answer.text)
        assert said, answer.text
        assert said.group(1).startswith(f"{name} {expected}"), said.group(1)  # was "bao-cao.docx.xlsx không …"


def test_the_link_box_says_what_it_takes_and_a_text_that_is_neither_is_told_so(server: Server) -> None:
    session, csrf = _session(server)
    home = session.get(server.base + "/", timeout=5).text
    assert "Google Sheet, hoặc sổ trên máy này" in home  # was "Google Sheet" alone, though it takes paths too
    assert "hoặc gõ đường dẫn tới sổ theo dõi trên máy này" in home
    for typed in ("so-theo-doi-sai-ten.xlsx", "C:\\Users\\Thu\\Desktop\\so.xlsx", "bao cao thang 12"):
        answer = session.post(
            server.base + "/choose", data={"csrf": csrf, "spec": typed}, headers={"Origin": server.base}, timeout=5
        )
        assert answer.status_code == 400
        said = re.search(r'<p class="alert error" id="error">([^<]*)</p>', answer.text)
        assert said and html.unescape(said.group(1)) == (  # was "Không tìm thấy tệp so-theo-doi-sai-ten.xlsx."
            f'Không thấy "{typed}": ô này nhận đường dẫn của một Google Sheet '
            "(https://docs.google.com/spreadsheets/d/…) hoặc đường dẫn tới một sổ theo dõi có trên máy này. "
            'Sổ để ở nơi khác thì hãy tải tệp lên ở ô "Tệp trên máy".'
        ), answer.text
    chosen = session.post(  # a path to a workbook on this computer opens it
        server.base + "/choose",
        data={"csrf": csrf, "spec": str(write_workbook(server.folder / "tren-may.xlsx"))},
        headers={"Origin": server.base},
        timeout=5,
    )
    assert chosen.status_code == 200 and chosen.url == server.base + "/check"


def _refused_on_the_page(page: str) -> None:
    """An upload past the limit refused as the other refusals are: in words on the choose page, with the menu."""
    assert '<p class="alert error" id="error">Tệp quá lớn (tối đa 30 MB).</p>' in page
    assert "<nav>" in page and 'id="upload-form"' in page and '<link rel="stylesheet" href="/static/app.css">' in page


def test_on_a_lan_a_password_printed_once_and_the_page_in_english(tmp_path) -> None:
    port = _free_port()
    process, lines = start_ui(["--host", "0.0.0.0", "--port", str(port), "--lang", "en"], tmp_path, dict(os.environ))
    try:
        base = f"http://127.0.0.1:{port}"
        assert lines[0].startswith("The toolkit's page: ") and lines[1].startswith("Password (printed only once")
        assert f"http://0.0.0.0:{port}/" in lines[0] and "token" not in lines[0]
        password = lines[1].rsplit(": ", 1)[1].strip()
        assert len(password) >= 12
        session = requests.Session()
        first = session.get(base + "/", timeout=5)
        assert first.url == base + "/login" and 'type="password"' in first.text and "Password" in first.text
        origin = {"Origin": base}
        wrong = session.post(base + "/login", data={"password": "guess"}, headers=origin, timeout=5)
        assert wrong.status_code == 403 and not session.cookies
        foreign = session.post(base + "/login", data={"password": password}, headers={"Origin": "http://evil"})
        assert foreign.status_code == 403 and not session.cookies
        page = session.post(base + "/login", data={"password": password}, headers=origin, timeout=5)
        assert page.status_code == 200 and "Choose the workbook" in page.text and "Recently opened" not in page.text
        rebound = session.get(base + "/", headers={"Host": f"evil.example:{port}"}, timeout=5)
        assert rebound.status_code == 421
        process.terminate()
        rest = process.communicate(timeout=10)[0]
        assert password not in rest  # printed once
    finally:
        process.kill()


def test_old_uploads_are_removed_the_recent_ones_kept_and_links_never_followed(tmp_path, monkeypatch) -> None:
    from toolkit.sources import LOCAL, Source
    from toolkit.ui import workspace
    from toolkit.ui.workspace import Workspace

    space = Workspace(tmp_path / "output")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "so.xlsx").write_bytes(b"not the page's")
    hour_ago = time.time() - 3600
    made = []
    for n in range(12):
        path = space.upload_path(f"so-{n}.xlsx")
        path.write_bytes(b"x" * 1000)
        (path.parent / "lien-ket").symlink_to(outside / "so.xlsx")  # a link inside: removed as a link
        space.uploaded(path)
        os.utime(path.parent, (hour_ago + n, hour_ago + n))
        made.append(path.parent)
    uploads = space.folder / "uploads"
    (uploads / "0-lien-ket").symlink_to(outside, target_is_directory=True)  # a link among them: never followed
    for n in (3, 9, 10, 11):
        space.remember(str(made[n] / f"so-{n}.xlsx"), f"so-{n}.xlsx")
    writing = space.upload_path("dang-tai.xlsx").parent  # being uploaded now (old time, but not finished)
    os.utime(writing, (hour_ago, hour_ago))
    fresh = space.upload_path("vua-tai.xlsx")
    space.uploaded(fresh)  # just uploaded, not yet in the recent list

    removed = space.prune_uploads()
    assert sorted(removed) == sorted([*(made[n] for n in range(12) if n not in (3, 9, 10, 11)), uploads / "0-lien-ket"])
    assert sorted(p for p in uploads.iterdir()) == sorted([made[3], made[9], made[10], made[11], writing, fresh.parent])
    assert (outside / "so.xlsx").read_bytes() == b"not the page's" and outside.is_dir()

    # Bounded in size too: the newest named uploads first, the chosen workbook's always.
    monkeypatch.setattr(workspace, "UPLOADS_BYTES", 2500)
    space.source = Source(LOCAL, str(made[3] / "so-3.xlsx"), "so-3.xlsx")
    assert sorted(space.prune_uploads()) == [made[9]]
    assert all(p.is_dir() for p in (made[3], made[10], made[11], writing, fresh.parent))


def test_an_upload_through_the_page_prunes_the_old_ones(server: Server) -> None:
    session, csrf = _session(server)
    old = server.folder / "output" / ".ui" / "uploads" / "20200101-000000-abcdef"
    old.mkdir(parents=True)
    (old / "cu.xlsx").write_bytes(b"x")
    os.utime(old, (0, 0))
    workbook = write_workbook(server.folder / "moi.xlsx")
    answer = session.post(
        server.base + "/choose",
        data={"csrf": csrf},
        files={"workbook": ("moi.xlsx", workbook.read_bytes(), "application/octet-stream")},
        headers={"Origin": server.base},
        timeout=30,
    )
    assert answer.status_code == 200 and answer.url == server.base + "/check"
    left = list((server.folder / "output" / ".ui" / "uploads").iterdir())
    assert not old.exists() and [p.name for p in left for p in p.iterdir()] == ["moi.xlsx"]


def _plant(kind: str, at: Path, elsewhere: Path) -> None:
    at.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link":
        at.symlink_to(elsewhere, target_is_directory=True)
    elif kind == "fifo":
        os.mkfifo(at)
    else:
        at.write_bytes(b"a file")


def _refused(error: OutputError, at: Path, kind: str) -> bool:
    what = {"link": T("một liên kết (symlink)"), "fifo": T("một FIFO (đường ống có tên)")}.get(kind)
    if what is None:
        return f"{at} là một tệp, nhưng cần là thư mục" in str(error)
    return str(error) == str(refusal(at, what))


def _elsewhere(tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "trang-1.png").write_bytes(b"their picture")
    return elsewhere


def _untouched(elsewhere: Path) -> bool:
    return [p.name for p in elsewhere.iterdir()] == ["trang-1.png"] and (
        elsewhere / "trang-1.png"
    ).read_bytes() == b"their picture"


@pytest.mark.parametrize("kind", ["link", "file", "fifo"])
@pytest.mark.parametrize("at", [".ui", ".ui/pages", ".ui/pages/plan"])
def test_page_pictures_never_go_through_a_link_file_or_fifo(tmp_path, kind, at) -> None:
    from toolkit.ui.work import page_pictures

    output, elsewhere = tmp_path / "output", _elsewhere(tmp_path)
    _plant(kind, output / at, elsewhere)
    with pytest.raises(OutputError) as refused:
        page_pictures(tmp_path / "KH.pdf", output / ".ui" / "pages" / "plan", under=output)
    assert _refused(refused.value, output / at, kind), str(refused.value)
    assert _untouched(elsewhere)  # before: pictures written there and its trang-*.png deleted


@pytest.mark.parametrize("kind", ["link", "file", "fifo"])
@pytest.mark.parametrize("at", [".ui", ".ui/pages", ".ui/pages/plan-ky-so"])
def test_the_signed_page_picture_never_goes_through_a_link_file_or_fifo(tmp_path, monkeypatch, kind, at) -> None:
    import shutil
    from types import SimpleNamespace

    from toolkit.signing import block
    from toolkit.ui.signing import signed_page

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    monkeypatch.setattr(block, "find_block", lambda pdf: SimpleNamespace(page=0))
    output, elsewhere = tmp_path / "output", _elsewhere(tmp_path)
    (tmp_path / "KH.pdf").write_bytes(b"%PDF-1.7")
    _plant(kind, output / at, elsewhere)
    with pytest.raises(OutputError) as refused:
        signed_page(tmp_path / "KH.pdf", output / ".ui" / "pages" / "plan-ky-so", under=output)
    assert _refused(refused.value, output / at, kind), str(refused.value)
    assert _untouched(elsewhere)


@pytest.mark.parametrize("kind", ["link", "file", "fifo"])
@pytest.mark.parametrize("at", [".ui", ".ui/uploads"])
def test_an_upload_never_goes_through_a_link_file_or_fifo(tmp_path, kind, at) -> None:
    from toolkit.ui.workspace import Workspace

    output, elsewhere = tmp_path / "output", _elsewhere(tmp_path)
    _plant(kind, output / at, elsewhere)
    with pytest.raises(OutputError) as refused:
        Workspace(output).upload_path("so.xlsx")
    assert _refused(refused.value, output / at, kind), str(refused.value)
    assert _untouched(elsewhere)


@pytest.mark.parametrize("kind", ["link", "folder", "fifo"])
@pytest.mark.parametrize("page", ["choose", "rollup"])
def test_a_recent_list_that_is_no_file_is_said_on_the_page_not_a_bare_500(server: Server, kind, page) -> None:
    session, csrf = _session(server)
    workbook = write_workbook(server.folder / f"so-{kind}.xlsx")
    recent = server.folder / "output" / ".ui" / ("recent-school.json" if page == "choose" else "recent-rollup.json")
    recent.parent.mkdir(parents=True, exist_ok=True)
    recent.unlink(missing_ok=True)
    elsewhere = server.folder / "elsewhere.json"
    elsewhere.write_text("[]")
    if kind == "link":
        recent.symlink_to(elsewhere)
    elif kind == "fifo":
        os.mkfifo(recent)
    else:
        recent.mkdir()
    try:
        answer = session.post(
            server.base + "/" + page,
            data={"csrf": csrf, "spec": str(workbook)},
            headers={"Origin": server.base},
            timeout=30,
        )
        assert answer.status_code == 400 and answer.url == server.base + "/" + page, answer.text
        assert "không phải tệp thường" in answer.text and 'id="error"' in answer.text
        assert elsewhere.read_text() == "[]"
    finally:
        recent.rmdir() if kind == "folder" else recent.unlink()


@pytest.mark.parametrize("content", [b"5", b'{"spec": "x"}', b'"so.xlsx"', b"null", b"\xff\xfe", b"[1, {}]"])
def test_a_recent_list_that_is_no_list_reads_as_none(tmp_path, content) -> None:
    from toolkit.ui.workspace import Workspace

    space = Workspace(tmp_path / "output")
    space.folder.mkdir(parents=True)
    (space.folder / "recent-school.json").write_bytes(content)
    assert space.recent() == []
    space.remember("so.xlsx", "so.xlsx")
    assert [d["spec"] for d in space.recent()] == ["so.xlsx"]


def test_the_page_shows_the_workbooks_unit_under_the_seal_as_toolkit_sign_source_does(tmp_path) -> None:
    """``toolkit sign SOURCE`` writes the issuing body as the documents write it under the seal; the page's
    request carries the same name (it left the certificate's before)."""
    from toolkit.signing.sign import workbook_names
    from toolkit.ui.signing import _request
    from toolkit.workbook.model import Settings

    names = workbook_names(Settings(unit="TRƯỜNG MẦM NON HOA SEN", signer_name="Phan Thị Hồng"))
    request, _ = _request({}, tmp_path, {}, names)
    assert request.organisation_name == "Trường Mầm non Hoa Sen"
    assert _request({}, tmp_path, {}, {})[0].organisation_name is None  # no workbook: the certificate's name

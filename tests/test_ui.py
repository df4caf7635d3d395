"""``toolkit ui`` in a real browser: Debian's headless Chromium driven by Selenium, against the server started
as a user starts it (``python -m toolkit ui --no-browser``), a real SMTP server (aiosmtpd, STARTTLS) on
127.0.0.1, and a 20-school roll-up. Each step's screenshot goes to ``docs/ui/`` (shown in the README and
``docs/ui.md``). The security cases use plain HTTP requests against the same server."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from cases import replace_rows
from conftest import write_workbook
from toolkit.cli import cli

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from test_send import PASSWORD, USER, Mailbox, _authenticator, _certificate, _free_port  # noqa: E402

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver")
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "ui"
EXAMPLE_REPORT = "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"
PLANTED = {("Hoạt động", "E7"): "31/11/2023", ("Hoạt động", "T3"): None, ("Hoạt động", "Q4"): "nhiều"}


@dataclass
class Server:
    """The running ``toolkit ui``: its address (with the token), its base, folders and the mailbox."""

    url: str
    base: str
    folder: Path
    downloads: Path
    mailbox: Mailbox


def start(args: list[str], folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen, list[str]]:
    """``python -m toolkit ui --no-browser ARGS`` in ``folder``: the process and the lines it printed first."""
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "ui", "--no-browser", *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline()]
    if "0.0.0.0" in args:
        lines.append(process.stdout.readline())
    base = re.search(r"http://[\d.]+:\d+", lines[0])
    assert base, lines
    for _ in range(100):  # the address is printed just before the server listens
        try:
            requests.get(base.group(0).replace("0.0.0.0", "127.0.0.1"), timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.05)
    return process, lines


@pytest.fixture(scope="module")
def server(tmp_path_factory, sheets) -> Iterator[Server]:
    """``toolkit ui`` as a user starts it, with SMTP settings for a local aiosmtpd and a service-account key
    for the Sheets emulator."""
    from aiosmtpd.controller import Controller

    folder = tmp_path_factory.mktemp("ui")
    cert, key = _certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Mailbox()
    smtp = Controller(
        box,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=_authenticator,
        tls_context=context,
        require_starttls=True,
    )
    smtp.start()
    env = {
        **os.environ,
        "TOOLKIT_SMTP_HOST": "localhost",
        "TOOLKIT_SMTP_PORT": str(smtp.port),
        "TOOLKIT_SMTP_USER": USER,
        "TOOLKIT_SMTP_PASSWORD": PASSWORD,
        "TOOLKIT_SMTP_CAFILE": str(cert),
        "TOOLKIT_SMTP_TIMEOUT": "5",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "TOOLKIT_SHEETS_API": sheets.url,
        "GOOGLE_APPLICATION_CREDENTIALS": str(sheets.key_file(folder / "key.json")),
        "NO_PROXY": "127.0.0.1,localhost",
    }
    process, lines = start(["--lang", "vi", "-o", str(folder / "output")], folder, env)
    match = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=[\w-]+", lines[0])
    assert match, lines
    base = match.group(1)
    downloads = folder / "downloads"
    downloads.mkdir()
    yield Server(match.group(0), base, folder, downloads, box)
    process.terminate()
    process.wait(10)
    smtp.stop()


@pytest.fixture(scope="module")
def sheets() -> Iterator[Any]:
    """The Sheets emulator on 127.0.0.1 for this module."""
    from sheets_emulator import Emulator

    emulator = Emulator()
    yield emulator
    emulator.close()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={server.folder / 'chromium-profile'}",
        "--window-size=1280,900",
        "--lang=vi",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(server.downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(DRIVER or ""), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def shot(driver: webdriver.Chrome, name: str) -> None:
    """Save a screenshot of the whole page as ``docs/ui/<name>.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(700, min(int(height) + 120, 2600)))
    driver.execute_script("document.documentElement.style.overflow = 'hidden'")
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.execute_script("document.documentElement.style.overflow = ''")
    driver.set_window_size(1280, 900)


def wait(driver: webdriver.Chrome, css: str, seconds: float = 60) -> None:
    WebDriverWait(driver, seconds).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))


def run(driver: webdriver.Chrome, button: str, seconds: float = 120) -> None:
    """Click the button that starts a step, then wait until it has ended (the page reloads itself then)."""
    clicked = driver.find_element(By.ID, button)
    clicked.click()
    WebDriverWait(driver, 30).until(staleness_of(clicked))
    WebDriverWait(driver, seconds).until(
        lambda d: (
            not d.find_elements(By.CSS_SELECTOR, "#progress")
            and d.execute_script("return document.readyState") == "complete"
        )
    )


def upload(driver: webdriver.Chrome, path: Path) -> None:
    driver.find_element(By.CSS_SELECTOR, "#workbook").send_keys(str(path))  # picking a file sends the form
    wait(driver, "#summary")


def test_the_whole_path_in_a_real_browser(server: Server, browser: webdriver.Chrome) -> None:
    driver = browser
    # 1. The address with its token; the token leaves the address at once for a cookie.
    driver.get(server.url)
    assert driver.current_url == server.base + "/"
    assert "Chọn sổ theo dõi" in driver.page_source
    shot(driver, "1-chon-so")

    # 2. A workbook with planted problems: each at its cell, grouped by tab, errors first.
    planted = write_workbook(server.folder / "truong-co-loi.xlsx", PLANTED)
    upload(driver, planted)
    rows = driver.find_elements(By.CSS_SELECTOR, "table.problems tbody tr")
    found = [(r.get_attribute("data-code"), r.get_attribute("data-cell")) for r in rows]
    assert found == [
        ("bad-count", "Hoạt động!Q4"),
        ("bad-date", "Hoạt động!E7"),
        ("done-without-evidence", "Hoạt động!T3"),
    ]
    assert driver.find_element(By.ID, "summary").text == "2 lỗi, 1 cảnh báo."
    assert '"31/11/2023" không phải ngày hợp lệ' in rows[1].text and rows[1].text.startswith("E7")
    shot(driver, "2-kiem-tra")

    # 3. Documents are refused while there are errors, as the CLI refuses them without --force.
    driver.get(server.base + "/documents")
    run(driver, "write")
    assert driver.find_elements(By.ID, "blocked") and not driver.find_elements(By.CSS_SELECTOR, "section.doc")

    # 4. The example workbook: no problem; both documents written, every page a picture.
    example = server.folder / "vi-du.xlsx"
    assert CliRunner().invoke(cli, ["init", "--example", str(example)]).exit_code == 0
    driver.get(server.base + "/")
    upload(driver, example)
    assert driver.find_element(By.ID, "summary").text == "Không có lỗi hay cảnh báo."
    driver.find_element(By.ID, "to-documents").click()
    run(driver, "write", 300)
    pictures = driver.find_elements(By.CSS_SELECTOR, "#doc-report img.page-picture")
    assert pictures and driver.find_elements(By.CSS_SELECTOR, "#doc-plan img.page-picture")
    WebDriverWait(driver, 30).until(
        lambda d: all(d.execute_script("return arguments[0].naturalWidth", img) > 100 for img in pictures)
    )
    shot(driver, "3-van-ban")

    # 5. The .docx downloaded by the browser is, byte for byte, the one the command line writes.
    driver.find_element(By.ID, "download-report-docx").click()
    downloaded = server.downloads / EXAMPLE_REPORT
    WebDriverWait(driver, 30).until(lambda d: downloaded.is_file())
    result = CliRunner().invoke(cli, ["sync-and-report", str(example), "-o", str(server.folder / "cli")])
    assert result.exit_code == 0, result.output
    assert downloaded.read_bytes() == (server.folder / "cli" / "2023" / EXAMPLE_REPORT).read_bytes()

    # 6. Send: the message as it will go, a confirmation, the outcome, the sent record; then "already sent".
    driver.find_element(By.ID, "to-send").click()
    message = driver.find_element(By.ID, "message-report")
    assert message.find_element(By.CSS_SELECTOR, ".to").text == "pgd-thuthua@example.edu.vn"
    subject = message.find_element(By.CSS_SELECTOR, ".subject").text
    assert subject.startswith("[THBA] Báo cáo số 25/BC-THBA ngày 08/12/2023")
    assert "Kính gửi: Phòng Giáo dục và Đào tạo Thủ Thừa." in message.find_element(By.CSS_SELECTOR, ".body").text
    run(driver, "send-report")
    assert len(server.mailbox.messages) == 1
    assert "Đã gửi Báo cáo tới pgd-thuthua@example.edu.vn" in driver.find_element(By.ID, "outcome").text
    sent = driver.find_elements(By.CSS_SELECTOR, "#sent-list tbody tr")
    assert len(sent) == 1 and subject in sent[0].text
    assert driver.find_elements(By.CSS_SELECTOR, '#message-report [data-status="already-sent"]')
    shot(driver, "4-gui")

    # 7. The clerk corrects a figure: the new report replaces the one sent, as "[Thay thế]", like toolkit send.
    changed = write_workbook(server.folder / "vi-du-sua.xlsx", {("Hoạt động", "S3"): 700000})
    driver.get(server.base + "/")
    upload(driver, changed)
    driver.get(server.base + "/documents")
    run(driver, "write", 300)
    driver.get(server.base + "/send")
    message = driver.find_element(By.ID, "message-report")
    assert message.find_element(By.CSS_SELECTOR, ".subject").text == "[Thay thế] " + subject
    assert "Văn bản này thay thế văn bản đã gửi lúc" in message.find_element(By.CSS_SELECTOR, ".body").text
    run(driver, "send-report")
    assert len(server.mailbox.messages) == 2
    driver.get(server.base + "/documents")  # the report sent first is kept in history, downloadable
    kept = driver.find_elements(By.CSS_SELECTOR, "#doc-report details.history a[href^='/file/']")
    names = sorted(a.get_attribute("textContent") for a in kept)
    assert [Path(n).suffix for n in names] == [".docx", ".pdf"] and all(n.startswith("BC-THBA-") for n in names)
    driver.get(server.base + "/")
    recent = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#recent button")]
    assert recent[:3] == ["vi-du-sua.xlsx", "vi-du.xlsx", "truong-co-loi.xlsx"]
    driver.get(server.base + "/send")
    assert [
        r.find_elements(By.TAG_NAME, "td")[3].text for r in driver.find_elements(By.CSS_SELECTOR, "#sent-list tr")[1:]
    ] == [
        "[Thay thế] " + subject,
        subject,
    ]


def test_a_google_sheet_by_its_link_with_cells_that_open_the_sheet(
    server: Server, browser: webdriver.Chrome, sheets: Any
) -> None:
    from sheets_emulator import workbook_values

    sheet = "1UiUiUiUiUiUiUiUiUiUiUiUiUiUiUiUiUiUiUiUiUi"
    sheets.add(sheet, workbook_values(write_workbook(server.folder / "google.xlsx", PLANTED)))
    driver = browser
    driver.get(server.url)
    driver.find_element(By.ID, "spec").send_keys(f"https://docs.google.com/spreadsheets/d/{sheet}/edit#gid=0")
    driver.find_element(By.ID, "open-link").click()
    wait(driver, "#summary")
    assert driver.find_element(By.ID, "summary").text == "2 lỗi, 1 cảnh báo."
    gid = sheets.sheets[sheet].tab("Hoạt động").sheet_id
    link = driver.find_element(By.CSS_SELECTOR, 'tr[data-cell="Hoạt động!E7"] td.cell a')
    assert link.get_attribute("href") == f"https://docs.google.com/spreadsheets/d/{sheet}/edit#gid={gid}&range=E7"
    assert link.text == "E7" and link.get_attribute("target") == "_blank"
    written = sheets.sheets[sheet].tab("Kiểm tra")  # the problems written back, as toolkit check writes them
    assert written is not None and any("Hoạt động!E7" in row for row in written.values)
    assert f"gsheet:{sheet}" in driver.find_element(By.ID, "current").text


def _roll_up_list(folder: Path) -> tuple[Path, dict[str, str]]:
    """Twenty schools' workbooks (the twelve of test_rollup and eight more) and the office's list."""
    from test_rollup import EXPECTED, SCHOOLS, _school

    from toolkit.rollup.example import ExampleSchool, build_list
    from toolkit.workbook import campaigns
    from toolkit.workbook.schema import UNITS

    preset = campaigns.find("thang-hanh-dong-vi-tre-em")
    more = tuple(ExampleSchool(f"TRƯỜNG TIỂU HỌC SỐ {n}", f"TH{n}", "Tiểu học", "Tiểu học", 0.4) for n in range(1, 9))
    schools = (*SCHOOLS, *more)
    for school in schools:
        _school(folder, school, preset)
    book = build_list(preset, example=True)
    rows = [
        {
            "STT": i,
            "Tên đơn vị": school.unit.title(),
            "Viết tắt": school.abbr,
            "Nguồn": None if school.abbr == "THND" else f"truong/{school.abbr}.xlsx",
            "Nhóm": school.group,
        }
        for i, school in enumerate(schools, start=1)
    ]
    replace_rows(book, UNITS.name, rows)
    listing = folder / "danh-sach.xlsx"
    book.save(listing)
    expected = {school.unit.title(): EXPECTED.get(school.abbr, "ok") for school in schools}
    return listing, expected


def test_the_office_watches_twenty_schools_roll_up(server: Server, browser: webdriver.Chrome) -> None:
    driver = browser
    listing, expected = _roll_up_list(server.folder / "phong")
    (SHOTS / "5-tong-hop-dang-doc.png").unlink(missing_ok=True)
    driver.get(server.url)
    driver.get(server.base + "/rollup")
    driver.find_element(By.ID, "rollup-spec").clear()
    driver.find_element(By.ID, "rollup-spec").send_keys(str(listing))
    driver.find_element(By.ID, "rollup-start").click()
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = driver.find_elements(By.CSS_SELECTOR, "#schools tbody tr")
        if rows:
            try:
                statuses = [r.get_attribute("data-status") for r in rows]
            except Exception:  # the table was replaced while being read
                continue
            seen.append(sum(s != "waiting" for s in statuses))
            if 0 < seen[-1] < len(expected) and not (SHOTS / "5-tong-hop-dang-doc.png").is_file():
                shot(driver, "5-tong-hop-dang-doc")
        if driver.find_elements(By.ID, "rollup-summary"):
            break
        time.sleep(0.05)
    # Statuses arrive while the schools are read (20 reads take several polls here), and only ever arrive.
    assert any(0 < n < len(expected) for n in seen) and seen == sorted(seen), seen
    rows = driver.find_elements(By.CSS_SELECTOR, "#schools tbody tr")
    shown = {r.find_elements(By.TAG_NAME, "td")[1].text: r.get_attribute("data-status") for r in rows}
    assert shown == expected
    assert "Tổng hợp được 15/20 đơn vị" in driver.find_element(By.ID, "rollup-summary").text
    assert driver.find_elements(By.ID, "download-rollup-report") and driver.find_elements(
        By.ID, "download-rollup-table"
    )
    shot(driver, "5-tong-hop")
    driver.find_element(By.CSS_SELECTOR, '#filters a[href="/rollup?status=errors"]').click()
    rows = driver.find_elements(By.CSS_SELECTOR, "#schools tbody tr")
    assert [r.get_attribute("data-status") for r in rows] == ["errors", "errors"]


def test_without_libreoffice_the_documents_and_a_note_instead_of_pictures(tmp_path, monkeypatch) -> None:
    from toolkit.core.config import Options
    from toolkit.sources import resolve
    from toolkit.ui import work
    from toolkit.ui.jobs import Job
    from toolkit.ui.texts import words

    monkeypatch.setenv("TOOLKIT_SOFFICE", str(tmp_path / "no-libreoffice-here"))
    source = resolve(str(write_workbook(tmp_path / "so.xlsx")))
    done = work.documents(source, Options(output=tmp_path / "out"), tmp_path / "pages")(Job("documents"))
    assert [f.path.suffix for f in done.result.files] == [".docx", ".docx"] and not done.pages
    assert done.pictures == "libreoffice"
    assert "chưa cài LibreOffice" in words("vi")("no_pictures_" + done.pictures)


def test_a_second_click_joins_the_run_under_way() -> None:
    import threading

    from toolkit.ui.jobs import Jobs

    jobs, release, runs = Jobs(), threading.Event(), []

    def work(job):
        runs.append(job)
        release.wait(10)
        return len(runs)

    first, started = jobs.start("documents", work)
    again, started_again = jobs.start("documents", work)
    assert started and not started_again and again is first
    release.set()
    for _ in range(200):
        if not first.running:
            break
        time.sleep(0.01)
    assert first.state == "done" and first.result == 1 and len(runs) == 1
    later, started_later = jobs.start("documents", work)
    assert started_later and later is not first


# -- security: plain HTTP requests ------------------------------------------------------------------


def _session(server: Server) -> tuple[requests.Session, str]:
    session = requests.Session()
    page = session.get(server.url, timeout=5)
    assert page.status_code == 200 and page.url == server.base + "/"
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    return session, csrf.group(1)


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
    assert big.getresponse().status == 413
    head = b'--x\r\nContent-Disposition: form-data; name="workbook"; filename="big.xlsx"\r\n\r\n'
    chunks = session.post(  # no length given: the body is cut off once past the limit
        server.base + "/choose",
        data=iter([head, *(b"x" * (1 << 20) for _ in range(32))]),
        headers={**origin, "Content-Type": "multipart/form-data; boundary=x"},
        timeout=30,
    )
    assert chunks.status_code == 413


def test_on_a_lan_a_password_printed_once_and_the_page_in_english(tmp_path) -> None:
    port = _free_port()
    process, lines = start(["--host", "0.0.0.0", "--port", str(port), "--lang", "en"], tmp_path, dict(os.environ))
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

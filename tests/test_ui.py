"""``toolkit ui`` in a real browser: Debian's headless Chromium driven by Selenium, against the server started
as a user starts it (``python -m toolkit ui --no-browser``), a real SMTP server (aiosmtpd, STARTTLS) on
127.0.0.1, the Sheets emulator (its read quota too), a test CA's keys for the Sign step, and a 20-school
roll-up. Each step's screenshot is saved in the test's temporary folder, and in ``docs/ui/`` (shown in the
README and ``docs/ui.md``) only when ``TOOLKIT_UI_SCREENSHOTS=docs/ui`` asks for it, so a test run never
changes the tree. The security cases are in ``test_ui_security.py``."""

from __future__ import annotations

import email
import email.policy
import io
import os
import re
import shutil
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cases import replace_rows
from conftest import write_workbook
from toolkit.cli import cli
from toolkit.workbook.names import in_sentence

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from test_send import PASSWORD, USER, Mailbox, _authenticator, _certificate, _free_port  # noqa: E402
from test_signing import ORG_P12_PASSWORD, P12_PASSWORD, _validate, marks  # noqa: E402
from ui_server import Server, start_ui  # noqa: E402

import signing_pki as pki  # noqa: E402
from toolkit.ui import work  # noqa: E402

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ROOT = Path(__file__).resolve().parent.parent
PUBLISH = os.environ.get("TOOLKIT_UI_SCREENSHOTS")  # e.g. docs/ui: where the screenshots are also published
EXAMPLE_REPORT = "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"
QUOTA = (4, 0.9)  # the emulator's read quota: 4 reads in any 0.9 s (the page's budget: 4 in ~1 s)
PLANTED = {("Hoạt động", "E7"): "31/11/2023", ("Hoạt động", "T3"): None, ("Hoạt động", "Q4"): "nhiều"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, sheets, ca) -> Iterator[Server]:
    """``toolkit ui`` as a user starts it (in its folder, writing to ``output``), with SMTP settings for a local
    aiosmtpd, a service-account key for the Sheets emulator, Google's read quota as the emulator keeps it (4
    reads in a "minute" of a second), and the test CA's root as the trust roots of ``verify``."""
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
        "TOOLKIT_SHEETS_READS_PER_MINUTE": str(QUOTA[0]),
        "TOOLKIT_SHEETS_QUOTA_SECONDS": "1",
        "TOOLKIT_TRUST_ROOTS": str(ca.roots()),
    }
    for variable in ("TOOLKIT_SIGNER_KEY", "TOOLKIT_ORG_KEY", "TOOLKIT_P12_PASSWORD", "TOOLKIT_ORG_P12_PASSWORD"):
        env.pop(variable, None)
    process, lines = start_ui(["--lang", "vi", "-o", "output"], folder, env)
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
def ca(tmp_path_factory) -> Iterator[Any]:
    """The signing tests' CA (certomancer) on 127.0.0.1: the keys of the Sign step, its trust root."""
    ca = pki.start_ca(tmp_path_factory.mktemp("ca"))
    yield ca
    ca.close()


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, Path]:
    """The signing tests' signature and seal pictures."""
    return marks(tmp_path_factory.mktemp("images"))


@pytest.fixture(scope="module")
def sheets() -> Iterator[Any]:
    """The Sheets emulator on 127.0.0.1 for this module."""
    from sheets_emulator import Emulator

    emulator = Emulator()
    yield emulator
    emulator.close()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[webdriver.Chrome]:
    if not (CHROMIUM and DRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
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


def shot(driver: webdriver.Chrome, folder: Path, name: str) -> Path:
    """A screenshot of the whole page as ``folder/<name>.png`` (to look at), and in ``$TOOLKIT_UI_SCREENSHOTS``
    too when that asks for it (``docs/ui``: the pictures of the README and ``docs/ui.md``)."""
    folder.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(700, min(int(height) + 120, 2600)))
    driver.execute_script("document.documentElement.style.overflow = 'hidden'")
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.execute_script("document.documentElement.style.overflow = ''")
    driver.set_window_size(1280, 900)
    if PUBLISH:
        published = ROOT / PUBLISH
        published.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, published / path.name)
    return path


def wait(driver: webdriver.Chrome, css: str, seconds: float = 60) -> None:
    WebDriverWait(driver, seconds).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))


def left(driver: webdriver.Chrome, clicked: Any) -> None:
    """Wait until the page of ``clicked`` is gone (Chromium may answer for a node of a page being replaced
    with an error of its own rather than "stale": asked again)."""
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(staleness_of(clicked))


def run(driver: webdriver.Chrome, button: str, seconds: float = 120) -> None:
    """Click the button that starts a step, then wait until it has ended (the page reloads itself then)."""
    clicked = driver.find_element(By.ID, button)
    clicked.click()
    left(driver, clicked)
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
    shot(driver, server.shots, "1-chon-so")

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
    shot(driver, server.shots, "2-kiem-tra")
    # An upload is a copy: "Kiểm tra lại" would read the same copy again (was offered, the same errors came back).
    assert not driver.find_elements(By.ID, "check-again")
    note = driver.find_element(By.ID, "copy-note").text
    assert re.fullmatch(
        r"Trang này kiểm tra bản truong-co-loi\.xlsx đã tải lên lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}, không phải tệp "
        r"trên máy của bạn: sửa tệp trong Excel thì lưu lại rồi tải bản đã sửa lên đây\.",
        note,
    ), note

    # 3. Documents are refused while there are errors, as the CLI refuses them without --force.
    driver.get(server.base + "/documents")
    run(driver, "write")
    assert driver.find_elements(By.ID, "blocked") and not driver.find_elements(By.CSS_SELECTOR, "section.doc")

    # The clerk fixes the file in Excel and uploads it again where the check is: the problems are gone.
    driver.get(server.base + "/check")
    write_workbook(planted)  # the same file, fixed
    before = driver.find_element(By.ID, "summary")
    driver.find_element(By.ID, "reupload").send_keys(str(planted))  # picking the file sends it
    left(driver, before)
    wait(driver, "#summary")
    assert driver.find_element(By.ID, "summary").text == "Không có lỗi hay cảnh báo."

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
    shot(driver, server.shots, "3-van-ban")

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
    sent_at = sent[0].find_element(By.TAG_NAME, "td").text  # this computer's time, as people write it
    assert re.fullmatch(r"\d\d:\d\d ngày \d\d/\d\d/\d{4}", sent_at), sent_at  # was "08/12/2023 14:05"
    assert driver.find_elements(By.CSS_SELECTOR, '#message-report [data-status="already-sent"]')
    shot(driver, server.shots, "4-gui")

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
    address = f"https://docs.google.com/spreadsheets/d/{sheet}/edit?resourcekey=0-UiKey#gid=0"
    driver.find_element(By.ID, "spec").send_keys(address)
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
    assert not driver.find_elements(By.ID, "reupload")  # a Google Sheet is read again where it is
    run(driver, "check-again")
    assert driver.find_element(By.ID, "summary").text == "2 lỗi, 1 cảnh báo."
    driver.get(server.url)  # remembered as a link that reads back to the same sheet, its resource key kept
    remembered = driver.find_element(By.CSS_SELECTOR, "#recent input[name=spec]").get_attribute("value")
    assert remembered == f"https://docs.google.com/spreadsheets/d/{sheet}/edit?resourcekey=0-UiKey"


def test_an_upload_is_named_as_the_clerk_named_it_never_by_its_path_here(
    server: Server, browser: webdriver.Chrome
) -> None:
    driver = browser
    driver.get(server.url)
    for folder, edits in (("truoc", PLANTED), ("sau", None)):  # the same name uploaded twice
        (server.folder / folder).mkdir()
        upload(driver, write_workbook(server.folder / folder / "nguyen-trai-sai.xlsx", edits))
        driver.get(server.base + "/")
    items = driver.find_elements(By.CSS_SELECTOR, "#recent li")
    names = [li.find_element(By.TAG_NAME, "button").text for li in items]
    assert names.count("nguyen-trai-sai.xlsx") == 1 and names[0] == "nguyen-trai-sai.xlsx"  # was listed twice
    uploaded = re.search(r"tải lên lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}", items[0].text)
    assert uploaded, items[0].text
    clicked = items[0].find_element(By.TAG_NAME, "button")
    clicked.click()  # chosen again from the list: still its own name, with the time it was uploaded
    left(driver, clicked)
    wait(driver, "#summary")
    assert driver.find_element(By.ID, "summary").text == "Không có lỗi hay cảnh báo."  # the later upload
    assert driver.find_element(By.ID, "current").text == f"Đang dùng: nguyen-trai-sai.xlsx ({uploaded.group(0)})"
    for page in ("/check", "/documents", "/"):
        driver.get(server.base + page)
        shown = driver.find_element(By.TAG_NAME, "body").text
        assert ".ui" not in shown and "uploads" not in shown, page  # was output/.ui/uploads/…/nguyen-trai-sai.xlsx
    assert [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#recent button")].count("nguyen-trai-sai.xlsx") == 1


def test_an_upload_past_the_limit_is_refused_on_the_choose_page(server: Server, browser: webdriver.Chrome) -> None:
    driver = browser
    driver.get(server.url)
    big = server.folder / "so-qua-lon.xlsx"
    with big.open("wb") as handle:
        handle.truncate(35 << 20)
    field = driver.find_element(By.ID, "workbook")
    field.send_keys(str(big))  # picking the file sends it
    left(driver, field)
    wait(driver, "#error")
    assert driver.find_element(By.ID, "error").text == "Tệp quá lớn (tối đa 30 MB)."  # was a bare text page
    assert driver.find_elements(By.CSS_SELECTOR, "nav a") and driver.find_elements(By.ID, "upload-form")


GATED = "1GatedSchoolGatedSchoolGatedSchoolGatedSch"  # the one school read from Google, answered on a signal


def _roll_up_list(folder: Path, sheets: Any) -> tuple[Path, dict[str, str]]:
    """Twenty schools' workbooks (the twelve of test_rollup and eight more, the last of them a Google Sheet
    served by the emulator) and the office's list."""
    from test_rollup import EXPECTED, SCHOOLS, _school

    from sheets_emulator import CLIENT_EMAIL, workbook_values
    from toolkit.rollup.example import ExampleSchool, build_list
    from toolkit.workbook import campaigns
    from toolkit.workbook.schema import UNITS

    preset = campaigns.find("thang-hanh-dong-vi-tre-em")
    more = tuple(ExampleSchool(f"TRƯỜNG TIỂU HỌC SỐ {n}", f"TH{n}", "Tiểu học", "Tiểu học", 0.4) for n in range(1, 9))
    schools = (*SCHOOLS, *more)
    for school in schools:
        _school(folder, school, preset)
    sheets.add(GATED, workbook_values(folder / "truong" / "TH8.xlsx"), writers=set(), readers={CLIENT_EMAIL})
    link = f"https://docs.google.com/spreadsheets/d/{GATED}/edit"
    book = build_list(preset, example=True)
    rows = [
        {
            "STT": i,
            "Tên đơn vị": in_sentence(school.unit),
            "Viết tắt": school.abbr,
            "Nguồn": None if school.abbr == "THND" else link if school.abbr == "TH8" else f"truong/{school.abbr}.xlsx",
            "Nhóm": school.group,
        }
        for i, school in enumerate(schools, start=1)
    ]
    replace_rows(book, UNITS.name, rows)
    listing = folder / "danh-sach.xlsx"
    book.save(listing)
    expected = {in_sentence(school.unit): EXPECTED.get(school.abbr, "ok") for school in schools}
    return listing, expected


def _statuses(driver: webdriver.Chrome) -> dict[str, str]:
    """The roll-up's schools on the page by name, with their statuses (read in one step: the table may be
    replaced at any moment)."""
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#schools tbody tr'))"
        ".map(r => [r.cells[1].textContent.trim(), r.getAttribute('data-status')])"
    )
    return {str(name): str(status) for name, status in rows}


def _start_rollup(driver: webdriver.Chrome, server: Server, spec: str) -> None:
    driver.get(server.url)
    driver.get(server.base + "/rollup")
    driver.find_element(By.ID, "rollup-spec").clear()
    driver.find_element(By.ID, "rollup-spec").send_keys(spec)
    clicked = driver.find_element(By.ID, "rollup-start")
    clicked.click()
    left(driver, clicked)  # the page of this run, not of the one before


def test_the_office_watches_twenty_schools_roll_up(server: Server, browser: webdriver.Chrome, sheets: Any) -> None:
    import threading

    driver = browser
    listing, expected = _roll_up_list(server.folder / "phong", sheets)
    gated = in_sentence("TRƯỜNG TIỂU HỌC SỐ 8")
    # The Google school's answer waits for the test's signal: the page is seen with every other school read
    # and that one still waiting, however fast or slow this machine is.
    release, route = threading.Event(), sheets._route

    def held(method: str, path: str, *args: Any) -> Any:
        if GATED in path:
            release.wait(120)
        return route(method, path, *args)

    sheets._route = held
    try:
        _start_rollup(driver, server, str(listing.relative_to(server.folder)))  # as typed: no folder of the test
        seen: list[int] = []

        def all_but_the_gated_one(d: webdriver.Chrome) -> bool:
            shown = _statuses(d)
            if shown:
                seen.append(sum(s != "waiting" for s in shown.values()))
            return len(shown) == len(expected) and [n for n, s in shown.items() if s == "waiting"] == [gated]

        WebDriverWait(driver, 120, poll_frequency=0.05).until(all_but_the_gated_one)
        shot(driver, server.shots, "5-tong-hop-dang-doc")
    finally:
        release.set()
        sheets._route = route

    def finished(d: webdriver.Chrome) -> bool:
        all_but_the_gated_one(d)  # still watching the statuses arrive
        return bool(d.find_elements(By.ID, "rollup-summary"))

    WebDriverWait(driver, 300, poll_frequency=0.05).until(finished)
    # Statuses arrived while the schools were read, and only ever arrived.
    assert len(expected) - 1 in seen and seen == sorted(seen), seen
    assert _statuses(driver) == expected
    assert "Tổng hợp được 15/20 đơn vị" in driver.find_element(By.ID, "rollup-summary").text
    assert driver.find_elements(By.ID, "download-rollup-report-docx")
    assert driver.find_elements(By.ID, "download-rollup-table-xlsx")
    if work.has_libreoffice():  # the roll-up's PDF, made by LibreOffice as --pdf makes it
        driver.find_element(By.ID, "download-rollup-report-pdf").click()
        pdfs = lambda: list(server.downloads.glob("BCTH-*.pdf"))  # noqa: E731
        WebDriverWait(driver, 30).until(lambda d: pdfs() and not list(server.downloads.glob("*.crdownload")))
        assert pdfs()[0].read_bytes().startswith(b"%PDF-")
    shot(driver, server.shots, "5-tong-hop")
    driver.find_element(By.CSS_SELECTOR, '#filters a[href="/rollup?status=errors"]').click()
    rows = driver.find_elements(By.CSS_SELECTOR, "#schools tbody tr")
    assert [r.get_attribute("data-status") for r in rows] == ["errors", "errors"]
    for row in rows:  # what the school must fix, at its cells, as toolkit rollup prints it (was the count alone)
        errors = int(row.find_elements(By.TAG_NAME, "td")[3].text.split("/")[0])
        row.find_element(By.CSS_SELECTOR, "details.fix summary").click()
        cells = [li.text for li in row.find_elements(By.CSS_SELECTOR, "details.fix li")]
        assert len(cells) == errors and all(re.match(r"^[^!:]+![A-Z]+[0-9]+: \S", c) for c in cells), cells


def test_the_roll_up_page_shows_the_waits_for_googles_read_quota(
    server: Server, browser: webdriver.Chrome, sheets: Any
) -> None:
    from test_rollup_google import _list, _schools

    driver = browser
    folder = server.folder / "han-muc"
    folder.mkdir()
    schools = 12  # three times the quota's reads: the page's read budget must wait twice at least
    _schools(sheets, folder, schools)
    listing = _list(folder, schools)
    sheets.quota, sheets.throttled = QUOTA, 0
    try:
        _start_rollup(driver, server, str(listing.relative_to(server.folder)))
        WebDriverWait(driver, 300, poll_frequency=0.1).until(lambda d: d.find_elements(By.ID, "rollup-summary"))
    finally:
        sheets.quota = None
    assert set(_statuses(driver).values()) <= {"ok", "warnings"} and len(_statuses(driver)) == schools
    quota = driver.find_element(By.ID, "quota")
    assert int(quota.get_attribute("data-times") or 0) >= 2
    waited = re.fullmatch(r"Đã chờ hạn mức đọc của Google Sheets tổng cộng (\d+,\d) giây \((\d+) lần\)\.", quota.text)
    assert waited and float(waited.group(1).replace(",", ".")) >= 1.0, quota.text
    assert sheets.throttled <= 2  # the budget kept (nearly) every read inside the emulator's quota
    shot(driver, server.shots, "5-tong-hop-han-muc")


def _revisions(path: Path) -> list[tuple[str, bool, bool, bool, str]]:
    """pyHanko's verdict on each signature of ``path`` (field, intact, valid, trusted, signer), trusting only
    the test CA's root."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    statuses = _validate(path, CA[0])
    fields = [s.field_name for s in PdfFileReader(io.BytesIO(path.read_bytes())).embedded_signatures]
    return [
        (name, s.intact, s.valid, s.trusted, s.signing_cert.subject.native["common_name"])
        for name, s in zip(fields, statuses, strict=True)
    ]


CA: list[Any] = []


def test_the_documents_are_signed_on_the_page_as_toolkit_sign_signs_them(
    server: Server, browser: webdriver.Chrome, ca: Any, images: dict[str, Path], tmp_path: Path
) -> None:
    if work.missing_tools():
        pytest.skip("signing on the page needs LibreOffice and pdftoppm (the PDF to sign)")
    CA[:] = [ca]
    driver = browser
    signer_p12, org_p12 = ca.p12("signer", P12_PASSWORD.encode()), ca.p12("org", ORG_P12_PASSWORD.encode())
    # Another school level, campaign and year than the example's.
    workbook = _other_school(server.folder / "thcs-ky-so.xlsx")
    driver.get(server.url)
    upload(driver, workbook)
    driver.get(server.base + "/documents")
    run(driver, "write", 300)
    unsigned = Path(driver.find_element(By.CSS_SELECTOR, "#doc-report h2 small").text)
    driver.find_element(By.CSS_SELECTOR, "#sign-report summary").click()
    fields = {
        "report-signer-key": str(signer_p12),
        "report-signer-password": P12_PASSWORD,
        "report-signature": str(images["signature"]),
        "report-org-key": str(org_p12),
        "report-org-password": ORG_P12_PASSWORD,
        "report-seal": str(images["seal"]),
    }
    # A wrong password first: the section stays open, the error beside that password, the files to pick again.
    for ident, value in {**fields, "report-signer-password": "sai-mat-khau"}.items():
        driver.find_element(By.ID, ident).send_keys(value)
    run(driver, "sign-report-start", 300)
    assert driver.find_element(By.ID, "sign-report").get_attribute("open")  # was closed, the error at the top
    assert not driver.find_elements(By.ID, "failed") and not driver.find_elements(By.ID, "sign-error-report")
    wrong = driver.find_element(By.ID, "report-signer-password-error")
    assert wrong.text == "Không mở được tệp khóa .p12 của người ký: sai mật khẩu hoặc tệp hỏng."
    picked = [Path(fields[f"report-{f}"]).name for f in ("signer-key", "signature", "org-key", "seal")]
    again = driver.find_element(By.ID, "pick-again-report").text
    assert again == (
        "Trình duyệt không giữ lại các tệp đã chọn sau mỗi lần gửi (để giữ an toàn cho máy): hãy chọn lại "
        f"{', '.join(picked)} và gõ lại mật khẩu rồi ký lại."
    )
    assert driver.find_element(By.ID, "report-seal-again").text == f"chọn lại {picked[3]}"
    for ident, value in fields.items():
        driver.find_element(By.ID, ident).send_keys(value)
    run(driver, "sign-report-start", 300)
    assert not driver.find_elements(By.ID, "failed"), driver.find_element(By.ID, "failed").text
    assert not driver.find_elements(By.ID, "pick-again-report")
    # The outcome, the check of ``toolkit verify`` and the signed page, on the page.
    signed_name = unsigned.with_suffix("").name + "-ky-so.pdf"
    assert driver.find_element(By.CSS_SELECTOR, "#signed-report .alert.ok").text.startswith(f"Đã ký số: {signed_name}")
    assert driver.find_element(By.ID, "verdict-report").get_attribute("data-exit-code") == "0"
    # Who signed and when, in words (the PAdES levels and toolkit verify's lines only under the details).
    assert "B-B" not in driver.find_element(By.CSS_SELECTOR, "#signed-report .alert.ok").text  # was "(B-B, B-B)"
    signers = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#signers-report li")]
    at = r"ký lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}\."  # was 2026-12-06T23:03:17+07:00
    assert re.fullmatch(rf"Lê Thị Thu Hà \(Trường Tiểu học Bình An\) {at}", signers[0]), signers
    assert re.fullmatch(rf"Trường Tiểu học Bình An {at}", signers[1]), signers
    levels = driver.find_element(By.ID, "levels-report").get_attribute("textContent")
    assert re.fullmatch(r"Mức chữ ký số \(PAdES\): B-\w+, B-\w+\.", levels), levels
    # A key of someone else than the workbook's Người ký and Đơn vị: warned of, as toolkit sign warns.
    warnings = [p.text for p in driver.find_elements(By.CSS_SELECTOR, "#signed-report .sign-warning")]
    assert warnings == [  # was "Hợp lệ và tin cậy." alone
        'Cảnh báo: chứng thư số của người ký ghi "Lê Thị Thu Hà", còn Người ký trong bảng tính là "Phan Thị Hồng". '
        "Chữ ký số mang tên trong chứng thư: hãy kiểm tra đã chọn đúng khóa.",
        'Cảnh báo: chứng thư số của cơ quan ghi "Trường Tiểu học Bình An", còn Đơn vị trong bảng tính là '
        '"TRƯỜNG MẦM NON HOA SEN". Chữ ký số mang tên trong chứng thư: hãy kiểm tra đã chọn đúng khóa.',
    ]
    checked = driver.find_element(By.ID, "verify-report").get_attribute("textContent").splitlines()
    assert checked[0] == f"{signed_name}: 2 chữ ký số."
    assert checked[1].startswith("1. Lê Thị Thu Hà — Trường Tiểu học Bình An, ký lúc ")
    assert checked[4].startswith("2. Trường Tiểu học Bình An — Trường Tiểu học Bình An, ký lúc ")
    picture = driver.find_element(By.ID, "signed-page-report")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return arguments[0].naturalWidth", picture) > 300)
    # The passwords went nowhere: not on the page, in its address, or in anything the page keeps.
    for secret in (P12_PASSWORD, ORG_P12_PASSWORD):
        assert secret not in driver.page_source and secret not in driver.current_url
        for kept in (server.folder / "output").rglob("*"):
            if kept.is_file():
                assert secret.encode() not in kept.read_bytes(), kept
    driver.execute_script("document.querySelector('#sign-report').open = true")
    shot(driver, server.shots, "6-ky-so")

    # The signed copy the browser downloads validates (pyHanko), and is what toolkit sign makes of the same
    # PDF: the same unsigned revision, byte for byte, and the same signatures (their bytes hold the time).
    driver.find_element(By.ID, "download-report-signed").click()
    downloaded = server.downloads / signed_name
    WebDriverWait(driver, 30).until(lambda d: downloaded.is_file())
    pdf = server.folder / "output" / "2026" / unsigned.with_suffix(".pdf").name
    copy = tmp_path / pdf.name
    shutil.copyfile(pdf, copy)
    keys = ["--signer-key", str(signer_p12), "--signature-image", str(images["signature"])]
    keys += ["--org-key", str(org_p12), "--seal-image", str(images["seal"]), "--roots", str(ca.roots())]
    env = {"TOOLKIT_P12_PASSWORD": P12_PASSWORD, "TOOLKIT_ORG_P12_PASSWORD": ORG_P12_PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["sign", "--file", str(copy), *keys])
    assert result.exit_code == 0, result.output
    by_cli = tmp_path / signed_name
    page_made, cli_made = downloaded.read_bytes(), by_cli.read_bytes()
    assert page_made.startswith(pdf.read_bytes()) and cli_made.startswith(pdf.read_bytes())
    assert page_made != cli_made  # (each holds its own signing time)
    verdicts = _revisions(downloaded)
    assert verdicts == _revisions(by_cli)
    assert verdicts == [
        ("ChuKyNguoiKy", True, True, True, "Lê Thị Thu Hà"),
        ("ChuKyCoQuan", True, True, True, "Trường Tiểu học Bình An"),
    ]

    # toolkit send attaches the signed copy: the page's message shows it exactly as the command line sends it.
    driver.get(server.base + "/send")
    shown = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#message-report dd a")]
    out = tmp_path / "output"
    shutil.copytree(server.folder / "output", out, ignore=shutil.ignore_patterns(".ui"))
    sent = CliRunner().invoke(cli, ["send", str(workbook), "-o", str(out), "--report", "--dry-run"])
    assert sent.exit_code == 0, sent.output
    [eml] = out.glob("*/outbox/*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert shown == [a.get_filename() for a in message.iter_attachments()] == [unsigned.name, signed_name]


def test_a_token_configured_for_toolkit_sign_signs_on_the_page_with_the_pin_typed(
    ca: Any, images: dict[str, Path], tmp_path: Path
) -> None:
    """The keys of ``toolkit sign``'s environment (here a SoftHSM2 token), the PIN typed in the page: over
    HTTP against a server of its own (a token's module is loaded once per process)."""
    import requests

    if pki.tools_missing() or work.missing_tools():
        pytest.skip("needs SoftHSM2, OpenSC's pkcs11-tool, poppler and LibreOffice")
    softhsm = pki.softhsm_env(tmp_path / "softhsm")
    token = pki.init_token("HIEU TRUONG", "246810", softhsm)
    pki.import_key(token, ca, "signer", "Le Thi Thu Ha", "01", softhsm)
    env = {
        **os.environ,
        **softhsm,
        "TOOLKIT_SIGNER_KEY": f"pkcs11:token=HIEU%20TRUONG;object=Le%20Thi%20Thu%20Ha?module-path={token.module}",
        "TOOLKIT_SIGNATURE_IMAGE": str(images["signature"]),
        "TOOLKIT_TRUST_ROOTS": str(ca.roots()),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    env.pop("TOOLKIT_ORG_KEY", None)
    process, lines = start_ui(["--lang", "vi", "-o", "output"], tmp_path, env)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", lines[0])
        assert url
        base = url.group(0).split("/?")[0]
        session = requests.Session()
        home = session.get(url.group(0), timeout=10)
        csrf = re.search(r'name="csrf" value="([^"]+)"', home.text)
        assert csrf
        origin = {"Origin": base}

        def step(path: str, name: str, **data: str) -> str:
            answer = session.post(base + path, data={"csrf": csrf.group(1), **data}, headers=origin, timeout=30)
            assert answer.status_code == 200
            for _ in range(1200):
                if session.get(f"{base}/job/{name}", timeout=10).headers.get("x-job-state") != "running":
                    break
                time.sleep(0.1)
            return session.get(base + "/documents", timeout=10).text

        step("/choose", "check", spec=str(write_workbook(tmp_path / "so.xlsx")))
        page = step("/documents", "documents", pictures="1")
        assert "Đã cấu hình: pkcs11:token=HIEU TRUONG;Le Thi Thu Ha (dùng khi không chọn tệp khóa)." in page
        page = step("/sign", "sign", kind="report")  # no PIN typed: asked for, never guessed
        assert "Hãy nhập mã PIN của thiết bị ký số (USB token) rồi ký lại." in page
        page = step("/sign", "sign", kind="report", signer_password="000000")  # a wrong PIN: tried once
        assert "Sai mã PIN của &#34;HIEU TRUONG&#34;." in page
        page = step("/sign", "sign", kind="report", signer_password=token.pin)
        assert 'id="verdict-report" data-exit-code="0"' in page
        assert "1. Lê Thị Thu Hà — Trường Tiểu học Bình An, ký lúc" in page and token.pin not in page
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert token.pin not in out + err
    assert not any(token.pin.encode() in p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file())


def _other_school(path: Path) -> Path:
    """A kindergarten's 2026 learning week (another level, campaign and year than the example's)."""
    from openpyxl import load_workbook

    from cases import build_case_b, set_settings

    build_case_b(path)
    book = load_workbook(path)
    set_settings(book, {"Email nhận báo cáo": "phonggd-sontra@example.edu.vn"})
    book.save(path)
    return path


def test_every_page_fits_a_phone_held_upright(server: Server, browser: webdriver.Chrome) -> None:
    """At 390×844 no page scrolls sideways: the send page with a long address and a sent list, the problems, the
    documents, a roll-up's schools (the page was 466 px wide: the recipient's address overflowed)."""
    from openpyxl import load_workbook

    from cases import set_settings

    driver = browser
    workbook = _other_school(server.folder / "mam-non-dia-chi-dai.xlsx")
    book = load_workbook(workbook)
    set_settings(book, {"Email nhận báo cáo": "phong-giao-duc-va-dao-tao-huyen-son-tra-da-nang@example.edu.vn"})
    book.save(workbook)
    driver.get(server.url)
    upload(driver, workbook)
    driver.get(server.base + "/documents")
    driver.find_element(By.NAME, "pictures").click()  # no pictures: not what this test looks at
    run(driver, "write", 300)
    driver.get(server.base + "/send")
    run(driver, "send-report")
    assert driver.find_elements(By.CSS_SELECTOR, "#sent-list tbody tr")
    driver.set_window_size(390, 844)
    try:
        assert driver.execute_script("return window.innerWidth") <= 390
        for page in ("/", "/check", "/documents", "/send", "/rollup"):
            driver.get(server.base + page)
            wide = driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            driver.save_screenshot(str(server.shots / f"390{page.replace('/', '-')}.png"))  # to look at
            assert wide[0] <= wide[1], (page, wide)
        # and no word is broken letter by letter to get there ("Th/ời/gia/n" in the sent list's header was)
        driver.get(server.base + "/send")
        lines = driver.execute_script(
            """return [...document.querySelectorAll('#sent-list th, #sent-list td.nowrap')].map(cell => {
                 const range = document.createRange(); range.selectNodeContents(cell);
                 const words = cell.textContent.trim().split(/\\s+/).length;
                 const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                 return [cell.textContent.trim(), tops.size, words];
               })"""
        )
        assert lines and all(count <= words for _, count, words in lines), lines
    finally:
        driver.set_window_size(1280, 900)


def test_sending_again_asks_for_a_confirmation_as_the_first_send_does(
    server: Server, browser: webdriver.Chrome
) -> None:
    driver = browser  # the report the test above sent, to the long address
    driver.get(server.url)
    driver.get(server.base + "/send")
    assert driver.find_elements(By.CSS_SELECTOR, '#message-report [data-status="already-sent"]')
    sent = len(server.mailbox.messages)
    driver.find_element(By.ID, "resend-report").click()  # was: sent again at once
    confirm = driver.find_element(By.ID, "resend-report-confirm")
    assert confirm.is_displayed() and confirm.text == "Xác nhận gửi lại"
    asked = driver.find_element(By.CSS_SELECTOR, "#message-report details.resend .alert").text
    assert asked == (
        "Gửi lại Báo cáo này tới phong-giao-duc-va-dao-tao-huyen-son-tra-da-nang@example.edu.vn? "
        "Người nhận sẽ nhận thêm một thư nữa."
    )
    assert len(server.mailbox.messages) == sent and driver.current_url == server.base + "/send"
    run(driver, "resend-report-confirm")
    assert len(server.mailbox.messages) == sent + 1
    assert "Đã gửi Báo cáo tới phong-giao-duc" in driver.find_element(By.ID, "outcome").text


def test_a_workbook_with_errors_sends_nothing_and_the_page_says_why(server: Server, browser: webdriver.Chrome) -> None:
    driver = browser  # the documents of the same school exist (the tests above): the page offers to send them
    driver.get(server.url)
    upload(driver, write_workbook(server.folder / "co-loi-roi-gui.xlsx", PLANTED))
    driver.get(server.base + "/send")
    sent = len(server.mailbox.messages)
    driver.find_element(By.ID, "resend-report").click()
    run(driver, "resend-report-confirm")
    assert len(server.mailbox.messages) == sent  # held: the data has errors
    held = driver.find_element(By.ID, "held")  # was only "Không có thư nào được gửi.", no reason
    assert held.text == "Chưa gửi thư: sổ theo dõi còn lỗi. Xem và sửa ở trang Kiểm tra rồi gửi lại. Kiểm tra"
    assert held.find_element(By.TAG_NAME, "a").get_attribute("href") == server.base + "/check"


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


def test_quota_waits_of_several_threads_are_counted_once() -> None:
    clock = [100.0]
    waits = work.QuotaWaits(clock=lambda: clock[0])
    slept: list[float] = []
    sleep = waits.sleep(slept.append)
    sleep(2.0)
    sleep(1.5)  # another reading thread waits for the same refill
    clock[0] = 101.0
    sleep(1.5)  # a wait that goes half a second past the first
    assert (waits.waited, waits.times, waits.left) == (2.5, 1, 1.5)
    clock[0] = 110.0
    sleep(1.0)  # a wait of its own, later
    assert (waits.waited, waits.times, waits.left) == (3.5, 2, 1.0)
    assert slept == [2.0, 1.5, 1.5, 1.0]  # every thread still sleeps its own wait


def _send_page(tmp_path: Path, settings: dict[str, object]) -> str:
    """The send page, rendered as the server renders it, after the documents step of a workbook with ``settings``."""
    from jinja2 import Environment, FileSystemLoader
    from openpyxl import load_workbook

    from cases import set_settings
    from toolkit.core.config import Options
    from toolkit.sources import resolve
    from toolkit.ui import views
    from toolkit.ui.jobs import Jobs
    from toolkit.ui.texts import words
    from toolkit.ui.workspace import Workspace

    path = write_workbook(tmp_path / "so.xlsx")
    book = load_workbook(path)
    set_settings(book, settings)
    book.save(path)
    options = Options(output=tmp_path / "out")
    jobs, space = Jobs(), Workspace(options.output, resolve(str(path)))
    job, _ = jobs.start("documents", work.documents(space.source, options, None))
    for _ in range(500):
        if not job.running:
            break
        time.sleep(0.02)
    assert job.state == "done" and job.result.result.files
    templates = Environment(loader=FileSystemLoader(ROOT / "toolkit" / "ui" / "templates"), autoescape=True)
    context = views.send_context(jobs, space, options)
    return templates.get_template("send.html").render(
        _=words("vi"),
        lang="vi",
        csrf="x",
        source=space.source,
        file_id=space.file_id,
        version="",
        here="/send",
        job=None,
        view=views,
        **context,
    )


def test_the_send_page_says_the_real_error_alone_when_the_documents_exist(tmp_path) -> None:
    page = _send_page(tmp_path, {"Email nhận báo cáo": None})
    assert 'id="send-error"' in page and 'id="write-first"' not in page  # was: "Chưa có văn bản để gửi" beside it
    assert "Chưa có văn bản để gửi" not in page


def test_the_preview_addresses_a_message_as_deliver_does(tmp_path, monkeypatch) -> None:
    """A Cc address added after the report went to its To address: the message goes To that Cc address alone
    (as ``deliver`` sends it), not To and Cc both."""
    from toolkit.core.config import Options
    from toolkit.delivery import send as delivery
    from toolkit.sources import resolve
    from toolkit.ui.jobs import Job

    options = Options(output=tmp_path / "out")
    done = work.documents(resolve(str(write_workbook(tmp_path / "so.xlsx"))), options, None)(Job("documents"))
    monkeypatch.setattr(
        work,
        "prepare",
        lambda c, kind, files, folder: delivery.Step(kind, ("a@x.vn",), ("b@x.vn",), {}, wanted=("b@x.vn",)),
    )
    made = []
    build = work.build_message

    def built(c: Any, kind: str, files: Any, sender: str, to: list[str], cc: list[str], replaces: str) -> Any:
        made.append((to, cc))
        return build(c, kind, files, sender, to, cc, replaces)

    monkeypatch.setattr(work, "build_message", built)
    assert [p.kind for p in work.previews(done.campaign, ("report",), options, None)] == ["report"]
    assert made == [(["b@x.vn"], [])]  # was: (["b@x.vn"], ["b@x.vn"])


def test_the_page_writes_seconds_with_a_decimal_comma_in_vietnamese_a_point_in_english() -> None:
    from toolkit.ui.texts import words

    assert words("vi")("seconds", seconds=0.2) == "0,2 giây"  # was "0.2 giây"
    assert words("vi")("written_in", seconds=12.34) == "Đã kiểm tra và ghi xong sau 12,3 giây."
    assert words("vi")("quota_waiting", seconds=7.0) == "Đang chờ hạn mức đọc của Google Sheets: còn khoảng 7 giây."
    assert words("en")("seconds", seconds=0.2) == "0.2 s"
    assert words("vi")("summary", errors=3, warnings=1) == "3 lỗi, 1 cảnh báo."


def test_the_page_writes_a_records_time_in_this_computers_time_as_people_write_it(monkeypatch) -> None:
    from toolkit.ui.views import when

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        assert when("2026-12-06T16:03:17+00:00") == "23:03 ngày 06/12/2026"  # was "06/12/2026 16:03"
        assert when("2026-12-06T23:03:17+07:00", "en") == "23:03 on 06/12/2026"
        assert when("06/12/2026 16:02") == "16:02 ngày 06/12/2026"  # a recent list's older record
        assert when("not a time") == "not a time"
    finally:
        monkeypatch.undo()
        time.tzset()

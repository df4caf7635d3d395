"""``toolkit send`` against a real SMTP server on 127.0.0.1 (aiosmtpd) with STARTTLS or implicit TLS, AUTH,
and injected faults; messages are parsed back and compared with the files in ``output/``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import ipaddress
import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from cases import build_case_a
from conftest import write_workbook
from toolkit.cli import cli

aiosmtpd = pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult  # noqa: E402

USER, PASSWORD = "vanthu@thba.example.edu.vn", "mat-khau-ung-dung-123"


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Mailbox:
    """The server's side: every accepted message, and the faults to play."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.temporary = 0  # answer temporary_code to this many DATA commands first
        self.temporary_code = "451 4.3.0 Try again later"
        self.drops = 0  # hang up in the middle of this many DATA commands first
        self.reply_delay = 0.0  # seconds between keeping a message and answering 250
        self.reject: set[str] = set()
        self.stored = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.temporary:
            self.temporary -= 1
            return self.temporary_code
        if self.drops:
            self.drops -= 1
            server.transport.close()
            return "421 closing"
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        self.stored.set()
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)  # the message is kept; the client has not heard so yet
        return "250 2.0.0 Message accepted"


def _authenticator(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode())


@pytest.fixture(scope="module")
def tls(tmp_path_factory) -> tuple[Path, ssl.SSLContext]:
    cert, key = _certificate(tmp_path_factory.mktemp("tls"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server(tls, *, implicit: bool = False, size: int | None = None):
    _, context = tls
    box = Mailbox()
    kwargs = {"ssl_context": context} if implicit else {"tls_context": context, "require_starttls": True}
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=_authenticator,
        # aiosmtpd does not count implicit TLS as TLS for AUTH; the socket is TLS all the same
        auth_require_tls=not implicit,
        data_size_limit=size or 33554432,
        **kwargs,
    )
    controller.start()
    return controller, box


@pytest.fixture
def smtp(tls, monkeypatch):
    controller, box = _server(tls)
    _environment(monkeypatch, tls[0], controller.port, "starttls")
    yield box
    controller.stop()


def _environment(monkeypatch, cert: Path, port: int, security: str) -> None:
    for name, value in {
        "TOOLKIT_SMTP_HOST": "localhost",
        "TOOLKIT_SMTP_PORT": str(port),
        "TOOLKIT_SMTP_USER": USER,
        "TOOLKIT_SMTP_PASSWORD": PASSWORD,
        "TOOLKIT_SMTP_SECURITY": security,
        "TOOLKIT_SMTP_CAFILE": str(cert),
        "TOOLKIT_SMTP_TIMEOUT": "5",
        "TOOLKIT_SMTP_RETRY_DELAY": "0.05",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }.items():
        monkeypatch.setenv(name, value)


def send(*args: str):
    return CliRunner().invoke(cli, ["send", *args])


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_report_sent_once_with_vietnamese_subject_and_exact_attachment(smtp, tmp_path) -> None:
    source = write_workbook(tmp_path / "thba.xlsx")
    out = tmp_path / "out"
    result = send(str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1
    recipients, raw = smtp.messages[0]
    assert recipients == ["pgd-thuthua@example.edu.vn"]
    message = parse(raw)
    assert message["Subject"] == (
        "[THBA] Báo cáo số 25/BC-THBA ngày 08/12/2023 kết quả thực hiện Tháng hành động "
        "vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới năm 2023"
    )
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Kính gửi: Phòng Giáo dục và Đào tạo Thủ Thừa.") and "Lê Thị Thu Hà" in body
    attachments = list(message.iter_attachments())
    docx = out / "2023" / "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"
    assert [a.get_filename() for a in attachments] == [docx.name]
    assert attachments[0].get_content() == docx.read_bytes()
    again = send(str(source), "-o", str(out))
    assert again.exit_code == 0 and len(smtp.messages) == 1
    assert "đã gửi tới pgd-thuthua@example.edu.vn lúc" in again.stderr and "--resend" in again.stderr
    forced = send(str(source), "-o", str(out), "--resend")
    assert forced.exit_code == 0 and len(smtp.messages) == 2
    states = [json.loads(line)["state"] for line in (out / "2023" / "sent.jsonl").read_text().splitlines()]
    assert states == ["intent", "sent", "intent", "sent"]


def test_another_school_two_addresses_cc_and_a_changed_report_replaces_the_first(smtp, tmp_path) -> None:
    from openpyxl import load_workbook

    from cases import set_settings

    source = build_case_a(tmp_path / "a.xlsx")
    book = load_workbook(source)
    set_settings(
        book,
        {
            "Email nhận báo cáo": "vanhoa.tanhung@example.gov.vn; ctt.sgd@example.gov.vn",
            "Email CC": "hieutruong@thcsnguyentrai.example.edu.vn",
            "Email đơn vị": "thcsnguyentrai@example.edu.vn",
            "Điện thoại đơn vị": "028 3812 3456",
        },
    )
    book.save(source)
    out = tmp_path / "out"
    result = send(str(source), "-o", str(out), "--both", "--attach", str(source))
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 2
    plan, report = (parse(raw) for _, raw in smtp.messages)
    assert plan["Subject"].startswith("[THCSNT] Kế hoạch số 31/KH-THCSNT ngày 05/11/2025 triển khai")
    assert report["To"] == "vanhoa.tanhung@example.gov.vn, ctt.sgd@example.gov.vn"
    assert report["Cc"] == "hieutruong@thcsnguyentrai.example.edu.vn"
    assert smtp.messages[1][0] == [
        "vanhoa.tanhung@example.gov.vn",
        "ctt.sgd@example.gov.vn",
        "hieutruong@thcsnguyentrai.example.edu.vn",
    ]
    assert [a.get_filename() for a in report.iter_attachments()][-1] == "a.xlsx"
    body = report.get_body(("plain",)).get_content()
    assert "KT. HIỆU TRƯỞNG" in body and "028 3812 3456" in body and "Trường THCS Nguyễn Trãi" in body
    set_settings(book, {"Số báo cáo": 49})
    book.save(source)
    changed = send(str(source), "-o", str(out))
    assert changed.exit_code == 0, changed.output
    assert len(smtp.messages) == 3
    replacement = parse(smtp.messages[2][1])
    assert replacement["Subject"].startswith("[Thay thế] [THCSNT] Báo cáo số 49/BC-THCSNT")
    assert "thay thế văn bản đã gửi lúc" in replacement.get_body(("plain",)).get_content()


def test_dry_run_writes_an_eml_without_any_smtp_setting(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TOOLKIT_SMTP_HOST", raising=False)
    out = tmp_path / "out"
    result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(out), "--dry-run")
    assert result.exit_code == 0, result.output
    eml = out / "2023" / "outbox" / "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.eml"
    message = parse(eml.read_bytes())
    assert message["Subject"].startswith("[THBA] Báo cáo số 25/BC-THBA")
    assert not (out / "2023" / "sent.jsonl").exists()


def test_temporary_answers_are_retried_then_the_message_goes_once(smtp, tmp_path) -> None:
    smtp.temporary = 2
    result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1


def test_temporary_answers_that_never_end_fail_and_record_the_truth(smtp, tmp_path) -> None:
    smtp.temporary = 10
    out = tmp_path / "out"
    result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(out))
    assert result.exit_code == 3
    assert (
        "did not take the message after 3 tries (451 4.3.0 Try again later)"
        in CliRunner().invoke(cli, ["send", str(tmp_path / "x.xlsx"), "-o", str(out), "--lang", "en"]).stderr
    )
    states = [json.loads(line)["state"] for line in (out / "2023" / "sent.jsonl").read_text().splitlines()]
    assert "sent" not in states and states[:2] == ["intent", "failed"]


def test_rejected_recipient_wrong_password_and_size_limit_each_exit_3(smtp, tls, tmp_path, monkeypatch) -> None:
    source = write_workbook(tmp_path / "x.xlsx")
    smtp.reject = {"pgd-thuthua@example.edu.vn"}
    rejected = send(str(source), "-o", str(tmp_path / "o1"), "--lang", "en")
    assert rejected.exit_code == 3 and "refused the recipient(s): pgd-thuthua@example.edu.vn (550" in rejected.stderr
    smtp.reject = set()
    monkeypatch.setenv("TOOLKIT_SMTP_PASSWORD", "wrong-password")
    monkeypatch.setenv("TOOLKIT_SMTP_TIMEOUT", "1")  # this server does not answer a wrong password: it waits
    denied = send(str(source), "-o", str(tmp_path / "o2"))
    assert denied.exit_code == 3 and "mật khẩu ứng dụng" in denied.stderr
    monkeypatch.setenv("TOOLKIT_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("TOOLKIT_SMTP_TIMEOUT", "5")
    controller, box = _server(tls, size=20_000)
    try:
        _environment(monkeypatch, tls[0], controller.port, "starttls")
        too_big = send(str(source), "-o", str(tmp_path / "o3"), "--lang", "en")
        assert too_big.exit_code == 3 and "over the limit of 19 KB of the mail server" in too_big.stderr
        assert box.messages == []
    finally:
        controller.stop()
    assert smtp.messages == []
    for folder in ("o1", "o2", "o3"):
        text = (tmp_path / folder / "2023" / "sent.jsonl").read_text()
        assert '"state": "sent"' not in text and PASSWORD not in text and "wrong-password" not in text


def test_implicit_tls_and_an_untrusted_certificate(tls, tmp_path, monkeypatch) -> None:
    controller, box = _server(tls, implicit=True)
    try:
        _environment(monkeypatch, tls[0], controller.port, "ssl")
        source = write_workbook(tmp_path / "x.xlsx")
        first = send(str(source), "-o", str(tmp_path / "out"))
        assert first.exit_code == 0, first.output
        assert len(box.messages) == 1
        monkeypatch.delenv("TOOLKIT_SMTP_CAFILE")
        untrusted = send(str(source), "-o", str(tmp_path / "out2"), "--lang", "en")
        assert untrusted.exit_code == 3 and "secure (TLS) connection" in untrusted.stderr
        assert "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
        assert (
            "If the server uses its own certificate (self-signed or the organisation's), set "
            "TOOLKIT_SMTP_CAFILE=<the server's certificate file, PEM>" in untrusted.stderr
        )
        assert len(box.messages) == 1
    finally:
        controller.stop()


def test_ssl_on_a_starttls_port_says_the_port_expects_starttls(tls, tmp_path, monkeypatch) -> None:
    """TOOLKIT_SMTP_SECURITY=ssl aimed at a STARTTLS port (the server greets in plain text): the message says the
    port expects STARTTLS and which setting to change; nothing is sent."""
    controller, box = _server(tls)
    try:
        _environment(monkeypatch, tls[0], controller.port, "ssl")
        result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(tmp_path / "out"), "--lang", "en")
    finally:
        controller.stop()
    assert result.exit_code == 3, result.output
    assert (
        f"Port {controller.port} expects STARTTLS encryption, not SSL from the start: set "
        "TOOLKIT_SMTP_SECURITY=starttls, or use the server's SSL port (usually 465) with TOOLKIT_SMTP_PORT."
    ) in result.stderr
    assert "Traceback" not in result.output and box.messages == []


def test_an_empty_security_setting_is_starttls(smtp, tmp_path, monkeypatch) -> None:
    """``TOOLKIT_SMTP_SECURITY=`` (set, nothing after it, as an env file or a shell export leaves it) is the same
    as not set: STARTTLS, the report sent."""
    monkeypatch.setenv("TOOLKIT_SMTP_SECURITY", "  ")
    result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1


def test_no_password_in_any_output_record_or_message(smtp, tmp_path) -> None:
    out = tmp_path / "out"
    source = write_workbook(tmp_path / "x.xlsx")
    results = [
        send(str(source), "-o", str(out), "--both", "--format", "json"),
        send(str(source), "-o", str(out), "--dry-run", "-v"),
    ]
    assert all(r.exit_code == 0 for r in results)
    delivery = json.loads(results[0].stdout)["delivery"]
    assert [d["status"] for d in delivery] == ["sent", "sent"]
    seen = "".join(r.output for r in results) + "".join(raw.decode("latin-1") for _, raw in smtp.messages)
    seen += "".join(p.read_text("latin-1") for p in out.rglob("*") if p.suffix in (".jsonl", ".eml"))
    assert PASSWORD not in seen


def test_a_connection_dropped_during_data_is_retried_and_sent_once(smtp, tmp_path) -> None:
    smtp.drops = 1
    result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1


def test_a_server_that_never_answers_fails_in_bounded_time(tmp_path, monkeypatch, tls) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # accepts connections and never says a word
    try:
        _environment(monkeypatch, tls[0], silent.getsockname()[1], "starttls")
        monkeypatch.setenv("TOOLKIT_SMTP_TIMEOUT", "0.5")
        started = time.monotonic()
        result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(tmp_path / "out"), "--lang", "en")
        assert time.monotonic() - started < 10
        assert result.exit_code == 3 and "did not take the message after 3 tries" in result.stderr
    finally:
        silent.close()


def test_the_password_comes_from_the_os_keyring(smtp, tmp_path, monkeypatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            return PASSWORD if (service, username) == ("school-campaign-toolkit", USER) else None

        def set_password(self, service, username, password):
            raise NotImplementedError

        def delete_password(self, service, username):
            raise NotImplementedError

    monkeypatch.delenv("TOOLKIT_SMTP_PASSWORD")
    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(tmp_path / "out"))
    finally:
        keyring.set_keyring(previous)
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1


def test_killed_at_any_point_a_rerun_never_sends_twice_without_asking(smtp, tmp_path) -> None:
    """SIGKILL the sending process at random points (half of them while the server holds the message but has
    not answered yet); a plain re-run then either sends the one message or refuses, naming the interrupted send."""
    source = write_workbook(tmp_path / "x.xlsx")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "toolkit", "send", str(source), "--lang", "en", "-q"]
    smtp.reply_delay = 0.4
    started = time.monotonic()
    subprocess.run([*command, "-o", str(tmp_path / "probe")], env=env, check=True, capture_output=True, timeout=60)
    duration = time.monotonic() - started
    rng = random.Random(9)
    seen = {"before": 0, "unconfirmed": 0, "sent": 0}
    for cycle in range(24):
        out = tmp_path / f"run{cycle}"
        before = len(smtp.messages)
        smtp.stored.clear()
        child = subprocess.Popen(
            [*command, "-o", str(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if cycle % 2:
            smtp.stored.wait(30)
            time.sleep(rng.uniform(0, 0.3))
        else:
            time.sleep(rng.uniform(0, duration))
        child.send_signal(signal.SIGKILL)
        child.wait()
        time.sleep(0.6)  # what the client sent before it died may still be on its way into the server
        record = out / "2023" / "sent.jsonl"
        states = [json.loads(line)["state"] for line in record.read_text().splitlines()] if record.exists() else []
        delivered = len(smtp.messages) - before
        rerun = subprocess.run([*command, "-o", str(out)], env=env, capture_output=True, text=True, timeout=60)
        after = len(smtp.messages) - before
        assert after <= 1, f"cycle {cycle}: {after} messages for one report ({states})"
        if "sent" in states:
            seen["sent"] += 1
            assert rerun.returncode == 0 and after == delivered == 1
        elif "intent" in states:
            seen["unconfirmed"] += 1
            assert rerun.returncode == 3 and "was interrupted" in rerun.stderr and after == delivered
        else:
            seen["before"] += 1
            assert rerun.returncode == 0 and after == 1
    assert seen["unconfirmed"] >= 3, seen


def test_the_signed_scan_named_in_the_workbook_replaces_the_unsigned_pdf(smtp, tmp_path) -> None:
    (tmp_path / "scan").mkdir()
    (tmp_path / "scan" / "Báo cáo đã ký.pdf").write_bytes(b"%PDF-1.4 signed and sealed")
    (tmp_path / "out" / "2023").mkdir(parents=True)
    unsigned = tmp_path / "out" / "2023" / "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.pdf"
    unsigned.write_bytes(b"%PDF-1.4 unsigned")
    source = write_workbook(tmp_path / "x.xlsx", {("Thông tin", "B32"): "scan/Báo cáo đã ký.pdf"})
    from openpyxl import load_workbook

    assert load_workbook(source)["Thông tin"]["A32"].value == "Bản đã ký (Báo cáo)"
    result = send(str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    attachments = {a.get_filename(): a.get_content() for a in parse(smtp.messages[0][1]).iter_attachments()}
    assert attachments["Báo cáo đã ký.pdf"] == b"%PDF-1.4 signed and sealed"  # a Vietnamese file name (RFC 2231)
    assert not any(name.endswith("dang-gioi-3bc290.pdf") for name in attachments)
    missing = send(
        str(write_workbook(tmp_path / "y.xlsx", {("Thông tin", "B32"): "khong-co.pdf"})),
        "-o",
        str(tmp_path / "out2"),
        "--lang",
        "en",
    )
    assert missing.exit_code == 3 and 'named in "Bản đã ký (Báo cáo)" was not found' in missing.stderr


def test_a_421_answer_is_temporary_too(smtp, tmp_path) -> None:
    smtp.temporary, smtp.temporary_code = 1, "421 4.7.0 Too many connections, try later"
    result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1


def test_a_refused_connection_and_an_unknown_host_say_what_to_check(tmp_path, monkeypatch, tls) -> None:
    _environment(monkeypatch, tls[0], _free_port(), "starttls")  # nothing listens there
    source = str(write_workbook(tmp_path / "x.xlsx"))
    refused = send(source, "-o", str(tmp_path / "out"), "--lang", "en")
    assert refused.exit_code == 3 and "refused the connection: check the port (587 or 465)" in refused.stderr

    def no_such_host(*args, **kwargs):  # the resolver needs a network this machine does not have
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    unknown = send(source, "-o", str(tmp_path / "out"), "--lang", "en")
    assert unknown.exit_code == 3 and 'Mail server "localhost" not found' in unknown.stderr
    record = tmp_path / "out" / "2023" / "sent.jsonl"
    assert '"state": "sent"' not in record.read_text()


class _Hung(Exception):
    pass


def _within(seconds: float):
    """Fail the test instead of hanging for ever (a FIFO opened without O_NONBLOCK waits for a writer)."""
    import contextlib

    @contextlib.contextmanager
    def limit():
        def stop(signum, frame):
            raise _Hung(f"still running after {seconds} s")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    return limit()


@pytest.mark.parametrize("kind", ["link", "fifo", "folder"])
def test_a_link_fifo_or_folder_at_the_sent_record_is_refused_and_nothing_is_sent(smtp, tmp_path, kind) -> None:
    source = write_workbook(tmp_path / "thba.xlsx")
    out = tmp_path / "out"
    record = out / "2023" / "sent.jsonl"
    record.parent.mkdir(parents=True)
    bashrc = tmp_path / ".bashrc"
    bashrc.write_text("export PATH\n")
    if kind == "link":
        record.symlink_to(bashrc)
    elif kind == "fifo":
        os.mkfifo(record)
    else:
        record.mkdir()
    with _within(30):
        result = send(str(source), "-o", str(out), "--lang", "en")
    assert result.exit_code == 4, (result.output, result.exception)
    what = {"link": "a link (symlink)", "fifo": "a FIFO (named pipe)", "folder": "a folder"}[kind]
    assert f"{record} is {what}, not a regular file" in result.stderr
    assert smtp.messages == [] and bashrc.read_text() == "export PATH\n"


def test_a_damaged_sent_record_is_reported_by_line_and_its_good_lines_still_count(smtp, tmp_path) -> None:
    source = write_workbook(tmp_path / "thba.xlsx")
    out = tmp_path / "out"
    assert send(str(source), "-o", str(out)).exit_code == 0 and len(smtp.messages) == 1
    record = out / "2023" / "sent.jsonl"
    good = record.read_bytes()
    sent = json.loads(good.splitlines()[-1])
    damaged = [
        b"123",
        b"[1,2]",
        b"null",
        b'{"kind": "report", "state": "sent", "note": "\xff\xfe not UTF-8"}',
        json.dumps({k: v for k, v in sent.items() if k not in ("subject", "time")}).encode(),
        json.dumps({**sent, "recipients": 5}).encode(),
        json.dumps({**sent, "attachments": ["x"]}).encode(),
    ]
    record.write_bytes(b"\n".join(damaged) + b"\n" + good + b'{"kind": "report", "sta')
    again = send(str(source), "-o", str(out), "--lang", "en")
    assert again.exit_code == 0, again.output
    assert len(smtp.messages) == 1 and "--resend" in again.stderr  # the good lines still say it was sent
    assert f"Warning: {record} has 8 damaged line(s) (lines 1, 2, 3, 4, 5, 6, 7, 10), skipped" in again.stderr
    forced = send(str(source), "-o", str(out), "--resend", "--lang", "en")
    assert forced.exit_code == 0 and len(smtp.messages) == 2
    lines = record.read_bytes().split(b"\n")
    assert lines[9] == b'{"kind": "report", "sta'  # the cut line is ended, never glued to the next record
    assert [json.loads(line)["state"] for line in lines[10:] if line] == ["intent", "sent"]


VIETNAMESE = (
    "Báo cáo kết quả thực hiện Tháng hành động vì an toàn thực phẩm năm 2026 của Trường Trung học phổ thông "
    "Lê Quý Đôn, tỉnh Quảng Nam (bản đã ký, đóng dấu) “Nghiêng” 'đơn' <góc> ; Đắk Lắk ưu tiên Nguyễn Thị Ánh "
)


@pytest.mark.parametrize("start", [0, 7, 33])
def test_subject_sender_and_attachment_names_read_back_exactly_at_any_length(start) -> None:
    from email.message import EmailMessage

    from toolkit.delivery.message import POLICY, encoded_text, mailbox

    text = (VIETNAMESE * 4)[start:]
    for length in range(1, 401):
        piece = text[:length].strip() or "Đ"
        name = " ".join(piece.split())
        message = EmailMessage(policy=POLICY)
        message.set_raw("Subject", encoded_text(piece, "Subject"))
        message.set_raw("From", mailbox(name, "vanthu@example.edu.vn"))
        message["To"] = "pgd@example.gov.vn"
        message.set_content("x")
        message.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename=piece + ".pdf")
        raw = message.as_bytes()
        assert max(len(line) for line in raw.split(b"\n")) <= 998
        back = parse(raw)
        assert back["Subject"] == piece, length
        (sender,) = back["From"].addresses
        assert (sender.display_name, sender.addr_spec) == (name, "vanthu@example.edu.vn"), length
        assert [a.get_filename() for a in back.iter_attachments()] == [piece + ".pdf"], length
        assert _rfc2047(raw, "Subject") == piece, length
        assert _rfc2047(raw, "From") == f"{name} <vanthu@example.edu.vn>", length


NAMES = (
    "Trường Mầm non Hoa Sen",
    "Trường Tiểu học Bình An",
    "Trường THCS Nguyễn Trãi",
    "Trường THPT Lê Quý Đôn",
    "Trường Mầm non Sơn Ca - Đắk Lắk",
    "Phòng Giáo dục và Đào tạo Thủ Thừa",
    "Trường Phổ thông Dân tộc Nội trú Trung học cơ sở và Trung học phổ thông huyện Mường Nhé",
    "Trường Tiểu học & THCS Ánh Dương (cơ sở 2)",
    "Mầm",
    "Đắk Lắk Ưu Ái Ơn Ủy Ỷ Ếch Ống Ước Ứng Ừng Ửng Ữa Ựa Ỳ Ý Ỹ Ỵ Đồng Đẳng Ưỡng Ấn Ầm Ẩm Ẫn Ậm " * 12,
)


@pytest.mark.parametrize("name", NAMES)
def test_a_sender_name_and_subject_keep_their_spaces_through_rfc_2047_decoding(name) -> None:
    """RFC 2047 readers (Python's decode_header, Perl, mail programs) ignore the white space between two encoded
    words; the school's name and the subject must still read with their spaces, as email.policy.default reads
    them."""
    from email.message import EmailMessage

    from toolkit.delivery.message import POLICY, encoded_text, mailbox

    name = " ".join(name.split())
    message = EmailMessage(policy=POLICY)
    message.set_raw("Subject", encoded_text(f"[HS] Báo cáo của {name}", "Subject"))
    message.set_raw("From", mailbox(name, "vanthu@example.edu.vn"))
    message.set_content("x")
    raw = message.as_bytes()
    assert max(len(line) for line in raw.split(b"\n")) <= 998
    assert _rfc2047(raw, "From") == f"{name} <vanthu@example.edu.vn>"
    assert _rfc2047(raw, "Subject") == f"[HS] Báo cáo của {name}"
    if len(name.encode()) < 700:  # a longer run of words is cut in two: RFC 2047 readers alone read it exactly
        assert parse(raw)["From"].addresses[0].display_name == name
    assert parse(raw)["Subject"] == f"[HS] Báo cáo của {name}"


def _rfc2047(raw: bytes, header: str) -> str:
    """The header as an RFC 2047 reader reads it: unfolded, then ``decode_header`` and ``make_header`` (a
    display name read so is compared whole: a comma inside an encoded word is text, not a separator)."""
    from email.header import decode_header, make_header

    head = raw.split(b"\n\n", 1)[0].decode("ascii").replace("\r\n", "\n")
    value = re.search(rf"^{header}: (.*(?:\n[ \t].*)*)", head, re.M)
    assert value is not None
    return str(make_header(decode_header(re.sub(r"\n(?=[ \t])", "", value.group(1)))))


def test_the_letter_names_each_document_as_an_office_does(tmp_path) -> None:
    from cases import CASE_C_DAY, build_case_c

    source = build_case_c(tmp_path / "c.xlsx")  # an upper-secondary school under a Department, 2026
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["send", str(source), "-o", str(out), "--both", "--dry-run"], env={"TOOLKIT_TODAY": CASE_C_DAY.isoformat()}
    )
    assert result.exit_code == 0, result.output
    plan, report = (parse(path.read_bytes()) for path in sorted((out / "2026" / "outbox").glob("*.eml"))[::-1])
    assert report["Subject"] == (
        "[THPTLQĐ] Báo cáo số 96/BC-THPTLQĐ ngày 18/05/2026 kết quả thực hiện Tháng hành động vì an toàn thực "
        "phẩm năm 2026"
    )
    (sender,) = report["From"].addresses
    assert sender.display_name == "Trường THPT Lê Quý Đôn" and sender.addr_spec == "thptlequydon@example.edu.vn"
    body = report.get_body(("plain",)).get_content()
    assert (
        "Trường THPT Lê Quý Đôn trân trọng gửi Báo cáo số 96/BC-THPTLQĐ ngày 18/05/2026 về kết quả thực hiện "
        "Tháng hành động vì an toàn thực phẩm năm 2026." in body
    )
    names = [a.get_filename() for a in report.iter_attachments()]
    listed = body[body.index("Tệp đính kèm:") :].splitlines()[1 : 1 + len(names)]
    assert listed == [f"- {name}" for name in names]
    assert (
        "Kế hoạch số 30/KH-THPTLQĐ ngày 10/04/2026 về việc triển khai Tháng hành động"
        in plan.get_body(("plain",)).get_content()
    )


@pytest.mark.parametrize("kind", ["link", "fifo", "folder"])
def test_a_link_fifo_or_folder_at_the_dry_run_message_is_refused(tmp_path, monkeypatch, kind) -> None:
    monkeypatch.delenv("TOOLKIT_SMTP_HOST", raising=False)
    out = tmp_path / "out"
    eml = out / "2023" / "outbox" / "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.eml"
    eml.parent.mkdir(parents=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("kept\n")
    if kind == "link":
        eml.symlink_to(outside)
    elif kind == "fifo":
        os.mkfifo(eml)
    else:
        eml.mkdir()
    with _within(30):
        result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(out), "--dry-run", "--lang", "en")
    assert result.exit_code == 4, (result.output, result.exception)
    assert str(eml) in result.stderr and ("link" in result.stderr or "not a regular file" in result.stderr)
    assert outside.read_text() == "kept\n" and not list(eml.parent.glob("*.tmp"))


def test_an_attachment_that_is_a_fifo_is_refused_without_waiting(smtp, tmp_path) -> None:
    """A FIFO named with --attach would hang the hash of the attachments (a folder is refused by the option)."""
    source = write_workbook(tmp_path / "thba.xlsx")
    odd = tmp_path / "ke-hoach-da-ky.pdf"
    os.mkfifo(odd)
    with _within(30):
        result = send(str(source), "-o", str(tmp_path / "out"), "--attach", str(odd), "--lang", "en")
    assert result.exit_code == 3, (result.output, result.exception)
    assert f"{odd} is a FIFO (named pipe), not a file to attach." in result.stderr
    assert smtp.messages == []


def test_a_pdf_older_than_its_document_is_never_sent(smtp, tmp_path) -> None:
    """sync-and-report --pdf, a change, sync-and-report without --pdf: the stale PDF stays out of the message."""
    from openpyxl import load_workbook

    from cases import set_settings

    source = write_workbook(tmp_path / "x.xlsx")
    out = tmp_path / "out"
    first = CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(out), "--pdf"])
    assert first.exit_code == 0, first.output
    docx = out / "2023" / "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"
    stale = docx.with_suffix(".pdf")
    assert stale.is_file()
    time.sleep(0.05)
    book = load_workbook(source)
    set_settings(book, {"Số báo cáo": 49})
    book.save(source)
    second = CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(out)])
    assert second.exit_code == 0, second.output
    result = CliRunner().invoke(cli, ["sync-and-report", str(source), "-o", str(out), "--send", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"The PDF {stale} is older than the document, so it is not sent: run again with --pdf." in result.stderr
    assert len(smtp.messages) == 2
    plan = [a.get_filename() for a in parse(smtp.messages[0][1]).iter_attachments()]
    assert plan[-1].startswith("KH-") and plan[-1].endswith(".pdf")  # the plan did not change: its PDF is current
    report = parse(smtp.messages[1][1])
    assert [a.get_content() for a in report.iter_attachments()] == [docx.read_bytes()]
    fresh = send(str(source), "-o", str(out), "--pdf", "--resend")
    assert fresh.exit_code == 0, fresh.output
    names = [a.get_filename() for a in parse(smtp.messages[2][1]).iter_attachments()]
    assert names == [docx.name, stale.name]


def test_sending_with_pdf_twice_sends_once_and_keeps_no_new_version(smtp, tmp_path) -> None:
    """LibreOffice writes other bytes on each export: an unchanged document keeps its PDF, so a second
    ``send --both --pdf`` is "already sent" and history/ gets nothing; a changed document gets a new PDF."""
    from openpyxl import load_workbook

    from cases import CASE_C_DAY, build_case_c, set_settings

    source = build_case_c(tmp_path / "c.xlsx")  # an upper-secondary school, 2026
    out = tmp_path / "out"
    env = {"TOOLKIT_TODAY": CASE_C_DAY.isoformat()}
    command = ["send", str(source), "-o", str(out), "--both", "--pdf", "--lang", "en"]
    first = CliRunner().invoke(cli, command, env=env)
    assert first.exit_code == 0, first.output
    assert len(smtp.messages) == 2
    pdfs = sorted((out / "2026").glob("*.pdf"))
    assert len(pdfs) == 2
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pdfs}
    second = CliRunner().invoke(cli, command, env=env)
    assert second.exit_code == 0, second.output
    assert len(smtp.messages) == 2 and second.stderr.count("was already sent to") == 2
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pdfs} == before
    assert not (out / "2026" / "history").exists()
    records = [json.loads(line) for line in (out / "2026" / "sent.jsonl").read_text().splitlines()]
    assert [r["state"] for r in records] == ["intent", "sent"] * 2
    book = load_workbook(source)
    set_settings(book, {"Số báo cáo": 97})
    book.save(source)
    third = CliRunner().invoke(cli, command, env=env)
    assert third.exit_code == 0, third.output
    assert len(smtp.messages) == 3  # the report changed, the plan did not
    report = parse(smtp.messages[2][1])
    assert report["Subject"].startswith("[Thay thế] [THPTLQĐ] Báo cáo số 97/")
    attached = {a.get_filename(): a.get_content() for a in report.iter_attachments()}
    (changed,) = [p for p in pdfs if p.name.startswith("BC-")]
    assert attached[changed.name] == changed.read_bytes() != before[changed][0]
    assert [p.name for p in (out / "2026" / "history").glob("*.pdf")] == [
        p.name for p in (out / "2026" / "history").glob("BC-*.pdf")
    ]


@pytest.fixture
def zone(monkeypatch):
    """Set this process's local time zone (``TZ``) for a while; the one before comes back after."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


def test_times_are_shown_as_an_office_writes_them_in_local_time(smtp, tmp_path, zone) -> None:
    """The record keeps ISO 8601; people read "16 giờ 03 phút ngày 06/12/2026" in this machine's time zone, on
    the screen and in the covering letter of a replacement (English: "16:03 on 06/12/2026")."""
    from openpyxl import load_workbook

    from cases import set_settings

    source = write_workbook(tmp_path / "x.xlsx")
    out = tmp_path / "out"
    zone("UTC")
    assert send(str(source), "-o", str(out)).exit_code == 0
    record = out / "2023" / "sent.jsonl"
    stamp = json.loads(record.read_text().splitlines()[-1])["time"]
    assert stamp.endswith("+00:00") and "T" in stamp  # the record keeps ISO 8601
    zone("Asia/Ho_Chi_Minh")
    local = dt.datetime.fromisoformat(stamp) + dt.timedelta(hours=7)
    vi = f"{local:%H} giờ {local:%M} phút ngày {local:%d/%m/%Y}"
    again = send(str(source), "-o", str(out))
    assert f"đã gửi tới pgd-thuthua@example.edu.vn lúc {vi}: không gửi lại" in again.stderr
    english = send(str(source), "-o", str(out), "--lang", "en")
    assert f"already sent to pgd-thuthua@example.edu.vn at {local:%H:%M} on {local:%d/%m/%Y}: not" in english.stderr
    assert stamp not in again.stderr + english.stderr
    book = load_workbook(source)
    set_settings(book, {"Số báo cáo": 49})
    book.save(source)
    assert send(str(source), "-o", str(out)).exit_code == 0
    body = parse(smtp.messages[-1][1]).get_body(("plain",)).get_content()
    assert f"Văn bản này thay thế văn bản đã gửi lúc {vi}.\n" in body
    assert json.loads(record.read_text().splitlines()[-1])["time"].endswith("+07:00")


def test_a_server_without_starttls_is_refused_with_the_settings_to_change(tmp_path, monkeypatch) -> None:
    """Only TOOLKIT_SMTP_HOST and _PORT set, a server that offers no STARTTLS: nothing goes in plain text, and the
    message names the settings that reach an encrypted port."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())  # no TLS at all
    controller.start()
    try:
        for name in [n for n in os.environ if n.startswith("TOOLKIT_SMTP_")]:
            monkeypatch.delenv(name)
        monkeypatch.setenv("TOOLKIT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("TOOLKIT_SMTP_PORT", str(controller.port))
        out = tmp_path / "out"
        result = send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(out), "--lang", "en")
    finally:
        controller.stop()
    assert result.exit_code == 3, result.output
    assert (
        f"The mail server 127.0.0.1 (port {controller.port}) does not offer STARTTLS encryption: the password and "
        "the message are never sent unencrypted. Use the server's encrypted port: its STARTTLS port (usually 587) "
        "set with TOOLKIT_SMTP_PORT, or SSL from the start with TOOLKIT_SMTP_SECURITY=ssl" in result.stderr
    )
    assert box.messages == []
    assert '"state": "sent"' not in (out / "2023" / "sent.jsonl").read_text()


def test_a_pdf_made_again_of_the_same_document_is_the_same_pdf(smtp, tmp_path, monkeypatch) -> None:
    """The PDF deleted and made again of an unchanged document has the same bytes (LibreOffice's creation time and
    file ID are the document's own): the next send says "already sent" instead of sending a "[Thay thế]"."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")  # LibreOffice writes its time as +07'00'

    source = write_workbook(tmp_path / "x.xlsx")
    out = tmp_path / "out"
    assert send(str(source), "-o", str(out), "--pdf").exit_code == 0
    pdf = out / "2023" / "BC-THBA-thang-hanh-dong-vi-binh-dang-gioi-3bc290.pdf"
    first = pdf.read_bytes()
    pdf.unlink()
    time.sleep(1.1)  # LibreOffice's own creation time would now differ by a second
    again = send(str(source), "-o", str(out), "--pdf", "--lang", "en")
    assert again.exit_code == 0, again.output
    assert pdf.read_bytes() == first
    assert len(smtp.messages) == 1 and "was already sent to" in again.stderr
    with pdf.open("rb") as handle:
        reader = PdfFileReader(handle, strict=True)  # the cross-reference table still points at every object
        assert str(reader.trailer["/Info"]["/CreationDate"]) == "D:20231208080000+00'00'"  # the report's date
        assert len(reader.root["/Pages"]["/Kids"]) >= 1


def test_a_sender_given_with_its_own_name_keeps_its_spaces_too(tmp_path, monkeypatch) -> None:
    """TOOLKIT_SMTP_FROM with a display name is encoded as the school's name is (the standard library's folding
    cut "thông" into two encoded words, which email.policy.default reads as "thôn g")."""
    name = NAMES[6]
    monkeypatch.delenv("TOOLKIT_SMTP_HOST", raising=False)
    monkeypatch.setenv("TOOLKIT_SMTP_FROM", f"{name} <vanthu@example.edu.vn>")
    out = tmp_path / "out"
    assert send(str(write_workbook(tmp_path / "x.xlsx")), "-o", str(out), "--dry-run").exit_code == 0
    (eml,) = (out / "2023" / "outbox").glob("*.eml")
    raw = eml.read_bytes()
    assert _rfc2047(raw, "From") == f"{name} <vanthu@example.edu.vn>"
    assert parse(raw)["From"].addresses[0].display_name == name

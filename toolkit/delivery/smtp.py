"""Sending over SMTP with verified TLS (STARTTLS or implicit), a bounded retry of temporary answers, and the
password from the OS keyring or the environment: it never leaves this module (not printed, logged, recorded or
written into the message)."""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from ..core.errors import DeliveryError
from ..core.i18n import T

KEYRING_SERVICE = "school-campaign-toolkit"


@dataclass(frozen=True)
class Transport:
    """How to reach the mail server; the password is kept out of ``repr``."""

    host: str
    port: int
    user: str = ""
    security: str = "starttls"  # or "ssl" (implicit TLS)
    sender: str = ""
    timeout: float = 30.0
    attempts: int = 3
    delay: float = 2.0  # seconds before the first retry, doubled each time
    cafile: str | None = None
    password: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, sender: str = "") -> Transport:
        """``TOOLKIT_SMTP_HOST``, ``_PORT``, ``_USER``, ``_SECURITY``, ``_FROM``, ``_TIMEOUT``, ``_CAFILE``;
        the password from the OS keyring (service ``school-campaign-toolkit``, the user name) or
        ``TOOLKIT_SMTP_PASSWORD``."""
        env = os.environ if environ is None else environ
        host = env.get("TOOLKIT_SMTP_HOST", "").strip()
        if not host:
            raise DeliveryError(
                T(
                    "Chưa cấu hình máy chủ thư: đặt TOOLKIT_SMTP_HOST (ví dụ smtp.gmail.com), hoặc "
                    "dùng --dry-run để chỉ tạo thư .eml."
                ),
            )
        security = env.get("TOOLKIT_SMTP_SECURITY", "").strip().lower() or "starttls"  # set but empty: unset
        if security not in ("starttls", "ssl"):
            raise DeliveryError(
                T('TOOLKIT_SMTP_SECURITY phải là starttls hoặc ssl, không phải "{security}".', security=security),
            )
        try:
            port = int(env.get("TOOLKIT_SMTP_PORT") or (465 if security == "ssl" else 587))
            timeout = float(env.get("TOOLKIT_SMTP_TIMEOUT") or 30)
            delay = float(env.get("TOOLKIT_SMTP_RETRY_DELAY") or 2)
        except ValueError as exc:
            raise DeliveryError(
                T("TOOLKIT_SMTP_PORT/TIMEOUT/RETRY_DELAY phải là số."),
            ) from exc
        user = env.get("TOOLKIT_SMTP_USER", "").strip()
        return cls(
            host=host,
            port=port,
            user=user,
            security=security,
            sender=env.get("TOOLKIT_SMTP_FROM", "").strip() or sender or user,
            timeout=timeout,
            delay=delay,
            cafile=env.get("TOOLKIT_SMTP_CAFILE") or None,
            password=_password(user, env),
        )


def _password(user: str, env: Mapping[str, str]) -> str:
    """The SMTP password: the OS keyring first, then ``TOOLKIT_SMTP_PASSWORD``; empty when neither has one."""
    if user:
        try:
            import keyring

            stored = keyring.get_password(KEYRING_SERVICE, user)
            if stored:
                return stored
        except Exception:  # no keyring library or no usable backend on this machine: fall back to the variable
            pass
    return env.get("TOOLKIT_SMTP_PASSWORD", "")


def smtp_send(message: EmailMessage, recipients: Sequence[str], t: Transport) -> str:
    """Send over SMTP with verified TLS; retry temporary (4xx) answers and dropped connections a few times."""
    context = ssl.create_default_context(cafile=t.cafile)
    data = message.as_bytes()
    wait = t.delay
    for attempt in range(1, t.attempts + 1):
        try:
            return _once(message, data, recipients, t, context)
        except (smtplib.SMTPServerDisconnected, ConnectionResetError, TimeoutError) as exc:
            problem: Exception = exc
        except smtplib.SMTPResponseException as exc:
            if not 400 <= exc.smtp_code < 500:
                raise _permanent(exc, t) from exc
            problem = exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if not all(400 <= code < 500 for code in codes):
                raise _refused(exc) from exc
            problem = exc
        if attempt == t.attempts:
            raise DeliveryError(
                T(
                    (
                        "Máy chủ thư {host} không nhận thư sau {attempts} lần thử ({problem}). "
                        "Chưa gửi; hãy chạy lại sau."
                    ),
                    host=t.host,
                    attempts=t.attempts,
                    problem=_said(problem),
                ),
            ) from problem
        time.sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")


def _once(message: EmailMessage, data: bytes, recipients: Sequence[str], t: Transport, context: ssl.SSLContext) -> str:
    # Long: one SMTP conversation (connect, TLS, login, send), each step with the message people need when it fails.
    try:
        if t.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(t.host, t.port, timeout=t.timeout, context=context)
        else:
            client = smtplib.SMTP(t.host, t.port, timeout=t.timeout)
    except socket.gaierror as exc:
        raise DeliveryError(
            T('Không tìm thấy máy chủ thư "{host}": kiểm tra TOOLKIT_SMTP_HOST.', host=t.host),
        ) from exc
    except ConnectionRefusedError as exc:
        raise DeliveryError(
            T(
                "Máy chủ thư {host}:{port} từ chối kết nối: kiểm tra cổng (587 hoặc 465).",
                host=t.host,
                port=t.port,
            ),
        ) from exc
    except ssl.SSLError as exc:
        raise _tls(exc, t) from exc
    with client:
        try:
            client.ehlo()
            if t.security == "starttls":
                if not client.has_extn("starttls"):
                    raise DeliveryError(
                        T(
                            (
                                "Máy chủ thư {host} (cổng {port}) không hỗ trợ mã hóa STARTTLS: không gửi mật "
                                "khẩu và thư qua kết nối không mã hóa. Hãy dùng cổng có mã hóa của máy chủ: "
                                "cổng STARTTLS (thường 587) đặt bằng TOOLKIT_SMTP_PORT, hoặc mã hóa SSL ngay từ "
                                "đầu với TOOLKIT_SMTP_SECURITY=ssl (cổng 465 nếu không đặt TOOLKIT_SMTP_PORT). "
                                "Hỏi bộ phận CNTT cổng nào; máy chủ dùng chứng chỉ riêng thì đặt thêm "
                                "TOOLKIT_SMTP_CAFILE=<tệp chứng chỉ>."
                            ),
                            host=t.host,
                            port=t.port,
                        ),
                    )
                client.starttls(context=context)
                client.ehlo()
        except ssl.SSLError as exc:
            raise _tls(exc, t) from exc
        limit = int(client.esmtp_features.get("size", "0").split()[0] or 0) if client.has_extn("size") else 0
        if limit and len(data) > limit:
            raise DeliveryError(
                T(
                    (
                        "Thư nặng {len_data_1024} KB, vượt giới hạn {limit_1024} KB của máy chủ "
                        "{host}: bớt tệp đính kèm (ví dụ bỏ PDF) rồi gửi lại."
                    ),
                    len_data_1024=len(data) // 1024,
                    limit_1024=limit // 1024,
                    host=t.host,
                ),
            )
        if t.user:
            try:
                _login(client, t)
            except (smtplib.SMTPAuthenticationError, smtplib.SMTPServerDisconnected, TimeoutError) as exc:
                # some servers hang up on a wrong password instead of answering 535
                raise DeliveryError(
                    T(
                        (
                            "Máy chủ thư {host} không nhận tên đăng nhập hoặc mật khẩu của {user}. Với "
                            'Gmail hãy dùng "mật khẩu ứng dụng" (App password), không dùng mật khẩu thường.'
                        ),
                        host=t.host,
                        user=t.user,
                    ),
                ) from exc
        refused = client.send_message(message, from_addr=t.sender or None, to_addrs=list(recipients))
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        return f"250 {message['Message-ID']}"


def _login(client: smtplib.SMTP, t: Transport) -> None:
    """AUTH with one mechanism (PLAIN, else LOGIN): a wrong password is one clear 535, not a disconnect."""
    offered = client.esmtp_features.get("auth", "").upper().split()
    if not offered:
        raise DeliveryError(T("Máy chủ thư {host} không nhận đăng nhập (AUTH).", host=t.host))
    mechanism = "PLAIN" if "PLAIN" in offered else "LOGIN" if "LOGIN" in offered else None
    if mechanism is None:
        client.login(t.user, t.password)
        return
    client.user, client.password = t.user, t.password
    client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"), initial_response_ok=True)


def _said(exc: BaseException) -> str:
    """The server's answer (``451 try later``) or the kind of failure."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return type(exc).__name__


def _permanent(exc: smtplib.SMTPResponseException, t: Transport) -> DeliveryError:
    return DeliveryError(
        T("Máy chủ thư {host} từ chối thư: {error}.", host=t.host, error=_said(exc)),
    )


def _refused(exc: smtplib.SMTPRecipientsRefused) -> DeliveryError:
    parts = ", ".join(
        f"{addr} ({code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg})"
        for addr, (code, msg) in exc.recipients.items()
    )
    return DeliveryError(
        T('Máy chủ thư từ chối người nhận: {parts}. Kiểm tra "Email nhận báo cáo".', parts=parts),
    )


def _tls(exc: ssl.SSLError, t: Transport) -> DeliveryError:
    """The TLS failure, with what to change when the cause is known: a certificate the system does not trust
    (a server's own certificate: ``TOOLKIT_SMTP_CAFILE``), or SSL spoken to a port that expects STARTTLS."""
    reason = exc.reason or exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DeliveryError(
            T(
                (
                    "Không lập được kết nối mã hóa (TLS) an toàn với {host}: {reason}. Không gửi qua kết nối không "
                    "an toàn. Máy chủ dùng chứng chỉ riêng (tự ký hoặc của cơ quan) thì đặt "
                    "TOOLKIT_SMTP_CAFILE=<tệp chứng chỉ của máy chủ, dạng PEM>; nếu không, kiểm tra "
                    "TOOLKIT_SMTP_HOST đúng tên ghi trên chứng chỉ."
                ),
                host=t.host,
                reason=reason,
            ),
        )
    if t.security == "ssl" and exc.reason == "WRONG_VERSION_NUMBER":
        return DeliveryError(
            T(
                (
                    "Không lập được kết nối mã hóa (TLS) an toàn với {host}: {reason}. Cổng {port} chờ mã hóa "
                    "STARTTLS, không phải SSL ngay từ đầu: đặt TOOLKIT_SMTP_SECURITY=starttls, hoặc dùng cổng SSL "
                    "của máy chủ (thường 465) bằng TOOLKIT_SMTP_PORT."
                ),
                host=t.host,
                reason=reason,
                port=t.port,
            ),
        )
    return DeliveryError(
        T(
            ("Không lập được kết nối mã hóa (TLS) an toàn với {host}: {reason}. Không gửi qua kết nối không an toàn."),
            host=t.host,
            reason=reason,
        ),
    )

"""Where a signing key lives and how it is opened: a PKCS#12 file (``.p12``/``.pfx``) or a PKCS#11 token.

A key is named by a ``KeySpec``, parsed from one string: a path to a ``.p12``/``.pfx`` file, or a PKCS#11 URI
(RFC 7512) such as ``pkcs11:token=VNPT-CA;object=Nguyen%20Van%20A`` (``slot-id=``, ``id=``, and ``x-subject=`` to
choose the certificate by a part of its subject; ``?module-path=`` for the module). Without a module path, the
usual install paths of the Vietnamese CAs' modules (``toolkit/data/pkcs11_modules.json``) are tried in order.

Secrets: a ``.p12`` password comes from the OS keyring or an environment variable, a token's PIN from the
keyring or from ``ask`` (a prompt on the terminal); neither is ever put in a message, an exception or a log. A
wrong PIN is never retried: the token's own flags say how many tries remain. The key never leaves the token.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from asn1crypto import x509

from ..core.errors import SigningError
from ..core.files import NotRegularFile, read_chosen
from ..core.i18n import Message, T
from ..core.text import fold

KEYRING_SERVICE = "school-campaign-toolkit"  # the SMTP password's service too; users differ
Ask = Callable[[Message], str]  # asks a person for a secret (hidden), in their language


@dataclass(frozen=True)
class KeySpec:
    """A key: a PKCS#12 file, or a certificate (by label, id or subject) on a PKCS#11 token."""

    p12: Path | None = None
    module: str | None = None
    token: str | None = None
    slot: int | None = None
    label: str | None = None
    key_id: bytes | None = None
    subject: str | None = None
    password_env: str = "TOOLKIT_P12_PASSWORD"

    @property
    def name(self) -> str:
        """How the key is named in messages (never a secret)."""
        if self.p12 is not None:
            return str(self.p12)
        parts = [f"token={self.token}" if self.token else "", self.label or self.subject or ""]
        return "pkcs11:" + ";".join(p for p in parts if p)


def parse_key(text: str, *, password_env: str = "TOOLKIT_P12_PASSWORD") -> KeySpec:
    """A ``KeySpec`` from a ``.p12``/``.pfx`` path or a ``pkcs11:`` URI; ``SigningError`` if it is neither."""
    text = text.strip()
    if not text.lower().startswith("pkcs11:"):
        if Path(text).suffix.lower() not in (".p12", ".pfx"):
            raise SigningError(
                T(
                    'Không hiểu khóa "{key}": cần một tệp .p12/.pfx hoặc một địa chỉ pkcs11:token=…;object=….',
                    key=text,
                )
            )
        return KeySpec(p12=Path(text), password_env=password_env)
    path, _, query = text[len("pkcs11:") :].partition("?")
    attrs = _attributes(path, ";")
    attrs.update(_attributes(query, "&"))
    slot = attrs.get("slot-id")
    if slot is not None and not slot.isdigit():
        raise SigningError(T('Số khe "{slot}" trong địa chỉ khóa không phải số.', slot=slot))
    key_id = attrs.get("id")
    return KeySpec(
        module=attrs.get("module-path"),
        token=attrs.get("token"),
        slot=int(slot) if slot is not None else None,
        label=attrs.get("object"),
        key_id=unquote(key_id, encoding="latin-1").encode("latin-1") if key_id else None,
        subject=attrs.get("x-subject"),
    )


def _attributes(text: str, separator: str) -> dict[str, str]:
    """``name=value`` pairs of a PKCS#11 URI part, percent-decoded (``id`` kept for its bytes)."""
    found = {}
    for item in filter(None, text.split(separator)):
        name, _, value = item.partition("=")
        found[name.strip().lower()] = value if name.strip().lower() == "id" else unquote(value)
    return found


# -- PKCS#11 modules -----------------------------------------------------------------------------------


def known_modules() -> list[dict[str, Any]]:
    """The Vietnamese CAs' token modules and where each is usually installed (``pkcs11_modules.json``)."""
    path = resources.files("toolkit") / "data" / "pkcs11_modules.json"
    return list(json.loads(path.read_text(encoding="utf-8"))["modules"])


def module_candidates(platform: str, environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """(vendor, path) of every usual module path on ``platform`` (``sys.platform``), Windows variables filled
    from ``environ``; the ``linux`` list serves every other Unix too."""
    key = "win32" if platform == "win32" else "linux"
    system_root = environ.get("SystemRoot") or environ.get("SYSTEMROOT") or "C:\\Windows"
    values = {"SystemRoot": system_root, "ProgramFiles": environ.get("ProgramFiles", "C:\\Program Files")}
    found = []
    for module in known_modules():
        for path in module.get(key, []):
            found.append((module["vendor"], re.sub(r"%(\w+)%", lambda m: values.get(m[1], m[0]), path)))
    return found


def discover_module(
    platform: str, environ: Mapping[str, str], exists: Callable[[str], bool] = os.path.isfile
) -> tuple[str, str] | None:
    """The first installed module, as (vendor, path): ``$TOOLKIT_PKCS11_MODULE`` first, then the usual paths."""
    configured = environ.get("TOOLKIT_PKCS11_MODULE")
    if configured:
        return ("TOOLKIT_PKCS11_MODULE", configured)
    return next(((vendor, path) for vendor, path in module_candidates(platform, environ) if exists(path)), None)


# -- secrets -----------------------------------------------------------------------------------------


def _keyring(user: str) -> str | None:
    """The secret the OS keyring keeps for ``user`` under the toolkit's service, if any."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, user) or None
    except Exception:  # no keyring library or no usable backend on this machine
        return None


def p12_password(spec: KeySpec, environ: Mapping[str, str]) -> bytes | None:
    """A ``.p12`` file's password: the keyring's entry ``p12:<absolute path>``, else the spec's variable."""
    assert spec.p12 is not None
    stored = _keyring(f"p12:{spec.p12.resolve()}")
    value = stored if stored is not None else environ.get(spec.password_env)
    return value.encode("utf-8") if value else None


# -- opening a key -----------------------------------------------------------------------------------


@contextlib.contextmanager
def open_signer(spec: KeySpec, *, ask: Ask | None = None, environ: Mapping[str, str] | None = None) -> Iterator[Any]:
    """A pyHanko signer for ``spec``, open for the ``with`` block (a token's session is closed after)."""
    environ = os.environ if environ is None else environ
    if spec.p12 is not None:
        yield _p12_signer(spec, environ)
        return
    session = open_token(spec, ask=ask, environ=environ)
    try:
        yield _token_signer(session, spec)
    finally:
        with contextlib.suppress(Exception):
            session.close()


def _p12_signer(spec: KeySpec, environ: Mapping[str, str]) -> Any:
    from pyhanko.sign.signers import SimpleSigner

    assert spec.p12 is not None
    data = read_named(spec.p12, T("Không đọc được tệp khóa {path}.", path=spec.p12))
    try:
        signer = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=p12_password(spec, environ))
    except (ValueError, TypeError):
        raise SigningError(
            T(
                "Không mở được {path}: sai mật khẩu hoặc tệp hỏng. Mật khẩu lấy từ kho khóa của máy "
                "(mục p12:<đường dẫn tệp>) hoặc biến {variable}.",
                path=spec.p12,
                variable=spec.password_env,
            )
        ) from None
    check_dates(signer.signing_cert)
    return signer


def read_pdf(path: Path) -> bytes:
    """The bytes of a PDF the user named (to sign or to check); ``SigningError`` if it cannot be read."""
    return read_named(path, T("Không đọc được tệp PDF {path}.", path=path))


def read_named(path: Path, unreadable: Message) -> bytes:
    """The bytes of a file the user named (a PDF, a key, an image): a link to a regular file is followed, a
    folder, a FIFO, a device or a loop of links is refused without waiting (``core.files.read_chosen``) in a
    ``SigningError`` that says what is there; ``SigningError(unreadable)`` when it cannot be read otherwise."""
    try:
        return read_chosen(path)
    except NotRegularFile as exc:
        raise SigningError(
            T("{path} là {what}, không phải tệp thường: không đọc được.", path=path, what=exc.what)
        ) from None
    except OSError:
        raise SigningError(unreadable) from None


def check_dates(cert: x509.Certificate, now: dt.datetime | None = None) -> None:
    """Refuse a certificate outside its validity period (expired, or not valid yet)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    validity = cert["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    who = holder(cert)
    if now > end:
        raise SigningError(T("Chứng thư số của {who} đã hết hạn ngày {end:%d/%m/%Y}.", who=who, end=end))
    if now < start:
        raise SigningError(T("Chứng thư số của {who} chưa có hiệu lực (từ {start:%d/%m/%Y}).", who=who, start=start))


def holder(cert: x509.Certificate) -> str:
    """Who a certificate names, for messages: its common name (CN), else its whole subject."""
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)


def pin_message(flags: int, token: str) -> Message:
    """What a wrong PIN means for ``token`` now, from its flags (``CKF_USER_PIN_*``): tries left, or locked."""
    from pkcs11 import TokenFlag

    if flags & TokenFlag.USER_PIN_LOCKED:
        return T(
            'Sai mã PIN. Thiết bị ký "{token}" đã bị khóa: liên hệ nhà cung cấp chứng thư số để mở khóa.', token=token
        )
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        return T(
            'Sai mã PIN của "{token}". Chỉ còn MỘT lần thử: nhập sai lần nữa thiết bị sẽ bị khóa. Không thử lại tự '
            "động.",
            token=token,
        )
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        return T(
            'Sai mã PIN của "{token}". Thiết bị báo chỉ còn ít lần thử trước khi bị khóa. Không thử lại tự động.',
            token=token,
        )
    return T(
        'Sai mã PIN của "{token}". Thiết bị không báo còn bao nhiêu lần thử (thường 3 đến 10 lần trước khi '
        "khóa). Không thử lại tự động.",
        token=token,
    )


def _library(module: str) -> Any:
    from pyhanko.sign.pkcs11 import p11_lib

    try:
        return p11_lib(module)
    except Exception:
        raise SigningError(T("Không nạp được mô-đun PKCS#11 {module}.", module=module)) from None


def module_for(spec: KeySpec, environ: Mapping[str, str]) -> str:
    """The module path to use: the spec's, else the first one installed."""
    import sys

    if spec.module:
        return spec.module
    found = discover_module(sys.platform, environ)
    if found is None:
        raise SigningError(
            T(
                "Không tìm thấy mô-đun PKCS#11 của thiết bị ký (USB token). Cài phần mềm của nhà cung cấp, "
                "hoặc chỉ rõ bằng ?module-path=… trong địa chỉ khóa hay biến TOOLKIT_PKCS11_MODULE."
            )
        )
    return found[1]


def open_token(spec: KeySpec, *, ask: Ask | None, environ: Mapping[str, str]) -> Any:
    """A logged-in session on the token ``spec`` names; one PIN attempt at most."""
    from pkcs11 import TokenFlag
    from pkcs11 import exceptions as p11

    module = module_for(spec, environ)
    lib = _library(module)
    slots = [s for s in lib.get_slots(token_present=True)]
    tokens = [(s, t) for s in slots for t in [s.get_token()] if t.flags & TokenFlag.TOKEN_INITIALIZED]
    chosen = [
        (s, t)
        for s, t in tokens
        if (spec.token is None or t.label.strip() == spec.token.strip())
        and (spec.slot is None or s.slot_id == spec.slot)
    ]
    if not chosen:
        present = ", ".join(sorted(t.label.strip() for _, t in tokens if t.label.strip())) or "-"
        wanted = spec.token or (f"slot {spec.slot}" if spec.slot is not None else "")
        raise SigningError(
            T('Không thấy thiết bị ký "{wanted}". Các thiết bị đang cắm: {present}.', wanted=wanted, present=present)
        )
    if len(chosen) > 1:  # never spend a PIN try on a token the user did not mean
        raise SigningError(
            T(
                "Đang cắm {n} thiết bị ký ({present}): chọn một bằng token=… trong địa chỉ khóa.",
                n=len(chosen),
                present=", ".join(sorted(t.label.strip() for _, t in chosen)),
            )
        )
    slot, token = chosen[0]
    label = token.label.strip()
    if token.flags & TokenFlag.USER_PIN_LOCKED:
        raise SigningError(pin_message(token.flags, label))
    if token.flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH:  # the PIN is typed on the token's own pad
        from pkcs11 import PROTECTED_AUTH

        return token.open(user_pin=PROTECTED_AUTH)
    pin = _keyring(f"pin:{label}")
    if pin is None:
        if ask is None:
            raise SigningError(T('Cần mã PIN của "{token}" (nhập khi được hỏi, hoặc lưu trong kho khóa).', token=label))
        pin = ask(T('Mã PIN của thiết bị ký "{token}"', token=label))
    try:
        return token.open(user_pin=pin)
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange):
        flags = slot.get_token().flags
        raise SigningError(pin_message(flags, label)) from None
    except p11.PinLocked:
        raise SigningError(pin_message(int(TokenFlag.USER_PIN_LOCKED), label)) from None
    except p11.PKCS11Error as exc:
        raise SigningError(
            T('Không mở được thiết bị ký "{token}": {reason}.', token=label, reason=type(exc).__name__)
        ) from None


def _token_signer(session: Any, spec: KeySpec) -> Any:
    """pyHanko's signer for the certificate ``spec`` chooses on the token, and its key (which stays there)."""
    from pkcs11 import Attribute, ObjectClass
    from pyhanko.sign.pkcs11 import PKCS11Signer

    with_keys = {bytes(k[Attribute.ID]) for k in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
    found = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        cert = x509.Certificate.load(bytes(obj[Attribute.VALUE]))
        cert_id, label = bytes(obj[Attribute.ID]), str(obj[Attribute.LABEL])
        if cert_id not in with_keys:
            continue
        if spec.label is not None and label != spec.label:
            continue
        if spec.key_id is not None and cert_id != spec.key_id:
            continue
        if spec.subject is not None and fold(spec.subject) not in fold(cert.subject.human_friendly):
            continue
        found.append((cert_id, label, cert))
    if len(found) != 1:
        every = sorted(str(o[Attribute.LABEL]) for o in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
        raise SigningError(
            T(
                "Chọn được {n} chứng thư số có khóa trên thiết bị theo {wanted} (cần đúng một). Các chứng thư "
                "trên thiết bị: {present}.",
                n=len(found),
                wanted=spec.label or spec.subject or "-",
                present=", ".join(every) or "-",
            )
        )
    cert_id, _, cert = found[0]
    check_dates(cert)
    return PKCS11Signer(session, signing_cert=cert, key_id=cert_id, other_certs_to_pull=None)

"""The Sign step of the documents page: ``signing.sign_documents`` (the library call of ``toolkit sign``) on a
document's PDF, then ``verify_file`` (``toolkit verify``) on the signed copy and a picture of its signed page.

The keys: a ``.p12`` uploaded with the form, its password typed in the page — kept in memory for that one run
only (never written, logged, put in a message or an address: ``sign_documents`` is given it in a mapping of
its own, not the process's environment) — or the keys ``toolkit sign`` is configured with
(``TOOLKIT_SIGNER_KEY``, ``TOOLKIT_ORG_KEY``: a ``.p12`` or a PKCS#11 token, whose PIN is the one typed in the
page, or the OS keyring's). The uploaded key and pictures live in a private temporary folder (mode 0700) for
the run and are removed after it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import SigningError
from ..core.files import read_regular
from ..core.i18n import Message, T
from ..output.write import make_folder

if TYPE_CHECKING:
    from ..signing import KeySpec, SignRequest, Verification
    from .jobs import Job

SIGNER, ORGANISATION = "signer", "organisation"
# The variables ``toolkit sign`` reads: a role's key, its .p12 password, its picture (see cli.signing_options).
KEY_VARIABLE = {SIGNER: "TOOLKIT_SIGNER_KEY", ORGANISATION: "TOOLKIT_ORG_KEY"}
PASSWORD_VARIABLE = {SIGNER: "TOOLKIT_P12_PASSWORD", ORGANISATION: "TOOLKIT_ORG_P12_PASSWORD"}
IMAGE_VARIABLE = {SIGNER: "TOOLKIT_SIGNATURE_IMAGE", ORGANISATION: "TOOLKIT_SEAL_IMAGE"}
TYPED = {SIGNER: "TOOLKIT_UI_SIGNER_PASSWORD", ORGANISATION: "TOOLKIT_UI_ORG_PASSWORD"}  # names in our mapping only
SIGNED_PAGE_DPI = 80


@dataclass(frozen=True)
class Role:
    """One role's part of the form: the uploaded ``.p12`` (its bytes), the password or PIN typed (never
    shown, not even in a ``repr``), and the uploaded PNG (signature or seal)."""

    key: bytes | None = field(default=None, repr=False)
    secret: str = field(default="", repr=False)
    image: bytes | None = field(default=None, repr=False)


@dataclass
class SignedDoc:
    """A Sign step's outcome: the document, its signed copy, the PAdES level of each signature, the check of
    the copy (as ``toolkit verify`` makes it, named by the file's name) and a picture of the signed page."""

    kind: str
    path: Path
    levels: list[str]
    verification: Verification
    picture: Path | None = None
    notices: list[Message] = field(default_factory=list)  # what ``toolkit sign`` warns of (a key of someone else)


class WrongPassword(SigningError):
    """A ``.p12`` its typed password does not open: ``role``'s (shown beside that role's password field)."""

    def __init__(self, message: Message, role: str) -> None:
        super().__init__(message)
        self.role = role


def configured(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The keys ``toolkit sign`` is configured with, by role, as named in messages (never a secret)."""
    from ..signing import parse_key

    environ = os.environ if environ is None else environ
    found = {}
    for role, variable in KEY_VARIABLE.items():
        if environ.get(variable):
            try:
                found[role] = parse_key(environ[variable]).name
            except SigningError:
                continue
    return found


def sign(
    pdf: Path,
    kind: str,
    roles: dict[str, Role],
    pictures: Path,
    *,
    under: Path,
    names: Mapping[str, object] | None = None,
    picked: Mapping[str, str] | None = None,
) -> Callable[[Job], SignedDoc]:
    """The Sign step of ``pdf`` (the document ``kind``): sign, check, and draw the signed page in ``pictures``
    (a folder inside ``under``, the output folder). ``names`` are the workbook's (``signing.workbook_names``:
    a certificate naming someone else is warned of, as ``toolkit sign`` warns); ``picked`` names the files
    the form sent, by field (kept with the step: a browser empties its file fields, the page says which to
    pick again)."""
    from ..signing import sign_documents, verify_file

    def work(job: Job) -> SignedDoc:
        job.live.update(kind=kind, picked=dict(picked or {}))
        environ = dict(os.environ)
        notices: list[Message] = []

        def notify(message: Message) -> None:
            notices.append(message)
            job.say(message)

        with tempfile.TemporaryDirectory(prefix="toolkit-ky-") as private:
            try:
                request, typed = _request(roles, Path(private), environ, names or {})
            except WrongPassword as exc:
                job.live["role"] = exc.role
                raise
            pins = [roles[r].secret for r in (SIGNER, ORGANISATION) if _is_token(r, request)]

            def ask(message: Message) -> str:
                if not pins or not pins[0]:
                    raise SigningError(T("Hãy nhập mã PIN của thiết bị ký số (USB token) rồi ký lại."))
                return pins.pop(0)

            job.say(T("Đang ký số {name} …", name=pdf.name))
            [signed] = sign_documents([pdf], request, ask=ask, notify=notify, environ={**environ, **typed})
            typed.clear()
        job.say(T("Đang kiểm tra chữ ký …"))
        roots = Path(environ["TOOLKIT_TRUST_ROOTS"]) if environ.get("TOOLKIT_TRUST_ROOTS") else None
        checked = verify_file(signed.path, roots)
        done = SignedDoc(kind, signed.path, signed.levels, replace(checked, path=Path(signed.path.name)), None, notices)
        done.picture = signed_page(signed.path, pictures / f"{kind}-ky-so", under=under)
        return done

    return work


def _request(
    roles: dict[str, Role], private: Path, environ: dict[str, str], names: Mapping[str, object]
) -> tuple[SignRequest, dict[str, str]]:
    """The ``SignRequest`` of the form: each role's uploaded key (else the configured one) and picture (else the
    configured one); and the typed passwords, by the variable names the request's keys look them up under."""
    from ..signing import SignRequest, parse_key

    keys: dict[str, KeySpec | None] = {}
    images: dict[str, Path | None] = {}
    typed: dict[str, str] = {}
    for role in (SIGNER, ORGANISATION):
        given = roles.get(role, Role())
        if given.key:
            _check_password(given, role)
            path = _private_file(private / f"{role}.p12", given.key)
            keys[role] = parse_key(str(path), password_env=TYPED[role])
            typed[TYPED[role]] = given.secret
        elif environ.get(KEY_VARIABLE[role]):
            keys[role] = parse_key(environ[KEY_VARIABLE[role]], password_env=PASSWORD_VARIABLE[role])
        else:
            keys[role] = None
        if given.image:
            images[role] = _private_file(private / f"{role}.png", given.image)
        else:
            images[role] = Path(environ[IMAGE_VARIABLE[role]]) if environ.get(IMAGE_VARIABLE[role]) else None
    request = SignRequest(
        signer=keys[SIGNER],
        signature_image=images[SIGNER],
        organisation=keys[ORGANISATION],
        seal_image=images[ORGANISATION],
        tsa=environ.get("TOOLKIT_TSA_URL") or None,
        roots=Path(environ["TOOLKIT_TRUST_ROOTS"]) if environ.get("TOOLKIT_TRUST_ROOTS") else None,
        organisation_name=_written_unit(names),
        **names,  # type: ignore[arg-type]
    )
    return request, typed


def _written_unit(names: Mapping[str, object]) -> str | None:
    """The issuing body as the documents write it (the last of ``workbook_unit``), shown under the seal as
    ``toolkit sign SOURCE`` shows it; None leaves the certificate's name."""
    unit = names.get("workbook_unit")
    return str(unit[-1]) if isinstance(unit, tuple) and unit else None


def _is_token(role: str, request: SignRequest) -> bool:
    key = request.signer if role == SIGNER else request.organisation
    return key is not None and key.p12 is None


def _check_password(role: Role, name: str) -> None:
    """Refuse at once, in the page's words, a ``.p12`` its typed password does not open."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    assert role.key is not None
    try:
        pkcs12.load_key_and_certificates(role.key, role.secret.encode("utf-8") or None)
    except (ValueError, TypeError):
        who = T("người ký") if name == SIGNER else T("cơ quan")
        message = T("Không mở được tệp khóa .p12 của {who}: sai mật khẩu hoặc tệp hỏng.", who=who)
        raise WrongPassword(message, name) from None


def _private_file(path: Path, data: bytes) -> Path:
    """``data`` in a new file only this user may read (the folder is already private)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


def signed_page(pdf: Path, folder: Path, *, under: Path) -> Path | None:
    """A picture of the page the signatures sit on (poppler's pdftoppm), or None when it cannot be drawn;
    ``folder`` is made inside ``under`` by ``make_folder`` (a link or no folder on the way is refused)."""
    import shutil

    from ..signing.block import find_block

    if shutil.which("pdftoppm") is None:
        return None
    try:
        page = find_block(read_regular(pdf)).page + 1
    except (OSError, SigningError):
        return None
    make_folder(folder, under=under)
    target = folder / "trang-ky.png"
    with tempfile.TemporaryDirectory(dir=folder) as work:
        made = Path(work, "trang")
        pages = ["-f", str(page), "-l", str(page)]
        subprocess.run(
            ["pdftoppm", "-png", "-singlefile", "-r", str(SIGNED_PAGE_DPI), *pages, str(pdf), str(made)],
            check=True,
            capture_output=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        made.with_suffix(".png").replace(target)
    return target

"""A test CA made at test time, served on 127.0.0.1, and a SoftHSM2 token holding its keys.

The CA (certomancer, keys from ``cryptography``) has a root, an intermediate, a time-stamping authority, an
OCSP responder and CRLs, all answered by certomancer's Animator on a loopback port: signatures can reach
B-T and B-LT with no network. Certificates: a school's principal (signer), the school itself (organisation),
an expired one and a revoked one. ``Token`` initialises SoftHSM2 tokens in a temporary folder and imports a
key and its certificate with OpenSC's ``pkcs11-tool`` (keys generated here, never a real CA's).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SOFTHSM_PATHS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
ARCH = "school-ca"
PEOPLE = {
    "signer": {"common-name": "Lê Thị Thu Hà", "organization-name": "Trường Tiểu học Bình An"},
    "org": {"common-name": "Trường Tiểu học Bình An", "organization-name": "Trường Tiểu học Bình An"},
    "expired": {"common-name": "Trần Văn Cũ", "organization-name": "Trường Tiểu học Bình An"},
    "revoked": {"common-name": "Phạm Văn Thu Hồi", "organization-name": "Trường Tiểu học Bình An"},
    "other": {"common-name": "Hoàng Văn Khác", "organization-name": "Trường THCS Khác"},
}


def softhsm_module() -> str | None:
    """SoftHSM2's PKCS#11 module, if installed."""
    return next((p for p in SOFTHSM_PATHS if os.path.isfile(p)), None)


def _usage(*names: str) -> dict[str, Any]:
    return {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": list(names)}}


def _signer_cert(issuer: str, start: str, end: str, revoked: bool = False) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "issuer": issuer,
        "validity": {"valid-from": start, "valid-to": end},
        "extensions": [
            {
                "id": "key_usage",
                "critical": True,
                "smart-value": {"schema": "key-usage", "params": ["digital_signature", "non_repudiation"]},
            },
            {
                "id": "crl_distribution_points",
                "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [issuer]}},
            },
            {
                "id": "authority_information_access",
                "smart-value": {
                    "schema": "aia-urls",
                    "params": {
                        "ocsp-responder-names": [issuer],
                        "ca-issuer-links": [{"repo": "root", "include-repo-authority": False, "cert-labels": [issuer]}],
                    },
                },
            },
        ],
    }
    if revoked:
        spec["revocation"] = {"revoked-since": "2024-01-01T00:00:00+0000", "reason": "key_compromise"}
    return spec


def _config(prefix: str) -> dict[str, Any]:
    ca = _usage("digital_signature", "key_cert_sign", "crl_sign")
    long = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2090-01-01T00:00:00+0000"}
    return {
        "external-url-prefix": prefix,
        "keysets": {ARCH: {"path-prefix": "keys", "keys": {k: {"path": f"{k}.pem"} for k in KEYS}}},
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "VN", "organization-name": "Test CA (không phải CA thật)"},
                "entities": {
                    "root": {"common-name": "Test Root CA"},
                    "interm": {"common-name": "Test Issuing CA"},
                    "tsa": {"common-name": "Test TSA"},
                    "ocsp": {"common-name": "Test OCSP"},
                    **PEOPLE,
                },
                "certs": {
                    "root": {
                        "subject": "root",
                        "issuer": "root",
                        "validity": long,
                        "extensions": [{"id": "basic_constraints", "critical": True, "value": {"ca": True}}, ca],
                    },
                    "interm": {
                        "issuer": "root",
                        "validity": long,
                        "extensions": [
                            {
                                "id": "basic_constraints",
                                "critical": True,
                                "value": {"ca": True, "path-len-constraint": 0},
                            },
                            ca,
                            {
                                "id": "crl_distribution_points",
                                "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}},
                            },
                        ],
                    },
                    "ocsp": {
                        "issuer": "interm",
                        "validity": long,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {"schema": "key-usage", "params": ["digital_signature"]},
                            },
                            {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                            {"id": "ocsp_no_check"},
                        ],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": long,
                        "extensions": [
                            {
                                "id": "key_usage",
                                "critical": True,
                                "smart-value": {"schema": "key-usage", "params": ["digital_signature"]},
                            },
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                            {
                                "id": "crl_distribution_points",
                                "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": ["root"]}},
                            },
                        ],
                    },
                    "signer": _signer_cert("interm", "2020-01-01T00:00:00+0000", "2080-01-01T00:00:00+0000"),
                    "org": _signer_cert("interm", "2020-01-01T00:00:00+0000", "2080-01-01T00:00:00+0000"),
                    "other": _signer_cert("interm", "2020-01-01T00:00:00+0000", "2080-01-01T00:00:00+0000"),
                    "expired": _signer_cert("interm", "2020-01-01T00:00:00+0000", "2021-01-01T00:00:00+0000"),
                    "revoked": _signer_cert("interm", "2020-01-01T00:00:00+0000", "2080-01-01T00:00:00+0000", True),
                },
                "services": {
                    "ocsp": {"interm": {"for-issuer": "interm", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                    "crl-repo": {
                        "root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P90D"},
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P30D",
                        },
                    },
                    "cert-repo": {"root": {"for-issuer": "root", "publish-issued-certs": True}},
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


KEYS = ("root", "interm", "tsa", "ocsp", *PEOPLE)


@dataclass
class TestCA:
    """The running CA: its architecture (certificates and keys), service URLs and files."""

    folder: Path
    arch: Any
    tsa_url: str
    server: Any

    def cert(self, label: str) -> Any:
        return self.arch.get_cert(label)

    def key_der(self, label: str) -> bytes:
        return self.arch.key_set.get_private_key(label).dump()

    def p12(self, label: str, password: bytes, *, with_chain: bool = True) -> Path:
        path = self.folder / f"{label}.p12"
        embed = ["interm", "root"] if with_chain else []
        path.write_bytes(self.arch.package_pkcs12(label, certs_to_embed=embed, password=password))
        return path

    def roots(self) -> Path:
        folder = self.folder / "roots"
        folder.mkdir(exist_ok=True)
        (folder / "root.crt").write_bytes(self.cert("root").dump())
        return folder

    def close(self) -> None:
        self.server.shutdown()


def start_ca(folder: Path) -> TestCA:
    """Make the keys, build the CA and serve its OCSP, CRLs and time-stamps on 127.0.0.1."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from werkzeug.serving import make_server

    keys = folder / "keys"
    keys.mkdir(parents=True)
    for label in KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (keys / f"{label}.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    app: dict[str, Any] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: app["wsgi"](env, start), threaded=True)
    prefix = f"http://127.0.0.1:{server.server_port}"
    config = CertomancerConfig(_config(prefix), key_search_dir=str(folder))
    arch = config.pki_archs[ARCH]
    app["wsgi"] = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return TestCA(folder, arch, arch.service_registry.get_tsa_info("tsa").url, server)


@dataclass
class Token:
    """A SoftHSM2 token initialised for a test: its label, user PIN and module."""

    label: str
    pin: str
    module: str


def softhsm_env(folder: Path) -> dict[str, str]:
    """``SOFTHSM2_CONF`` for tokens kept in ``folder``."""
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    return {"SOFTHSM2_CONF": str(conf)}


def init_token(label: str, pin: str, env: dict[str, str]) -> Token:
    """A fresh token with user PIN ``pin`` (SO PIN ``so-pin-123``)."""
    module = softhsm_module()
    assert module
    run = {**os.environ, **env}
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "so-pin-123"],
        check=True,
        capture_output=True,
        env=run,
    )
    return Token(label, pin, module)


def import_key(token: Token, ca: TestCA, label: str, object_label: str, key_id: str, env: dict[str, str]) -> None:
    """Put ``label``'s private key and certificate on ``token`` (pkcs11-tool, one process each), and the
    issuing CA's certificate beside them."""
    run = {**os.environ, **env}
    folder = ca.folder / "import"
    folder.mkdir(exist_ok=True)
    items = [
        ("privkey", ca.key_der(label), object_label, key_id),
        ("cert", ca.cert(label).dump(), object_label, key_id),
    ]
    items.append(("cert", ca.cert("interm").dump(), "Test Issuing CA", "ff" + key_id))
    for kind, data, name, ident in items:
        path = folder / f"{label}-{kind}-{ident}.der"
        path.write_bytes(data)
        base = ["pkcs11-tool", "--module", token.module, "--token-label", token.label, "--login", "--pin", token.pin]
        extra = ["--usage-sign", "--private"] if kind == "privkey" else []
        subprocess.run(
            [*base, "--write-object", str(path), "--type", kind, "--id", ident, "--label", name, *extra],
            check=True,
            capture_output=True,
            env=run,
        )
        path.unlink()


def tools_missing() -> list[str]:
    """What the signing tests need and this machine lacks."""
    missing = [] if softhsm_module() else ["softhsm2"]
    missing += [t for t in ("softhsm2-util", "pkcs11-tool", "pdfsig", "pdftoppm") if not shutil.which(t)]
    return missing


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)

"""Checking a signed PDF (``toolkit verify``): for each signature, who signed, for which organisation, when,
whether the document is intact or was changed after it, and whether the signer's certificate chains to the
trust roots the user configured (and was not revoked or expired).

Exit codes (``Verification.exit_code``): 0 every signature intact, the document unchanged since, and trusted;
1 a signature is broken, the document was changed after signing, or it holds no signature; 7 intact but not
trusted (no chain to the configured roots, revoked, expired, or no roots configured).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import ExitCode, SigningError
from ..core.i18n import Message, T
from .appearance import VIETNAM
from .keys import read_pdf
from .trust import fetchers, load_roots

EXIT_OK, EXIT_BROKEN, EXIT_UNTRUSTED = ExitCode.OK, ExitCode.DATA, ExitCode.UNTRUSTED


@dataclass
class SignatureCheck:
    """One signature as checked: its field, signer, organisation, time, and the verdicts."""

    field: str
    signer: str
    organisation: str
    signed_at: dt.datetime | None
    timestamped: bool
    intact: bool  # the signed bytes are unchanged and the signature is mathematically valid
    unchanged: bool  # nothing but further signatures (and their validation data) was added after it
    trusted: bool
    problem: Message | None = None  # why it is not trusted

    @property
    def good(self) -> bool:
        return self.intact and self.unchanged and self.trusted

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer,
            "organisation": self.organisation,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "timestamped": self.timestamped,
            "intact": self.intact,
            "unchanged_since": self.unchanged,
            "trusted": self.trusted,
            "problem": self.problem.text(lang) if self.problem else None,
        }


@dataclass
class Verification:
    """Every signature of a PDF, in signing order."""

    path: Path
    signatures: list[SignatureCheck] = field(default_factory=list)
    roots: bool = False  # whether trust roots were configured

    @property
    def exit_code(self) -> int:
        if not self.signatures or not all(s.intact and s.unchanged for s in self.signatures):
            return EXIT_BROKEN
        return EXIT_OK if all(s.trusted for s in self.signatures) else EXIT_UNTRUSTED

    def lines(self, lang: str = "vi") -> list[str]:
        """The check for people, one block per signature, in ``lang``."""
        if not self.signatures:
            return [T("{path}: không có chữ ký số nào.", path=self.path).text(lang)]
        out = [T("{path}: {n} chữ ký số.", path=self.path, n=len(self.signatures)).text(lang)]
        for number, s in enumerate(self.signatures, start=1):
            when = s.signed_at.astimezone(VIETNAM).isoformat(timespec="seconds") if s.signed_at else "?"
            source = T("dấu thời gian") if s.timestamped else T("máy người ký tự ghi")
            out.append(
                T(
                    "{n}. {signer} — {organisation}, ký lúc {when} (theo {source})",
                    n=number,
                    signer=s.signer,
                    organisation=s.organisation or "-",
                    when=when,
                    source=source,
                ).text(lang)
            )
            if not s.intact:
                out.append("   " + T("HỎNG: nội dung đã ký bị sửa hoặc chữ ký không hợp lệ.").text(lang))
            elif not s.unchanged:
                out.append("   " + T("Nguyên vẹn khi ký, nhưng văn bản ĐÃ BỊ SỬA sau khi ký.").text(lang))
            else:
                out.append("   " + T("Nguyên vẹn: văn bản không bị sửa sau khi ký.").text(lang))
            if s.trusted:
                out.append("   " + T("Tin cậy: chứng thư nối tới chứng thư gốc đã cấu hình.").text(lang))
            elif s.problem is not None:
                out.append("   " + s.problem.text(lang))
        return out


def verify_file(path: Path, roots: Path | None = None) -> Verification:
    """Check every signature of the PDF at ``path`` against the certificates in ``roots``."""
    data = read_pdf(path)
    anchors = load_roots(roots) if roots else []
    return verify_bytes(data, path, anchors)


def verify_bytes(data: bytes, path: Path, anchors: list[Any]) -> Verification:
    """Check every signature of the PDF ``data`` (named ``path`` in messages)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:
        raise SigningError(T("{path} không phải tệp PDF đọc được.", path=path)) from None
    result = Verification(path, roots=bool(anchors))
    for signature in embedded:
        result.signatures.append(_check(signature, anchors))
    return result


def _check(signature: Any, anchors: list[Any]) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        fetcher_backend=fetchers(),
        trust_roots=anchors or [],
        allow_fetching=bool(anchors),
        revocation_mode="soft-fail",
        retroactive_revinfo=True,
    )
    cert = signature.signer_cert
    subject = cert.subject.native if cert is not None else {}
    signer = str(subject.get("common_name") or (cert.subject.human_friendly if cert else "?"))
    organisation = str(subject.get("organization_name") or "")
    try:
        status = validate_pdf_signature(signature, signer_validation_context=context)
    except Exception:
        return SignatureCheck(signature.field_name, signer, organisation, None, False, False, False, False)
    coverage = status.coverage
    level = status.modification_level
    unchanged = coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and level is not None
        and level <= ModificationLevel.FORM_FILLING
        and status.docmdp_ok is not False
    )
    timestamp = status.timestamp_validity
    when = timestamp.timestamp if timestamp is not None else status.signer_reported_dt
    trusted = bool(status.trusted) and bool(anchors)
    return SignatureCheck(
        signature.field_name,
        signer,
        organisation,
        when,
        timestamp is not None,
        bool(status.intact and status.valid),
        unchanged,
        trusted,
        None if trusted else _distrust(status, bool(anchors)),
    )


def _distrust(status: Any, roots: bool) -> Message:
    """Why a signature is not trusted, for people."""
    if not roots:
        return T("Chưa kiểm tra độ tin cậy: chưa cấu hình thư mục chứng thư gốc (--roots hoặc TOOLKIT_TRUST_ROOTS).")
    if getattr(status, "revoked", False):
        return T("KHÔNG tin cậy: chứng thư của người ký đã bị thu hồi.")
    indication = str(getattr(status, "trust_problem_indic", "") or "")
    if "EXPIRED" in indication or "OUT_OF_BOUNDS" in indication:
        return T("KHÔNG tin cậy: chứng thư của người ký đã hết hạn khi ký.")
    return T("KHÔNG tin cậy: chứng thư không nối tới chứng thư gốc nào đã cấu hình.")

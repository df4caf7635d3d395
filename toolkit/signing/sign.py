"""Signing a document's PDF as Decree 30/2020/NĐ-CP says for an electronic document: the competent person
signs first (their signature image), then the organisation signs again, as a second incremental revision (its
seal over a third of the signature, its name and the time). Both are PAdES signatures (ETSI EN 319 142), made
with pyHanko: B-B always, B-T when a time-stamp server is given, B-LT when the CA's OCSP or CRL answers too.

``sign_documents`` is the library call (the command line and the web page use it); the signed copy is
written beside the PDF as ``…-ky-so.pdf``, atomically and with history kept, and the unsigned PDF is never
changed.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import SigningError
from ..core.i18n import Message, Notify, T
from ..documents.common import unit_name
from ..output.naming import signed_path
from ..output.write import KEEP, write_file
from ..workbook.names import same_name
from . import appearance
from .block import Box, SignatureBlock, find_block
from .keys import Ask, KeySpec, holder, open_signer, read_pdf
from .trust import fetchers, load_roots

if TYPE_CHECKING:
    from ..workbook.settings import Settings

SIGNER_FIELD, ORGANISATION_FIELD = "ChuKyNguoiKy", "ChuKyCoQuan"


def _quiet(message: Message) -> None:
    """The default notice sink: say nothing."""


@dataclass(frozen=True)
class SignRequest:
    """Who signs and how: the competent person's key and signature image, the organisation's key and seal
    image (either may be left out: the other signs alone), the time-stamp server and the trust roots."""

    signer: KeySpec | None = None
    signature_image: Path | None = None
    organisation: KeySpec | None = None
    seal_image: Path | None = None
    organisation_name: str | None = None  # default: the organisation certificate's CN, else its O
    tsa: str | None = None
    roots: Path | None = None
    seal_mm: float = appearance.SEAL_MM
    # what the workbook says (when its documents are signed): a certificate naming someone else is warned of
    workbook_signer: str | None = None  # Người ký, printed in the signature block
    workbook_unit: tuple[str, ...] = ()  # Đơn vị as typed, and as the documents write it


@dataclass
class Signed:
    """A signed copy: the PDF it came from, where it was written, the PAdES level reached by each signature,
    and where a differing earlier copy was kept."""

    source: Path
    path: Path
    levels: list[str] = field(default_factory=list)
    kept: Path | None = None


def sign_documents(
    pdfs: Sequence[Path],
    request: SignRequest,
    *,
    ask: Ask | None = None,
    notify: Notify = _quiet,
    keep: int = KEEP,
    environ: Mapping[str, str] | None = None,
) -> list[Signed]:
    """Sign every PDF of ``pdfs`` (each key opened once: one PIN for all) and write each signed copy;
    ``environ`` is where a ``.p12`` password's variable is looked up (default: the process's environment;
    the web page passes the password typed for that one request instead)."""
    if request.signer is None and request.organisation is None:
        raise SigningError(T("Chưa chọn khóa ký: cần khóa của người ký, của cơ quan, hoặc cả hai."))
    for role, key, image in (
        ("signer", request.signer, request.signature_image),
        ("organisation", request.organisation, request.seal_image),
    ):
        if key is not None and image is None:
            what = T("ảnh chữ ký") if role == "signer" else T("ảnh con dấu")
            raise SigningError(T("Thiếu {what} (tệp PNG nền trong suốt).", what=what))
        if image is not None:
            appearance.image_size(image)
    sources = [(pdf, read_pdf(pdf)) for pdf in pdfs]
    results = []
    with ExitStack() as stack:
        signer = stack.enter_context(open_signer(request.signer, ask=ask, environ=environ)) if request.signer else None
        organisation = (
            stack.enter_context(open_signer(request.organisation, ask=ask, environ=environ))
            if request.organisation
            else None
        )
        check_names(request, signer, organisation, notify)
        for pdf, data in sources:
            signed, levels = sign_pdf(data, request, signer, organisation, notify=notify)
            target = signed_path(pdf)
            written = write_file(target, signed, keep=keep)
            results.append(Signed(pdf, target, levels, written.kept))
    return results


def sign_pdf(
    data: bytes, request: SignRequest, signer: Any, organisation: Any, *, notify: Notify = _quiet
) -> tuple[bytes, list[str]]:
    """``data`` signed by ``signer`` (pyHanko signers, either may be None), then by ``organisation``; returns
    the signed PDF and the PAdES level of each signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    block = find_block(data)
    size = appearance.image_size(request.signature_image) if request.signature_image else None
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fields = _fields(reader)
        page = reader.find_page_for_modification(block.page)[0]
    except Exception:
        raise SigningError(T("Tệp PDF bị hỏng nên không ký được.")) from None
    earlier = None if signer is not None else _signed_in_block(fields, block, page)
    marks = appearance.place(block, size, request.seal_mm, signed=earlier)
    taken = {name for name, *_ in fields}
    names = {role: _free(base, taken) for role, base in (("s", SIGNER_FIELD), ("o", ORGANISATION_FIELD))}
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if signer is not None:
        append_signature_field(writer, SigFieldSpec(names["s"], on_page=block.page, box=marks.signer.as_tuple()))
    if organisation is not None:
        append_signature_field(writer, SigFieldSpec(names["o"], on_page=block.page, box=marks.seal.as_tuple()))
    levels = []
    if signer is not None:
        assert request.signature_image is not None
        style = appearance.signer_style(request.signature_image)
        data, level = _sign(writer, names["s"], signer, style, {}, request, notify)
        levels.append(level)
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if organisation is not None:
        assert request.seal_image is not None
        name = request.organisation_name or organisation_of(organisation.signing_cert)
        style = appearance.seal_style(request.seal_image, marks, name, appearance.vietnam_time())
        data, level = _sign(writer, names["o"], organisation, style, {}, request, notify)
        levels.append(level)
    return data, levels


def workbook_names(settings: Settings) -> dict[str, Any]:
    """The ``SignRequest`` fields of what a workbook says, which the certificates are compared with
    (``check_names``): its Người ký, and its Đơn vị as typed and as the documents write it."""
    unit = (settings.unit, unit_name(settings)) if settings.unit else ()
    return {"workbook_signer": settings.signer_name or None, "workbook_unit": unit}


def check_names(request: SignRequest, signer: Any, organisation: Any, notify: Notify) -> None:
    """Warn (not refuse: certificates write names in many ways) when the signer's certificate does not name
    the workbook's Người ký, or the organisation's certificate (its CN or O) the workbook's Đơn vị: the marks
    would print the workbook's names while the signatures carry the certificates'."""
    if signer is not None and request.workbook_signer:
        name = holder(signer.signing_cert)
        if not same_name(name, request.workbook_signer):
            notify(
                T(
                    'Cảnh báo: chứng thư số của người ký ghi "{certificate}", còn Người ký trong bảng tính là '
                    '"{workbook}". Chữ ký số mang tên trong chứng thư: hãy kiểm tra đã chọn đúng khóa.',
                    certificate=name,
                    workbook=request.workbook_signer,
                )
            )
    if organisation is not None and request.workbook_unit:
        subject = organisation.signing_cert.subject.native
        names = [str(subject[k]) for k in ("common_name", "organization_name") if subject.get(k)]
        if not any(same_name(n, unit) for n in names for unit in request.workbook_unit):
            notify(
                T(
                    'Cảnh báo: chứng thư số của cơ quan ghi "{certificate}", còn Đơn vị trong bảng tính là '
                    '"{workbook}". Chữ ký số mang tên trong chứng thư: hãy kiểm tra đã chọn đúng khóa.',
                    certificate=" / ".join(dict.fromkeys(names)) or "-",
                    workbook=request.workbook_unit[0],
                )
            )


def _free(base: str, taken: set[str]) -> str:
    """``base``, or ``base2``, ``base3`` … when a field of that name is already in the PDF."""
    n, name = 1, base
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name


def _signed_in_block(fields: list[tuple[str, Any, Any]], block: SignatureBlock, page: Any) -> Box | None:
    """Where an earlier signature (the signer's, made with another tool) shows inside the block, if one does:
    the organisation's seal then goes over it."""
    for _, value, ref in fields:
        widget = ref.get_object() if ref is not None else None
        if value is None or widget is None or "/Rect" not in widget:
            continue
        on = widget.raw_get("/P") if "/P" in widget else None
        if on is not None and getattr(on, "idnum", None) != getattr(page, "idnum", None):
            continue
        x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
        box = Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        inside = block.block.x0 <= (box.x0 + box.x1) / 2 <= block.block.x1
        if inside and block.block.y0 <= (box.y0 + box.y1) / 2 <= block.block.y1 and box.width > 1:
            return box
    return None


def _fields(reader: Any) -> list[tuple[str, Any, Any]]:
    from pyhanko.sign.fields import enumerate_sig_fields

    return list(enumerate_sig_fields(reader, filled_status=None))


def organisation_of(cert: Any) -> str:
    """The organisation an organisation's certificate names: its CN (a Vietnamese CA writes the organisation's
    name there; O often holds the body above it), else its O."""
    subject = cert.subject.native
    return str(subject.get("common_name") or subject.get("organization_name") or "")


def _sign(
    writer: Any, name: str, signer: Any, style: Any, params: dict[str, str], request: SignRequest, notify: Notify
) -> tuple[bytes, str]:
    """One PAdES signature in the field ``name``: the output and its level (B-B, B-T or B-LT)."""
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    timestamper = _timestamper(request.tsa) if request.tsa else None
    context = _revocation_context(signer, request, notify)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=context is not None,
        validation_context=context,
        signer_key_usage={"non_repudiation"},
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style)
    try:
        out = pdf_signer.sign_pdf(writer, appearance_text_params=params)
    except SigningError:
        raise
    except Exception as exc:
        raise _signing_failed(exc, request) from None
    level = "B-LT" if timestamper and context else "B-T" if timestamper else "B-B"
    return out.getvalue(), level


def _timestamper(url: str) -> Any:
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=20)


def _signing_failed(exc: Exception, request: SignRequest) -> SigningError:
    """A failure inside pyHanko as a message: the time-stamp server's, or the key's (never a secret)."""
    from pyhanko.sign.timestamps import TimestampRequestError

    if isinstance(exc, TimestampRequestError) or "imestamp" in type(exc).__name__:
        return SigningError(T("Máy chủ dấu thời gian {url} không trả lời được.", url=request.tsa))
    return SigningError(T("Ký không thành công: {reason}.", reason=type(exc).__name__))


def _revocation_context(signer: Any, request: SignRequest, notify: Notify) -> Any:
    """A validation context that found the signer's certificate good (its revocation data to embed, for
    B-LT), or None when the CA's OCSP/CRL did not answer; ``SigningError`` when the certificate is revoked,
    expired, or not usable for signing."""
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator import errors as e

    cert = signer.signing_cert
    chain = list(signer.cert_registry)
    anchors = [c for c in chain if c.self_signed == "maybe" or c.self_signed == "yes"]
    anchors += load_roots(request.roots) if request.roots else []
    if not anchors:
        notify(T("Không có chứng thư gốc để kiểm tra thu hồi: chữ ký không kèm dữ liệu thu hồi (không đạt B-LT)."))
        return None
    context = ValidationContext(
        fetcher_backend=fetchers(),
        trust_roots=anchors,
        other_certs=chain,
        allow_fetching=True,
        revocation_mode="hard-fail",
        retroactive_revinfo=True,
    )
    validator = CertificateValidator(cert, intermediate_certs=chain, validation_context=context)
    who = holder(cert)
    try:
        asyncio.run(validator.async_validate_usage({"non_repudiation"}))
    except e.RevokedError:
        raise SigningError(T("Chứng thư số của {who} đã bị thu hồi: không ký.", who=who)) from None
    except (e.ExpiredError, e.NotYetValidError):
        raise SigningError(T("Chứng thư số của {who} không còn hiệu lực: không ký.", who=who)) from None
    except e.InvalidCertificateError:
        raise SigningError(T("Chứng thư số của {who} không dùng được để ký văn bản.", who=who)) from None
    except (e.PathBuildingError, e.PathValidationError, e.ValidationError, e.InsufficientRevinfoError, Exception):
        notify(
            T(
                "Không lấy được dữ liệu thu hồi (OCSP/CRL) cho chứng thư của {who}: chữ ký không kèm dữ liệu "
                "thu hồi (không đạt B-LT).",
                who=who,
            )
        )
        return None
    return context

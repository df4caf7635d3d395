"""Digital signatures: ``sign`` the documents' PDFs and ``verify`` a signed PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import pipeline
from ..core.config import Options
from ..core.console import to_json
from ..core.errors import SigningError
from ..core.i18n import T
from ..core.vnformat import number_symbol
from ..documents.common import unit_name
from ..documents.kinds import KIND
from ..output.naming import document_paths
from ..sources import EXAMPLE, resolve
from ..workbook.model import Campaign
from .common import Ctx, cli, common, example_notice, google_options, run_options, source_options

roots_option = click.option(
    "--roots",
    envvar="TOOLKIT_TRUST_ROOTS",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of trusted root certificates (.pem/.crt/.cer/.der) (or TOOLKIT_TRUST_ROOTS).",
)


def signing_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The keys, pictures, time-stamp server and trust roots of ``toolkit sign``."""
    options = [
        click.option(
            "--signer-key",
            envvar="TOOLKIT_SIGNER_KEY",
            metavar="KEY",
            help="The competent person's key: a .p12/.pfx file (password from the keyring or "
            "TOOLKIT_P12_PASSWORD) or a token, pkcs11:token=LABEL;object=CERT (or x-subject=…) "
            "(or TOOLKIT_SIGNER_KEY).",
        ),
        click.option(
            "--signature-image",
            envvar="TOOLKIT_SIGNATURE_IMAGE",
            type=click.Path(dir_okay=False, path_type=Path),
            help="The signer's handwritten signature, a transparent PNG (or TOOLKIT_SIGNATURE_IMAGE).",
        ),
        click.option(
            "--org-key",
            envvar="TOOLKIT_ORG_KEY",
            metavar="KEY",
            help="The organisation's key, as --signer-key (a .p12 password from TOOLKIT_ORG_P12_PASSWORD) "
            "(or TOOLKIT_ORG_KEY).",
        ),
        click.option(
            "--seal-image",
            envvar="TOOLKIT_SEAL_IMAGE",
            type=click.Path(dir_okay=False, path_type=Path),
            help="The organisation's seal, red on a transparent PNG (or TOOLKIT_SEAL_IMAGE).",
        ),
        click.option(
            "--org-name",
            help="Organisation's name under the seal (default: the workbook's Đơn vị, else the certificate's name).",
        ),
        click.option(
            "--tsa",
            envvar="TOOLKIT_TSA_URL",
            metavar="URL",
            help="Time-stamp server (RFC 3161; or TOOLKIT_TSA_URL): PAdES B-T, and B-LT when the CA's OCSP/CRL answer.",
        ),
        roots_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("sign")
@source_options
@click.option("--plan", "which", flag_value="plan", help="Sign the Kế hoạch's PDF.")
@click.option("--report", "which", flag_value="report", default=True, help="Sign the Báo cáo's PDF (default).")
@click.option("--both", "which", flag_value="both", help="Sign both.")
@click.option(
    "--file",
    "files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sign this PDF instead (e.g. a roll-up's BCTH-….pdf); may be repeated.",
)
@click.option(
    "--attachment",
    "attachments",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="An attachment sent as its own PDF: signed by the organisation (--org-key), its number and the time "
    "at the top right of page 1; may be repeated.",
)
@click.option("--number", help="The main document's number and symbol for --attachment (e.g. 12/KH-THBA).")
@signing_options
@google_options
@common
def sign(
    ctx: Ctx,
    source: str | None,
    which: str,
    files: tuple[Path, ...],
    attachments: tuple[Path, ...],
    number: str | None,
    signer_key: str | None,
    signature_image: Path | None,
    org_key: str | None,
    seal_image: Path | None,
    org_name: str | None,
    tsa: str | None,
    roots: Path | None,
    **options: Any,
) -> int:
    """Sign the PDF of the document(s) of SOURCE (made with --pdf) as Decree 30 says: the signer first, then
    the organisation; writes …-ky-so.pdf beside it and never changes the PDF itself. Each --attachment (a
    file of its own) is signed by the organisation alone, invisibly, with the main document's number and the
    time at the top right of its first page (Decree 30, Phụ lục I).

    A token's PIN is asked on the terminal (or read from the OS keyring) and never retried: a wrong PIN says
    how many tries the token has left.
    """
    from ..signing import SignRequest, parse_key, sign_attachments, sign_documents
    from ..signing.attachment import attachment_number, need_organisation

    if attachments:  # checked before anything is signed
        need_organisation(org_key, attachments[0])
    alone = bool(attachments) and not files and source is None  # only the attachments: --number and no SOURCE
    checked = None if files or alone else _checked(ctx, source, options)  # SOURCE read and checked once
    if attachments:
        number = attachment_number(number or _main_number(checked, which))
    pdfs, unit = (list(files), None) if files else ([], None) if checked is None else _document_pdfs(checked, which)
    request = SignRequest(
        signer=parse_key(signer_key) if signer_key else None,
        signature_image=signature_image,
        organisation=parse_key(org_key, password_env="TOOLKIT_ORG_P12_PASSWORD") if org_key else None,
        seal_image=seal_image,
        organisation_name=org_name or unit,
        tsa=tsa,
        roots=roots,
        **_workbook_names(checked),
    )
    ask = lambda message: click.prompt(message.text(ctx.lang), hide_input=True, err=True)  # noqa: E731
    keep = options.get("keep", 20)
    signed = [] if alone else sign_documents(pdfs, request, ask=ask, notify=ctx.notify, keep=keep)
    if attachments:
        signed += sign_attachments(
            list(attachments),
            number or "",
            request.organisation,
            tsa=tsa,
            roots=roots,
            ask=ask,
            notify=ctx.notify,
            keep=keep,
        )
    _print_signed(ctx, signed)
    return 0


def _print_signed(ctx: Ctx, signed: list[Any]) -> None:
    """What was signed: JSON for programs, a line per file for people."""
    if ctx.fmt == "json":
        rows = [
            {"source": str(s.source), "path": str(s.path), "levels": s.levels, "kept": str(s.kept or "")}
            for s in signed
        ]
        click.echo(to_json({"signed": rows}))
        return
    for s in signed:
        ctx.notice(ctx.say(T("Đã ký số: {path} ({levels})", path=s.path, levels=", ".join(s.levels))))
        if s.kept:
            # every signature differs by its time: an earlier signed copy is not "edited by hand"
            ctx.notice(ctx.say(T("  Bản ký số trước được giữ lại trong lịch sử: {path}", path=s.kept)))


def _checked(ctx: Ctx, source: str | None, options: dict[str, Any]) -> tuple[Campaign, Options]:
    """SOURCE read and checked (its documents' names and number come from it), and the run's options."""
    resolved = resolve(source)
    if resolved.kind == EXAMPLE:
        example_notice(ctx)
    opts = run_options(ctx, **options)
    campaign, _ = pipeline.check(resolved, opts)
    return campaign, opts


def _document_pdfs(checked: tuple[Campaign, Options], which: str) -> tuple[list[Path], str]:
    """The PDFs ``--pdf`` made of the checked SOURCE's documents, and the issuing body's name as the documents
    write it (shown under the seal)."""
    campaign, opts = checked
    plan_path, report_path = document_paths(campaign.settings, opts.output)
    kinds = {"plan": [plan_path], "report": [report_path], "both": [plan_path, report_path]}[which]
    pdfs = [path.with_suffix(".pdf") for path in kinds]
    for pdf in pdfs:
        if not pdf.is_file():
            raise SigningError(
                T("Chưa có {path}: tạo PDF trước (toolkit plan/report --pdf) rồi ký.", path=pdf),
            )
    return pdfs, unit_name(campaign.settings)


def _workbook_names(checked: tuple[Campaign, Options] | None) -> dict[str, Any]:
    """The Người ký and Đơn vị of the checked SOURCE, which the certificates are compared with (a mismatch
    is warned of: the marks print these names, the signatures carry the certificates')."""
    from ..signing.sign import workbook_names

    return {} if checked is None else workbook_names(checked[0].settings)


def _main_number(checked: tuple[Campaign, Options] | None, which: str) -> str:
    """The number and symbol of the checked SOURCE's document (``--plan``/``--report``) that the attachments
    go with (none without SOURCE, with ``--file`` or with ``--both``: then ``--number`` is needed)."""
    if checked is None or which == "both":
        raise SigningError(T("Văn bản kèm theo: cho biết số và ký hiệu văn bản chính bằng --number."))
    kind, s = KIND[which], checked[0].settings
    return number_symbol(kind.number(s), kind.symbol, s.unit_abbr)


@cli.command("verify")
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@roots_option
@common
def verify(ctx: Ctx, pdf: Path, roots: Path | None) -> int:
    """Check the signatures of PDF: who signed, for which organisation, when, whether the document was changed
    after signing, and whether each certificate chains to the roots in --roots.

    Exit codes: 0 every signature intact, nothing changed after it, and trusted; 1 a signature is broken,
    the document was changed after signing, or it has no signature; 6 the file or roots cannot be read;
    7 intact but not trusted (no chain to the roots, revoked, expired, or no roots given).
    """
    from ..signing import verify_file

    result = verify_file(pdf, roots)
    if ctx.fmt == "json":
        click.echo(
            to_json(
                {
                    "file": str(pdf),
                    "exit_code": result.exit_code,
                    "signatures": [s.to_dict(ctx.lang) for s in result.signatures],
                }
            )
        )
    else:
        click.echo("\n".join(result.lines(ctx.lang)))
    return result.exit_code

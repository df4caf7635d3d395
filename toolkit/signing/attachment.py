"""The organisation's signature on an attachment sent as a file of its own, as Decree 30/2020/NĐ-CP, Phụ lục I
says (quoted in ``docs/documents.md``): the office (văn thư) signs it with the organisation's key; the seal's
image is not shown; at the top right of the attachment's first page, the main document's number and symbol
(``12/KH-THBA``) and the signing time (ISO 8601, ``+07:00``), Times New Roman, upright, 10 pt, black.

How: the two lines are added to the first page's content (pyHanko's ``TextStamp``, the font embedded as a
subset) and an invisible signature field (no widget appearance) is signed in the same incremental revision,
so the text is part of what the signature covers, is real text on the page (found, copied and printed by
every reader), and no image is drawn. An attachment already in the document's own file (the roll-up's
appendices) is not signed separately: the document's signatures cover it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.config import KEEP
from ..core.errors import SigningError
from ..core.i18n import Notify, T
from ..output.naming import signed_path
from ..output.write import write_file
from . import appearance
from .keys import Ask, open_signer, read_pdf

FIELD = "ChuKyCoQuanVBKT"  # the organisation's signature on an attachment (văn bản kèm theo)
FONT_SIZE = 10
DCROAT = str.maketrans("Đđ", "\xd0\xf0")
FONT, RESOURCE = "Times-Roman", "TimesVBKT"  # a standard font every PDF reader has: Times New Roman's metrics
TOP_MM, RIGHT_MM = 8.0, 15.0  # inside the page's top margin (Decree 30: 20–25 mm), at the right margin (15–20 mm)


def attachment_number(text: str) -> str:
    """The main document's number and symbol as shown (``12/KH-THBA``), from what ``doc_number`` writes
    (``Số: 12/KH-THBA``) or what a person typed; ``SigningError`` when it holds no number yet."""
    number = re.sub(r"^\s*s[ốo]\s*:?\s*", "", text.strip(), flags=re.IGNORECASE).strip()
    if not re.match(r"^\d+/\S", number) or "…" in number:
        raise SigningError(
            T(
                'Văn bản kèm theo cần số và ký hiệu của văn bản chính (như 12/KH-THBA), không phải "{number}": '
                "điền số văn bản vào sổ hoặc dùng --number.",
                number=text.strip(),
            )
        )
    return number


def need_organisation(organisation: object, path: Path) -> None:
    """``SigningError`` when no organisation's key is given for the attachment at ``path``."""
    if not organisation:
        raise SigningError(
            T("Văn bản kèm theo do cơ quan ký: cần khóa của cơ quan (--org-key) để ký {path}.", path=path)
        )


def sign_attachments(
    pdfs: Sequence[Path],
    number: str,
    organisation: Any,
    *,
    tsa: str | None = None,
    roots: Path | None = None,
    ask: Ask | None = None,
    notify: Notify | None = None,
    keep: int = KEEP,
    environ: Mapping[str, str] | None = None,
) -> list[Any]:
    """Sign each attachment of ``pdfs`` with the organisation's key (a ``KeySpec``), showing ``number`` (the
    main document's number and symbol) and the time at the top right of its first page; each signed copy is
    written beside it as ``…-ky-so.pdf`` (atomically, history kept; the attachment itself is never changed)."""
    from .sign import Signed, SignRequest, _quiet

    need_organisation(organisation, pdfs[0])
    shown = attachment_number(number)
    sources = [(pdf, read_pdf(pdf)) for pdf in pdfs]
    request = SignRequest(organisation=organisation, tsa=tsa, roots=roots)
    results = []
    with open_signer(organisation, ask=ask, environ=environ) as signer:
        for pdf, data in sources:
            signed, level = sign_attachment_pdf(data, shown, request, signer, notify=notify or _quiet)
            target = signed_path(pdf)
            written = write_file(target, signed, keep=keep)
            results.append(Signed(pdf, target, [level], written.kept))
    return results


def sign_attachment_pdf(
    data: bytes, number: str, request: Any, signer: Any, *, when: str | None = None, notify: Notify | None = None
) -> tuple[bytes, str]:
    """``data`` with the number and time at the top right of page 1, signed by ``signer`` (a pyHanko signer)
    in an invisible field; returns the signed PDF and its PAdES level."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    from .sign import _fields, _free, _quiet, _sign

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        taken = {name for name, *_ in _fields(writer.prev)}
        page = _page_box(writer)
    except Exception:
        raise SigningError(T("Tệp PDF bị hỏng nên không ký được.")) from None
    lines = [number, when or appearance.vietnam_time()]
    stamp_lines(writer, page, lines)
    name = _free(FIELD, taken)
    append_signature_field(writer, SigFieldSpec(name, on_page=0, box=None))
    return _sign(writer, name, signer, None, {}, request, notify or _quiet)


Page = tuple[tuple[float, float, float, float], int]  # the visible box (x0, y0, x1, y1) and the rotation


def _page_box(writer: Any) -> Page:
    """The first page's visible box (its CropBox, else its MediaBox, inherited from the page tree if need be)
    and its ``/Rotate`` (0, 90, 180 or 270: how far a reader turns it clockwise to show it)."""
    page, _ = writer.find_page_for_modification(0)
    page = page.get_object()
    x0, y0, x1, y1 = (float(v) for v in (_inherited(page, "/CropBox") or _inherited(page, "/MediaBox")))
    rotate = int(_inherited(page, "/Rotate") or 0) % 360
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), rotate - rotate % 90


def _inherited(page: Any, key: str) -> Any:
    """``key`` of the page or of the nearest page-tree node above it that has it."""
    node = page
    for _ in range(64):
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        if parent is None:
            return None
        node = parent.get_object()
    return None


def _placement(page: Page, u: float, v: float) -> bytes:
    """The text matrix that writes upright, as the page is shown, from (``u``, ``v``) in the shown page's
    coordinates (origin at its bottom left)."""
    (x0, y0, x1, y1), rotate = page
    a, b, c, d, x, y = {
        0: (1, 0, 0, 1, x0 + u, y0 + v),
        90: (0, 1, -1, 0, x1 - v, y0 + u),
        180: (-1, 0, 0, -1, x1 - u, y1 - v),
        270: (0, -1, 1, 0, x0 + v, y1 - u),
    }[rotate]
    return b"%d %d %d %d %.2f %.2f Tm" % (a, b, c, d, x, y)


def stamp_lines(writer: Any, page: Page, lines: list[str]) -> None:
    """Draw ``lines`` on page 1 of ``writer`` as page content: each right-aligned at the right margin, from the
    top margin down (of the page as shown: a ``/Rotate`` is followed), in Times (PDF's standard Times-Roman,
    Times New Roman's metric twin) 10 pt, black, upright; the earlier content is wrapped in ``q``/``Q`` so
    that its graphics state cannot move the text."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name

    widths = FONT_METRICS[FONT][1]
    differences = [generic.NumberObject(0xD0), pdf_name("/Dcroat"), generic.NumberObject(0xF0), pdf_name("/dcroat")]
    (x0, y0, x1, y1), rotate = page
    shown_width, shown_height = (x1 - x0, y1 - y0) if rotate in (0, 180) else (y1 - y0, x1 - x0)
    right = shown_width - RIGHT_MM * appearance.MM
    top = shown_height - TOP_MM * appearance.MM
    ops = [b"q BT 0 g 0 Tr /%s %d Tf" % (RESOURCE.encode(), FONT_SIZE)]
    for number, line in enumerate(lines):
        text = _winansi(line)
        width = sum(widths.get(c, 500) for c in text) * FONT_SIZE / 1000
        baseline = top - FONT_SIZE - number * (FONT_SIZE + 2)
        where = _placement(page, max(right - width, 0), baseline)
        literal = text.translate(DCROAT).encode("cp1252")
        literal = literal.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"%s (%s) Tj" % (where, literal))
    ops.append(b"ET Q")
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/" + FONT),
            pdf_name("/Encoding"): generic.DictionaryObject(
                {
                    pdf_name("/BaseEncoding"): pdf_name("/WinAnsiEncoding"),
                    # Đ and đ in the places of Ð and ð (the same width): the font has both glyphs
                    pdf_name("/Differences"): generic.ArrayObject(differences),
                }
            ),
        }
    )
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/" + RESOURCE): writer.add_object(font)})}
    )
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"q")), prepend=True)
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"Q")))
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b" ".join(ops))), resources)


def _winansi(text: str) -> str:
    """``text`` in the characters the standard font's encoding has (WinAnsi, Đ and đ; others lose their
    diacritics)."""
    from ..core.text import strip_diacritics

    out = []
    for char in text:
        if char in "Đđ":
            out.append(char)
            continue
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            out.append(strip_diacritics(char).encode("cp1252", "replace").decode("cp1252"))
    return "".join(out)

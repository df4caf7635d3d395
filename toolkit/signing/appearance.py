"""The visible marks of the two signatures, placed as Decree 30/2020/NĐ-CP, Phụ lục I says for electronic
documents (quoted in ``docs/documents.md``):

* the competent person's signature: the image of their handwritten signature (a transparent PNG), centred
  between the authority lines and the name;
* the organisation's signature: the image of its seal (red, transparent PNG) over about a third of the
  signer's signature image, on its left, with the organisation's name and the signing time (ISO 8601,
  +07:00) in black.

Both stay inside the signature block that ``block.find_block`` read from the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import SigningError
from ..core.i18n import T
from .block import Box, SignatureBlock
from .keys import read_named

MM = 72 / 25.4
SEAL_MM = 32.0  # a school's round seal is 30–36 mm across; shrunk when the block is smaller
SIGNATURE_MAX_MM = 50.0
INFO_SIZE = 7  # points: the organisation's name and the time under the seal
VIETNAM = dt.timezone(dt.timedelta(hours=7))
FONTS = {
    "linux": [
        "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    ],
    "win32": ["%SystemRoot%\\Fonts\\times.ttf"],
    "darwin": ["/System/Library/Fonts/Supplemental/Times New Roman.ttf", "/Library/Fonts/Times New Roman.ttf"],
}


@dataclass(frozen=True)
class Marks:
    """Where the two fields go on the block's page: the signer's signature image and the organisation's seal
    (with its text under it)."""

    signer: Box
    seal: Box  # the organisation's field: the seal image and its text
    seal_image: Box
    info: Box  # the organisation's name and the time, under the seal and clear of the signer's name


def vietnam_time(when: dt.datetime | None = None) -> str:
    """``when`` (now) in ISO 8601 at Vietnam's +07:00, to the second: ``2024-03-05T09:30:00+07:00``."""
    return (when or dt.datetime.now(VIETNAM)).astimezone(VIETNAM).isoformat(timespec="seconds")


def image_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height in pixels; ``SigningError`` if it is not a readable PNG."""
    return png(path).size


def png(path: Path) -> Any:
    """The PNG the user named (a link to it is followed: ``keys.read_named``), as a loaded Pillow image;
    ``SigningError`` if it is not a readable PNG."""
    from PIL import Image

    unreadable = T("{path} không phải ảnh PNG đọc được.", path=path)
    data = read_named(path, unreadable)
    try:
        image = Image.open(io.BytesIO(data))
        if image.format != "PNG":
            raise ValueError(image.format)
        image.load()
    except (OSError, ValueError):
        raise SigningError(unreadable) from None
    return image


def place(
    block: SignatureBlock,
    signature: tuple[int, int] | None,
    seal_mm: float = SEAL_MM,
    info_width: float = 110,
    signed: Box | None = None,
) -> Marks:
    """The boxes of the marks inside ``block``: the signature image centred in the empty space (or where an
    earlier signature already shows, ``signed``), the seal over the left third of it, the seal's text
    (``info_width`` points wide at most) under the seal and left of the signer's name, all inside the block."""
    space, whole = block.space, block.block
    center_x = (whole.x0 + whole.x1) / 2
    height = max(space.height - 4, 12)
    ratio = signature[0] / signature[1] if signature else 2.5
    width = min(height * ratio, SIGNATURE_MAX_MM * MM, space.width * 0.6)
    height = width / ratio
    middle = (space.y0 + space.y1) / 2
    signer = signed or Box(center_x - width / 2, middle - height / 2, center_x + width / 2, middle + height / 2)
    middle = (signer.y0 + signer.y1) / 2
    text = 3 * (INFO_SIZE + 1)
    size = max(min(seal_mm * MM, whole.height - text), 24)
    x0 = max(signer.x0 + signer.width / 3 - size, whole.x0)
    y1 = min(middle + size / 2, whole.y1)
    y0 = max(y1 - size - text, whole.y0)
    y1 = y0 + size + text
    seal_image = Box(x0, y1 - size, x0 + size, y1)
    right = max(min(seal_image.x1, block.name_box.x0 - 3), x0 + size / 2)
    info = Box(max(right - info_width, whole.x0), y0, right, y0 + text)
    seal = Box(min(info.x0, x0), y0, max(info.x1, seal_image.x1), y1)
    return Marks(signer, seal, seal_image, info)


def find_font(environ: dict[str, str] | None = None) -> str | None:
    """A Times New Roman (or metric twin) TrueType file with every Vietnamese letter: ``$TOOLKIT_SIGN_FONT``
    first, then the usual places on this system."""
    environ = dict(os.environ) if environ is None else environ
    configured = environ.get("TOOLKIT_SIGN_FONT")
    if configured and os.path.isfile(configured):
        return configured
    key = sys.platform if sys.platform in FONTS else "linux"
    root = environ.get("SystemRoot", "C:\\Windows")
    for path in FONTS[key]:
        path = path.replace("%SystemRoot%", root)
        if os.path.isfile(path):
            return path
    return None


def signer_style(image: Path) -> Any:
    """The signer's mark: only the signature image, no border, no text."""
    from pyhanko.pdf_utils.images import PdfImage

    return _static(PdfImage(png(image)))


def seal_style(image: Path, marks: Marks, organisation: str, when: str) -> Any:
    """The organisation's mark: the seal image at the top of its field, the organisation's name and the time
    under it in black (Times New Roman where found, else the same text without diacritics), drawn as one
    transparent picture at 4 pixels per point so that it looks the same in every reader."""
    from pyhanko.pdf_utils.images import PdfImage

    return _static(PdfImage(seal_picture(image, marks, organisation, when)))


def seal_picture(image: Path, marks: Marks, organisation: str, when: str, scale: int = 4) -> Any:
    """The organisation's field as one Pillow RGBA picture: the seal, and the text lines centred in their box
    (the font made smaller until the longest line fits)."""
    from PIL import Image, ImageDraw, ImageFont

    field = marks.seal
    width, height = round(field.width * scale), round(field.height * scale)
    picture = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    size = round(marks.seal_image.width * scale)
    at = (round((marks.seal_image.x0 - field.x0) * scale), round((field.y1 - marks.seal_image.y1) * scale))
    seal = png(image).convert("RGBA")
    picture.alpha_composite(seal.resize((size, size), Image.Resampling.LANCZOS), at)
    font_path = find_font()
    text = organisation if font_path else _ascii(organisation)
    lines = [*(textwrap.wrap(text, 34) or [""])[:2], when]
    room = marks.info.width * scale
    pixels = INFO_SIZE * scale
    font = ImageFont.truetype(font_path, pixels) if font_path else ImageFont.load_default(pixels)
    draw = ImageDraw.Draw(picture)
    while font_path and max(draw.textlength(line, font=font) for line in lines) > room and pixels > 4 * scale:
        pixels -= 1
        font = ImageFont.truetype(font_path, pixels)
    center = (marks.info.x0 + marks.info.x1) / 2 - field.x0
    top = (field.y1 - marks.info.y1) * scale
    step = min(pixels + scale, marks.info.height * scale / len(lines))
    for number, line in enumerate(lines):
        draw.text((center * scale, top + number * step), line, fill=(0, 0, 0, 255), font=font, anchor="ma")
    return picture


def _ascii(text: str) -> str:
    from ..core.text import strip_diacritics

    return strip_diacritics(text)


def _static(background: Any) -> Any:
    """A stamp style showing ``background`` filling the field, without border or text."""
    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(
        background=background,
        border_width=0,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
        ),
    )

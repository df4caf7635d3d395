"""Checks on a rendered PDF, with poppler's tools: what a person sees on the printed page.

Each check raises ``AssertionError`` naming the page and what is wrong; ``tests/test_render.py`` runs
them on real documents and on deliberately broken ones (to show the checks can fail).
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from docx import Document

A4 = (595.3, 841.9)
PT_PER_TWIP = 1 / 20
LEFT, RIGHT = 1701 * PT_PER_TWIP, A4[0] - 851 * PT_PER_TWIP  # 30 mm and 15 mm margins
TOP, BOTTOM = 1134 * PT_PER_TWIP, A4[1] - 1134 * PT_PER_TWIP  # 20 mm
SLACK = 2.5  # points: glyph boxes include the font's ascent and descent
FONT = re.compile(r"^(?:[A-Z]{6}\+)?(LiberationSerif|TimesNewRoman(?:PS)?(?:MT)?)(?:-[A-Za-z]+|,[A-Za-z]+)?$")


@dataclass(frozen=True)
class Word:
    """A word on a page with its box, in points from the top-left corner."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120).stdout


def words(pdf: Path) -> list[Word]:
    """Every word with its page (1-based) and box."""
    xml = _run("pdftotext", "-bbox", str(pdf), "-")
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    found = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        for w in page.iter("{http://www.w3.org/1999/xhtml}word"):
            found.append(
                Word(
                    number,
                    unicodedata.normalize("NFC", w.text or ""),
                    float(w.get("xMin")),
                    float(w.get("yMin")),
                    float(w.get("xMax")),
                    float(w.get("yMax")),
                )
            )
    return found


def page_texts(pdf: Path) -> list[str]:
    """The text of each page in content order, white space collapsed."""
    text = unicodedata.normalize("NFC", _run("pdftotext", "-raw", str(pdf), "-"))
    return [" ".join(page.split()) for page in text.split("\f")][: page_count(pdf)]


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))


def check_a4_portrait(pdf: Path) -> None:
    info = _run("pdfinfo", "-f", "1", "-l", str(page_count(pdf)), str(pdf))
    sizes = re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes, "no page sizes"
    for page, width, height in sizes:
        assert abs(float(width) - A4[0]) < 1 and abs(float(height) - A4[1]) < 1, f"page {page} is {width}x{height}"


def is_page_number(word: Word) -> bool:
    return word.page > 1 and word.y1 < TOP and word.text == str(word.page)


def check_margins(pdf: Path) -> None:
    for w in words(pdf):
        if is_page_number(w):
            continue
        assert w.x0 >= LEFT - SLACK and w.x1 <= RIGHT + SLACK, f"page {w.page}: {w.text!r} outside the side margins"
        assert w.y0 >= TOP - SLACK and w.y1 <= BOTTOM + SLACK, f"page {w.page}: {w.text!r} in the top/bottom margin"


def check_fonts(pdf: Path) -> None:
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    names = [line.split()[0] for line in lines if line.strip()]
    assert names, "no fonts"
    for name in names:
        assert FONT.match(name), f"font {name} is neither Times New Roman nor Liberation Serif"


def check_text_complete(pdf: Path, docx: Path) -> None:
    """Every letter of the document, Vietnamese ones included, is in the PDF: no missing glyph, nothing added.

    Letters are compared, not words, since a table cell may break a long link; the only extras allowed
    are page numbers and the header rows a table repeats on each page.
    """
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = Document(str(docx)).element.body
    source = Counter("".join(unicodedata.normalize("NFC", t.text or "") for t in body.iter(f"{w}t")))
    repeated = set()
    for row in body.iter(f"{w}tr"):
        if row.find(f"{w}trPr/{w}tblHeader") is not None:
            repeated |= set("".join(t.text or "" for t in row.iter(f"{w}t")))
    rendered = Counter("".join(wd.text for wd in words(pdf) if not is_page_number(wd)))
    for counter in (source, rendered):
        for blank in [ch for ch in counter if ch.isspace()]:
            del counter[blank]
    missing = source - rendered
    extra = {ch: n for ch, n in (rendered - source).items() if ch not in repeated}
    assert not missing, f"letters missing from the PDF: {dict(missing)}"
    assert not extra, f"letters in the PDF but not in the document: {extra}"


def check_words_whole(pdf: Path, docx: Path) -> None:
    """No word is broken inside a narrow table cell (``15/11/202`` + ``3``); links may wrap."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = Document(str(docx)).element.body
    source: Counter[str] = Counter()
    for paragraph in body.iter(f"{w}p"):
        pieces = (" " if el.tag == f"{w}br" else el.text or "" for el in paragraph.iter(f"{w}t", f"{w}br"))
        text = unicodedata.normalize("NFC", "".join(pieces))
        source.update(word for word in text.split() if "://" not in word and "@" not in word and len(word) < 25)
    rendered = Counter(_rejoin([wd for wd in words(pdf) if not is_page_number(wd)]))
    broken = source - rendered
    assert not broken, f"words broken across lines: {list(broken)[:10]}"


def _rejoin(found: list[Word]) -> list[str]:
    """Words as written: a word that ends a line with a hyphen (``pgd-``) continues on the next line."""
    texts: list[str] = []
    previous: Word | None = None
    for word in found:
        if (
            previous
            and texts
            and len(previous.text) > 1
            and previous.text.endswith("-")
            and word.y0 > previous.y0 + 1
            and word.x0 < previous.x0
        ):
            texts[-1] += word.text
        else:
            texts.append(word.text)
        previous = word
    return texts


def check_national_heading(pdf: Path) -> None:
    first = [w for w in words(pdf) if w.page == 1]
    heading = ["CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"]
    texts = [w.text for w in first]
    start = next(i for i in range(len(texts)) if texts[i : i + len(heading)] == heading)
    boxes = first[start : start + len(heading)]
    assert max(b.y0 for b in boxes) - min(b.y0 for b in boxes) < 1, "the national heading wraps"
    assert min(b.x0 for b in boxes) > LEFT + 150, "the national heading is not in the right column"
    motto = next(w for w in first if w.text == "Độc")
    assert motto.y0 > boxes[0].y0 + 5 and motto.x0 > LEFT + 150, "the motto is not under the national heading"


def check_page_numbers(pdf: Path) -> None:
    all_words = words(pdf)
    assert not [w for w in all_words if w.page == 1 and w.y1 < TOP - SLACK], "something is printed above page 1's text"
    centre = (LEFT + RIGHT) / 2
    for page in range(2, page_count(pdf) + 1):
        top = [w for w in all_words if w.page == page and w.y1 < TOP]
        assert [w.text for w in top] == [str(page)], f"page {page} header shows {[w.text for w in top]}"
        assert abs((top[0].x0 + top[0].x1) / 2 - centre) < 5, f"page {page} number is not centred"


def check_table_header_repeats(pdf: Path, header: list[str], row_marker: str) -> None:
    """On every page holding rows (words ``row_marker``), the header words come first, above all rows."""
    all_words = words(pdf)
    pages = sorted({w.page for w in all_words if w.text == row_marker})
    assert pages, "no table rows found"
    for page in pages:
        on_page = [w for w in all_words if w.page == page]
        first_row = min(w.y0 for w in on_page if w.text == row_marker)
        above = [w.text for w in on_page if w.y0 < first_row]
        for title in header:
            assert title in above, f"page {page}: header cell {title!r} is not repeated above the rows"


def check_rows_whole(pdf: Path, names: list[str], from_text: str | None = None) -> None:
    """Each name (a table row's cell) is whole on one page: no row split across pages."""
    pages = page_texts(pdf)
    if from_text:
        start = next(i for i, text in enumerate(pages) if from_text in text)
        pages = pages[start:]
    for name in names:
        assert any(" ".join(name.split()) in text for text in pages), f"row {name!r} is split across pages"


def check_signature_with_closing(pdf: Path) -> None:
    for number, text in enumerate(page_texts(pdf), start=1):
        if "Nơi nhận:" in text:
            assert "./." in text, f"page {number}: the signature block is alone, away from the closing sentence"
            return
    raise AssertionError("no signature block")


def check_name_lines(pdf: Path, lines: list[str], column_width: float) -> None:
    """A letterhead name on page 1's left column: exactly ``lines``, each on one line and centred."""
    first = [w for w in words(pdf) if w.page == 1 and w.x1 < LEFT + column_width + SLACK]
    texts = [w.text for w in first]
    wanted = " ".join(lines).split()
    start = next((i for i in range(len(texts)) if texts[i : i + len(wanted)] == wanted), None)
    assert start is not None, f"page 1 has no {' / '.join(lines)!r} in its left column"
    centre = LEFT + column_width / 2
    at, previous = start, None
    for line in lines:
        row = first[at : at + len(line.split())]
        at += len(row)
        assert max(b.y0 for b in row) - min(b.y0 for b in row) < 1, f"{line!r} is broken across lines"
        following = first[at] if at < len(first) else None
        assert following is None or abs(following.y0 - row[0].y0) >= 1, f"{line!r} runs on with {following.text!r}"
        assert previous is None or row[0].y0 > previous + 5, f"{line!r} is not below the line before it"
        middle = (row[0].x0 + row[-1].x1) / 2
        assert abs(middle - centre) < 4, f"{line!r} is not centred in its column ({middle:.1f} vs {centre:.1f})"
        previous = row[0].y0


def check_every_page(pdf: Path, docx: Path) -> None:
    """Every check that holds for any document the toolkit writes, on its PDF (and the .docx it came from)."""
    check_a4_portrait(pdf)
    check_margins(pdf)
    check_fonts(pdf)
    check_text_complete(pdf, docx)
    check_words_whole(pdf, docx)
    check_national_heading(pdf)
    check_page_numbers(pdf)
    check_signature_with_closing(pdf)

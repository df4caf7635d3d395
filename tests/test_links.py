"""One parser for every shape of Google link people paste, tested against a table of real link shapes.

The ids are real ones quoted in public bug reports: a 44-character Google Sheet id (airbytehq/airbyte#1740) and
a 33-character uploaded Excel file's id (theoephraim/node-google-spreadsheet#651)."""

from __future__ import annotations

import pytest

from toolkit.core.errors import SourceError
from toolkit.sources import GOOGLE, LOCAL, resolve
from toolkit.sources.links import SHAPES, Link, parse

SHEET = "1IixkLcgI78cbBBpVcAwFP6BRI5C4sXZ6P2CRPzbs7t0"  # 44 characters: a Google Sheet
UPLOAD = "1AxzqfXfYSEiVVIdP2QYSVPr7bOG_jhOk"  # 33 characters: a file uploaded to Drive
PUB = "2PACX-1vQ8x2vDlb3Sk0hbX_hpUqV3pKq2wH0cJmD0YVvQd7PZ8x1o9yJ0Zf9z2YxkqzZt1cZC1aC5pU7qQ2wRz"
KEY = "0-kBgRZ3XDSaZgHJk8BfkUSQ"

TABLE = [
    (f"https://docs.google.com/spreadsheets/d/{SHEET}/edit#gid=0", Link(SHEET)),
    (f"https://docs.google.com/spreadsheets/d/{SHEET}/edit?usp=sharing", Link(SHEET)),
    (f"https://docs.google.com/spreadsheets/u/0/d/{SHEET}/htmlview", Link(SHEET)),
    (f"https://docs.google.com/spreadsheets/d/{SHEET}", Link(SHEET)),
    (f"docs.google.com/spreadsheets/d/{SHEET}/edit", Link(SHEET)),
    (f"HTTPS://DOCS.GOOGLE.COM/SPREADSHEETS/D/{SHEET}/EDIT?USP=SHARING", Link(SHEET)),
    (f"https://docs.google.com/spreadsheets/d/{UPLOAD}/edit?usp=sharing&ouid=1&rtpof=true&sd=true", Link(UPLOAD)),
    (f"https://docs.google.com/spreadsheets/d/e/{PUB}/pubhtml", Link(PUB, published=True)),
    (f"https://docs.google.com/spreadsheets/d/e/{PUB}/pub?output=xlsx", Link(PUB, published=True)),
    (f"https://docs.google.com/spreadsheets/d/e/{PUB}/pubhtml?gid=0&single=true", Link(PUB, published=True)),
    (f"https://drive.google.com/open?id={UPLOAD}", Link(UPLOAD)),
    (f"https://drive.google.com/open?id={UPLOAD}&resourcekey={KEY}", Link(UPLOAD, KEY)),
    (f"https://drive.google.com/file/d/{UPLOAD}/view?usp=sharing", Link(UPLOAD)),
    (f"https://drive.google.com/file/d/{UPLOAD}/view?usp=drive_link&resourcekey={KEY}", Link(UPLOAD, KEY)),
    (f"https://drive.google.com/uc?export=download&id={UPLOAD}", Link(UPLOAD)),
    (
        f"https://docs.google.com/a/thcs-tanphu.edu.vn/spreadsheets/d/{SHEET}/edit",
        Link(SHEET, domain="thcs-tanphu.edu.vn"),
    ),
    (f"https://docs.google.com/spreadsheets/d/{SHEET}/edit?resourcekey={KEY}#gid=0", Link(SHEET, KEY)),
    (f"https://docs.google.com/spreadsheet/ccc?key={SHEET}#gid=0", Link(SHEET)),
    (f"https://spreadsheets.google.com/ccc?key={SHEET}&hl=en", Link(SHEET)),
    (f"<https://docs.google.com/spreadsheets/d/{SHEET}/edit>", Link(SHEET)),
    (f"gsheet:{SHEET}", Link(SHEET)),
    (SHEET, Link(SHEET)),
    (UPLOAD, Link(UPLOAD)),
]


@pytest.mark.parametrize(("spec", "expected"), TABLE)
def test_every_link_shape_gives_the_file_and_its_key(spec: str, expected: Link) -> None:
    assert parse(spec) == expected
    source = resolve(spec)
    assert source.kind == GOOGLE and source.value == expected.id
    assert (source.resource_key, source.published, source.domain) == (
        expected.resource_key,
        expected.published,
        expected.domain,
    )


@pytest.mark.parametrize(
    "spec",
    [
        "truong.xlsx",
        "so-theo-doi-2023.xlsx",
        "https://example.com/spreadsheets/d/1IixkLcgI78cbBBpVcAwFP6BRI5C4sXZ6P2CRPzbs7t0/edit",
        "https://docs.google.com/document/d/1IixkLcgI78cbBBpVcAwFP6BRI5C4sXZ6P2CRPzbs7t0/edit",
        "ten-truong-ngan",
    ],
)
def test_what_is_not_a_google_link(spec: str) -> None:
    assert parse(spec) is None
    if not spec.startswith("https://"):
        assert resolve(spec).kind == LOCAL


def test_an_unknown_link_says_which_shapes_it_knows() -> None:
    spec = "https://docs.google.com/document/d/1IixkLcgI78cbBBpVcAwFP6BRI5C4sXZ6P2CRPzbs7t0/edit"
    with pytest.raises(SourceError) as error:
        resolve(spec)
    assert error.value.en == f"Not a Google Sheet link: {spec}. The shapes it reads: {'; '.join(SHAPES)}."
    assert "drive.google.com/open?id=<ID>" in error.value.en and "pubhtml" in error.value.en


def test_a_file_named_like_an_id_is_the_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / UPLOAD).write_bytes(b"")
    assert resolve(UPLOAD).kind == LOCAL
    assert resolve("truong.xlsx").kind == LOCAL


@pytest.mark.parametrize(("spec", "expected"), TABLE)
def test_a_source_gives_back_a_link_that_resolves_to_itself(spec: str, expected: Link) -> None:
    """``Source.link`` is the inverse of ``resolve``: a remembered or rebuilt address keeps the published form,
    the resource key and the domain (``gsheet:<ID>`` lost them)."""
    source = resolve(spec)
    assert resolve(source.link) == source
    assert parse(expected.spec) == expected
    if expected.published or expected.resource_key or expected.domain:
        assert source.link != f"gsheet:{expected.id}"


def test_a_local_source_gives_back_its_path() -> None:
    source = resolve("truong.xlsx")
    assert source.link == "truong.xlsx" and resolve(source.link) == source


def test_gsheet_takes_an_id_by_the_same_rule_as_any_link() -> None:
    """``gsheet:`` took 10 characters while every other shape needs an id of 20: one rule now, and a shorter one
    is a link not understood (not a file of that name)."""
    assert parse("gsheet:abcdefghij") is None and parse(f"gsheet:{SHEET[:20]}") == Link(SHEET[:20])
    with pytest.raises(SourceError) as error:
        resolve("gsheet:abcdefghij")
    assert error.value.en.startswith("Not a Google Sheet link: gsheet:abcdefghij.")


def test_the_bundled_example_is_named_as_its_file() -> None:
    from toolkit.authoring.templates import EXAMPLE_NAME

    assert resolve(None, {}).label == EXAMPLE_NAME

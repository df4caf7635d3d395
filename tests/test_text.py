import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from toolkit.core.legacy import detect as legacy_encoding
from toolkit.core.text import clean_text, closest, doubled_phrase, fold, slug


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Thong tin", "Thông tin"),
        ("HOẠT ĐỘNG", "Hoạt động"),
        ("  hoạt   động ", "Hoạt động"),
        ("Đ", "d"),
        ("Hoà", "Hòa"),
        ("Ho\u0323at \u0111o\u0302\u0323ng", "Hoạt động"),
    ],
)
def test_fold_matches_forgivingly(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_clean_text() -> None:
    assert clean_text("  a_x000D_b\r\nc\x0bd\x07e  ") == ("a\nb\nc\nde", True)
    assert clean_text("Ho\u0323c") == ("Học", False)
    assert clean_text("ok") == ("ok", False)


@given(st.text())
def test_cleaned_text_is_xml_safe(text: str) -> None:
    from lxml import etree

    from toolkit.core.text import XML_ILLEGAL
    from toolkit.documents.ooxml import xml_text

    cleaned, _ = clean_text(text)
    assert all(ch in "\t\n" or ord(ch) >= 32 for ch in cleaned)
    assert not XML_ILLEGAL.search(cleaned) and "\x7f" not in cleaned
    assert cleaned == cleaned.strip()
    etree.fromstring(f"<t>{xml_text(cleaned)}</t>".encode())  # an XML parser takes it as it is


def test_doubled_phrase() -> None:
    assert doubled_phrase("kèm theo Công văn số  Công văn số 9874/UBND-VHXH") == "Công văn số"
    assert doubled_phrase("nhà nhà, người người") is None
    assert doubled_phrase("năm 2023 năm 2023") is None  # numbers alone are not words
    assert doubled_phrase("về việc về việc triển khai") == "về việc"


def test_legacy_encodings() -> None:
    assert legacy_encoding("Tr\xadêng TiÓu häc B×nh An") == "TCVN3"
    assert legacy_encoding("Tröôøng Tieåu hoïc Bình An") == "VNI"
    assert legacy_encoding("Trường Tiểu học Bình An") is None
    assert legacy_encoding("Café olé, naïve") is None


def test_closest_suggests_the_list_value() -> None:
    groups = ["Phát động", "Tọa đàm, diễn đàn", "Khác"]
    assert closest("Tọa đàm", groups) == "Tọa đàm, diễn đàn"
    assert closest("phat dong", groups) == "Phát động"
    assert closest("zzzz", groups) is None


def test_slug() -> None:
    name = "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới"
    assert slug(name) == "thang-hanh-dong-vi-binh-dang-gioi"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("") == "tai-lieu"


@given(st.text())
def test_slug_is_always_a_safe_name(text: str) -> None:
    result = slug(text)
    assert result and len(result) <= 36
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in result)


def _doubled_phrase_as_first_written(text: str) -> str | None:
    """The straightforward check the fast one must agree with: every start, every size, in order."""
    import re

    from toolkit.core.text import collapse

    words = collapse(text).split(" ")
    keys = [w.casefold() for w in words]
    wordlike = [bool(re.match(r"^[^\W\d_][\w/&.-]*$", w)) for w in words]
    for i in range(len(words)):
        for size in range(2, 7):
            end = i + 2 * size
            if end > len(words):
                break
            if keys[i : i + size] == keys[i + size : end] and all(wordlike[i : i + size]):
                return " ".join(words[i : i + size])
    return None


def _strip_diacritics_as_first_written(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


PHRASE_WORDS = st.sampled_from(["về", "việc", "Về", "VIỆC", "số", "2023", "-", "a/b", "nhà", "İ", "ß", "x"])


@given(st.lists(PHRASE_WORDS, max_size=40), st.sampled_from([" ", "  ", "\n", " \t"]))
def test_the_fast_doubled_phrase_check_finds_what_the_plain_one_finds(words, space) -> None:
    text = space.join(words)
    assert doubled_phrase(text) == _doubled_phrase_as_first_written(text)


@given(st.text())
@example("\u034f")  # the grapheme joiner: in the Latin marks' block, but of combining class 0 (found by CI)
def test_the_fast_diacritics_strip_removes_exactly_the_combining_marks(text) -> None:
    from toolkit.core.text import strip_diacritics

    assert strip_diacritics(text) == _strip_diacritics_as_first_written(text)
    vietnamese = "Trường Tiểu học Bình An – Tháng hành động vì bình đẳng giới " + text
    assert strip_diacritics(vietnamese) == _strip_diacritics_as_first_written(vietnamese)


def _clean_text_as_first_written(text: str) -> tuple[str, bool]:
    import re
    import unicodedata

    text = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub("\r\n|[\r\x0b\x0c\u2028\u2029]", "\n", text)
    cleaned = re.sub("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]", "", text)
    return unicodedata.normalize("NFC", cleaned).strip(), cleaned != text


PIECES = st.sampled_from(
    ["a", " ", "_x0041_", "_x00", "_X00e9_", "\r\n", "\x0b", "\x01", "\x7f", "ệ", "\u0301", "\ud800"]
)


@given(st.lists(PIECES, max_size=30))
def test_cleaning_with_one_scan_cleans_as_three_did(pieces) -> None:
    text = "".join(pieces)
    assert clean_text(text) == _clean_text_as_first_written(text)

"""Every message for people goes through the one catalogue, and every one has its translation."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from toolkit.core.i18n import LANGUAGES, SOURCE_LANGUAGE, catalogue
from toolkit.workbook.problems import _LABELS, RULES

TOOLKIT = Path(__file__).resolve().parent.parent / "toolkit"


def marked() -> set[str]:
    """Every ``T("…")`` template written in the code."""
    found = set()
    for path in TOOLKIT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "T":
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{path}:{node.lineno}: T() needs a literal template"
                found.add(first.value)
    return found


def fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def expected() -> set[tuple[str | None, str]]:
    plain = marked() | set(_LABELS.values())
    return {(None, text) for text in plain} | {(rule.code, rule.template) for rule in RULES.values()}


def test_every_message_has_a_translation_with_the_same_fields() -> None:
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        entries = catalogue(lang)
        missing = sorted(text for key in expected() if key not in entries for text in [key[1]])
        assert not missing, f"{lang}: no translation for {missing}"
        for key in expected():
            assert fields(entries[key]) == fields(key[1]), f"{lang}: fields differ in {key[1]!r}"


def test_the_catalogue_holds_nothing_unused() -> None:
    for lang in LANGUAGES:
        unused = set(catalogue(lang)) - expected()
        assert not unused, f"{lang}: entries no longer used: {sorted(unused)}"


def test_no_language_branches_and_no_message_pairs_in_the_code() -> None:
    offenders = []
    for path in TOOLKIT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if re.search(r"\blang\s*==|==\s*['\"]en['\"]|\b\w+_(vi|en)\s*=|^\s*(vi|en)\s*=\s*f?['\"]", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_a_message_is_shown_in_the_chosen_language() -> None:
    from toolkit.core.errors import SourceError
    from toolkit.core.i18n import T

    error = SourceError(T("Không tìm thấy tệp {path}.", path="x.xlsx"))
    assert error.text("vi") == error.message == "Không tìm thấy tệp x.xlsx."
    assert error.text("en") == error.en == "File not found: x.xlsx."

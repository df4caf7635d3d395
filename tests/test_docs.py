"""The project's reference pages stay true to the code: every tab, column, setting and problem code is named."""

from __future__ import annotations

from pathlib import Path

from toolkit.workbook.problems import RULES
from toolkit.workbook.schema import TABS
from toolkit.workbook.settings import SETTING_KEYS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_workbook_reference_names_every_tab_column_setting_and_code() -> None:
    text = (DOCS / "workbook.md").read_text(encoding="utf-8")
    missing = [f"tab {t.name}" for t in TABS if f"`{t.name}`" not in text]
    missing += [f"column {t.name}/{c.header}" for t in TABS for c in t.columns if f"`{c.header}`" not in text]
    missing += [f"setting {s.label}" for s in SETTING_KEYS if f"`{s.label}`" not in text]
    missing += [f"code {code}" for code in RULES if f"`{code}`" not in text]
    assert not missing, missing


def test_workbook_reference_lists_no_code_that_does_not_exist() -> None:
    import re

    text = (DOCS / "workbook.md").read_text(encoding="utf-8")
    table = text[text.index("| code | severity |") :]
    listed = re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", table, re.MULTILINE)
    assert {code for code, _ in listed} == set(RULES)
    assert all(RULES[code].severity == severity for code, severity in listed)


def test_cli_reference_is_the_commands_own_help() -> None:
    import sys

    sys.path.insert(0, str(DOCS))
    from cli_reference import reference

    assert (DOCS / "cli.md").read_text(encoding="utf-8") == reference(), "run: python docs/cli_reference.py"

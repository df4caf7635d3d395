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


def test_readme_quotes_the_covering_letter_as_it_is_written() -> None:
    """README's examples of the letter's sentence (the bundled example's report, and case C's) are what
    ``toolkit send`` writes: the date as the documents write it, ``08/12/2023``."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import tempfile

    from cases import CASE_C_DAY, build_case_c
    from toolkit.delivery.message import body_of, document_title
    from toolkit.sources.xlsx import read_xlsx
    from toolkit.workbook.validate import validate

    readme = " ".join((DOCS.parent / "README.md").read_text(encoding="utf-8").split())
    example = DOCS.parent / "sheet_templates" / "vi-du-THBA-2023.xlsx"
    campaign, _ = validate(read_xlsx(example), today=CASE_C_DAY)
    sentence = body_of(campaign, "report", ["BC.docx"]).split("\n")
    said = next(line for line in sentence if "trân trọng gửi" in line)
    quoted = "trân trọng gửi Báo cáo số 25/BC-THBA ngày 08/12/2023 về kết quả thực hiện"
    assert quoted in said and quoted in readme
    with tempfile.TemporaryDirectory() as folder:
        campaign, _ = validate(read_xlsx(build_case_c(Path(folder) / "c.xlsx")), today=CASE_C_DAY)
    title = document_title(campaign, "report")
    assert title.startswith("Báo cáo số 96/BC-THPTLQĐ ngày 18/05/2026 về kết quả")
    assert "`Báo cáo số 96/BC-THPTLQĐ ngày 18/05/2026 về kết quả …`" in readme

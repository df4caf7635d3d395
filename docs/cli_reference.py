"""Write docs/cli.md from the commands' own --help, so the reference can never drift from the code.

python docs/cli_reference.py          # rewrite docs/cli.md
(tests/test_docs.py checks that the committed file is what this writes)
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.core.errors import MEANINGS

HERE = Path(__file__).resolve().parent
INTRO = """# Command line

Generated from the commands' `--help` by `python docs/cli_reference.py` (a test checks it is current).
`sync-and-report` is also installed as a command of its own (the same as `toolkit sync-and-report`).

## Exit codes

{exit_codes}

With `--format json` stdout holds only JSON: the check (`source`, `valid`, `counts`, `problems`, `groups`,
`stats`; the commands that write documents add `outputs` and `kept`, and `send` adds `delivery`), or
`{"error": {"exit_code": …, "message": …}}` when the run failed. It is written as it is encoded.

However many cells share a problem, the check stays small. Of each problem code in one column of one tab the
first 10 are in `problems`, one per cell (`code`, `severity`, `tab`, `row`, `column`, `cell`, `value` cut to 200
characters, `message`); the others are only counted, in one entry of `groups` per code and column (`code`,
`severity`, `tab`, `column`, `count`: all of them, listed or not; `listed`; `last_cell`; `message`, such as
`… column "Ghi chú": 4990 more cells with this problem (cell-too-long), up to U5001; 5000 cells in all.`).
`counts` counts every problem. The text output and the `Kiểm tra` tab show the same: the listed cells, then one
line per group.

## Environment

`TOOLKIT_SOURCE`, `TOOLKIT_OUTPUT`, `TOOLKIT_LANG`, `TOOLKIT_KEEP`, `TOOLKIT_CACHE` (where the prepared document
package is cached; default the user's cache folder); Google: `GOOGLE_APPLICATION_CREDENTIALS`,
`TOOLKIT_SHEETS_API`, `TOOLKIT_DOCS_URL`, `TOOLKIT_HTTP_TIMEOUT`, `TOOLKIT_HTTP_TOTAL`; PDF: `TOOLKIT_SOFFICE`;
e-mail: `TOOLKIT_SMTP_HOST`, `_PORT`, `_USER`, `_SECURITY`, `_FROM`, `_TIMEOUT`, `_RETRY_DELAY`, `_CAFILE`,
`_PASSWORD` (or the OS keyring); signing: `TOOLKIT_SIGNER_KEY`, `TOOLKIT_ORG_KEY`, `TOOLKIT_P12_PASSWORD`,
`TOOLKIT_ORG_P12_PASSWORD` (or the OS keyring), `TOOLKIT_SIGNATURE_IMAGE`, `TOOLKIT_SEAL_IMAGE`, `TOOLKIT_TSA_URL`,
`TOOLKIT_TRUST_ROOTS`, `TOOLKIT_PKCS11_MODULE`, `TOOLKIT_SIGN_FONT`.

`verify` exits 1 when a signature is broken, the document was changed after a signature (anything but further
signatures and their validation data), or it holds no signature.
"""


def reference() -> str:
    """The whole of docs/cli.md."""
    runner = CliRunner()
    table = "| code | meaning |\n| --- | --- |\n" + "".join(f"| {int(c)} | {m} |\n" for c, m in MEANINGS.items())
    parts = [INTRO.replace("{exit_codes}", table), "## Commands\n"]
    for name in ["", *sorted(cli.commands)]:
        args = [name, "--help"] if name else ["--help"]
        text = runner.invoke(cli, args, prog_name="toolkit", terminal_width=100).output
        parts.append(f"### `toolkit{' ' + name if name else ''}`\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    (HERE / "cli.md").write_text(reference(), encoding="utf-8")
    print(HERE / "cli.md")

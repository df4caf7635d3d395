"""The documents' fingerprints: SHA-256 of every file that each preset's example and the roll-up example write.

A refactoring (a module moved, a fact declared in one place instead of two) must leave the documents
byte-identical. Run this before the change with ``--save FILE`` and after it with ``--check FILE``:

    python bench/same_bytes.py --save /tmp/before.json
    ... change the code ...
    python bench/same_bytes.py --check /tmp/before.json

It drives the installed command line (``python -m toolkit``) in a fresh process, so it measures the code as a
user runs it, whatever the modules are called. Files are named by their path below the output folder; the
history kept beside them (``.history/``) and the folder's lock are left out: they record when, not what.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CAMPAIGNS = Path(__file__).resolve().parent.parent / "toolkit" / "data" / "campaigns"


def toolkit(*args: str | Path) -> None:
    """Run ``python -m toolkit ARGS``; stop with its output if it fails."""
    done = subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"toolkit {' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")


def digests(folder: Path, prefix: str) -> dict[str, str]:
    """SHA-256 of every regular file under FOLDER, keyed by PREFIX/relative path (history and locks left out)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        found[f"{prefix}/{relative.as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def fingerprints() -> dict[str, str]:
    """Every preset's example (plan and report) and the roll-up example, each file's SHA-256."""
    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for preset in sorted(p.stem for p in CAMPAIGNS.glob("*.json")):
            book = root / f"{preset}.xlsx"
            toolkit("init", "--campaign", preset, "--example", book)
            toolkit("sync-and-report", book, "-o", root / preset, "-q")
            found |= digests(root / preset, preset)
        toolkit("init", "--rollup", "--example", root / "rollup" / "ds.xlsx")
        toolkit("rollup", root / "rollup" / "ds.xlsx", "-o", root / "rollup-out")
        found |= digests(root / "rollup-out", "rollup")
    return found


def main() -> None:
    """Save the fingerprints, or check them against saved ones (exit 1 and name each file that differs)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the fingerprints to this JSON file")
    action.add_argument("--check", type=Path, help="compare with the fingerprints in this JSON file")
    args = parser.parse_args()
    found = fingerprints()
    if args.save:
        args.save.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"{len(found)} files fingerprinted")
        return
    saved = json.loads(args.check.read_text("utf-8"))
    differ = sorted(k for k in saved.keys() | found.keys() if saved.get(k) != found.get(k))
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(found)} files, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()

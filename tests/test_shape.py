"""The code's shape, as docs/architecture.md promises it: a function over 60 lines says why in a ``# Long:``
comment (a long function is a choice, never an accident)."""

from __future__ import annotations

import ast
from pathlib import Path

TOOLKIT = Path(__file__).resolve().parent.parent / "toolkit"
LIMIT = 60


def long_functions_without_a_reason() -> list[str]:
    """``path:name (lines)`` of every function over ``LIMIT`` lines with no ``# Long:`` comment inside it."""
    found = []
    for path in sorted(TOOLKIT.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                body = lines[node.lineno - 1 : node.end_lineno]
                if length > LIMIT and not any(line.strip().startswith("# Long:") for line in body):
                    found.append(f"{path.relative_to(TOOLKIT)}:{node.name} ({length})")
    return found


def test_a_long_function_says_why() -> None:
    assert long_functions_without_a_reason() == []

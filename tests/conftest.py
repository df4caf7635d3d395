"""Shared helpers: build workbooks by editing the bundled example, read and validate them."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from toolkit.authoring.templates import build_workbook
from toolkit.sources.xlsx import read_xlsx
from toolkit.workbook.problems import CheckReport
from toolkit.workbook.validate import validate

DATA = Path(__file__).parent / "data"
# The prepared document package is cached per user: the tests keep theirs apart from the real one.
os.environ.setdefault("TOOLKIT_CACHE", tempfile.mkdtemp(prefix="toolkit-test-cache-"))
REPORT_DAY = dt.date(2023, 12, 8)

Edits = Mapping[tuple[str, str], object]


def write_workbook(
    path: Path,
    edits: Edits | None = None,
    *,
    drop: tuple[str, ...] = (),
    rename: Mapping[str, str] | None = None,
    filled: bool = True,
) -> Path:
    """Save the example (or blank template) with cells changed: ``{("Hoạt động", "E7"): "31/11/2023"}``."""
    book = build_workbook(filled=filled)
    for (tab, cell), value in (edits or {}).items():
        book[tab][cell] = value
    for tab in drop:
        del book[tab]
    for old, new in (rename or {}).items():
        book[old].title = new
    book.save(path)
    return path


def tuples(report: CheckReport) -> list[tuple[str, str | None, str | None]]:
    """A check's problems as compact ``(code, tab, cell)`` triples."""
    return [(p.code, p.tab, p.cell) for p in report.problems]


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``workbook({("Tab", "A1"): value}, drop=(...))`` → path of a saved workbook."""
    counter = iter(range(1_000_000))

    def make(edits: Edits | None = None, **kwargs: object) -> Path:
        return write_workbook(tmp_path / f"wb{next(counter)}.xlsx", edits, **kwargs)

    return make


@pytest.fixture
def check(workbook: Callable[..., Path]) -> Callable[..., CheckReport]:
    """Factory: validate the example with edits and return the report."""

    def run(edits: Edits | None = None, today: dt.date = REPORT_DAY, **kwargs: object) -> CheckReport:
        path = workbook(edits, **kwargs)
        return validate(read_xlsx(path), today=today)[1]

    return run


@pytest.fixture(scope="module")
def server():
    """The Sheets emulator on 127.0.0.1 (``sheets_emulator.py``), one per test module."""
    from sheets_emulator import Emulator

    emulator = Emulator()
    yield emulator
    emulator.close()


@pytest.fixture
def emulator(server, monkeypatch, tmp_path):
    """The emulator emptied for one test, the toolkit pointed at it, and a service-account key it accepts."""
    server.reset()
    monkeypatch.setenv("TOOLKIT_SHEETS_API", server.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "TOOLKIT_SOURCE", "TOOLKIT_OUTPUT", "TOOLKIT_LANG"):
        monkeypatch.delenv(name, raising=False)
    server.key = server.key_file(tmp_path / "key.json")
    return server


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # the workbook generator is shared with the benchmark

# Hypothesis: at least 2,000 whole-pipeline examples in CI, fewer on a developer's machine.
settings.register_profile(
    "ci",
    max_examples=2000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))

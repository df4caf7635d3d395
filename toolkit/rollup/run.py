"""``toolkit rollup`` as one library call: read the list, gather the schools, write the office's files.

Exit codes of a roll-up (``RollupResult.exit_code``), worst first: 4 a file could not be written (raised
as ``OutputError``); 3 the list could not be read (raised), or at least one school's workbook could not
be read (the roll-up is written without it); 1 the list has errors (nothing written unless ``--force``),
or some schools are not counted (errors, another campaign or year, no workbook yet, the same unit as an
earlier row); 0 every school counted. A partial roll-up is always written: the office's report names who is
missing and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import ExitCode, SourceError
from ..core.i18n import T
from ..output.naming import rollup_paths
from ..output.pdf import to_pdfs
from ..output.write import write_file
from ..pipeline import Written, write_problems
from ..sources import EXAMPLE, GOOGLE, LOCAL, resolve
from ..sources.budget import ReadBudget
from ..sources.reading import read_source
from ..workbook.schema import ROLLUP_TABS
from . import changes, chips
from .document import build_rollup, rollup_words
from .figures import Figures, total
from .gather import Each, SchoolResult, Status, Tick, count_once, gather
from .listing import RollupList, read_list
from .table import group_of, ordered, table_bytes

if TYPE_CHECKING:
    from ..core.config import Options
    from ..sources.budget import ReadBudget


@dataclass
class RollupResult:
    """A roll-up: the list as checked, every school's outcome, the totals and the files written."""

    listing: RollupList
    schools: list[SchoolResult]
    totals: Figures
    files: list[Written] = field(default_factory=list)
    budget: ReadBudget | None = None
    unchanged: int = 0  # schools Drive said were unchanged, taken from their snapshots instead of read

    def count(self, status: Status) -> int:
        """How many schools came out with ``status``."""
        return sum(1 for r in self.schools if r.status == status)

    @property
    def complete(self) -> bool:
        """True when every school of the list is counted."""
        return all(r.counted for r in self.schools)

    @property
    def exit_code(self) -> int:
        """0 complete, 1 list errors or schools not counted, 3 a school unreadable (see the module)."""
        if self.count(Status.UNREADABLE):
            return ExitCode.SOURCE
        if not self.listing.check.valid or not self.complete:
            return ExitCode.DATA
        return ExitCode.OK

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON of ``toolkit rollup --format json``."""
        return {
            "list": self.listing.check.to_dict(lang),
            "complete": self.complete,
            "counts": {status.value: self.count(status) for status in Status},
            "schools": [
                {
                    "row": r.entry.row,
                    "name": r.entry.name,
                    "group": group_of(r),  # the group the tables use: a blank Nhóm is the level
                    "source": r.entry.shown or None,
                    "status": r.status.value,
                    "reason": r.reason.text(lang) if r.reason else None,
                    "errors": r.errors,
                    "warnings": r.warnings,
                    "stats": r.figures.stats() if r.figures else None,
                    "problems": [p.to_dict(lang) for p in r.problems],
                }
                for r in self.schools
            ],
            "totals": {
                **self.totals.stats(),
                "groups": self.totals.groups,
                "other": self.totals.other,
                "people": {k: {"male": m, "female": f} for k, (m, f) in self.totals.people.items()},
            },
            "reads": self.budget.requests if self.budget else 0,
            "outputs": [str(f.path) for f in self.files],
            "kept": {str(f.path): str(f.kept) for f in self.files if f.kept},
        }


def rollup(
    spec: str,
    options: Options,
    *,
    concurrency: int = 8,
    budget: ReadBudget | None = None,
    tick: Tick | None = None,
    each: Each | None = None,
    listed: Callable[[RollupList], None] | None = None,
) -> RollupResult:
    """Read the list ``spec``, read and classify every school, and write the office's report and table
    (unless the list itself has errors and ``options.force`` is off). ``listed`` hears the list as checked
    and ``each`` every school's outcome as it comes (``toolkit ui`` shows them live)."""

    source = resolve(spec)
    if source.kind == EXAMPLE:
        raise SourceError(
            T("Hãy chỉ định danh sách đơn vị (tệp .xlsx hoặc Google Sheet); tạo mới: toolkit init --rollup.")
        )
    loaded = read_source(source, options, layout=ROLLUP_TABS)
    base = Path(source.value).resolve().parent if source.kind == LOCAL else Path.cwd()
    if loaded.google is not None:  # Nguồn cells that are smart chips or hyperlinks: the link behind them
        chips.from_google(loaded.raw, loaded.google, loaded.sheet_id)
    elif source.kind == LOCAL:
        chips.from_xlsx(loaded.raw, Path(source.value))
    listing = read_list(loaded.raw, options.today, base)
    if loaded.google is not None and options.write_back is not False:
        write_problems(loaded, listing.check, options)
    result = RollupResult(listing, [], Figures())
    if listed is not None:
        listed(listing)
    if not listing.check.valid and not options.force:
        return result
    result.budget = budget or ReadBudget.from_env()
    plan = _changes(listing.entries, options)
    result.schools = gather(
        listing.entries,
        listing.office,
        options,
        concurrency=concurrency,
        budget=result.budget,
        tick=tick,
        each=each,
        unchanged=plan.unchanged,
    )
    count_once(result.schools)
    result.unchanged = sum(1 for r in result.schools if r.from_snapshot)
    # read online this run (a school whose snapshot could not be read among them), not taken from a snapshot
    read = {r.entry.source.value for r in result.schools if r.entry.source and r.status not in NOT_READ}
    taken = {r.entry.source.value for r in result.schools if r.entry.source and r.from_snapshot}
    changes.record(options, plan, read - taken)
    # in the order of the report's tables, not the list's rows: a list sorted otherwise writes the same report
    result.totals = total([r.figures for r in ordered(result.schools) if r.counted and r.figures is not None])
    result.files = write(result, options)
    return result


NOT_READ = frozenset({Status.UNREADABLE, Status.MISSING})


def _changes(entries: list, options: Options) -> changes.Plan:
    """Drive's answer to which schools changed (nothing asked offline, by public link, or without Google)."""
    from ..sources.reading import public_link

    if options.offline or not any(e.source and e.source.kind == GOOGLE for e in entries) or public_link(options):
        return changes.Plan()
    from ..sources.google import connect  # gspread and google-auth: only when a school is read from Google

    return changes.plan(entries, options, connect(options))


def write(result: RollupResult, options: Options) -> list[Written]:
    """Write the consolidated report (.docx) and the per-school table (.xlsx), atomically, with history."""

    office = result.listing.office
    docx, xlsx = rollup_paths(office, options.output)
    document = build_rollup(result.listing, result.schools, result.totals)
    words, _ = rollup_words(office, result.totals.levels, result.listing.texts)
    table = table_bytes(result.schools, result.totals, words, document.title, document.created)
    files = []
    for kind, path, data in (("report", docx, document.to_bytes()), ("table", xlsx, table)):
        written = write_file(path, data, keep=options.keep, remember=True)
        files.append(Written(kind, path, written.kept, kept_own=written.own))
    return files


def export_pdf(result: RollupResult) -> Path:
    """A PDF of the consolidated report (LibreOffice), added to the result's files."""

    docx = next(f.path for f in result.files if f.kind == "report")
    (pdf,) = to_pdfs([docx])
    result.files.append(Written("report", pdf))
    return pdf

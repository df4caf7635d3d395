"""The everyday job as library calls: read a source, validate it, write the documents.

The CLI is a thin layer over these functions; they never print and never exit, they return a
``Report`` (with the output paths in ``report.outputs``) or raise a ``ToolkitError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import Campaign
from .problems import Report
from .sources import Source, read, resolve
from .validate import validate

PLAN, REPORT = "plan", "report"


@dataclass
class Options:
    """What a run may do beyond reading and validating."""

    output: Path = Path("output")
    force: bool = False
    today: dt.date | None = None
    google: dict[str, object] = field(default_factory=dict)


def check(source: Source, options: Options | None = None) -> tuple[Campaign, Report]:
    """Read and validate a source; nothing is written."""
    options = options or Options()
    raw = read(source, **options.google)
    return validate(raw, today=options.today)


def generate(campaign: Campaign, report: Report, which: Iterable[str], options: Options) -> Report:
    """Write the requested documents unless the report has errors (or ``force``); record their paths."""
    from .documents.plan import build_plan
    from .documents.report import build_report
    from .output import document_paths, write_file

    if not report.valid and not options.force:
        return report
    plan_path, report_path = document_paths(campaign.settings, options.output)
    builders = {PLAN: (build_plan, plan_path), REPORT: (build_report, report_path)}
    for kind in which:
        build, path = builders[kind]
        write_file(path, build(campaign).to_bytes())
        report.outputs.append(str(path))
    return report


def export_pdf(report: Report) -> list[str]:
    """Convert every ``.docx`` the run wrote to PDF (LibreOffice); add and return the PDF paths."""
    from .pdf import to_pdf

    pdfs = [str(to_pdf(Path(path))) for path in report.outputs if path.endswith(".docx")]
    report.outputs.extend(pdfs)
    return pdfs


def sync_and_report(spec: str | None, options: Options | None = None,
                    which: Iterable[str] = (PLAN, REPORT)) -> Report:
    """Read, validate and write both documents: the whole everyday job."""
    options = options or Options()
    campaign, report = check(resolve(spec), options)
    return generate(campaign, report, which, options)


"""Each document kind's builder: the one place that says which module writes which document."""

from __future__ import annotations

from collections.abc import Callable

from ..workbook.model import Campaign
from .kinds import PLAN, REPORT, Document
from .layout import OfficialDocument
from .plan import build_plan
from .report import build_report

BUILDERS: dict[Document, Callable[[Campaign], OfficialDocument]] = {PLAN: build_plan, REPORT: build_report}


def build(kind: str, campaign: Campaign) -> OfficialDocument:
    """The document ``kind`` (``plan``, ``report``) of the campaign."""
    return BUILDERS[Document(kind)](campaign)

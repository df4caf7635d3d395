"""Where each document goes: ``output/<Năm>/<symbol>-<Viết tắt>-<slug>.docx``, every part ASCII and safe, the
symbol from the document's kind (``documents.kinds``); the roll-up's ``BCTH-…`` twins; a signed copy's
``…-ky-so.pdf``."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..core.text import fold, slug, strip_diacritics
from ..documents.kinds import KIND, KINDS
from ..workbook.settings import Settings

SIGNED_SUFFIX = "-ky-so"  # the copy ``toolkit sign`` writes beside a PDF


def document_paths(settings: Settings, output: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``output/<Năm>/KH-<Viết tắt>-<slug>.docx`` and the ``BC-…`` twin; every part is ASCII and safe.

    A campaign name longer than the slug, or without Latin letters, gets a short hash of the whole name,
    so two campaigns never share a file name ("… đợt 1", "… đợt 2") and the same one always gets the same.
    """
    plan, report = (document_path(settings, output, kind.code) for kind in KINDS)
    return plan, report


def document_path(settings: Settings, output: str | os.PathLike[str], kind: str) -> Path:
    """``output/<Năm>/<symbol>-<Viết tắt>-<slug>.docx`` for one document kind (``plan``: ``KH-…``)."""
    folder, name = _place(settings, output)
    return folder / f"{KIND[kind].symbol}-{name}.docx"


def rollup_paths(settings: Settings, output: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The office's consolidated report ``output/<Năm>/BCTH-<Viết tắt>-<slug>.docx`` and its per-school
    table, the ``.xlsx`` twin."""
    folder, name = _place(settings, output)
    return folder / f"BCTH-{name}.docx", folder / f"BCTH-{name}.xlsx"


def _place(settings: Settings, output: str | os.PathLike[str]) -> tuple[Path, str]:
    """The year folder and the ``<Viết tắt>-<slug>`` part of the file names."""
    year = str(settings.year) if settings.year and 1000 <= settings.year <= 9999 else "khong-ro-nam"
    abbr = re.sub(r"[^A-Z0-9]", "", strip_diacritics(settings.unit_abbr or "").upper())[:20] or "DV"
    return Path(output) / year, f"{abbr}-{campaign_slug(settings.campaign)}"


def campaign_slug(campaign: str) -> str:
    """The campaign's part of a file name: its slug, plus a hash of the name when the slug lost part of it."""
    short = slug(campaign or "tai-lieu")
    whole = "-".join(re.findall(r"[a-z0-9]+", fold(campaign or "")))
    if short == whole or not campaign:
        return short
    return f"{short}-{hashlib.sha256(fold(campaign).encode()).hexdigest()[:6]}"


def signed_path(pdf: Path) -> Path:
    """``KH-….pdf`` → ``KH-…-ky-so.pdf`` beside it (an already signed copy keeps its name)."""
    stem = pdf.stem if pdf.stem.endswith(SIGNED_SUFFIX) else pdf.stem + SIGNED_SUFFIX
    return pdf.with_name(stem + ".pdf")

"""The documents a campaign has, each declared once: its code, its Vietnamese name, the symbol that prefixes its
file name and its number (``KH-…docx``, ``Số: 12/KH-THBA``), and the settings that hold its number, its date
and its signed copy. Everything that differs between the plan and the report loops over ``KINDS`` (the builder
of each is in ``documents/build.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..core.i18n import Message, T
from ..core.strenum import StrEnum
from ..core.vnformat import date_text, number_symbol
from ..workbook.settings import Settings, setting_label, setting_symbol


class Document(StrEnum):
    """The two documents a campaign has."""

    PLAN = "plan"
    REPORT = "report"


PLAN, REPORT = Document


@dataclass(frozen=True)
class Kind:
    """One document: what it is called, its symbol, and where its number, date and signed copy are set."""

    code: Document
    title: Message  # as the document's title and people name it: "Kế hoạch" (in the reader's language)
    english: str  # what it is, in English, for ``--help``: "plan", "results report"
    symbol: str  # Decree 30's abbreviation: the file prefix (KH-…docx) and the number's symbol (12/KH-THBA)
    number: Callable[[Settings], int | None]
    date: Callable[[Settings], dt.date | None]
    signed_key: str  # the setting naming the scanned, signed copy in the workbook, whose label messages cite
    heading: str  # the wording key of the line under the title ("kh.tieu_de": "triển khai Tháng …")
    about: str  # how a letter joins the document to its subject: "Kế hoạch số … về việc triển khai …"
    subject: str  # how a mail subject joins it to the campaign: "Kế hoạch … triển khai Tháng …"

    @property
    def name(self) -> str:
        """The name in Vietnamese, as the document itself is titled."""
        return self.title.text("vi")

    def signed(self, settings: Settings) -> str:
        """The scanned, signed copy the workbook names (the ``signed_key`` setting)."""
        value: str = getattr(settings, self.signed_key)
        return value

    def reference(self, settings: Settings) -> str:
        """``Kế hoạch số 12/KH-THBA ngày 07/11/2023``: the document as a sentence, a letter or a mail's subject
        cites it, its number and date each left out when not set (as the report cites its plan)."""
        number, date = self.number(settings), self.date(settings)
        text = self.name
        if number:
            text += f" số {number_symbol(number, self.symbol, settings.unit_abbr)}"
        if date:
            text += f" ngày {date_text(date)}"
        return text

    @property
    def signed_label(self) -> str:
        """The ``Thông tin`` label of the signed-copy setting: ``Bản đã ký (Kế hoạch)``."""
        return setting_label(self.signed_key)


KINDS: tuple[Kind, ...] = (
    Kind(
        code=PLAN,
        title=T("Kế hoạch"),
        english="plan",
        symbol=setting_symbol("plan_number"),
        number=lambda s: s.plan_number,
        date=lambda s: s.plan_date,
        signed_key="signed_plan",
        heading="kh.tieu_de",
        about="về việc",
        subject="triển khai",
    ),
    Kind(
        code=REPORT,
        title=T("Báo cáo"),
        english="results report",
        symbol=setting_symbol("report_number"),
        number=lambda s: s.report_number,
        date=lambda s: s.report_date,
        signed_key="signed_report",
        heading="bc.tieu_de",
        about="về",
        subject="kết quả thực hiện",
    ),
)
KIND: dict[str, Kind] = {k.code: k for k in KINDS}

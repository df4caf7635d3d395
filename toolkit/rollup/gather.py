"""Reading every school of a roll-up list and classifying it: ok, warnings, errors, unreadable, wrong
campaign or year, missing.

Each school is read and checked exactly as ``sync-and-report`` reads and checks it (the same readers,
the same rules, snapshots kept for Google Sheets, ``--offline`` from them). Google Sheets are read by
several connections at once, each request taking its turn in one shared ``ReadBudget``; a school that
fails is classified with its reason and the others still roll up. Results come back in list order,
whatever order the reads finished in.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.config import quiet
from ..core.errors import CredentialsError, ServiceDisabled, ToolkitError
from ..core.i18n import Message, T
from ..core.strenum import StrEnum
from ..core.text import fold
from ..sources import GOOGLE
from ..sources.reading import public_link, read_source
from ..sources.xlsx import NotAWorkbookFile
from ..workbook import campaigns
from ..workbook.model import Settings
from ..workbook.names import in_sentence, same_body, same_name
from ..workbook.problems import ERROR, WARNING, Problem
from ..workbook.validate import validate
from .figures import Figures
from .listing import Entry

if TYPE_CHECKING:
    from ..core.config import Options
    from ..sources.budget import ReadBudget
    from ..sources.google import GoogleSheets

Tick = Callable[[int, int], None]  # (schools done, schools in all)
Each = Callable[["SchoolResult"], None]  # one school's outcome, as soon as it is known (a page showing them live)


class Status(StrEnum):
    """How a school's workbook came out of the roll-up."""

    OK = "ok"
    WARNINGS = "warnings"
    ERRORS = "errors"
    UNREADABLE = "unreadable"
    WRONG = "wrong-campaign"
    MISSING = "missing"
    DUPLICATE = "duplicate"  # the same unit as an earlier row's workbook: counted there, once


COUNTED = frozenset({Status.OK, Status.WARNINGS})  # the schools whose figures are added up


@dataclass
class SchoolResult:
    """One school after reading: its status, why (when not counted), its problem counts and figures."""

    entry: Entry
    status: Status
    reason: Message | None = None
    errors: int = 0
    warnings: int = 0
    figures: Figures | None = None  # for every school that could be read and checked
    campaign: str = ""  # what the school's workbook says: campaign name and year
    year: int | None = None
    unit: str = ""  # the school's own name in its workbook
    parent: str = ""  # the school's parent body as its workbook names it (Cơ quan chủ quản)
    abbr: str = ""  # the school's own abbreviation in its workbook (Viết tắt đơn vị)
    same_as: int | None = None  # the list row of the same unit's workbook, counted there (a duplicate)
    problems: tuple[Problem, ...] = ()  # the workbook's own problems as ``toolkit check`` lists them, errors first
    from_snapshot: bool = False  # taken from its newest snapshot because Drive said it was unchanged

    @property
    def counted(self) -> bool:
        """True when the school's figures are in the totals (ok, or warnings only)."""
        return self.status in COUNTED


def gather(
    entries: list[Entry],
    office: Settings,
    options: Options,
    *,
    concurrency: int = 8,
    budget: ReadBudget | None = None,
    tick: Tick | None = None,
    each: Each | None = None,
    unchanged: frozenset[str] = frozenset(),
) -> list[SchoolResult]:
    """Read, check and classify every school; Google Sheets ``concurrency`` at a time under ``budget``, except
    the ``unchanged`` ones (sheet ids), read from their newest snapshot (read again online when that snapshot
    cannot be read: a damaged snapshot would otherwise stay unreadable until the sheet changes); ``each`` hears
    every school's outcome as soon as it is known, in whatever order the reads finish. An answer that every school
    would get alike (the API not enabled, the key refused) stops the roll-up at once: it is raised, not given to
    each."""
    # per-school notices are not told one by one: the roll-up's summary tells what matters
    silent = dataclasses.replace(options, notify=quiet, progress=quiet, write_back=False)
    from_snapshot = dataclasses.replace(silent, offline=True)
    online = any(e.source and e.source.kind == GOOGLE for e in entries) and not options.offline
    connections = _Connections(silent, budget) if online and not public_link(silent) else None
    tick = tick or (lambda done, total: None)
    stop = threading.Event()

    def one(entry: Entry) -> SchoolResult:
        if stop.is_set():
            return SchoolResult(entry, Status.UNREADABLE)  # never shown: the first such answer is raised
        same = entry.source is not None and entry.source.kind == GOOGLE and entry.source.value in unchanged
        try:
            result = read_school(entry, office, from_snapshot if same else silent, connections)
            if same and result.status == Status.UNREADABLE:
                result = read_school(entry, office, silent, connections)
            else:
                result.from_snapshot = same
        except ToolkitError:
            stop.set()
            raise
        if each is not None:
            each(result)
        return result

    results: list[SchoolResult] = []
    if online and concurrency > 1:
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="rollup") as pool:
            for result in pool.map(one, entries):
                results.append(result)
                tick(len(results), len(entries))
    else:
        for entry in entries:
            results.append(one(entry))
            tick(len(results), len(entries))
    return results


def read_school(entry: Entry, office: Settings, options: Options, connections: _Connections | None) -> SchoolResult:
    """Read and check one school's workbook and classify it."""
    if entry.source is None:
        return SchoolResult(entry, Status.MISSING, T("chưa có đường dẫn sổ theo dõi trong danh sách"))
    try:
        google = connections.get() if connections and entry.source.kind == GOOGLE and not options.offline else None
        loaded = read_source(entry.source, options, google=google)
        campaign, report = validate(loaded.raw, today=options.today)
    except (ServiceDisabled, CredentialsError):
        raise  # the same for every school: the roll-up stops
    except NotAWorkbookFile as exc:  # a folder, a FIFO, a device, a loop of links: said without the path
        return SchoolResult(entry, Status.UNREADABLE, T("{what}, không phải tệp bảng tính", what=exc.what))
    except ToolkitError as exc:
        return SchoolResult(entry, Status.UNREADABLE, exc.msg)
    except Exception as exc:
        return SchoolResult(entry, Status.UNREADABLE, T("lỗi không mong đợi khi đọc ({kind})", kind=type(exc).__name__))
    s = campaign.settings
    errors, warnings = report.count(ERROR), report.count(WARNING)
    result = SchoolResult(
        entry,
        Status.OK,
        None,
        errors,
        warnings,
        Figures.of(campaign),
        s.campaign,
        s.year,
        s.unit,
        s.parent_body,
        s.unit_abbr,
        problems=tuple(sorted(report.problems, key=lambda p: p.severity != ERROR)),
    )
    if not same_campaign(s.campaign, office.campaign) or s.year != office.year:
        result.status = Status.WRONG
        result.reason = T(
            'sổ ghi đợt "{campaign}" năm {year}, không phải "{expected}" năm {expected_year}',
            campaign=s.campaign or "…",
            year=s.year or "…",
            expected=office.campaign,
            expected_year=office.year,
        )
    elif errors:
        result.status = Status.ERRORS
        result.reason = T("sổ còn {errors} lỗi chưa sửa", errors=errors)
    elif warnings:
        result.status = Status.WARNINGS
    if other_body(result, office):  # counted, but the list may hold a school that is not the office's
        result.reason = T(
            'được tổng hợp, nhưng sổ ghi cơ quan chủ quản "{parent}", không phải {office}',
            parent=s.parent_body,
            office=in_sentence(office.unit),
        )
    elif result.counted and entry.name and s.unit and not same_name(entry.name, s.unit):
        result.reason = T(  # counted (it is a workbook of this campaign), but perhaps not this row's school
            'được tổng hợp, nhưng sổ ghi đơn vị "{unit}", không phải "{name}" như danh sách: kiểm tra Nguồn của dòng',
            unit=in_sentence(s.unit),
            name=entry.name,
        )
    return result


def count_once(results: list[SchoolResult]) -> None:
    """Mark, in place, every workbook that is the same unit as an earlier row's (the same ``Đơn vị`` in its
    own ``Thông tin``, folded, and no other ``Viết tắt đơn vị``) as a duplicate, with a reason naming that
    row: a school listed once by its Google link and once by a local copy is counted once. A workbook of
    another campaign or year is no copy of the unit's workbook for this roll-up: it neither is one nor hides one."""
    first: dict[str, SchoolResult] = {}
    for r in results:
        if r.figures is None or not fold(r.unit) or r.status == Status.WRONG:
            continue  # not read (nothing says which unit it is), or not this roll-up's workbook
        earlier = first.setdefault(fold(r.unit), r)
        if earlier is r or (r.abbr and earlier.abbr and fold(r.abbr) != fold(earlier.abbr)):
            continue
        r.status, r.same_as = Status.DUPLICATE, earlier.entry.row
        r.reason = T(
            "cùng đơn vị {unit} với sổ ở dòng {row}: chỉ tính một lần, theo dòng {row}",
            unit=in_sentence(r.unit),
            row=earlier.entry.row,
        )


def other_body(r: SchoolResult, office: Settings) -> bool:
    """True when a counted school names a parent body that is neither the office nor the office's own parent
    (a commune's list holding another commune's school, or an upper-secondary school under the Department),
    names compared as ``names.same_body`` does (``UBND XÃ A`` = ``Ủy ban nhân dân xã A, tỉnh B``); the office's
    name may carry its committee's place (``Sở Giáo dục và Đào tạo thành phố Hải Phòng``)."""
    if not (r.counted and r.parent and office.unit):
        return False
    return not (same_body(r.parent, office.unit, office.parent_body) or same_body(r.parent, office.parent_body))


def same_campaign(school: str, office: str) -> bool:
    """True when two campaign names are one campaign: the same words (case, accents typed alike, spaces aside),
    or names of the same preset (``Tháng hành động vì bình đẳng giới`` and its alias ``Tháng bình đẳng giới``)."""

    if fold(campaigns.bare_name(school)) == fold(campaigns.bare_name(office)):
        return True
    preset = campaigns.find(school)
    return preset is not None and preset.id != campaigns.BLANK and preset is campaigns.find(office)


class _Connections:
    """One Google connection per reading thread (sessions are not shared between threads), all sharing
    one budget."""

    def __init__(self, options: Options, budget: ReadBudget | None) -> None:
        self.options, self.budget = options, budget
        self.local = threading.local()

    def get(self) -> GoogleSheets:
        from ..sources.google import connect

        google = getattr(self.local, "google", None)
        if google is None:
            google = connect(self.options)
            google.http.budget = self.budget
            self.local.google = google
        return google

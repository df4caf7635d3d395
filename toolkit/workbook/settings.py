"""The ``Thông tin`` tab's settings, each declared once as a typed field of ``Settings`` with its label, kind,
note and aliases; ``SETTING_KEYS`` (a school's) and ``ROLLUP_SETTING_KEYS`` (an office's list) are read from it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..core.text import fold
from .schema import DATE, INTEGER, TEXT


@dataclass(frozen=True)
class Setting:
    """One key of the ``Thông tin`` tab."""

    label: str
    key: str
    kind: str = TEXT
    required: bool = False
    note: str = ""
    aliases: tuple[str, ...] = field(default=())
    lines: bool = False  # one item per line (Alt+Enter) or separated by ;
    email: bool = False  # e-mail addresses, split by ``addresses``
    symbol: str = ""  # a document's number: Decree 30's symbol printed after it (``12/KH-THBA``)


# An e-mail address as the covering letter's headers take it: one ``@``, a dot in the domain, nothing that
# separates addresses, a display name, a group (``mailto:a@b.vn`` would be a group named ``mailto``) or a comment.
ADDRESS = re.compile(r"^[^@\s<>,;:()\[\]\"\\]+@[^@\s<>,;:()\[\]\"\\]+\.[^@\s<>,;:()\[\]\"\\]+$")


def addresses(text: str) -> list[str]:
    """E-mail addresses typed one per line or separated by ``;`` or ``,``."""
    return [a for a in (part.strip() for part in re.split(r"[\n;,]", text or "")) if a]


def setting(
    label: str,
    default: Any,
    kind: str = TEXT,
    *,
    required: bool = False,
    note: str = "",
    aliases: tuple[str, ...] = (),
    lines: bool = False,
    email: bool = False,
    symbol: str = "",
) -> Any:
    """A field of ``Settings`` with its ``Thông tin`` label, kind, whether it must be filled, its note for people
    and the other labels it is recognised by; ``lines``: one item per line (or ``;``); ``email``: e-mail
    addresses (``addresses`` splits them); ``symbol``: a document's number, printed ``<number>/<symbol>-<Viết tắt>``."""
    return field(
        default=default,
        metadata={
            "label": label,
            "kind": kind,
            "required": required,
            "note": note,
            "aliases": aliases,
            "lines": lines,
            "email": email,
            "symbol": symbol,
        },
    )


_NUMBER_NOTE = "Chỉ ghi số, ví dụ 12 (toolkit tự thêm /{symbol}-<Viết tắt đơn vị>); để trống để điền tay"


@dataclass
class Settings:
    """The ``Thông tin`` tab: who issues the documents, for which campaign, signed by whom. Each setting is
    declared here once: its type and default, and its label and note for people (``SETTING_KEYS`` is read
    from these fields)."""

    parent_body: str = setting("Cơ quan chủ quản", "", required=True, note="Viết hoa, ví dụ UBND PHƯỜNG TÂN HƯNG")
    unit: str = setting("Đơn vị", "", required=True, note="Viết hoa, ví dụ TRƯỜNG THCS NGUYỄN TRÃI")
    unit_abbr: str = setting("Viết tắt đơn vị", "", required=True, note="Chữ in hoa và số, ví dụ THCSNT")
    place: str = setting("Địa danh", "", required=True, note="Ví dụ: Tân Hưng")
    campaign: str = setting("Tên đợt", "", required=True)
    year: int | None = setting("Năm", None, INTEGER, required=True)
    theme: str = setting("Chủ đề", "")
    start: dt.date | None = setting("Từ ngày", None, DATE, required=True)
    end: dt.date | None = setting("Đến ngày", None, DATE, required=True)
    plan_number: int | None = setting("Số kế hoạch", None, INTEGER, note=_NUMBER_NOTE.format(symbol="KH"), symbol="KH")
    plan_date: dt.date | None = setting("Ngày kế hoạch", None, DATE)
    report_number: int | None = setting("Số báo cáo", None, INTEGER, note=_NUMBER_NOTE.format(symbol="BC"), symbol="BC")
    report_date: dt.date | None = setting("Ngày báo cáo", None, DATE)
    report_deadline: dt.date | None = setting("Hạn nộp báo cáo", None, DATE)
    report_to: tuple[str, ...] = setting(
        "Nơi nhận báo cáo", (), required=True, note="Mỗi nơi một dòng (Alt+Enter) hoặc cách nhau bằng dấu ;", lines=True
    )  # one or more receiving offices
    report_to_person: tuple[str, ...] = setting(
        "Người nhận báo cáo",
        (),
        note="Người liên hệ ở từng nơi nhận, mỗi dòng một người theo thứ tự nơi nhận (có thể để trống)",
        lines=True,
    )  # the contact at each, in the same order
    authority: str = setting("Thẩm quyền ký", "", note="KT., TM., Q., TL., TUQ. hoặc để trống")
    signer_title: str = setting("Chức vụ người ký", "", required=True)
    head_title: str = setting(
        "Chức vụ thủ trưởng",
        "",
        note="Bắt buộc khi ký KT./TM./Q./TL./TUQ.; với TM. ghi tên tập thể (Ủy ban nhân dân, Hội đồng trường)",
    )
    signer_name: str = setting("Người ký", "")
    funding: str = setting("Kinh phí", "")
    report_email: str = setting(
        "Email nhận báo cáo", "", note="Gửi thư đến đây (toolkit send); nhiều địa chỉ cách nhau bằng ;", email=True
    )
    preset: str = setting(
        "Mẫu đợt", "", note="Mẫu đợt đã dùng để tạo sổ (toolkit campaigns liệt kê); để trống = tự nhận"
    )
    level: str = setting("Cấp học", "", note="Mầm non, Tiểu học, THCS, THPT, Liên cấp…; để trống = theo tên đơn vị")
    unit_in_sentence: str = setting(
        "Tên đơn vị trong câu", "", note="Ví dụ: Trường Mầm non Hoa Sen; để trống = tự viết"
    )
    female_ratio: bool | None = setting(
        "Tỷ lệ nữ", None, note="Có/Không: cột tỷ lệ nữ trong bảng người tham gia"
    )  # None: as the campaign preset says
    cc_email: str = setting("Email CC", "", note="Địa chỉ nhận bản sao khi gửi thư (có thể để trống)", email=True)
    unit_email: str = setting(
        "Email đơn vị", "", note="Địa chỉ thư của nhà trường: người gửi và chữ ký thư", email=True
    )
    unit_phone: str = setting("Điện thoại đơn vị", "", note="In ở cuối thư gửi báo cáo")
    signed_plan: str = setting(
        "Bản đã ký (Kế hoạch)",
        "",
        note="Tệp PDF bản đã ký, đóng dấu (đường dẫn, tính từ thư mục của sổ): gửi kèm thay bản PDF chưa ký",
    )  # the scanned, signed PDF of each document, when the school has one
    signed_report: str = setting(
        "Bản đã ký (Báo cáo)",
        "",
        note="Tệp PDF bản đã ký, đóng dấu (đường dẫn, tính từ thư mục của sổ): gửi kèm thay bản PDF chưa ký",
    )


SETTING_KEYS: tuple[Setting, ...] = tuple(
    Setting(
        f.metadata["label"],
        f.name,
        f.metadata["kind"],
        f.metadata["required"],
        f.metadata["note"],
        f.metadata["aliases"],
        f.metadata["lines"],
        f.metadata["email"],
        f.metadata["symbol"],
    )
    for f in fields(Settings)
)


def setting_label(key: str) -> str:
    """The ``Mục`` label of a settings key, as the layout declares it."""
    return next(s.label for s in SETTING_KEYS if s.key == key)


def setting_symbol(key: str) -> str:
    """The symbol a document's number setting is printed with (``KH`` for ``Số kế hoạch``)."""
    return next(s.symbol for s in SETTING_KEYS if s.key == key)


# The office's own ``Thông tin`` in a roll-up list: the keys it uses, and which of them it must fill.
_ROLLUP_KEYS = {
    "parent_body": False,  # a People's Committee heads its documents with its own name only
    "unit": True,
    "unit_abbr": True,
    "place": True,
    "campaign": True,
    "year": True,
    "start": False,
    "end": False,
    "report_number": False,
    "report_date": False,
    "report_to": True,
    "report_to_person": False,
    "authority": False,
    "signer_title": True,
    "head_title": False,
    "signer_name": False,
    "report_email": False,
    "preset": False,
    "female_ratio": False,  # the participants table's Tỷ lệ nữ (%), as the campaign's schools' reports have it
}
ROLLUP_SETTING_KEYS: tuple[Setting, ...] = tuple(
    replace(s, required=_ROLLUP_KEYS[s.key]) for s in SETTING_KEYS if s.key in _ROLLUP_KEYS
)


def find_setting(label: str, keys: tuple[Setting, ...] = SETTING_KEYS) -> Setting | None:
    """Return the settings key of ``keys`` a ``Mục`` label names (forgiving match), or None."""
    key = fold(label)
    return next((s for s in keys if fold(s.label) == key or key in map(fold, s.aliases)), None)

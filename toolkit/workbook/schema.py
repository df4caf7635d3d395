"""The workbook's public layout: tabs, columns, settings keys, dropdowns and fixed lists (``docs/workbook.md``).

Everything that names a tab, a header or a key lives here, so the reader, the validator, the template
builder and the Google sheet set-up can never disagree about the layout. What changes from one campaign
to another (groups, figures, wording) is data: ``campaigns`` and ``wording``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.strenum import StrEnum
from ..core.text import fold
from .wording import levels


class Kind(StrEnum):
    """How a column's values parse."""

    TEXT = "text"
    DATE = "date"
    COUNT = "count"
    MONEY = "money"
    LIST = "list"
    INTEGER = "integer"


TEXT, DATE, COUNT, MONEY, LIST, INTEGER = Kind


@dataclass(frozen=True)
class Column:
    """One column of a tab: its header as printed, the model field it fills and how its values parse."""

    header: str
    key: str
    kind: str = TEXT
    required: bool = False
    width: int = 18
    note: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tab:
    """One tab of the workbook and its columns (header row is row 1, data from row 2)."""

    name: str
    columns: tuple[Column, ...] = ()
    required: bool = False
    is_input: bool = True

    def column(self, key: str) -> Column:
        """Return the column filling model field ``key``."""
        return next(c for c in self.columns if c.key == key)

    def match(self, header: str) -> Column | None:
        """Return the column a header names (forgiving match), or None."""
        key = fold(header)
        for col in self.columns:
            if key == fold(col.header) or key in {fold(a) for a in col.aliases}:
                return col
        return None


# Who takes part, by column key prefix; the learners' and parents' headers follow the school level.
PEOPLE = ("staff", "students", "parents")
SEXES = (("male", "nam"), ("female", "nữ"))


def participant_header(group: str, sex: str, learners: str = "Học sinh", parents: str = "Phụ huynh") -> str:
    """The header of a participant column: ``CB-GV-NV nam``, ``Học sinh nữ``, ``Trẻ nam`` …"""
    label = {"staff": "CB-GV-NV", "students": learners, "parents": parents}[group]
    return f"{label} {dict(SEXES)[sex]}"


PARTICIPANTS = tuple((f"{group}_{sex}", participant_header(group, sex)) for group in PEOPLE for sex, _ in SEXES)


def _participant_aliases(key: str) -> tuple[str, ...]:
    group, sex = key.split("_")
    names = {participant_header(group, sex, lv.learners_label, lv.parents_label) for lv in levels()}
    return tuple(sorted(names - {participant_header(group, sex)}))


SETTINGS = Tab(
    "Thông tin",
    (
        Column("Mục", "key", required=True, width=28, note="Tên mục; không sửa cột này."),
        Column("Giá trị", "value", required=True, width=90, note="Giá trị của mục; ngày viết dd/mm/yyyy."),
    ),
    required=True,
)

CITATIONS = Tab(
    "Căn cứ",
    (
        Column("Loại văn bản", "kind", required=True, width=14, note="Kế hoạch, Công văn, Quyết định, Hướng dẫn…"),
        Column(
            "Số hiệu",
            "number",
            required=True,
            width=22,
            note="Ví dụ: 1364/KH-VSTBPN. Luật được dẫn theo tên và ngày: có thể để trống.",
        ),
        Column("Ngày ban hành", "issued", DATE, required=True, width=14, note="dd/mm/yyyy"),
        Column(
            "Cơ quan ban hành",
            "issuer",
            required=True,
            width=34,
            note="Ví dụ: Ủy ban nhân dân tỉnh Đồng Nai. Luật: có thể để trống.",
        ),
        Column("Trích yếu", "summary", width=60, note='Nội dung "về việc …" (không cần gõ "về việc").'),
        Column(
            "Dùng cho",
            "uses",
            width=26,
            note="Kế hoạch, Báo cáo, Cả hai (để trống = Cả hai), Bộ nhận diện, Đề cương báo cáo; "
            "nhiều giá trị cách nhau bằng dấu phẩy.",
        ),
        Column(
            "Cách dẫn",
            "verb",
            width=14,
            note="Căn cứ hoặc Thực hiện; để trống = theo loại văn bản (Luật, Nghị định, Thông tư, Quyết định: "
            "Căn cứ; Kế hoạch, Công văn, Chỉ thị, Hướng dẫn: Thực hiện).",
        ),
    ),
)

CONTENT = Tab(
    "Nội dung",
    (
        Column("Phần", "part", LIST, required=True, width=24, note="Phần của văn bản mà đoạn này thuộc về."),
        Column(
            "Nội dung",
            "text",
            required=True,
            width=100,
            note='Mỗi dòng là một đoạn văn. Bắt đầu bằng "- " để thành gạch đầu dòng.',
        ),
    ),
)

MESSAGES_TAB = Tab(
    "Thông điệp",
    (
        Column("STT", "stt", INTEGER, width=6),
        Column("Thông điệp", "text", required=True, width=90),
    ),
)

ACTIVITIES = Tab(
    "Hoạt động",
    (
        Column("STT", "stt", INTEGER, width=6, note="Để trống sẽ tự đánh số."),
        Column("Tên hoạt động", "name", required=True, width=46, aliases=("Hoạt động", "Tên")),
        Column("Nhóm hoạt động", "group", LIST, required=True, width=30, aliases=("Nhóm",)),
        Column("Hình thức", "form", LIST, width=18),
        Column("Bắt đầu", "start", DATE, required=True, width=12, aliases=("Ngày bắt đầu", "Từ ngày")),
        Column("Kết thúc", "end", DATE, width=12, aliases=("Ngày kết thúc", "Đến ngày")),
        Column("Đối tượng", "audience", width=22),
        Column("Phụ trách", "lead", required=True, width=22),
        Column("Phối hợp", "partners", width=22),
        Column("Trạng thái", "status", LIST, required=True, width=16),
        *(Column(header, key, COUNT, width=10, aliases=_participant_aliases(key)) for key, header in PARTICIPANTS),
        Column("Băng rôn, khẩu hiệu", "banners", COUNT, width=10, aliases=("Băng rôn",)),
        Column("Tin bài", "news", COUNT, width=9),
        Column("Kinh phí (đồng)", "money", MONEY, width=14, aliases=("Kinh phí",)),
        Column("Minh chứng", "evidence", width=34),
        Column("Ghi chú", "note", width=24),
    ),
    required=True,
)

FIGURES = Tab(
    "Số liệu khác",
    (
        Column("Chỉ tiêu", "name", required=True, width=50),
        Column("Số lượng", "value", COUNT, width=12, note="Số nguyên ≥ 0; để trống = 0."),
        Column("Ghi chú", "note", width=40),
    ),
)

LISTS = Tab(
    "Danh mục",
    (
        Column("Nhóm hoạt động", "group", width=42),
        Column(
            "Không cần số người",
            "no_participants",
            width=14,
            note='Ghi "x" cạnh nhóm có hoạt động không đếm người tham gia (băng rôn, tin bài, sản phẩm).',
        ),
        Column("Hình thức", "form", width=22),
        Column("Trạng thái", "status", width=18),
        Column("Phần (Nội dung)", "part", width=26, note="Cố định: các phần của văn bản (không sửa)."),
        Column("Dùng cho (Căn cứ)", "uses", width=22, note="Cố định: cách dùng một căn cứ (không sửa)."),
    ),
)

GUIDE = Tab("Hướng dẫn", (Column("Hướng dẫn", "text", width=120),), is_input=False)
CHECK = Tab(
    "Kiểm tra",
    (
        Column("Thời điểm", "time", width=18),
        Column("Mức", "severity", width=10),
        Column("Ô", "cell", width=20),
        Column("Nội dung", "message", width=100),
    ),
    is_input=False,
)

WORDING = Tab(
    "Câu chữ",
    (
        Column("Mã", "key", required=True, width=22, note="Mã của câu; không sửa cột này."),
        Column("Dùng ở", "label", width=48, note="Câu này nằm ở đâu trong văn bản (chỉ để đọc)."),
        Column(
            "Câu chữ",
            "text",
            width=100,
            note="Câu chữ in ra văn bản; để trống = câu mặc định. {dot}: tên đợt và năm; {don_vi}: tên đơn vị; "
            "{hoc_sinh}, {cha_me}: người học và cha mẹ theo cấp học.",
        ),
    ),
)

# The order of tabs in a new workbook.
TABS: tuple[Tab, ...] = (GUIDE, SETTINGS, CITATIONS, CONTENT, MESSAGES_TAB, ACTIVITIES, FIGURES, LISTS, CHECK, WORDING)

# The receiving office's roll-up list: one row per school it collects reports from.
UNITS = Tab(
    "Đơn vị",
    (
        Column("STT", "stt", INTEGER, width=6),
        Column("Tên đơn vị", "name", required=True, width=40, aliases=("Đơn vị", "Tên trường", "Trường")),
        Column("Viết tắt", "abbr", width=12),
        Column(
            "Nguồn",
            "source",
            width=60,
            aliases=("Đường dẫn", "Link", "Sổ theo dõi"),
            note="Đường dẫn Google Sheet của đơn vị, hoặc tệp .xlsx (tính từ thư mục của danh sách); "
            "để trống = chưa có.",
        ),
        Column("Email", "email", width=30, aliases=("Email đơn vị",)),
        Column("Nhóm", "group", width=18, aliases=("Cấp học", "Cụm"), note="Cấp học, cụm… (để sắp xếp, tùy chọn)"),
        Column("Ghi chú", "note", width=30),
    ),
    required=True,
)
ROLLUP_TABS: tuple[Tab, ...] = (GUIDE, SETTINGS, UNITS, CONTENT, CHECK, WORDING)


AUTHORITIES = ("KT.", "TM.", "Q.", "TL.", "TUQ.")

# Parts of the narrative (``Nội dung`` › ``Phần``) and the model key each one fills.
CONTENT_PARTS: tuple[tuple[str, str], ...] = (
    ("Mục đích, yêu cầu", "purpose"),
    ("Hoạt động chính", "main_activities"),
    ("Hình thức tuyên truyền", "outreach"),
    ("Tổ chức thực hiện", "organisation"),
    ("Công tác chỉ đạo", "direction"),
    ("Ưu điểm", "strengths"),
    ("Hạn chế", "weaknesses"),
    ("Nguyên nhân", "causes"),
    ("Đề xuất, kiến nghị", "proposals"),
)

CITATION_VERBS = ("Căn cứ", "Thực hiện")  # how a row of Căn cứ may be cited (Cách dẫn)
CITATION_USES: tuple[tuple[str, str], ...] = (
    ("Kế hoạch", "plan"),
    ("Báo cáo", "report"),
    ("Cả hai", "both"),
    ("Bộ nhận diện", "identity"),
    ("Đề cương báo cáo", "outline"),
)

DEFAULT_FORMS = ("Trực tiếp", "Trực tuyến", "Kết hợp")
DEFAULT_STATUSES = ("Kế hoạch", "Đang thực hiện", "Đã thực hiện", "Hủy")
STATUS_PLANNED, STATUS_IN_PROGRESS, STATUS_DONE, STATUS_CANCELLED = (fold(s) for s in DEFAULT_STATUSES)

# Dropdowns: (tab, column key, Danh mục column key it is fed from, rows of the list).
DROPDOWNS: tuple[tuple[Tab, str, str, int], ...] = (
    (ACTIVITIES, "group", "group", 200),
    (ACTIVITIES, "form", "form", 200),
    (ACTIVITIES, "status", "status", 200),
    (CONTENT, "part", "part", 20),
    (CITATIONS, "uses", "uses", 20),
)
DATA_ROWS = 500  # rows below each header that get dropdowns and formats
YES_WORDS = frozenset(fold(w) for w in ("x", "có", "co", "yes", "true", "1", "c"))
NO_WORDS = frozenset(fold(w) for w in ("không", "khong", "no", "false", "0", "k"))


def find_tab(name: str, tabs: tuple[Tab, ...] = TABS) -> Tab | None:
    """Return the tab of ``tabs`` (default: a school's workbook) a sheet name stands for (forgiving match)."""
    key = fold(name)
    return next((t for t in tabs if fold(t.name) == key), None)

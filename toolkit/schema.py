"""The workbook's public layout: tabs, columns, settings keys and default lists (``sheet.md``).

Everything that names a tab, a header or a key lives here, so the reader, the validator and the
template builder can never disagree about the layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import fold

TEXT, DATE, COUNT, MONEY, LIST, INTEGER = "text", "date", "count", "money", "list", "integer"


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


PARTICIPANTS = (
    ("staff_male", "CB-GV-NV nam"),
    ("staff_female", "CB-GV-NV nữ"),
    ("students_male", "Học sinh nam"),
    ("students_female", "Học sinh nữ"),
    ("parents_male", "Phụ huynh nam"),
    ("parents_female", "Phụ huynh nữ"),
)

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
        Column("Số hiệu", "number", required=True, width=22, note="Ví dụ: 1364/KH-VSTBPN"),
        Column("Ngày ban hành", "issued", DATE, required=True, width=14, note="dd/mm/yyyy"),
        Column("Cơ quan ban hành", "issuer", required=True, width=34, note="Ví dụ: Phòng Giáo dục và Đào tạo Thủ Thừa"),
        Column("Trích yếu", "summary", width=60, note="Nội dung \"về việc …\" (không cần gõ \"về việc\")."),
        Column(
            "Dùng cho",
            "uses",
            width=26,
            note="Kế hoạch, Báo cáo, Cả hai (để trống = Cả hai), Bộ nhận diện, Đề cương báo cáo; "
            "nhiều giá trị cách nhau bằng dấu phẩy.",
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
            note="Mỗi dòng là một đoạn văn. Bắt đầu bằng \"- \" để thành gạch đầu dòng.",
        ),
    ),
)

MESSAGES = Tab(
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
        *(Column(header, key, COUNT, width=10) for key, header in PARTICIPANTS),
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

TABS: tuple[Tab, ...] = (SETTINGS, CITATIONS, CONTENT, MESSAGES, ACTIVITIES, FIGURES, LISTS, GUIDE, CHECK)
INPUT_TABS: tuple[Tab, ...] = tuple(t for t in TABS if t.is_input)


@dataclass(frozen=True)
class Setting:
    """One key of the ``Thông tin`` tab."""

    label: str
    key: str
    kind: str = TEXT
    required: bool = False
    note: str = ""
    aliases: tuple[str, ...] = field(default=())


SETTING_KEYS: tuple[Setting, ...] = (
    Setting("Cơ quan chủ quản", "parent_body", required=True, note="Viết hoa, ví dụ PHÒNG GD&ĐT THỦ THỪA"),
    Setting("Đơn vị", "unit", required=True, note="Viết hoa, ví dụ TRƯỜNG TH BÌNH AN"),
    Setting("Viết tắt đơn vị", "unit_abbr", required=True, note="Chữ in hoa và số, ví dụ THBA"),
    Setting("Địa danh", "place", required=True, note="Ví dụ: Bình An"),
    Setting("Tên đợt", "campaign", required=True),
    Setting("Năm", "year", INTEGER, required=True),
    Setting("Chủ đề", "theme", required=True),
    Setting("Từ ngày", "start", DATE, required=True),
    Setting("Đến ngày", "end", DATE, required=True),
    Setting("Số kế hoạch", "plan_number", INTEGER, note="Để trống để điền tay"),
    Setting("Ngày kế hoạch", "plan_date", DATE),
    Setting("Số báo cáo", "report_number", INTEGER, note="Để trống để điền tay"),
    Setting("Ngày báo cáo", "report_date", DATE),
    Setting("Hạn nộp báo cáo", "report_deadline", DATE),
    Setting("Nơi nhận báo cáo", "report_to", required=True),
    Setting("Người nhận báo cáo", "report_to_person"),
    Setting("Thẩm quyền ký", "authority", note="KT., TM., Q., TL., TUQ. hoặc để trống"),
    Setting("Chức vụ người ký", "signer_title", required=True),
    Setting("Chức vụ thủ trưởng", "head_title", note="Bắt buộc khi ký KT./TM./Q./TL./TUQ."),
    Setting("Người ký", "signer_name"),
    Setting("Kinh phí", "funding"),
    Setting("Email nhận báo cáo", "report_email"),
)

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

CITATION_USES: tuple[tuple[str, str], ...] = (
    ("Kế hoạch", "plan"),
    ("Báo cáo", "report"),
    ("Cả hai", "both"),
    ("Bộ nhận diện", "identity"),
    ("Đề cương báo cáo", "outline"),
)

DEFAULT_GROUPS = (
    "Phát động",
    "Tuyên truyền trực tiếp, nói chuyện chuyên đề",
    "Tọa đàm, diễn đàn",
    "Treo băng rôn, khẩu hiệu",
    "Tin bài, mạng xã hội",
    "Phát hành sản phẩm truyền thông",
    "Kiểm tra, giám sát",
    "Hỗ trợ, tư vấn",
    "Lồng ghép vào hoạt động giáo dục",
    "Khác",
)
DEFAULT_FORMS = ("Trực tiếp", "Trực tuyến", "Kết hợp")
DEFAULT_STATUSES = ("Kế hoạch", "Đang thực hiện", "Đã thực hiện", "Hủy")
STATUS_PLANNED, STATUS_DONE, STATUS_CANCELLED = fold("Kế hoạch"), fold("Đã thực hiện"), fold("Hủy")
# Groups whose activities reach people through banners or posts, so zero participants is normal.
NO_AUDIENCE_GROUPS = frozenset(fold(g) for g in ("Treo băng rôn, khẩu hiệu", "Tin bài, mạng xã hội"))

DEFAULT_FIGURES = (
    "Số vụ bạo lực, xâm hại phát hiện",
    "Số vụ đã xử lý, can thiệp",
    "Số lượt kiểm tra",
    "Số vi phạm bị xử lý",
    "Số lượt phụ nữ, trẻ em được hỗ trợ, tư vấn",
)


def find_tab(name: str) -> Tab | None:
    """Return the tab a sheet name stands for (forgiving match), or None."""
    key = fold(name)
    return next((t for t in TABS if fold(t.name) == key), None)


def find_setting(label: str) -> Setting | None:
    """Return the settings key a ``Mục`` label names (forgiving match), or None."""
    key = fold(label)
    return next((s for s in SETTING_KEYS if fold(s.label) == key or key in map(fold, s.aliases)), None)

"""Workbooks of other schools, campaigns and years, built through the public layout like a clerk would:
``toolkit init --campaign``, then cells found by tab, header and setting names (never by position).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from toolkit.cli import cli
from toolkit.core.config import Options
from toolkit.core.text import fold
from toolkit.pipeline import sync_and_report
from toolkit.workbook.schema import ACTIVITIES, LISTS, SETTINGS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
D = dt.date


def init(path: Path, *args: str) -> Path:
    """``toolkit init PATH ARGS…`` through the command line, as a clerk would."""
    result = CliRunner().invoke(cli, ["init", str(path), *args])
    assert result.exit_code == 0, result.output
    return path


def _columns(ws: Any) -> dict[str, int]:
    return {fold(str(c.value)): c.column for c in ws[1] if c.value}


def set_settings(book: Any, values: Mapping[str, object]) -> None:
    """Write ``Thông tin`` values next to their labels."""
    ws = book[SETTINGS.name]
    rows = {fold(str(ws.cell(row=r, column=1).value or "")): r for r in range(2, ws.max_row + 1)}
    for label, value in values.items():
        ws.cell(row=rows[fold(label)], column=2).value = value  # None empties the cell


def replace_rows(book: Any, tab: str, rows: list[dict[str, object]]) -> None:
    """Replace a tab's data rows by rows given by header name."""
    ws = book[tab]
    ws.delete_rows(2, ws.max_row)
    columns = _columns(ws)
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(row=r, column=columns[fold(header)], value=value)


def documents(source: Path, out: Path, today: D) -> tuple[Any, Path, Path]:
    report = sync_and_report(str(source), Options(output=out, today=today))
    assert report.valid, report.problems
    plan, result = (Path(p) for p in report.outputs)
    return report, plan, result


def all_text(path: Path) -> str:
    """Every piece of text in every part of a .docx: body, headers, footers, core properties."""
    with zipfile.ZipFile(path) as package:
        parts = [package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml")]
    text = " ".join(re.sub(r"<[^>]+>", " ", part) for part in parts)
    return " ".join(text.split())


def paragraphs(path: Path) -> list[str]:
    document = Document(str(path))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.element.body.iter(f"{W}p")]


def unit_lines(path: Path) -> list[str]:
    """The lines of the unit's name in the top block (line breaks inside the paragraph split it)."""
    cell = Document(str(path)).tables[0].rows[0].cells[0]
    paragraph = cell.paragraphs[1]._p
    text = "".join("\n" if el.tag == f"{W}br" else el.text or "" for el in paragraph.iter(f"{W}t", f"{W}br"))
    return text.split("\n")


CASE_A_SETTINGS = {
    "Cơ quan chủ quản": "UBND PHƯỜNG TÂN HƯNG",
    "Đơn vị": "TRƯỜNG THCS NGUYỄN TRÃI",
    "Viết tắt đơn vị": "THCSNT",
    "Địa danh": "Tân Hưng",
    "Chủ đề": "Bình đẳng giới và an toàn cho phụ nữ và trẻ em gái trong kỷ nguyên số",
    "Số kế hoạch": 31,
    "Ngày kế hoạch": D(2025, 11, 5),
    "Số báo cáo": 48,
    "Ngày báo cáo": D(2025, 12, 10),
    "Hạn nộp báo cáo": D(2025, 12, 12),
    "Nơi nhận báo cáo": "Ủy ban nhân dân phường Tân Hưng\nSở Giáo dục và Đào tạo Thành phố Hồ Chí Minh",
    "Người nhận báo cáo": "Đ/c Hòa - Văn phòng",
    "Thẩm quyền ký": "KT.",
    "Chức vụ người ký": "PHÓ HIỆU TRƯỞNG",
    "Chức vụ thủ trưởng": "HIỆU TRƯỞNG",
    "Người ký": "Ngô Minh Khoa",
    "Email nhận báo cáo": "vanhoa.tanhung@example.gov.vn",
}
CASE_A_ACTIVITIES = [
    {
        "Tên hoạt động": "Phát động Tháng hành động dưới cờ",
        "Nhóm hoạt động": "Phát động",
        "Bắt đầu": D(2025, 11, 17),
        "Phụ trách": "Tổng phụ trách Đội",
        "Trạng thái": "Đã thực hiện",
        "CB-GV-NV nam": 20,
        "CB-GV-NV nữ": 45,
        "Học sinh nam": 610,
        "Học sinh nữ": 640,
        "Minh chứng": "Ảnh buổi lễ",
    },
    {
        "Tên hoạt động": "Chuyên đề an toàn cho nữ sinh trên không gian mạng",
        "Nhóm hoạt động": "Tuyên truyền trực tiếp, nói chuyện chuyên đề",
        "Bắt đầu": D(2025, 11, 24),
        "Phụ trách": "Phó Hiệu trưởng",
        "Phối hợp": "Công an phường Tân Hưng",
        "Trạng thái": "Đã thực hiện",
        "Học sinh nữ": 320,
        "Kinh phí (đồng)": 1_000_000,
        "Minh chứng": "Danh sách tham dự",
    },
    {
        "Tên hoạt động": "Đăng tin bài trên trang của trường",
        "Nhóm hoạt động": "Tin bài, mạng xã hội",
        "Bắt đầu": D(2025, 11, 25),
        "Phụ trách": "Thư ký hội đồng",
        "Trạng thái": "Đã thực hiện",
        "Tin bài": 2,
        "Minh chứng": "https://thcsnguyentrai.example.edu.vn/tin-tuc",
    },
]
CASE_A_CONTENT = [
    {"Phần": "Mục đích, yêu cầu", "Nội dung": "Nâng cao nhận thức về bình đẳng giới trong kỷ nguyên số."},
    {"Phần": "Tổ chức thực hiện", "Nội dung": "Báo cáo kết quả trước ngày 12/12/2025."},
    {"Phần": "Công tác chỉ đạo", "Nội dung": "Nhà trường triển khai kế hoạch trong cuộc họp hội đồng."},
]


CASE_A_DAY, CASE_B_DAY = D(2025, 12, 10), D(2026, 10, 6)


def build_case_a(path: Path) -> Path:
    """Case A's workbook: ``init --campaign`` (by the campaign's name) for 2025, then filled in."""
    init(path, "--campaign", "Tháng hành động vì bình đẳng giới", "--year", "2025")
    book = load_workbook(path)
    set_settings(book, CASE_A_SETTINGS)
    replace_rows(book, ACTIVITIES.name, CASE_A_ACTIVITIES)
    replace_rows(book, "Nội dung", CASE_A_CONTENT)
    replace_rows(
        book,
        "Số liệu khác",
        [
            {"Chỉ tiêu": "Số vụ bạo lực, xâm hại phát hiện", "Số lượng": 0},
            {"Chỉ tiêu": "Số lượt kiểm tra", "Số lượng": 2},
        ],
    )
    book.save(path)
    return path


CASE_B_GROUPS = [
    ("Khai mạc", None),
    ("Bé vui đọc sách", None),
    ("Cha mẹ cùng học", None),
    ("Tuyên truyền, trang trí", "x"),
]
CASE_B_ACTIVITIES = [
    {
        "Tên hoạt động": "Khai mạc Tuần lễ cho bé",
        "Nhóm hoạt động": "Khai mạc",
        "Bắt đầu": D(2026, 10, 1),
        "Phụ trách": "Hiệu trưởng",
        "Trạng thái": "Đã thực hiện",
        "CB-GV-NV nữ": 24,
        "Trẻ nam": 130,
        "Trẻ nữ": 128,
        "Minh chứng": "Ảnh khai mạc",
    },
    {
        "Tên hoạt động": "Trang trí góc học tập suốt đời",
        "Nhóm hoạt động": "Tuyên truyền, trang trí",
        "Bắt đầu": D(2026, 10, 1),
        "Phụ trách": "Giáo viên các lớp",
        "Trạng thái": "Đã thực hiện",
        "Minh chứng": "Ảnh góc trang trí",
    },
    {
        "Tên hoạt động": "Cha mẹ đọc truyện cho bé",
        "Nhóm hoạt động": "Cha mẹ cùng học",
        "Bắt đầu": D(2026, 10, 3),
        "Phụ trách": "Phó Hiệu trưởng",
        "Trạng thái": "Đã thực hiện",
        "Trẻ nam": 40,
        "Trẻ nữ": 38,
        "Cha mẹ trẻ nam": 12,
        "Cha mẹ trẻ nữ": 55,
        "Minh chứng": "Danh sách",
    },
    {
        "Tên hoạt động": "Bé vui đọc sách cùng cô",
        "Nhóm hoạt động": "Bé vui đọc sách",
        "Bắt đầu": D(2026, 10, 2),
        "Kết thúc": D(2026, 10, 7),
        "Phụ trách": "Giáo viên các lớp",
        "Trạng thái": "Đang thực hiện",
    },
]


def build_case_b(path: Path) -> Path:
    """Case B's workbook: a kindergarten's 2026 learning week with the school's own activity groups."""
    init(path, "--campaign", "hoc-tap-suot-doi", "--year", "2026", "--level", "Mầm non")
    book = load_workbook(path)
    set_settings(
        book,
        {
            "Cơ quan chủ quản": "UBND XÃ SƠN TRÀ",
            "Đơn vị": "TRƯỜNG MẦM NON HOA SEN",
            "Viết tắt đơn vị": "MNHS",
            "Địa danh": "Sơn Trà",
            "Số kế hoạch": 9,
            "Ngày kế hoạch": D(2026, 9, 25),
            "Số báo cáo": 15,
            "Ngày báo cáo": D(2026, 10, 6),
            "Nơi nhận báo cáo": "Ủy ban nhân dân xã Sơn Trà",
            "Chức vụ người ký": "HIỆU TRƯỞNG",
            "Người ký": "Phan Thị Hồng",
        },
    )
    replace_rows(
        book,
        LISTS.name,
        [
            {"Nhóm hoạt động": g, "Không cần số người": flag, "Hình thức": f, "Trạng thái": s}
            for (g, flag), f, s in zip(
                CASE_B_GROUPS,
                ["Trực tiếp", "Trực tuyến", "", ""],
                ["Kế hoạch", "Đang thực hiện", "Đã thực hiện", "Hủy"],
                strict=True,
            )
        ],
    )
    replace_rows(book, ACTIVITIES.name, CASE_B_ACTIVITIES)
    replace_rows(
        book,
        "Nội dung",
        [
            {"Phần": "Mục đích, yêu cầu", "Nội dung": "Hình thành cho trẻ thói quen yêu sách từ nhỏ."},
            {"Phần": "Tổ chức thực hiện", "Nội dung": "Giáo viên các nhóm, lớp thực hiện theo kế hoạch."},
        ],
    )
    replace_rows(
        book,
        "Số liệu khác",
        [
            {"Chỉ tiêu": "Số đầu sách, tài liệu được bổ sung", "Số lượng": 60},
            {"Chỉ tiêu": "Số lượt mượn sách, tài liệu", "Số lượng": 0},
        ],
    )
    book.save(path)
    return path


# Case C: an upper-secondary school under a provincial Department, on a campaign with no preset (food safety,
# 2026), citing laws, decrees and a superior's plan; narrative typed as dash items; figures at zero with a note.
CASE_C_DAY = D(2026, 5, 18)
CASE_C_SETTINGS = {
    "Cơ quan chủ quản": "SỞ GD&ĐT TỈNH QUẢNG NAM",
    "Đơn vị": "TRƯỜNG THPT LÊ QUÝ ĐÔN",
    "Viết tắt đơn vị": "THPTLQĐ",
    "Địa danh": "Tam Kỳ",
    "Tên đợt": "Tháng hành động vì an toàn thực phẩm",
    "Năm": 2026,
    "Từ ngày": D(2026, 4, 15),
    "Đến ngày": D(2026, 5, 15),
    "Số kế hoạch": 30,
    "Ngày kế hoạch": D(2026, 4, 10),
    "Số báo cáo": 96,
    "Ngày báo cáo": CASE_C_DAY,
    "Hạn nộp báo cáo": D(2026, 5, 20),
    "Nơi nhận báo cáo": "Sở Giáo dục và Đào tạo tỉnh Quảng Nam",
    "Chức vụ người ký": "HIỆU TRƯỞNG",
    "Người ký": "Trần Văn Minh",
    "Email nhận báo cáo": "vanphong@quangnam.example.gov.vn",
    "Email đơn vị": "thptlequydon@example.edu.vn",
}
CASE_C_CITATIONS = [
    {
        "Loại văn bản": "Kế hoạch",
        "Số hiệu": "512/KH-SGDĐT",
        "Ngày ban hành": D(2026, 4, 2),
        "Cơ quan ban hành": "Sở Giáo dục và Đào tạo tỉnh Quảng Nam",
        "Trích yếu": "triển khai Tháng hành động vì an toàn thực phẩm năm 2026",
    },
    {
        "Loại văn bản": "Luật",
        "Số hiệu": "55/2010/QH12",
        "Ngày ban hành": D(2010, 6, 17),
        "Cơ quan ban hành": "Quốc hội",
        "Trích yếu": "An toàn thực phẩm",
    },
    {
        "Loại văn bản": "Nghị định",
        "Số hiệu": "15/2018/NĐ-CP",
        "Ngày ban hành": D(2018, 2, 2),
        "Cơ quan ban hành": "Chính phủ",
        "Trích yếu": "quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm",
    },
    {
        "Loại văn bản": "Công văn",
        "Số hiệu": "88/UBND-VX",
        "Ngày ban hành": D(2026, 4, 3),
        "Cơ quan ban hành": "Ủy ban nhân dân tỉnh Quảng Nam",
        "Trích yếu": "tăng cường bảo đảm an toàn thực phẩm",
        "Cách dẫn": "Căn cứ",
    },
]
CASE_C_ACTIVITIES = [
    {
        "Tên hoạt động": "Tuyên truyền an toàn thực phẩm dưới cờ",
        "Nhóm hoạt động": "Tuyên truyền",
        "Bắt đầu": D(2026, 4, 20),
        "Phụ trách": "Đoàn trường",
        "Trạng thái": "Đã thực hiện",
        "CB-GV-NV nam": 30,
        "CB-GV-NV nữ": 52,
        "Học sinh nam": 610,
        "Học sinh nữ": 655,
        "Phụ huynh nam": 12,
        "Phụ huynh nữ": 20,
        "Kinh phí (đồng)": 2_500_000,
        "Minh chứng": "Ảnh",
    },
    {
        "Tên hoạt động": "Treo băng rôn tại cổng trường",
        "Nhóm hoạt động": "Treo băng rôn, khẩu hiệu",
        "Bắt đầu": D(2026, 4, 16),
        "Phụ trách": "Văn phòng",
        "Trạng thái": "Đã thực hiện",
        "Băng rôn, khẩu hiệu": 3,
        "Minh chứng": "Ảnh",
    },
]
CASE_C_CONTENT = [
    {"Phần": "Mục đích, yêu cầu", "Nội dung": "- Nâng cao nhận thức về an toàn thực phẩm;\n- Không để xảy ra ngộ độc."},
    {
        "Phần": "Hình thức tuyên truyền",
        "Nội dung": "- Tuyên truyền dưới cờ, qua loa phát thanh;\n- Đăng tin trên trang thông tin của trường.",
    },
    {"Phần": "Tổ chức thực hiện", "Nội dung": "Đoàn trường chủ trì, phối hợp với giáo viên chủ nhiệm."},
    {"Phần": "Công tác chỉ đạo", "Nội dung": "- Họp hội đồng triển khai kế hoạch;\n- Phân công nhiệm vụ."},
    {"Phần": "Ưu điểm", "Nội dung": "- Học sinh tham gia đông đủ."},
]
CASE_C_FIGURES = [
    {"Chỉ tiêu": "Số vụ ngộ độc thực phẩm", "Số lượng": 0, "Ghi chú": "Không xảy ra ngộ độc thực phẩm"},
    {"Chỉ tiêu": "Giá trị hỗ trợ bếp ăn (đồng)", "Số lượng": 17_500_000},
]


def build_case_c(path: Path) -> Path:
    """Case C's workbook: ``init`` with no preset for 2026, then filled in as a clerk would."""
    init(path, "--year", "2026", "--level", "THPT")
    book = load_workbook(path)
    set_settings(book, CASE_C_SETTINGS)
    replace_rows(book, "Căn cứ", CASE_C_CITATIONS)
    replace_rows(book, ACTIVITIES.name, CASE_C_ACTIVITIES)
    replace_rows(book, "Nội dung", CASE_C_CONTENT)
    replace_rows(book, "Số liệu khác", CASE_C_FIGURES)
    book.save(path)
    return path

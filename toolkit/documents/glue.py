"""The fixed words of Decree 30/2020/NĐ-CP's documents that join the campaign's own words, declared once.

A campaign's phrases are data (``toolkit/data/wording.json``, a preset's ``wording``, the workbook's
``Câu chữ`` tab) and may be changed by anyone. These are not: they are how an administrative document cites
itself, dates an activity, totals a table or heads a column, the same in every campaign and every school.
"""

from __future__ import annotations

AS_ABOVE = "Như trên"  # the first line of Nơi nhận when the document is sent to the offices named above it
TOTAL = "Tổng cộng"  # the total row of a table
ATTACHED = "(Kèm theo {document} số {number}{when} của {unit})"  # an appendix's caption
ON_DATE = " ngày {date}"  # ``when`` in ATTACHED, when the document is dated
FROM_TO = "Từ ngày {start} đến ngày {end}"  # an activity over several days
ON_DAY = "Ngày {day}"  # an activity of one day
TOOK_PART = "{who} tham gia"  # who took part in an activity

PLAN_TABLE = ("STT", "Hoạt động", "Thời gian", "Phụ trách", "Phối hợp")  # the plan's activities
APPENDIX_TABLE = ("STT", "Hoạt động", "Thời gian", "Nhóm", "Nam", "Nữ", "Kinh phí (đồng)", "Minh chứng")  # report's
SCHOOLS_TABLE = ("STT", "Đơn vị", "Nhóm", "Tình trạng", "Chi tiết", "Liên hệ")  # roll-up: schools not counted

"""Every type size of the documents, by name, in points (Decree 30/2020/NĐ-CP, Phụ lục I).

The writers read these at the moment they write, so changing one here changes it in both documents
(``tests/test_documents.py`` changes ``BODY`` and checks).
"""

from __future__ import annotations

BODY = 14  # body text, headings, items, list items, the title, Kính gửi, the place-date line, the signature
TOP = 13  # the parent body, the unit, the document number, the motto
NATIONAL = 12  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM, on one line
TABLE = 12  # data tables
APPENDIX_TABLE = 11  # the report's appendix, which has eight columns
# Sizes of data tables, each a paragraph style of the package: the two above, and two smaller ones a roll-up's
# per-school table may be fitted to.
CELL_SIZES = (TABLE, APPENDIX_TABLE, APPENDIX_TABLE - 1, APPENDIX_TABLE - 2)
CAPTION = 13  # "(Kèm theo Báo cáo số …)"
RECIPIENTS_HEAD = 12  # "Nơi nhận:"
RECIPIENTS = 11  # its items
PAGE_NUMBER = 13

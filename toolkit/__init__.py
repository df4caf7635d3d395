"""School campaign toolkit: one shared workbook in, the official Kế hoạch and Báo cáo out."""

__version__ = "0.1.0"

"""The receiving office's side: many schools' workbooks rolled up into one consolidated report.

The pipeline shows in the modules: ``listing`` reads the office's list (its ``Thông tin`` and one
``Đơn vị`` row per school), ``gather`` reads and checks every school's workbook under the Google quota
and classifies it, ``figures`` sums what the counted schools report, ``document`` writes the Báo cáo
tổng hợp, ``table`` the per-school working copy (.xlsx), and ``run`` ties them together for the CLI.
``example`` lays out a new list (``toolkit init --rollup``) and its example schools.
"""

"""Every validation rule of docs/workbook.md, triggered at a known cell of the example workbook, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import tuples
from toolkit.sources.xlsx import read_xlsx
from toolkit.workbook.problems import RULES
from toolkit.workbook.validate import validate

A, T, N, C, W, L = "Hoạt động", "Thông tin", "Nội dung", "Căn cứ", "Câu chữ", "Danh mục"
D = dt.date


def test_example_is_clean(check) -> None:
    report = check()
    assert report.problems == []
    assert report.valid


CASES = [
    # (edits, expected problems as (code, tab, cell))
    ({(A, "V1"): "Tên hoạt động"}, [("duplicate-column", A, "V1")]),
    ({(A, "V1"): "Cột riêng của trường"}, [("unknown-column", A, "V1")]),
    ({(A, "H1"): None}, [("missing-column", A, None)]),
    ({(T, "B3"): None}, [("missing-setting", T, "B3")]),
    ({(T, "B16"): None}, [("missing-setting", T, "B16")]),  # Nơi nhận báo cáo: the report's Kính gửi
    ({(T, "B16"): " ;\n"}, [("missing-setting", T, "B16")]),
    ({(T, "A3"): None, (T, "B3"): None}, [("missing-setting", T, None)]),
    ({(T, "B4"): "thba-1"}, [("bad-setting", T, "B4")]),
    ({(T, "B11"): "45/KH-THBA", (T, "B13"): " 25 / BC-THBA"}, []),  # typed as printed: the numbers 45 and 25
    ({(T, "B11"): "45/KH-MNHS"}, [("bad-setting", T, "B11")]),  # another school's symbol
    ({(T, "B13"): "25/KH-THBA"}, [("bad-setting", T, "B13")]),  # a report numbered as a plan
    ({(T, "B7"): "hai nghìn"}, [("bad-setting", T, "B7")]),
    ({(T, "B18"): "KT."}, [("missing-setting", T, "B20")]),
    ({(T, "B18"): "Thay mặt"}, [("bad-setting", T, "B18")]),
    ({(T, "B18"): "TM.", (T, "B20"): "Hiệu trưởng"}, [("tm-person-title", T, "B20")]),
    ({(T, "B18"): "tm", (T, "B20"): "PHÓ CHỦ TỊCH"}, [("tm-person-title", T, "B20")]),
    ({(T, "B18"): "TM.", (T, "B20"): "Hội đồng trường", (T, "B19"): "Chủ tịch"}, []),
    ({(A, "H2"): None}, [("required-value", A, "H2")]),
    ({(A, "E7"): "31/11/2023"}, [("bad-date", A, "E7")]),
    ({(T, "B12"): "30/02/2023"}, [("bad-date", T, "B12")]),
    ({(A, "F2"): D(2023, 11, 10)}, [("date-order", A, "F2")]),
    ({(T, "B10"): D(2023, 11, 1)}, [("date-order", T, "B10")]),
    ({(A, "E21"): D(2024, 1, 10)}, [("outside-campaign", A, "E21")]),
    ({(T, "B15"): "05/11/2021"}, [("stale-year", T, "B15")]),
    ({(C, "C2"): D(2025, 11, 7)}, [("stale-year", C, "C2"), ("citation-after-document", C, "C2")]),
    ({(C, "C2"): D(2023, 11, 20)}, [("citation-after-document", C, "C2")]),  # after the plan of 09/11/2023
    ({(C, "C2"): D(2023, 12, 1), (C, "F2"): "Báo cáo"}, []),  # cited by the report of 08/12/2023 only
    ({(C, "C3"): D(2023, 12, 1)}, [("citation-after-document", C, "C3")]),  # the plan's identity kit
    (
        {(N, "B14"): "Thực hiện Kế hoạch số 30/KH-PGD ngày 10/04/2022 và hoàn thành trước ngày 30/04/2022."},
        [("stale-year", N, "B14")],  # only the citation's own date is exempt, not the deadline after it
    ),
    ({(T, "B16"): "UBND xã Đại Lộc\nỦy ban nhân dân xã Đại Lộc"}, [("duplicate-recipient", T, "B16")]),
    ({(T, "B16"): "Phòng GD&ĐT Thủ Thừa\nPhòng Giáo dục và Đào tạo Thủ Thừa"}, [("duplicate-recipient", T, "B16")]),
    ({(T, "B16"): "Ủy ban nhân dân xã Đại Lộc\nỦy ban nhân dân xã Đại Lộc Đông"}, []),
    ({(T, "B16"): "Sở GD&ĐT Đồng Nai\nSở Giáo dục và Đào tạo tỉnh Đồng Nai"}, [("duplicate-recipient", T, "B16")]),
    ({(T, "B16"): "UBND xã Tân Phú\nỦy ban nhân dân xã Tân Phú, tỉnh Đồng Nai"}, [("duplicate-recipient", T, "B16")]),
    ({(T, "B16"): "Ủy ban nhân dân xã Tân Phú\nỦy ban nhân dân phường Tân Phú"}, []),  # two bodies
    ({(T, "B16"): "Sở GD&ĐT tỉnh Đồng Nai\nSở GD&ĐT tỉnh Quảng Nam"}, []),
    ({(T, "B25"): "Mầm non"}, [("level-unit-mismatch", T, "B25")]),  # TRƯỜNG TH BÌNH AN: its learners are pupils
    ({(T, "B25"): "THCS"}, [("level-unit-mismatch", T, "B25")]),
    ({(T, "B25"): "Tiểu học"}, []),
    ({(T, "B3"): "TRƯỜNG TH VÀ THCS BÌNH AN", (T, "B25"): "THCS"}, []),  # a combined school picks a level
    ({(T, "B3"): "TRƯỜNG TH VÀ THCS BÌNH AN", (T, "B25"): "Mầm non"}, [("level-unit-mismatch", T, "B25")]),
    ({(T, "B3"): "TRƯỜNG MẪU GIÁO HOA SEN", (T, "B25"): "Liên cấp"}, [("level-unit-mismatch", T, "B25")]),
    ({(T, "B3"): "ỦY BAN NHÂN DÂN XÃ BÌNH AN", (T, "B25"): "THCS"}, []),  # a name that shows no level
    ({(T, "B14"): D(2024, 12, 8)}, [("bad-report-date", T, "B14")]),  # no "done in the future" on every activity
    ({(T, "B14"): D(2023, 11, 12)}, [("bad-report-date", T, "B14")]),  # before the campaign starts
    ({(C, "C2"): D(2006, 11, 29)}, []),  # a citation may be of any earlier year: laws and programmes last
    ({(T, "B12"): D(2022, 11, 9)}, [("stale-year", T, "B12")]),  # one year old is stale too
    (  # early in the year is not stale, but the documents the plan cites are dated after it
        {(T, "B12"): D(2023, 1, 9)},
        [
            ("citation-after-document", C, "C2"),
            ("citation-after-document", C, "C3"),
            ("citation-after-document", C, "C4"),
        ],
    ),
    ({(N, "B14"): "Gửi báo cáo trước ngày 20/12/2022."}, [("stale-year", N, "B14")]),
    ({(N, "B14"): "Thực hiện Luật Bình đẳng giới ngày 29/11/2006 và Nghị định số 70/2008/NĐ-CP ngày 04/6/2008."}, []),
    ({(T, "B7"): 2024}, [("year-mismatch", T, "B7")]),
    ({(T, "B23"): "pgd@example.edu.vn, vp@example.gov.vn;\nso@example.gov.vn"}, []),  # , ; and lines separate
    ({(T, "B23"): "pgd@example,edu.vn"}, [("bad-email", T, "B23"), ("bad-email", T, "B23")]),  # split as sent
    ({(T, "B29"): "truong binh an"}, [("bad-email", T, "B29")]),
    ({(T, "B23"): "mailto:pgd@example.edu.vn"}, [("mailto-email", T, "B23")]),  # copied from a link
    ({(T, "B6"): "Tháng hành động vì bình đẳng giới năm 2022"}, [("campaign-name-year", T, "B6")]),
    ({(T, "B6"): "Tháng hành động vì bình đẳng giới NĂM  2023"}, []),  # its own year: written once, no warning
    ({(A, "J2"): "Đang thực hiện"}, [("in-progress", A, "J2")]),
    ({(A, "J2"): "Đang thực hiện", (A, "F2"): D(2023, 12, 12)}, []),
    (
        {(N, "B14"): "Báo cáo tổng kết gửi trước ngày 05/11/2021 về Phòng Giáo dục và Đào tạo."},
        [("stale-year", N, "B14")],
    ),
    ({(A, "K2"): "12,5"}, [("bad-count", A, "K2")]),
    ({(A, "L2"): -3}, [("bad-count", A, "L2")]),
    ({(A, "M4"): "mười"}, [("bad-count", A, "M4")]),
    ({(A, "S3"): "1.500.000 đô"}, [("bad-money", A, "S3")]),
    ({(A, "C7"): "Tọa đàm"}, [("not-in-list", A, "C7")]),
    ({(A, "J7"): "Xong"}, [("not-in-list", A, "J7")]),
    ({(N, "A2"): "Mục đích"}, [("not-in-list", N, "A2")]),
    ({(C, "F2"): "Kế hoạch, Tờ trình"}, [("not-in-list", C, "F2")]),
    (  # the same letter again, its number typed another way: cited once
        {(C, "A5"): "công văn", (C, "B5"): "Số 9874 / UBND-vhxh", (C, "C5"): D(2023, 10, 24), (C, "D5"): "UBND tỉnh"},
        [("duplicate-citation", C, "B5")],
    ),
    ({(A, "K2"): None, (A, "L2"): None}, [("done-without-participants", A, "K2")]),
    ({(A, "T2"): None}, [("done-without-evidence", A, "T2")]),
    ({(A, "J21"): "Đã thực hiện", (A, "K21"): 5, (A, "T21"): "Biên bản"}, [("done-in-future", A, "E21")]),
    ({(A, "J2"): "Kế hoạch"}, [("still-planned", A, "J2")]),
    ({(A, f"J{row}"): "Hủy" for row in range(2, 23)}, [("nothing-done", T, "B14")]),  # the report's day has come
    (
        {
            (A, "B23"): "Tham gia Lễ phát động Tháng hành động do địa phương tổ chức",
            (A, "C23"): "Phát động",
            (A, "E23"): D(2023, 11, 15),
            (A, "F23"): D(2023, 12, 15),
            (A, "H23"): "Phó Hiệu trưởng",
            (A, "J23"): "Đang thực hiện",
        },
        [("duplicate-activity", A, "B23")],
    ),
    ({(T, "B22"): "Từ nguồn kinh phí của đơn vị đơn vị và các nguồn khác."}, [("doubled-phrase", T, "B22")]),
    ({(T, "B22"): "Nhà nhà, người người tham gia."}, []),
    ({(N, "B13"): "Báo cáo theo Công văn số  Công văn số 9874/UBND-VHXH."}, [("doubled-phrase", N, "B13")]),
    ({(A, "G3"): "Toµn tr\xadêng"}, [("legacy-encoding", A, "G3")]),
    ({(A, "G3"): "Toàn_x0007_ trường"}, [("control-characters", A, "G3")]),
    ({(A, "U2"): "x" * 32_767}, [("cell-too-long", A, "U2")]),
    ({(T, "A28"): "Mục lạ", (T, "B28"): "x"}, [("unknown-setting", T, "A28")]),
    ({(T, "B24"): "tháng an toàn"}, [("bad-setting", T, "B24")]),
    ({(T, "B25"): "Đại học"}, [("bad-setting", T, "B25")]),
    ({(T, "B27"): "có lẽ"}, [("bad-setting", T, "B27")]),
    ({(L, "B2"): "có lẽ"}, [("bad-flag", L, "B2")]),
    ({(W, "A2"): "kh.tieu_dee"}, [("unknown-phrase", W, "A2")]),
    ({(W, "C2"): "Triển khai {ten_dot}"}, [("bad-placeholder", W, "C2")]),
    ({(W, "C2"): "Triển khai {dot} tại {don_vi}"}, []),
]


@pytest.mark.parametrize(
    ("edits", "expected"), CASES, ids=[f"{c[1][0][0] if c[1] else 'none'}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_fires_at_the_right_cell(check, edits, expected) -> None:
    assert tuples(check(edits)) == expected


def test_missing_tab(check) -> None:
    assert tuples(check(drop=("Hoạt động",))) == [("missing-tab", "Hoạt động", None)]


def test_duplicate_tab(check, workbook) -> None:
    from openpyxl import load_workbook

    path = workbook()
    book = load_workbook(path)
    book.copy_worksheet(book["Danh mục"]).title = "DANH MUC"
    book.save(path)
    from toolkit.sources.xlsx import read_xlsx

    report = validate(read_xlsx(path), today=dt.date(2023, 12, 8))[1]
    assert tuples(report) == [("duplicate-tab", "Danh mục", None)]


def test_every_rule_is_covered_by_a_case() -> None:
    # missing-tab and duplicate-tab have tests of their own; write-back-failed is tested against the Sheets emulator;
    # the roll-up list's own rules in tests/test_rollup.py
    covered = {code for _, expected in CASES for code, _, _ in expected} | {
        "missing-tab",
        "duplicate-tab",
        "write-back-failed",
        "no-schools",
        "bad-source",
        "duplicate-school",
        "duplicate-unit",  # tests/test_rollup_google.py
        "list-report-date",  # tests/test_rollup.py
    }
    assert covered == set(RULES)


def test_seed_slips_typed_in_get_warnings(check) -> None:
    report = check(
        {
            (N, "B14"): "Báo cáo kết quả thực hiện theo đề cương báo cáo kèm theo Công văn số  Công văn số "
            "9874/UBND-VHXH ngày 24/10/2023 của Ủy ban nhân dân tỉnh Long An.",
            (T, "B15"): "05/11/2021",
        }
    )
    assert report.valid
    assert sorted(tuples(report)) == [("doubled-phrase", N, "B14"), ("stale-year", T, "B15")]
    hygiene = next(p for p in report.problems if p.code == "doubled-phrase")
    assert hygiene.message() == 'Cụm từ "Công văn số" bị lặp hai lần liền nhau.'


def test_problem_carries_value_column_and_messages(check) -> None:
    problem = check({(A, "E7"): "31/11/2023"}).problems[0]
    assert problem.to_dict() == {
        "code": "bad-date",
        "severity": "error",
        "tab": "Hoạt động",
        "row": 7,
        "column": "Bắt đầu",
        "cell": "E7",
        "value": "31/11/2023",
        "message": '"31/11/2023" không phải ngày hợp lệ: tháng 11 chỉ có 30 ngày.',
    }
    assert problem.message("en") == '"31/11/2023" is not a valid date: month 11 has only 30 days.'


@pytest.mark.parametrize(
    ("typed", "vi", "en"),
    [
        ("31/04/2026", "tháng 4 chỉ có 30 ngày", "month 4 has only 30 days"),
        ("29/02/2025", "năm 2025 không nhuận nên tháng 2 chỉ có 28 ngày", "2025 is not a leap year, so February"),
        ("30/02/2028", "tháng 2 chỉ có 29 ngày", "month 2 has only 29 days"),
        ("12/13/2026", "không có tháng 13", "there is no month 13"),
        ("ngày mai", "viết dd/mm/yyyy", "write dd/mm/yyyy"),
    ],
)
def test_an_impossible_date_says_why(check, typed, vi, en) -> None:
    for cell in ((A, "E7"), (T, "B12")):  # an activity's date and a setting's
        problem = check({cell: typed}).problems[0]
        assert problem.code == "bad-date"
        assert vi in problem.message() and en in problem.message("en")


def test_a_wrong_report_date_judges_activities_against_a_sane_day(check) -> None:
    report = check({(T, "B14"): D(2024, 12, 8)})
    problem = report.problems[0]
    assert not report.valid and len(report.problems) == 1
    assert problem.message() == (
        "Ngày báo cáo 08/12/2024 không thuộc năm 2023 của đợt: các hoạt động được xét theo ngày 08/12/2023."
    )
    assert "is not in the campaign's year 2023" in problem.message("en")


def test_duplicate_recipient_is_written_once(tmp_path) -> None:
    from openpyxl import load_workbook

    from cases import build_case_a, paragraphs, set_settings
    from toolkit.core.config import Options
    from toolkit.pipeline import sync_and_report

    path = build_case_a(tmp_path / "a.xlsx")  # a lower-secondary school, another campaign and year
    book = load_workbook(path)
    offices = "UBND phường Tân Hưng\nỦy ban nhân dân phường Tân Hưng\nSở GD&ĐT Thành phố Hồ Chí Minh"
    set_settings(book, {"Nơi nhận báo cáo": offices, "Người nhận báo cáo": "Đ/c Hòa\nĐ/c Bình\nĐ/c Lan"})
    book.save(path)
    report = sync_and_report(str(path), Options(output=tmp_path / "out", today=D(2025, 12, 10)))
    assert [(p.code, p.cell) for p in report.problems] == [("duplicate-recipient", "B16")]
    plan, result = (paragraphs(p) for p in report.outputs)
    # the plan's reporting sentence and Nơi nhận; the report's Kính gửi: each office once
    for text, times in (("\n".join(plan), 2), ("\n".join(result), 1)):
        assert text.count("UBND phường Tân Hưng") == times, text
        assert "Ủy ban nhân dân phường" not in text and "Đ/c Bình" not in text
        assert text.count("Sở GD&ĐT Thành phố Hồ Chí Minh") == times
    assert "UBND phường Tân Hưng (Đ/c Hòa) và Sở GD&ĐT Thành phố Hồ Chí Minh (Đ/c Lan)" in "\n".join(plan)


def test_dates_of_another_school_campaign_and_year(tmp_path) -> None:
    """Case C (an upper-secondary school's 2026 food-safety month, no preset): a cited plan dated after the
    plan citing it, a deadline of last year after a citation's own date, a report dated a year early."""
    from openpyxl import load_workbook

    from cases import CASE_C_DAY, build_case_c, replace_rows, set_settings
    from toolkit.sources.xlsx import read_xlsx

    path = build_case_c(tmp_path / "c.xlsx")
    book = load_workbook(path)
    set_settings(book, {"Ngày báo cáo": D(2025, 5, 18)})
    ws = book["Căn cứ"]
    ws["C2"] = D(2026, 4, 12)  # the Department's plan, after the school's plan of 10/04/2026
    replace_rows(
        book,
        "Nội dung",
        [
            {
                "Phần": "Tổ chức thực hiện",
                "Nội dung": "Thực hiện Kế hoạch số 512/KH-SGDĐT ngày 02/04/2025 và hoàn thành trước ngày 30/04/2025.",
            }
        ],
    )
    book.save(path)
    _, report = validate(read_xlsx(path), today=CASE_C_DAY)
    assert sorted((p.code, p.tab, p.cell) for p in report.problems) == [
        ("bad-report-date", T, "B14"),
        ("citation-after-document", C, "C2"),
        ("stale-year", N, "B2"),  # the deadline; the cited plan's own date is exempt
    ]
    stale = next(p for p in report.problems if p.code == "stale-year")
    assert stale.value == "30/04/2025"


def test_a_campaign_named_with_its_year_is_given_it_once(tmp_path) -> None:
    """Case C (a 2026 food-safety month, no preset): ``Tên đợt`` typed with ``năm 2026`` in any spacing or case
    gives the very words of the name typed without it; one typed with ``năm 2025`` is warned at its cell and
    the documents follow ``Năm``."""
    from openpyxl import load_workbook

    from cases import CASE_C_DAY, build_case_c, documents, paragraphs, set_settings

    texts = {}
    for typed in ("Tháng hành động vì an toàn thực phẩm", "Tháng hành động vì an toàn thực phẩm  NĂM 2026 "):
        path = build_case_c(tmp_path / f"{len(texts)}.xlsx")
        book = load_workbook(path)
        set_settings(book, {"Tên đợt": typed})
        book.save(path)
        report, plan, result = documents(path, tmp_path / f"out{len(texts)}", CASE_C_DAY)
        assert report.problems == []
        texts[typed] = [*paragraphs(plan), *paragraphs(result)]
    plain, with_year = texts.values()
    assert with_year == plain
    joined = "\n".join(plain)
    assert "Tháng hành động vì an toàn thực phẩm năm 2026" in joined and "năm 2026 năm" not in joined.casefold()

    path = build_case_c(tmp_path / "stale.xlsx")
    book = load_workbook(path)
    set_settings(book, {"Tên đợt": "Tháng hành động vì an toàn thực phẩm năm 2025"})
    book.save(path)
    campaign, report = validate(read_xlsx(path), today=CASE_C_DAY)
    (stale,) = report.problems
    assert (stale.code, stale.cell, stale.severity) == ("campaign-name-year", "B6", "warning")
    assert stale.message() == (
        'Tên đợt "Tháng hành động vì an toàn thực phẩm năm 2025" ghi năm 2025, khác Năm 2026 của sổ: văn bản ghi'
        ' "Tháng hành động vì an toàn thực phẩm năm 2026". Có phải chép từ năm cũ?'
    )
    from toolkit.documents.common import campaign_name

    assert campaign_name(campaign.settings) == "Tháng hành động vì an toàn thực phẩm năm 2026"


@pytest.mark.parametrize(
    ("typed", "written", "warned"),
    [
        ("Tháng an toàn giao thông năm 2027.", "Tháng an toàn giao thông năm 2027", False),
        ("Tháng an toàn giao thông 2027", "Tháng an toàn giao thông 2027", False),
        ("Tháng an toàn giao thông (năm 2027)", "Tháng an toàn giao thông (năm 2027)", False),
        ("Tháng an toàn giao thông năm học 2027-2028", "Tháng an toàn giao thông năm học 2027-2028", False),
        ("Tháng an toàn giao thông năm học 2026 - 2027.", "Tháng an toàn giao thông năm học 2026 - 2027", False),
        ("Tháng an toàn giao thông.", "Tháng an toàn giao thông năm 2027", False),
        ("Hội thi 2027 cấp trường về an toàn giao thông", "Hội thi 2027 cấp trường về an toàn giao thông", False),
        ("Tháng an toàn giao thông (năm 2026).", "Tháng an toàn giao thông (năm 2027)", True),
        ("Tháng an toàn giao thông năm học 2025-2026", "Tháng an toàn giao thông năm học 2025-2026", True),
    ],
)
def test_a_campaign_name_that_names_a_year_is_not_given_it_again(tmp_path, typed, written, warned) -> None:
    """Case C moved to 2027 (THPT, no preset): the plan's and the report's titles and opening sentences name the
    campaign once with its year, whatever form the year was typed in; a year other than ``Năm`` is warned."""
    from openpyxl import load_workbook

    from cases import build_case_c, documents, paragraphs, set_settings

    path = build_case_c(tmp_path / "c.xlsx")
    book = load_workbook(path)
    moved = {"Năm": 2027, "Từ ngày": D(2027, 4, 15), "Đến ngày": D(2027, 5, 15), "Ngày kế hoạch": D(2027, 4, 10)}
    set_settings(book, {"Tên đợt": typed, **moved, "Ngày báo cáo": D(2027, 5, 18), "Hạn nộp báo cáo": None})
    book.save(path)
    report, plan, result = documents(path, tmp_path / "out", D(2027, 5, 18))
    codes = [p.code for p in report.problems if p.code == "campaign-name-year"]
    assert codes == (["campaign-name-year"] if warned else [])
    plan_text, report_text = paragraphs(plan), paragraphs(result)
    assert f"Triển khai {written}" in plan_text and f"Kết quả thực hiện {written}" in report_text
    assert sum(written in line for line in [*plan_text, *report_text]) >= 4
    for text in [*plan_text, *report_text, plan.name, result.name]:
        assert "năm 2027 năm" not in text.casefold() and ". năm" not in text and "2027 năm 2027" not in text
        assert "2028 năm 2027" not in text and ") năm 2027" not in text


@pytest.mark.parametrize(
    ("unit", "written"),
    [
        ("TRƯỜNG THPT “LÊ QUÝ ĐÔN”", "Trường THPT “Lê Quý Đôn”"),
        ("TRƯỜNG THPT (LÊ QUÝ ĐÔN)", "Trường THPT (Lê Quý Đôn)"),
        ('TRƯỜNG TH, THCS VÀ THPT "TÂN PHÚ"', 'Trường TH, THCS và THPT "Tân Phú"'),
    ],
)
def test_a_school_named_in_quotes_or_brackets_keeps_its_capitals(tmp_path, unit, written) -> None:
    """Case C (THPT, 2026): the documents' sentences and the covering e-mail's sender name the school in a
    sentence's casing, the proper name inside its quotes or brackets with its capitals."""
    from email import message_from_bytes, policy

    from openpyxl import load_workbook

    from cases import CASE_C_DAY, build_case_c, documents, paragraphs, set_settings
    from toolkit.delivery.message import build_message

    path = build_case_c(tmp_path / "c.xlsx")
    book = load_workbook(path)
    set_settings(book, {"Đơn vị": unit})
    book.save(path)
    _, plan, result = documents(path, tmp_path / "out", CASE_C_DAY)
    opening = [line for line in paragraphs(plan) if "xây dựng Kế hoạch" in line]
    assert opening == [f"{written} xây dựng Kế hoạch triển khai Tháng hành động vì an toàn thực phẩm năm 2026 như sau:"]
    assert any(f"{written} báo cáo kết quả thực hiện" in line for line in paragraphs(result))
    campaign, _ = validate(read_xlsx(path), today=CASE_C_DAY)
    sent = build_message(campaign, "report", [result], "truong@example.edu.vn", ["so@example.gov.vn"], [])
    read = message_from_bytes(sent.as_bytes(), policy=policy.default)
    assert read["From"].addresses[0].display_name == written


def test_a_document_cited_twice_is_warned_and_cited_once(tmp_path) -> None:
    """Case C (THPT, food safety 2026) citing its law again by name without number, and its decree in an identical
    row: each warned at the later row's cell, each printed once in the plan and the report."""
    from openpyxl import load_workbook

    from cases import CASE_C_CITATIONS, CASE_C_DAY, build_case_c, documents, paragraphs, replace_rows

    path = build_case_c(tmp_path / "c.xlsx")
    book = load_workbook(path)
    law = {"Loại văn bản": "Luật", "Ngày ban hành": D(2010, 6, 17), "Trích yếu": "Luật an toàn thực phẩm."}
    replace_rows(book, "Căn cứ", [*CASE_C_CITATIONS, law, CASE_C_CITATIONS[2]])
    book.save(path)
    report, plan, result = documents(path, tmp_path / "out", CASE_C_DAY)
    assert [(p.code, p.cell) for p in report.problems] == [("duplicate-citation", "E6"), ("duplicate-citation", "B7")]
    assert report.problems[0].message() == (
        'Văn bản "Luật an toàn thực phẩm." đã được dẫn ở dòng 3: văn bản chỉ ghi một lần; xóa một trong hai dòng.'
    )
    for document in (plan, result):
        text = paragraphs(document)
        assert text.count("Căn cứ Luật An toàn thực phẩm ngày 17 tháng 6 năm 2010;") == 1
        assert sum("Nghị định số 15/2018/NĐ-CP" in line for line in text) == 1
    other_law = {**law, "Ngày ban hành": D(2018, 11, 19)}  # a law of that name passed on another day is another
    replace_rows(book, "Căn cứ", [*CASE_C_CITATIONS, other_law])
    book.save(path)
    assert validate(read_xlsx(path), today=CASE_C_DAY)[1].problems == []


def test_an_activity_done_in_the_future_names_today_when_no_report_date_is_set(tmp_path) -> None:
    """Case C (THPT, 2026) checked on 18/04/2026: an activity of 20/04 marked done is after today, not after a report
    date, when ``Ngày báo cáo`` is blank; after the report date when it is set."""
    from openpyxl import load_workbook

    from cases import build_case_c, set_settings

    path = build_case_c(tmp_path / "c.xlsx")
    book = load_workbook(path)
    set_settings(book, {"Ngày báo cáo": None})
    book.save(path)
    today = D(2026, 4, 18)
    [early] = [p for p in validate(read_xlsx(path), today=today)[1].problems if p.code == "done-in-future"]
    assert early.message() == (
        'Hoạt động "Tuyên truyền an toàn thực phẩm dưới cờ" ghi đã thực hiện nhưng bắt đầu ngày 20/04/2026, sau hôm nay'
        " (18/04/2026)."
    )
    assert early.message("en").endswith("starts on 20/04/2026, after today (18/04/2026).")
    set_settings(book, {"Ngày báo cáo": D(2026, 4, 19)})
    book.save(path)
    [late] = [p for p in validate(read_xlsx(path), today=today)[1].problems if p.code == "done-in-future"]
    assert late.message().endswith("bắt đầu ngày 20/04/2026, sau ngày báo cáo 19/04/2026.")
    assert late.message("en").endswith("starts on 20/04/2026, after the report date 19/04/2026.")


def test_a_malformed_address_is_an_error_at_its_cell(tmp_path) -> None:
    """Case A (a lower-secondary school's 2025 campaign): every e-mail setting is checked, each address named
    as ``toolkit send`` splits them; ``check`` exits 1, and a forced plan never prints the bad ones."""
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from cases import CASE_A_DAY, build_case_a, paragraphs, set_settings
    from toolkit.cli import cli
    from toolkit.core.config import Options
    from toolkit.pipeline import sync_and_report

    path = build_case_a(tmp_path / "a.xlsx")
    book = load_workbook(path)
    to = "vhxh.tandinh@example,gov.vn; gdmn.sgddt@@example.gov.vn\nvanhoa.tanhung@example.gov.vn"
    set_settings(book, {"Email nhận báo cáo": to, "Email CC": "hieutruong mnhs"})
    book.save(path)
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    hint = (
        "không hợp lệ: cần dạng ten@ten-mien.vn; các địa chỉ cách nhau bằng dấu ; hoặc xuống dòng"
        " (dấu phẩy cũng tách hai địa chỉ)."
    )
    assert result.stdout.splitlines() == [
        "[Thông tin]",
        f'  LỖI B23: Địa chỉ thư "vhxh.tandinh@example" trong "Email nhận báo cáo" {hint}',
        f'  LỖI B23: Địa chỉ thư "gov.vn" trong "Email nhận báo cáo" {hint}',
        f'  LỖI B23: Địa chỉ thư "gdmn.sgddt@@example.gov.vn" trong "Email nhận báo cáo" {hint}',
        f'  LỖI B28: Địa chỉ thư "hieutruong mnhs" trong "Email CC" {hint}',
        "4 lỗi, 0 cảnh báo.",
    ]
    forced = sync_and_report(str(path), Options(output=tmp_path / "out", today=CASE_A_DAY, force=True))
    plan = "\n".join(paragraphs(forced.outputs[0]))
    assert "địa chỉ thư điện tử vanhoa.tanhung@example.gov.vn" in plan and "@@" not in plan and "example," not in plan


def test_an_address_copied_with_mailto_is_refused_at_its_cell(tmp_path) -> None:
    """Case A (THCS, 2025): ``mailto:`` before an address (copied from a web page's link) is an error at the cell
    saying to drop it, never a To header naming a group ``mailto``; the address is left out of a forced run, and
    the covering letter refuses it too."""
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from cases import CASE_A_DAY, build_case_a, set_settings
    from toolkit.cli import cli
    from toolkit.core.errors import DeliveryError
    from toolkit.delivery.message import recipients_of

    path = build_case_a(tmp_path / "a.xlsx")
    book = load_workbook(path)
    set_settings(book, {"Email nhận báo cáo": "mailto:vanhoa@tanphu.gov.vn; so@example.gov.vn"})
    book.save(path)
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        '  LỖI B23: Địa chỉ thư "mailto:vanhoa@tanphu.gov.vn" trong "Email nhận báo cáo" có "mailto:" chép từ một'
        ' liên kết: bỏ "mailto:", chỉ ghi vanhoa@tanphu.gov.vn.'
    )
    campaign, _ = validate(read_xlsx(path), today=CASE_A_DAY)
    assert campaign.settings.report_email == "so@example.gov.vn"
    campaign.settings.report_email = "mailto:vanhoa@tanphu.gov.vn"
    with pytest.raises(DeliveryError) as refused:
        recipients_of(campaign)
    assert "mailto:vanhoa@tanphu.gov.vn" in str(refused.value)


def test_a_document_number_typed_as_printed_is_its_number(tmp_path) -> None:
    """Case A (THCSNT, 2025): ``31/KH-THCSNT`` and ``48/BC-THCSNT`` are read as 31 and 48, the documents the same
    as with the numbers alone; another symbol is an error saying that only the number is typed."""
    from openpyxl import load_workbook

    from cases import CASE_A_DAY, build_case_a, documents, paragraphs, set_settings

    texts = []
    for plan_number, report_number in ((31, 48), ("31/KH-THCSNT", "48/BC-THCSNT"), ("Số 31/KH-THCSNT", "số: 48")):
        path = build_case_a(tmp_path / f"{plan_number}.xlsx".replace("/", "-"))
        book = load_workbook(path)
        set_settings(book, {"Số kế hoạch": plan_number, "Số báo cáo": report_number})
        book.save(path)
        report, plan, result = documents(path, tmp_path / f"out{len(texts)}", CASE_A_DAY)
        assert report.problems == []
        texts.append([*paragraphs(plan), *paragraphs(result)])
    assert texts[0] == texts[1] == texts[2] and "Số: 31/KH-THCSNT" in texts[0] and "Số: 48/BC-THCSNT" in texts[0]

    path = build_case_a(tmp_path / "wrong.xlsx")
    book = load_workbook(path)
    set_settings(book, {"Số kế hoạch": "45/KH-MNHS"})
    book.save(path)
    (wrong,) = validate(read_xlsx(path), today=CASE_A_DAY)[1].problems
    assert (wrong.code, wrong.cell) == ("bad-setting", "B11")
    assert wrong.message() == '"Số kế hoạch" không hợp lệ: chỉ ghi số, ví dụ 45: toolkit tự thêm /KH-THCSNT khi in.'
    assert wrong.message("en") == (
        '"Số kế hoạch" is not valid: type the number only, e.g. 45: the toolkit adds /KH-THCSNT when it prints it.'
    )
    for typed in ("Số 45/KH-THCSTP", "Kế hoạch 45"):  # another school's symbol, words: the typed number as example
        set_settings(book, {"Số kế hoạch": typed})
        book.save(path)
        (wrong,) = validate(read_xlsx(path), today=CASE_A_DAY)[1].problems
        assert wrong.message() == (
            '"Số kế hoạch" không hợp lệ: chỉ ghi số, ví dụ 45: toolkit tự thêm /KH-THCSNT khi in.'
        ), typed


def test_a_name_with_its_own_quotes_is_quoted_typographically(check) -> None:
    report = check({(A, "B2"): 'Trồng cây xanh "Vườn cổ tích của bé"', (A, "T2"): None})
    (missing,) = report.problems
    assert missing.value is None and dict(missing.params)["name"] == 'Trồng cây xanh "Vườn cổ tích của bé"'
    assert (
        missing.message() == 'Hoạt động "Trồng cây xanh “Vườn cổ tích của bé”" đã thực hiện nhưng chưa có minh chứng.'
    )
    assert missing.message("en").count('"') == 2


@pytest.mark.parametrize(
    ("typed", "vi", "en"),
    [
        (
            "KT. HIỆU TRƯỞNG",
            '"Thẩm quyền ký" không hợp lệ: chỉ ghi KT. ở đây, còn "HIỆU TRƯỞNG" ghi ở "Chức vụ thủ trưởng".',
            'write only KT. here, and "HIỆU TRƯỞNG" in "Chức vụ thủ trưởng".',
        ),
        (
            "KT.HIỆU TRƯỞNG",  # no space after the dot
            '"Thẩm quyền ký" không hợp lệ: chỉ ghi KT. ở đây, còn "HIỆU TRƯỞNG" ghi ở "Chức vụ thủ trưởng".',
            'write only KT. here, and "HIỆU TRƯỞNG" in "Chức vụ thủ trưởng".',
        ),
        (
            "tm.Ủy ban nhân dân",
            '"Thẩm quyền ký" không hợp lệ: chỉ ghi TM. ở đây, còn "Ủy ban nhân dân" ghi ở "Chức vụ thủ trưởng".',
            'write only TM. here, and "Ủy ban nhân dân" in "Chức vụ thủ trưởng".',
        ),
        (
            "QUYỀN HIỆU TRƯỞNG",  # a word opening with Q is no Q.
            '"Thẩm quyền ký" không hợp lệ: chỉ dùng KT., TM., Q., TL., TUQ. hoặc để trống.',
            "use one of KT., TM., Q., TL., TUQ. or leave it blank.",
        ),
        (
            "Thay mặt",
            '"Thẩm quyền ký" không hợp lệ: chỉ dùng KT., TM., Q., TL., TUQ. hoặc để trống.',
            "use one of KT., TM., Q., TL., TUQ. or leave it blank.",
        ),
    ],
)
def test_a_signing_authority_typed_with_its_title_says_where_the_title_goes(check, typed, vi, en) -> None:
    [problem] = check({(T, "B18"): typed}).problems
    assert (problem.code, problem.cell) == ("bad-setting", "B18")
    assert problem.message() == vi and problem.message("en").endswith(en)

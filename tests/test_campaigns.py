"""Any school, any campaign, any year: workbooks made by ``toolkit init --campaign``, filled through the
public layout (tab, header and setting names, never positions), and the documents they give.

Three cases: the seed (a primary school's 2023 gender-equality month), case A (a lower-secondary school's
2025 month under a ward, two recipients, signed KT.) and case B (a kindergarten's 2026 lifelong-learning
week with its own activity groups). Plus one test per bundled preset on its own example data.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from decree30 import effective
from docx import Document
from openpyxl import load_workbook

from cases import (
    CASE_A_DAY,
    CASE_B_DAY,
    CASE_C_CITATIONS,
    CASE_C_DAY,
    D,
    all_text,
    build_case_a,
    build_case_b,
    build_case_c,
    documents,
    init,
    paragraphs,
    replace_rows,
    set_settings,
    unit_lines,
)
from toolkit.cli import cli
from toolkit.core.config import Options
from toolkit.pipeline import sync_and_report
from toolkit.sources.xlsx import read_xlsx
from toolkit.workbook import campaigns
from toolkit.workbook.validate import validate


@pytest.fixture(scope="module")
def case_a(tmp_path_factory) -> tuple[Any, Path, Path]:
    folder = tmp_path_factory.mktemp("case-a")
    return documents(build_case_a(folder / "a.xlsx"), folder / "out", CASE_A_DAY)


@pytest.fixture(scope="module")
def case_b(tmp_path_factory) -> tuple[Any, Path, Path]:
    folder = tmp_path_factory.mktemp("case-b")
    return documents(build_case_b(folder / "b.xlsx"), folder / "out", CASE_B_DAY)


@pytest.fixture(scope="module")
def case_c(tmp_path_factory) -> tuple[Any, Path, Path]:
    folder = tmp_path_factory.mktemp("case-c")
    return documents(build_case_c(folder / "c.xlsx"), folder / "out", CASE_C_DAY)


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> tuple[Any, Path, Path]:
    folder = tmp_path_factory.mktemp("seed")
    path = init(folder / "seed.xlsx", "--campaign", "binh-dang-gioi", "--example")
    return documents(path, folder / "out", D(2023, 12, 8))


FOREIGN = {
    # words that must not appear in a case's documents: other schools, places, years, campaigns, levels
    "seed": (
        "2025",
        "2026",
        "Nguyễn Trãi",
        "NGUYỄN TRÃI",
        "Hoa Sen",
        "Tân Hưng",
        "học tập suốt đời",
        "cha mẹ trẻ",
        "Sở Giáo dục",
    ),
    "a": (
        "2023",
        "2026",
        "Bình An",
        "BÌNH AN",
        "THBA",
        "Thủ Thừa",
        "THỦ THỪA",
        "Phòng Giáo dục",
        "PHÒNG GD",
        "Hoa Sen",
        "học tập suốt đời",
        "cha mẹ trẻ",
        "Mầm non",
    ),
    "b": (
        "2023",
        "2025",
        "Bình An",
        "THBA",
        "Thủ Thừa",
        "Phòng Giáo dục",
        "Nguyễn Trãi",
        "Tân Hưng",
        "bình đẳng giới",
        "Tháng hành động",
        "học sinh",
        "Học sinh",
        "Phụ huynh",
        "Tỷ lệ nữ",
        "truyền thông",
        "Kiểm tra, phát hiện",
    ),
}


@pytest.mark.parametrize("case", ["seed", "a", "b"])
def test_no_word_of_another_case(request, case) -> None:
    _, plan, report = request.getfixturevalue({"seed": "seed", "a": "case_a", "b": "case_b"}[case])
    for path in (plan, report):
        text = all_text(path)
        found = [word for word in FOREIGN[case] if word in text]
        assert not found, f"{path.name}: {found}"


def test_case_a_names_recipients_and_signer(case_a) -> None:
    _, plan, report = case_a
    assert plan.parent.name == "2025" and plan.name == "KH-THCSNT-thang-hanh-dong-vi-binh-dang-gioi-3bc290.docx"
    text = paragraphs(report)
    assert "Trường THCS Nguyễn Trãi báo cáo kết quả thực hiện" in " ".join(text)
    at = text.index("Kính gửi:")
    assert text[at + 1 : at + 3] == [
        "- Ủy ban nhân dân phường Tân Hưng;",
        "- Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh.",
    ]
    assert not any(t.startswith("Kính gửi: ") for t in text)
    plan_text = paragraphs(plan)
    assert "- Ủy ban nhân dân phường Tân Hưng (b/c);" in plan_text
    assert "- Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh (b/c);" in plan_text
    duty = next(t for t in plan_text if t.startswith("Báo cáo kết quả thực hiện"))
    assert (
        "gửi về Ủy ban nhân dân phường Tân Hưng (Đ/c Hòa - Văn phòng) và Sở Giáo dục và Đào tạo Thành phố "
        "Hồ Chí Minh," in duty
    )
    assert unit_lines(plan) == ["TRƯỜNG THCS", "NGUYỄN TRÃI"]
    signature = Document(str(plan)).tables[-1].rows[0].cells[1]
    assert [p.text for p in signature.paragraphs][:2] == ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"]
    report_text = " ".join(text)
    assert "1. Hoạt động truyền thông" in report_text and "Tỷ lệ nữ (%)" in report_text
    assert "Số lượt kiểm tra: 2." in report_text
    assert "Số vụ bạo lực" not in report_text  # zero, no note: left out
    assert "Treo " not in report_text and "Đăng 2 tin bài" in report_text
    assert "(Kèm theo Báo cáo số 48/BC-THCSNT ngày 10/12/2025 của Trường THCS Nguyễn Trãi)" in text


def test_case_b_kindergarten_words_own_groups_and_sections(case_b) -> None:
    result, plan, report = case_b
    assert result.problems == []  # the decoration group needs no head count; the running activity ends later
    text = paragraphs(report)
    joined = " ".join(text)
    assert "Trường Mầm non Hoa Sen" in joined and "Tuần lễ hưởng ứng học tập suốt đời năm 2026" in joined
    assert "toàn thể cán bộ, giáo viên, nhân viên và trẻ." in joined
    assert "Kính gửi: Ủy ban nhân dân xã Sơn Trà." in text
    assert "1. Các hoạt động hưởng ứng Tuần lễ" in text
    assert "Cha mẹ cùng học: 1 hoạt động;" in joined and "Tuyên truyền, trang trí: 1 hoạt động." in joined
    assert "(78 trẻ, 67 cha mẹ trẻ tham gia)" in joined
    assert "Các hoạt động đang thực hiện tại thời điểm báo cáo:" in text
    assert any(t.startswith("- Từ ngày 02/10/2026 đến ngày 07/10/2026: Bé vui đọc sách cùng cô") for t in text)
    table = next(t for t in Document(str(report)).tables if t.rows[0].cells[0].text == "Đối tượng")
    assert [c.text for c in table.rows[0].cells] == ["Đối tượng", "Nam", "Nữ", "Tổng"]
    assert [r.cells[0].text for r in table.rows[1:]] == ["CB-GV-NV", "Trẻ", "Cha mẹ trẻ", "Tổng cộng"]
    assert "3. Thư viện và bồi dưỡng" in text and "- Số đầu sách, tài liệu được bổ sung: 60." in text
    assert "Số lượt mượn" not in joined
    assert "Tổng kinh phí đã chi" not in joined  # nothing spent: no money item
    assert "ĐÁNH GIÁ CHUNG" not in joined  # no evaluation written: no empty section
    assert unit_lines(plan) == ["TRƯỜNG MẦM NON", "HOA SEN"]
    plan_text = " ".join(paragraphs(plan))
    assert "Bộ nhận diện" not in plan_text and "Chủ đề" not in plan_text  # nothing cited, no theme given


def test_seed_from_init_is_the_bundled_example(seed, tmp_path) -> None:
    _, plan, report = seed
    bundled = sync_and_report(None, Options(output=tmp_path, today=D(2023, 12, 8)))
    for ours, theirs in zip((plan, report), bundled.outputs, strict=True):
        assert ours.read_bytes() == Path(theirs).read_bytes()


def test_case_c_cites_legal_bases_then_directions(case_c) -> None:
    _, plan, report = case_c
    text = paragraphs(plan)
    start = text.index("Căn cứ Luật An toàn thực phẩm ngày 17 tháng 6 năm 2010;")  # a law by its name and date
    assert text[start : start + 4] == [
        "Căn cứ Luật An toàn thực phẩm ngày 17 tháng 6 năm 2010;",
        "Căn cứ Nghị định số 15/2018/NĐ-CP ngày 02 tháng 02 năm 2018 của Chính phủ quy định chi tiết thi hành "
        "một số điều của Luật An toàn thực phẩm;",
        # a row's Cách dẫn chooses the verb: this official letter is cited as a basis
        "Căn cứ Công văn số 88/UBND-VX ngày 03/04/2026 của Ủy ban nhân dân tỉnh Quảng Nam về việc tăng cường bảo "
        "đảm an toàn thực phẩm;",
        # the superior's plan is implemented, and comes after the legal bases although its row is first
        "Thực hiện Kế hoạch số 512/KH-SGDĐT ngày 02/04/2026 của Sở Giáo dục và Đào tạo tỉnh Quảng Nam về việc "
        "triển khai Tháng hành động vì an toàn thực phẩm năm 2026;",
    ]
    assert not any("Thực hiện Luật" in line or "về việc An toàn" in line for line in text)
    lines = paragraphs(report)
    opening = next(i for i, line in enumerate(lines) if line.startswith("Căn cứ Luật"))
    assert lines[opening + 3].startswith("Thực hiện Kế hoạch số 512/KH-SGDĐT")
    assert lines[opening + 3].endswith(
        ", Trường THPT Lê Quý Đôn báo cáo kết quả thực hiện Tháng hành động vì an toàn thực phẩm năm 2026 như sau:"
    )


def test_case_c_dash_items_keep_their_dash_in_every_section(case_c) -> None:
    _, plan, report = case_c
    text = paragraphs(plan)
    label = text.index("Hình thức tuyên truyền:")  # on its own line before dash items, never glued to the first
    assert text[label + 1 : label + 3] == [
        "- Tuyên truyền dưới cờ, qua loa phát thanh;",
        "- Đăng tin trên trang thông tin của trường.",
    ]
    assert "- Nâng cao nhận thức về an toàn thực phẩm;" in text
    assert "- Họp hội đồng triển khai kế hoạch;" in paragraphs(report)


def test_case_c_report_words(case_c) -> None:
    _, _, report = case_c
    text = paragraphs(report)
    assert text[text.index("4. Kinh phí") + 1] == "Tổng kinh phí đã chi: 2.500.000 đồng."  # one colon
    assert "- Giá trị hỗ trợ bếp ăn: 17.500.000 đồng." in text  # the unit after the number
    assert "- Số vụ ngộ độc thực phẩm: 0 (Không xảy ra ngộ độc thực phẩm)." in text
    # the participants table names people as the sentences do
    assert "32 cha mẹ học sinh tham gia" in " ".join(text) and "Cha mẹ học sinh" in text and "Phụ huynh" not in text


def test_dash_items_keep_six_points_apart(case_a) -> None:
    _, _, report = case_a
    bullets = [p for p in Document(str(report)).paragraphs if p.text.startswith("- ")]
    assert bullets and all(effective(p, "space_after").pt >= 6 for p in bullets)


def test_year_left_from_last_year_is_an_error_at_its_cell(tmp_path) -> None:
    path = init(tmp_path / "y.xlsx", "--campaign", "binh-dang-gioi", "--example")
    book = load_workbook(path)
    set_settings(book, {"Năm": 2022})
    book.save(path)
    result = CliRunner().invoke(cli, ["sync-and-report", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "LỖI B7: Năm 2022 không khớp thời gian của đợt (15/11/2023 – 15/12/2023)." in result.stdout
    assert not (tmp_path / "out").exists()


def test_alt_enter_in_a_setting_is_a_space_in_the_documents(tmp_path) -> None:
    path = init(tmp_path / "t.xlsx", "--campaign", "binh-dang-gioi", "--example")
    book = load_workbook(path)
    set_settings(book, {"Chủ đề": "Bình đẳng giới\nvà an toàn"})
    book.save(path)
    report = sync_and_report(str(path), Options(output=tmp_path / "out", today=D(2023, 12, 8)))
    assert "“Bình đẳng giới và an toàn”." in " ".join(paragraphs(Path(report.outputs[0])))


def test_the_workbook_overrides_any_phrase_and_the_unit_name(tmp_path) -> None:
    path = init(tmp_path / "w.xlsx", "--campaign", "binh-dang-gioi", "--example")
    book = load_workbook(path)
    ws = book["Câu chữ"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "bc.hoat_dong")
    ws.cell(row=row, column=3, value="Hoạt động tuyên truyền của {don_vi}")
    set_settings(book, {"Tên đơn vị trong câu": "Trường Tiểu học Bình An", "Tỷ lệ nữ": "Không"})
    book.save(path)
    report = sync_and_report(str(path), Options(output=tmp_path / "out", today=D(2023, 12, 8)))
    text = paragraphs(Path(report.outputs[1]))
    assert "1. Hoạt động tuyên truyền của Trường Tiểu học Bình An" in text
    assert "Tỷ lệ nữ (%)" not in " ".join(text)


def drowning_report(tmp_path: Path, wording: dict[str, str] | None = None) -> list[str]:
    """The drowning preset's example report, its ``Câu chữ`` rows first replaced by ``wording``."""
    preset = campaigns.presets()["phong-chong-duoi-nuoc"]
    path = init(tmp_path / "d.xlsx", "--campaign", preset.id, "--example")
    if wording:
        book = load_workbook(path)
        ws = book["Câu chữ"]
        for r in range(2, ws.max_row + 1):
            if ws.cell(row=r, column=1).value in wording:
                ws.cell(row=r, column=3, value=wording[ws.cell(row=r, column=1).value])
        book.save(path)
    day = dt.datetime.strptime(preset.example["Thông tin"]["Ngày báo cáo"], "%d/%m/%Y").date()
    _, _, report = documents(path, tmp_path / "out", day)
    return paragraphs(report)


def test_an_activity_counts_its_banners_in_the_campaigns_words(tmp_path) -> None:
    """The drowning preset calls them "biển cảnh báo": the activity's sentence says so too, as the total does."""
    text = drowning_report(tmp_path)
    assert "- Treo 6 biển cảnh báo, khẩu hiệu." in text  # the last item of "trong đó:" (no posts follow)
    sentence = next(p for p in text if p.startswith("- Ngày 05/06/2026: Cắm biển cảnh báo"))
    assert sentence.endswith("(6 biển cảnh báo, khẩu hiệu).")
    assert "băng rôn" not in " ".join(text)


def test_the_workbook_words_an_activitys_banners_and_posts(tmp_path) -> None:
    wording = {"bc.bang_ron_hoat_dong": "{so} tấm biển", "bc.tin_bai_hoat_dong": "{so} bài viết"}
    text = drowning_report(tmp_path, wording)
    assert any(p.endswith("(6 tấm biển).") for p in text)


# -- every preset, on its own example ------------------------------------------------------------------


@pytest.mark.parametrize("preset_id", list(campaigns.presets()))
def test_every_preset_gives_a_valid_plan_and_report(tmp_path, preset_id) -> None:
    preset = campaigns.presets()[preset_id]
    path = init(tmp_path / f"{preset_id}.xlsx", "--campaign", preset_id, "--example")
    info = preset.example["Thông tin"]
    report_date = dt.datetime.strptime(info["Ngày báo cáo"], "%d/%m/%Y").date()
    campaign, checked = validate(read_xlsx(path), today=report_date)
    assert checked.valid, checked.problems
    result = CliRunner().invoke(cli, ["sync-and-report", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    plan, report = sorted((tmp_path / "out" / str(info["Năm"])).glob("*.docx"))[::-1]
    others = [p.example["Thông tin"]["Đơn vị"] for p in campaigns.presets().values() if p is not preset]
    for document in (plan, report):
        text = all_text(document)
        assert info["Tên đợt"] in text and info["Đơn vị"] in text
        assert not [o for o in others if o in text and o != info["Đơn vị"]]
        assert not re.search(r"(Treo|Đăng) 0 ", text) and ": 0." not in text
    assert f"năm {info['Năm']}" in all_text(plan)
    assert campaign.groups == tuple(g.name for g in preset.groups)


def test_presets_share_the_common_groups_unless_they_say_why() -> None:
    import json
    from importlib import resources

    for preset in campaigns.presets().values():
        data = json.loads((resources.files("toolkit") / "data" / "campaigns" / f"{preset.id}.json").read_text("utf-8"))
        reasons = data.get("without_common", {})
        names = [g.name for g in preset.groups]
        for common in campaigns.common_groups():
            assert common.name in names or reasons.get(common.name), (preset.id, common.name)
        assert names[-1] == "Khác"
    reading = campaigns.find("van-hoa-doc")
    assert reading is not None
    banners = next(g for g in reading.groups if g.name == "Treo băng rôn, khẩu hiệu")
    assert banners.no_participants


def test_a_banner_of_the_reading_day_needs_no_head_count(tmp_path) -> None:
    preset = campaigns.presets()["van-hoa-doc"]
    path = init(tmp_path / "doc.xlsx", "--campaign", "van-hoa-doc", "--example")
    info = preset.example["Thông tin"]
    day = dt.datetime.strptime(info["Ngày báo cáo"], "%d/%m/%Y").date()
    book = load_workbook(path)
    ws = book["Hoạt động"]
    headers = {str(c.value): c.column for c in ws[1] if c.value}
    row = ws.max_row + 1
    for header, value in {
        "Tên hoạt động": "Treo băng rôn hưởng ứng Ngày Sách",
        "Nhóm hoạt động": "Treo băng rôn, khẩu hiệu",
        "Bắt đầu": day - dt.timedelta(days=3),
        "Phụ trách": "Văn phòng",
        "Trạng thái": "Đã thực hiện",
        "Băng rôn, khẩu hiệu": 2,
        "Minh chứng": "Ảnh",
    }.items():
        ws.cell(row=row, column=headers[header], value=value)
    book.save(path)
    campaign, checked = validate(read_xlsx(path), today=day)
    assert checked.problems == []
    assert any(a.group == "Treo băng rôn, khẩu hiệu" and a.done for a in campaign.activities)


GENERIC_BODIES = (
    "Sở Giáo dục và Đào tạo",
    "Phòng Giáo dục và Đào tạo",
    "Ủy ban nhân dân",
    "Ủy ban nhân dân tỉnh",
    "Ủy ban nhân dân huyện",
    "Ủy ban nhân dân xã",
    "Ủy ban nhân dân phường",
    "Sở Y tế",
)


def addressed_with_place(office: str) -> bool:
    """False for a body named without its province, district or commune (``Sở Giáo dục và Đào tạo.``)."""
    from toolkit.workbook.names import body_key

    return body_key(office) not in {body_key(name) for name in GENERIC_BODIES}


def test_every_bundled_example_addresses_offices_with_their_place() -> None:
    from toolkit.rollup.example import EXAMPLE_OFFICE
    from toolkit.workbook.wording import split_list

    offices = [str(EXAMPLE_OFFICE["Nơi nhận báo cáo"])]
    for preset in campaigns.presets().values():
        info = preset.example.get("Thông tin", {})
        offices += split_list(info.get("Nơi nhận báo cáo", ""))
        offices += [row.get("Cơ quan ban hành", "") for row in preset.example.get("Căn cứ", [])]
    assert offices and not [o for o in offices if o and not addressed_with_place(o)]
    assert not addressed_with_place("Sở Giáo dục và Đào tạo.") and addressed_with_place("Sở GD&ĐT tỉnh Đồng Tháp")


def test_campaigns_command_lists_every_preset() -> None:
    result = CliRunner().invoke(cli, ["campaigns"])
    assert result.exit_code == 0
    for preset in campaigns.presets().values():
        assert preset.id in result.output and (preset.name or "blank") in result.output
    gender = next(line for line in result.output.splitlines() if line.startswith("binh-dang-gioi"))
    assert gender.endswith("(15/11 – 15/12)")


def test_unknown_campaign_is_a_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "x.xlsx"), "--campaign", "tet"])
    assert result.exit_code == 2 and "binh-dang-gioi" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_init_campaign_lays_out_name_dates_groups_figures_and_wording(tmp_path) -> None:
    path = init(tmp_path / "t.xlsx", "--campaign", "thang-hanh-dong-vi-tre-em", "--year", "2027")
    book = load_workbook(path)
    settings = {row[0]: row[1] for row in book["Thông tin"].iter_rows(min_row=2, values_only=True)}
    assert settings["Tên đợt"] == "Tháng hành động vì trẻ em" and settings["Năm"] == 2027
    assert settings["Từ ngày"].date() == D(2027, 6, 1) and settings["Đến ngày"].date() == D(2027, 6, 30)
    assert settings["Mẫu đợt"] == "thang-hanh-dong-vi-tre-em"
    groups = [row[0] for row in book["Danh mục"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert groups == [g.name for g in campaigns.presets()["thang-hanh-dong-vi-tre-em"].groups]
    figures = [row[0] for row in book["Số liệu khác"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert "Số suất quà đã trao" in figures and "Số vụ bạo lực, xâm hại phát hiện" not in figures
    wording = {row[0]: row[2] for row in book["Câu chữ"].iter_rows(min_row=2, values_only=True)}
    assert wording["bc.hoat_dong"] == "Các hoạt động vì trẻ em đã tổ chức"


def test_blank_template_has_nothing_of_any_campaign(tmp_path) -> None:
    book = load_workbook(init(tmp_path / "blank.xlsx"))
    figures = [row for row in book["Số liệu khác"].iter_rows(min_row=2, values_only=True) if any(row)]
    assert figures == []
    settings = {row[0]: row[1] for row in book["Thông tin"].iter_rows(min_row=2, values_only=True)}
    assert settings["Tên đợt"] is None and settings["Năm"] is None
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "bạo lực" not in text and "THỦ THỪA" not in text and "Thủ Thừa" not in text


@pytest.mark.parametrize("name", ["Luật Bình đẳng giới", "luật bình đẳng giới", "Bình đẳng giới"])
def test_a_law_typed_with_its_kind_is_cited_once_by_name_and_date(tmp_path, name) -> None:
    """A teacher types the law's whole name in Trích yếu, and leaves its number and issuer blank: a law is cited
    by name and date, so neither is asked for, and ``Luật`` is not written twice."""
    path = build_case_c(tmp_path / "c.xlsx")
    book = load_workbook(path)
    law = {"Loại văn bản": "Luật", "Ngày ban hành": D(2006, 11, 29), "Trích yếu": name}
    replace_rows(book, "Căn cứ", [*CASE_C_CITATIONS[:1], law])
    book.save(path)
    _, plan, report = documents(path, tmp_path / "out", CASE_C_DAY)
    for document in (plan, report):
        lines = [line for line in paragraphs(document) if "Bình đẳng giới" in line or "bình đẳng giới" in line]
        assert lines and all("Luật Luật" not in line and "luật luật" not in line for line in lines), lines
    written = "Căn cứ Luật Bình đẳng giới ngày 29 tháng 11 năm 2006;"
    expected = name if name.lower().startswith("luật") else f"Luật {name}"
    assert written.replace("Luật Bình đẳng giới", expected) in paragraphs(plan)


@pytest.mark.parametrize("status", ["Hủy", "Đang thực hiện"])
def test_a_report_with_no_activity_done_says_so(tmp_path, status) -> None:
    """Case B (a kindergarten, 2026) with no activity done: the report says none is completed yet, in its own
    phrase (``bc.chua_hoat_dong``, which the workbook may reword), without a count of nothing, a "trong đó:" or an
    appendix; the check warns at ``Ngày báo cáo`` once that day has come."""
    path = build_case_b(tmp_path / "b.xlsx")
    book = load_workbook(path)
    ws = book["Hoạt động"]
    column = next(c.column for c in ws[1] if c.value == "Trạng thái")
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=1).value or ws.cell(row=row, column=2).value:
            ws.cell(row=row, column=column, value=status)
    book.save(path)
    report, _, result = documents(path, tmp_path / "out", CASE_B_DAY)
    (warned,) = [p for p in report.problems if p.code == "nothing-done"]
    assert (warned.tab, warned.cell, warned.severity) == ("Thông tin", "B14", "warning")
    assert warned.message() == (
        'Đã đến ngày báo cáo 06/10/2026 nhưng chưa có hoạt động nào "Đã thực hiện": báo cáo sẽ ghi đơn vị chưa hoàn'
        ' thành hoạt động nào (không có phụ lục). Nếu đã làm, sửa cột Trạng thái ở trang "Hoạt động".'
    )
    text = paragraphs(result)
    at = text.index("II. KẾT QUẢ THỰC HIỆN") + 1  # "1. Các hoạt động hưởng ứng Tuần lễ", in the preset's words
    assert text[at + 1] == "Đến thời điểm báo cáo, đơn vị chưa hoàn thành hoạt động nào."
    joined = "\n".join(text)
    assert "trong đó:" not in joined and "0 hoạt động" not in joined and "PHỤ LỤC" not in joined
    running = text[at + 2 : at + 3] == ["Các hoạt động đang thực hiện tại thời điểm báo cáo:"]
    assert running == (status == "Đang thực hiện")

    early = validate(read_xlsx(path), today=D(2026, 10, 5))[1]  # the report's day has not come yet
    assert "nothing-done" not in [p.code for p in early.problems]

    ws = book["Câu chữ"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "bc.chua_hoat_dong")
    ws.cell(row=row, column=3, value="Các hoạt động của {don_vi} đang được chuẩn bị.")
    book.save(path)
    _, _, reworded = documents(path, tmp_path / "out2", CASE_B_DAY)
    assert "Các hoạt động của Trường Mầm non Hoa Sen đang được chuẩn bị." in paragraphs(reworded)

"""The school level a unit's name shows (``levels.json``'s markers), and which ``Cấp học`` contradicts it."""

from __future__ import annotations

import pytest

from toolkit.workbook import wording

LEVELS = ("Mầm non", "Tiểu học", "Liên cấp", "THCS", "THPT", "GDNN-GDTX")


@pytest.mark.parametrize(
    ("unit", "level", "allowed"),
    [
        ("TRƯỜNG TH BÌNH AN", "Tiểu học", {"Tiểu học"}),
        ("Trường Tiểu học số 2 Thị trấn", "Tiểu học", {"Tiểu học"}),
        ("TRƯỜNG TH VÀ THCS LÊ LỢI", "Liên cấp", {"Liên cấp", "Tiểu học", "THCS", "THPT"}),
        ("TRƯỜNG TH&THCS AN PHÚ", "Liên cấp", {"Liên cấp", "Tiểu học", "THCS", "THPT"}),  # punctuation between
        ("TRƯỜNG TIỂU HỌC VÀ THCS CÁT TIÊN", "Liên cấp", {"Liên cấp", "Tiểu học", "THCS", "THPT"}),
        ("TRƯỜNG THCS-THPT NGUYỄN DU", "Liên cấp", {"Liên cấp", "Tiểu học", "THCS", "THPT"}),
        ("TRƯỜNG PTDTNT THCS HUYỆN MƯỜNG TÈ", "Liên cấp", {"Liên cấp", "Tiểu học", "THCS", "THPT"}),
        ("TRƯỜNG PTCS TÂN LẬP", "Liên cấp", {"Liên cấp", "Tiểu học", "THCS", "THPT"}),
        ("TRƯỜNG MẦM NON HOA SEN", "Mầm non", {"Mầm non"}),
        ("TRƯỜNG MẦM NON VÀ TIỂU HỌC ÁNH DƯƠNG", "Mầm non", {"Mầm non", "Tiểu học"}),  # the first level says the words
        ("Trường Mầm non Trung tâm xã Tân Phú", "Mầm non", {"Mầm non", "GDNN-GDTX"}),
        ("TRUNG TÂM GDNN-GDTX HUYỆN CẦN GIUỘC", "GDNN-GDTX", {"GDNN-GDTX"}),
        ("Trường THPT Nguyễn Trãi", "THPT", {"THPT"}),
        ("ỦY BAN NHÂN DÂN XÃ BÌNH AN", None, set(LEVELS)),  # no level shown: any Cấp học
    ],
)
def test_the_level_a_name_shows_and_the_choices_that_agree_with_it(unit, level, allowed) -> None:
    revealed = wording.revealed_level(unit)
    assert (revealed.name if revealed else None) == level
    agreeing = set()
    for name in LEVELS:
        chosen = wording.find_level(name)
        assert chosen is not None
        if wording.contradicts(chosen, unit) is None:
            agreeing.add(name)
    assert agreeing == allowed
    assert wording.level_of_unit(unit).name == (level or wording.default_level().name)

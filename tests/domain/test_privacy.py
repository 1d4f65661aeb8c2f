"""Masking of personal data inside free text: what a handout, a projected slide or a masked
export may show of a summary that a clerk typed an ID or a phone number into."""

import pytest

from jingyuan_desktop.domain.privacy import mask_ids_in_text, mask_numbers_in_text, mask_people_in_text


@pytest.mark.parametrize("text, shown", [
    ("身份证370102199001011234", "身份证370102********1234"),
    ("证号37010219900101123X。", "证号370102********123X。"),
    ("旧证370102900101123", "旧证370102*****1123"),
    ("编号A370102199001011234", "编号A370102199001011234"),  # part of a longer code: left alone
    ("金额1234567", "金额1234567"),
])
def test_id_numbers_in_text(text, shown):
    assert mask_ids_in_text(text) == shown


def test_ids_are_masked_before_phones_and_names_last():
    text = "欧阳明辉（13912345678，370102199001011234）与路大海"
    assert mask_numbers_in_text(text) == "欧阳明辉（139****5678，370102********1234）与路大海"
    assert mask_people_in_text(text, ["欧阳明辉", "路大海"]) == "欧阳某（139****5678，370102********1234）与路某"

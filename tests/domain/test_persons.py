"""Matching persons across cases: phones, ID numbers and the merge and review rules. The ID
numbers are made up, with check characters computed by GB 11643."""

import pytest

from jingyuan_desktop.domain.persons import (
    Match,
    id_number_valid,
    match_citizen,
    normalize_id_number,
    normalize_phone,
    possible_duplicates,
)
from jingyuan_desktop.domain.prevention import Citizen

ID_A = "370303198001010012"
ID_B = "370303198506150029"
ID_C = "370303199009090031"
ID_X = "11010519491231002X"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("13812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("86 13812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("（0533）8123456", "05338123456"),
        ("86123456789", "86123456789"),  # 86 before 9 digits is no country code
        ("无", ""),
        ("", ""),
    ],
)
def test_normalize_phone(text, expected):
    assert normalize_phone(text) == expected


def test_normalize_id_number_strips_spaces_and_upper_cases_the_x():
    assert normalize_id_number(" 110105 19491231 002x ") == ID_X
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == ID_X  # typed full-width
    assert normalize_id_number("") == ""


@pytest.mark.parametrize(
    "text, valid",
    [
        (ID_A, True),
        (ID_B, True),
        (ID_X, True),
        ("11010519491231002x", True),  # a lower-case x is still the check character X
        ("370303198001010013", False),  # last digit off by one
        ("110105194912310021", False),  # a digit where X is due
        ("370303198001010X12", False),  # X only as the check character
        ("110105491231002", True),  # an old 15-digit number
        ("11010549123100", False),  # 14 digits
        ("3703031980010100121", False),  # 19 characters
        ("", False),
    ],
)
def test_id_number_check_character(text, valid):
    assert id_number_valid(text) is valid


CITIZENS = [
    Citizen("张三", id_number=ID_A, phone="13812345678", village="解营村", id=1),
    Citizen("张小三", phone="13812345678", village="解营村", id=2),  # his son, same phone
    Citizen("李四", id_number=ID_B, phone="13900001111", village="高南村", id=3),
    Citizen("王五", phone="13700002222", village="解营村", id=4),
]


def test_an_equal_id_number_is_the_same_person_whatever_the_name():
    match = match_citizen("张叁", "", " 370303 198001010012 ", CITIZENS)
    assert match == Match(1, "id_number", ())


def test_the_id_number_wins_and_phone_matches_of_others_are_for_review():
    match = match_citizen("张三", "+86 138 1234 5678", ID_A, CITIZENS)
    assert match == Match(1, "id_number", (2,))


def test_equal_phone_and_name_is_the_same_person():
    assert match_citizen("王 五", "137-0000-2222", "", CITIZENS) == Match(4, "phone", ())


def test_equal_phone_under_another_name_is_not_merged_but_reviewed():
    assert match_citizen("王六", "13700002222", "", CITIZENS) == Match(None, "", (4,))


def test_phone_and_name_merge_picks_the_namesake_and_reviews_the_other():
    assert match_citizen("张小三", "13812345678", "", CITIZENS) == Match(2, "phone", (1,))


def test_a_different_id_number_is_never_merged_by_phone():
    assert match_citizen("李四", "13900001111", ID_C, CITIZENS) == Match(None, "", (3,))


def test_a_new_id_number_may_merge_by_phone_with_a_record_that_has_none():
    assert match_citizen("王五", "13700002222", ID_C, CITIZENS) == Match(4, "phone", ())


def test_a_person_given_without_id_merges_by_phone_with_a_record_that_has_one():
    assert match_citizen("李四", "13900001111", "", CITIZENS) == Match(3, "phone", ())


def test_nothing_in_common_is_a_new_person():
    assert match_citizen("赵六", "13600003333", ID_C, CITIZENS) == Match(None, "", ())
    assert match_citizen("", "", "", CITIZENS) == Match(None, "", ())


def test_a_too_short_phone_matches_nobody():
    citizens = [Citizen("张三", phone="110", id=9)]
    assert match_citizen("张三", "110", "", citizens) == Match(None, "", ())


def test_two_records_with_one_id_number_give_the_lowest_and_review_the_other():
    citizens = [Citizen("张三", id_number=ID_A, id=12), Citizen("张三", id_number=ID_A.lower(), id=5)]
    assert match_citizen("张三", "", ID_A, citizens) == Match(5, "id_number", (12,))


def test_unsaved_records_are_not_matched():
    assert match_citizen("张三", "", ID_A, [Citizen("张三", id_number=ID_A)]) == Match(None, "", ())


def test_possible_duplicates_gives_each_pair_once_under_its_strongest_reason():
    citizens = [
        Citizen("张三", id_number=ID_A, phone="13812345678", village="解营村", id=7),
        Citizen("张三", id_number=ID_A, phone="+8613812345678", village="解营村", id=2),
        Citizen("王五", phone="13700002222", village="解营村", id=4),
        Citizen("王 五", village="解营村", id=9),
        Citizen("王五", village="高南村", id=11),  # a namesake elsewhere
        Citizen("赵六", phone="13600003333", id=5),
        Citizen("孙七", phone="136-0000-3333", id=1),
        Citizen("周八", id=20),
        Citizen("周八", id=21),  # no village: a name alone is too weak
    ]
    assert possible_duplicates(citizens) == [
        (1, 5, "电话相同"),
        (2, 7, "身份证号相同"),
        (4, 9, "姓名与村相同"),
    ]


def test_two_different_valid_id_numbers_are_two_people():
    citizens = [
        Citizen("王五", id_number=ID_A, phone="13700002222", village="解营村", id=1),
        Citizen("王五", id_number=ID_B, phone="13700002222", village="解营村", id=2),
        Citizen("王五", id_number="370303198001010013", village="解营村", id=3),  # mistyped: maybe him
    ]
    assert possible_duplicates(citizens) == [(1, 3, "姓名与村相同"), (2, 3, "姓名与村相同")]


def test_three_records_on_one_phone_give_three_pairs():
    citizens = [Citizen(name, phone="13812345678", id=i) for i, name in enumerate(("甲", "乙", "丙"), start=1)]
    assert possible_duplicates(citizens) == [(1, 2, "电话相同"), (1, 3, "电话相同"), (2, 3, "电话相同")]

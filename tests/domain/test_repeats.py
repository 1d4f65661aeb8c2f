from jingyuan_desktop.domain.repeats import find_repeat

from .conftest import build_case


def test_same_phone_within_ninety_days_links_the_latest_case():
    new = build_case("N", "2026-11-20 10:00", phone="+86 138-1234-5678", village="高南村")
    old = build_case("O1", "2026-08-22 10:00", phone="13812345678")  # exactly 90 days before
    newer = build_case("O2", "2026-10-01 10:00", phone="13812345678")
    found, reason = find_repeat(new, [old, newer])
    assert found.case_no == "O2" and "电话" in reason
    assert find_repeat(new, [old])[0].case_no == "O1"


def test_older_than_ninety_days_or_later_cases_do_not_count():
    new = build_case("N", "2026-11-20 10:00", phone="13812345678")
    too_old = build_case("O", "2026-08-22 09:59", phone="13812345678")
    later = build_case("L", "2026-11-21 10:00", phone="13812345678")
    assert find_repeat(new, [too_old, later]) is None


def test_same_place_must_be_in_the_same_village():
    new = build_case("N", "2026-11-20 10:00", location="3组 东头", village="解营村")
    same = build_case("S", "2026-11-01 10:00", location="3组，东头", village="解营村")
    other_village = build_case("V", "2026-11-01 10:00", location="3组东头", village="高南村")
    assert find_repeat(new, [other_village]) is None
    found, reason = find_repeat(new, [other_village, same])
    assert found.case_no == "S" and "地点" in reason


def test_empty_phone_and_place_never_match():
    new = build_case("N", "2026-11-20 10:00")
    assert find_repeat(new, [build_case("O", "2026-11-19 10:00")]) is None


def test_the_import_index_finds_exactly_the_cases_repeat_reason_names():
    from jingyuan_desktop.domain.repeats import RepeatIndex, repeat_reason

    earlier = [build_case(f"E{i}", "2026-11-01 10:00", village=village, phone=phone, location=place)
               for i, (village, phone, place) in enumerate([
                   ("解营村", "13912345678", "3组东头"), ("解营村", "", "3组，东头"), ("高南村", "", "3组东头"),
                   ("高南村", "139-1234-5678", ""), ("解营村", "13800000000", "5组"), ("解营村", "", "")])]
    index = RepeatIndex(earlier)
    for new in (build_case("N1", "2026-11-20 10:00", phone="13912345678", location="3组 东头"),
                build_case("N2", "2026-11-20 10:00", village="高南村", location="3组东头"),
                build_case("N3", "2026-11-20 10:00", location="")):
        expected = {c.case_no for c in earlier if repeat_reason(new, c)}
        assert {c.case_no for c in index.candidates(new)} == expected


def test_the_same_callers_id_number_under_a_new_phone_is_a_repeat():
    from jingyuan_desktop.domain.enums import PartyRole
    from jingyuan_desktop.domain.model import Party
    from jingyuan_desktop.domain.repeats import RepeatIndex

    new = build_case("N", "2026-11-20 10:00")
    old = build_case("O", "2026-11-01 10:00")
    stranger = build_case("S", "2026-11-02 10:00")
    new.parties = [Party("张三", "13900000001", PartyRole.CALLER, id_number="11010519491231002x")]
    old.parties = [Party("张三", "13800000002", PartyRole.CALLER, id_number="11010519491231002X")]
    stranger.parties = [Party("李四", "13700000003", PartyRole.CALLER, id_number="110105194912310037")]
    found, reason = find_repeat(new, [old, stranger])
    assert found.case_no == "O" and reason == "报警人身份证号相同"
    assert [c.case_no for c in RepeatIndex([old, stranger]).candidates(new)] == ["O"]
    old.parties[0].id_number = ""
    assert find_repeat(new, [old, stranger]) is None

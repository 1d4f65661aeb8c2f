"""The assessment reproduces a score worked out by hand, and refuses what cannot be scored."""

import pytest

from jingyuan_desktop.domain.assessment import Adjustment, AssessmentSettings, VillageFacts, score_villages
from jingyuan_desktop.domain.enums import DomainError

SETTINGS = AssessmentSettings(weight_timeliness=30, weight_resolution=40, weight_satisfaction=30,
                              overdue_points=0.5, shirked_points=2, deduction_cap=10)
TOWN = VillageFacts("全镇", 30, resolution_rate=0.8, satisfaction_rate=0.9, clocks_met=90, clocks_judged=100)


def test_a_hand_computed_example():
    a = VillageFacts("甲村", 10, resolution_rate=0.9, satisfaction_rate=0.75, clocks_met=45, clocks_judged=50,
                     overdue=3, shirked=1)
    # timeliness 45/50 = 0.9 -> 0.9*30 = 27; resolution 0.9*40 = 36; satisfaction 0.75*30 = 22.5
    # components 85.5; deduction 3*0.5 + 1*2 = 3.5; adjustment +2 (表彰) -> 84.0
    b = VillageFacts("乙村", 12, resolution_rate=1.0, satisfaction_rate=1.0, clocks_met=40, clocks_judged=40,
                     overdue=30, shirked=0)
    # components 30 + 40 + 30 = 100; deduction 30*0.5 = 15, capped at 10 -> 90.0
    c = VillageFacts("丙村", 0)
    # nothing of its own: the town's rates: 0.9*30 + 0.8*40 + 0.9*30 = 27 + 32 + 27 = 86.0
    rows = score_villages([a, b, c], TOWN, SETTINGS, [Adjustment("甲村", 2, "调解工作受县表彰")])
    assert [(r.rank, r.facts.village, r.components, r.deduction, r.adjustment, r.score) for r in rows] == [
        (1, "乙村", 100.0, 10.0, 0.0, 90.0),
        (2, "丙村", 86.0, 0.0, 0.0, 86.0),
        (3, "甲村", 85.5, 3.5, 2.0, 84.0),
    ]
    assert rows[1].substituted == ("及时率", "化解率", "满意率") and rows[0].substituted == ()


def test_equal_scores_rank_by_name_and_a_town_without_data_counts_zero_for_all():
    empty_town = VillageFacts("全镇")
    rows = score_villages([VillageFacts("乙村"), VillageFacts("甲村")], empty_town, SETTINGS)
    assert [(r.rank, r.facts.village, r.score) for r in rows] == [(1, "乙村", 0.0), (2, "甲村", 0.0)]
    assert rows == sorted(rows, key=lambda r: (-r.score, r.facts.village))


def test_all_dissatisfied_scores_nothing_for_satisfaction():
    v = VillageFacts("丁村", 5, resolution_rate=1.0, satisfaction_rate=0.0, clocks_met=10, clocks_judged=10)
    [row] = score_villages([v], TOWN, SETTINGS)
    assert row.satisfaction == 0.0 and row.score == 70.0


@pytest.mark.parametrize("settings, message", [
    (AssessmentSettings(weight_timeliness=30, weight_resolution=30, weight_satisfaction=30), "之和须为100（现为90）"),
    (AssessmentSettings(weight_timeliness=-10, weight_resolution=80, weight_satisfaction=30), "不能为负数"),
    (AssessmentSettings(deduction_cap=150), "扣分上限须在0到100之间"),
])
def test_settings_that_cannot_be_scored_are_refused(settings, message):
    with pytest.raises(DomainError, match=message):
        score_villages([], TOWN, settings)


@pytest.mark.parametrize("adjustment, message", [
    (Adjustment("甲村", 2, "  "), "须写明理由"),
    (Adjustment("甲村", 0, "无"), "不为0"),
    (Adjustment("", 2, "表彰"), "请选择"),
])
def test_an_adjustment_needs_a_village_points_and_a_reason(adjustment, message):
    with pytest.raises(DomainError, match=message):
        adjustment.check()


def test_settings_round_trip_and_reject_text():
    settings = AssessmentSettings(weight_timeliness=20, weight_resolution=50, weight_satisfaction=30)
    assert AssessmentSettings.from_dict(settings.to_dict()) == settings
    with pytest.raises(DomainError, match="不是数字"):
        AssessmentSettings.from_dict({"overdue_points": "半分"})

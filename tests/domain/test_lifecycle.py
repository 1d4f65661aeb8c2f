import pytest

from jingyuan_desktop.domain.enums import DomainError, EventType, Grade, Risk, Satisfaction, Source, Status
from jingyuan_desktop.domain.lifecycle import (
    allowed_events,
    append_event,
    check_timeline,
    classification_at,
    derive_status,
    escalation_suggested,
)
from jingyuan_desktop.domain.model import Event

from .conftest import build_case, t, visit

E = EventType


def ev(kind, at, **data):
    return Event(kind, t(at), data=data)


TEAM = {"handlers": ["甲", "乙"], "leader": "甲"}
DISPATCHED = (E.DISPATCHED, "2026-11-18 10:02")
RESOLVED = (E.RESOLVED, "2026-11-18 11:00")


def test_status_follows_the_timeline_from_intake_to_archive():
    case = build_case("C", "2026-11-18 10:00")
    steps = [
        (ev(E.DISPATCHED, "2026-11-18 10:02", handlers=["甲", "乙"], leader="甲"), Status.DISPATCHED),
        (ev(E.ARRIVED, "2026-11-18 10:12", present=["甲", "乙"]), Status.HANDLING),
        (ev(E.FOLLOW_UP_SCHEDULED, "2026-11-18 11:00", agreed_at=t("2026-11-19 09:00")), Status.FOLLOW_UP),
        (ev(E.PROGRESS, "2026-11-19 09:30"), Status.HANDLING),
        (ev(E.RESOLVED, "2026-11-19 10:00", outcome="agreement"), Status.RESOLVED),
        (ev(E.RETURN_VISIT, "2026-11-20 10:00", satisfaction=Satisfaction.SATISFIED), Status.VISITED),
        (ev(E.POLICE_FEEDBACK, "2026-11-20 11:00"), Status.FED_BACK),
        (ev(E.ARCHIVED, "2026-11-21 10:00", archive_no="DA-1"), Status.ARCHIVED),
    ]
    assert derive_status(case) == Status.AWAITING_DISPATCH
    for event, status in steps:
        append_event(case, event)
        assert derive_status(case) == status
    assert derive_status(case, t("2026-11-18 10:05")) == Status.DISPATCHED  # as it stood then
    with pytest.raises(DomainError, match="已归档"):
        append_event(case, ev(E.PROGRESS, "2026-11-22 10:00"))


@pytest.mark.parametrize(
    "handlers, leader, message",
    [(["甲"], "甲", "至少安排2名"), (["甲", "甲"], "甲", "至少安排2名"), (["甲", "乙"], "", "带队负责人"),
     (["甲", "乙"], "丙", "处置人员之一")],
)
def test_dispatch_needs_two_people_led_by_one_of_them(handlers, leader, message):
    case = build_case("C", "2026-11-18 10:00")
    with pytest.raises(DomainError, match=message):
        append_event(case, ev(E.DISPATCHED, "2026-11-18 10:02", handlers=handlers, leader=leader))


@pytest.mark.parametrize(
    "steps, event, message",
    [
        ([], ev(E.ARRIVED, "2026-11-18 10:10"), "尚未交办"),
        ([], ev(E.RETURN_VISIT, "2026-11-18 10:10", satisfaction=Satisfaction.SATISFIED), "尚未化解"),
        ([DISPATCHED], ev(E.DISPATCHED, "2026-11-18 10:03", **TEAM), "已交办"),
        ([DISPATCHED], ev(E.ARRIVED, "2026-11-18 10:01"), "早于上一条"),
        ([], ev(E.DISPATCHED, "2026-11-18 09:59", **TEAM), "早于案件接收"),
        ([DISPATCHED, RESOLVED], ev(E.PROGRESS, "2026-11-18 12:00"), "已办结"),
        ([DISPATCHED, RESOLVED], ev(E.CANCELLED, "2026-11-18 12:00", reason="x"), "不能撤销"),
        ([DISPATCHED, RESOLVED], ev(E.POLICE_FEEDBACK, "2026-11-18 12:00"), "先完成回访"),
        ([DISPATCHED, RESOLVED, visit("2026-11-18 12:00", Satisfaction.UNABLE)],
         ev(E.ARCHIVED, "2026-11-18 13:00", archive_no="DA"), "先反馈派出所"),
        ([(E.CANCELLED, "2026-11-18 10:02", {"reason": "entered_in_error"})],
         ev(E.DISPATCHED, "2026-11-18 10:03", **TEAM), "已撤销"),
        ([], ev(E.SUPERVISED, "2026-11-18 10:03"), "包案领导"),
        ([DISPATCHED], ev(E.FOLLOW_UP_SCHEDULED, "2026-11-18 11:00", agreed_at=t("2026-11-18 10:00")),
         "约定时间不能早于"),
        ([DISPATCHED], ev(E.RESOLVED, "2026-11-18 11:00"), "化解方式"),
        ([DISPATCHED, (E.ESCALATED, "2026-11-18 11:00")], ev(E.ESCALATED, "2026-11-18 12:00"), "已是疑难"),
    ],
)
def test_events_out_of_turn_are_refused_in_chinese(steps, event, message):
    case = build_case("C", "2026-11-18 10:00", steps=steps)
    with pytest.raises(DomainError, match=message):
        append_event(case, event)
    assert event not in case.events


def test_unclassified_transfer_must_be_classified_before_dispatch():
    case = build_case("C", "2026-11-18 10:00", category="未分类")
    dispatch = ev(E.DISPATCHED, "2026-11-18 10:02", handlers=["甲", "乙"], leader="甲")
    with pytest.raises(DomainError, match="尚未分类"):
        append_event(case, dispatch)
    with pytest.raises(DomainError, match="风险颜色"):
        append_event(case, ev(E.CLASSIFIED, "2026-11-18 10:01", category="邻里纠纷"))
    append_event(case, ev(E.CLASSIFIED, "2026-11-18 10:01", category="邻里纠纷", risk=Risk.YELLOW))
    append_event(case, dispatch)
    assert derive_status(case) == Status.DISPATCHED


def test_walk_in_case_archives_without_police_feedback():
    case = build_case("C", "2026-11-18 10:00", source=Source.WALK_IN,
                      steps=[DISPATCHED, RESOLVED, visit("2026-11-18 12:00", Satisfaction.SATISFIED)])
    append_event(case, ev(E.ARCHIVED, "2026-11-18 13:00", archive_no="DA-2"))
    assert derive_status(case) == Status.ARCHIVED


def test_red_case_wants_its_leader_first_when_asked_to():
    case = build_case("C", "2026-11-18 10:00", risk=Risk.RED)
    dispatch = ev(E.DISPATCHED, "2026-11-18 10:02", handlers=["甲", "乙"], leader="甲")
    with pytest.raises(DomainError, match="包案领导"):
        append_event(case, dispatch, require_leader_for_red=True)
    assert allowed_events(case, t("2026-11-18 10:02")) == [E.CLASSIFIED, E.CANCELLED, E.LEADER_ASSIGNED,
                                                             E.RETURNED_TO_POLICE]
    append_event(case, ev(E.LEADER_ASSIGNED, "2026-11-18 10:02", leader="镇领导"), require_leader_for_red=True)
    append_event(case, dispatch, require_leader_for_red=True)
    assert E.ARRIVED in allowed_events(case, t("2026-11-18 10:05"))
    assert E.RETURN_VISIT not in allowed_events(case, t("2026-11-18 10:05"))


def test_three_failed_mediations_suggest_escalation_until_escalated():
    steps = [(E.DISPATCHED, "2026-11-18 10:02")] + [(E.MEDIATION_FAILED, f"2026-11-1{8 + i} 15:00") for i in range(2)]
    case = build_case("C", "2026-11-18 10:00", grade=Grade.GENERAL, steps=steps)
    assert not escalation_suggested(case)
    append_event(case, ev(E.MEDIATION_FAILED, "2026-11-20 15:00"))
    assert escalation_suggested(case)
    append_event(case, ev(E.ESCALATED, "2026-11-20 16:00"))
    assert classification_at(case).grade == Grade.DIFFICULT
    assert derive_status(case) == Status.ESCALATED
    assert not escalation_suggested(case)


def test_classification_changes_apply_in_order():
    case = build_case("C", "2026-11-18 10:00", steps=[
        (E.CLASSIFIED, "2026-11-18 10:01", {"category": "婚姻家庭", "risk": Risk.YELLOW}),
        (E.CLASSIFIED, "2026-11-18 10:02", {"grade": Grade.SIMPLE, "criminal_risk": True}),
    ])
    now = classification_at(case)
    assert (now.category, now.grade, now.risk, now.criminal_risk) == ("婚姻家庭", Grade.SIMPLE, Risk.YELLOW, True)
    assert classification_at(case, t("2026-11-18 10:01")).grade == Grade.GENERAL


def test_check_timeline_names_the_bad_entry():
    case = build_case("C", "2026-11-18 10:00", steps=[
        DISPATCHED, (E.RETURN_VISIT, "2026-11-18 10:03", {"satisfaction": Satisfaction.SATISFIED})])
    with pytest.raises(DomainError, match="第2条记录：案件尚未化解"):
        check_timeline(case)


def test_what_blocks_a_dispatch_is_said_before_anyone_is_chosen():
    from jingyuan_desktop.domain.lifecycle import event_blocker

    red = build_case("R", "2026-11-18 10:00", risk=Risk.RED)
    assert event_blocker(red, E.DISPATCHED, require_leader_for_red=True) == "红色风险案件须先指定包案领导"
    assert event_blocker(red, E.DISPATCHED, require_leader_for_red=False) is None
    append_event(red, ev(E.LEADER_ASSIGNED, "2026-11-18 10:01", leader="镇长"), require_leader_for_red=True)
    assert event_blocker(red, E.DISPATCHED, require_leader_for_red=True) is None
    append_event(red, ev(*DISPATCHED, **TEAM), require_leader_for_red=True)
    assert event_blocker(red, E.DISPATCHED) == "该案件已交办"


@pytest.mark.parametrize("handlers, leader, expected", [
    (["甲"], "甲", "交办须至少安排2名处置人员（已选1名）"),
    (["甲", "甲", ""], "甲", "交办须至少安排2名处置人员（已选1名）"),
    (["甲", "乙"], "", "交办须指定带队负责人（一般为村（社区）书记）"),
    (["甲", "乙"], "丙", "带队负责人须是处置人员之一"),
    (["甲", "乙"], "乙", None),
])
def test_the_team_rule_is_one_function_for_the_pane_and_the_record(handlers, leader, expected):
    from jingyuan_desktop.domain.lifecycle import MIN_HANDLERS, dispatch_team_problem

    assert MIN_HANDLERS == 2  # seed 000: at least two people on site
    assert dispatch_team_problem(handlers, leader) == expected
    if expected:
        case = build_case("C", "2026-11-18 10:00")
        with pytest.raises(DomainError, match=expected.split("（")[0]):
            append_event(case, ev(*DISPATCHED, handlers=handlers, leader=leader))


def test_a_meeting_decision_is_never_offered_as_a_button():
    case = build_case("C", "2026-11-18 10:00")
    append_event(case, ev(*DISPATCHED, **TEAM))
    assert E.MEETING_DECISION not in allowed_events(case, t("2026-11-18 10:05"))
    assert allowed_events(case, t("2026-11-18 10:01")) == []  # a moment before the last record


def test_arrival_is_recorded_once_later_visits_are_progress():
    from jingyuan_desktop.domain.lifecycle import event_blocker

    case = build_case("C", "2026-11-18 10:00")
    append_event(case, ev(*DISPATCHED, **TEAM))
    assert E.ARRIVED in allowed_events(case, t("2026-11-18 10:10"))
    append_event(case, ev(E.ARRIVED, "2026-11-18 10:12", present=["甲", "乙"]))
    assert E.ARRIVED not in allowed_events(case, t("2026-11-18 10:20"))
    assert E.PROGRESS in allowed_events(case, t("2026-11-18 10:20"))
    assert event_blocker(case, E.ARRIVED) == "已记录到场；此后的上门处置请记为“进展”"
    with pytest.raises(DomainError, match="已记录到场"):
        append_event(case, ev(E.ARRIVED, "2026-11-18 10:30"))

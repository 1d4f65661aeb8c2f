"""Cases that leave the happy path (issue 10): endings, owners, colours, second handling,
rolling return visits. Each rule at its edges on hand-built cases and the real 2026 calendar.

2026 facts used: 1-7 October is the National Day holiday and Saturday 10 October a make-up
working day; 28-29 November are a Saturday and a Sunday.
"""

from datetime import date

import pytest

from jingyuan_desktop.domain.calendar import WorkCalendar
from jingyuan_desktop.domain.clocks import ClockSettings, add_months, case_clocks
from jingyuan_desktop.domain.enums import (
    OFFICE,
    ClockName,
    ClockState,
    DomainError,
    EventType,
    Grade,
    PersonRole,
    Risk,
    Satisfaction,
    Status,
)
from jingyuan_desktop.domain.lifecycle import (
    allowed_events,
    append_event,
    check_timeline,
    current_risk,
    derive_status,
    event_blocker,
    second_handling_team_problem,
)
from jingyuan_desktop.domain.model import Event
from jingyuan_desktop.domain.repeats import find_link
from jingyuan_desktop.domain.statistics import compute_stats

from .conftest import build_case, t

E = EventType
CAL = WorkCalendar()
TEAM = {"handlers": ["甲", "乙"], "leader": "甲"}


def ev(kind, at, **data):
    return Event(kind, t(at), data=data)


def clocks_of(case, now, name=None, settings=ClockSettings()):
    return [c for c in case_clocks(case, t(now), CAL, settings) if name is None or c.name == name]


# ---- endings and the police feedback ------------------------------------------------------------
def test_returned_to_police_ends_the_handling_and_owes_feedback_by_17_00_of_the_next_working_day():
    # Friday 27 November 16:00: handed back; Monday 30 November 17:00 is the next working day's end.
    case = build_case("C", "2026-11-27 10:00", steps=[(E.DISPATCHED, "2026-11-27 10:02"),
                                                      (E.ARRIVED, "2026-11-27 10:10")])
    append_event(case, ev(E.RETURNED_TO_POLICE, "2026-11-27 16:00", reason="互殴致伤，需治安处罚"))
    assert derive_status(case) == Status.RETURNED
    assert not derive_status(case).is_open
    [feedback] = clocks_of(case, "2026-11-30 17:00", ClockName.POLICE_FEEDBACK)
    assert (feedback.due_at, feedback.state, feedback.owner) == (t("2026-11-30 17:00"), ClockState.PENDING, OFFICE)
    [late] = clocks_of(case, "2026-11-30 17:00:01", ClockName.POLICE_FEEDBACK)
    assert late.state == ClockState.OVERDUE
    # Only the feedback and the archive may follow.
    assert allowed_events(case, t("2026-11-27 16:30")) == [E.POLICE_FEEDBACK]
    with pytest.raises(DomainError, match="只能反馈派出所和归档"):
        append_event(case, ev(E.PROGRESS, "2026-11-27 16:30"))
    with pytest.raises(DomainError, match="先反馈派出所"):
        append_event(case, ev(E.ARCHIVED, "2026-11-27 16:40", archive_no="DA-1"))
    append_event(case, ev(E.POLICE_FEEDBACK, "2026-11-30 09:00"))
    append_event(case, ev(E.ARCHIVED, "2026-11-30 10:00", archive_no="DA-1"))
    assert derive_status(case) == Status.ARCHIVED
    # No progress clock is owed after the day it ended.
    assert [c.due_at for c in clocks_of(case, "2026-12-02 18:00", ClockName.PROGRESS)] == []


def test_a_return_to_the_police_needs_a_reason():
    case = build_case("C", "2026-11-27 10:00")
    with pytest.raises(DomainError, match="理由"):
        append_event(case, ev(E.RETURNED_TO_POLICE, "2026-11-27 10:01", reason=" "))


@pytest.mark.parametrize("reason, status, feedback, archivable", [
    ("not_our_remit", Status.DECLINED, True, True),
    ("duplicate", Status.CANCELLED, False, False),
    ("entered_in_error", Status.CANCELLED, False, False),
])
def test_cancellation_reasons(reason, status, feedback, archivable):
    # Saturday 10 October 2026 is a make-up working day: the feedback is due at its 17:00.
    case = build_case("C", "2026-10-09 16:00", steps=[(E.DISPATCHED, "2026-10-09 16:02")])
    append_event(case, ev(E.CANCELLED, "2026-10-09 16:30", reason=reason))
    assert derive_status(case) == status
    owed = clocks_of(case, "2026-10-10 12:00", ClockName.POLICE_FEEDBACK)
    assert [c.due_at for c in owed] == ([t("2026-10-10 17:00")] if feedback else [])
    blocker = event_blocker(case, E.POLICE_FEEDBACK)
    assert (blocker is None) == feedback
    if feedback:
        append_event(case, ev(E.POLICE_FEEDBACK, "2026-10-10 09:00"))
    assert (event_blocker(case, E.ARCHIVED) is None) == archivable


def test_a_cancellation_needs_one_of_the_three_reasons():
    case = build_case("C", "2026-10-09 16:00")
    with pytest.raises(DomainError, match="重复录入、误录或非职责范围"):
        append_event(case, ev(E.CANCELLED, "2026-10-09 16:30", reason="不想办了"))


def test_a_walk_in_handed_to_the_police_archives_without_feedback():
    from jingyuan_desktop.domain.enums import Source

    case = build_case("C", "2026-11-27 10:00", source=Source.WALK_IN)
    append_event(case, ev(E.RETURNED_TO_POLICE, "2026-11-27 10:30", reason="涉嫌违法"))
    assert clocks_of(case, "2026-11-30 18:00", ClockName.POLICE_FEEDBACK) == []
    append_event(case, ev(E.ARCHIVED, "2026-11-27 11:00", archive_no="DA-2"))


@pytest.mark.parametrize("outcome", ["on_site", "agreement", "explained", "self_settled"])
def test_every_outcome_counts_as_resolved_and_only_on_site_as_on_site(outcome):
    case = build_case("C", "2026-11-02 10:00", steps=[(E.DISPATCHED, "2026-11-02 10:02"),
                                                      (E.RESOLVED, "2026-11-02 11:00", {"outcome": outcome})])
    [row] = compute_stats([case], now=t("2026-11-30 12:00"))
    assert (row.resolved, row.resolution_rate, row.on_site_rate) == (1, 1.0, 1.0 if outcome == "on_site" else 0.0)


def test_returned_and_not_our_remit_count_as_received_not_resolved_and_void_ones_not_at_all():
    cases = [
        build_case("A", "2026-11-02 10:00", steps=[(E.RETURNED_TO_POLICE, "2026-11-02 10:30", {"reason": "殴打"})]),
        build_case("B", "2026-11-03 10:00", steps=[(E.CANCELLED, "2026-11-03 10:30", {"reason": "not_our_remit"})]),
        build_case("C", "2026-11-04 10:00", steps=[(E.CANCELLED, "2026-11-04 10:30", {"reason": "duplicate"})]),
        build_case("D", "2026-11-05 10:00", steps=[(E.DISPATCHED, "2026-11-05 10:02"),
                                                   (E.RESOLVED, "2026-11-05 11:00")]),
    ]
    [row] = compute_stats(cases, now=t("2026-11-30 12:00"))
    assert (row.received, row.resolved, row.resolution_rate) == (3, 1, pytest.approx(1 / 3))


# ---- owners -----------------------------------------------------------------------------------
def test_each_clock_has_its_owner_and_the_office_takes_progress_after_escalation():
    case = build_case("C", "2026-11-16 10:00", village="高南村", steps=[
        (E.DISPATCHED, "2026-11-16 10:02"), (E.ARRIVED, "2026-11-16 10:10"), (E.PROGRESS, "2026-11-16 16:00"),
        (E.PROGRESS, "2026-11-17 11:00"), (E.ESCALATED, "2026-11-17 15:00"), (E.PROGRESS, "2026-11-18 10:00")])
    owners = {(c.name, c.seq): c.owner for c in clocks_of(case, "2026-11-19 18:00")}
    assert owners[(ClockName.DISPATCH, 1)] == OFFICE
    assert owners[(ClockName.ARRIVE, 1)] == owners[(ClockName.RESULT, 1)] == "高南村"
    # Progress of the 17th (before the escalation at 15:00) is the village's; from the 18th the office's.
    assert owners[(ClockName.PROGRESS, 1)] == "高南村"
    assert owners[(ClockName.PROGRESS, 2)] == owners[(ClockName.PROGRESS, 3)] == OFFICE


def test_no_progress_clock_while_the_court_has_the_case_and_the_clock_resumes_when_it_is_given_back():
    case = build_case("C", "2026-11-16 10:00", steps=[
        (E.DISPATCHED, "2026-11-16 10:02"), (E.ARRIVED, "2026-11-16 10:10"),
        (E.REFERRED_TO_COURT, "2026-11-16 18:00", {"court": "智慧法庭"})])
    assert clocks_of(case, "2026-11-25 18:00", ClockName.PROGRESS) == []
    assert derive_status(case) == Status.REFERRED
    with pytest.raises(DomainError, match="已移送法庭"):
        append_event(case, ev(E.REFERRED_TO_COURT, "2026-11-20 09:00"))
    append_event(case, ev(E.COURT_OUTCOME, "2026-11-25 09:00", result="returned"))
    assert derive_status(case) == Status.HANDLING
    # The 25th was partly with the court: no clock; Thursday the 26th has one again.
    progress = clocks_of(case, "2026-11-26 18:00", ClockName.PROGRESS)
    assert [c.due_at for c in progress] == [t("2026-11-26 17:00")]


@pytest.mark.parametrize("result, status", [("mediated", Status.RESOLVED), ("judged", Status.RESOLVED),
                                            ("withdrawn", Status.RESOLVED), ("returned", Status.HANDLING)])
def test_a_court_outcome_resolves_the_case_or_gives_it_back(result, status):
    case = build_case("C", "2026-11-16 10:00", steps=[
        (E.DISPATCHED, "2026-11-16 10:02"), (E.ARRIVED, "2026-11-16 10:10"),
        (E.REFERRED_TO_COURT, "2026-11-16 18:00", {"court": "智慧法庭"}),
        (E.COURT_OUTCOME, "2026-11-20 10:00", {"result": result})])
    check_timeline(case)
    assert derive_status(case) == status
    visits = clocks_of(case, "2026-11-20 12:00", ClockName.RETURN_VISIT)
    assert len(visits) == (0 if result == "returned" else 1)


def test_a_refused_dispatch_is_dispatched_again_by_the_office_and_the_first_team_owes_nothing_more():
    case = build_case("C", "2026-11-18 10:00", village="高南村", steps=[(E.DISPATCHED, "2026-11-18 10:02")])
    with pytest.raises(DomainError, match="该案件已交办"):
        append_event(case, ev(E.DISPATCHED, "2026-11-18 10:05", **TEAM))
    append_event(case, ev(E.DISPATCH_REFUSED, "2026-11-18 10:20"))
    assert derive_status(case) == Status.AWAITING_DISPATCH
    with pytest.raises(DomainError, match="重新交办"):
        append_event(case, ev(E.PROGRESS, "2026-11-18 10:25"))
    dispatch_clocks = clocks_of(case, "2026-11-18 10:24", ClockName.DISPATCH)
    assert [(c.seq, c.due_at, c.owner) for c in dispatch_clocks] == [
        (1, t("2026-11-18 10:05"), OFFICE), (2, t("2026-11-18 10:25"), OFFICE)]
    assert clocks_of(case, "2026-11-18 10:24", ClockName.ARRIVE) == []  # the refused round's clock is gone
    append_event(case, ev(E.DISPATCHED, "2026-11-18 10:24", **TEAM))
    [arrive] = clocks_of(case, "2026-11-18 10:30", ClockName.ARRIVE)
    assert (arrive.seq, arrive.due_at, arrive.owner) == (2, t("2026-11-18 10:39"), "高南村")


def test_a_refusal_only_before_arrival():
    case = build_case("C", "2026-11-18 10:00", steps=[(E.DISPATCHED, "2026-11-18 10:02"),
                                                      (E.ARRIVED, "2026-11-18 10:10")])
    assert "已到场" in event_blocker(case, E.DISPATCH_REFUSED)


# ---- two people on site -----------------------------------------------------------------------
@pytest.mark.parametrize("present, ok", [(["甲"], False), (["甲", "甲"], False), (["甲", " "], False),
                                         (["甲", "乙"], True)])
def test_arrival_needs_two_people_named(present, ok):
    case = build_case("C", "2026-11-18 10:00", steps=[(E.DISPATCHED, "2026-11-18 10:02")])
    event = ev(E.ARRIVED, "2026-11-18 10:10", present=present)
    if ok:
        append_event(case, event)
    else:
        with pytest.raises(DomainError, match="到场须至少2人"):
            append_event(case, event)


# ---- colours (seed 003) ----------------------------------------------------------------------------
def test_colour_is_none_until_classified_and_blue_once_resolved():
    case = build_case("C", "2026-11-18 10:00", category="未分类")
    assert current_risk(case) is None
    append_event(case, ev(E.CLASSIFIED, "2026-11-18 10:01", category="邻里纠纷", risk=Risk.RED))
    assert current_risk(case) == Risk.RED
    for step in (ev(E.LEADER_ASSIGNED, "2026-11-18 10:02", leader="王镇长"),
                 ev(E.DISPATCHED, "2026-11-18 10:03", **TEAM), ev(E.RESOLVED, "2026-11-18 11:00", outcome="explained")):
        append_event(case, step)
    assert current_risk(case) == Risk.BLUE
    assert current_risk(case, t("2026-11-18 10:59")) == Risk.RED


def test_the_criminal_flag_needs_a_leader_like_red():
    case = build_case("C", "2026-11-18 10:00", risk=Risk.YELLOW, criminal_risk=True)
    assert "民转刑" in event_blocker(case, E.DISPATCHED, require_leader_for_red=True)
    [leader] = clocks_of(case, "2026-11-18 12:00", ClockName.LEADER)
    assert (leader.due_at, leader.owner) == (t("2026-11-19 00:00"), OFFICE)
    flagged_later = build_case("D", "2026-11-18 10:00", risk=Risk.BLUE,
                               steps=[(E.CLASSIFIED, "2026-11-19 09:00", {"criminal_risk": True})])
    [leader] = clocks_of(flagged_later, "2026-11-19 12:00", ClockName.LEADER)
    assert leader.due_at == t("2026-11-20 00:00")


def test_a_relapse_within_the_watch_is_linked_and_raised_to_the_old_colour():
    old = build_case("OLD", "2026-06-01 10:00", risk=Risk.RED, phone="13912345678", steps=[
        (E.LEADER_ASSIGNED, "2026-06-01 10:01", {"leader": "王镇长"}), (E.DISPATCHED, "2026-06-01 10:02"),
        (E.RESOLVED, "2026-09-01 10:00")])
    new = build_case("NEW", "2026-11-30 10:00", risk=Risk.BLUE, phone="13912345678")
    link = find_link(new, [old], repeat_window_days=90, relapse_watch_days=90)
    # Resolved 90 days before, to the minute: still watched; received 182 days before: no plain repeat.
    assert link is not None and link.relapse and link.floor == Risk.RED
    assert link.raised(Risk.BLUE) == Risk.RED and link.raised(None) == Risk.RED
    assert find_link(new, [old], repeat_window_days=90, relapse_watch_days=89) is None


# ---- second handling (二次处置) ------------------------------------------------------------------
def test_a_repeat_needs_the_offices_analysis_before_its_dispatch():
    case = build_case("C", "2026-11-18 10:00", repeat_of="FZ-2026-00001")
    assert "研判" in event_blocker(case, E.DISPATCHED)
    assert E.ANALYSIS in allowed_events(case, t("2026-11-18 10:01"))
    with pytest.raises(DomainError, match="研判须写明"):
        append_event(case, ev(E.ANALYSIS, "2026-11-18 10:01", plan=""))
    append_event(case, ev(E.ANALYSIS, "2026-11-18 10:01", plan="请社区民警参与"))
    assert event_blocker(case, E.DISPATCHED) is None
    assert E.ANALYSIS not in allowed_events(case, t("2026-11-18 10:02"))


def test_a_failed_difficult_case_is_analysed_and_sent_again():
    case = build_case("C", "2026-11-18 10:00", grade=Grade.DIFFICULT, steps=[
        (E.DISPATCHED, "2026-11-18 10:02"), (E.ARRIVED, "2026-11-18 10:10")])
    assert event_blocker(case, E.ANALYSIS) is not None  # nothing failed yet
    append_event(case, ev(E.MEDIATION_FAILED, "2026-11-18 12:00"))
    assert "调解未成的疑难案件须先由治理办研判" in event_blocker(case, E.DISPATCHED)
    append_event(case, ev(E.ANALYSIS, "2026-11-18 14:00", plan="联合派出所二次处置"))
    append_event(case, ev(E.DISPATCHED, "2026-11-18 14:10", handlers=["甲", "乙", "警官"], leader="甲"))
    # A new round: its own arrival.
    assert E.ARRIVED in allowed_events(case, t("2026-11-18 14:11"))


def test_a_second_handling_team_needs_an_officer_or_office_staff():
    roles = {"甲": PersonRole.SECRETARY, "乙": PersonRole.MEDIATOR, "警官": PersonRole.OFFICER,
             "小王": PersonRole.OFFICE_STAFF, "辅警": PersonRole.POLICE_ASSISTANT}
    assert second_handling_team_problem(["甲", "乙"], roles) is not None
    assert second_handling_team_problem(["甲", "辅警"], roles) is not None
    assert second_handling_team_problem(["甲", "警官"], roles) is None
    assert second_handling_team_problem(["甲", "小王"], roles) is None


# ---- rolling return visits ------------------------------------------------------------------------
@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)), (date(2026, 11, 15), 2, date(2027, 1, 15))])
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def _resolved_hard_case():
    # A 疑难 case resolved on Monday 31 August 2026.
    return build_case("C", "2026-08-24 10:00", grade=Grade.DIFFICULT, steps=[
        (E.DISPATCHED, "2026-08-24 10:02"), (E.RESOLVED, "2026-08-31 10:00", {"outcome": "agreement"}),
        (E.RETURN_VISIT, "2026-09-01 10:00", {"satisfaction": Satisfaction.SATISFIED})])


def test_rolling_visits_fall_on_the_same_day_of_the_month_or_the_next_working_day():
    case = _resolved_hard_case()
    [first] = clocks_of(case, "2026-09-02 12:00", ClockName.FOLLOW_VISIT)
    # 30 September (no 31st) is a Wednesday and a working day.
    assert (first.seq, first.due_at, first.owner, first.state) == (1, t("2026-09-30 17:00"), OFFICE,
                                                                   ClockState.PENDING)
    append_event(case, ev(E.RETURN_VISIT, "2026-09-30 16:00", agreement_kept=True))
    [done, second] = clocks_of(case, "2026-10-01 12:00", ClockName.FOLLOW_VISIT)
    # 31 October 2026 is a Saturday: the next working day, Monday 2 November.
    assert done.state == ClockState.MET and second.due_at == t("2026-11-02 17:00")
    with pytest.raises(DomainError, match="是否履行"):
        append_event(case, ev(E.RETURN_VISIT, "2026-11-02 10:00", satisfaction=Satisfaction.SATISFIED))


def test_six_monthly_visits_then_no_more_and_none_for_a_simple_case():
    case = _resolved_hard_case()
    for month in (9, 10, 11, 12):
        append_event(case, ev(E.RETURN_VISIT, f"2026-{month:02d}-28 10:00", agreement_kept=True))
    for month in (1, 2):
        append_event(case, ev(E.RETURN_VISIT, f"2027-{month:02d}-26 10:00", agreement_kept=month == 1))
    visits = clocks_of(case, "2027-06-01 12:00", ClockName.FOLLOW_VISIT)
    assert [c.seq for c in visits] == [1, 2, 3, 4, 5, 6] and all(c.done_at for c in visits)
    none = clocks_of(case, "2027-06-01 12:00", ClockName.FOLLOW_VISIT, ClockSettings(follow_visit_months=0))
    assert none == []
    simple = build_case("S", "2026-08-24 10:00", steps=[(E.DISPATCHED, "2026-08-24 10:02"),
                                                        (E.RESOLVED, "2026-08-31 10:00")])
    assert clocks_of(simple, "2026-12-01 12:00", ClockName.FOLLOW_VISIT) == []


def test_rolling_visits_go_on_after_the_archive():
    case = _resolved_hard_case()
    append_event(case, ev(E.POLICE_FEEDBACK, "2026-09-01 11:00"))
    append_event(case, ev(E.ARCHIVED, "2026-09-02 10:00", archive_no="DA-9"))
    assert [c.name for c in clocks_of(case, "2026-09-10 12:00") if c.is_open] == [ClockName.FOLLOW_VISIT]
    assert allowed_events(case, t("2026-09-10 12:00")) == [E.RETURN_VISIT]
    append_event(case, ev(E.RETURN_VISIT, "2026-09-29 10:00", agreement_kept=False))

"""The weekly meeting's agenda holds exactly the cases it should, read as of the week's end."""

import pytest

from jingyuan_desktop.domain.calendar import WorkCalendar
from jingyuan_desktop.domain.enums import DomainError, EventType, Grade, Risk, Status
from jingyuan_desktop.domain.meeting import build_agenda_from, week_bounds, week_days
from jingyuan_desktop.domain.statistics import compute_stats
from tests.domain.conftest import build_case, t

E = EventType
CAL = WorkCalendar()
WEEK = "2026-W47"  # Monday 16 November to Sunday 22 November 2026
D = {"handlers": ["甲", "乙"], "leader": "李书记"}


def cases():
    return [
        # Received on Monday 00:00 sharp, resolved the same day: a transfer of the week, closed.
        build_case("A", "2026-11-16 00:00", steps=[(E.DISPATCHED, "2026-11-16 08:40", D),
                                                  (E.ARRIVED, "2026-11-16 08:50"),
                                                  (E.RESOLVED, "2026-11-16 10:00")]),
        # Sunday 23:59: still this week; nothing done yet, so its dispatch clock runs.
        build_case("B", "2026-11-22 23:59", village="高南村"),
        # Monday 00:00 of the next week: not on this agenda at all.
        build_case("C", "2026-11-23 00:00", grade=Grade.DIFFICULT),
        # An older difficult case still open, with the meeting's earlier decision on it.
        build_case("D", "2026-10-05 09:00", grade=Grade.DIFFICULT,
                   steps=[(E.DISPATCHED, "2026-10-05 09:03", D), (E.ARRIVED, "2026-10-05 09:15"),
                          (E.MEETING_DECISION, "2026-11-09 15:00",
                           {"meeting": "2026-W46", "owner": "王主任", "plan": "请司法所联合调解",
                            "due_date": "2026-11-30"}),
                          (E.JOINT_HANDLING, "2026-11-12 10:00", {"departments": ["司法所"], "experts": []})]),
        # A general case made difficult by a classification, then resolved after the week ended:
        # at the week's end it was still open and difficult.
        build_case("E", "2026-09-01 10:00",
                   steps=[(E.DISPATCHED, "2026-09-01 10:04", D), (E.ARRIVED, "2026-09-01 10:15"),
                          (E.CLASSIFIED, "2026-09-02 09:00", {"grade": Grade.DIFFICULT}),
                          (E.RESOLVED, "2026-11-25 10:00")]),
        # A red case with its leader, received in the week.
        build_case("F", "2026-11-18 14:00", risk=Risk.RED, village="高南村",
                   steps=[(E.LEADER_ASSIGNED, "2026-11-18 15:00", {"leader": "赵镇长"}),
                          (E.DISPATCHED, "2026-11-18 15:02", D)]),
        # Cancelled in the week: listed among the transfers with its state, nowhere else.
        build_case("G", "2026-11-17 09:00", grade=Grade.DIFFICULT,
                   steps=[(E.CANCELLED, "2026-11-17 09:30", {"reason": "duplicate"})]),
        # Referred to the court: waiting on a higher body.
        build_case("H", "2026-11-02 09:00",
                   steps=[(E.DISPATCHED, "2026-11-02 09:04", D), (E.ARRIVED, "2026-11-02 09:10"),
                          (E.REFERRED_TO_COURT, "2026-11-03 10:00", {"court": "智慧法庭"})]),
    ]


def build(now):
    monday, sunday = week_days(WEEK)
    stats = compute_stats(cases(), now=now, start=monday, end=sunday)[0]
    return build_agenda_from(WEEK, cases(), now=now, calendar=CAL, stats=stats)


@pytest.fixture
def agenda():
    return build(t("2026-11-26 10:00"))


def numbers(items):
    return [i.case_no for i in items]


def test_week_edges():
    assert week_days(WEEK) == (t("2026-11-16 00:00").date(), t("2026-11-22 00:00").date())
    assert week_bounds(WEEK) == (t("2026-11-16 00:00"), t("2026-11-23 00:00"))
    with pytest.raises(DomainError, match="2026-W47 这样的写法"):
        week_days("2026-47")
    with pytest.raises(DomainError, match="不存在"):
        week_days("2026-W54")


def test_the_week_s_transfers_include_both_edges_and_cancelled_ones(agenda):
    assert numbers(agenda.transfers) == ["A", "G", "F", "B"]
    states = {i.case_no: i.status for i in agenda.transfers}
    assert states == {"A": Status.RESOLVED, "G": Status.CANCELLED, "F": Status.DISPATCHED,
                      "B": Status.AWAITING_DISPATCH}


def test_a_past_week_is_read_as_of_its_end(agenda):
    assert agenda.as_of == t("2026-11-23 00:00")
    # E was resolved on 25 November, after the week: on this agenda it is still open and difficult.
    assert numbers(agenda.difficult) == ["E", "D"]
    d = next(i for i in agenda.difficult if i.case_no == "D")
    assert (d.owner, d.plan, d.due_date) == ("王主任", "请司法所联合调解", "2026-11-30")
    assert d.age_days == 48  # 5 October 09:00 to 23 November 00:00
    e = next(i for i in agenda.difficult if i.case_no == "E")
    assert e.owner == "李书记" and e.plan == ""  # no decision yet: the dispatch's leader


def test_red_cases_show_their_leader(agenda):
    assert [(i.case_no, i.leader) for i in agenda.red] == [("F", "赵镇长")]


def test_cases_waiting_on_a_higher_body(agenda):
    assert [(i.case_no, i.waiting_on) for i in agenda.waiting] == [("D", "司法所"), ("H", "智慧法庭")]


def test_overdue_clocks_are_counted_by_their_owner(agenda):
    # 高南村: B's dispatch clock is due Monday 23 November 08:35, not overdue at the week's end;
    # F (dispatched Wednesday 15:02) missed its arrival (15:17), its result (Thursday 00:00) and
    # its progress on Thursday and Friday: 4. 治理办 (the office) owns A's return visit (due
    # Thursday 19 November 17:00) and D's progress since the joint handling of Thursday 12
    # November (13, 16, 17, 18, 19 and 20 November): 7. 解营村 holds the long runs of missed
    # progress days of D before that, of E, and of H before the court had it: first.
    [(first, many), office, second] = agenda.overdue_by_village
    assert (office, second) == (("治理办", 7), ("高南村", 4))
    assert first == "解营村" and many > 7


def test_the_agenda_of_the_current_week_is_read_as_of_now():
    now = t("2026-11-18 16:00")
    agenda = build(now)
    assert agenda.as_of == now
    assert numbers(agenda.transfers) == ["A", "G", "F"]  # B is not received yet
    assert numbers(agenda.red) == ["F"]


def test_the_agenda_carries_the_week_s_figures(agenda):
    # A, F and B were received in the week; the cancelled G is left out of every figure.
    assert (agenda.stats.received, agenda.stats.resolved) == (3, 1)



@pytest.mark.parametrize("today, weekday, expected", [
    ("2026-11-30", 1, "2026-W48"),  # Monday meeting on a Monday: the week just ended
    ("2026-12-03", 1, "2026-W48"),  # Thursday: this week has too little to say yet
    ("2026-12-04", 1, "2026-W49"),  # Friday: this week is mostly over
    ("2026-12-06", 1, "2026-W49"),  # Sunday
    ("2026-12-04", 5, "2026-W49"),  # a Friday meeting reviews its own week
    ("2026-12-03", 5, "2026-W48"),  # the day before it, the last full week
    ("2026-12-05", 7, "2026-W48"),  # a Sunday meeting, on Saturday: not yet
    ("2027-01-01", 1, "2026-W53"),  # a Friday across the new year: ISO week 53 of 2026
])
def test_the_meeting_reviews_the_last_full_week_until_this_one_is_mostly_over(today, weekday, expected):
    from datetime import date

    from jingyuan_desktop.domain.meeting import meeting_week

    assert meeting_week(date.fromisoformat(today), weekday) == expected


def test_a_meeting_weekday_outside_the_week_is_refused():
    from datetime import date

    from jingyuan_desktop.domain.meeting import meeting_week

    with pytest.raises(DomainError, match="周例会的星期"):
        meeting_week(date(2026, 12, 1), 8)


def test_experts_waited_on_are_shown_masked_departments_by_name():
    from jingyuan_desktop.domain.meeting import agenda_item

    case = build_case("J", "2026-11-16 09:00", steps=[
        (E.DISPATCHED, "2026-11-16 09:02", D),
        (E.JOINT_HANDLING, "2026-11-17 10:00", {"departments": ["司法所"], "experts": ["诸葛文清", "黄晓东"]})])
    assert agenda_item(case, t("2026-11-18 10:00")).waiting_on == "司法所、诸葛某、黄某"


def test_each_case_is_on_the_lists_agenda_lists_names_and_only_those(agenda):
    from jingyuan_desktop.domain.meeting import CASE_LISTS, agenda_lists, on_watch

    moment = agenda.as_of
    for case in cases():
        if case.received_at > moment or case.received_at >= week_bounds(WEEK)[1]:
            continue
        lists = agenda_lists(case, moment)
        assert on_watch(case, moment) == bool(lists)
        for name in CASE_LISTS:
            assert (case.case_no in numbers(getattr(agenda, name))) == (name in lists), (case.case_no, name)
    assert agenda_lists(cases()[3], moment) == ("difficult", "waiting")  # D


def test_the_stored_line_rebuilds_the_line_read_off_the_timeline():
    """What ``domain.derived`` stores of a case (its ``AgendaLine``) with the copies of its
    classification and status gives the same agenda line at any later moment with no new event."""
    from jingyuan_desktop.domain.meeting import agenda_item, agenda_line

    case = cases()[3]  # D: the meeting's decision, a joint handling
    stored_at, later = t("2026-11-12 10:00"), t("2026-11-26 10:00")
    line = agenda_line(case, stored_at)
    assert (line.owner, line.plan, line.due_date) == ("王主任", "请司法所联合调解", "2026-11-30")
    assert line.waiting_on == "司法所" and line.lists == ("difficult", "waiting")
    assert agenda_item(case, later, line) == agenda_item(case, later)
    assert agenda_item(case, later).age_days == 52

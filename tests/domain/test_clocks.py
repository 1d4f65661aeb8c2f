"""The clocks at their edges, on the real statutory calendar of 2026 and an uncovered year.

2026 facts used here (State Council notice): 1-7 October is the National Day holiday;
Sunday 20 September and Saturday 10 October are make-up working days; Sunday 4 January is a
make-up working day.
"""

from datetime import date, datetime, time

import pytest

from jingyuan_desktop.domain.calendar import TZ, WorkCalendar
from jingyuan_desktop.domain.clocks import ClockSettings, add_office_minutes, case_clocks
from jingyuan_desktop.domain.enums import ClockName, ClockState, EventType, Risk, Satisfaction
from jingyuan_desktop.domain.model import Case, Event

E = EventType


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def cal():
    return WorkCalendar()


def dispatch_due(received: str, cal) -> datetime:
    return add_office_minutes(t(received), 5, cal, ClockSettings())


@pytest.mark.parametrize(
    "received, due",
    [
        ("2026-11-18 10:00", "2026-11-18 10:05"),  # plain Wednesday morning
        ("2026-11-18 16:55", "2026-11-18 17:00"),  # the five minutes end exactly at closing
        ("2026-11-18 16:58", "2026-11-19 08:33"),  # two minutes today, three tomorrow
        ("2026-11-18 17:00", "2026-11-19 08:35"),  # 17:00 is already closed
        ("2026-11-18 08:30", "2026-11-18 08:35"),  # opening time
        ("2026-11-18 08:29", "2026-11-18 08:35"),  # a minute before opening
        ("2026-11-18 02:00", "2026-11-18 08:35"),  # night before a working day
        ("2026-11-18 23:40", "2026-11-19 08:35"),  # late evening
        ("2026-11-20 16:58", "2026-11-23 08:33"),  # Friday close -> Monday
        ("2026-11-21 10:00", "2026-11-23 08:35"),  # Saturday
        ("2026-11-22 23:59", "2026-11-23 08:35"),  # Sunday night
        ("2026-09-30 16:58", "2026-10-08 08:33"),  # eve of National Day: the whole week is off
        ("2026-10-03 11:00", "2026-10-08 08:35"),  # inside the holiday
        ("2026-10-09 16:58", "2026-10-10 08:33"),  # Friday -> make-up Saturday 10 October
        ("2026-10-10 09:00", "2026-10-10 09:05"),  # on the make-up Saturday itself
        ("2026-09-19 10:00", "2026-09-20 08:35"),  # Saturday -> make-up Sunday 20 September
        ("2026-01-03 12:00", "2026-01-04 08:35"),  # New Year holiday -> make-up Sunday 4 January
    ],
)
def test_dispatch_due_counts_office_minutes_only(received, due, cal):
    assert dispatch_due(received, cal) == t(due)
    assert not cal.uncovered_years


def test_uncovered_year_falls_back_to_weekdays_and_says_so(cal):
    # 2030 is not in the statutory data; Monday-Friday count as working days.
    assert dispatch_due("2030-01-04 16:58", cal) == t("2030-01-07 08:33")  # Friday -> Monday
    assert cal.uncovered_years == {2030}
    assert "2030" in cal.uncovered_warning()


def test_office_overrides_win_over_the_statutory_calendar():
    cal = WorkCalendar(overrides={date(2026, 11, 19): False, date(2026, 11, 21): True})
    assert dispatch_due("2026-11-18 16:58", cal) == t("2026-11-20 08:33")
    assert dispatch_due("2026-11-20 16:58", cal) == t("2026-11-21 08:33")
    # An override for an uncovered year silences the warning for that date only.
    cal2 = WorkCalendar(overrides={date(2030, 1, 1): False})
    assert cal2.is_covered(date(2030, 1, 1)) and not cal2.is_covered(date(2030, 1, 2))


def test_office_hours_are_settings(cal):
    settings = ClockSettings(office_start=time(9, 0), office_end=time(17, 30), dispatch_office_minutes=10)
    assert add_office_minutes(t("2026-11-18 17:25"), 10, cal, settings) == t("2026-11-19 09:05")


def make_case(received="2026-11-18 10:00", risk=Risk.BLUE, events=()) -> Case:
    return Case(
        case_no="FZ-2026-00001", received_at=t(received), village="解营村", summary="邻里因排水沟发生争执",
        category="邻里纠纷", risk=risk, events=list(events),
    )


def dispatched(at: str) -> Event:
    return Event(E.DISPATCHED, t(at), by="办公室", data={"handlers": ["甲", "乙"], "leader": "甲"})


def clock(case, now, name, cal, seq=1):
    found = [c for c in case_clocks(case, t(now), cal) if c.name == name and c.seq == seq]
    assert len(found) == 1, f"expected one {name} clock #{seq}, got {found}"
    return found[0]


@pytest.mark.parametrize(
    "dispatch_at, now, state",
    [
        ("2026-11-18 10:05", "2026-11-18 12:00", ClockState.MET),  # at the due time exactly
        ("2026-11-18 10:05:01", "2026-11-18 12:00", ClockState.LATE),
        (None, "2026-11-18 10:05", ClockState.PENDING),  # due now, not yet passed
        (None, "2026-11-18 10:05:01", ClockState.OVERDUE),
    ],
)
def test_dispatch_clock_states(dispatch_at, now, state, cal):
    case = make_case(events=[dispatched(dispatch_at)] if dispatch_at else [])
    c = clock(case, now, ClockName.DISPATCH, cal)
    assert c.due_at == t("2026-11-18 10:05")
    assert c.state == state


def test_events_after_the_moment_are_ignored(cal):
    case = make_case(events=[dispatched("2026-11-18 10:03")])
    assert clock(case, "2026-11-18 10:02", ClockName.DISPATCH, cal).state == ClockState.PENDING
    assert clock(case, "2026-11-18 10:06", ClockName.DISPATCH, cal).state == ClockState.MET
    assert not [c for c in case_clocks(case, t("2026-11-18 10:02"), cal) if c.name == ClockName.ARRIVE]
    assert case_clocks(case, t("2026-11-18 09:59"), cal) == []  # not yet received


def test_arrive_is_fifteen_wall_clock_minutes_even_after_closing(cal):
    case = make_case(received="2026-11-18 16:50", events=[dispatched("2026-11-18 16:54")])
    c = clock(case, "2026-11-18 17:09", ClockName.ARRIVE, cal)
    assert (c.due_at, c.state) == (t("2026-11-18 17:09"), ClockState.PENDING)
    assert clock(case, "2026-11-18 17:09:01", ClockName.ARRIVE, cal).state == ClockState.OVERDUE
    case.events.append(Event(E.ARRIVED, t("2026-11-18 17:09")))
    assert clock(case, "2026-11-18 18:00", ClockName.ARRIVE, cal).state == ClockState.MET


def test_result_is_due_at_midnight_of_the_dispatch_day(cal):
    case = make_case(received="2026-11-18 16:50", events=[dispatched("2026-11-18 16:54")])
    c = clock(case, "2026-11-18 23:59", ClockName.RESULT, cal)
    assert (c.due_at, c.state) == (t("2026-11-19 00:00"), ClockState.PENDING)
    assert clock(case, "2026-11-19 00:00:01", ClockName.RESULT, cal).state == ClockState.OVERDUE
    # Arrival alone is not a result; a resolution recorded at 24:00 exactly is in time.
    case.events += [Event(E.ARRIVED, t("2026-11-18 17:05")),
                    Event(E.RESOLVED, t("2026-11-19 00:00"), data={"outcome": "agreement"})]
    assert clock(case, "2026-11-19 09:00", ClockName.RESULT, cal).done_at == t("2026-11-19 00:00")
    assert clock(case, "2026-11-19 09:00", ClockName.RESULT, cal).state == ClockState.MET


@pytest.mark.parametrize("kind", [E.RESOLVED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.PROGRESS])
def test_result_met_by_each_result_event(kind, cal):
    data = {E.RESOLVED: {"outcome": "on_site"},
            E.FOLLOW_UP_SCHEDULED: {"agreed_at": t("2026-11-19 15:00")}}.get(kind, {})
    case = make_case(events=[dispatched("2026-11-18 10:03"), Event(kind, t("2026-11-18 20:00"), data=data)])
    assert clock(case, "2026-11-19 09:00", ClockName.RESULT, cal).state == ClockState.MET


def test_progress_every_working_day_after_dispatch_until_resolved(cal):
    # Dispatched on Friday: the first progress day is Monday; the weekend asks nothing.
    case = make_case(received="2026-11-20 10:00", events=[
        dispatched("2026-11-20 10:03"),
        Event(E.FOLLOW_UP_SCHEDULED, t("2026-11-20 11:00"), data={"agreed_at": t("2026-11-23 09:00")}),
        Event(E.PROGRESS, t("2026-11-23 17:00")),  # Monday 17:00 exactly: met
        Event(E.PROGRESS, t("2026-11-24 17:00:01")),  # Tuesday a second late
    ])
    progress = [c for c in case_clocks(case, t("2026-11-26 17:00:01"), cal) if c.name == ClockName.PROGRESS]
    assert [c.due_at for c in progress] == [t(f"2026-11-{d} 17:00") for d in (23, 24, 25, 26)]
    assert [c.state for c in progress] == [ClockState.MET, ClockState.LATE, ClockState.OVERDUE, ClockState.OVERDUE]


def test_progress_today_is_pending_until_17_and_stops_at_resolution(cal):
    case = make_case(received="2026-11-18 10:00", events=[dispatched("2026-11-18 10:03")])
    progress = [c for c in case_clocks(case, t("2026-11-19 16:00"), cal) if c.name == ClockName.PROGRESS]
    assert [(c.due_at, c.state) for c in progress] == [(t("2026-11-19 17:00"), ClockState.PENDING)]
    case.events.append(Event(E.RESOLVED, t("2026-11-19 16:30"), data={"outcome": "agreement"}))
    assert not [c for c in case_clocks(case, t("2026-11-27 09:00"), cal) if c.name == ClockName.PROGRESS]


def test_missed_progress_day_turns_late_at_resolution_not_overdue_for_ever(cal):
    case = make_case(received="2026-11-18 10:00", events=[
        dispatched("2026-11-18 10:03"), Event(E.RESOLVED, t("2026-11-20 10:00"), data={"outcome": "agreement"})])
    progress = [c for c in case_clocks(case, t("2026-12-01 09:00"), cal) if c.name == ClockName.PROGRESS]
    # Thursday the 19th was missed; Friday's clock never started (resolved before 17:00).
    assert [(c.due_at, c.state, c.done_at) for c in progress] == [
        (t("2026-11-19 17:00"), ClockState.LATE, t("2026-11-20 10:00"))]


def test_progress_skips_the_national_day_week_and_counts_make_up_saturday(cal):
    case = make_case(received="2026-09-30 10:00", events=[dispatched("2026-09-30 10:03")])
    progress = [c for c in case_clocks(case, t("2026-10-12 09:00"), cal) if c.name == ClockName.PROGRESS]
    days = [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12)]
    assert [c.due_at.date() for c in progress] == days
    assert progress[-1].state == ClockState.PENDING  # Monday the 12th is today, due at 17:00


def test_follow_up_is_due_an_hour_after_the_agreed_time(cal):
    case = make_case(events=[
        dispatched("2026-11-18 10:03"),
        Event(E.FOLLOW_UP_SCHEDULED, t("2026-11-18 11:00"), data={"agreed_at": t("2026-11-19 15:00")}),
    ])
    c = clock(case, "2026-11-19 16:00", ClockName.FOLLOW_UP, cal)
    assert (c.due_at, c.state) == (t("2026-11-19 16:00"), ClockState.PENDING)
    assert clock(case, "2026-11-19 16:00:01", ClockName.FOLLOW_UP, cal).state == ClockState.OVERDUE
    case.events.append(Event(E.MEDIATION_FAILED, t("2026-11-19 16:00")))
    assert clock(case, "2026-11-20 09:00", ClockName.FOLLOW_UP, cal).state == ClockState.MET


def resolved_case(resolved_at: str, visit_at: str | None = None) -> Case:
    case = make_case(received="2026-09-28 10:00",
                     events=[dispatched("2026-09-28 10:03"), Event(E.ARRIVED, t("2026-09-28 10:10"))])
    case.received_at = t("2026-09-28 10:00")
    case.events.append(Event(E.RESOLVED, t(resolved_at), data={"outcome": "on_site"}))
    if visit_at:
        case.events.append(Event(E.RETURN_VISIT, t(visit_at), data={"satisfaction": Satisfaction.SATISFIED}))
    return case


@pytest.mark.parametrize(
    "resolved_at, due",
    [
        ("2026-11-16 10:00", "2026-11-19 17:00"),  # Monday -> Thursday
        ("2026-11-20 23:30", "2026-11-25 17:00"),  # Friday night -> Mon, Tue, Wed
        ("2026-11-21 10:00", "2026-11-25 17:00"),  # resolved on a Saturday
        ("2026-09-29 10:00", "2026-10-09 17:00"),  # across National Day: 30 Sep, 8 Oct, 9 Oct
        ("2026-10-09 10:00", "2026-10-13 17:00"),  # make-up Saturday counts: 10, 12, 13 Oct
    ],
)
def test_return_visit_due_on_the_third_working_day(resolved_at, due, cal):
    case = resolved_case(resolved_at)
    c = clock(case, resolved_at, ClockName.RETURN_VISIT, cal)
    assert c.due_at == t(due)
    visit = Event(E.RETURN_VISIT, t(due), data={"satisfaction": Satisfaction.REFUSED})
    case.events.append(visit)
    assert clock(case, due, ClockName.RETURN_VISIT, cal).state == ClockState.MET


@pytest.mark.parametrize(
    "visit_at, due",
    [
        ("2026-11-20 16:59", "2026-11-23 17:00"),  # Friday -> Monday
        ("2026-09-30 09:00", "2026-10-08 17:00"),  # before National Day
        ("2026-10-09 17:30", "2026-10-10 17:00"),  # -> make-up Saturday
    ],
)
def test_police_feedback_due_next_working_day(visit_at, due, cal):
    case = resolved_case("2026-09-29 10:00", visit_at)
    c = clock(case, visit_at, ClockName.POLICE_FEEDBACK, cal)
    assert (c.due_at, c.state) == (t(due), ClockState.PENDING)
    case.events.append(Event(E.POLICE_FEEDBACK, t(due).replace(second=1)))
    assert clock(case, due, ClockName.POLICE_FEEDBACK, cal).state == ClockState.PENDING  # a second later is not yet
    assert clock(case, "2026-12-31 00:00", ClockName.POLICE_FEEDBACK, cal).state == ClockState.LATE


def test_no_police_feedback_clock_for_cases_the_police_did_not_send(cal):
    from jingyuan_desktop.domain.enums import Source

    case = resolved_case("2026-09-29 10:00", "2026-09-30 09:00")
    case.source = Source.WALK_IN
    assert not [c for c in case_clocks(case, t("2026-12-01 09:00"), cal) if c.name == ClockName.POLICE_FEEDBACK]


def test_archived_case_has_no_running_clock(cal):
    case = resolved_case("2026-09-29 10:00", "2026-09-30 09:00")
    case.events.append(Event(E.POLICE_FEEDBACK, t("2026-09-30 10:00")))
    case.events.append(Event(E.ARCHIVED, t("2026-09-30 11:00"), data={"archive_no": "DA-1"}))
    clocks = case_clocks(case, t("2026-12-01 09:00"), cal)
    assert clocks and all(c.state in (ClockState.MET, ClockState.LATE) for c in clocks)
    # As it stood before the archive, the same case still had its feedback clock done and others met.
    assert [c.name for c in case_clocks(case, t("2026-09-30 10:30"), cal)] == [c.name for c in clocks]


def test_red_case_needs_a_leader_by_midnight_then_monthly_supervision(cal):
    case = make_case(received="2026-10-20 10:00", risk=Risk.RED)
    c = clock(case, "2026-10-20 23:59", ClockName.LEADER, cal)
    assert (c.due_at, c.state) == (t("2026-10-21 00:00"), ClockState.PENDING)
    assert clock(case, "2026-10-21 00:00:01", ClockName.LEADER, cal).state == ClockState.OVERDUE
    case.events += [
        Event(E.LEADER_ASSIGNED, t("2026-10-21 00:00"), data={"leader": "镇领导甲"}),
        dispatched("2026-10-21 08:31"),
        Event(E.SUPERVISED, t("2026-11-15 09:00")),
    ]
    assert clock(case, "2026-11-30 09:00", ClockName.LEADER, cal).state == ClockState.MET
    first = clock(case, "2026-11-30 09:00", ClockName.SUPERVISION, cal, seq=1)
    assert (first.due_at, first.state) == (t("2026-11-20 00:00"), ClockState.MET)
    second = clock(case, "2026-11-30 09:00", ClockName.SUPERVISION, cal, seq=2)
    assert (second.due_at, second.state) == (t("2026-12-15 09:00"), ClockState.PENDING)
    assert clock(case, "2026-12-15 09:00:01", ClockName.SUPERVISION, cal, seq=2).state == ClockState.OVERDUE


def test_case_turned_red_later_counts_from_that_day(cal):
    case = make_case(events=[dispatched("2026-11-18 10:03"),
                             Event(E.CLASSIFIED, t("2026-11-19 22:00"), data={"risk": Risk.RED})])
    assert clock(case, "2026-11-19 23:00", ClockName.LEADER, cal).due_at == t("2026-11-20 00:00")
    assert not [c for c in case_clocks(case, t("2026-11-19 21:00"), cal) if c.name == ClockName.LEADER]


def test_cancelled_case_keeps_only_done_clocks(cal):
    case = make_case(events=[dispatched("2026-11-18 10:03"),
                             Event(E.CANCELLED, t("2026-11-18 10:30"), data={"reason": "duplicate"})])
    clocks = case_clocks(case, t("2026-11-25 10:00"), cal)
    assert [c.name for c in clocks] == [ClockName.DISPATCH]
    assert all(c.state == ClockState.MET for c in clocks)


def test_settings_round_trip_and_change_the_numbers(cal):
    settings = ClockSettings.from_dict({"arrive_minutes": "20", "office_end": "17:30"})
    assert ClockSettings.from_dict(settings.to_dict()) == settings
    case = make_case(events=[dispatched("2026-11-18 10:03")])
    arrive = next(c for c in case_clocks(case, t("2026-11-18 10:04"), cal, settings) if c.name == ClockName.ARRIVE)
    assert arrive.due_at == t("2026-11-18 10:23")

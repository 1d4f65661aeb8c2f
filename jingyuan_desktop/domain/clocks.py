"""Every deadline of the procedure, computed from a case's timeline as of a moment.

A clock is met when its event is recorded at or before its due time, late when the event came
after it, pending while the due time has not passed, and overdue when it has passed with no
event. Nothing here reads the real clock: ``now`` and the calendar are arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from jingyuan_desktop.domain.calendar import WorkCalendar, at_local, end_of_day, local
from jingyuan_desktop.domain.enums import OFFICE, ClockName, ClockState, EventType
from jingyuan_desktop.domain.lifecycle import (
    ACTIONS,
    ending,
    feedback_start,
    follow_visits,
    follow_visits_apply,
    leader_needed_at,
    resolution,
)
from jingyuan_desktop.domain.model import Case, Event

E = EventType

RESULT_EVENTS = frozenset({E.RESOLVED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.PROGRESS, E.RETURNED_TO_POLICE,
                           E.REFERRED_TO_COURT})
# What does a day's progress: any act on the case, and every way its handling ends.
PROGRESS_DONE = ACTIONS | {E.RESOLVED, E.REFERRED_TO_COURT, E.COURT_OUTCOME, E.RETURNED_TO_POLICE, E.CANCELLED,
                           E.ANALYSIS}
# What counts as "the next action" after a follow-up was agreed: any act on the case.
FOLLOW_UP_EVENTS = PROGRESS_DONE
# Clocks of the office (治理办, seed 000); the others belong to the dispatched team's unit.
OFFICE_CLOCKS = frozenset({ClockName.DISPATCH, ClockName.RETURN_VISIT, ClockName.POLICE_FEEDBACK, ClockName.LEADER,
                           ClockName.SUPERVISION, ClockName.FOLLOW_VISIT})
# Clocks that still run after the handling ended: the report to the police and the rolling visits.
AFTER_ENDING = frozenset({ClockName.POLICE_FEEDBACK, ClockName.FOLLOW_VISIT, ClockName.RETURN_VISIT})


@dataclass(frozen=True)
class ClockSettings:
    """The numbers of the procedure; the office can change each one."""

    office_start: time = time(8, 30)
    office_end: time = time(17, 0)
    dispatch_office_minutes: int = 5
    arrive_minutes: int = 15
    progress_due: time = time(17, 0)
    follow_up_grace_minutes: int = 60
    return_visit_working_days: int = 3
    return_visit_due: time = time(17, 0)
    police_feedback_working_days: int = 1
    police_feedback_due: time = time(17, 0)
    supervision_days: int = 30
    escalation_failures: int = 3
    repeat_window_days: int = 90
    # A resolved case is watched this long for a relapse (seed 003: 蓝色…防止出现反复).
    relapse_watch_days: int = 90
    # Rolling return visits of 疑难 and red cases (seeds 001-002: 每月回访、持续半年); 0 months: none.
    follow_visit_interval_months: int = 1
    follow_visit_months: int = 6
    follow_visit_due: time = time(17, 0)

    def to_dict(self) -> dict:
        return {
            name: value.strftime("%H:%M") if isinstance(value, time) else value
            for name, value in self.__dict__.items()
        }

    @classmethod
    def from_dict(cls, data: dict) -> ClockSettings:
        values: dict[str, Any] = {}  # each value parsed to its field's own type below
        for name, default in cls().__dict__.items():
            if name not in data:
                continue
            raw = data[name]
            values[name] = time.fromisoformat(raw) if isinstance(default, time) else int(raw)
        return cls(**values)


@dataclass(frozen=True)
class Clock:
    case_no: str
    name: ClockName
    due_at: datetime
    state: ClockState
    done_at: datetime | None = None
    # Distinguishes the several clocks of one kind (progress days, follow-ups, supervisions).
    seq: int = 1
    started_at: datetime | None = None
    # Whose clock it is: ``OFFICE`` (治理办) or the name of the dispatched team's unit.
    owner: str = OFFICE

    @property
    def is_open(self) -> bool:
        return self.state in (ClockState.PENDING, ClockState.OVERDUE)

    def remaining(self, now: datetime) -> timedelta:
        return self.due_at - now


def add_office_minutes(start: datetime, minutes: int, calendar: WorkCalendar, settings: ClockSettings) -> datetime:
    """``start`` plus ``minutes`` counted only inside office time on working days.

    Outside office time the count waits for the next opening, so a transfer at night or on a
    rest day is due ``minutes`` after the next working day's opening.
    """
    cursor = local(start)
    remaining = timedelta(minutes=minutes)
    day = cursor.date()
    for _ in range(400):
        if calendar.is_working_day(day):
            opens, closes = at_local(day, settings.office_start), at_local(day, settings.office_end)
            begin = max(cursor, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
        cursor = at_local(day, time(0, 0))
    raise ValueError("一年多内没有办公时间，请检查节假日与办公时间设置")


def in_office_time(moment: datetime, calendar: WorkCalendar, settings: ClockSettings) -> bool:
    """Whether ``moment`` lies in office time: a working day, from ``office_start`` up to but
    not including ``office_end``.

    It is the time ``add_office_minutes`` counts: at 17:00 sharp the office is closed, so a
    transfer received then waits for the next opening, as one at night, on a rest day or on a
    holiday does; a make-up working day (调休上班) counts like any weekday.
    """
    moment = local(moment)
    return calendar.is_working_day(moment.date()) and settings.office_start <= moment.time() < settings.office_end


def office_time_between(start: datetime, end: datetime, calendar: WorkCalendar, settings: ClockSettings) -> timedelta:
    """Office time from ``start`` to ``end``, negative when ``end`` is earlier.

    The measure ``add_office_minutes`` counts in: a dispatch clock due at 08:33 tomorrow has
    2 minutes left at 16:58 today, because the night, rest days and holidays do not count.
    """
    if end < start:
        return -office_time_between(end, start, calendar, settings)
    start, end = local(start), local(end)
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            opens = max(start, at_local(day, settings.office_start))
            closes = min(end, at_local(day, settings.office_end))
            if closes > opens:
                total += closes - opens
        day += timedelta(days=1)
    return total


def _state(due: datetime, done: datetime | None, now: datetime) -> ClockState:
    if done is not None:
        return ClockState.MET if done <= due else ClockState.LATE
    return ClockState.OVERDUE if now > due else ClockState.PENDING


def _first_after(events: list[Event], start: int, kinds: frozenset[EventType] | set[EventType]) -> Event | None:
    for event in events[start:]:
        if event.type in kinds:
            return event
    return None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def first_working_day_from(day: date, calendar: WorkCalendar) -> date:
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


def case_clocks(case: Case, now: datetime, calendar: WorkCalendar,
                settings: ClockSettings = ClockSettings()) -> list[Clock]:
    """All clocks of ``case`` as of ``now``; events after ``now`` are ignored.

    Each clock has its owner: the office (治理办) dispatches, visits, reports to the police,
    names the leader and supervises; the dispatched team's unit (the case's village) arrives,
    reports the result, the daily progress and agreed follow-ups, until the office takes the
    case as 疑难 or to joint handling, after which progress and follow-ups are the office's.
    Once the handling has ended (resolved, handed to the police, cancelled) only the return
    visits and the police feedback still run; anything else that never got done is dropped.
    """
    now = local(now)
    if local(case.received_at) > now:
        return []
    events = case.events_until(now)
    types = {e.type for e in events}
    team = case.village
    clocks: list[Clock] = []

    def add(name: ClockName, due: datetime, done: datetime | None, seq: int = 1, started: datetime | None = None,
            owner: str | None = None):
        who = owner if owner is not None else (OFFICE if name in OFFICE_CLOCKS else team)
        clocks.append(Clock(case.case_no, name, due, _state(due, done, now), done, seq, started, who))

    received = local(case.received_at)
    end = ending(case, now)
    resolved = resolution(case, now)
    clocks.extend(_dispatch_clocks(case, events, received, now, calendar, settings))
    dispatch_indexes = [i for i, e in enumerate(events) if e.type == E.DISPATCHED]
    for seq, index in enumerate(dispatch_indexes, start=1):
        dispatched = events[index]
        later = [i for i in dispatch_indexes if i > index]
        stop = later[0] if later else len(events)
        round_ = events[index + 1:stop]
        refused = next((e for e in round_ if e.type == E.DISPATCH_REFUSED), None)
        arrived = next((e for e in round_ if e.type == E.ARRIVED), None)
        if arrived is not None or (refused is None and not later):
            add(ClockName.ARRIVE, local(dispatched.at) + timedelta(minutes=settings.arrive_minutes),
                arrived.at if arrived else None, seq, dispatched.at)
        result = next((e for e in round_ if e.type in RESULT_EVENTS), None)
        if result is not None or (refused is None and not later):
            add(ClockName.RESULT, end_of_day(local(dispatched.at).date()), result.at if result else None, seq,
                dispatched.at)
    if dispatch_indexes:
        clocks.extend(_progress_clocks(case, events, events[dispatch_indexes[0]], end, now, calendar, settings))
        clocks.extend(_follow_up_clocks(case, events, now, settings))

    if resolved is not None:
        visit = next((e for e in events if e.type == E.RETURN_VISIT), None)
        due_day = calendar.nth_working_day_after(local(resolved.at).date(), settings.return_visit_working_days)
        add(ClockName.RETURN_VISIT, at_local(due_day, settings.return_visit_due), visit.at if visit else None,
            started=resolved.at)
        if follow_visits_apply(case, now):
            clocks.extend(_follow_visit_clocks(case, resolved, now, calendar, settings))
    owed = feedback_start(case, now)
    if owed is not None:
        feedback = next((e for e in events if e.type == E.POLICE_FEEDBACK), None)
        due_day = calendar.nth_working_day_after(local(owed).date(), settings.police_feedback_working_days)
        add(ClockName.POLICE_FEEDBACK, at_local(due_day, settings.police_feedback_due),
            feedback.at if feedback else None, started=owed)

    clocks.extend(_leader_clocks(case, events, end, now, settings))

    if E.ARCHIVED in types or (end is not None and end.type in (E.CANCELLED, E.RETURNED_TO_POLICE)):
        # Nothing more of the handling can be recorded, so nothing of it can still be running.
        clocks = [c for c in clocks if c.done_at is not None or c.name in AFTER_ENDING]
    return clocks


def _dispatch_clocks(case, events, received, now, calendar, settings) -> list[Clock]:
    """The office dispatches within its office minutes of receipt, and again within as many
    minutes after a team refused (拒不处置)."""
    clocks = []
    start = received
    seq = 1
    waiting = True
    for event in events:
        if waiting and event.type == E.DISPATCHED:
            due = add_office_minutes(start, settings.dispatch_office_minutes, calendar, settings)
            clocks.append(Clock(case.case_no, ClockName.DISPATCH, due, _state(due, event.at, now), event.at, seq,
                                start, OFFICE))
            waiting = False
        elif not waiting and event.type == E.DISPATCH_REFUSED:
            start, seq, waiting = local(event.at), seq + 1, True
    if waiting:
        due = add_office_minutes(start, settings.dispatch_office_minutes, calendar, settings)
        clocks.append(Clock(case.case_no, ClockName.DISPATCH, due, _state(due, None, now), None, seq, start, OFFICE))
    return clocks


def _court_periods(events) -> list[tuple[datetime, datetime | None]]:
    """(referred, given back or decided) for each stay with the court; None while it lasts."""
    periods: list[tuple[datetime, datetime | None]] = []
    for event in events:
        if event.type == E.REFERRED_TO_COURT:
            periods.append((local(event.at), None))
        elif event.type == E.COURT_OUTCOME and periods and periods[-1][1] is None:
            periods[-1] = (periods[-1][0], local(event.at))
    return periods


def _awaiting_dispatch_periods(events) -> list[tuple[datetime, datetime | None]]:
    """From a refusal to the next dispatch: the team is gone and the office owes a dispatch."""
    periods: list[tuple[datetime, datetime | None]] = []
    for event in events:
        if event.type == E.DISPATCH_REFUSED:
            periods.append((local(event.at), None))
        elif event.type == E.DISPATCHED and periods and periods[-1][1] is None:
            periods[-1] = (periods[-1][0], local(event.at))
    return periods


def _overlaps(periods, start: datetime, end: datetime) -> bool:
    return any(begin <= end and (stop is None or stop > start) for begin, stop in periods)


def _progress_clocks(case, events, dispatched, end, now, calendar, settings) -> list[Clock]:
    """One clock per working day after the dispatch day until the handling ends.

    Day D's clock is due at 17:00 of D and is done by the first action on or after the start
    of D; a missed day therefore turns late at the next action, or at the ending, instead of
    staying overdue for ever on a case where nothing more can be recorded. No clock runs on a
    day the court has the case, nor while a refused case waits for its new team. The clock is
    the village's until the office takes the case (疑难, joint handling), then the office's.
    """
    clocks = []
    first_day = local(dispatched.at).date() + timedelta(days=1)
    court = _court_periods(events)
    waiting = _awaiting_dispatch_periods(events)
    taken = next((local(e.at) for e in events if e.type in (E.ESCALATED, E.JOINT_HANDLING)), None)
    seq = 0
    for day in calendar.working_days_between(first_day, now.date()):
        due = at_local(day, settings.progress_due)
        if end is not None and local(end.at) <= due:
            break
        day_start = at_local(day, time(0, 0))
        if _overlaps(court, day_start, due) or _overlaps(waiting, day_start, due):
            continue
        seq += 1
        done = next((e.at for e in events if e.type in PROGRESS_DONE and local(e.at) >= day_start), None)
        owner = OFFICE if taken is not None and taken <= day_start else case.village
        clocks.append(Clock(case.case_no, ClockName.PROGRESS, due, _state(due, done, now), done, seq, day_start,
                            owner))
    return clocks


def _follow_up_clocks(case, events, now, settings) -> list[Clock]:
    clocks = []
    seq = 0
    taken = next((e.at for e in events if e.type in (E.ESCALATED, E.JOINT_HANDLING)), None)
    for index, event in enumerate(events):
        if event.type != E.FOLLOW_UP_SCHEDULED:
            continue
        seq += 1
        due = local(event.get("agreed_at")) + timedelta(minutes=settings.follow_up_grace_minutes)
        following = _first_after(events, index + 1, FOLLOW_UP_EVENTS)
        done = following.at if following else None
        owner = OFFICE if taken is not None and taken <= event.at else case.village
        clocks.append(Clock(case.case_no, ClockName.FOLLOW_UP, due, _state(due, done, now), done, seq, event.at,
                            owner))
    return clocks


def _follow_visit_clocks(case, resolved, now, calendar, settings) -> list[Clock]:
    """The rolling return visits: one each ``follow_visit_interval_months`` for
    ``follow_visit_months`` after the resolution, due at ``follow_visit_due`` on the same day
    of the month (or the next working day); the n-th visit after the first return visit does
    the n-th clock. Listed up to the first that is not done: the rest are not running yet."""
    interval = settings.follow_visit_interval_months
    if interval <= 0 or settings.follow_visit_months <= 0:
        return []
    visits = follow_visits(case, now)
    clocks = []
    resolved_day = local(resolved.at).date()
    started = local(resolved.at)
    for seq in range(1, settings.follow_visit_months // interval + 1):
        day = first_working_day_from(add_months(resolved_day, seq * interval), calendar)
        due = at_local(day, settings.follow_visit_due)
        done = visits[seq - 1].at if len(visits) >= seq else None
        clocks.append(Clock(case.case_no, ClockName.FOLLOW_VISIT, due, _state(due, done, now), done, seq, started,
                            OFFICE))
        if done is None:
            break
        started = due
    return clocks


def _leader_clocks(case, events, end, now, settings) -> list[Clock]:
    """A red or 民转刑 case needs its leader by 24:00 of the day it became one, then supervision
    every ``supervision_days`` until its handling ends."""
    needed_at = leader_needed_at(case, now)
    if needed_at is None:
        return []
    clocks = []
    leader = next((e for e in events if e.type == E.LEADER_ASSIGNED), None)
    due = end_of_day(local(needed_at).date())
    clocks.append(Clock(case.case_no, ClockName.LEADER, due, _state(due, leader.at if leader else None, now),
                        leader.at if leader else None, 1, needed_at, OFFICE))
    if leader is None:
        return clocks
    anchor = local(leader.at)
    supervisions = [e for e in events if e.type == E.SUPERVISED and e.at >= leader.at]
    period = timedelta(days=settings.supervision_days)
    seq = 0
    while True:
        due = anchor + period
        if end is not None and local(end.at) <= due:
            break
        seq += 1
        done = supervisions[seq - 1].at if len(supervisions) >= seq else None
        clocks.append(Clock(case.case_no, ClockName.SUPERVISION, due, _state(due, done, now), done, seq, anchor,
                            OFFICE))
        if done is None:
            break
        anchor = local(done)
    return clocks


@dataclass(frozen=True)
class ProgressContinuation:
    """The progress clocks a case will still grow while nothing more is recorded: one for each
    working day from ``from_day`` on (the first due at ``first_due``), numbered after
    ``seq_after``, all of ``owner``. Every other clock appears only with an event, so the clocks
    computed at one moment plus this are the clocks of any later moment (``clocks_later``)."""

    from_day: date
    first_due: datetime
    seq_after: int
    owner: str


def progress_continuation(case: Case, as_of: datetime, calendar: WorkCalendar,
                          settings: ClockSettings = ClockSettings()) -> ProgressContinuation | None:
    """What ``_progress_clocks`` adds after ``as_of`` when no event follows; None when it adds
    nothing more (not dispatched, handling ended or archived, with the court, waiting for a new
    team after a refusal)."""
    as_of = local(as_of)
    if local(case.received_at) > as_of:
        return None
    events = case.events_until(as_of)
    dispatched = next((e for e in events if e.type == E.DISPATCHED), None)
    if dispatched is None or ending(case, as_of) is not None or any(e.type == E.ARCHIVED for e in events):
        return None
    for periods in (_court_periods(events), _awaiting_dispatch_periods(events)):
        if periods and periods[-1][1] is None:
            return None
    first = max(local(dispatched.at).date(), as_of.date()) + timedelta(days=1)
    taken = any(e.type in (E.ESCALATED, E.JOINT_HANDLING) for e in events)
    seq_after = len(_progress_clocks(case, events, dispatched, None, as_of, calendar, settings))
    first_day = first_working_day_from(first, calendar)
    return ProgressContinuation(first, at_local(first_day, settings.progress_due), seq_after,
                                OFFICE if taken else case.village)


def continued_progress(case_no: str, continuation: ProgressContinuation, now: datetime, calendar: WorkCalendar,
                       settings: ClockSettings = ClockSettings()) -> list[Clock]:
    """The progress clocks ``continuation`` has grown by ``now``: all open, none done."""
    now = local(now)
    clocks = []
    seq = continuation.seq_after
    for day in calendar.working_days_between(continuation.from_day, now.date()):
        seq += 1
        due = at_local(day, settings.progress_due)
        clocks.append(Clock(case_no, ClockName.PROGRESS, due, _state(due, None, now), None, seq,
                            at_local(day, time(0, 0)), continuation.owner))
    return clocks


def restated(clock: Clock, now: datetime) -> Clock:
    """``clock`` as of a later ``now``: a done clock stays as it was, an open one is pending or
    overdue by its due time."""
    if clock.done_at is not None:
        return clock
    state = _state(clock.due_at, None, local(now))
    return clock if state == clock.state else replace(clock, state=state)


def clocks_later(case_no: str, stored: list[Clock], continuation: ProgressContinuation | None, now: datetime,
                 calendar: WorkCalendar, settings: ClockSettings = ClockSettings()) -> list[Clock]:
    """The clocks of a case at ``now`` from those computed at an earlier moment with nothing
    recorded in between: what ``case_clocks(case, now)`` gives, without the timeline."""
    clocks = [restated(c, now) for c in stored]
    if continuation is not None:
        clocks += continued_progress(case_no, continuation, now, calendar, settings)
    return clocks


def open_clocks(clocks: list[Clock]) -> list[Clock]:
    return [c for c in clocks if c.is_open]


def nearest_open_clock(clocks: list[Clock]) -> Clock | None:
    running = open_clocks(clocks)
    return min(running, key=lambda c: c.due_at) if running else None

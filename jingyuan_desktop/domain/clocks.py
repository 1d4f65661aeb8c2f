"""Every deadline of the procedure, computed from a case's timeline as of a moment.

A clock is met when its event is recorded at or before its due time, late when the event came
after it, pending while the due time has not passed, and overdue when it has passed with no
event. Nothing here reads the real clock: ``now`` and the calendar are arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from jingyuan_desktop.domain.calendar import WorkCalendar, at_local, end_of_day, local
from jingyuan_desktop.domain.enums import ClockName, ClockState, EventType, Source
from jingyuan_desktop.domain.lifecycle import ACTIONS, became_red_at
from jingyuan_desktop.domain.model import Case, Event

E = EventType

RESULT_EVENTS = frozenset({E.RESOLVED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.PROGRESS})
PROGRESS_DONE = ACTIONS | {E.RESOLVED}
# What counts as "the next action" after a follow-up was agreed: any act on the case.
FOLLOW_UP_EVENTS = ACTIONS | {E.RESOLVED, E.REFERRED_TO_COURT}


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


def case_clocks(case: Case, now: datetime, calendar: WorkCalendar,
                settings: ClockSettings = ClockSettings()) -> list[Clock]:
    """All clocks of ``case`` as of ``now``; events after ``now`` are ignored.

    A cancelled or archived case keeps only the clocks that were already done; the police
    feedback clock runs only for cases the police transferred.
    """
    now = local(now)
    if local(case.received_at) > now:
        return []
    events = case.events_until(now)
    types = {e.type for e in events}
    clocks: list[Clock] = []

    def add(name: ClockName, due: datetime, done: datetime | None, seq: int = 1, started: datetime | None = None):
        clocks.append(Clock(case.case_no, name, due, _state(due, done, now), done, seq, started))

    received = local(case.received_at)
    dispatch_index = next((i for i, e in enumerate(events) if e.type == E.DISPATCHED), None)
    dispatched = events[dispatch_index] if dispatch_index is not None else None
    add(
        ClockName.DISPATCH,
        add_office_minutes(received, settings.dispatch_office_minutes, calendar, settings),
        dispatched.at if dispatched else None,
        started=received,
    )

    resolved = next((e for e in events if e.type == E.RESOLVED), None)
    if dispatched is not None and dispatch_index is not None:
        after = dispatch_index + 1
        arrived = _first_after(events, after, {E.ARRIVED})
        add(ClockName.ARRIVE, local(dispatched.at) + timedelta(minutes=settings.arrive_minutes),
            arrived.at if arrived else None, started=dispatched.at)
        result = _first_after(events, after, RESULT_EVENTS)
        add(ClockName.RESULT, end_of_day(local(dispatched.at).date()), result.at if result else None,
            started=dispatched.at)
        clocks.extend(_progress_clocks(case, events, dispatched, resolved, now, calendar, settings))
        clocks.extend(_follow_up_clocks(case, events, now, settings))

    if resolved is not None:
        visit = next((e for e in events if e.type == E.RETURN_VISIT), None)
        due_day = calendar.nth_working_day_after(local(resolved.at).date(), settings.return_visit_working_days)
        add(ClockName.RETURN_VISIT, at_local(due_day, settings.return_visit_due), visit.at if visit else None,
            started=resolved.at)
        if visit is not None and case.source == Source.POLICE_TRANSFER:
            feedback = next((e for e in events if e.type == E.POLICE_FEEDBACK), None)
            due_day = calendar.nth_working_day_after(local(visit.at).date(), settings.police_feedback_working_days)
            add(ClockName.POLICE_FEEDBACK, at_local(due_day, settings.police_feedback_due),
                feedback.at if feedback else None, started=visit.at)

    clocks.extend(_leader_clocks(case, events, resolved, now, settings))

    if E.CANCELLED in types or E.ARCHIVED in types:
        # Nothing more can be recorded on a closed case, so nothing of it can still be running.
        clocks = [c for c in clocks if c.done_at is not None]
    return clocks


def _progress_clocks(case, events, dispatched, resolved, now, calendar, settings) -> list[Clock]:
    """One clock per working day after the dispatch day while the case is unresolved.

    Day D's clock is due at 17:00 of D and is done by the first action on or after the start
    of D; a missed day therefore turns late at the next action, or at the resolution, instead
    of staying overdue for ever on a case where nothing more can be recorded.
    """
    clocks = []
    first_day = local(dispatched.at).date() + timedelta(days=1)
    for seq, day in enumerate(calendar.working_days_between(first_day, now.date()), start=1):
        due = at_local(day, settings.progress_due)
        if resolved is not None and local(resolved.at) <= due:
            break
        day_start = at_local(day, time(0, 0))
        done = next((e.at for e in events if e.type in PROGRESS_DONE and local(e.at) >= day_start), None)
        clocks.append(Clock(case.case_no, ClockName.PROGRESS, due, _state(due, done, now), done, seq, day_start))
    return clocks


def _follow_up_clocks(case, events, now, settings) -> list[Clock]:
    clocks = []
    seq = 0
    for index, event in enumerate(events):
        if event.type != E.FOLLOW_UP_SCHEDULED:
            continue
        seq += 1
        due = local(event.get("agreed_at")) + timedelta(minutes=settings.follow_up_grace_minutes)
        following = _first_after(events, index + 1, FOLLOW_UP_EVENTS)
        done = following.at if following else None
        clocks.append(Clock(case.case_no, ClockName.FOLLOW_UP, due, _state(due, done, now), done, seq, event.at))
    return clocks


def _leader_clocks(case, events, resolved, now, settings) -> list[Clock]:
    """A red case needs its leader by 24:00 of the day it turned red, then supervision."""
    red_at = became_red_at(case, now)
    if red_at is None:
        return []
    clocks = []
    leader = next((e for e in events if e.type == E.LEADER_ASSIGNED), None)
    due = end_of_day(local(red_at).date())
    clocks.append(Clock(case.case_no, ClockName.LEADER, due, _state(due, leader.at if leader else None, now),
                        leader.at if leader else None, 1, red_at))
    if leader is None:
        return clocks
    anchor = local(leader.at)
    supervisions = [e for e in events if e.type == E.SUPERVISED and e.at >= leader.at]
    period = timedelta(days=settings.supervision_days)
    seq = 0
    while True:
        due = anchor + period
        if resolved is not None and local(resolved.at) <= due:
            break
        seq += 1
        done = supervisions[seq - 1].at if len(supervisions) >= seq else None
        clocks.append(Clock(case.case_no, ClockName.SUPERVISION, due, _state(due, done, now), done, seq, anchor))
        if done is None:
            break
        anchor = local(done)
    return clocks


def open_clocks(clocks: list[Clock]) -> list[Clock]:
    return [c for c in clocks if c.is_open]


def nearest_open_clock(clocks: list[Clock]) -> Clock | None:
    running = open_clocks(clocks)
    return min(running, key=lambda c: c.due_at) if running else None

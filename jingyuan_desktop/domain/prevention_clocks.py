"""The prevention clocks ("duties") and their figures (issue 14).

A duty belongs to a grid, an officer's village or a key person, not to a case. Days are
calendar days in Asia/Shanghai: patrols and visits go on at weekends and on holidays, so no
working-day calendar is read. Weeks are ISO weeks, Monday to Sunday; a week's duty is due at
the end of its Sunday (00:00 of the next Monday), so a patrol at Sunday 23:59:59 counts for
that week and one at Monday 00:00:00 for the next. A duty is met when done at or before its
due time, late when done after it, overdue when its due time has come (``due_at <= now``)
with nothing done, and pending before that. Entries dated after ``now`` are ignored: a log
cannot be from the future. Nothing here reads the real clock.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from jingyuan_desktop.domain.calendar import at_local, end_of_day, local
from jingyuan_desktop.domain.enums import ClockState, Source
from jingyuan_desktop.domain.prevention import (
    DutyName,
    Grid,
    KeyPerson,
    KeyPersonVisit,
    OfficerBeat,
    Patrol,
    PatrolRole,
    PreventionSettings,
    Warning,
)
from jingyuan_desktop.domain.statistics import TOTAL_KEY, percent

ONE_DAY = timedelta(days=1)
_INSTANT = timedelta(microseconds=1)
ROUNDS = frozenset({DutyName.GRID_PATROL, DutyName.OFFICER_VISIT})
# One label for each prevention figure, on screen and on paper (seed 003 names 主动发现).
FIGURE_LABELS: dict[str, str] = {
    "coverage": "巡查走访完成率",
    "on_time": "重点人员按时走访率",
    "found_first": "主动发现率",
}
FOUND_FIRST_SOURCES = frozenset({Source.GRID_REPORT.value, Source.GRID_REPORT.label,
                                 Source.INFORMANT.value, Source.INFORMANT.label})


@dataclass(frozen=True)
class Duty:
    """One prevention duty: a patrol of a grid, a visit of an officer to his village, or a
    visit to a key person, owed by ``owner`` between ``period_start`` and ``due_at``."""

    name: DutyName
    subject: str  # 「村/网格」, "officer|village", or str(key person id)
    owner: str
    village: str
    period_start: date
    due_at: datetime
    state: ClockState
    done_at: datetime | None = None
    seq: int = 1
    daily: bool = False
    label: str = ""

    @property
    def is_open(self) -> bool:
        return self.state in (ClockState.PENDING, ClockState.OVERDUE)

    @property
    def due_day(self) -> date:
        """The last day the duty could be done (``due_at`` is 24:00 of that day)."""
        return due_day(self.due_at)


def due_day(due_at: datetime) -> date:
    return local(due_at - _INSTANT).date()


def _state(done_at: datetime | None, due_at: datetime, now: datetime) -> ClockState:
    if done_at is not None:
        return ClockState.MET if done_at <= due_at else ClockState.LATE
    return ClockState.OVERDUE if due_at <= now else ClockState.PENDING


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class _Round:
    """What the grid patrol and the officer visit share: who, where, how often, and labels."""

    name: DutyName
    subject: str
    owner: str
    village: str
    since: date | None
    per_week: int
    week_label: Callable[[int, int, int], str]  # (ISO week number, seq, per week)
    day_label: Callable[[date], str]


def _round_duties(spec: _Round, times: Iterable[datetime], daily_on: Callable[[date], bool], now: datetime,
                  start: date | None) -> list[Duty]:
    now = local(now)
    today = now.date()
    done = sorted(t for t in (local(t) for t in times) if t <= now)
    bounds = [d for d in (spec.since, start) if d is not None]
    first = max(bounds) if bounds else (done[0].date() if done else today)
    if first > today:
        return []
    by_day: dict[date, list[datetime]] = {}
    for moment in done:
        by_day.setdefault(moment.date(), []).append(moment)

    def make(opens: date, due: datetime, done_at: datetime | None, seq: int, daily: bool, label: str) -> Duty:
        return Duty(spec.name, spec.subject, spec.owner, spec.village, opens, due, _state(done_at, due, now),
                    done_at, seq, daily, label)

    duties: list[Duty] = []
    week = _monday(first)
    opens_first = max(week, spec.since) if spec.since is not None else week
    while week <= today:
        opens = max(week, opens_first)
        sunday = week + timedelta(days=6)
        in_week = [m for offset in range((sunday - opens).days + 1) for m in by_day.get(opens + offset * ONE_DAY, ())]
        due = end_of_day(sunday)
        number = week.isocalendar().week
        for seq in range(1, spec.per_week + 1):
            done_at = in_week[seq - 1] if seq <= len(in_week) else None
            duties.append(make(opens, due, done_at, seq, False, spec.week_label(number, seq, spec.per_week)))
        week += timedelta(days=7)
    day = opens_first
    while day <= today:
        if daily_on(day):
            that_day = by_day.get(day)
            duties.append(make(day, end_of_day(day), that_day[0] if that_day else None, 1, True, spec.day_label(day)))
        day += ONE_DAY
    duties.sort(key=lambda d: (d.due_at, d.daily, d.seq))
    return duties


def _day_text(day: date) -> str:
    return f"{day.month}月{day.day}日"


def grid_owner(grid: Grid) -> str:
    """Who answers for a grid's patrols: its head, else its first worker, else the village."""
    return grid.head or (grid.workers[0] if grid.workers else "") or grid.village


def grid_patrol_duties(grid: Grid, patrols: Iterable[Patrol], warnings: Iterable[Warning], now: datetime,
                       settings: PreventionSettings, start: date | None = None) -> list[Duty]:
    """The weekly patrol duties of a grid (seed 000: 每周至少巡查一次), plus a daily one on each
    day of a warning with daily patrols that reaches the grid (seed 001: 一天一排查).

    Any patrol entry of the grid's village and grid name counts, whoever wrote it; an entry with
    no grid (an officer's village visit) does not. Weeks run from the week of the later of
    ``grid.since`` and ``start`` (neither given: the week of the first patrol, else the current
    week) up to the week containing ``now``; each has ``settings.grid_patrols_per_week`` duties,
    the i-th done by the week's i-th patrol. A patrol always belongs to the week it was made in,
    so a done duty is met, never late. When ``since`` falls mid-week that week still owes its
    patrols, counted from ``since`` (period_start); patrols before ``since`` never count.
    Several warnings over one day give one daily duty, done by the first patrol of that day.
    """
    spec = _Round(
        name=DutyName.GRID_PATROL, subject=grid.key, owner=grid_owner(grid), village=grid.village,
        since=grid.since, per_week=settings.grid_patrols_per_week,
        week_label=lambda n, seq, k: f"{grid.key} 第{n}周巡查（{seq}/{k}）",
        day_label=lambda d: f"{grid.key} {_day_text(d)}每日巡查（预警期间）",
    )
    daily = [w for w in warnings if w.daily_patrols and w.covers_place(grid.village, grid.name)]
    times = (p.at for p in patrols if grid.name and p.village == grid.village and p.grid == grid.name)
    return _round_duties(spec, times, lambda d: any(w.covers_day(d) for w in daily), now, start)


def officer_visit_duties(beat: OfficerBeat, patrols: Iterable[Patrol], warnings: Iterable[Warning], now: datetime,
                         settings: PreventionSettings, start: date | None = None) -> list[Duty]:
    """The village police officer's visits to a village (seed 001: 每周至少入村2次), with the
    same week logic as ``grid_patrol_duties``: ``settings.officer_visits_per_week`` duties a
    week, done by his village-officer entries in that village (any grid or none), plus a daily
    duty on each day a daily-patrol warning covers any part of the village."""
    spec = _Round(
        name=DutyName.OFFICER_VISIT, subject=f"{beat.officer}|{beat.village}", owner=beat.officer,
        village=beat.village, since=beat.since, per_week=settings.officer_visits_per_week,
        week_label=lambda n, seq, k: f"{beat.officer} {beat.village} 第{n}周进村走访（{seq}/{k}）",
        day_label=lambda d: f"{beat.officer} {beat.village} {_day_text(d)}每日走访（预警期间）",
    )
    daily = [w for w in warnings if w.daily_patrols and w.covers_village(beat.village)]
    times = (p.at for p in patrols
             if p.role == PatrolRole.VILLAGE_OFFICER and p.worker == beat.officer and p.village == beat.village)
    return _round_duties(spec, times, lambda d: any(w.covers_day(d) for w in daily), now, start)


def key_person_duties(person: KeyPerson, visits: Iterable[KeyPersonVisit], now: datetime,
                      settings: PreventionSettings, start: date | None = None) -> list[Duty]:
    """The visit cycle of a key person (seed 001: 重点人员逐个排查, a named person responsible).

    Every N days, N = ``person.visit_days`` or the type's default (the office's own types:
    ``settings.other_visit_days``). The anchor day A0 is ``person.since``: duty 1 is due at the
    end of A0 + N and done by the first visit at or after 00:00 of A0. With no ``since`` the
    first visit on record starts the cycle as if it were the previous visit (it answers no
    duty; duty 1 is due N days after it), and with no visit either A0 is today. After a visit
    on day V the next duty starts on V + 1, is due at the end of V + N and is done by the first
    visit strictly after the previous one (a second visit the same day counts; one entered twice
    at the same instant counts once). A visit after the due time makes the duty late, and the next cycle counts
    from that visit. The first duty with no visit is overdue once due, else pending; no duty is
    invented after it. Visits of other key persons (when ``person.id`` is set), after ``now``
    or on a day after ``person.ended`` are ignored. With ``ended`` set, no duty starts after it,
    and an open duty is dropped when ``ended`` <= its due day: nothing is owed once the person
    left the register, but a visit missed before then stays overdue. ``start`` only filters the
    result to duties whose due day is on or after it.
    """
    now = local(now)
    every = person.visit_days or settings.days_for(person.type)
    ended = person.ended
    times = sorted(
        t for t in (local(v.at) for v in visits if person.id is None or v.key_person_id == person.id)
        if t <= now and (ended is None or t.date() <= ended)
    )
    if person.since is not None:
        anchor = opens = person.since
        index = bisect_left(times, at_local(anchor, time(0)))  # the first duty: a visit from 00:00 of A0
    elif times:  # the first visit on record starts the cycle, as the previous visit of duty 1
        anchor = times[0].date()
        opens, index = anchor + ONE_DAY, bisect_right(times, times[0])
    else:
        anchor = opens = now.date()
        index = 0
    label = f"{person.name} 重点人员走访"
    subject = str(person.id) if person.id is not None else ""
    duties: list[Duty] = []
    seq = 1
    while ended is None or opens <= ended:
        due = end_of_day(anchor + timedelta(days=every))
        done_at = times[index] if index < len(times) else None
        duty = Duty(DutyName.KEY_PERSON_VISIT, subject, person.responsible, person.village, opens, due,
                    _state(done_at, due, now), done_at, seq, False, label)
        if done_at is None:
            if ended is None or ended > duty.due_day:
                duties.append(duty)
            break
        duties.append(duty)
        index = bisect_right(times, done_at)  # the next duty: a visit strictly after this one
        anchor, seq = done_at.date(), seq + 1
        opens = anchor + ONE_DAY
    return [d for d in duties if start is None or d.due_day >= start]


def open_duties(duties: Iterable[Duty], now: datetime, settings: PreventionSettings) -> list[Duty]:
    """What the timer panel shows, by due time: every pending duty, and the overdue ones due
    less than ``settings.overdue_lookback_weeks`` weeks before ``now`` (``due_at > now - weeks``).
    With 4 weeks, a weekly duty due exactly 4 weeks ago is no longer shown, so the last 4 missed
    weeks are; with 0 weeks no overdue duty is shown. Older misses stay in the figures."""
    horizon = local(now) - timedelta(weeks=settings.overdue_lookback_weeks)
    shown = [d for d in duties
             if d.state == ClockState.PENDING or (d.state == ClockState.OVERDUE and d.due_at > horizon)]
    return sorted(shown, key=lambda d: (d.due_at, d.village, d.subject, d.daily, d.seq))


def _done_by(duty: Duty, now: datetime) -> bool:
    return duty.done_at is not None and duty.done_at <= local(now)


def _due_in(duty: Duty, first: date, last: date, now: datetime) -> bool:
    """Counted in the range: its due day within [first, last] and, as of ``now``, either its
    time has come or it is done (a pending duty is not yet a miss)."""
    return first <= duty.due_day <= last and (duty.due_at <= local(now) or _done_by(duty, now))


def coverage(duties: Iterable[Duty], first: date, last: date, now: datetime) -> tuple[int, int]:
    """(done, due) of the grid patrols and officer visits due in [first, last], weekly and daily."""
    counted = [d for d in duties if d.name in ROUNDS and _due_in(d, first, last, now)]
    return sum(_done_by(d, now) for d in counted), len(counted)


def on_time(duties: Iterable[Duty], first: date, last: date, now: datetime) -> tuple[int, int]:
    """(met, due) of the key-person visits due in [first, last]; late and overdue are not on time."""
    counted = [d for d in duties if d.name == DutyName.KEY_PERSON_VISIT and _due_in(d, first, last, now)]
    return sum(d.state == ClockState.MET and _done_by(d, now) for d in counted), len(counted)


def found_first(source_counts: Mapping[str, int]) -> tuple[int, int]:
    """(cases found by a grid worker or an information officer, all cases): the share of disputes
    found before anyone called the police (seed 003: 主动发现). Keys are sources by code or by
    label (the statistics rows by source are keyed by label); a 合计 row is not added in."""
    counts = {key: value for key, value in source_counts.items() if key != TOTAL_KEY}
    return sum(v for k, v in counts.items() if k in FOUND_FIRST_SOURCES), sum(counts.values())


def rate_text(part: int, whole: int) -> str:
    """A prevention figure as the house shows rates (``statistics.percent``): — with no denominator."""
    return percent(part / whole if whole else None)

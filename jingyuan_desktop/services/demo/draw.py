"""What every part of the case generator shares: the random source, the town and the moment
taken as now, office-hours moments, and the timeline being planned for one case."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from jingyuan_desktop.domain.calendar import TZ, WorkCalendar
from jingyuan_desktop.domain.categories import DEFAULT_TREE
from jingyuan_desktop.domain.clocks import ClockSettings, add_office_minutes, in_office_time
from jingyuan_desktop.domain.enums import EventType, PersonRole, Risk
from jingyuan_desktop.domain.lifecycle import Classification
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.services.demo.texts import texts
from jingyuan_desktop.services.demo.town import DemoTown


class Draw:
    """The generator's state: one seeded random source drawn from in a fixed order, so that
    the same seed always gives the same cases."""

    def __init__(self, town: DemoTown, seed: int, now: datetime, calendar: WorkCalendar,
                 settings: ClockSettings):
        self.rng = random.Random(seed)
        self.town, self.now, self.cal, self.settings = town, now, calendar, settings
        self.opens, self.closes = _minute_of(settings.office_start), _minute_of(settings.office_end)
        self.texts = texts()
        self.villages = town.villages()
        if not self.villages:
            raise ValueError("演示镇没有村（社区）")
        self.teams = {v: [p.name for p in town.team(v)] for v in self.villages}
        self.office = [p.name for p in town.with_role(PersonRole.OFFICE_STAFF)] or ["治理办"]
        self.leaders = [p.name for p in town.with_role(PersonRole.LEADER)] or ["镇领导"]
        self.experts = [p.name for p in town.with_role(PersonRole.EXPERT)]
        self.officers = {s: [p.name for p in town.people if p.unit == s] for s in town.station_villages}
        self.stations = list(town.station_villages)

    # -- office hours, by the domain's rule ---------------------------------------------------
    def in_office(self, moment: datetime) -> bool:
        return in_office_time(moment, self.cal, self.settings)

    def opening_after(self, moment: datetime) -> datetime:
        """The next opening of the office after ``moment``, which lies outside office time."""
        # Zero office minutes from outside office time land on the next opening.
        return add_office_minutes(moment, 0, self.cal, self.settings)

    def office_on(self, day: date) -> datetime:
        """A random moment of ``day`` well inside office hours."""
        return at(day, self.rng.randint(self.opens + 10, self.closes - 10))

    def office_after(self, moment: datetime, working_days: int) -> datetime:
        """An office-hours moment ``working_days`` working days after ``moment``'s date."""
        return self.office_on(self.cal.nth_working_day_after(moment.date(), working_days))

    def workday_before(self, n: int) -> date:
        day = self.now.date()
        while n > 0:
            day -= timedelta(days=1)
            if self.cal.is_working_day(day):
                n -= 1
        return day

    def minutes(self, low: int, high: int) -> timedelta:
        return timedelta(minutes=self.rng.randint(low, high))

    # -- who and what --------------------------------------------------------------------------
    def clerk(self) -> str:
        return self.rng.choice(self.office)

    def note(self, kind: str) -> str:
        return self.rng.choice(self.texts["notes"][kind])

    def station_officers(self, village: str) -> list[str]:
        """The officers of the police station covering ``village``."""
        return self.officers.get(self.town.station_of(village)) or []


class Life:
    """A timeline being planned: the main chain in order, plus side events merged at the end.

    ``category``, ``grade``, ``risk`` and ``criminal`` are the classification as the planner
    knows it: for a transfer that came in unclassified, what the office will classify it as.
    """

    def __init__(self, case: Case, classification: Classification | None = None):
        self.case = case
        self.events: list[Event] = []
        self.extra: list[Event] = []
        self.last = case.received_at
        self.handlers: list[str] = []
        self.leader = ""
        self.resolved: datetime | None = None
        self.ended: datetime | None = None  # resolved, handed to the police or cancelled
        self.leader_at: datetime | None = None  # when the 包案领导 was named
        known = classification or Classification(case.category, case.grade, case.risk, case.criminal_risk)
        self.category, self.grade, self.risk, self.criminal = (known.category, known.grade, known.risk,
                                                               known.criminal_risk)

    @property
    def needs_leader(self) -> bool:
        return self.risk == Risk.RED or self.criminal

    def dispatched(self) -> bool:
        return any(e.type == EventType.DISPATCHED for e in self.events)

    def add(self, kind: EventType, at: datetime, by: str = "", note: str = "", evidence=None, **data) -> None:
        at = max(at, self.last)
        self.events.append(Event(kind, at, by, note, data, list(evidence or [])))
        self.last = at

    def side(self, kind: EventType, at: datetime, by: str = "", note: str = "", **data) -> None:
        self.extra.append(Event(kind, max(at, self.case.received_at), by, note, data))


Weighted = tuple[list[Any], list[float]]


def weighted(pairs: list[tuple[Any, float]]) -> Weighted:
    """(values, cumulative weights) for ``pick``."""
    return [value for value, _ in pairs], list(accumulate(weight for _, weight in pairs))


def pick(rng: random.Random, table: Weighted) -> Any:
    values, cumulative = table
    return rng.choices(values, cum_weights=cumulative)[0]


def at(day: date, minute: int) -> datetime:
    """``minute`` minutes into ``day``, Beijing time."""
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=TZ)


def _minute_of(clock: time) -> int:
    return clock.hour * 60 + clock.minute


_MAJOR_OF = {name: major for major, minors in DEFAULT_TREE.items() for name in (major, *minors)}


def major_of(category: str) -> str:
    return _MAJOR_OF.get(category, "邻里纠纷")

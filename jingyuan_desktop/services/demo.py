"""Demo data: the town 房镇镇 with fictional people, and two years of plausible cases.

Pure: no database and no Qt. ``load_town`` reads ``resources/demo/town.json``;
``generate_cases`` returns domain ``Case`` objects whose timelines pass
``lifecycle.check_timeline``. The same seed always gives the same cases; ``now`` and the
calendar are arguments, so nothing here reads the real clock.
"""

from __future__ import annotations

import bisect
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from jingyuan_desktop.domain.calendar import TZ, WorkCalendar, end_of_day, local
from jingyuan_desktop.domain.categories import DEFAULT_TREE
from jingyuan_desktop.domain.enums import (
    EventType,
    Grade,
    PartyRole,
    PersonRole,
    Risk,
    Satisfaction,
    Source,
    UnitKind,
)
from jingyuan_desktop.domain.model import Case, Event, Party, Person, Unit
from jingyuan_desktop.domain.repeats import normalise_place
from jingyuan_desktop.resources import resource_path

E = EventType
OPEN_MIN, CLOSE_MIN = 8 * 60 + 30, 17 * 60  # office hours as minutes of the day
REPEAT_WINDOW = timedelta(days=90)
SPAN_DAYS = 730
SHOWCASE_MIN_COUNT = 60  # below this the hand-made recent cases would crowd out the rest


@dataclass
class DemoTown:
    """The demo town: its units, its people, which villages each police station covers."""

    town: str
    case_no_prefix: str
    units: list[Unit]
    people: list[Person]
    station_villages: dict[str, list[str]] = field(default_factory=dict)

    def villages(self) -> list[str]:
        """Villages and communities, in the order of the file."""
        return [u.name for u in self.units if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)]

    def team(self, village: str) -> list[Person]:
        """The handling team of a village, its secretary first."""
        members = [p for p in self.people if p.unit == village]
        return sorted(members, key=lambda p: p.role != PersonRole.SECRETARY)

    def with_role(self, role: PersonRole) -> list[Person]:
        return [p for p in self.people if p.role == role]

    def station_of(self, village: str) -> str:
        for station, villages in self.station_villages.items():
            if village in villages:
                return station
        return next(iter(self.station_villages), "")


def load_town(path: Path | str | None = None) -> DemoTown:
    """Read the demo town from ``path`` (default: the bundled ``demo/town.json``)."""
    source = Path(path) if path else resource_path("demo", "town.json")
    raw = json.loads(source.read_text(encoding="utf-8"))
    units = [Unit(u["name"], UnitKind(u["kind"])) for u in raw["units"]]
    people = [
        Person(p["name"], PersonRole(p["role"]), p.get("unit"), p.get("phone", ""), tuple(p.get("skills", ())))
        for p in raw["people"]
    ]
    stations = {k: list(v) for k, v in raw.get("station_villages", {}).items()}
    return DemoTown(raw["town"], raw["case_no_prefix"], units, people, stations)


# ---------------------------------------------------------------------------------------
# Phrases: "[甲|乙]" picks one alternative, "{n}" and friends are numbers, "{v}" the village.

_TOKEN = re.compile(r"\[([^\]]*)\]|\{(\w)\}")
_NUMBER_SLOTS = {"n": (1, 12), "k": (1, 86), "b": (1, 28), "u": (1, 4)}


class _Phrase:
    def __init__(self, template: str):
        self.parts: list = []
        position = 0
        for match in _TOKEN.finditer(template):
            if match.start() > position:
                self.parts.append(template[position:match.start()])
            if match.group(1) is not None:
                self.parts.append(tuple(match.group(1).split("|")))
            else:
                self.parts.append([match.group(2)])  # a list marks a slot
            position = match.end()
        if position < len(template):
            self.parts.append(template[position:])

    def render(self, rng: random.Random, village: str = "") -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, list):
                out.append(_slot(rng, part[0], village))
            else:
                out.append(rng.choice(part))
        return "".join(out)


def _slot(rng: random.Random, name: str, village: str) -> str:
    if name == "v":
        return village
    if name == "r":
        return f"{rng.randint(1, 26)}0{rng.randint(1, 4)}"
    low, high = _NUMBER_SLOTS[name]
    return str(rng.randint(low, high))


@lru_cache(maxsize=1)
def _texts() -> dict:
    raw = json.loads(resource_path("demo", "texts.json").read_text(encoding="utf-8"))
    raw["summary_phrases"] = {k: [_Phrase(t) for t in v] for k, v in raw["summaries"].items()}
    raw["place_phrases"] = {
        kind: ([_Phrase(t) for _, t in pairs], list(accumulate(w for w, _ in pairs)))
        for kind, pairs in raw["places"].items()
        if not kind.startswith("_")
    }
    return raw


def party_name_parts() -> tuple[str, str, str]:
    """The surname and given-name characters fictional parties are built from."""
    texts = _texts()
    return texts["surnames"], texts["given_first"], texts["given_second"]


# ---------------------------------------------------------------------------------------
# Proportions

_SOURCES = [
    (Source.POLICE_TRANSFER, 72), (Source.GRID_REPORT, 9), (Source.WALK_IN, 7),
    (Source.HOTLINE, 6), (Source.INFORMANT, 3), (Source.COURT_NOTICE, 3),
]
_MAJORS = [("邻里纠纷", 30), ("婚姻家庭", 25), ("物业管理", 12), ("经济纠纷", 12), ("求助", 11), ("土地纠纷", 10)]
_GRADES = {  # simple, general, difficult
    "求助": (0.72, 0.26, 0.02), "土地纠纷": (0.25, 0.50, 0.25), "default": (0.45, 0.45, 0.10),
}
_RISKS = {Grade.SIMPLE: (0.005, 0.30), Grade.GENERAL: (0.05, 0.45), Grade.DIFFICULT: (0.28, 0.52)}  # red, yellow
_CALL_HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 8, 8, 9, 9, 9, 10, 11, 12, 12, 10, 6, 3]
_SATISFACTION = {
    "easy": [62, 24, 6, 5, 3],
    "hard": [42, 28, 16, 8, 6],
}
_PHONE_PREFIXES = [f"13{d}" for d in range(10)] + ["150", "151", "152", "155", "156", "157", "158", "159"] + [
    f"18{d}" for d in range(10)
]


def _weighted(pairs):
    return [value for value, _ in pairs], list(accumulate(weight for _, weight in pairs))


_SOURCE_TABLE = _weighted(_SOURCES)
_MAJOR_TABLE = _weighted(_MAJORS)


def generate_cases(
    town: DemoTown, *, count: int = 2000, seed: int = 0, now: datetime, calendar: WorkCalendar
) -> list[Case]:
    """``count`` cases received in the two years before ``now``, sorted by receipt.

    Old cases are mostly closed and archived; the last days hold open cases in every state,
    some of them past their deadlines as of ``now``. No event lies after ``now``.
    """
    return _Generator(town, seed, local(now), calendar).run(count)


@dataclass
class _Intake:
    received_at: datetime
    source: Source
    called_at: datetime | None
    showcase: str = ""


class _Generator:
    def __init__(self, town: DemoTown, seed: int, now: datetime, calendar: WorkCalendar):
        self.rng = random.Random(seed)
        self.town, self.now, self.cal = town, now, calendar
        self.texts = _texts()
        self.villages = town.villages()
        if not self.villages:
            raise ValueError("演示镇没有村（社区）")
        self.village_weights = self._village_weights()
        self.communities = [v for v in self.villages if v.endswith("社区")]
        self.rural = [v for v in self.villages if not v.endswith("社区")] or self.villages
        self.teams = {v: [p.name for p in town.team(v)] for v in self.villages}
        self.office = [p.name for p in town.with_role(PersonRole.OFFICE_STAFF)] or ["治理办"]
        self.leaders = [p.name for p in town.with_role(PersonRole.LEADER)] or ["镇领导"]
        self.experts = [p.name for p in town.with_role(PersonRole.EXPERT)]
        self.officers = {s: [p.name for p in town.people if p.unit == s] for s in town.station_villages}
        self.stations = list(town.station_villages)
        self.incident_serial: dict[tuple[str, date], int] = {}
        self.by_phone: dict[str, tuple[datetime, str]] = {}
        self.by_place: dict[tuple[str, str], tuple[datetime, str]] = {}

    # -- top level ---------------------------------------------------------------------
    def run(self, count: int) -> list[Case]:
        if count <= 0:
            return []
        showcase = _SHOWCASE if count >= SHOWCASE_MIN_COUNT else []
        intakes = [self._draw_intake() for _ in range(count - len(showcase))]
        intakes += [_Intake(self._showcase_received(name), Source.POLICE_TRANSFER, None, name) for name in showcase]
        intakes.sort(key=lambda i: i.received_at)
        cases: list[Case] = []
        received: list[datetime] = []
        serials: dict[int, int] = {}
        for intake in intakes:
            year = intake.received_at.year
            serials[year] = serials.get(year, 0) + 1
            case = self._intake_case(intake, f"{self.town.case_no_prefix}-{year}-{serials[year]:05d}", cases, received)
            life = _Life(case)
            if intake.showcase:
                getattr(self, "_show_" + intake.showcase)(case, life)
            else:
                self._live(case, life)
            case.events = self._finish(life.events + life.extra)
            cases.append(case)
            received.append(case.received_at)
        self._number_archives(cases)
        return cases

    def _finish(self, events: list[Event]) -> list[Event]:
        """Time order, nothing after ``now``, nothing after a case was archived or cancelled."""
        events.sort(key=lambda e: e.at)
        kept = []
        for event in events:
            if event.at > self.now:
                break
            kept.append(event)
            if event.type in (E.ARCHIVED, E.CANCELLED):
                break
        return kept

    def _number_archives(self, cases: list[Case]) -> None:
        archived = [e for c in cases for e in c.events if e.type == E.ARCHIVED]
        archived.sort(key=lambda e: e.at)
        serials: dict[int, int] = {}
        for event in archived:
            year = event.at.year
            serials[year] = serials.get(year, 0) + 1
            event.data["archive_no"] = f"{self.town.case_no_prefix}DA-{year}-{serials[year]:04d}"

    # -- receipt -------------------------------------------------------------------------
    def _draw_intake(self) -> _Intake:
        rng = self.rng
        source = _pick(rng, _SOURCE_TABLE)
        for _ in range(50):
            # A slight rise over the two years: the procedure took hold.
            day = self.now.date() - timedelta(days=int(SPAN_DAYS * rng.random() ** 1.12))
            called = None
            if source in (Source.POLICE_TRANSFER, Source.INFORMANT):
                hour = rng.choices(range(24), cum_weights=_CALL_CUM)[0]
                called = _at(day, hour * 60 + rng.randint(0, 59))
                received = called + timedelta(minutes=rng.randint(12, 75))
                if not self._in_office(received) and rng.random() < 0.65:
                    # The police keep what comes at night; the rest reaches the office next morning.
                    received = self._opening_after(received) + timedelta(minutes=rng.randint(0, 45))
                if source == Source.INFORMANT:
                    called = None
            else:
                if not self.cal.is_working_day(day) and rng.random() < 0.8:
                    day = self.cal.next_working_day(day)
                spread = (OPEN_MIN + 5, CLOSE_MIN - 5) if rng.random() < 0.9 else (7 * 60, 21 * 60)
                received = _at(day, rng.randint(*spread))
            if received < self.now - timedelta(minutes=20):
                return _Intake(received, source, called)
        return _Intake(self.now - timedelta(days=1), source, None)

    def _intake_case(self, intake: _Intake, case_no: str, earlier: list[Case], received: list[datetime]) -> Case:
        rng = self.rng
        major = _pick(rng, _MAJOR_TABLE)
        minors = DEFAULT_TREE[major]
        category = rng.choice(minors) if rng.random() < 0.8 else major
        template_key = category if category in minors else rng.choice(minors)
        if major == "物业管理" and self.communities and rng.random() < 0.8:
            village = rng.choice(self.communities)
        elif category in self.texts["rural_only"] or major in self.texts["rural_only"]:
            village = rng.choice(self.rural)
        else:
            village = rng.choices(self.villages, cum_weights=self.village_weights)[0]
        grade = self._grade(major)
        red, yellow = _RISKS[grade]
        roll = rng.random()
        risk = Risk.RED if roll < red else Risk.YELLOW if roll < red + yellow else Risk.BLUE
        if risk == Risk.RED and major == "求助":
            risk = Risk.YELLOW  # a call for help is watched, not a high-risk dispute
        criminal = rng.random() < {Risk.RED: 0.5, Risk.YELLOW: 0.1, Risk.BLUE: 0.03}[risk]
        summary = rng.choice(self.texts["summary_phrases"][template_key]).render(rng)
        tails = self.texts["tails"]
        summary += rng.choice(tails["criminal"] if criminal else tails.get(major, tails["default"]))
        if intake.source != Source.POLICE_TRANSFER:
            for old, new in self.texts["not_police_wording"].items():
                summary = summary.replace(old, new)
            summary = self.texts["source_openers"].get(intake.source.value, "") + summary
        wording = self.texts["community_wording" if village in self.communities else "village_wording"]
        for old, new in wording.items():
            summary = summary.replace(old, new)
        case = Case(
            received_at=intake.received_at, village=village, summary=summary, category=category,
            grade=grade, risk=risk, source=intake.source, case_no=case_no,
            location=self._place(village, major), criminal_risk=criminal,
            key_persons=rng.random() < 0.03, called_at=intake.called_at,
            parties=self._parties(major),
        )
        if intake.source == Source.POLICE_TRANSFER:
            station = self.town.station_of(village)
            case.police_station = station
            case.officer = rng.choice(self.officers.get(station) or ["值班民警"])
            case.called_at = intake.called_at or intake.received_at - timedelta(minutes=rng.randint(15, 60))
            case.police_incident_no = self._incident_no(station, case.called_at)
        if not intake.showcase and rng.random() < 0.006:
            self._copy_from_earlier(case, earlier, received)
        self._mark_repeat(case)
        return case

    def _grade(self, major: str) -> Grade:
        simple, general, _ = _GRADES.get(major, _GRADES["default"])
        roll = self.rng.random()
        return Grade.SIMPLE if roll < simple else Grade.GENERAL if roll < simple + general else Grade.DIFFICULT

    def _copy_from_earlier(self, case: Case, earlier: list[Case], received: list[datetime]) -> None:
        """Make a deliberate repeat: the same caller, or the same place, called again."""
        start = bisect.bisect_left(received, case.received_at - REPEAT_WINDOW + timedelta(hours=1))
        if start >= len(earlier):
            return
        before = self.rng.choice(earlier[start:])
        case.village, case.category = before.village, before.category
        if self.rng.random() < 0.5 and before.caller:
            case.parties[0] = Party(before.caller.name, before.caller.phone, PartyRole.CALLER)
            case.location = self._place(case.village, _major_of(case.category))
        else:
            case.location = before.location
        if case.source == Source.POLICE_TRANSFER:
            station = self.town.station_of(case.village)
            case.police_station = station
            case.officer = self.rng.choice(self.officers.get(station) or ["值班民警"])
            case.police_incident_no = self._incident_no(station, case.called_at)

    def _mark_repeat(self, case: Case) -> None:
        """Set ``repeat_of`` the way the domain's repeat rule would find it."""
        phone = case.caller.phone if case.caller else ""
        place = (case.village, normalise_place(case.location))
        found = [hit for hit in (self.by_phone.get(phone), self.by_place.get(place)) if hit]
        found = [hit for hit in found if hit[0] >= case.received_at - REPEAT_WINDOW and hit[0] < case.received_at]
        if found:
            case.repeat_of = max(found)[1]
        if phone:
            self.by_phone[phone] = (case.received_at, case.case_no)
        if place[1]:
            self.by_place[place] = (case.received_at, case.case_no)

    def _incident_no(self, station: str, called: datetime) -> str:
        key = (station, called.date())
        self.incident_serial[key] = self.incident_serial.get(key, 0) + 1
        code = 51 + (self.stations.index(station) if station in self.stations else 0)
        return f"J370303{code}{called.year}{called.month:02d}{called.day:02d}{self.incident_serial[key]:04d}"

    def _place(self, village: str, major: str) -> str:
        if village.endswith("社区"):
            kind = "community"
        else:
            kind = "land" if major == "土地纠纷" and self.rng.random() < 0.8 else "village"
        phrases, weights = self.texts["place_phrases"][kind]
        return self.rng.choices(phrases, cum_weights=weights)[0].render(self.rng, village)

    def _parties(self, major: str) -> list[Party]:
        parties = [Party(self._person_name(), self._phone(), PartyRole.CALLER)]
        if self.rng.random() < (0.3 if major == "求助" else 0.75):
            phone = self._phone() if self.rng.random() < 0.45 else ""
            parties.append(Party(self._person_name(), phone, PartyRole.PARTY))
        return parties

    def _person_name(self) -> str:
        surnames, first, second = self.texts["surnames"], self.texts["given_first"], self.texts["given_second"]
        if self.rng.random() < 0.12:
            return self.rng.choice(surnames) + self.rng.choice(second)
        return self.rng.choice(surnames) + self.rng.choice(first) + self.rng.choice(second)

    def _phone(self) -> str:
        return self.rng.choice(_PHONE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def _village_weights(self) -> list[float]:
        # Communities are denser; villages differ in size. Fixed per town, not per seed.
        sizes = random.Random(len(self.villages))
        weights, total = [], 0.0
        for name in self.villages:
            total += (2.2 if name.endswith("社区") else 1.0) * (0.6 + sizes.random() * 0.8)
            weights.append(total)
        return weights

    # -- clock helpers -------------------------------------------------------------------
    def _in_office(self, moment: datetime) -> bool:
        minute = moment.hour * 60 + moment.minute
        return OPEN_MIN <= minute < CLOSE_MIN and self.cal.is_working_day(moment.date())

    def _opening_after(self, moment: datetime) -> datetime:
        day = moment.date()
        if self.cal.is_working_day(day) and moment.hour * 60 + moment.minute < OPEN_MIN:
            return _at(day, OPEN_MIN)
        return _at(self.cal.next_working_day(day), OPEN_MIN)

    def _office_on(self, day: date, low: int = OPEN_MIN + 10, high: int = CLOSE_MIN - 10) -> datetime:
        return _at(day, self.rng.randint(low, high))

    def _office_after(self, moment: datetime, working_days: int) -> datetime:
        """An office-hours moment ``working_days`` working days after ``moment``'s date."""
        return self._office_on(self.cal.nth_working_day_after(moment.date(), working_days))

    def _workday_before(self, n: int) -> date:
        day = self.now.date()
        while n > 0:
            day -= timedelta(days=1)
            if self.cal.is_working_day(day):
                n -= 1
        return day

    def _minutes(self, low: int, high: int) -> timedelta:
        return timedelta(minutes=self.rng.randint(low, high))

    # -- a whole life ----------------------------------------------------------------------
    def _live(self, case: Case, life: "_Life") -> None:
        """Plan the case's whole life; ``_finish`` later cuts it at ``now``."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.006:
            life.add(E.CANCELLED, case.received_at + self._minutes(5, 50), self._clerk(), self._note("cancelled"),
                     reason=self._note("cancelled"))
            return
        if case.risk == Risk.RED:
            self._red_leader(case, life)
        dispatched = self._dispatch(case, life)
        arrived = self._arrive(case, life, dispatched)
        if roll < 0.016:
            life.add(E.CANCELLED, arrived + self._minutes(30, 180), self._clerk(), reason=self._note("cancelled"))
            return
        if rng.random() < 0.04:
            self._reclassify(case, life, arrived)
        resolved = self._handle(case, life, arrived)
        if case.risk == Risk.RED:
            self._supervise(case, life, resolved)
        if resolved is not None:
            self._close(case, life, resolved)

    def _red_leader(self, case: Case, life: "_Life") -> None:
        at = case.received_at + self._minutes(10, 150)
        at = min(at, end_of_day(case.received_at.date()) - self._minutes(1, 5))
        life.side(E.LEADER_ASSIGNED, max(at, case.received_at), self._clerk(), self._note("leader_assigned"),
                  leader=self.rng.choice(self.leaders))

    def _dispatch_time(self, received: datetime) -> datetime:
        rng = self.rng
        if self._in_office(received):
            return received + (self._minutes(1, 4) if rng.random() < 0.9 else self._minutes(6, 40))
        if rng.random() < 0.3:
            return received + self._minutes(2, 15)  # the duty officer dispatched at once
        late = rng.random() >= 0.85
        return self._opening_after(received) + (self._minutes(6, 50) if late else self._minutes(1, 4))

    def _dispatch(self, case: Case, life: "_Life", at: datetime | None = None) -> datetime:
        rng = self.rng
        at = at or self._dispatch_time(case.received_at)
        team = self.teams[case.village]
        if len(team) < 2:  # an edited town may have a thin team: the office lends a hand
            spare = [n for n in self.office if n not in team] + ["治理办值班人员甲", "治理办值班人员乙"]
            team = team + spare[: 2 - len(team)]
        leader, others = team[0], team[1:]
        handlers = [leader] + rng.sample(others, min(len(others), rng.choice((1, 1, 2, 2, 3))))
        major = _major_of(case.category)
        departments = []
        if case.grade != Grade.SIMPLE and rng.random() < 0.15:
            departments = [rng.choice(self.texts["departments"][major])]
        experts = []
        if self.experts and case.grade == Grade.DIFFICULT and rng.random() < 0.2:
            experts = [rng.choice(self.experts)]
        life.add(E.DISPATCHED, at, self._clerk(), self._note("dispatched"), handlers=handlers, leader=leader,
                 departments=departments, experts=experts)
        life.handlers, life.leader = handlers, leader
        return life.last

    def _arrive(self, case: Case, life: "_Life", dispatched: datetime) -> datetime:
        delay = self._minutes(5, 14) if self.rng.random() < 0.82 else self._minutes(15, 40)
        life.add(E.ARRIVED, dispatched + delay, life.leader, self._note("arrived"), handlers=list(life.handlers),
                 evidence=[self.rng.choice(self.texts["evidence"]["arrived"])])
        return life.last

    def _reclassify(self, case: Case, life: "_Life", at: datetime) -> None:
        if case.risk == Risk.RED:
            return
        risk = Risk.BLUE if case.risk == Risk.YELLOW else Risk.YELLOW
        life.add(E.CLASSIFIED, at + self._minutes(5, 40), self._clerk(), self._note("classified"), risk=risk)

    def _handle(self, case: Case, life: "_Life", arrived: datetime) -> datetime | None:
        """Everything between arrival and resolution; returns when it was resolved, if ever."""
        rng, grade = self.rng, case.grade
        roll = rng.random()
        on_site = {Grade.SIMPLE: 0.8, Grade.GENERAL: 0.42, Grade.DIFFICULT: 0.0}[grade]
        if roll < on_site:
            life.add(E.RESOLVED, arrived + self._minutes(15, 100), life.leader, self._note("resolved_on_site"),
                     on_site=True, evidence=[self.rng.choice(self.texts["evidence"]["resolved"])])
            return life.last
        if grade == Grade.DIFFICULT:
            return self._difficult(case, life, arrived)
        left = (roll - on_site) / (1 - on_site)
        if grade == Grade.GENERAL and left < 0.1:
            failures = 3  # still general after three failures: the office is told to escalate
        elif grade == Grade.GENERAL and left < 0.35:
            self._attempts(life, arrived, rng.choice((2, 3)), resolve=False)
            return self._escalate(case, life)
        else:
            failures = rng.choice((0, 0, 0, 1, 1, 2)) if grade == Grade.GENERAL else rng.choice((0, 0, 1))
        self._attempts(life, arrived, failures + 1, resolve=True)
        return life.resolved

    def _attempts(self, life: "_Life", start: datetime, attempts: int, *, resolve: bool) -> None:
        """Agreed follow-ups, each ending in a failed mediation, the last one perhaps resolved."""
        rng = self.rng
        at = start + self._minutes(20, 90)
        for attempt in range(attempts):
            if rng.random() < 0.2 and at.hour < 14:
                agreed = at + self._minutes(120, 240)
            else:
                agreed = self._office_after(at, rng.choice((1, 1, 2, 3)))
            life.add(E.FOLLOW_UP_SCHEDULED, at, life.leader, self._note("follow_up_scheduled"), agreed_at=agreed)
            self._progress_days(life, at, agreed)
            act = agreed + (self._minutes(0, 50) if rng.random() < 0.9 else self._minutes(70, 400))
            if attempt == attempts - 1 and resolve:
                life.add(E.RESOLVED, act, life.leader, self._note("resolved"), on_site=False,
                         evidence=[rng.choice(self.texts["evidence"]["resolved"])])
                life.resolved = life.last
                return
            life.add(E.MEDIATION_FAILED, act, life.leader, self._note("mediation_failed"))
            at = life.last + self._minutes(10, 60)

    def _progress_days(self, life: "_Life", start: datetime, end: datetime, sparse_after: int = 8) -> None:
        """Daily progress reports on the working days strictly between ``start`` and ``end``."""
        day = start.date()
        reported = 0
        for _ in range(400):
            day = self.cal.next_working_day(day)
            moment = self._office_on(day)
            if moment >= end or day >= end.date():
                return
            reported += 1
            if reported > sparse_after:
                # Long cases: the village reports only every few days.
                day += timedelta(days=self.rng.randint(1, 6))
            elif self.rng.random() > 0.85:
                continue
            life.add(E.PROGRESS, moment, life.leader, self._note("progress"))

    def _escalate(self, case: Case, life: "_Life") -> datetime | None:
        at = self._office_after(life.last, self.rng.choice((0, 1, 1, 2))) if self.rng.random() < 0.7 else life.last
        life.add(E.ESCALATED, max(at, life.last + self._minutes(10, 60)), self._clerk(), self._note("escalated"))
        return self._long_tail(case, life, life.last, court_share=0.2)

    def _difficult(self, case: Case, life: "_Life", arrived: datetime) -> datetime | None:
        if self.rng.random() < 0.4:
            self._attempts(life, arrived, 1, resolve=False)
        return self._long_tail(case, life, life.last, court_share=0.3)

    def _long_tail(self, case: Case, life: "_Life", start: datetime, court_share: float) -> datetime | None:
        """Joint handling or the court, progress reports, then resolution weeks later (or never)."""
        rng = self.rng
        turn = self._office_after(start, rng.randint(1, 5))
        self._progress_days(life, start, turn)
        if rng.random() < court_share:
            life.add(E.REFERRED_TO_COURT, turn, self._clerk(), self._note("referred_to_court"),
                     court=self.texts["court"])
        else:
            major = _major_of(case.category)
            departments = rng.sample(self.texts["departments"][major], rng.randint(1, 2))
            experts = [rng.choice(self.experts)] if self.experts and rng.random() < 0.4 else []
            life.add(E.JOINT_HANDLING, turn, self._clerk(), self._note("joint_handling"),
                     departments=departments, experts=experts)
        if rng.random() < 0.03:
            self._progress_days(life, life.last, self.now + timedelta(days=1), sparse_after=3)
            return None  # a long-standing case (积案) still open
        end = life.last + timedelta(days=rng.randint(8, 75), minutes=rng.randint(0, 300))
        end = self._office_on(end.date()) if self.cal.is_working_day(end.date()) else self._office_after(end, 1)
        self._progress_days(life, life.last, end)
        life.add(E.RESOLVED, end, life.leader, self._note("resolved"), on_site=False,
                 evidence=[rng.choice(self.texts["evidence"]["resolved"])])
        life.resolved = life.last
        return life.resolved

    def _supervise(self, case: Case, life: "_Life", resolved: datetime | None) -> None:
        leader_at = next(e.at for e in life.extra if e.type == E.LEADER_ASSIGNED)
        at = leader_at
        stop = resolved or self.now + timedelta(days=40)
        for _ in range(40):
            at += timedelta(days=self.rng.randint(26, 31) if self.rng.random() < 0.9 else self.rng.randint(34, 45))
            at = self._office_on(at.date())
            if at >= stop:
                return
            life.side(E.SUPERVISED, at, self.rng.choice(self.leaders), self._note("supervised"))

    def _close(self, case: Case, life: "_Life", resolved: datetime) -> None:
        """Return visit, feedback to the police, perhaps a second visit, then the archive."""
        rng = self.rng
        days = rng.choices((1, 2, 3, 4, 5), cum_weights=(40, 70, 88, 95, 100))[0]
        visit = self._office_after(resolved, days)
        hard = case.grade == Grade.DIFFICULT or any(e.type == E.ESCALATED for e in life.events)
        self._visit(case, life, visit, hard)
        if case.source == Source.POLICE_TRANSFER:
            roll = rng.random()
            if roll < 0.1 and life.last.hour < 16:
                at = life.last + self._minutes(20, 50)
            else:
                at = self._office_after(life.last, 1 if roll < 0.9 else rng.choice((2, 3)))
            life.add(E.POLICE_FEEDBACK, at, self._clerk(), self._note("police_feedback"), officer=case.officer)
        if (hard or case.risk == Risk.RED) and rng.random() < 0.5:
            self._visit(case, life, self._office_on((life.last + timedelta(days=rng.randint(25, 35))).date()), hard)
        if rng.random() < 0.93:
            at = self._office_on((life.last + timedelta(days=rng.randint(3, 25))).date())
            life.add(E.ARCHIVED, at, self._clerk(), self._note("archived"), archive_no="")

    def _visit(self, case: Case, life: "_Life", at: datetime, hard: bool) -> None:
        answer = self.rng.choices(list(Satisfaction), weights=_SATISFACTION["hard" if hard else "easy"])[0]
        party = case.caller.name if case.caller else ""
        life.add(E.RETURN_VISIT, at, self._clerk(), self.rng.choice(self.texts["notes"]["return_visit"][answer.value]),
                 satisfaction=answer, party=party)

    def _clerk(self) -> str:
        return self.rng.choice(self.office)

    def _note(self, kind: str) -> str:
        return self.rng.choice(self.texts["notes"][kind])

    # -- the recent cases that show every state ----------------------------------------------
    def _showcase_received(self, name: str) -> datetime:
        minutes_ago = {"awaiting": 3, "awaiting_late": 47, "dispatched": 16, "arrive_late": 75}
        if name in minutes_ago:
            return self.now - timedelta(minutes=minutes_ago[name])
        days_ago, minute = _SHOWCASE_DAYS[name]
        return _at(self._workday_before(days_ago), minute)

    def _show_awaiting(self, case: Case, life: "_Life") -> None:
        pass

    _show_awaiting_late = _show_awaiting

    def _show_dispatched(self, case: Case, life: "_Life") -> None:
        self._dispatch(case, life, self.now - timedelta(minutes=12))

    def _show_arrive_late(self, case: Case, life: "_Life") -> None:
        self._dispatch(case, life, self.now - timedelta(minutes=70))

    def _show_handling(self, case: Case, life: "_Life") -> None:
        self._show_start(case, life)
        life.add(E.PROGRESS, _at(self._workday_before(1), 15 * 60), life.leader, self._note("progress"))

    def _show_three_failures(self, case: Case, life: "_Life") -> None:
        case.grade = Grade.GENERAL
        self._show_start(case, life)
        for days_ago in (7, 5, 3):
            agreed = _at(self._workday_before(days_ago), 10 * 60)
            life.add(E.FOLLOW_UP_SCHEDULED, life.last + self._minutes(20, 40), life.leader,
                     self._note("follow_up_scheduled"), agreed_at=agreed)
            life.add(E.MEDIATION_FAILED, agreed + self._minutes(0, 30), life.leader, self._note("mediation_failed"))
        for days_ago in (2, 1):
            life.add(E.PROGRESS, _at(self._workday_before(days_ago), 11 * 60), life.leader, self._note("progress"))

    def _show_follow_up(self, case: Case, life: "_Life") -> None:
        self._show_start(case, life)
        agreed = _at(self.cal.next_working_day(self.now.date()), 10 * 60)
        life.add(E.FOLLOW_UP_SCHEDULED, life.last + self._minutes(30, 60), life.leader,
                 self._note("follow_up_scheduled"), agreed_at=agreed)

    def _show_follow_up_late(self, case: Case, life: "_Life") -> None:
        self._show_start(case, life)
        life.add(E.FOLLOW_UP_SCHEDULED, life.last + self._minutes(30, 60), life.leader,
                 self._note("follow_up_scheduled"), agreed_at=_at(self._workday_before(2), 9 * 60 + 30))

    def _show_escalated_red(self, case: Case, life: "_Life", supervised: bool = True) -> None:
        case.grade, case.risk, case.criminal_risk = Grade.GENERAL, Risk.RED, True
        self._red_leader(case, life)
        self._show_start(case, life)
        self._attempts(life, life.last, 2, resolve=False)
        life.add(E.ESCALATED, life.last + self._minutes(30, 90), self._clerk(), self._note("escalated"))
        life.add(E.JOINT_HANDLING, self._office_after(life.last, 2), self._clerk(), self._note("joint_handling"),
                 departments=["司法所", "信访办"], experts=self.experts[:1])
        self._progress_days(life, life.last, self.now, sparse_after=4)
        if supervised:
            self._supervise(case, life, None)

    def _show_escalated_unsupervised(self, case: Case, life: "_Life") -> None:
        self._show_escalated_red(case, life, supervised=False)

    def _show_referred(self, case: Case, life: "_Life") -> None:
        case.grade = Grade.DIFFICULT
        self._show_start(case, life)
        life.add(E.REFERRED_TO_COURT, _at(self._workday_before(8), 14 * 60), self._clerk(),
                 self._note("referred_to_court"), court=self.texts["court"])
        life.add(E.PROGRESS, _at(self._workday_before(3), 10 * 60), life.leader, self._note("progress"))

    def _show_resolved(self, case: Case, life: "_Life", visit_days_ago: int | None = None) -> None:
        self._show_start(case, life)
        life.add(E.RESOLVED, life.last + self._minutes(20, 60), life.leader, self._note("resolved_on_site"),
                 on_site=True)
        if visit_days_ago is not None:
            self._visit(case, life, _at(self._workday_before(visit_days_ago), 15 * 60), False)

    _show_visit_late = _show_resolved

    def _show_visited(self, case: Case, life: "_Life") -> None:
        self._show_resolved(case, life, visit_days_ago=1)

    def _show_feedback_late(self, case: Case, life: "_Life") -> None:
        self._show_resolved(case, life, visit_days_ago=5)

    def _show_leader_late(self, case: Case, life: "_Life") -> None:
        case.risk = Risk.RED
        self._show_start(case, life)
        life.add(E.PROGRESS, life.last + self._minutes(60, 120), life.leader, self._note("progress"))

    def _show_start(self, case: Case, life: "_Life") -> None:
        self._dispatch(case, life)
        self._arrive(case, life, life.last)


# name -> (working days before now, minute of the day received)
_SHOWCASE_DAYS = {
    "handling": (2, 10 * 60 + 5), "three_failures": (8, 9 * 60 + 40), "follow_up": (1, 14 * 60 + 20),
    "follow_up_late": (4, 9 * 60 + 10), "escalated_red": (25, 10 * 60 + 30),
    "escalated_unsupervised": (32, 9 * 60 + 15), "referred": (15, 15 * 60), "resolved": (1, 10 * 60),
    "visit_late": (7, 9 * 60 + 50), "visited": (3, 11 * 60), "feedback_late": (8, 10 * 60 + 20),
    "leader_late": (1, 11 * 60),
}
_SHOWCASE = ["awaiting", "awaiting_late", "dispatched", "arrive_late", *_SHOWCASE_DAYS]


class _Life:
    """A timeline being planned: the main chain in order, plus side events merged at the end."""

    def __init__(self, case: Case):
        self.case = case
        self.events: list[Event] = []
        self.extra: list[Event] = []
        self.last = case.received_at
        self.handlers: list[str] = []
        self.leader = ""
        self.resolved: datetime | None = None

    def add(self, kind: EventType, at: datetime, by: str = "", note: str = "", evidence=None, **data) -> None:
        at = max(at, self.last)
        self.events.append(Event(kind, at, by, note, data, list(evidence or [])))
        self.last = at

    def side(self, kind: EventType, at: datetime, by: str = "", note: str = "", **data) -> None:
        self.extra.append(Event(kind, max(at, self.case.received_at), by, note, data))


def _pick(rng: random.Random, table):
    values, cumulative = table
    return rng.choices(values, cum_weights=cumulative)[0]


_CALL_CUM = list(accumulate(_CALL_HOUR_WEIGHTS))


def _at(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=TZ)


_MAJOR_OF = {name: major for major, minors in DEFAULT_TREE.items() for name in (major, *minors)}


def _major_of(category: str) -> str:
    return _MAJOR_OF.get(category, "邻里纠纷")

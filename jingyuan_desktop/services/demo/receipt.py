"""How demo cases arrive: the source, the moment, the village, the classification, the words
of the summary and the place, and the deliberate repeat calls."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate

from jingyuan_desktop.domain.categories import DEFAULT_TREE, UNCLASSIFIED
from jingyuan_desktop.domain.enums import Grade, PartyRole, Risk, Source
from jingyuan_desktop.domain.lifecycle import Classification
from jingyuan_desktop.domain.model import Case, Party
from jingyuan_desktop.domain.repeats import normalise_place
from jingyuan_desktop.services.demo.draw import Draw, at, major_of, pick, weighted
from jingyuan_desktop.services.demo.people import draw_parties

REPEAT_WINDOW = timedelta(days=90)
SPAN_DAYS = 730
DUPLICATES = 0.005  # entered twice by mistake, then cancelled as 重复录入
UNCLASSIFIED_SHARE = 0.08  # of police transfers: imported from the police list, classified later
# Showcase cases whose receipt is special: still unclassified, a repeat call awaiting 研判, a fight.
SHOW_UNCLASSIFIED = "unclassified"
SHOW_REPEAT = "repeat"
SHOW_RETURNED = "returned"

_SOURCES = weighted([
    (Source.POLICE_TRANSFER, 72), (Source.GRID_REPORT, 9), (Source.WALK_IN, 7),
    (Source.HOTLINE, 6), (Source.INFORMANT, 3), (Source.COURT_NOTICE, 3),
])
_MAJORS = weighted([("邻里纠纷", 30), ("婚姻家庭", 25), ("物业管理", 12), ("经济纠纷", 12), ("求助", 11),
                    ("土地纠纷", 10)])
_GRADES = {  # simple, general, difficult
    "求助": (0.72, 0.26, 0.02), "土地纠纷": (0.25, 0.50, 0.25), "default": (0.45, 0.45, 0.10),
}
_RISKS = {Grade.SIMPLE: (0.005, 0.30), Grade.GENERAL: (0.05, 0.45), Grade.DIFFICULT: (0.28, 0.52)}  # red, yellow
_CALL_HOURS = list(accumulate([1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 8, 8, 9, 9, 9, 10, 11, 12, 12, 10, 6, 3]))


@dataclass
class Intake:
    """When and how a case reached the office; ``showcase`` names a hand-made recent case.

    ``intake_case`` fills in the rest: ``classification``, what the office will classify a
    transfer as that came in unclassified (from the police list); ``duplicate_of``, the case
    number this one repeats by mistake (重复录入).
    """

    received_at: datetime
    source: Source
    called_at: datetime | None
    showcase: str = ""
    classification: Classification | None = None
    duplicate_of: str = ""


class Receipt:
    """Draws the arrival of cases and builds each case as it was first entered."""

    def __init__(self, draw: Draw):
        self.d = draw
        self.village_weights = _village_weights(draw.villages)
        self.communities = [v for v in draw.villages if v.endswith("社区")]
        self.rural = [v for v in draw.villages if not v.endswith("社区")] or draw.villages
        self.incident_serial: dict[tuple[str, date], int] = {}
        self.by_phone: dict[str, tuple[datetime, str]] = {}
        self.by_place: dict[tuple[str, str], tuple[datetime, str]] = {}

    def draw_intake(self) -> Intake:
        d, rng = self.d, self.d.rng
        source = pick(rng, _SOURCES)
        for _ in range(50):
            # A slight rise over the two years: the procedure took hold.
            day = d.now.date() - timedelta(days=int(SPAN_DAYS * rng.random() ** 1.12))
            called = None
            if source in (Source.POLICE_TRANSFER, Source.INFORMANT):
                hour = rng.choices(range(24), cum_weights=_CALL_HOURS)[0]
                called = at(day, hour * 60 + rng.randint(0, 59))
                received = called + timedelta(minutes=rng.randint(12, 75))
                if not d.in_office(received) and rng.random() < 0.65:
                    # The police keep what comes at night; the rest reaches the office next morning.
                    received = d.opening_after(received) + timedelta(minutes=rng.randint(0, 45))
                if source == Source.INFORMANT:
                    called = None
            else:
                if not d.cal.is_working_day(day) and rng.random() < 0.8:
                    day = d.cal.next_working_day(day)
                spread = (d.opens + 5, d.closes - 5) if rng.random() < 0.9 else (7 * 60, 21 * 60)
                received = at(day, rng.randint(*spread))
            if received < d.now - timedelta(minutes=20):
                return Intake(received, source, called)
        return Intake(d.now - timedelta(days=1), source, None)

    def intake_case(self, intake: Intake, case_no: str, earlier: list[Case], received: list[datetime]) -> Case:
        """The case as entered at receipt; ``earlier`` (received at ``received``) may be copied
        to make a repeat call."""
        d, rng, words = self.d, self.d.rng, self.d.texts
        major = pick(rng, _MAJORS)
        if intake.showcase == SHOW_RETURNED:
            major = "邻里纠纷"  # a fight, handed back to the police
        minors = DEFAULT_TREE[major]
        category = rng.choice(minors) if rng.random() < 0.8 else major
        template_key = category if category in minors else rng.choice(minors)
        if major == "物业管理" and self.communities and rng.random() < 0.8:
            village = rng.choice(self.communities)
        elif category in words["rural_only"] or major in words["rural_only"]:
            village = rng.choice(self.rural)
        else:
            village = rng.choices(d.villages, cum_weights=self.village_weights)[0]
        grade = self._grade(major)
        red, yellow = _RISKS[grade]
        roll = rng.random()
        risk = Risk.RED if roll < red else Risk.YELLOW if roll < red + yellow else Risk.BLUE
        if risk == Risk.RED and major == "求助":
            risk = Risk.YELLOW  # a call for help is watched, not a high-risk dispute
        criminal = rng.random() < {Risk.RED: 0.5, Risk.YELLOW: 0.1, Risk.BLUE: 0.03}[risk]
        summary = rng.choice(words["summary_phrases"][template_key]).render(rng)
        tails = words["tails"]
        summary += rng.choice(tails["criminal"] if criminal else tails.get(major, tails["default"]))
        if intake.source != Source.POLICE_TRANSFER:
            for old, new in words["not_police_wording"].items():
                summary = summary.replace(old, new)
            summary = words["source_openers"].get(intake.source.value, "") + summary
        wording = words["community_wording" if village in self.communities else "village_wording"]
        for old, new in wording.items():
            summary = summary.replace(old, new)
        case = Case(
            received_at=intake.received_at, village=village, summary=summary, category=category,
            grade=grade, risk=risk, source=intake.source, case_no=case_no,
            location=self._place(village, major), criminal_risk=criminal,
            key_persons=rng.random() < 0.03, called_at=intake.called_at,
            parties=draw_parties(rng, words, major),
        )
        if intake.source == Source.POLICE_TRANSFER:
            station = self._police(case)
            case.called_at = intake.called_at or intake.received_at - timedelta(minutes=rng.randint(15, 60))
            case.police_incident_no = self._incident_no(station, case.called_at)
        if intake.showcase == SHOW_REPEAT:
            self._copy_from_earlier(case, earlier, received, same_caller=True)
        elif not intake.showcase and rng.random() < DUPLICATES:
            intake.duplicate_of = self._duplicate(case, earlier, received)
        elif not intake.showcase and rng.random() < 0.006:
            self._copy_from_earlier(case, earlier, received)
        drawn = not intake.showcase and rng.random() < UNCLASSIFIED_SHARE
        unclassified = drawn or intake.showcase == SHOW_UNCLASSIFIED
        if intake.source == Source.POLICE_TRANSFER and unclassified and not intake.duplicate_of:
            self._unclassify(case, intake)
        self._mark_repeat(case)
        return case

    @staticmethod
    def _unclassify(case: Case, intake: Intake) -> None:
        """A transfer imported from the police list: 未分类, no colour until the office classifies
        it as ``intake.classification``."""
        intake.classification = Classification(case.category, case.grade, case.risk, case.criminal_risk)
        case.category, case.grade, case.risk, case.criminal_risk = UNCLASSIFIED, Grade.GENERAL, None, False

    def _duplicate(self, case: Case, earlier: list[Case], received: list[datetime]) -> str:
        """Enter a case of the last two days again (重复录入); returns its number, or "" when
        there is none to copy."""
        start = bisect.bisect_left(received, case.received_at - timedelta(days=2))
        candidates = [c for c in earlier[start:] if c.category != UNCLASSIFIED]
        if not candidates:
            return ""
        before = self.d.rng.choice(candidates)
        case.village, case.category, case.summary, case.location = (before.village, before.category, before.summary,
                                                                    before.location)
        case.grade, case.risk, case.criminal_risk = before.grade, before.risk, before.criminal_risk
        case.parties = [Party(p.name, p.phone, p.role, p.id_number) for p in before.parties]
        if case.source == Source.POLICE_TRANSFER:
            station = self._police(case)
            case.police_incident_no = self._incident_no(station, case.called_at or case.received_at)
        return before.case_no

    def _police(self, case: Case) -> str:
        """Give the case the station covering its village and one of its officers; returns the station."""
        station = self.d.town.station_of(case.village)
        case.police_station = station
        case.officer = self.d.rng.choice(self.d.officers.get(station) or ["值班民警"])
        return station

    def _grade(self, major: str) -> Grade:
        simple, general, _ = _GRADES.get(major, _GRADES["default"])
        roll = self.d.rng.random()
        return Grade.SIMPLE if roll < simple else Grade.GENERAL if roll < simple + general else Grade.DIFFICULT

    def _copy_from_earlier(self, case: Case, earlier: list[Case], received: list[datetime], *,
                           same_caller: bool = False) -> None:
        """Make a deliberate repeat: the same caller, or the same place, called again."""
        rng = self.d.rng
        start = bisect.bisect_left(received, case.received_at - REPEAT_WINDOW + timedelta(hours=1))
        if start >= len(earlier):
            return
        before = rng.choice(earlier[start:])
        if before.category == UNCLASSIFIED:
            return  # a transfer not yet classified has no category to share
        case.village, case.category = before.village, before.category
        if (same_caller or rng.random() < 0.5) and before.caller:
            case.parties[0] = Party(before.caller.name, before.caller.phone, PartyRole.CALLER)
            case.location = self._place(case.village, major_of(case.category))
        else:
            case.location = before.location
        if case.source == Source.POLICE_TRANSFER:
            station = self._police(case)
            case.police_incident_no = self._incident_no(station, case.called_at or case.received_at)

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
        stations = self.d.stations
        code = 51 + (stations.index(station) if station in stations else 0)
        return f"J370303{code}{called.year}{called.month:02d}{called.day:02d}{self.incident_serial[key]:04d}"

    def _place(self, village: str, major: str) -> str:
        rng = self.d.rng
        if village.endswith("社区"):
            kind = "community"
        else:
            kind = "land" if major == "土地纠纷" and rng.random() < 0.8 else "village"
        phrases, weights = self.d.texts["place_phrases"][kind]
        return rng.choices(phrases, cum_weights=weights)[0].render(rng, village)


def _village_weights(villages: list[str]) -> list[float]:
    # Communities are denser; villages differ in size. Fixed per town, not per seed.
    sizes = random.Random(len(villages))
    weights, total = [], 0.0
    for name in villages:
        total += (2.2 if name.endswith("社区") else 1.0) * (0.6 + sizes.random() * 0.8)
        weights.append(total)
    return weights

"""Two years of plausible demo cases, received, planned, cut at ``now`` and numbered."""

from __future__ import annotations

from datetime import datetime

from jingyuan_desktop.domain.calendar import WorkCalendar, local
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import EventType, Source
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.services.demo.draw import Draw, Life
from jingyuan_desktop.services.demo.life import AGREEMENT_PENDING
from jingyuan_desktop.services.demo.receipt import Intake, Receipt
from jingyuan_desktop.services.demo.showcase import SHOWCASE, Showcase
from jingyuan_desktop.services.demo.town import DemoTown

E = EventType
SHOWCASE_MIN_COUNT = 60  # below this the hand-made recent cases would crowd out the rest


def generate_cases(
    town: DemoTown, *, count: int = 2000, seed: int = 0, now: datetime, calendar: WorkCalendar
) -> list[Case]:
    """``count`` cases received in the two years before ``now``, sorted by receipt.

    Old cases are mostly closed and archived; the last days hold open cases in every state,
    some of them past their deadlines as of ``now``. No event lies after ``now``. The office
    hours are the default ``ClockSettings``.
    """
    draw = Draw(town, seed, local(now), calendar, ClockSettings())  # refuses a town without villages
    if count <= 0:
        return []
    receipt, lives = Receipt(draw), Showcase(draw)
    showcase = SHOWCASE if count >= SHOWCASE_MIN_COUNT else []
    intakes = [receipt.draw_intake() for _ in range(count - len(showcase))]
    intakes += [Intake(lives.received(name), Source.POLICE_TRANSFER, None, name) for name in showcase]
    intakes.sort(key=lambda i: i.received_at)
    cases: list[Case] = []
    received: list[datetime] = []
    serials: dict[int, int] = {}
    for intake in intakes:
        year = intake.received_at.year
        serials[year] = serials.get(year, 0) + 1
        case = receipt.intake_case(intake, f"{town.case_no_prefix}-{year}-{serials[year]:05d}", cases, received)
        life = Life(case, intake.classification)
        if intake.showcase:
            lives.plan(intake.showcase, case, life)
        else:
            lives.live(case, life, intake.duplicate_of)
        case.events = _finish(life.events + life.extra, draw.now)
        cases.append(case)
        received.append(case.received_at)
    _number_archives(cases, town.case_no_prefix)
    _number_agreements(cases)
    return cases


def _finish(events: list[Event], now: datetime) -> list[Event]:
    """Time order (the main chain before side events of the same minute), nothing after ``now``.

    Nothing is planned after a cancellation; the rolling return visits of a difficult or red
    case go on after its archive, as the rules allow."""
    events.sort(key=lambda e: e.at)
    return [e for e in events if e.at <= now]


def _number_agreements(cases: list[Case]) -> None:
    """Number the written mediation agreements per year in the order they were signed."""
    signed = [e for c in cases for e in c.events
              if e.type == E.RESOLVED and e.get("agreement_no") == AGREEMENT_PENDING]
    signed.sort(key=lambda e: e.at)
    serials: dict[int, int] = {}
    for event in signed:
        year = event.at.year
        serials[year] = serials.get(year, 0) + 1
        event.data["agreement_no"] = f"XY-{year}-{serials[year]:03d}"


def _number_archives(cases: list[Case], prefix: str) -> None:
    archived = [e for c in cases for e in c.events if e.type == E.ARCHIVED]
    archived.sort(key=lambda e: e.at)
    serials: dict[int, int] = {}
    for event in archived:
        year = event.at.year
        serials[year] = serials.get(year, 0) + 1
        event.data["archive_no"] = f"{prefix}DA-{year}-{serials[year]:04d}"

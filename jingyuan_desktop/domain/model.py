"""The records the rules work on: units, people, parties, events and cases.

Plain dataclasses with aware datetimes. The store maps them to rows; the exchange format maps
them to JSON; the rules in ``lifecycle``, ``clocks`` and ``statistics`` read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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


@dataclass(frozen=True)
class Unit:
    """A village, community, police station or department. Edited by the office."""

    name: str
    kind: UnitKind


@dataclass(frozen=True)
class Person:
    name: str
    role: PersonRole
    unit: str | None = None
    phone: str = ""
    skills: tuple[str, ...] = ()  # category names this person handles well


@dataclass
class Party:
    name: str
    phone: str = ""
    role: PartyRole = PartyRole.PARTY
    id_number: str = ""


# Extra fields each event type carries, beyond type/at/by/note/evidence.
EVENT_FIELDS: dict[EventType, tuple[str, ...]] = {
    EventType.CLASSIFIED: ("category", "grade", "risk", "criminal_risk"),
    EventType.DISPATCHED: ("handlers", "leader", "departments", "experts"),
    # Who was on site: at least two people (seed 000).
    EventType.ARRIVED: ("present",),
    EventType.PROGRESS: (),
    EventType.FOLLOW_UP_SCHEDULED: ("agreed_at",),
    EventType.MEDIATION_FAILED: (),
    EventType.ESCALATED: (),
    EventType.JOINT_HANDLING: ("departments", "experts"),
    EventType.REFERRED_TO_COURT: ("court",),
    # outcome: an ``Outcome`` code; agreement_no: the mediation agreement's number, if any.
    EventType.RESOLVED: ("outcome", "agreement_no"),
    # agreement_kept: on a rolling return visit (定期回访), whether the agreement holds.
    EventType.RETURN_VISIT: ("satisfaction", "party", "agreement_kept"),
    EventType.POLICE_FEEDBACK: ("officer",),
    EventType.ARCHIVED: ("archive_no",),
    EventType.CANCELLED: ("reason",),  # a ``CancelReason`` code
    EventType.LEADER_ASSIGNED: ("leader",),
    EventType.SUPERVISED: (),
    # A decision of the weekly meeting on this case: who owns it, the plan, by when (ISO date).
    EventType.MEETING_DECISION: ("meeting", "owner", "plan", "due_date"),
    EventType.RETURNED_TO_POLICE: ("reason",),  # free text: why the police must take it
    EventType.COURT_OUTCOME: ("result",),  # a ``CourtResult`` code
    EventType.DISPATCH_REFUSED: (),
    EventType.ANALYSIS: ("plan",),
}


@dataclass
class Event:
    """One entry of a case's timeline.

    ``data`` holds the fields of ``EVENT_FIELDS[type]`` with plain JSON-able values, except
    ``agreed_at`` (a datetime) and the enum-valued fields of ``ENUM_FIELDS``.
    """

    type: EventType
    at: datetime
    by: str = ""
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)


@dataclass
class Case:
    """A case as first received, plus its timeline.

    ``category``, ``grade``, ``risk`` and ``criminal_risk`` are the values at intake;
    ``classified`` events change them later, and ``current_*`` in ``lifecycle`` applies them.
    ``risk`` is None until the case is classified: the colour is chosen then (seed 003).
    """

    received_at: datetime
    village: str
    summary: str
    category: str
    grade: Grade = Grade.GENERAL
    risk: Risk | None = None
    source: Source = Source.POLICE_TRANSFER
    case_no: str = ""
    police_incident_no: str = ""
    police_station: str = ""
    location: str = ""
    criminal_risk: bool = False
    key_persons: bool = False
    called_at: datetime | None = None
    officer: str = ""
    parties: list[Party] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    repeat_of: str = ""  # case_no of the earlier case this one repeats
    grid: str = ""  # the grid (网格) of the village, when known (issue 14)

    @property
    def caller(self) -> Party | None:
        for party in self.parties:
            if party.role == PartyRole.CALLER:
                return party
        return None

    def events_until(self, moment: datetime | None) -> list[Event]:
        """The timeline as it stood at ``moment`` (all of it when ``moment`` is None)."""
        if moment is None:
            return list(self.events)
        return [e for e in self.events if e.at <= moment]

    def first(self, kind: EventType, moment: datetime | None = None) -> Event | None:
        for event in self.events_until(moment):
            if event.type == kind:
                return event
        return None

    def satisfaction(self) -> Satisfaction | None:
        """The answer of the first return visit, which is the one the figures count."""
        visit = self.first(EventType.RETURN_VISIT)
        return visit.get("satisfaction") if visit else None

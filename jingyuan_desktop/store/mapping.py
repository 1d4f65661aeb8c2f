"""Domain records to rows and back, and plain JSON for the audit log."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import EventType, Grade, PartyRole, PersonRole, Risk, Satisfaction, Source, UnitKind
from jingyuan_desktop.domain.model import Case, Event, Party, Person, Unit
from jingyuan_desktop.store.models import CaseModel, EventModel, PartyModel, PersonModel, UnitModel

# Event data fields that are not plain JSON in the domain, and how to read them back.
ENUM_FIELDS: dict[str, type[Enum]] = {"grade": Grade, "risk": Risk, "satisfaction": Satisfaction}
DATETIME_FIELDS = frozenset({"agreed_at"})


def jsonable(value: Any) -> Any:
    """``value`` with datetimes as ISO 8601 text and enums as their codes, for JSON columns."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(TZ).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value


def encode_event_data(data: dict[str, Any]) -> dict[str, Any]:
    encoded = {}
    for name, value in data.items():
        if isinstance(value, datetime) and name not in DATETIME_FIELDS:
            # It would come back as text and the loaded case would differ from the saved one.
            raise ValueError(f"event field {name!r} may not hold a datetime")
        encoded[name] = jsonable(value)
    return encoded


def decode_event_data(data: dict[str, Any] | None) -> dict[str, Any]:
    decoded = dict(data or {})
    for name, value in decoded.items():
        if value is None:
            continue
        if name in DATETIME_FIELDS:
            decoded[name] = datetime.fromisoformat(value).astimezone(TZ)
        elif name in ENUM_FIELDS:
            decoded[name] = ENUM_FIELDS[name](value)
    return decoded


def event_model(event: Event, seq: int, *, recorded_by: str, recorded_at: datetime) -> EventModel:
    return EventModel(
        seq=seq,
        type=event.type.value,
        at=event.at,
        by=event.by,
        note=event.note,
        data=encode_event_data(event.data),
        evidence=list(event.evidence),
        recorded_at=recorded_at,
        recorded_by=recorded_by,
    )


def event_from_model(row: EventModel) -> Event:
    return Event(
        type=EventType(row.type),
        at=row.at,
        by=row.by,
        note=row.note,
        data=decode_event_data(row.data),
        evidence=list(row.evidence or []),
    )


def party_models(parties: list[Party]) -> list[PartyModel]:
    return [
        PartyModel(seq=seq, name=p.name, phone=p.phone, id_number=p.id_number, role=PartyRole(p.role).value)
        for seq, p in enumerate(parties)
    ]


def party_from_model(row: PartyModel) -> Party:
    return Party(name=row.name, phone=row.phone, role=PartyRole(row.role), id_number=row.id_number)


# Case fields copied one to one between the dataclass and the row ("" stands for NULL where
# the column is nullable, so that NULLs keep unique constraints from colliding).
PLAIN_FIELDS = ("case_no", "police_station", "received_at", "called_at", "officer", "village", "location",
                "summary", "key_persons", "grid")
NULLABLE_TEXT = ("police_incident_no", "repeat_of")


def write_intake(row: CaseModel, case: Case) -> None:
    """Copy the fields a case has at intake onto ``row``; the timeline is written separately."""
    for name in PLAIN_FIELDS:
        setattr(row, name, getattr(case, name))
    for name in NULLABLE_TEXT:
        setattr(row, name, getattr(case, name) or None)
    row.source = Source(case.source).value
    row.intake_category = case.category
    row.intake_grade = Grade(case.grade).value
    row.intake_risk = Risk(case.risk).value if case.risk else ""  # "" until classified
    row.intake_criminal_risk = bool(case.criminal_risk)


def refresh_derived(row: CaseModel, case: Case) -> None:
    """The current classification and status, read off the whole timeline of ``case``."""
    current = lifecycle.classification_at(case)
    row.category = current.category
    row.grade = current.grade.value
    risk = lifecycle.current_risk(case)  # blue once resolved (seed 003)
    row.risk = risk.value if risk else ""
    row.criminal_risk = current.criminal_risk
    row.status = lifecycle.derive_status(case).value


def case_from_model(row: CaseModel, *, with_timeline: bool = True) -> Case:
    case = Case(
        received_at=row.received_at,
        village=row.village,
        summary=row.summary,
        category=row.intake_category,
        grade=Grade(row.intake_grade),
        risk=Risk(row.intake_risk) if row.intake_risk else None,
        source=Source(row.source),
        case_no=row.case_no,
        police_incident_no=row.police_incident_no or "",
        police_station=row.police_station,
        location=row.location,
        criminal_risk=row.intake_criminal_risk,
        key_persons=row.key_persons,
        called_at=row.called_at,
        officer=row.officer,
        repeat_of=row.repeat_of or "",
        grid=row.grid or "",
    )
    if with_timeline:
        case.parties = [party_from_model(p) for p in row.parties]
        case.events = [event_from_model(e) for e in row.events]
    return case


def unit_from_model(row: UnitModel) -> Unit:
    return Unit(name=row.name, kind=UnitKind(row.kind))


def person_from_model(row: PersonModel) -> Person:
    return Person(
        name=row.name,
        role=PersonRole(row.role),
        unit=row.unit.name if row.unit else None,
        phone=row.phone,
        skills=tuple(row.skills or ()),
    )

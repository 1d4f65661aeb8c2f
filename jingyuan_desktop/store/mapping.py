"""Domain records to rows and back, and plain JSON for the audit log."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
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
    """``value`` with datetimes as ISO 8601 text and enums as their codes, for JSON columns.

    Dataclasses become dicts of their fields (as ``dataclasses.asdict`` orders them), dicts get
    text keys, lists, tuples and sets become lists; anything else is kept as it is. How a value
    is turned depends on its type only, so the way is looked up once per type: an import turns
    10,000 cases with two dozen values each, and the chain of checks per value was most of the
    cost of its audit rows."""
    encode = _ENCODERS.get(type(value))
    if encode is None:
        encode = _ENCODERS[type(value)] = _encoder_for(type(value))
    return encode(value)


def _keep(value: Any) -> Any:
    return value


def _enum(value: Enum) -> Any:
    return value.value


def _datetime(value: datetime) -> str:
    return value.astimezone(TZ).isoformat()


def _date(value: date) -> str:
    return value.isoformat()


# Kept as they are, and the most common: tested for before any call.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _dict(value: dict) -> dict[str, Any]:
    return {str(k): v if type(v) in _PLAIN else jsonable(v) for k, v in value.items()}


def _sequence(value: Any) -> list[Any]:
    return [v if type(v) in _PLAIN else jsonable(v) for v in value]


def _dataclass_encoder(cls: type) -> Callable[[Any], dict[str, Any]]:
    names = tuple(f.name for f in dataclasses.fields(cls))

    def encode(value: Any) -> dict[str, Any]:
        fields = [getattr(value, name) for name in names]
        return {name: v if type(v) in _PLAIN else jsonable(v) for name, v in zip(names, fields, strict=True)}

    return encode


def _encoder_for(cls: type) -> Callable[[Any], Any]:
    """The same order of checks as an ``isinstance`` chain on the value would take."""
    if issubclass(cls, Enum):
        return _enum
    if issubclass(cls, datetime):
        return _datetime
    if issubclass(cls, date):
        return _date
    if dataclasses.is_dataclass(cls) and not issubclass(cls, type):  # a dataclass, not a class itself
        return _dataclass_encoder(cls)
    if issubclass(cls, dict):
        return _dict
    if issubclass(cls, (list, tuple, set, frozenset)):
        return _sequence
    return _keep


_ENCODERS: dict[type, Callable[[Any], Any]] = {
    str: _keep, int: _keep, float: _keep, bool: _keep, type(None): _keep, dict: _dict, list: _sequence,
}


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
    return EventModel(**event_values(event, seq, recorded_by=recorded_by, recorded_at=recorded_at))


def event_values(event: Event, seq: int, *, recorded_by: str, recorded_at: datetime) -> dict[str, Any]:
    """The columns of an event's row (but its case's id), as plain values for a bulk insert."""
    return {"seq": seq, "type": event.type.value, "at": event.at, "by": event.by, "note": event.note,
            "data": encode_event_data(event.data), "evidence": list(event.evidence), "recorded_at": recorded_at,
            "recorded_by": recorded_by}


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
    return [PartyModel(**values) for values in party_values(parties)]


def party_values(parties: list[Party]) -> list[dict[str, Any]]:
    """The columns of the parties' rows (but their case's id), as plain values for a bulk insert."""
    return [{"seq": seq, "name": p.name, "phone": p.phone, "id_number": p.id_number, "role": PartyRole(p.role).value}
            for seq, p in enumerate(parties)]


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

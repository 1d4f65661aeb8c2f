"""The shape of the case exchange file (``jingyuan-cases`` version 1), declared once.

Each field of a case, a party and an event is one ``Field``: its key, its label for the
problem list, its kind of JSON value, whether a case is refused without it, whether it is
written even when empty, and the unit list or uniqueness its text is checked against. Text
is as long as the database column it lands in allows. The fields an event type carries are
``domain.model.EVENT_FIELDS``; their labels are ``domain.event_text``'s, the one table the
case view and the paper forms read too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from jingyuan_desktop.domain import event_text
from jingyuan_desktop.domain.enums import Coded, DomainError, EventType, Grade, PartyRole, Risk, Source
from jingyuan_desktop.store.models import Base, CaseModel, EventModel, PartyModel

FORMAT = "jingyuan-cases"
VERSION = 1


class Kind(Enum):
    """The JSON value a field holds."""

    TEXT = "text"  # a string
    TIME = "time"  # an ISO 8601 string
    FLAG = "flag"  # true or false
    CODE = "code"  # the English code of one member of ``Field.codes``
    TEXTS = "texts"  # a list of strings
    LIST = "list"  # a list of objects (the parties, the events)


class Known(Enum):
    """The office's own names a text must be one of, when the caller knows them."""

    VILLAGE = "village"
    CATEGORY = "category"
    STATION = "station"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False  # a case without it (or with it empty) is refused
    always: bool = False  # written even when it holds nothing
    codes: type[Coded] | None = None
    max_length: int | None = None
    known: Known | None = None
    unique: bool = False  # no two cases of one file may share it


def _columns(model: type[Base], fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """``fields`` with the width of the text column each lands in, where it has one."""
    table = model.__table__.columns
    return tuple(
        replace(f, max_length=getattr(table[f.key].type, "length", None))
        if f.kind == Kind.TEXT and f.key in table else f
        for f in fields
    )


CASE_FIELDS = _columns(CaseModel, (
    Field("case_no", "案件编号", unique=True),
    Field("source", "来源", Kind.CODE, always=True, codes=Source),
    Field("police_incident_no", "警情编号", unique=True),
    Field("police_station", "派出所", known=Known.STATION),
    Field("received_at", "接收时间", Kind.TIME, required=True, always=True),
    Field("called_at", "报警时间", Kind.TIME),
    Field("officer", "民警"),
    Field("village", "村（社区）", required=True, always=True, known=Known.VILLAGE),
    Field("location", "事发地点"),
    Field("summary", "简要情况", required=True, always=True),
    Field("category", "类别", required=True, always=True, known=Known.CATEGORY),
    Field("grade", "等级", Kind.CODE, always=True, codes=Grade),
    Field("risk", "风险", Kind.CODE, always=True, codes=Risk),
    Field("criminal_risk", "民转刑风险", Kind.FLAG, always=True),
    Field("key_persons", "涉及重点人员", Kind.FLAG, always=True),
    Field("repeat_of", "重复报警所涉案件"),
    Field("parties", "当事人", Kind.LIST, always=True),
    Field("events", "处置记录", Kind.LIST, always=True),
))
PARTY_FIELDS = _columns(PartyModel, (
    Field("name", "姓名", always=True),
    Field("phone", "电话"),
    Field("role", "身份", Kind.CODE, always=True, codes=PartyRole),
    Field("id_number", "身份证号"),
))
# An event is written as: these, the fields of its type in EVENT_FIELDS order, then EVENT_TAIL.
EVENT_HEAD = _columns(EventModel, (
    Field("type", "类型", Kind.CODE, required=True, always=True, codes=EventType),
    Field("at", "时间", Kind.TIME, required=True, always=True),
    Field("by", "记录人"),
))
EVENT_TAIL = (
    Field("note", "说明"),
    Field("evidence", "证据", Kind.TEXTS),
)

# The kind of each event field that is not plain text.
_DATA_KINDS = {
    "agreed_at": Kind.TIME, "criminal_risk": Kind.FLAG, "on_site": Kind.FLAG,
    "handlers": Kind.TEXTS, "departments": Kind.TEXTS, "experts": Kind.TEXTS,
    **{name: Kind.CODE for name in event_text.ENUM_FIELDS},
}
_DATA_KNOWN = {"category": Known.CATEGORY}


def data_field(kind: EventType, name: str) -> Field:
    """The field ``name`` of an event of type ``kind`` (one of ``EVENT_FIELDS[kind]``)."""
    return Field(name, event_text.field_label(kind, name), _DATA_KINDS.get(name, Kind.TEXT),
                 codes=event_text.ENUM_FIELDS.get(name), known=_DATA_KNOWN.get(name))


# Labels of the format's own fields (an event's fields: ``domain.event_text.field_label``).
LABELS: dict[str, str] = {f.key: f.label for f in (*CASE_FIELDS, *PARTY_FIELDS, *EVENT_HEAD, *EVENT_TAIL)}


class ExchangeError(DomainError):
    """Every problem found in an exchange file, one Chinese sentence each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def is_empty(value: Any) -> bool:
    """What the writer leaves out: None, empty text, an empty list."""
    return value is None or value == "" or (isinstance(value, (list, tuple)) and not value)

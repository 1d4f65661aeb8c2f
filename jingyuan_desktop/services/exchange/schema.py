"""The shape of the case exchange file (``jingyuan-cases`` version 2), declared once.

Each field of a case, a party and an event is one ``Field``: its key, its label for the
problem list, its kind of JSON value, whether a case is refused without it, whether it is
written even when empty, and the unit list or uniqueness its text is checked against. Text
is as long as the database column it lands in allows. The fields an event type carries are
``domain.model.EVENT_FIELDS``; their labels and the codes they hold are ``domain.event_text``'s
(``field_label``, ``field_codes``), the one table the case view and the paper forms read too.

Version 2 is written; versions 1 and 2 are read. Version 2 differs from version 1 in:

* a case's ``risk`` may be missing: the case is not yet classified (version 1 always wrote it);
* ``resolved`` holds ``outcome`` (an ``Outcome`` code) and ``agreement_no`` instead of the
  flag ``on_site``; ``arrived`` holds ``present`` instead of ``handlers``; ``cancelled``'s
  ``reason`` is a ``CancelReason`` code instead of free text; ``return_visit`` may hold
  ``agreement_kept``;
* the event types ``returned_to_police`` (``reason``, free text), ``court_outcome``
  (``result``, a ``CourtResult`` code), ``dispatch_refused`` and ``analysis`` (``plan``).

``V1_EVENT_FIELDS`` declares version 1's events; ``version1`` turns them into version 2's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from jingyuan_desktop.domain import event_text
from jingyuan_desktop.domain.enums import Coded, DomainError, EventType, Grade, PartyRole, Risk, Source
from jingyuan_desktop.domain.model import EVENT_FIELDS
from jingyuan_desktop.store.models import Base, CaseModel, EventModel, PartyModel

FORMAT = "jingyuan-cases"
VERSION = 2  # the version written
VERSIONS = (1, 2)  # the versions read


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
    as_text: bool = False  # a code the domain holds as its text, not as the enum member
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
    Field("grid", "网格"),  # issue 14; left out when not known, so older readers are not troubled
    Field("location", "事发地点"),
    Field("summary", "简要情况", required=True, always=True),
    Field("category", "类别", required=True, always=True, known=Known.CATEGORY),
    Field("grade", "等级", Kind.CODE, always=True, codes=Grade),
    Field("risk", "风险", Kind.CODE, codes=Risk),  # left out while the case has no colour
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

# The kind of each event field that is neither plain text nor a code.
_DATA_KINDS = {
    "agreed_at": Kind.TIME, "criminal_risk": Kind.FLAG, "on_site": Kind.FLAG, "agreement_kept": Kind.FLAG,
    "handlers": Kind.TEXTS, "departments": Kind.TEXTS, "experts": Kind.TEXTS, "present": Kind.TEXTS,
}
_DATA_KNOWN = {"category": Known.CATEGORY}

E = EventType
# Version 1's events: no 移交公安, 法庭结果, 拒不处置 or 研判; a resolution said whether it was
# on site, an arrival named the handlers, a cancellation gave its reason as free text.
V1_EVENT_FIELDS: dict[EventType, tuple[str, ...]] = {
    **{kind: names for kind, names in EVENT_FIELDS.items()
       if kind not in (E.RETURNED_TO_POLICE, E.COURT_OUTCOME, E.DISPATCH_REFUSED, E.ANALYSIS)},
    E.ARRIVED: ("handlers",),
    E.RESOLVED: ("on_site",),
    E.RETURN_VISIT: ("satisfaction", "party"),
}
_V1_TEXT = frozenset({(E.CANCELLED, "reason")})  # codes in version 2, free text in version 1


def data_field(kind: EventType, name: str, version: int = VERSION) -> Field:
    """The field ``name`` of an event of type ``kind`` in a file of ``version``.

    Whether it holds a code, and which, is ``event_text.field_codes``: by name for the enums
    the domain holds as members (``grade``, ``risk``, ``satisfaction``), by type and name for
    those it holds as their code text (a resolution's ``outcome``, a cancellation's ``reason``,
    a court's ``result``).
    """
    codes = None if version == 1 and (kind, name) in _V1_TEXT else event_text.field_codes(kind, name)
    return Field(name, event_text.field_label(kind, name),
                 Kind.CODE if codes is not None else _DATA_KINDS.get(name, Kind.TEXT),
                 codes=codes, as_text=codes is not None and name not in event_text.ENUM_FIELDS,
                 known=_DATA_KNOWN.get(name))


def data_fields(kind: EventType, version: int = VERSION) -> tuple[Field, ...] | None:
    """The fields of an event of type ``kind`` in a file of ``version``; None when that
    version has no such event."""
    names = (V1_EVENT_FIELDS if version == 1 else EVENT_FIELDS).get(kind)
    return None if names is None else tuple(data_field(kind, name, version) for name in names)


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

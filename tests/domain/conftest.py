from datetime import datetime

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import EventType, PartyRole, Risk, Satisfaction
from jingyuan_desktop.domain.model import Case, Event, Party

E = EventType


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def build_case(case_no, received, *, village="解营村", category="邻里纠纷", steps=(), phone="", location="", **fields):
    """A case whose timeline is given as (type, time[, data]) steps, with usual defaults."""
    events = []
    for kind, at, *data in steps:
        payload = data[0] if data else {}
        if kind == E.DISPATCHED and not payload:
            payload = {"handlers": ["甲", "乙"], "leader": "甲"}
        if kind == E.ARRIVED and not payload:
            payload = {"present": ["甲", "乙"]}
        if kind == E.RESOLVED and not payload:
            payload = {"outcome": "on_site"}
        if kind == E.CANCELLED and not payload:
            payload = {"reason": "not_our_remit"}
        events.append(Event(kind, t(at), data=payload))
    parties = [Party("张三", phone, role=PartyRole.CALLER)] if phone else []
    if category != "未分类":
        fields.setdefault("risk", Risk.BLUE)  # a classified case has its colour (seed 003)
    return Case(case_no=case_no, received_at=t(received), village=village, summary="纠纷", category=category,
                location=location, parties=parties, events=events, **fields)


def visit(at: str, answer: Satisfaction):
    return (E.RETURN_VISIT, at, {"satisfaction": answer})

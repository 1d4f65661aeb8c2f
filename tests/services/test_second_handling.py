"""Relapses and second handling through the services: the link and the colour at intake, the
研判 and the team a second handling needs, and the agenda that lists them (issue 10)."""

from __future__ import annotations

from datetime import datetime

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import EventType, Grade, PartyRole, Risk, Satisfaction
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import meeting, setup
from jingyuan_desktop.services.context import AppContext, ServiceError

E = EventType
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=TZ)  # a Friday
PHONE = "13912345678"
VILLAGE_TEAM = {"handlers": ["甲", "乙"], "leader": "甲"}
OFFICER = "顾国生"  # a community police officer of the demo town


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def ctx(tmp_path):
    context = AppContext.open(str(tmp_path / "second.db"), now=lambda: NOW)
    setup.load_demo(context, cases=0, seed=1)
    yield context
    context.db.engine.dispose()


def new_case(ctx, received: str, *, risk=Risk.BLUE, grade=Grade.GENERAL, incident: str):
    case = Case(received_at=t(received), village="高南村", summary="邻里纠纷", category="相邻关系", risk=risk,
                grade=grade, police_incident_no=incident, police_station="房镇派出所", location="五组",
                parties=[Party("张三", PHONE, PartyRole.CALLER)])
    return case_service.intake(ctx, case)


def record(ctx, case_no, kind, at, **data):
    _, version = case_service.get_case(ctx, case_no)
    return case_service.record_event(ctx, case_no, Event(kind, t(at), by="王科员", data=data), version)


def test_a_relapse_is_linked_raised_to_the_old_colour_and_sent_again_with_an_officer(ctx):
    old = new_case(ctx, "2026-08-03 10:00", risk=Risk.RED, incident="J1").case_no
    record(ctx, old, E.LEADER_ASSIGNED, "2026-08-03 10:01", leader="王镇长")
    record(ctx, old, E.DISPATCHED, "2026-08-03 10:02", **VILLAGE_TEAM)
    record(ctx, old, E.RESOLVED, "2026-09-01 10:00", outcome="agreement")
    record(ctx, old, E.RETURN_VISIT, "2026-09-02 10:00", satisfaction=Satisfaction.SATISFIED)
    assert case_service.get_case(ctx, old)[0].events[-1].type == E.RETURN_VISIT

    result = new_case(ctx, "2026-11-26 09:00", risk=Risk.BLUE, incident="J2")
    assert (result.repeat_of, result.relapse) == (old, True)
    case, _ = case_service.get_case(ctx, result.case_no)
    assert case.risk == Risk.RED  # raised to the colour the old case had before it was resolved

    record(ctx, result.case_no, E.LEADER_ASSIGNED, "2026-11-26 09:02", leader="王镇长")
    with pytest.raises(ServiceError, match="研判"):
        record(ctx, result.case_no, E.DISPATCHED, "2026-11-26 09:03", **VILLAGE_TEAM)
    record(ctx, result.case_no, E.ANALYSIS, "2026-11-26 09:03", plan="前案协议未履行，请社区民警一同上门")
    with pytest.raises(ServiceError, match="二次处置须有社区民警"):
        record(ctx, result.case_no, E.DISPATCHED, "2026-11-26 09:04", **VILLAGE_TEAM)
    record(ctx, result.case_no, E.DISPATCHED, "2026-11-26 09:04", handlers=["甲", OFFICER], leader="甲")

    agenda = meeting.build_agenda(ctx, "2026-W48")
    assert [i.case_no for i in agenda.second_handling] == [result.case_no]
    assert agenda.broken_agreements == []


def test_a_plain_repeat_within_the_window_keeps_its_own_colour(ctx):
    first = new_case(ctx, "2026-11-20 10:00", risk=Risk.RED, incident="J1").case_no
    second = new_case(ctx, "2026-11-26 10:00", risk=Risk.YELLOW, incident="J2")
    assert (second.repeat_of, second.relapse) == (first, False)
    assert case_service.get_case(ctx, second.case_no)[0].risk == Risk.YELLOW


def test_a_broken_agreement_puts_the_case_back_on_the_agenda(ctx):
    hard = new_case(ctx, "2026-09-01 10:00", grade=Grade.DIFFICULT, incident="J1").case_no
    record(ctx, hard, E.DISPATCHED, "2026-09-01 10:02", **VILLAGE_TEAM)
    record(ctx, hard, E.RESOLVED, "2026-09-30 10:00", outcome="agreement", agreement_no="XY-9")
    record(ctx, hard, E.RETURN_VISIT, "2026-10-02 10:00", satisfaction=Satisfaction.SATISFIED)
    record(ctx, hard, E.POLICE_FEEDBACK, "2026-10-02 11:00")
    record(ctx, hard, E.ARCHIVED, "2026-10-03 10:00", archive_no="DA-9")
    record(ctx, hard, E.RETURN_VISIT, "2026-10-30 10:00", agreement_kept=True)
    assert meeting.build_agenda(ctx, "2026-W48").broken_agreements == []
    record(ctx, hard, E.RETURN_VISIT, "2026-11-26 10:00", agreement_kept=False)
    agenda = meeting.build_agenda(ctx, "2026-W48")
    assert [i.case_no for i in agenda.broken_agreements] == [hard]

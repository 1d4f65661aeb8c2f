"""The worked example of docs/assessment.md, built by hand and scored through the service:
each clock charged to its owner, shirking only as an explicit refusal (issue 10)."""

from __future__ import annotations

from datetime import datetime

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import EventType, Risk, Satisfaction
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.services import assessment, setup
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services.context import AppContext

E = EventType
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=TZ)  # Monday noon
TEAM = {"handlers": ["甲", "乙"], "leader": "甲"}


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def ctx(tmp_path):
    context = AppContext.open(str(tmp_path / "owners.db"), now=lambda: NOW)
    setup.load_demo(context, cases=0, seed=1)  # the demo town, no cases
    yield context
    context.db.engine.dispose()


def add(ctx, received: str, steps) -> str:
    case = Case(received_at=t(received), village="高南村", summary="纠纷", category="邻里纠纷", risk=Risk.BLUE,
                police_incident_no=f"J{received}", police_station="房镇派出所")
    case_no = case_service.intake(ctx, case).case_no
    for kind, at, data in steps:
        _, version = case_service.get_case(ctx, case_no)
        case_service.record_event(ctx, case_no, Event(kind, t(at), data=data), version)
    return case_no


def test_the_worked_example_charges_each_clock_to_its_owner(ctx):
    add(ctx, "2026-11-16 10:00", [
        (E.DISPATCHED, "2026-11-16 10:03", TEAM),  # office: dispatch met (due 10:05)
        (E.ARRIVED, "2026-11-16 10:20", {"present": ["甲", "乙"]}),  # village: arrive late (due 10:18)
        (E.PROGRESS, "2026-11-16 16:00", {}),  # village: result met
        (E.RESOLVED, "2026-11-17 10:00", {"outcome": "agreement"}),  # resolved before 17:00: no clock that day
        (E.RETURN_VISIT, "2026-11-19 10:00", {"satisfaction": Satisfaction.SATISFIED}),  # office: met
    ])  # office: police feedback due Friday 20 November 17:00, overdue at NOW
    add(ctx, "2026-11-18 09:00", [
        (E.DISPATCHED, "2026-11-18 09:10", TEAM),  # office: dispatch late (due 09:05)
        (E.DISPATCH_REFUSED, "2026-11-18 09:30", {}),  # village: one shirked case; its clocks dropped
        (E.DISPATCHED, "2026-11-18 09:33", TEAM),  # office: second dispatch met (due 09:35)
        (E.ARRIVED, "2026-11-18 09:45", {"present": ["甲", "乙"]}),  # village: arrive met (due 09:48)
    ])  # village: result (18th 24:00), progress 19th and 20th overdue; the 23rd's still pending
    result = assessment.assess(ctx, 2026)
    [row] = [r for r in result.rows if r.facts.village == "高南村"]
    facts = row.facts
    assert (facts.clocks_met, facts.clocks_judged, facts.overdue, facts.shirked) == (2, 6, 3, 1)
    assert (facts.resolution_rate, facts.satisfaction_rate) == (0.5, 1.0)
    # 2/6 × 30 + 0.5 × 40 + 1.0 × 30 = 60; 3 × 0.5 + 1 × 2 = 3.5 deducted.
    assert (row.components, row.deduction, row.score) == (60.0, 3.5, 56.5)
    office = result.office
    assert office is not None
    assert (office.clocks_met, office.clocks_judged, office.overdue) == (3, 5, 1)
    assert "及时率 60.0%（按时 3 / 应计 5），当前超时 1 项" in assessment.office_text(result)

"""The assignment pane: the village team, the two-handler rule, and recording the 交办."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QMessageBox

from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.enums import EventType, Grade, PersonRole, Risk, UnitKind
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import queries
from jingyuan_desktop.ui.assignment.pane import (
    DONE,
    FORM,
    REDISPATCH,
    SECOND_HANDLING,
    AssignmentPane,
    PersonDataRole,
)
from jingyuan_desktop.ui.ops import Change
from tests.ui.conftest import FIXED, dispatch, new_case, record


@pytest.fixture
def pane(ops, qtbot):
    widget = AssignmentPane(ops)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text)))
    return shown


def show_case(pane, qtbot, case_no):
    with qtbot.waitSignal(pane.sig_loaded, timeout=10_000):
        pane.set_case(case_no)


def team_of(ctx, case_no):
    case, _ = case_service.get_case(ctx, case_no)
    return queries.village_team(ctx, case.village)


def test_the_secretary_leads_and_two_handlers_are_needed(pane, ctx, ops, qtbot, warnings):
    case_no = new_case(ctx)
    secretary, members = team_of(ctx, case_no)
    assert secretary is not None and len(members) >= 2
    show_case(pane, qtbot, case_no)
    assert pane.pages.currentIndex() == FORM
    assert pane.leader.currentData() == secretary.name
    assert pane.handlers.checked() == [secretary.name]
    assert not pane.dispatch_button.isEnabled()
    assert pane.hint.text() == "交办须至少安排2名处置人员（已选1名）"

    pane.handlers.set_checked(members[0].name)
    assert pane.dispatch_button.isEnabled()
    pane.handlers.set_checked(members[1].name)
    pane.handlers.set_checked(secretary.name, False)  # two people, but not the leader
    assert not pane.dispatch_button.isEnabled()
    assert pane.hint.text() == "带队负责人须是处置人员之一"
    pane.handlers.set_checked(secretary.name)
    pane.handlers.set_checked(members[1].name, False)
    pane.departments.set_checked(pane.departments.entry_keys()[0])

    with qtbot.waitSignals([pane.sig_dispatched, ops.sig_changed], timeout=10_000):
        pane.dispatch_button.click()
    case, _ = case_service.get_case(ctx, case_no)
    event = case.first(EventType.DISPATCHED)
    assert set(event.get("handlers")) == {secretary.name, members[0].name}
    assert event.get("leader") == secretary.name
    assert event.get("departments") == [pane.departments.entry_keys()[0]]
    assert event.get("experts") == []
    assert event.by == ctx.user and event.at == FIXED
    assert warnings == []
    qtbot.waitUntil(lambda: pane.pages.currentIndex() == DONE)
    assert "已交办" in pane.done.text() and secretary.name in pane.done.text()


def test_choosing_another_leader_ticks_them(pane, ctx, qtbot):
    case_no = new_case(ctx)
    _secretary, members = team_of(ctx, case_no)
    show_case(pane, qtbot, case_no)
    pane.leader.setCurrentIndex(pane.leader.findData(members[0].name))
    assert members[0].name in pane.handlers.checked()
    assert pane.dispatch_button.isEnabled()


def test_a_suggestion_click_ticks_that_person(pane, ctx, qtbot):
    case_no = new_case(ctx)
    show_case(pane, qtbot, case_no)
    assert 0 < pane.suggestions.count() <= 5
    items = [pane.suggestions.item(r) for r in range(pane.suggestions.count())]
    assert all("在办" in item.text() for item in items)  # the reason is shown with each name
    chosen = pane.handlers.checked() + pane.experts.checked()
    item = next(i for i in items if i.data(PersonDataRole).name not in chosen)
    person = item.data(PersonDataRole)
    pane.suggestions.itemClicked.emit(item)
    assert person.name in pane.handlers.checked() + pane.experts.checked()
    assert pane.dispatch_button.isEnabled()


def test_a_dispatched_case_shows_its_team_read_only(pane, ctx, qtbot):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    show_case(pane, qtbot, case_no)
    assert pane.pages.currentIndex() == DONE
    assert "甲" in pane.done.text() and "乙" in pane.done.text()


def test_an_unclassified_case_cannot_be_dispatched(pane, ctx, qtbot):
    village = queries.units(ctx)[0].name
    for unit in queries.units(ctx):
        if queries.village_team(ctx, unit.name)[0] is not None:
            village = unit.name
            break
    station = next(u.name for u in queries.units(ctx) if u.kind.value == "police_station")
    case_no = case_service.intake(ctx, Case(received_at=FIXED, village=village, summary="未分类的转交",
                                            category=UNCLASSIFIED, police_incident_no="JQ-U-1",
                                            police_station=station)).case_no
    show_case(pane, qtbot, case_no)
    pane.handlers.set_checked(pane.handlers.entry_keys()[1])
    assert pane.banner.isVisible() and pane.banner.text() == "案件尚未分类，请先选择类别再交办"
    assert not pane.dispatch_button.isEnabled()


def test_a_red_case_without_its_leader_is_held_back(pane, ctx, qtbot):
    case_no = new_case(ctx, risk=Risk.RED)
    show_case(pane, qtbot, case_no)
    assert pane.banner.text() == "红色风险案件须先指定包案领导"
    assert not pane.dispatch_button.isEnabled()


def test_a_refusal_from_the_service_is_shown_in_a_box(pane, ctx, qtbot, warnings):
    case_no = new_case(ctx)
    _secretary, members = team_of(ctx, case_no)
    show_case(pane, qtbot, case_no)
    pane.handlers.set_checked(members[0].name)
    dispatch(ctx, case_no)  # someone else was quicker: the pane's version is stale
    with qtbot.waitSignal(pane.sig_refused, timeout=10_000) as refused:
        pane.dispatch_button.click()
    assert warnings and warnings[0][0] == "未能交办" and warnings[0][1] == refused.args[0]
    qtbot.waitUntil(lambda: pane.pages.currentIndex() == DONE)


# ---- a dispatch again: after a refusal, and the second handling after a 研判 -----------

def test_a_refused_dispatch_can_be_dispatched_again(pane, ctx, ops, qtbot, warnings):
    case_no = new_case(ctx)
    secretary, members = team_of(ctx, case_no)
    dispatch(ctx, case_no)
    show_case(pane, qtbot, case_no)
    assert pane.pages.currentIndex() == DONE and not pane.round.isVisible()
    record(ctx, case_no, EventType.DISPATCH_REFUSED, 20)
    with qtbot.waitSignal(pane.sig_loaded, timeout=10_000):
        ops.announce(Change.case(case_no))
    assert pane.pages.currentIndex() == FORM
    assert pane.round.isVisible() and pane.round.text() == REDISPATCH
    assert not pane.seniors_list.isVisible()  # a plain new team: no officer needed
    pane.handlers.set_checked(members[0].name)
    assert pane.dispatch_button.isEnabled()
    with qtbot.waitSignal(pane.sig_dispatched, timeout=10_000):
        pane.dispatch_button.click()
    case, _ = case_service.get_case(ctx, case_no)
    assert [e.type for e in case.events] == [EventType.DISPATCHED, EventType.DISPATCH_REFUSED, EventType.DISPATCHED]
    assert set(case.events[-1].get("handlers")) == {secretary.name, members[0].name}
    assert warnings == []
    qtbot.waitUntil(lambda: pane.pages.currentIndex() == DONE)
    assert not pane.round.isVisible() and secretary.name in pane.done.text()  # the latest team shown


def failed_difficult_case(ctx):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    record(ctx, case_no, EventType.CLASSIFIED, 20, grade=Grade.DIFFICULT)
    record(ctx, case_no, EventType.MEDIATION_FAILED, 15)
    return case_no


def test_a_second_handling_waits_for_the_analysis(pane, ctx, qtbot):
    case_no = failed_difficult_case(ctx)
    show_case(pane, qtbot, case_no)
    assert pane.pages.currentIndex() == FORM
    assert pane.round.text() == SECOND_HANDLING == "二次处置（须有社区民警或治理办工作人员参加）"
    assert pane.banner.isVisible() and pane.banner.text() == "调解未成的疑难案件须先由治理办研判（二次处置），再交办"
    assert not pane.dispatch_button.isEnabled()


def test_a_second_handling_needs_an_officer_or_the_office_s_staff(pane, ctx, ops, qtbot, warnings):
    case_no = failed_difficult_case(ctx)
    record(ctx, case_no, EventType.ANALYSIS, 10, plan="请社区民警参加，再次调解")
    case, _ = case_service.get_case(ctx, case_no)
    _secretary, members = team_of(ctx, case_no)
    show_case(pane, qtbot, case_no)
    assert pane.round.text() == SECOND_HANDLING and not pane.banner.isVisible()
    assert pane.seniors_list.isVisible()
    roles = {p.name: p.role for p in queries.people(ctx)}
    seniors = pane.seniors_list.entry_keys()
    assert seniors and {roles[name] for name in seniors} <= {PersonRole.OFFICER, PersonRole.OFFICE_STAFF,
                                                             PersonRole.LEADER}
    first = next(p for p in queries.people(ctx) if p.name == seniors[0])
    assert first.role == PersonRole.OFFICER and first.unit == case.police_station  # the case's own station first
    assert pane.seniors_list.checked() == []
    pane.handlers.set_checked(members[0].name)
    assert not pane.dispatch_button.isEnabled()  # the village team alone may not go again
    assert pane.hint.text() == "二次处置须有社区民警或治理办工作人员（或镇领导）参加，不能只派村（社区）处置人员"
    pane.seniors_list.set_checked(first.name)
    assert pane.dispatch_button.isEnabled()
    assert pane.hint.text().startswith("将交办给 3 人")
    with qtbot.waitSignal(pane.sig_dispatched, timeout=10_000):
        pane.dispatch_button.click()
    assert warnings == []
    case, _ = case_service.get_case(ctx, case_no)
    assert first.name in case.events[-1].get("handlers")
    qtbot.waitUntil(lambda: pane.pages.currentIndex() == DONE)


def test_a_repeat_call_is_a_second_handling_from_the_start(pane, ctx, qtbot):
    earlier = new_case(ctx, phone="13866660000", minutes_ago=60)
    case_no = new_case(ctx, phone="13866660000", minutes_ago=30)
    case, _ = case_service.get_case(ctx, case_no)
    assert case.repeat_of == earlier
    show_case(pane, qtbot, case_no)
    assert pane.round.text() == SECOND_HANDLING
    assert pane.banner.text() == "重复报警的案件须先由治理办研判（二次处置），再交办"
    assert not pane.dispatch_button.isEnabled()


def test_the_header_shows_the_colour_or_undecided(pane, ctx, qtbot):
    case_no = new_case(ctx, risk=Risk.YELLOW)
    show_case(pane, qtbot, case_no)
    assert "●黄色" in pane.header.text()
    station = next(u.name for u in queries.units(ctx) if u.kind.value == "police_station")
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    unclassified = case_service.intake(ctx, Case(received_at=FIXED, village=village, summary="未分类的转交",
                                                 category=UNCLASSIFIED, police_incident_no="JQ-U-2",
                                                 police_station=station)).case_no
    show_case(pane, qtbot, unclassified)
    assert "●未定" in pane.header.text()

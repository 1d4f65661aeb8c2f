"""The case view offers exactly the allowed actions and records them through the service."""

import pytest

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.enums import EventType, Risk, Status
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.ui.cases import case_view as case_view_module
from jingyuan_desktop.ui.cases.case_view import CaseView
from jingyuan_desktop.ui.cases.event_form import EventForm
from jingyuan_desktop.ui.ops import Change
from tests.ui.conftest import FIXED, dispatch, fixed_now, new_case, record

E = EventType


@pytest.fixture
def accept_forms(monkeypatch):
    """Accept each action form as filled in by default, optionally after a tweak."""
    tweaks = {}

    def exec_(form: EventForm):
        tweak = tweaks.get(form.kind)
        if tweak:
            tweak(form)
        form._accept()
        return form.result()

    monkeypatch.setattr(EventForm, "exec", exec_)
    return tweaks


def open_view(ops, qtbot, case_no):
    view = CaseView(ops, case_no, now=fixed_now)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.case is not None, timeout=10_000)
    return view


def test_a_dispatched_case_offers_handling_actions_only(ops, ctx, qtbot):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    view = open_view(ops, qtbot, case_no)
    shown = set(view.action_buttons)
    assert shown == {E.ARRIVED, E.PROGRESS, E.MEDIATION_FAILED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED,
                     E.JOINT_HANDLING, E.REFERRED_TO_COURT, E.RESOLVED, E.LEADER_ASSIGNED, E.CLASSIFIED, E.CANCELLED}
    assert view.action_buttons[E.ARRIVED].text() == "到场"
    assert view.action_buttons[E.ARRIVED].toolTip() == "到场（Alt+1）"
    assert all("（Alt+" in button.toolTip() for button in view.action_buttons.values())
    assert view.action_buttons[E.ARRIVED].isDefault()  # the obvious next step
    case, _ = case_service.get_case(ctx, case_no)
    assert shown == set(lifecycle.allowed_events(case, FIXED)) - {E.DISPATCHED}


def test_recording_arrival_updates_timeline_status_and_buttons(ops, ctx, qtbot, accept_forms):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    view = open_view(ops, qtbot, case_no)
    accept_forms[E.ARRIVED] = lambda form: form.evidence.setPlainText("DSJ_0001.mp4\nDSJ_0002.mp4")
    with qtbot.waitSignal(view.sig_recorded, timeout=10_000):
        view.action_buttons[E.ARRIVED].click()
    qtbot.waitUntil(lambda: view.timeline.topLevelItemCount() == 3)  # 接收, 交办, 到场
    qtbot.waitUntil(lambda: E.PROGRESS in view.action_buttons and E.ARRIVED not in view.action_buttons)
    last = view.timeline.topLevelItem(2)
    assert last.text(1) == "到场"
    assert "DSJ_0001.mp4" in last.text(3) and "甲" in last.text(3)
    case, _ = case_service.get_case(ctx, case_no)
    assert lifecycle.derive_status(case) == Status.HANDLING
    assert case.events[-1].evidence == ["DSJ_0001.mp4", "DSJ_0002.mp4"]
    assert case.events[-1].by == ctx.user


def test_resolve_then_return_visit_follows_the_procedure(ops, ctx, qtbot, accept_forms):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    record(ctx, case_no, E.ARRIVED, 20, handlers=["甲", "乙"])
    view = open_view(ops, qtbot, case_no)
    assert E.RETURN_VISIT not in view.action_buttons
    accept_forms[E.RESOLVED] = lambda form: form.widgets["on_site"].setChecked(True)
    with qtbot.waitSignal(view.sig_recorded, timeout=10_000):
        view.action_buttons[E.RESOLVED].click()
    qtbot.waitUntil(lambda: E.RETURN_VISIT in view.action_buttons)
    assert E.ARRIVED not in view.action_buttons
    case, _ = case_service.get_case(ctx, case_no)
    assert case.events[-1].get("on_site") is True


def test_a_red_case_without_leader_demands_one_first(ops, ctx, qtbot):
    case_no = new_case(ctx, risk=Risk.RED)
    view = open_view(ops, qtbot, case_no)
    assert "红色风险案件须先指定包案领导" in view.banner_texts
    assert set(view.action_buttons) == {E.LEADER_ASSIGNED, E.CLASSIFIED, E.CANCELLED}
    assert view.action_buttons[E.LEADER_ASSIGNED].isDefault()


def test_three_failed_mediations_suggest_escalation(ops, ctx, qtbot):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    view = open_view(ops, qtbot, case_no)
    assert not any("建议升级疑难" in text for text in view.banner_texts)
    for minutes in (20, 15, 10):
        record(ctx, case_no, E.MEDIATION_FAILED, minutes)
    with qtbot.waitSignal(view.sig_loaded, timeout=10_000):
        ops.announce(Change.case(case_no))  # what any change through Operations broadcasts
    assert any("建议升级疑难" in text for text in view.banner_texts)


def test_phones_are_masked_until_revealed(ops, ctx, qtbot):
    case_no = new_case(ctx, phone="13812345678")
    view = open_view(ops, qtbot, case_no)
    texts = view.header.party_texts()
    assert texts and "138****5678" in texts[0] and "13812345678" not in texts[0]
    view.header.reveal(0, confirm=False)
    # Shown once the audit row is written: who saw which party's numbers of which case.
    qtbot.waitUntil(lambda: "13812345678" in view.header.party_texts()[0], timeout=10_000)
    from jingyuan_desktop.store.audit import list_audit
    with ctx.session() as session:
        reveals = [a for a in list_audit(session) if a.action == "reveal"]
    assert [(a.entity_id, a.user, a.after["what"]) for a in reveals] == [
        (case_no, ctx.user, "报警人王小明的电话和证件号码")]


def test_a_stale_version_is_refused_and_offers_reload(ops, ctx, qtbot, monkeypatch):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    view = open_view(ops, qtbot, case_no)
    record(ctx, case_no, E.ARRIVED, 20, handlers=["甲", "乙"])  # someone else, on another PC
    asked = []
    monkeypatch.setattr(case_view_module.QMessageBox, "question",
                        lambda *args: asked.append(args[2]) or case_view_module.QMessageBox.StandardButton.Yes)
    event = case_service.recorded_event(E.PROGRESS, FIXED, ctx)
    with qtbot.waitSignal(view.sig_refused, timeout=10_000):
        view.record(event)
    qtbot.waitUntil(lambda: view.timeline.topLevelItemCount() == 3)
    assert asked and "他人刚刚修改" in asked[0]
    assert view.timeline.topLevelItem(2).text(1) == "到场"
    case, _ = case_service.get_case(ctx, case_no)
    assert [e.type for e in case.events] == [E.DISPATCHED, E.ARRIVED]

"""The case view offers exactly the allowed actions and records them through the service."""

import pytest

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.enums import EventType, Grade, Outcome, Risk, Status
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
                     E.JOINT_HANDLING, E.REFERRED_TO_COURT, E.RESOLVED, E.LEADER_ASSIGNED, E.CLASSIFIED, E.CANCELLED,
                     E.DISPATCH_REFUSED, E.RETURNED_TO_POLICE}
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
    record(ctx, case_no, E.ARRIVED, 20, present=["甲", "乙"])
    view = open_view(ops, qtbot, case_no)
    assert E.RETURN_VISIT not in view.action_buttons
    accept_forms[E.RESOLVED] = lambda form: form.widgets["outcome"].setCurrentIndex(
        form.widgets["outcome"].findData(Outcome.ON_SITE))
    with qtbot.waitSignal(view.sig_recorded, timeout=10_000):
        view.action_buttons[E.RESOLVED].click()
    qtbot.waitUntil(lambda: E.RETURN_VISIT in view.action_buttons)
    assert E.ARRIVED not in view.action_buttons
    case, _ = case_service.get_case(ctx, case_no)
    assert case.events[-1].get("outcome") == "on_site"


def test_a_red_case_without_leader_demands_one_first(ops, ctx, qtbot):
    case_no = new_case(ctx, risk=Risk.RED)
    view = open_view(ops, qtbot, case_no)
    assert "红色风险案件须先指定包案领导" in view.banner_texts
    assert set(view.action_buttons) == {E.LEADER_ASSIGNED, E.CLASSIFIED, E.CANCELLED, E.RETURNED_TO_POLICE}
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
    record(ctx, case_no, E.ARRIVED, 20, present=["甲", "乙"])  # someone else, on another PC
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


# ---- the rules of version 2 ---------------------------------------------------------

def test_every_action_has_its_own_key():
    keys = list(case_view_module.ACTION_KEYS.values())
    assert len(keys) == len(set(keys))
    shown = case_view_module.MAIN_ACTIONS + case_view_module.OFFICE_ACTIONS
    assert len(shown) == len(set(shown)) and set(shown) == set(case_view_module.ACTION_KEYS)
    assert {E.RETURNED_TO_POLICE, E.COURT_OUTCOME, E.DISPATCH_REFUSED, E.ANALYSIS} <= set(shown)


def test_the_new_actions_sit_with_the_team_or_the_office(ops, ctx, qtbot):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    record(ctx, case_no, E.REFERRED_TO_COURT, 20, court="智慧法庭")
    view = open_view(ops, qtbot, case_no)
    row_of = {kind: view.actions_row.getItemPosition(view.actions_row.indexOf(button))[0]
              for kind, button in view.action_buttons.items()}
    assert row_of[E.COURT_OUTCOME] == row_of[E.RESOLVED] == 0  # the team's path
    assert row_of[E.RETURNED_TO_POLICE] == row_of[E.CANCELLED] == 1  # the office's acts
    assert view.action_buttons[E.COURT_OUTCOME].toolTip() == "法庭结果（Alt+J）"
    assert view.action_buttons[E.COURT_OUTCOME].isDefault()  # referred: the court's answer comes next


def test_a_refused_dispatch_sends_the_clerk_to_the_pane_again(ops, ctx, qtbot, accept_forms):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    view = open_view(ops, qtbot, case_no)
    assert E.DISPATCH_REFUSED in view.action_buttons
    accept_forms[E.DISPATCH_REFUSED] = lambda form: form.note.setPlainText("书记称不归村里管，拒不到场")
    with qtbot.waitSignal(view.sig_recorded, timeout=10_000):
        view.action_buttons[E.DISPATCH_REFUSED].click()
    banner = "原处置人员拒不处置：请单击“交办…”（或在主窗口右侧“交办”面板）重新交办"
    qtbot.waitUntil(lambda: banner in view.banner_texts,
                    timeout=10_000)
    assert E.ARRIVED not in view.action_buttons and E.RESOLVED not in view.action_buttons
    assert view.hint.text().startswith("交办：单击“交办…”") and E.DISPATCHED in view.action_buttons
    case, _ = case_service.get_case(ctx, case_no)
    assert case.events[-1].type == E.DISPATCH_REFUSED and case.events[-1].note.startswith("书记")


def test_a_failed_difficult_case_asks_for_the_analysis_first(ops, ctx, qtbot, accept_forms):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    record(ctx, case_no, E.CLASSIFIED, 20, grade=Grade.DIFFICULT)
    record(ctx, case_no, E.MEDIATION_FAILED, 15)
    view = open_view(ops, qtbot, case_no)
    assert view.action_buttons[E.ANALYSIS].isDefault()
    assert any(text.startswith("须二次处置") for text in view.banner_texts)
    accept_forms[E.ANALYSIS] = lambda form: form.widgets["plan"].setPlainText("请社区民警参加，再次调解")
    with qtbot.waitSignal(view.sig_recorded, timeout=10_000):
        view.action_buttons[E.ANALYSIS].click()
    qtbot.waitUntil(lambda: any(text.startswith("已研判") for text in view.banner_texts), timeout=10_000)
    assert E.ANALYSIS not in view.action_buttons


def test_a_case_returned_to_the_police_is_fed_back_next(ops, ctx, qtbot, accept_forms):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    view = open_view(ops, qtbot, case_no)
    accept_forms[E.RETURNED_TO_POLICE] = lambda form: form.widgets["reason"].setPlainText("涉嫌殴打他人")
    with qtbot.waitSignal(view.sig_recorded, timeout=10_000):
        view.action_buttons[E.RETURNED_TO_POLICE].click()
    qtbot.waitUntil(lambda: set(view.action_buttons) == {E.POLICE_FEEDBACK}, timeout=10_000)
    assert view.action_buttons[E.POLICE_FEEDBACK].isDefault()
    assert "已移交公安：请将处理情况反馈派出所" in view.banner_texts
    assert view.header._cell_text(0, 3) == Status.RETURNED.label
    case, _ = case_service.get_case(ctx, case_no)
    assert lifecycle.derive_status(case) == Status.RETURNED
    assert case.events[-1].get("reason") == "涉嫌殴打他人"


def test_a_case_declined_as_not_our_remit_is_fed_back_next(ops, ctx, qtbot):
    case_no = new_case(ctx)
    record(ctx, case_no, E.CANCELLED, 20, reason="not_our_remit")
    view = open_view(ops, qtbot, case_no)
    assert set(view.action_buttons) == {E.POLICE_FEEDBACK}
    assert view.action_buttons[E.POLICE_FEEDBACK].isDefault()


def header_value(view, caption):
    grid = view.header.grid
    for row in range(grid.rowCount()):
        for column in (0, 2):
            if view.header._cell_text(row, column) == caption:
                return view.header._cell_text(row, column + 1)
    return None


def test_the_header_shows_the_colour_or_that_none_is_chosen(ops, ctx, qtbot):
    from jingyuan_desktop.domain.categories import UNCLASSIFIED

    yellow = new_case(ctx, risk=Risk.YELLOW)
    view = open_view(ops, qtbot, yellow)
    assert header_value(view, "等级 / 风险") == "一般 / 黄色"
    unclassified = new_case(ctx, risk=None, category=UNCLASSIFIED)
    view = open_view(ops, qtbot, unclassified)
    assert header_value(view, "等级 / 风险") == "一般 / 未定"


def test_the_header_says_how_the_case_ended(ops, ctx, qtbot):
    case_no = new_case(ctx)
    dispatch(ctx, case_no)
    record(ctx, case_no, E.RESOLVED, 20, outcome="agreement", agreement_no="第18号")
    view = open_view(ops, qtbot, case_no)
    assert header_value(view, "办结") == "达成调解协议（第18号）"
    assert header_value(view, "等级 / 风险") == "一般 / 蓝色"  # watched once resolved (seed 003)


def test_a_case_awaiting_dispatch_is_dispatched_from_its_own_window(ops, ctx, qtbot):
    from jingyuan_desktop.services import queries

    case_no = new_case(ctx)
    view = open_view(ops, qtbot, case_no)
    button = view.action_buttons[E.DISPATCHED]
    assert button.text() == "交办…" and button.isDefault()
    button.click()
    pane = view.dispatch_dialog.layout().itemAt(0).widget()  # the 交办 pane, in a dialog of its own
    qtbot.waitUntil(lambda: pane.case_no == case_no and pane.data is not None, timeout=10_000)
    secretary, members = queries.village_team(ctx, pane.data.case.village)
    pane.handlers.set_checked(secretary.name)
    pane.handlers.set_checked(members[0].name)
    with qtbot.waitSignal(view.dispatch_dialog.accepted, timeout=10_000):
        pane.dispatch_button.click()
    case, _ = case_service.get_case(ctx, case_no)
    assert case.first(E.DISPATCHED) is not None

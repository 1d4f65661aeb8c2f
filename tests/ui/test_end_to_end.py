"""One police transfer through the real window: intake -> dispatch -> arrive -> resolve -> return
visit, each step visible in the case table and the timer panel, whose clocks are those of
`jingyuan deadlines` at every step."""

import json
import shutil
from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox

from jingyuan_desktop import cli
from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.enums import ClockName, ClockState, EventType, Grade, Outcome, Risk, Satisfaction, Status
from jingyuan_desktop.domain.model import Event
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.ui.cases.event_form import EventForm
from jingyuan_desktop.ui.cases.table_model import COLUMN, CaseNoRole
from jingyuan_desktop.ui.intake.dialog import IntakeDialog
from jingyuan_desktop.ui.main_window import MainWindow
from jingyuan_desktop.ui.ops import Change, Operations
from tests.ui.conftest import FIXED, new_case

E = EventType


class MovableNow:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@pytest.fixture
def clock():
    return MovableNow(FIXED)


@pytest.fixture
def world(demo_template, tmp_path, clock, qtbot, monkeypatch):
    """The demo database, a context and a window that share one movable clock."""
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: pytest.fail(f"unexpected warning {args[1:]}"))
    monkeypatch.setattr(IntakeDialog, "confirm_discard", lambda self: True)
    path = tmp_path / "e2e.db"
    shutil.copy(demo_template, path)
    ctx = AppContext.open(str(path), now=clock)
    ops = Operations(ctx)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ops, settings=settings, now=clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield ctx, ops, window, path
    QThreadPool.globalInstance().waitForDone(10_000)
    ctx.db.engine.dispose()


def cli_deadlines(path, moment) -> list[dict]:
    """What `jingyuan deadlines --json` prints for the open clocks at ``moment``."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["--db", str(path), "deadlines", "--at", moment.strftime("%Y-%m-%d %H:%M"), "--json"])
    assert code == 0
    return json.loads(out.getvalue())


def panel_rows(window) -> list[tuple[str, str, str]]:
    return sorted((c.case_no, c.name.value, c.due_at.isoformat()) for c in window.timers.model.clocks())


def case_rows(window, case_no):
    return [(c.name, c.state) for c in window.timers.model.clocks() if c.case_no == case_no]


def table_status(window, case_no) -> str | None:
    model = window.model
    for row in range(min(model.rowCount(), 200)):
        if model.index(row, 0).data(CaseNoRole) == case_no:
            return model.index(row, COLUMN["status"]).data()
    return None


def wait_for_step(qtbot, window, case_no, status, clocks):
    """Table row shows ``status`` and the timer panel holds exactly ``clocks`` for the case."""
    qtbot.waitUntil(lambda: table_status(window, case_no) == status, timeout=10_000)
    qtbot.waitUntil(lambda: sorted(case_rows(window, case_no)) == sorted(clocks), timeout=10_000)


def agrees_with_cli(qtbot, window, path, moment):
    """The whole panel equals `jingyuan deadlines` once the panel has read everything again, as
    it does every minute (between those reads it updates only the case that changed, and the
    moved clock of this test changes other cases' clocks too)."""
    printed = sorted((r["case_no"], r["clock"], r["due_at"]) for r in cli_deadlines(path, moment))
    assert printed  # the demo town always has running clocks
    window.timers.reload()

    def same():
        assert panel_rows(window) == printed

    qtbot.waitUntil(same, timeout=10_000)


def record_in_view(qtbot, view, kind, tweak=None):
    original = EventForm.exec

    def exec_(form):
        if tweak:
            tweak(form)
        form._accept()
        return form.result()

    EventForm.exec = exec_
    try:
        # The case window reads the case again after each record: wait for the button to appear.
        qtbot.waitUntil(lambda: kind in view.action_buttons, timeout=10_000)
        with qtbot.waitSignal(view.sig_recorded, timeout=10_000):
            view.action_buttons[kind].click()
    finally:
        EventForm.exec = original


def test_a_police_transfer_from_intake_to_return_visit(world, clock, qtbot, monkeypatch):
    ctx, _ops, window, path = world
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    agrees_with_cli(qtbot, window, path, clock.moment)

    # 1. Ctrl+N: the intake form, filled in as the clerk reads the transfer slip.
    def fill_and_save(dialog: IntakeDialog):
        dialog.show()
        qtbot.waitUntil(lambda: dialog.choices is not None, timeout=10_000)
        slip = dialog.slip
        slip.police_incident_no.setText("J3701002025061199999")
        slip.caller_name.setText("孔令军")
        slip.caller_phone.setText("13912340000")
        slip.location.setText("东街12号")
        slip.village.setEditText(dialog.choices.villages[0])
        slip.summary.setPlainText("孔某与邻居因院墙漏水发生争执")
        slip.officer.setText("李警官")
        slip.police_station.setCurrentIndex(0)
        assert dialog.category.select("相邻关系")
        dialog.risk.setCurrentIndex(dialog.risk.findData(Risk.YELLOW))  # seed 003: chosen at classification
        with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
            dialog.save()
        return dialog.result()

    monkeypatch.setattr(IntakeDialog, "exec", fill_and_save)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    case_no = window.selected_case_no() or window.assignment.case_no
    assert case_no and case_no.startswith(ctx.office().case_no_prefix)
    wait_for_step(qtbot, window, case_no, Status.AWAITING_DISPATCH.label, [(ClockName.DISPATCH, ClockState.PENDING)])
    agrees_with_cli(qtbot, window, path, clock.moment)

    # 2. Two minutes later, the assignment pane: the secretary leads, one more member is ticked.
    clock.moment = FIXED + timedelta(minutes=2)
    pane = window.assignment
    qtbot.waitUntil(lambda: pane.dispatch_button.isVisible(), timeout=10_000)
    member = next(name for name in pane.handlers.entry_keys() if name not in pane.handlers.checked())
    pane.handlers.set_checked(member)
    with qtbot.waitSignal(pane.sig_dispatched, timeout=10_000):
        pane.dispatch_button.click()
    wait_for_step(qtbot, window, case_no, Status.DISPATCHED.label, [(ClockName.ARRIVE, ClockState.PENDING),
                                                    (ClockName.RESULT, ClockState.PENDING)])
    agrees_with_cli(qtbot, window, path, clock.moment)

    # 3. Arrival 12 minutes after the dispatch, recorded from the case view.
    clock.moment = FIXED + timedelta(minutes=14)
    view = window.open_case(case_no)
    qtbot.waitUntil(lambda: view.case is not None, timeout=10_000)
    record_in_view(qtbot, view, E.ARRIVED)
    wait_for_step(qtbot, window, case_no, Status.HANDLING.label, [(ClockName.RESULT, ClockState.PENDING)])
    agrees_with_cli(qtbot, window, path, clock.moment)

    # 4. Resolved on site the same morning: the return visit clock starts.
    clock.moment = FIXED + timedelta(hours=1)
    record_in_view(qtbot, view, E.RESOLVED, lambda form: form.widgets["outcome"].setCurrentIndex(
        form.widgets["outcome"].findData(Outcome.ON_SITE)))  # the clerk must choose how
    wait_for_step(qtbot, window, case_no, Status.RESOLVED.label, [(ClockName.RETURN_VISIT, ClockState.PENDING)])
    agrees_with_cli(qtbot, window, path, clock.moment)

    # 5. The return visit the next day: satisfied; the police feedback clock starts.
    clock.moment = FIXED + timedelta(days=1)
    record_in_view(qtbot, view, E.RETURN_VISIT, lambda form: form.widgets["satisfaction"].setCurrentIndex(
        form.widgets["satisfaction"].findData(Satisfaction.SATISFIED)))  # the clerk must choose
    wait_for_step(qtbot, window, case_no, Status.VISITED.label, [(ClockName.POLICE_FEEDBACK, ClockState.PENDING)])
    agrees_with_cli(qtbot, window, path, clock.moment)

    case, _version = case_service.get_case(ctx, case_no)
    assert [e.type for e in case.events] == [E.DISPATCHED, E.ARRIVED, E.RESOLVED, E.RETURN_VISIT]
    assert case.events[-1].get("satisfaction") == Satisfaction.SATISFIED


def test_an_unclassified_transfer_is_classified_then_dispatched(world, clock, qtbot):
    ctx, ops, window, _path = world

    case_no = new_case(ctx, minutes_ago=0)
    case, version = case_service.get_case(ctx, case_no)
    # As an imported transfer: nothing known yet but the slip.
    case_service.record_event(ctx, case_no, Event(E.CLASSIFIED, FIXED, by="测试", data={"category": UNCLASSIFIED}),
                              version)
    ops.announce(Change.case(case_no))
    view = window.open_case(case_no)
    qtbot.waitUntil(lambda: view.case is not None, timeout=10_000)
    qtbot.waitUntil(lambda: E.CLASSIFIED in view.action_buttons, timeout=10_000)

    def classify(form):
        form.widgets["category"].setCurrentText("邻里纠纷")
        grade = form.widgets["grade"]
        grade.setCurrentIndex(grade.findData(Grade.DIFFICULT))
        risk = form.widgets["risk"]
        risk.setCurrentIndex(risk.findData(Risk.YELLOW))

    clock.moment = FIXED + timedelta(minutes=1)
    record_in_view(qtbot, view, E.CLASSIFIED, classify)
    case, _version = case_service.get_case(ctx, case_no)
    last = case.events[-1]
    assert last.type == E.CLASSIFIED
    assert last.data == {"category": "邻里纠纷", "grade": Grade.DIFFICULT, "risk": Risk.YELLOW}
    assert isinstance(last.get("grade"), Grade)
    # Now the assignment pane lets the team go. The table's reload after the classification
    # settles first: when it lands, the pane follows the table's selection (none here), which
    # would otherwise clear the case pointed at below.
    qtbot.waitUntil(lambda: window.model.loaded and ops.running == 0, timeout=10_000)
    window.assignment.set_case(case_no)
    pane = window.assignment
    qtbot.waitUntil(lambda: pane.dispatch_button.isVisible(), timeout=10_000)
    member = next(name for name in pane.handlers.entry_keys() if name not in pane.handlers.checked())
    pane.handlers.set_checked(member)
    assert pane.dispatch_button.isEnabled()

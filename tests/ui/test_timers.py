"""The timer panel: every running clock, counting down against an injected clock, alerting once."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from jingyuan_desktop.domain.clocks import Clock
from jingyuan_desktop.domain.enums import ClockName, ClockState
from jingyuan_desktop.services.deadlines import deadlines
from jingyuan_desktop.ui.ops import Change
from jingyuan_desktop.ui.timers.model import (
    BACKGROUND,
    CASE_NO,
    CLOCK,
    LEFT,
    ClockTableModel,
    Urgency,
    UrgencyRole,
    clock_key,
    format_countdown,
    group_label,
    panel_rows,
    urgency,
)
from jingyuan_desktop.ui.timers.panel import TimerPanel
from tests.ui.conftest import FIXED, dispatch, new_case


class MovableNow:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@pytest.fixture
def beeps(monkeypatch):
    calls = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: calls.append(1)))
    return calls


def make_panel(ops, qtbot, qsettings, now):
    panel = TimerPanel(ops, now=now, settings=qsettings)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel._loading, timeout=10_000)
    return panel


def row_of(panel, case_no, name):
    for clock in panel.model.clocks():
        if clock.case_no == case_no and clock.name == name:
            return panel.model.row_of(clock_key(clock))
    raise AssertionError(f"no {name} row for {case_no}")


def test_a_dispatch_clock_counts_down_turns_red_and_alerts_once(ops, ctx, qtbot, qsettings, beeps):
    case_no = new_case(ctx, minutes_ago=0)  # received at T = FIXED
    now = MovableNow(FIXED + timedelta(minutes=1))
    panel = make_panel(ops, qtbot, qsettings, now)

    assert panel.model.clocks() == deadlines(ctx, now.moment)  # one source with `jingyuan deadlines`
    row = row_of(panel, case_no, ClockName.DISPATCH)
    clock = panel.model.clock_at(row)
    assert clock.state == ClockState.PENDING
    assert panel.model.index(row, LEFT).data() == "剩余 4分00秒"
    assert panel.model.index(row, CLOCK).data() == "交办时限"
    assert panel.model.index(row, LEFT).data(UrgencyRole) == Urgency.PLENTY

    overdue = []
    panel.sig_clock_overdue.connect(overdue.append)
    now.moment = FIXED + timedelta(minutes=6)
    panel.tick()
    row = row_of(panel, case_no, ClockName.DISPATCH)
    assert panel.model.index(row, LEFT).data() == "超时 1分00秒"
    assert panel.model.index(row, LEFT).data(UrgencyRole) == Urgency.OVERDUE
    assert panel.model.index(row, CASE_NO).data(Qt.ItemDataRole.BackgroundRole).color() == BACKGROUND[Urgency.OVERDUE]
    mine = [c for c in overdue if c.case_no == case_no]
    assert [c.name for c in mine] == [ClockName.DISPATCH]
    # Only clocks that ran out between the two moments alert; old overdue ones stay quiet.
    assert all(FIXED + timedelta(minutes=1) <= c.due_at < now.moment for c in overdue)
    assert len(beeps) == 1

    panel.tick()
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        panel.reload()
    assert [c for c in overdue if c.case_no == case_no] == mine  # still once
    assert len(beeps) == 1
    assert panel.model.clocks() == deadlines(ctx, now.moment)


def test_every_clock_of_a_case_has_its_own_row_sorted_by_time_left(ops, ctx, qtbot, qsettings):
    case_no = new_case(ctx, minutes_ago=30)
    dispatch(ctx, case_no, minutes_ago=5)
    panel = make_panel(ops, qtbot, qsettings, MovableNow(FIXED))
    names = [c.name for c in panel.model.clocks() if c.case_no == case_no]
    assert names == [ClockName.ARRIVE, ClockName.RESULT]
    dues = [c.due_at for c in panel.model.clocks()]
    assert dues == sorted(dues)
    assert panel.model.clocks() == deadlines(ctx, FIXED)


def test_a_click_opens_the_case(ops, ctx, qtbot, qsettings):
    case_no = new_case(ctx, minutes_ago=0)
    panel = make_panel(ops, qtbot, qsettings, MovableNow(FIXED + timedelta(minutes=1)))
    panel.show()
    row = row_of(panel, case_no, ClockName.DISPATCH)
    index = panel.model.index(row, 0)
    panel.view.scrollTo(index)
    with qtbot.waitSignal(panel.sig_open_case) as opened:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.view.visualRect(index).center())
    assert opened.args == [case_no]


def test_a_data_change_reloads_the_rows(ops, ctx, qtbot, qsettings):
    case_no = new_case(ctx, minutes_ago=0)
    panel = make_panel(ops, qtbot, qsettings, MovableNow(FIXED + timedelta(minutes=1)))
    dispatch(ctx, case_no, minutes_ago=0)
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        ops.announce(Change.case(case_no))
    names = [c.name for c in panel.model.clocks() if c.case_no == case_no]
    assert ClockName.DISPATCH not in names and ClockName.ARRIVE in names


def test_switched_off_alerts_stay_silent_and_the_choice_is_remembered(ops, ctx, qtbot, qsettings, beeps):
    new_case(ctx, minutes_ago=0)
    now = MovableNow(FIXED + timedelta(minutes=1))
    panel = make_panel(ops, qtbot, qsettings, now)
    panel.sound_box.setChecked(False)
    panel.tray_box.setChecked(False)
    overdue = []
    panel.sig_clock_overdue.connect(overdue.append)
    now.moment = FIXED + timedelta(minutes=6)
    panel.tick()
    assert overdue and beeps == []
    again = make_panel(ops, qtbot, qsettings, now)
    assert not again.sound_box.isChecked() and not again.tray_box.isChecked()


def test_colours_follow_the_share_of_the_span_left():
    start = FIXED
    clock = Clock("FZ-1", ClockName.ARRIVE, start + timedelta(minutes=100), ClockState.PENDING, started_at=start)
    assert urgency(clock, start + timedelta(minutes=49)) == Urgency.PLENTY
    assert urgency(clock, start + timedelta(minutes=51)) == Urgency.UNDER_HALF
    assert urgency(clock, start + timedelta(minutes=81)) == Urgency.UNDER_FIFTH
    assert urgency(clock, start + timedelta(minutes=100)) == Urgency.UNDER_FIFTH  # due, not yet past
    assert urgency(clock, start + timedelta(minutes=100, seconds=1)) == Urgency.OVERDUE
    model = ClockTableModel(start + timedelta(minutes=60))
    model.set_clocks([clock])
    assert model.index(0, LEFT).data(Qt.ItemDataRole.BackgroundRole).color() == BACKGROUND[Urgency.UNDER_HALF]
    assert model.index(0, LEFT).data() == "剩余 40分00秒"


def test_countdown_text():
    assert format_countdown(timedelta(minutes=3, seconds=12)) == "剩余 3分12秒"
    assert format_countdown(timedelta(hours=2, minutes=5, seconds=9)) == "剩余 2小时05分"
    assert format_countdown(timedelta(days=3, hours=2)) == "剩余 3天2小时"
    assert format_countdown(-timedelta(seconds=61)) == "超时 1分01秒"


def test_a_change_to_one_case_reads_only_that_case_and_still_agrees_with_deadlines(
        ops, ctx, qtbot, qsettings, monkeypatch):
    import jingyuan_desktop.ui.timers.panel as panel_module

    case_no = new_case(ctx, minutes_ago=0)
    now = MovableNow(FIXED + timedelta(minutes=1))
    panel = make_panel(ops, qtbot, qsettings, now)
    full_reads = []
    real = panel_module.deadlines
    monkeypatch.setattr(panel_module, "deadlines", lambda *a, **k: full_reads.append(1) or real(*a, **k))
    dispatch(ctx, case_no, minutes_ago=0)
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        ops.announce(Change.case(case_no))
    assert full_reads == []
    assert panel.model.clocks() == deadlines(ctx, now.moment)


def _clock(case_no, name, due_minutes, seq=1):
    return Clock(case_no, name, FIXED + timedelta(minutes=due_minutes), ClockState.PENDING, None, seq,
                 FIXED - timedelta(minutes=60))


def test_running_clocks_come_first_soonest_at_the_top_and_a_late_case_takes_one_row():
    late = [_clock("FZ-1", ClockName.PROGRESS, -60 * 24 * days, seq) for seq, days in ((28, 3), (29, 2), (30, 1))]
    late.append(_clock("FZ-1", ClockName.ARRIVE, -60 * 24 * 4))
    fresh = _clock("FZ-2", ClockName.ARRIVE, 12)
    later = _clock("FZ-3", ClockName.RESULT, 300)
    newly_late = _clock("FZ-4", ClockName.DISPATCH, -1)
    rows = panel_rows([*late, later, newly_late, fresh], FIXED)
    assert [(r.first.case_no, r.overdue) for r in rows] == [("FZ-2", False), ("FZ-3", False), ("FZ-4", True),
                                                            ("FZ-1", True)]
    assert rows[-1].clocks[0].name == ClockName.ARRIVE and len(rows[-1].clocks) == 4  # longest overdue first
    assert group_label(rows[-1].clocks) == "超时 4 项：到场时限、每日进展时限（第28–30天）"
    assert group_label(rows[2].clocks) == "交办时限"


def test_the_panel_fits_a_narrow_dock_without_scrolling_sideways(ops, ctx, qtbot, qsettings):
    case_no = new_case(ctx, minutes_ago=30)
    dispatch(ctx, case_no, minutes_ago=5)
    panel = make_panel(ops, qtbot, qsettings, MovableNow(FIXED))
    panel.resize(340, 500)  # the dock's share of a 1366x768 screen
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    assert view.horizontalScrollBar().maximum() == 0
    widths = sum(view.columnWidth(c) for c in range(panel.model.columnCount()))
    assert widths <= view.viewport().width()
    row = row_of(panel, case_no, ClockName.ARRIVE)
    assert panel.model.index(row, CLOCK).data(Qt.ItemDataRole.ToolTipRole).count("截止") == 1

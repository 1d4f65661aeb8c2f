"""The prevention duties in the timer panel: labelled by kind, with owner and due day, overdue
in red, refreshed after a patrol and turning red as the panel's clock passes the due time."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, timedelta

from PySide6.QtCore import Qt

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.domain.prevention import DutyName, Grid, Patrol, PatrolRole
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.palette import ALARM
from jingyuan_desktop.ui.prevention.changes import PreventionChange
from jingyuan_desktop.ui.timers.duties import DUE, KIND, LABEL, OWNER, DutyRole, OverdueRole
from jingyuan_desktop.ui.timers.panel import TimerPanel
from tests.ui.conftest import FIXED

GRID = "计时网格"


class MovableNow:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


def rows_of(panel: TimerPanel, key: str) -> list[int]:
    model = panel.duty_model
    return [r for r in range(model.rowCount()) if model.index(r, 0).data(DutyRole).subject == key]


def make_panel(ops, qtbot, qsettings, now) -> TimerPanel:
    panel = TimerPanel(ops, now=now, settings=qsettings)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel._loading and not panel._duties_loading, timeout=10_000)
    return panel


def test_a_grid_s_missed_and_open_patrols_are_listed_with_owner_and_due_day(ops, ctx, qtbot, qsettings):
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    records.save_grids(ctx, [Grid(village, GRID, head="王网格长", since=date(2025, 6, 2))])
    panel = make_panel(ops, qtbot, qsettings, MovableNow(FIXED))
    key = f"{village}/{GRID}"
    model = panel.duty_model
    open_row, late_row = rows_of(panel, key)  # the open week first, the missed one below
    assert model.index(open_row, KIND).data() == "网格巡查"
    assert model.index(open_row, OWNER).data() == "王网格长"
    assert model.index(open_row, DUE).data() == "至6月15日"
    assert model.index(open_row, LABEL).data() == f"{key} 第24周巡查（1/1）"
    assert model.index(late_row, 0).data(OverdueRole) is True
    assert model.index(late_row, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() == ALARM
    assert model.index(late_row, DUE).data().startswith("超时")
    assert "已超时" in panel.duty_summary.text()
    assert "王网格长负责" in model.index(late_row, LABEL).data(Qt.ItemDataRole.ToolTipRole)

    # A patrol recorded through the window: the open week is met and leaves the list.
    patrol = Patrol(FIXED - timedelta(hours=1), "王网格长", PatrolRole.GRID_WORKER, village, GRID)
    with qtbot.waitSignal(panel.sig_duties_loaded, timeout=10_000):
        ops.run(lambda c: records.record_patrols(c, [patrol]), changed=PreventionChange())
    [late_row] = rows_of(panel, key)
    assert model.index(late_row, 0).data(OverdueRole) is True


def test_an_open_patrol_turns_red_when_the_panel_s_clock_passes_its_due_time(ops, ctx, qtbot, qsettings):
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    records.save_grids(ctx, [Grid(village, GRID, head="王网格长", since=date(2025, 6, 9))])
    now = MovableNow(FIXED)
    panel = make_panel(ops, qtbot, qsettings, now)
    key = f"{village}/{GRID}"
    [row] = rows_of(panel, key)
    assert panel.duty_model.index(row, 0).data(OverdueRole) is False
    now.moment = FIXED + timedelta(days=5)  # Monday 06-16: the week of 06-09 has ended
    panel.tick()
    [row] = rows_of(panel, key)
    assert panel.duty_model.index(row, 0).data(OverdueRole) is True


def test_a_click_on_a_duty_asks_for_the_prevention_page(ops, ctx, qtbot, qsettings):
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    records.save_grids(ctx, [Grid(village, GRID, head="王网格长", since=date(2025, 6, 9))])
    panel = make_panel(ops, qtbot, qsettings, MovableNow(FIXED))
    panel.resize(340, 700)
    panel.show()
    qtbot.waitExposed(panel)
    [row] = rows_of(panel, f"{village}/{GRID}")
    index = panel.duty_model.index(row, LABEL)
    panel.duty_view.scrollTo(index)
    with qtbot.waitSignal(panel.sig_open_duty) as opened:
        qtbot.mouseClick(panel.duty_view.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.duty_view.visualRect(index).center())
    assert opened.args[0].name == DutyName.GRID_PATROL
    assert panel.duty_view.horizontalScrollBar().maximum() == 0

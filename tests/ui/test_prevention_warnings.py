"""The 预警 tab and the main window's warning line; the 网格 tab's edits and its read-only face."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from jingyuan_desktop.domain.access import Account, Role
from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.domain.prevention import Warning
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.main_window import MainWindow
from jingyuan_desktop.ui.prevention.banner import warning_text
from jingyuan_desktop.ui.prevention.grids import GridsTab
from jingyuan_desktop.ui.prevention.warnings_tab import WarningsTab
from tests.ui.conftest import fixed_now

TEXT = "汛期强降雨，注意河道沿线"


@pytest.fixture
def village(ctx):
    return queries.units(ctx, UnitKind.VILLAGE)[0].name


def check_village(tab: WarningsTab, village: str) -> None:
    for i in range(tab.villages.count()):
        item = tab.villages.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == village:
            item.setCheckState(Qt.CheckState.Checked)


def test_the_banner_text_names_the_dates_places_and_daily_patrols():
    warning = Warning(date(2025, 6, 10), date(2025, 6, 16), TEXT, villages=("解营村", "高南村"), daily_patrols=True)
    assert warning_text(warning) == f"预警：{TEXT}（6月10日至6月16日，解营村、高南村），期间每日巡查"
    town_wide = Warning(date(2025, 6, 10), date(2025, 6, 10), "节前排查")
    assert warning_text(town_wide) == "预警：节前排查（6月10日至6月10日，全镇）"


def test_a_warning_declared_on_the_tab_shows_under_the_toolbar_until_withdrawn(ops, ctx, qtbot, qsettings, village,
                                                                                monkeypatch):
    window = MainWindow(ops, settings=qsettings, now=fixed_now)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.warning_banner.warnings is not None and window.model.loaded, timeout=10_000)
    tab = WarningsTab(ops, now=fixed_now)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.villages.count() > 0, timeout=10_000)
    tab.starts.setDate(QDate(2025, 6, 10))
    tab.ends.setDate(QDate(2025, 6, 16))
    check_village(tab, village)
    tab.text.setPlainText(TEXT)
    tab.daily.setChecked(True)
    expected = f"预警：{TEXT}（6月10日至6月16日，{village}），期间每日巡查"
    with qtbot.waitSignal(window.warning_banner.sig_loaded, timeout=10_000):
        tab.submit()
    qtbot.waitUntil(lambda: expected in window.warning_banner.lines(), timeout=10_000)
    assert window.warning_bar.isVisible()
    assert expected in window.warning_banner.text.text()
    qtbot.waitUntil(lambda: any(w.text == TEXT for w in tab.data.warnings), timeout=10_000)
    row = next(n for n, w in enumerate(tab.data.warnings) if w.text == TEXT)
    assert tab.table.item(row, 0).text() == "生效中"
    tab.table.selectRow(row)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    tab.withdraw_selected()
    qtbot.waitUntil(lambda: expected not in window.warning_banner.lines(), timeout=10_000)
    assert window.warning_bar.isVisible() == bool(window.warning_banner.warnings)


def test_a_refused_warning_shows_the_sentence_and_keeps_the_text(ops, qtbot):
    tab = WarningsTab(ops, now=fixed_now)
    qtbot.addWidget(tab)
    tab.starts.setDate(QDate(2025, 6, 16))
    tab.ends.setDate(QDate(2025, 6, 10))
    tab.text.setPlainText(TEXT)
    tab.submit()
    qtbot.waitUntil(lambda: bool(tab.message.text()), timeout=10_000)
    assert tab.message.text() == "预警的结束日期早于开始日期"
    assert tab.text.toPlainText() == TEXT


def test_a_leader_may_declare_but_a_village_account_only_reads(ops, ctx, qtbot, village):
    ctx.account = Account("村账号", Role.VILLAGE, village)
    tab = WarningsTab(ops, now=fixed_now)
    qtbot.addWidget(tab)
    assert not tab.save_button.parentWidget().isEnabled() and not tab.withdraw_button.isEnabled()
    ctx.account = None


def test_a_grid_is_added_and_a_nameless_one_refused(ops, ctx, qtbot, village):
    tab = GridsTab(ops, now=fixed_now)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.grid_village.count() > 0, timeout=10_000)
    tab.grid_village.setCurrentIndex(tab.grid_village.findData(village))
    tab.grid_head.setText("王网格长")
    tab.grid_workers.setText("李明、王芳")
    tab.save_grid()
    qtbot.waitUntil(lambda: bool(tab.message.text()), timeout=10_000)
    assert "网格名称不能为空" in tab.message.text() and tab.grid_workers.text() == "李明、王芳"
    tab.grid_name.setText("新建网格")
    with qtbot.waitSignal(tab.sig_loaded, timeout=10_000):
        tab.save_grid()
    found = [g for g in records.grids(ctx, village) if g.name == "新建网格"]
    assert found and found[0].workers == ("李明", "王芳")
    assert any(tab.table.item(r, 1).text() == "新建网格" for r in range(tab.table.rowCount()))


def test_a_village_account_sees_the_grids_read_only(ops, ctx, qtbot, village):
    ctx.account = Account("村账号", Role.VILLAGE, village)
    tab = GridsTab(ops, now=fixed_now)
    qtbot.addWidget(tab)
    assert not tab.editable and not tab.save_grid_button.parentWidget().isEnabled()
    ctx.account = None

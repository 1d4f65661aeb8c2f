"""The 走访记录 tab: a patrol typed in, a refusal that keeps what was typed, a finding turned
into a case, an entry deleted."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QMessageBox

from jingyuan_desktop.domain.enums import Risk, Source, UnitKind
from jingyuan_desktop.domain.prevention import Grid, Patrol, PatrolRole
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.prevention.patrol_model import CASE, VILLAGE
from jingyuan_desktop.ui.prevention.patrols import PatrolTab
from tests.ui.conftest import FIXED

GRID = "测试网格"


@pytest.fixture
def village(ctx):
    name = queries.units(ctx, UnitKind.VILLAGE)[0].name
    records.save_grids(ctx, [Grid(name, GRID, head="王网格长", workers=("李网格员",), since=date(2025, 6, 2))])
    return name


def make_tab(ops, qtbot) -> PatrolTab:
    tab = PatrolTab(ops)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.loaded and tab.village.count() > 0 and tab.grid.count() > 0, timeout=10_000)
    return tab


def choose(tab: PatrolTab, village: str, grid: str) -> None:
    tab.village.setCurrentIndex(tab.village.findData(village))
    tab.grid.setCurrentIndex(tab.grid.findData(grid))


def test_a_patrol_typed_in_the_form_appears_in_the_week_s_log(ops, qtbot, village):
    tab = make_tab(ops, qtbot)
    choose(tab, village, GRID)
    assert "李网格员" in tab._worker_names.stringList()  # the grid's people are offered
    tab.worker.setText("李网格员")
    tab.households.setValue(12)
    tab.findings.setPlainText("两户因排水沟争吵")
    with qtbot.waitSignal(tab.sig_saved, timeout=10_000) as saved:
        tab.submit()
    qtbot.waitUntil(lambda: tab.model.row_of(saved.args[0]) >= 0, timeout=10_000)
    row = tab.model.row_of(saved.args[0])
    assert tab.model.index(row, VILLAGE).data() == village
    assert tab.model.index(row, CASE).data() == "可转为案件"
    assert tab.selected().id == saved.args[0]  # the new entry is the current row
    assert "已登记" in tab.message.text()
    assert tab.findings.toPlainText() == "" and tab.worker.text() == "李网格员"  # ready for the next one


def test_a_refused_patrol_shows_the_sentence_and_keeps_what_was_typed(ops, qtbot, village):
    tab = make_tab(ops, qtbot)
    choose(tab, village, GRID)
    tab.worker.setText("李网格员")
    tab.findings.setPlainText("河边护栏损坏")
    tab.at.setDateTime(QDateTime(FIXED.replace(tzinfo=None) + timedelta(hours=2)))
    tab.submit()
    qtbot.waitUntil(lambda: bool(tab.message.text()), timeout=10_000)
    assert "晚于现在" in tab.message.text()
    assert tab.findings.toPlainText() == "河边护栏损坏" and tab.worker.text() == "李网格员"
    assert not [p for p in records.patrols(ops.ctx) if p.findings == "河边护栏损坏"]


def test_a_finding_becomes_a_case_and_its_row_shows_the_number(ops, ctx, qtbot, village):
    [patrol_id] = records.record_patrols(ctx, [Patrol(FIXED - timedelta(hours=1), "赵信息员", PatrolRole.INFORMANT,
                                                      village, GRID, findings="有人扬言讨要工钱闹事")])
    tab = make_tab(ops, qtbot)
    tab.select_patrol(patrol_id)
    assert tab.convert_button.isEnabled()
    dialog = tab.convert_selected()
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=10_000)
    category = queries.category_tree(ctx).names()[1]
    assert dialog.category.select(category)
    dialog.submit()  # no colour chosen: the service's sentence, the category kept
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "风险颜色" in dialog.message.text() and dialog.category.current() == category
    dialog.risk.setCurrentIndex(dialog.risk.findData(Risk.YELLOW))
    with qtbot.waitSignal(tab.sig_loaded, timeout=10_000):
        dialog.submit()
    case_no = tab.last_case_no
    assert case_no and case_no in tab.message.text()
    row = tab.model.row_of(patrol_id)
    assert tab.model.index(row, CASE).data() == case_no
    assert not tab.convert_button.isEnabled()
    case, _version = case_service.get_case(ctx, case_no)
    assert case.source == Source.INFORMANT and case.village == village and case.grid == GRID
    with qtbot.waitSignal(tab.sig_open_case) as opened:
        tab.open_case_button.click()
    assert opened.args == [case_no]


def test_an_entry_made_in_error_is_deleted_after_asking(ops, ctx, qtbot, village, monkeypatch):
    [patrol_id] = records.record_patrols(ctx, [Patrol(FIXED - timedelta(hours=1), "李网格员", PatrolRole.GRID_WORKER,
                                                      village, GRID)])
    tab = make_tab(ops, qtbot)
    tab.select_patrol(patrol_id)
    tab.delete_selected()  # the conftest answers 否: nothing happens
    assert any(p.id == patrol_id for p in records.patrols(ctx))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    tab.delete_selected()
    qtbot.waitUntil(lambda: tab.model.row_of(patrol_id) < 0, timeout=10_000)
    assert not any(p.id == patrol_id for p in records.patrols(ctx))
    assert tab.message.text() == "已删除该走访记录"

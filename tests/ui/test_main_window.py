"""The real window: it opens on the demo data, F5 reads again, Enter opens the selected case."""

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from jingyuan_desktop.domain.enums import EventType, Status, UnitKind
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.cases import recorded_event
from jingyuan_desktop.services.queries import CaseFilter
from jingyuan_desktop.ui.cases.table_model import COLUMN, CaseNoRole
from jingyuan_desktop.ui.main_window import MainWindow
from tests.ui.conftest import dispatch, fixed_now, new_case


@pytest.fixture
def window(ops, qtbot, qsettings):
    win = MainWindow(ops, settings=qsettings, now=fixed_now)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    qtbot.waitUntil(lambda: win.model.loaded, timeout=10_000)  # count and first page come from a worker
    return win


def row_of(window, case_no):
    return next((r for r in range(window.model.rowCount())
                 if window.model.index(r, 0).data(CaseNoRole) == case_no), None)


def select_case(window, case_no, qtbot):
    qtbot.waitUntil(lambda: row_of(window, case_no) is not None, timeout=10_000)
    row = row_of(window, case_no)
    window.table.selectionModel().setCurrentIndex(
        window.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    return row


def test_window_opens_with_every_case_counted(window, ctx, qtbot):
    total = queries.count_cases(ctx, CaseFilter())
    assert window.model.rowCount() == total
    assert window.count_label.text() == f"共 {total} 件"
    town = ctx.office().town
    qtbot.waitUntil(lambda: window.windowTitle() == f"{town}综治中心", timeout=10_000)
    assert "Ctrl+N" in window.new_action.toolTip() and "F5" in window.refresh_action.toolTip()
    assert "Ctrl+P" in window.print_action.toolTip() and "F11" in window.projection_action.toolTip()


def test_f5_reads_changes_made_elsewhere(window, ctx, qtbot):
    case_no = new_case(ctx, minutes_ago=3)  # entered on another PC: this window does not know yet
    before = window.model.rowCount()
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 1)
    row = select_case(window, case_no, qtbot)
    assert window.model.index(row, COLUMN["status"]).data() == Status.AWAITING_DISPATCH.label
    dispatch(ctx, case_no, minutes_ago=2)
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.model.index(row, COLUMN["status"]).data() == Status.DISPATCHED.label)
    assert window.selected_case_no() == case_no  # the selection survives a refresh


def test_enter_on_a_row_opens_that_case(window, qtbot):
    case_no = window.model.index(2, 0).data(CaseNoRole)
    select_case(window, case_no, qtbot)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: case_no in window.case_views)
    view = window.case_views[case_no]
    qtbot.waitUntil(lambda: view.case is not None, timeout=10_000)
    assert view.isVisible() and view.header.case.case_no == case_no


def test_a_scanned_case_number_opens_the_case(window, ctx, qtbot):
    case_no = new_case(ctx, minutes_ago=4)
    window.refresh()
    qtbot.keyClicks(window.filter_bar.search, case_no)
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: case_no in window.case_views)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
    assert window.model.index(0, 0).data(CaseNoRole) == case_no


def test_recording_in_a_case_view_refreshes_the_table(window, ctx, qtbot):
    case_no = new_case(ctx, minutes_ago=6)
    dispatch(ctx, case_no, minutes_ago=5)
    window.refresh()
    row = select_case(window, case_no, qtbot)
    view = window.open_case(case_no)
    qtbot.waitUntil(lambda: view.case is not None, timeout=10_000)
    event = recorded_event(EventType.ARRIVED, fixed_now(), ctx, present=["甲", "乙"])
    with qtbot.waitSignal(view.sig_recorded, timeout=10_000):
        view.record(event)
    qtbot.waitUntil(lambda: window.model.index(row, COLUMN["status"]).data() == Status.HANDLING.label)


def test_filters_and_columns_are_remembered(ops, ctx, qtbot, qsettings):
    village = queries.units(ctx, UnitKind.VILLAGE)[1].name
    first = MainWindow(ops, settings=qsettings, now=fixed_now)
    qtbot.addWidget(first)
    qtbot.waitUntil(lambda: first.filter_bar.choices_loaded, timeout=10_000)
    first.filter_bar.village.setCurrentIndex(first.filter_bar.village.findData(village))
    first.table.setColumnWidth(COLUMN["village"], 233)
    first.close()
    second = MainWindow(ops, settings=qsettings, now=fixed_now)
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: second.filter_bar.choices_loaded, timeout=10_000)
    assert second.filter_bar.village.currentData() == village
    assert second.table.columnWidth(COLUMN["village"]) == 233

    def villages_shown() -> set:
        return {second.model.index(r, COLUMN["village"]).data() for r in range(second.model.rowCount())}

    qtbot.waitUntil(lambda: second.model.loaded and villages_shown() == {village}, timeout=10_000)
    assert 0 < second.model.rowCount() <= second.model.page_size


def test_ctrl_n_opens_the_intake_form(window, qtbot, monkeypatch):
    from jingyuan_desktop.ui.intake.dialog import IntakeDialog

    opened = []
    monkeypatch.setattr(IntakeDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1 and opened[0].ops is window.ops


def test_pages_are_built_only_when_first_shown_and_ctrl_1_returns_to_the_cases(window, qtbot):
    pages = window.pages
    assert all(page.page is None for page in pages.values())
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is pages["meeting"]
    assert pages["meeting"].page is not None and pages["statistics"].page is None
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0 and window.table.hasFocus()


def test_several_rows_can_be_chosen_for_batch_printing(window, qtbot):
    model = window.model
    numbers = [model.index(row, 0).data(CaseNoRole) for row in range(3)]
    selection = window.table.selectionModel()
    for row in range(3):
        selection.select(model.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    assert window.selected_case_nos() == numbers


def test_a_village_bar_leads_to_that_village_s_cases(window, ctx, qtbot):
    village = window.model.index(0, COLUMN["village"]).data()
    window.show_page("statistics")
    window.show_village_cases(village, "2025-01-01", "2025-06-30")
    assert window.tabs.currentIndex() == 0
    wanted = window.filter_bar.current()
    assert (wanted.village, wanted.period, wanted.date_from, wanted.date_to) == (
        village, "custom", "2025-01-01", "2025-06-30")
    expected = queries.count_cases(ctx, wanted.to_case_filter(fixed_now().date(), window.filter_bar.tree))
    assert 0 < expected < queries.count_cases(ctx, CaseFilter())
    qtbot.waitUntil(lambda: window.model.rowCount() == expected, timeout=10_000)
    assert all(window.model.index(r, COLUMN["village"]).data() == village for r in range(window.model.rowCount()))


def test_qt_speaks_chinese_in_its_own_menus_and_buttons(qapp):
    from PySide6.QtWidgets import QDialogButtonBox

    from jingyuan_desktop.ui.app import install_chinese, make_application

    assert make_application() is qapp and install_chinese(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save)
    texts = {button.text() for button in box.buttons()}
    assert texts == {"取消", "保存"}


def test_file_dialogs_start_in_the_documents_folder(monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from jingyuan_desktop.ui.widgets import files

    asked = {}

    def fake(_parent, _title, start, _filter):
        asked["start"] = start
        return str(tmp_path / "x.pdf"), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    assert files.save_path(None, "另存为 PDF", "交办单.pdf", "PDF 文件 (*.pdf)") == str(tmp_path / "x.pdf")
    assert asked["start"] == str(files.documents_folder() / "交办单.pdf")


def test_the_docks_serve_the_case_list_only_and_come_back_as_they_were(window, qtbot):
    window.timer_dock.hide()  # the clerk closed the deadline panel
    window.show_page("statistics")
    assert not window.assignment_dock.isVisible() and not window.timer_dock.isVisible()
    window.show_page(None)
    assert window.assignment_dock.isVisible() and not window.timer_dock.isVisible()


def test_the_assignment_pane_follows_the_list_when_its_case_leaves_it(window, ctx, qtbot):
    from jingyuan_desktop.ui.cases.filters import TableFilter

    case_no = window.model.index(0, 0).data(CaseNoRole)
    select_case(window, case_no, qtbot)
    qtbot.waitUntil(lambda: window.assignment.case_no == case_no, timeout=10_000)
    window.filter_bar.apply(TableFilter(text="没有这样的案件XYZ"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.assignment.case_no is None, timeout=10_000)

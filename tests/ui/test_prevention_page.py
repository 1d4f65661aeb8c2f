"""The 排查预防 page in the main window: declared like the other pages, reached by Ctrl+5 and
from a duty in the timer panel."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import ClockState
from jingyuan_desktop.domain.prevention import DutyName
from jingyuan_desktop.domain.prevention_clocks import Duty
from jingyuan_desktop.ui.main_window import MainWindow
from jingyuan_desktop.ui.prevention.page import PreventionPage
from tests.ui.conftest import fixed_now


def test_the_page_has_its_five_tabs_and_a_duty_leads_to_its_tab(ops, qtbot, qsettings):
    window = MainWindow(ops, settings=qsettings, now=fixed_now)
    qtbot.addWidget(window)
    action = next(a for a in window.page_actions if a.text() == "排查预防")
    assert action.shortcut().toString() == "Ctrl+5"
    action.trigger()
    assert window.tabs.currentWidget() is window.pages["prevention"]
    page = window.pages["prevention"].ensure()  # built when first shown
    assert isinstance(page, PreventionPage)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["走访记录", "网格", "重点人员", "预警",
                                                                       "人员查询", "人员核对"]
    duty = Duty(DutyName.KEY_PERSON_VISIT, "1", "村支书", "解营村", date(2025, 6, 1),
                datetime(2025, 6, 12, tzinfo=TZ), ClockState.PENDING, label="刘某 重点人员走访")
    window.show_page(None)
    window.timers.sig_open_duty.emit(duty)
    assert window.tabs.currentWidget() is window.pages["prevention"]
    assert page.tabs.currentWidget() is page.key_persons


def test_grids_are_imported_from_the_towns_sheet_and_a_bad_sheet_is_refused_row_by_row(ops, ctx, qtbot, tmp_path,
                                                                                       monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from jingyuan_desktop.services.prevention import records
    from jingyuan_desktop.ui.prevention.grids import GridsTab

    boxes = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: boxes.append((title, text)))
    tab = GridsTab(ops)
    qtbot.addWidget(tab)
    village = "解营村"  # a village of the demo town
    bad = tmp_path / "bad.csv"
    bad.write_text(f"村（社区）,网格名称,网格长,网格员\n{village},一号网格,甲,乙\n不存在村,二号网格,丙,丁\n",
                   encoding="utf-8")
    imported: list[str] = []
    tab.import_grids.sig_imported.connect(imported.append)
    tab.import_grids.start(bad)
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    assert imported == [] and "有 1 行有问题" in tab.message.text()
    assert "第3行" in boxes[0][1] and "未导入" in boxes[0][0]
    assert not any(g.name == "一号网格" for g in records.grids(ctx))  # nothing half-written
    good = tmp_path / "good.csv"
    good.write_text(f"村（社区）,网格名称,网格长,网格员\n{village},一号网格,甲,乙、戊\n", encoding="utf-8")
    with qtbot.waitSignal(tab.import_grids.sig_imported, timeout=10_000) as done:
        tab.import_grids.start(good)
    assert "新增 1 条" in done.args[0]
    qtbot.waitUntil(lambda: any(g.name == "一号网格" for g in tab.shown), timeout=10_000)


def test_a_person_is_found_by_phone_with_every_case_and_the_register_entry(ops, ctx, qtbot):
    from datetime import timedelta

    from jingyuan_desktop.domain.enums import Source
    from jingyuan_desktop.domain.model import Case, Party
    from jingyuan_desktop.domain.prevention import Citizen, KeyPerson
    from jingyuan_desktop.services import cases as case_service
    from jingyuan_desktop.services.prevention import records
    from jingyuan_desktop.ui.prevention.people import PeopleTab

    records.register_key_person(ctx, Citizen("欧阳明辉", phone="13955550001"),
                                KeyPerson(0, "", "多次报警", responsible="所长"))
    numbers = [case_service.intake(ctx, Case(received_at=ctx.now() - timedelta(days=d), village="解营村",
                                             summary="吵架", category="未分类", source=Source.WALK_IN,
                                             parties=[Party("欧阳明辉", "139 5555 0001")])).case_no
               for d in (20, 3)]
    tab = PeopleTab(ops)
    qtbot.addWidget(tab)
    tab.query.setText("13955550001")
    with qtbot.waitSignal(tab.sig_found, timeout=10_000) as found:
        tab.search()
    assert found.args == [1] and tab.table.item(0, 0).text() == "欧阳某"
    with qtbot.waitSignal(tab.sig_page, timeout=10_000):
        tab.table.setCurrentCell(0, 0)
    assert sorted(tab.case_table.item(r, 0).text() for r in range(tab.case_table.rowCount())) == sorted(numbers)
    assert "重点人员（多次报警，责任人：所长）" in tab.page.text() and "欧阳明辉" not in tab.page.text()
    with qtbot.waitSignal(tab.sig_open_case) as opened:
        tab.case_table.cellDoubleClicked.emit(0, 0)
    assert opened.args[0] in numbers

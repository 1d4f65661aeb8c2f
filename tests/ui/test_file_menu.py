"""The 文件 menu's daily jobs from the window: the transfer list previewed before it is imported,
the 台账 and the exchange file exported, backup and restore. No real file dialog is opened."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import file_jobs, queries
from jingyuan_desktop.services.file_jobs import RowState
from jingyuan_desktop.services.queries import CaseFilter
from jingyuan_desktop.ui.main_window import MainWindow
from jingyuan_desktop.ui.widgets import files as file_dialogs
from tests.ui.conftest import fixed_now, new_case

HEADER = ["警情编号", "报警时间", "报警人", "联系电话", "事发地点", "所属村（社区）", "简要警情", "处警民警",
          "转交时间", "转交派出所"]


@pytest.fixture
def window(ops, qtbot, qsettings):
    win = MainWindow(ops, settings=qsettings, now=fixed_now)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.model.loaded, timeout=10_000)
    return win


@pytest.fixture
def transfer_list(ctx, tmp_path) -> Path:
    """Row 2 is new, row 3 names a village the office does not know, row 4 was imported before."""
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    station = queries.units(ctx, UnitKind.POLICE_STATION)[0].name
    known_case, _version = case_service.get_case(ctx, new_case(ctx, minutes_ago=50))
    rows = [
        ["JQ-NEW-1", "2025-06-11 09:00", "张三丰", "13800001111", "村口", village, "邻里纠纷，电话13912345678",
         "李警官", "2025-06-11 09:30", station],
        ["JQ-NEW-2", "2025-06-11 09:05", "李四", "", "", "不存在村", "噪音扰民", "", "2025-06-11 09:40", station],
        [known_case.police_incident_no, "2025-06-11 09:10", "王五", "", "", village, "又吵起来了", "",
         "2025-06-11 09:45", station],
    ]
    path = tmp_path / "转交清单.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def total(ctx) -> int:
    return queries.count_cases(ctx, CaseFilter())


def open_preview(window, qtbot, monkeypatch, path: Path):
    monkeypatch.setattr(file_dialogs, "open_path", lambda *_args: str(path))
    window.import_transfers_action.trigger()
    qtbot.waitUntil(lambda: window.file_jobs.preview_dialog is not None, timeout=10_000)
    return window.file_jobs.preview_dialog


def test_the_preview_shows_each_row_s_fate_and_imports_nothing(window, ctx, qtbot, monkeypatch, transfer_list,
                                                               no_modal_boxes):
    before = total(ctx)
    dialog = open_preview(window, qtbot, monkeypatch, transfer_list)
    assert [(r.row, r.state) for r in dialog.preview.rows] == [
        (2, RowState.READY), (3, RowState.BAD), (4, RowState.KNOWN)]
    assert "可导入 1 行、有问题 1 行、已导入过 1 行" in re.sub(r"<[^>]+>", "", dialog.counts_label.text())
    states = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert states == ["可导入", "未知的村（社区）“不存在村”", "已导入过（跳过）"]
    good = dialog.preview.rows[0]
    assert (good.caller, good.received_at) == ("张某", "2025-06-11 09:30")
    assert "13912345678" not in good.summary and "139****5678" in good.summary
    assert dialog.table.item(1, 2).text() == "JQ-NEW-2"  # a bad row still shows what it holds
    assert not dialog.import_all.isEnabled() and "1 行有问题" in dialog.import_all.toolTip()
    assert dialog.import_good.isVisibleTo(dialog)
    dialog.only_bad.setChecked(True)
    assert [dialog.table.isRowHidden(r) for r in range(3)] == [True, False, True]
    dialog.reject()
    assert total(ctx) == before and no_modal_boxes == []


def test_skipping_the_bad_row_imports_exactly_the_new_one(window, ctx, qtbot, monkeypatch, transfer_list):
    before = total(ctx)
    dialog = open_preview(window, qtbot, monkeypatch, transfer_list)
    with qtbot.waitSignal(window.file_jobs.sig_finished, timeout=20_000) as finished:
        dialog.import_good.click()
    assert total(ctx) == before + 1
    again = file_jobs.preview_transfers(ctx, transfer_list)
    assert [r.state for r in again.rows] == [RowState.KNOWN, RowState.BAD, RowState.KNOWN]
    text = finished.args[0]
    assert "已导入 1 个新案件" in text and "跳过已导入过的 1 行" in text and "未分类" in text
    notice = window.file_jobs.notice
    assert notice.text() == text and "第3行" in notice.detailedText()
    notice.close()
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 1, timeout=10_000)


def test_a_list_without_problems_is_imported_whole(window, ctx, qtbot, monkeypatch, tmp_path):
    village = queries.units(ctx, UnitKind.VILLAGE)[1].name
    station = queries.units(ctx, UnitKind.POLICE_STATION)[0].name
    path = tmp_path / "clean.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([HEADER, ["JQ-CLEAN-1", "", "", "", "", village, "占道经营", "", "2025-06-11 08:00",
                                            station]])
    before = total(ctx)
    dialog = open_preview(window, qtbot, monkeypatch, path)
    assert dialog.import_all.isEnabled() and not dialog.import_good.isVisibleTo(dialog)
    with qtbot.waitSignal(window.file_jobs.sig_finished, timeout=20_000):
        dialog.import_all.click()
    assert total(ctx) == before + 1
    window.file_jobs.notice.close()


def test_the_preview_refuses_what_the_import_would_refuse(ctx, tmp_path):
    """A row the file reader lets by but a new case may not have (here: no 转交派出所) is shown
    as a bad row in the preview, not found out only when the import fails."""
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    path = tmp_path / "no-station.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([HEADER, ["JQ-NS-1", "", "", "", "", village, "占道经营", "", "2025-06-11 08:00",
                                            ""]])
    preview = file_jobs.preview_transfers(ctx, path)
    assert [(r.state, r.status) for r in preview.rows] == [(RowState.BAD, "缺少转交派出所")]


def test_a_file_that_is_no_transfer_list_is_refused_in_chinese(window, ctx, qtbot, monkeypatch, tmp_path,
                                                               no_modal_boxes):
    path = tmp_path / "别的表.csv"
    path.write_text("姓名,年龄\n张三,30\n", encoding="utf-8")
    monkeypatch.setattr(file_dialogs, "open_path", lambda *_args: str(path))
    with qtbot.waitSignal(window.file_jobs.sig_finished, timeout=10_000):
        window.import_transfers_action.trigger()
    assert window.file_jobs.preview_dialog is None
    assert no_modal_boxes and "找不到表头" in no_modal_boxes[0][1]


def test_the_ledger_is_exported_for_this_month_masked_by_default(window, ctx, qtbot, monkeypatch, tmp_path):
    window.export_ledger_action.trigger()
    dialog = window.file_jobs.ledger_dialog
    choice = dialog.choice()
    assert (str(choice.start), str(choice.end), choice.unmasked) == ("2025-06-01", "2025-06-30", False)
    assert choice.file_name == "台账_2025-06.xlsx"
    asked = {}

    def save(_parent, _title, suggested, _filter):
        asked["name"] = suggested
        return str(tmp_path / "台账")  # typed without the extension

    monkeypatch.setattr(file_dialogs, "save_path", save)
    with qtbot.waitSignal(window.file_jobs.sig_finished, timeout=20_000) as finished:
        dialog.ok_button.click()
    target = tmp_path / "台账.xlsx"
    assert asked["name"] == "台账_2025-06.xlsx" and target.is_file()
    assert "个案件" in finished.args[0] and "已打码" in finished.args[0]
    assert any(b.text() == "打开文件夹" for b in window.file_jobs.notice.buttons())
    window.file_jobs.notice.close()


def test_the_ledger_dialog_refuses_a_period_backwards(window, qtbot):
    from datetime import date

    window.export_ledger_action.trigger()
    dialog = window.file_jobs.ledger_dialog
    dialog.set_period(date(2025, 6, 30), date(2025, 6, 1))
    assert not dialog.ok_button.isEnabled() and "不能晚于" in dialog.problem.text()
    dialog.reject()


def test_the_exchange_file_holds_every_case(window, ctx, qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(file_dialogs, "save_path", lambda *_args: str(tmp_path / "all.json"))
    with qtbot.waitSignal(window.file_jobs.sig_finished, timeout=20_000) as finished:
        window.export_cases_action.trigger()
    assert json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert f"已导出全部 {total(ctx)} 个案件" in finished.args[0]
    window.file_jobs.notice.close()


def test_backup_then_restore_brings_the_data_back_and_the_table_reloads(window, ctx, qtbot, no_modal_boxes):
    jobs = window.file_jobs
    before = total(ctx)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: jobs.backup_dialog is not None, timeout=10_000)
    with qtbot.waitSignal(jobs.sig_finished, timeout=20_000) as finished:
        jobs.backup_dialog.backup_button.click()
    backups = file_jobs.list_backups(ctx)
    assert len(backups.files) == 1 and str(backups.files[0].path) in finished.args[0]
    jobs.notice.close()

    new_case(ctx, minutes_ago=40)  # work done after the backup
    window.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 1, timeout=10_000)

    window.restore_action.trigger()
    qtbot.waitUntil(lambda: jobs.restore_dialog is not None, timeout=10_000)
    dialog = jobs.restore_dialog
    assert dialog.table.rowCount() == 1 and not dialog.restore_button.isEnabled()
    dialog.table.selectRow(0)
    assert not dialog.restore_button.isEnabled()  # not before the clerk has ticked the warning
    dialog.confirm.setChecked(True)
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(jobs.sig_finished, timeout=60_000) as finished:
        dialog.restore_button.click()
    assert total(ctx) == before
    qtbot.waitUntil(lambda: window.model.rowCount() == before, timeout=10_000)
    safety = next(b.path for b in file_jobs.list_backups(ctx).files if b.safety_copy)
    assert str(safety) in finished.args[0] and "恢复前的数据已另存为" in finished.args[0]
    jobs.notice.close()
    assert no_modal_boxes == []


def test_a_file_that_is_no_backup_is_refused_and_the_dialog_stays(window, ctx, qtbot, tmp_path, no_modal_boxes):
    jobs = window.file_jobs
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: jobs.restore_dialog is not None, timeout=10_000)
    dialog = jobs.restore_dialog
    bogus = tmp_path / "not-a-backup.db"
    bogus.write_bytes(b"hello")
    dialog.choose(bogus)
    dialog.confirm.setChecked(True)
    before = total(ctx)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: bool(no_modal_boxes), timeout=20_000)
    assert no_modal_boxes[0][0] == "恢复失败" and dialog.isVisible() and total(ctx) == before
    dialog.reject()


def test_the_file_menu_holds_the_jobs_with_shortcuts_of_their_own(window):
    menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in menu.actions()]
    for name in ("导入派出所转交清单…", "导出台账…", "导出案件交换文件…", "备份数据库…", "从备份恢复…"):
        assert name in texts
    assert menu.actions()[texts.index("导入派出所转交清单…") - 1].isSeparator()
    assert window.import_transfers_action.shortcut() == QKeySequence("Ctrl+I")
    assert window.restore_action.shortcut().isEmpty()
    shortcuts = [a.shortcut().toString() for a in window.findChildren(type(window.new_action))
                 if not a.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts))
    assert all(a.statusTip() for a in menu.actions() if not a.isSeparator())


def test_a_cancelled_file_dialog_does_nothing(window, qtbot, monkeypatch, no_modal_boxes):
    monkeypatch.setattr(file_dialogs, "open_path", lambda *_args: "")
    monkeypatch.setattr(file_dialogs, "save_path", lambda *_args: "")
    window.import_transfers_action.trigger()
    window.export_cases_action.trigger()
    assert window.file_jobs.preview_dialog is None and window.file_jobs.notice is None
    assert no_modal_boxes == []


def test_dialogs_are_not_modal_loops(window):
    # Every dialog here opens with open(), so a test (and the window behind) never waits on exec().
    window.export_ledger_action.trigger()
    assert window.file_jobs.ledger_dialog.isVisible()
    window.file_jobs.ledger_dialog.done(QDialog.DialogCode.Rejected)


def test_a_staff_account_may_back_up_but_not_restore(window, ctx, qtbot, no_modal_boxes):
    from jingyuan_desktop.services import accounts

    accounts.add_user(ctx, "管理员甲", "admin", "secret-123")
    accounts.log_in(ctx, "管理员甲", "secret-123")
    accounts.add_user(ctx, "工作人员乙", "staff", "secret-456")
    accounts.log_in(ctx, "工作人员乙", "secret-456")
    with qtbot.waitSignal(window.file_jobs.sig_finished, timeout=10_000) as finished:
        window.restore_action.trigger()
    assert window.file_jobs.restore_dialog is None and "无权恢复数据库" in finished.args[0]
    assert no_modal_boxes == [("无法恢复", finished.args[0])]
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: window.file_jobs.backup_dialog is not None, timeout=10_000)
    window.file_jobs.backup_dialog.reject()

"""The log-in dialog: a wrong password is said in the dialog, the right one lets the clerk in."""

from __future__ import annotations

from datetime import timedelta

from jingyuan_desktop.services import accounts
from jingyuan_desktop.ui.login import LoginDialog


def test_a_wrong_password_is_said_and_the_right_one_logs_in(ctx, ops, qtbot):
    accounts.add_user(ctx, "管理员甲", "admin", "secret-123")
    dialog = LoginDialog(ops, name="管理员甲")
    qtbot.addWidget(dialog)
    dialog.password.setText("wrong-one")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "还可再试4次" in dialog.message.text(), timeout=10_000)
    assert dialog.password.text() == "" and ctx.account is None
    dialog.password.setText("secret-123")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    assert ctx.account is not None and ctx.account.name == "管理员甲" and ctx.user == "管理员甲"


def test_the_window_greys_out_what_a_police_liaison_may_not_do(ctx, ops, qtbot, qsettings):
    from jingyuan_desktop.domain.enums import EventType, Source
    from jingyuan_desktop.domain.listing import CaseFilter
    from jingyuan_desktop.services import case_detail, queries
    from jingyuan_desktop.ui.main_window import MainWindow
    from tests.ui.conftest import fixed_now

    accounts.add_user(ctx, "管理员甲", "admin", "secret-123")
    accounts.log_in(ctx, "管理员甲", "secret-123")
    accounts.add_user(ctx, "陈警官", "police_liaison", "secret-123")
    accounts.log_in(ctx, "陈警官", "secret-123")
    window = MainWindow(ops, settings=qsettings, now=fixed_now)
    qtbot.addWidget(window)
    window.show_initial()
    assert not window.new_action.isEnabled() and "派出所联络员账号无权登记案件" in window.new_action.toolTip()
    assert not window.restore_action.isEnabled() and not window.import_transfers_action.isEnabled()
    assert window.refresh_action.isEnabled()
    rows = queries.page_cases(ctx, CaseFilter(statuses=["visited"]), limit=5)
    assert rows  # resolved and visited police transfers: their feedback is what a liaison records
    detail = case_detail.load_case_detail(ctx, rows[0].case_no, fixed_now())
    assert detail.case.source == Source.POLICE_TRANSFER and detail.allowed == [EventType.POLICE_FEEDBACK]


def test_the_audit_dialog_lists_the_log_and_finds_a_rewritten_row(ctx, ops, qtbot):
    import sqlite3
    from contextlib import closing

    from jingyuan_desktop.ui.audit_view import AuditDialog
    from tests.ui.conftest import fixed_now

    accounts.add_user(ctx, "管理员甲", "admin", "secret-123")
    accounts.log_in(ctx, "管理员甲", "secret-123")
    dialog = AuditDialog(ops, fixed_now().date() + timedelta(days=400), None)
    qtbot.addWidget(dialog)
    dialog.date_from.setDate(dialog.date_from.minimumDate())
    dialog.reload()
    qtbot.waitUntil(lambda: "共" in dialog.message.text() and dialog.table.rowCount() > 0, timeout=10_000)
    assert dialog.table.item(0, 3).text() == "登录"  # newest first
    dialog.verify()
    qtbot.waitUntil(lambda: "校验通过" in dialog.message.text(), timeout=10_000)
    with closing(sqlite3.connect(ctx.db.sqlite_path)) as connection:
        connection.execute("UPDATE audit_log SET entity_id = 'X' WHERE seq = 3")
        connection.commit()
    dialog.verify()
    qtbot.waitUntil(lambda: "校验未通过" in dialog.message.text(), timeout=10_000)
    assert "第 3 条" in dialog.message.text()

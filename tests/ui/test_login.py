"""The log-in dialog: a wrong password is said in the dialog, the right one lets the clerk in."""

from __future__ import annotations

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

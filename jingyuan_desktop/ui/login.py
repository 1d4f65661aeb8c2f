"""The log-in dialog, shown at start once the database has accounts."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.services import accounts
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.palette import ALARM


class LoginDialog(QDialog):
    """Name and password; a refusal (wrong password, locked, disabled) is said in the dialog."""

    def __init__(self, ops: Operations, name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("登录")
        self.name = QLineEdit(name, self)
        self.name.setPlaceholderText("账号名称")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("密码")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ALARM};")
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.try_log_in)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("账号", self.name)
        form.addRow("密码", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("本数据库已启用账号，请登录。", self))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if name else self.name).setFocus()

    def try_log_in(self) -> None:
        name, password = self.name.text().strip(), self.password.text()
        if not name or not password:
            self.message.setText("请输入账号和密码")
            return
        self.ok.setEnabled(False)
        self.message.setText("正在核对…")
        self.ops.run(lambda ctx: accounts.log_in(ctx, name, password), owner=self, key="log_in",
                     on_done=lambda _account: self.accept(), on_error=self._refused)

    def _refused(self, message: str) -> None:
        self.ok.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.message.setText(message)

"""The audit log in the window (管理员 and 领导): who did what and when, by period and person,
and a check that nobody rewrote it behind the program's back."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.services import audit_log
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.palette import ALARM, OK

HEADERS = ["序号", "时间", "操作人", "操作", "对象", "编号"]
ACTIONS = {"add": "新增", "update": "修改", "append_event": "记录处置", "login": "登录", "login_failed": "登录失败",
           "denied": "越权被拒", "backup": "备份", "restore": "恢复", "export_unmasked": "导出未打码台账",
           "export_cases": "导出全部案件", "print_slip": "打印交办单", "print_archive": "打印档案",
           "print_weekly": "打印例会材料", "reveal": "查看完整信息", "disable": "停用账号", "password": "设置密码",
           "demo": "装入演示数据", "view": "查看", "merge": "合并人员记录", "delete": "删除",
           "export_grids": "导出网格", "export_persons": "导出人员", "export_key_persons": "导出重点人员",
           "export_patrols": "导出走访记录"}


class AuditDialog(QDialog):
    def __init__(self, ops: Operations, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("审计日志")
        self.resize(980, 620)
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for edit, day in ((self.date_from, today - timedelta(days=30)), (self.date_to, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(day.year, day.month, day.day))
        self.user = QLineEdit(self)
        self.user.setPlaceholderText("操作人（留空为全部）")
        self.show_button = QPushButton("查询", self)
        self.show_button.clicked.connect(self.reload)
        self.verify_button = QPushButton("校验日志是否被改动", self)
        self.verify_button.clicked.connect(self.verify)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        bar = QHBoxLayout()
        for widget in (QLabel("从", self), self.date_from, QLabel("至", self), self.date_to, self.user,
                       self.show_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.reload()

    def _dates(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    def reload(self) -> None:
        start, end = self._dates()
        user = self.user.text().strip() or None
        self.message.setText("正在读取…")
        self.ops.run(lambda ctx: audit_log.audit_lines(ctx, start=start, end=end, user=user), owner=self,
                     key="lines", on_done=self._show, on_error=self._error)

    def _show(self, lines) -> None:
        self.table.setRowCount(len(lines))
        for row, line in enumerate(reversed(lines)):  # newest first
            values = [line.seq or "—", line.at, line.user, ACTIONS.get(line.action, line.action), line.entity,
                      line.entity_id]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(str(value)))
        self.message.setStyleSheet("")
        self.message.setText(f"共 {len(lines)} 条（最新的在上）")

    def verify(self) -> None:
        self.message.setText("正在校验整条日志…")
        self.ops.run(audit_log.verify, owner=self, key="verify", on_done=self._verified, on_error=self._error)

    def _verified(self, check) -> None:
        if check.ok:
            self.message.setStyleSheet(f"color: {OK};")
            self.message.setText(f"校验通过：共 {check.rows} 条，未发现改动、删除或插入。")
        else:
            self.message.setStyleSheet(f"color: {ALARM};")
            self.message.setText(f"校验未通过：{check.reason}。请通知管理员核查。")

    def _error(self, message: str) -> None:
        self.message.setStyleSheet(f"color: {ALARM};")
        self.message.setText(message)

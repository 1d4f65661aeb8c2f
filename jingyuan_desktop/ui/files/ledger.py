"""Choosing what goes into the 台账 before its file is asked for: the period, and whether the
personal data stay masked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.ui.palette import ALARM, ERROR_STYLE


@dataclass(frozen=True)
class LedgerChoice:
    start: date
    end: date
    unmasked: bool

    @property
    def file_name(self) -> str:
        """台账_2025-06.xlsx for a whole month, else 台账_2025-06-01至2025-06-15.xlsx."""
        first, last = month_of(self.start)
        if (self.start, self.end) == (first, last):
            return f"台账_{self.start:%Y-%m}.xlsx"
        return f"台账_{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}.xlsx"

    @property
    def period_text(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class LedgerDialog(QDialog):
    """起止日期 (this month unless changed) and 不打码; 导出… then asks where to save."""

    def __init__(self, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导出台账")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.today = today
        self.start = self._date_edit()
        self.end = self._date_edit()
        self.set_period(*month_of(today))
        quick = QHBoxLayout()
        for text, period in (("本月", month_of(today)), ("上月", month_of(today.replace(day=1) - timedelta(days=1))),
                             ("今年", (date(today.year, 1, 1), date(today.year, 12, 31)))):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, p=period: self.set_period(*p))
            quick.addWidget(button)
        quick.addStretch(1)
        self.unmasked = QCheckBox("不打码（含完整电话和身份证号，记入审计日志）", self)
        self.unmasked.setChecked(False)
        self.unmasked.setToolTip("默认导出的台账中，当事人姓名、电话和身份证号均已打码，可放心报送。\n"
                                 "勾选后导出完整信息，本次导出将记入审计日志。")
        self.unmasked.toggled.connect(lambda on: self.unmasked.setStyleSheet(f"color: {ALARM};" if on else ""))
        self.problem = QLabel("", self)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton("导出…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.start.dateChanged.connect(self._check)
        self.end.dateChanged.connect(self._check)

        form = QFormLayout()
        form.addRow("起始日期", self.start)
        form.addRow("截止日期", self.end)
        form.addRow("", quick)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("导出接收日期在此期间的全部案件：", self))
        layout.addLayout(form)
        layout.addWidget(self.unmasked)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def set_period(self, start: date, end: date) -> None:
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))

    def choice(self) -> LedgerChoice:
        return LedgerChoice(_pydate(self.start.date()), _pydate(self.end.date()), self.unmasked.isChecked())

    def _check(self) -> bool:
        wrong = self.start.date() > self.end.date()
        self.problem.setText("起始日期不能晚于截止日期" if wrong else "")
        self.ok_button.setEnabled(not wrong)
        return not wrong

    def _accept(self) -> None:
        if self._check():
            self.accept()

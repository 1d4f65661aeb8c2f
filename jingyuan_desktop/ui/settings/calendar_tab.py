"""The office's own holidays and make-up working days, on top of the statutory calendar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from jingyuan_desktop.domain.calendar import WorkCalendar
from jingyuan_desktop.services import admin, queries
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.settings.base import ERROR_STYLE, EditorTab, fill_table, make_table

WEEKDAYS = "一二三四五六日"


def day_text(day: date) -> str:
    return f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"


def statutory_text(answer: bool | None) -> str:
    return "国家安排未收录" if answer is None else ("工作日" if answer else "休息日")


class CalendarTab(EditorTab):
    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(ops, parent)
        explain = QLabel("法定节假日与调休按国家安排自动计算。这里补录或更改本办公室的日期："
                         "例如国家安排尚未收录的年份，或本镇另行安排的休息日、上班日。", self)
        explain.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(ERROR_STYLE)
        self.table = make_table(["日期", "本办公室安排", "国家安排"])
        self.table.currentCellChanged.connect(lambda row, *_: self._pick(row))
        self.day = QDateEdit(QDate.currentDate(), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.dateChanged.connect(self._show_statutory)
        self.statutory = QLabel(self)
        self.working = QComboBox(self)
        self.working.addItem("休息", False)
        self.working.addItem("上班（调休）", True)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("说明，如：2027年春节")
        form = QFormLayout()
        form.addRow("日期", self.day)
        form.addRow("国家安排", self.statutory)
        form.addRow("本办公室安排", self.working)
        form.addRow("说明", self.note)
        self.save_button = QPushButton("保存日期", self)
        self.save_button.clicked.connect(self.save_day)
        self.remove_button = QPushButton("取消本办公室安排", self)
        self.remove_button.setToolTip("删除这一天的本办公室安排，恢复按国家安排计算")
        self.remove_button.clicked.connect(self.remove_day)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        for widget in (explain, self.warning):
            self.layout_.addWidget(widget)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(form)
        self.layout_.addLayout(buttons)
        self.finish_layout()
        self.reload()

    CHANGES = Change(settings=True)

    def read(self, ctx):
        return admin.calendar_entries(ctx), queries.window_facts(ctx, ctx.now().date()).calendar_warning

    def show_data(self, data) -> None:
        self.entries, warning = data
        fill_table(self.table, [(day_text(day), "上班（调休）" if working else "休息", statutory_text(law))
                                for day, working, law in self.entries])
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        self._show_statutory()

    def chosen_day(self) -> date:
        value = self.day.date()
        return date(value.year(), value.month(), value.day())

    def _show_statutory(self, *_args) -> None:
        day = self.chosen_day()
        law = WorkCalendar()
        self.statutory.setText(statutory_text(law.is_working_day(day) if law.is_covered(day) else None))

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            day, working, _law = self.entries[row]
            self.day.setDate(QDate(day.year, day.month, day.day))
            self.working.setCurrentIndex(1 if working else 0)

    def save_day(self) -> None:
        day, working, note = self.chosen_day(), bool(self.working.currentData()), self.note.text()
        self.save(lambda ctx: admin.set_calendar_override(ctx, day, working, note), f"已保存 {day_text(day)}")

    def remove_day(self) -> None:
        day = self.chosen_day()
        self.save(lambda ctx: admin.set_calendar_override(ctx, day, None), f"{day_text(day)} 已恢复按国家安排")

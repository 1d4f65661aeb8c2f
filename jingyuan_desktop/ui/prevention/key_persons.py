"""重点人员: the register, for roles allowed to see it; masked (张某) until the clerk asks for
the full entries, which the service records as a look at the register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.enums import ClockState
from jingyuan_desktop.domain.prevention import DutyName, KeyPerson, PreventionSettings
from jingyuan_desktop.domain.prevention_clocks import Duty
from jingyuan_desktop.domain.privacy import mask_name
from jingyuan_desktop.services.prevention import duties as duty_service
from jingyuan_desktop.services.prevention import records, sheets
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT
from jingyuan_desktop.ui.prevention.changes import touches_prevention
from jingyuan_desktop.ui.prevention.common import MessageLine, day_text, may, no_right, read_choices, why_not
from jingyuan_desktop.ui.prevention.key_person_dialogs import KeyPersonDialog, PersonDialog, VisitDialog
from jingyuan_desktop.ui.prevention.sheet_import import SheetImportButton
from jingyuan_desktop.ui.settings.base import fill_table, make_table

HEADERS = ["姓名", "类型", "村（社区）", "责任人", "管控措施", "走访周期", "下次走访", "状态"]
MEASURES = HEADERS.index("管控措施")
STATE_TEXT = {ClockState.PENDING: "待走访", ClockState.OVERDUE: "已超期"}


@dataclass(frozen=True)
class Register:
    entries: list[KeyPerson]
    next_visit: dict[int, Duty]  # key person id -> the open visit duty
    villages: list[str]
    values: PreventionSettings = field(default_factory=PreventionSettings)


def read_register(ctx, include_ended: bool, reveal: bool = False) -> Register:
    entries = records.key_persons(ctx, include_ended=include_ended, reveal=reveal)
    open_duties = {int(d.subject): d for d in duty_service.current_duties(ctx)
                   if d.name == DutyName.KEY_PERSON_VISIT and d.subject.isdigit()}
    return Register(entries, open_duties, read_choices(ctx).villages, records.settings(ctx))


class KeyPersonsTab(QWidget):
    sig_open_case = Signal(str)
    sig_loaded = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.now = now or ops.ctx.now
        self.allowed = may(ops, Permission.KEY_PERSONS)
        self.register = Register([], {}, [])
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        if not self.allowed:
            # A sentence, not an empty table: the clerk must not think the town has no key persons.
            self.refusal = no_right(f"{why_not(ops, Permission.KEY_PERSONS)}。重点人员名册只对有权限的岗位开放，"
                                    "每次查看都会留下记录；如工作需要，请联系管理员。", self)
            layout.addWidget(self.refusal)
            return
        self.reveal = QCheckBox("显示完整信息", self)
        self.reveal.setToolTip("显示姓名全名；每次显示都会记入审计日志。投影或有他人在场时请勿勾选")
        self.reveal.toggled.connect(self._reveal_toggled)
        self.include_ended = QCheckBox("含已撤销列管", self)
        self.include_ended.toggled.connect(lambda _on: self.reload())
        self.count = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.reveal)
        top.addWidget(self.include_ended)
        top.addSpacing(12)
        top.addWidget(self.count)
        top.addStretch(1)
        self.table = make_table(HEADERS)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(MEASURES, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.open_person())
        self.add_button = QPushButton("新增(&A)…", self)
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("修改(&E)…", self)
        self.edit_button.clicked.connect(self.edit)
        self.visit_button = QPushButton("记录走访(&V)…", self)
        self.visit_button.clicked.connect(self.record_visit)
        self.page_button = QPushButton("人员详情(&D)…", self)
        self.page_button.setToolTip("该人涉及的全部案件和走访记录（双击一行或按 Enter）")
        self.page_button.clicked.connect(self.open_person)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_person)
        self.message = MessageLine(self)
        self.import_button = SheetImportButton(ops, "从表格导入…", "重点人员", sheets.import_key_persons, self.message,
                                               self)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.visit_button, self.page_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        ops.sig_changed.connect(self._changed)
        self.reload()

    # ---- reading ------------------------------------------------------------------
    def reload(self) -> None:
        if not self.allowed:
            return
        include_ended, reveal = self.include_ended.isChecked(), self.reveal.isChecked()
        self.ops.run(lambda ctx: read_register(ctx, include_ended, reveal), owner=self, key="register",
                     on_done=self._loaded, on_error=lambda text: self.message.say(text, error=True))

    def _loaded(self, register: Register) -> None:
        self.register = register
        self._fill()
        self.sig_loaded.emit()

    def _fill(self) -> None:
        full = self.reveal.isChecked()
        rows, late = [], []
        for entry in self.register.entries:
            duty = self.register.next_visit.get(entry.id or -1)
            state = STATE_TEXT.get(duty.state, "") if duty else ("已撤销列管" if entry.ended else "")
            rows.append((entry.name if full else mask_name(entry.name), entry.type_label, entry.village,
                         entry.responsible, entry.measures.replace("\n", " "),
                         f"{entry.visit_days} 天" if entry.visit_days
                         else f"{self.register.values.days_for(entry.type)} 天（按类型）",
                         day_text(duty.due_day) if duty else "—", state))
            late.append(duty is not None and duty.state == ClockState.OVERDUE)
        fill_table(self.table, rows)
        for row, overdue in enumerate(late):
            if overdue:
                for column in range(len(HEADERS)):
                    item = self.table.item(row, column)
                    if item is not None:
                        item.setBackground(QBrush(QColor(ALARM_TINT)))
                        item.setForeground(QBrush(QColor(ALARM)))
        overdue_count = sum(late)
        self.count.setText(f"共 {len(rows)} 人" + (f"，{overdue_count} 人走访已超期" if overdue_count else "")
                           + ("" if full else "（姓名已隐藏）"))

    def _reveal_toggled(self, on: bool) -> None:
        if on:
            # Read again, so the look at the full register is recorded at the moment it is shown.
            self.reload()
        else:
            self._fill()

    def _changed(self, change: Change) -> None:
        if touches_prevention(change):
            self.reload()

    # ---- acting -------------------------------------------------------------------
    def selected(self) -> KeyPerson | None:
        row = self.table.currentRow()
        entries = self.register.entries
        return entries[row] if 0 <= row < len(entries) else None

    def _need_selection(self) -> KeyPerson | None:
        entry = self.selected()
        if entry is None:
            self.message.say("请先在列表中选择一名重点人员", error=True)
        return entry

    def shown_name(self, entry: KeyPerson) -> str:
        return entry.name if self.reveal.isChecked() else mask_name(entry.name)

    def _open(self, dialog, done: str) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.message.say(done))
        dialog.open()

    def add(self) -> KeyPersonDialog:
        dialog = KeyPersonDialog(self.ops, self.register.villages, self, today=self.now().date())
        self._open(dialog, "已新增重点人员")
        return dialog

    def edit(self) -> KeyPersonDialog | None:
        entry = self._need_selection()
        if entry is None:
            return None
        dialog = KeyPersonDialog(self.ops, self.register.villages, self, entry=entry, today=self.now().date())
        self._open(dialog, f"已保存 {self.shown_name(entry)} 的列管信息")
        return dialog

    def record_visit(self) -> VisitDialog | None:
        entry = self._need_selection()
        if entry is None:
            return None
        dialog = VisitDialog(self.ops, entry, self.shown_name(entry), self, now=self.now())
        self._open(dialog, f"已记录对 {self.shown_name(entry)} 的走访")
        return dialog

    def open_person(self) -> PersonDialog | None:
        entry = self._need_selection()
        if entry is None or entry.id is None:
            return None
        dialog = PersonDialog(self.ops, entry.id, self, reveal=self.reveal.isChecked())
        dialog.sig_open_case.connect(self.sig_open_case)
        self.dialog = dialog
        dialog.open()
        return dialog

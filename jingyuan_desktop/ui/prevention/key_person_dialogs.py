"""The key-person dialogs: an entry added or changed, a visit recorded, and a person's page
with every case they were in and every visit."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.enums import PartyRole, Status
from jingyuan_desktop.domain.prevention import Citizen, KeyPerson, KeyPersonType, KeyPersonVisit
from jingyuan_desktop.domain.privacy import mask_id_number, mask_name, mask_numbers_in_text, mask_phone
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.palette import MUTED
from jingyuan_desktop.ui.prevention.changes import PreventionChange
from jingyuan_desktop.ui.prevention.common import MessageLine, day_text, from_moment, shortcut, to_moment
from jingyuan_desktop.ui.settings.base import fill_table, make_table
from jingyuan_desktop.ui.widgets.text import format_moment, label_of

BY_TYPE = "按类型默认"


def _buttons(dialog: QDialog, ok_text: str, submit: Callable[[], None]) -> tuple[QDialogButtonBox, QPushButton]:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setToolTip(f"{ok_text}（Ctrl+Enter）")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(submit)
    buttons.rejected.connect(dialog.reject)
    shortcut("Ctrl+Return", dialog, submit)
    return buttons, ok


class _SavingDialog(QDialog):
    """Runs its save through Operations: closes on success, keeps what was typed on refusal."""

    def __init__(self, ops: Operations, parent: QWidget | None):
        super().__init__(parent)
        self.ops = ops
        self.message = MessageLine(self)
        self.result_id: int | None = None

    def run_save(self, work, ok: QPushButton) -> None:
        ok.setEnabled(False)
        self.message.say("")

        def done(result) -> None:
            self.result_id = result if isinstance(result, int) else None
            self.accept()

        def refused(text: str) -> None:
            ok.setEnabled(True)
            self.message.say(text, error=True)

        self.ops.run(work, changed=PreventionChange(), owner=self, on_done=done, on_error=refused)


class KeyPersonDialog(_SavingDialog):
    """新增 (with the person's name and phone or ID number) or 修改 an entry of the register."""

    def __init__(self, ops: Operations, villages: list[str], parent: QWidget | None = None, *,
                 entry: KeyPerson | None = None, today: date | None = None):
        super().__init__(ops, parent)
        self.entry = entry
        self.setWindowTitle("修改重点人员" if entry else "新增重点人员")
        self.resize(520, 560)
        self.name = QLineEdit(self)
        self.id_number = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.type = QComboBox(self)
        self.type.setEditable(True)
        for member in KeyPersonType:
            self.type.addItem(member.label)
        self.type.setToolTip("可选上面的类型，也可直接输入本镇自定的类型")
        self.village = QComboBox(self)
        self.village.addItem("（未指定）", "")
        for name in villages:
            self.village.addItem(name, name)
        self.grid = QLineEdit(self)
        self.responsible = QLineEdit(self)
        self.responsible.setPlaceholderText("必填：落实见面、化解、稳控的责任人")
        self.measures = QPlainTextEdit(self)
        self.measures.setFixedHeight(70)
        self.visit_days = QSpinBox(self)
        self.visit_days.setRange(0, 366)
        self.visit_days.setSpecialValueText(BY_TYPE)
        self.visit_days.setSuffix(" 天")
        self.visit_days.setToolTip("每隔多少天走访一次；选“按类型默认”则按设置中该类型的周期")
        self.since = QDateEdit(QDate(today or date.today()), self)
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.ended_box = QCheckBox("撤销列管", self)
        self.ended = QDateEdit(QDate(today or date.today()), self)
        self.ended.setCalendarPopup(True)
        self.ended.setDisplayFormat("yyyy-MM-dd")
        self.ended.setEnabled(False)
        self.ended_box.toggled.connect(self.ended.setEnabled)
        self.note = QLineEdit(self)
        form = QFormLayout()
        if entry is None:
            form.addRow("姓名", self.name)
            form.addRow("身份证号", self.id_number)
            form.addRow("电话", self.phone)
            note = QLabel("身份证号和电话至少填一项，用于与案件当事人对应", self)
            note.setStyleSheet(f"color: {MUTED};")
            form.addRow("", note)
        else:
            form.addRow("姓名", QLabel(entry.name, self))
        form.addRow("类型", self.type)
        form.addRow("村（社区）", self.village)
        form.addRow("网格", self.grid)
        form.addRow("责任人", self.responsible)
        form.addRow("管控措施", self.measures)
        form.addRow("走访周期", self.visit_days)
        form.addRow("列管日期", self.since)
        ended_row = QHBoxLayout()
        ended_row.addWidget(self.ended_box)
        ended_row.addWidget(self.ended, 1)
        form.addRow("", ended_row)
        form.addRow("备注", self.note)
        buttons, self.ok = _buttons(self, "保存", self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if entry is not None:
            self._show(entry)

    def _show(self, entry: KeyPerson) -> None:
        self.type.setCurrentText(entry.type_label)
        found = self.village.findData(entry.village)
        self.village.setCurrentIndex(max(found, 0))
        self.grid.setText(entry.grid)
        self.responsible.setText(entry.responsible)
        self.measures.setPlainText(entry.measures)
        self.visit_days.setValue(entry.visit_days or 0)
        if entry.since:
            self.since.setDate(QDate(entry.since))
        if entry.ended:
            self.ended_box.setChecked(True)
            self.ended.setDate(QDate(entry.ended))
        self.note.setText(entry.note)

    def typed(self) -> KeyPerson:
        since: date = self.since.date().toPython()  # type: ignore[assignment]
        ended: date | None = self.ended.date().toPython() if self.ended_box.isChecked() else None  # type: ignore
        base = self.entry or KeyPerson(0, self.name.text().strip(), "", "")
        return replace(base, type=self.type.currentText().strip(), responsible=self.responsible.text().strip(),
                       measures=self.measures.toPlainText().strip(), visit_days=self.visit_days.value() or None,
                       since=since, ended=ended, village=self.village.currentData() or "",
                       grid=self.grid.text().strip(), note=self.note.text().strip())

    def submit(self) -> None:
        entry = self.typed()
        if self.entry is not None:
            self.run_save(lambda ctx: records.update_key_person(ctx, entry), self.ok)
            return
        citizen = Citizen(self.name.text().strip(), id_number=self.id_number.text().strip(),
                          phone=self.phone.text().strip(), village=entry.village, grid=entry.grid)
        self.run_save(lambda ctx: records.register_key_person(ctx, citizen, entry), self.ok)


class VisitDialog(_SavingDialog):
    def __init__(self, ops: Operations, entry: KeyPerson, shown_name: str, parent: QWidget | None = None, *,
                 now: datetime):
        super().__init__(ops, parent)
        self.entry = entry
        self.setWindowTitle(f"记录走访：{shown_name}")
        self.at = QDateTimeEdit(from_moment(now), self)
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.by = QLineEdit(entry.responsible, self)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("见面情况、思想动态、化解稳控措施落实情况")
        form = QFormLayout()
        form.addRow("走访时间", self.at)
        form.addRow("走访人", self.by)
        form.addRow("情况", self.note)
        buttons, self.ok = _buttons(self, "保存走访", self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def typed(self) -> KeyPersonVisit:
        return KeyPersonVisit(self.entry.id or 0, to_moment(self.at.dateTime()), self.by.text().strip(),
                              self.note.toPlainText().strip())

    def submit(self) -> None:
        visit = self.typed()
        self.run_save(lambda ctx: records.record_visit(ctx, visit), self.ok)


class PersonDialog(QDialog):
    """A person's page: the record, the register entry, every case (within the account's sight)
    and every visit. Read through the services, which audit the look."""

    sig_open_case = Signal(str)
    sig_loaded = Signal()

    def __init__(self, ops: Operations, key_person_id: int, parent: QWidget | None = None, *, reveal: bool = False):
        super().__init__(parent)
        self.ops, self.reveal = ops, reveal
        self.setWindowTitle("重点人员详情")
        self.resize(820, 600)
        self.facts = QLabel("正在读取…", self)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_plain = ""
        self.cases = make_table(["案件编号", "身份", "接收时间", "状态", "简要情况"])
        self.cases.cellDoubleClicked.connect(self._open_case)
        self.cases.setToolTip("双击打开案件")
        self.visits = make_table(["走访时间", "走访人", "情况"])
        self.message = MessageLine(self)
        self.case_nos: list[str] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.facts)
        self.cases_box = QGroupBox("涉及的案件", self)
        self.visits_box = QGroupBox("走访记录", self)
        for box, table in ((self.cases_box, self.cases), (self.visits_box, self.visits)):
            inner = QVBoxLayout(box)
            inner.addWidget(table)
            layout.addWidget(box, 1)
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        def read(ctx):
            entry, citizen, visits = records.key_person_page(ctx, key_person_id, reveal=reveal)
            _citizen, cases, _entries = records.citizen_page(ctx, citizen.id or 0)
            return entry, citizen, visits, cases

        ops.run(read, owner=self, key="page", on_done=self._loaded,
                on_error=lambda text: self.message.say(text, error=True))

    def _loaded(self, data) -> None:
        entry, citizen, visits, cases = data
        self.show_person(entry, citizen)
        self.case_nos = [row[0] for row in cases]
        text = (lambda value: value) if self.reveal else mask_numbers_in_text
        fill_table(self.cases, [(no, label_of(PartyRole, role), format_moment(at, with_year=True),
                                 label_of(Status, status), text(summary or ""))
                                for no, role, at, status, summary in cases])
        fill_table(self.visits, [(format_moment(v.at, with_year=True), v.by, text(v.note))
                                 for v in sorted(visits, key=lambda v: v.at, reverse=True)])
        self.cases_box.setTitle(f"涉及的案件（{len(cases)} 件，双击打开）" if cases else "涉及的案件：没有查到")
        self.visits_box.setTitle(f"走访记录（{len(visits)} 次）" if visits else "走访记录：尚未走访")
        self.sig_loaded.emit()

    def show_person(self, entry: KeyPerson, citizen: Citizen) -> None:
        if self.reveal:
            name, phone, id_number, address = citizen.name, citizen.phone, citizen.id_number, citizen.address
        else:
            name, phone = mask_name(citizen.name), mask_phone(citizen.phone)
            id_number, address = mask_id_number(citizen.id_number), "（已隐藏）" if citizen.address else ""
        name, phone, id_number, address = (html.escape(v) for v in (name, phone, id_number, address))
        where = html.escape(entry.village + (f"/{entry.grid}" if entry.grid else ""))
        cycle = f"每 {entry.visit_days} 天" if entry.visit_days else "按类型默认"
        lines = [f"<b>{name}</b>　{html.escape(entry.type_label)}　{where or '未指定村（社区）'}",
                 f"电话：{phone or '—'}　身份证号：{id_number or '—'}" + (f"　住址：{address}" if address else ""),
                 f"责任人：{html.escape(entry.responsible)}　走访周期：{cycle}"
                 f"　列管日期：{day_text(entry.since) or '—'}"
                 + (f"　撤销列管：{day_text(entry.ended)}" if entry.ended else ""),
                 f"管控措施：{html.escape(entry.measures) or '—'}"]
        self.facts.setText("<br>".join(lines))
        self.facts_plain = "\n".join(html.unescape(re.sub("<[^>]+>", "", line)) for line in lines)

    def _open_case(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.case_nos):
            self.sig_open_case.emit(self.case_nos[row])


def local_today(now: datetime) -> date:
    return local(now).date()

"""People: role, unit, phone and the categories they handle well (used by the suggestions)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from jingyuan_desktop.domain.enums import PersonRole
from jingyuan_desktop.domain.model import Person
from jingyuan_desktop.services import admin, queries
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.settings.base import EditorTab, fill_table, make_table

NO_UNIT = "（不属于任何单位）"


def split_names(text: str) -> tuple[str, ...]:
    for sep in ("，", ",", "；", ";"):
        text = text.replace(sep, "、")
    return tuple(part.strip() for part in text.split("、") if part.strip())


class PeopleTab(EditorTab):
    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(ops, parent)
        self.entries: list[admin.PersonEntry] = []
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("按姓名、单位或电话筛选")
        self.filter.textChanged.connect(self._apply_filter)
        self.table = make_table(["姓名", "角色", "单位", "电话", "擅长类别", "状态"])
        self.table.currentCellChanged.connect(lambda row, *_: self._pick(row))
        self.name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in PersonRole:
            self.role.addItem(role.label, role.value)
        self.unit = QComboBox(self)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText("手机或座机")
        self.skills = QLineEdit(self)
        self.skills.setPlaceholderText("类别名称，用顿号分隔，如：邻里纠纷、物业管理")
        self.active = QCheckBox("在岗", self)
        self.active.setChecked(True)
        form = QFormLayout()
        for label, widget in (("姓名", self.name), ("角色", self.role), ("单位", self.unit), ("电话", self.phone),
                              ("擅长类别", self.skills), ("", self.active)):
            form.addRow(label, widget)
        self.add_button = QPushButton("新增", self)
        self.add_button.clicked.connect(self.add)
        self.update_button = QPushButton("保存修改", self)
        self.update_button.setToolTip("改名或换单位时，原记录停用、新记录启用；以往的交办记录保持原样")
        self.update_button.clicked.connect(self.update_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.update_button)
        buttons.addStretch(1)
        self.layout_.addWidget(self.filter)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(form)
        self.layout_.addLayout(buttons)
        self.finish_layout()
        self.reload()

    def read(self, ctx):
        return queries.units(ctx), admin.person_entries(ctx)

    def show_data(self, data) -> None:
        units, entries = data
        current = self.unit.currentText()
        self.unit.clear()
        self.unit.addItem(NO_UNIT, None)
        for unit in units:
            self.unit.addItem(unit.name, unit.name)
        if current:
            self.unit.setCurrentText(current)
        self.entries = entries
        fill_table(self.table, [(e.person.name, e.person.role.label, e.person.unit or "", e.person.phone,
                                 "、".join(e.person.skills), "在岗" if e.active else "已停用") for e in self.entries],
                   grey=[not e.active for e in self.entries])
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        text = text.strip()
        for row, entry in enumerate(self.entries):
            person = entry.person
            shown = not text or any(text in (value or "") for value in (person.name, person.unit, person.phone))
            self.table.setRowHidden(row, not shown)

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            entry = self.entries[row]
            person = entry.person
            self.name.setText(person.name)
            self.role.setCurrentIndex(self.role.findData(person.role.value))
            index = self.unit.findData(person.unit) if person.unit else 0
            self.unit.setCurrentIndex(max(index, 0))
            self.phone.setText(person.phone)
            self.skills.setText("、".join(person.skills))
            self.active.setChecked(entry.active)

    def _typed(self) -> Person:
        return Person(self.name.text().strip(), PersonRole(self.role.currentData()), self.unit.currentData(),
                      self.phone.text().strip(), split_names(self.skills.text()))

    def add(self) -> None:
        person, active = self._typed(), self.active.isChecked()
        self.save(lambda ctx: admin.save_person(ctx, person, active=active), f"已新增“{person.name}”")

    def update_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.entries):
            self.say("请先在列表中选择要修改的人员", error=True)
            return
        previous = self.entries[row].person
        person, active = self._typed(), self.active.isChecked()
        self.save(lambda ctx: admin.save_person(ctx, person, active=active, previous=previous),
                  f"已保存“{person.name}”")

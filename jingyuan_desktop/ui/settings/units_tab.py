"""Villages and communities, or departments and police stations: add, rename, stop, import."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.domain.model import Unit
from jingyuan_desktop.services import admin
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.settings.base import EditorTab, fill_table, make_table
from jingyuan_desktop.ui.widgets.files import open_path


class UnitsTab(EditorTab):
    def __init__(self, ops: Operations, kinds: tuple[UnitKind, ...], parent: QWidget | None = None, *,
                 importable: bool = False):
        super().__init__(ops, parent)
        self.kinds = kinds
        self.entries: list[admin.UnitEntry] = []
        self.table = make_table(["名称", "类型", "状态", "在册人员"])
        self.table.currentCellChanged.connect(lambda row, *_: self._pick(row))
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("如：解营村" if UnitKind.VILLAGE in kinds else "如：司法所、大张派出所")
        self.kind = QComboBox(self)
        for kind in kinds:
            self.kind.addItem(kind.label, kind.value)
        self.active = QCheckBox("启用", self)
        self.active.setChecked(True)
        form = QFormLayout()
        form.addRow("名称", self.name)
        form.addRow("类型", self.kind)
        form.addRow("", self.active)
        self.add_button = QPushButton("新增", self)
        self.add_button.setToolTip("按上面填写的名称新增一个单位")
        self.add_button.clicked.connect(self.add)
        self.update_button = QPushButton("保存修改", self)
        self.update_button.setToolTip("把选中的单位改成上面填写的名称、类型和状态")
        self.update_button.clicked.connect(self.update_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.update_button)
        if importable:
            self.import_button = QPushButton("从表格导入…", self)
            self.import_button.setToolTip("从 .xlsx 或 .csv 导入村（社区），表头：名称、类型，可选 书记、电话")
            self.import_button.clicked.connect(self.import_sheet)
            buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addLayout(form)
        self.layout_.addLayout(buttons)
        self.finish_layout()
        self.reload()

    def read(self, ctx):
        return [e for e in admin.unit_entries(ctx) if e.unit.kind in self.kinds]

    def show_data(self, data) -> None:
        self.entries = data
        fill_table(self.table, [(e.unit.name, e.unit.kind.label, "启用" if e.active else "已停用", e.people)
                                for e in self.entries], grey=[not e.active for e in self.entries])

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            entry = self.entries[row]
            self.name.setText(entry.unit.name)
            self.kind.setCurrentIndex(self.kind.findData(entry.unit.kind.value))
            self.active.setChecked(entry.active)

    def _typed(self) -> Unit:
        return Unit(self.name.text().strip(), UnitKind(self.kind.currentData()))

    def selected(self) -> admin.UnitEntry | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def add(self) -> None:
        unit, active = self._typed(), self.active.isChecked()
        self.save(lambda ctx: admin.save_unit(ctx, unit, active=active), f"已新增“{unit.name}”")

    def update_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            self.say("请先在列表中选择要修改的单位", error=True)
            return
        unit, active, old = self._typed(), self.active.isChecked(), entry.unit.name
        self.save(lambda ctx: admin.save_unit(ctx, unit, active=active, old_name=old), f"已保存“{unit.name}”")

    def import_sheet(self, path: str | None = None) -> None:
        if not path:
            path = open_path(self, "导入村（社区）", "表格 (*.xlsx *.csv)")
            if not path:
                return
        self.save(lambda ctx: admin.import_units_sheet(ctx, path), "已从表格导入村（社区）")

"""The numbers of the prevention rules (issue 14): patrols a week, officers' visits a week,
each key-person type's visit cycle, and how long a missed patrol stays in the timer panel."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QPushButton, QSpinBox, QWidget

from jingyuan_desktop.domain.prevention import KeyPersonType, PreventionSettings
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.settings.base import EditorTab


def _spin(parent: QWidget, low: int, high: int, suffix: str, tip: str = "") -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setToolTip(tip)
    return box


class PreventionTab(EditorTab):
    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(ops, parent)
        self.grid_patrols = _spin(self, 1, 7, " 次/周", "每个网格每周至少巡查的次数（第000号文件：每周至少一次）")
        self.officer_visits = _spin(self, 1, 7, " 次/周", "包村民警每周进村走访的次数（第001号文件：每周至少两次）")
        self.lookback = _spin(self, 0, 52, " 周", "漏巡的周次在时限面板上保留多久；统计中始终计入")
        self.cycles = {member.value: _spin(self, 1, 366, " 天") for member in KeyPersonType}
        self.other_cycle = _spin(self, 1, 366, " 天", "单位自行增加的重点人员类型")
        patrols = QGroupBox("巡查走访", self)
        form = QFormLayout(patrols)
        form.addRow("网格巡查", self.grid_patrols)
        form.addRow("民警进村走访", self.officer_visits)
        form.addRow("漏巡在时限面板保留", self.lookback)
        visits = QGroupBox("重点人员走访周期", self)
        cycle_form = QFormLayout(visits)
        for member in KeyPersonType:
            cycle_form.addRow(member.label, self.cycles[member.value])
        cycle_form.addRow("其他类型", self.other_cycle)
        self.save_button = QPushButton("保存排查走访设置", self)
        self.save_button.setToolTip("保存后，时限面板与统计按新周期计算")
        self.save_button.clicked.connect(self.save_settings)
        for part in (patrols, visits, self.save_button):
            self.layout_.addWidget(part)
        self.layout_.addStretch(1)
        self.finish_layout()
        self.setEnabled(False)  # until the office's own numbers are read
        self.reload()

    CHANGES = Change(settings=True)

    def read(self, ctx):
        return records.settings(ctx)

    def show_data(self, values: PreventionSettings) -> None:
        self.grid_patrols.setValue(values.grid_patrols_per_week)
        self.officer_visits.setValue(values.officer_visits_per_week)
        self.lookback.setValue(values.overdue_lookback_weeks)
        for code, box in self.cycles.items():
            box.setValue(values.days_for(code))
        self.other_cycle.setValue(values.other_visit_days)
        self.setEnabled(True)

    def value(self) -> PreventionSettings:
        return PreventionSettings(
            grid_patrols_per_week=self.grid_patrols.value(), officer_visits_per_week=self.officer_visits.value(),
            visit_days={code: box.value() for code, box in self.cycles.items()},
            other_visit_days=self.other_cycle.value(), overdue_lookback_weeks=self.lookback.value())

    def save_settings(self) -> None:
        values = self.value()
        self.save(lambda ctx: records.save_settings(ctx, values), "排查走访设置已保存")

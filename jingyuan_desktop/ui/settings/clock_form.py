"""Office hours and every clock's numbers (``ClockSettings``), one labelled field each."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QTimeEdit, QWidget

from jingyuan_desktop.domain.clocks import ClockSettings

# The meaning of each number as the procedure states it, and its unit.
FIELDS = {
    "office_start": ("上班时间", ""),
    "office_end": ("下班时间", ""),
    "dispatch_office_minutes": ("分类交办时限", "分钟（办公时间内计）"),
    "arrive_minutes": ("到场时限", "分钟（自交办起）"),
    "progress_due": ("每日进展报送截止", ""),
    "follow_up_grace_minutes": ("约定后续宽限", "分钟"),
    "return_visit_working_days": ("回访时限", "个工作日（自化解起）"),
    "return_visit_due": ("回访截止时刻", ""),
    "police_feedback_working_days": ("反馈派出所时限", "个工作日（自回访起）"),
    "police_feedback_due": ("反馈截止时刻", ""),
    "supervision_days": ("红色案件督办周期", "天"),
    "escalation_failures": ("建议升级疑难", "次调解未成后"),
    "repeat_window_days": ("重复报警识别范围", "天内"),
}


class ClockForm(QWidget):
    sig_edited = Signal()

    def __init__(self, settings: ClockSettings, parent: QWidget | None = None, *, read_only: bool = True):
        super().__init__(parent)
        layout = QFormLayout(self)
        self.editors: dict[str, QWidget] = {}
        for name, (label, unit) in FIELDS.items():
            value = getattr(settings, name)
            if isinstance(value, time):
                editor = QTimeEdit(QTime(value.hour, value.minute), self)
                editor.setDisplayFormat("HH:mm")
                editor.timeChanged.connect(self.sig_edited)
            else:
                editor = QSpinBox(self)
                editor.setRange(0, 100_000)
                editor.setValue(int(value))
                editor.setSuffix(f" {unit}" if unit else "")
                editor.valueChanged.connect(self.sig_edited)
            editor.setReadOnly(read_only)
            if read_only:
                editor.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
            self.editors[name] = editor
            layout.addRow(label, editor)
        missing = set(ClockSettings().__dict__) - set(FIELDS)
        if missing:  # a new setting must never silently lack a field here
            layout.addRow(QLabel("另有设置：" + "、".join(sorted(missing))))

    def set_value(self, settings: ClockSettings) -> None:
        for name, editor in self.editors.items():
            value = getattr(settings, name)
            if isinstance(editor, QTimeEdit):
                editor.setTime(QTime(value.hour, value.minute))
            else:
                editor.setValue(int(value))

    def value(self) -> ClockSettings:
        data = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QTimeEdit):
                data[name] = editor.time().toString("HH:mm")
            else:
                data[name] = editor.value()
        return ClockSettings.from_dict(data)

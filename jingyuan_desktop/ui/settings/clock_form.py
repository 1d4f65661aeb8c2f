"""Office hours and every clock's numbers (``ClockSettings``), one labelled field each."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QTimeEdit, QWidget

from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.services.admin import CLOCK_SETTING_LABELS


class ClockForm(QWidget):
    sig_edited = Signal()

    def __init__(self, settings: ClockSettings, parent: QWidget | None = None, *, read_only: bool = True):
        super().__init__(parent)
        layout = QFormLayout(self)
        self.editors: dict[str, QTimeEdit | QSpinBox] = {}
        for name, entry in CLOCK_SETTING_LABELS.items():
            value = getattr(settings, name)
            editor: QTimeEdit | QSpinBox
            if isinstance(value, time):
                editor = QTimeEdit(QTime(value.hour, value.minute), self)
                editor.setDisplayFormat("HH:mm")
                editor.timeChanged.connect(self.sig_edited)
            else:
                editor = QSpinBox(self)
                editor.setRange(0, 100_000)  # the service says in Chinese which range it takes
                editor.setValue(int(value))
                editor.setSuffix(f" {entry.unit}" if entry.unit else "")
                editor.valueChanged.connect(self.sig_edited)
            editor.setReadOnly(read_only)
            if read_only:
                editor.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
            self.editors[name] = editor
            layout.addRow(entry.label, editor)
        missing = set(ClockSettings().__dict__) - set(CLOCK_SETTING_LABELS)
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
        data: dict[str, str | int] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QTimeEdit):
                data[name] = editor.time().toString("HH:mm")
            else:
                data[name] = editor.value()
        return ClockSettings.from_dict(data)

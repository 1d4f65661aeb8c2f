"""The assignment pane and the timer panel for the main window's docks.

They are built in their own feature folders; a missing one shows a quiet placeholder so the
window still opens (and its tests still run) while the other is being finished.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from jingyuan_desktop.ui.ops import Operations


def _placeholder(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("color: #888;")
    label.setMinimumWidth(300)
    return label


def make_assignment_pane(ops: Operations, parent: QWidget) -> QWidget:
    try:
        from jingyuan_desktop.ui.assignment.pane import AssignmentPane
    except ImportError:
        return _placeholder("交办面板尚未就绪", parent)
    return AssignmentPane(ops, parent)


def make_timer_panel(ops: Operations, parent: QWidget, now) -> QWidget:
    try:
        from jingyuan_desktop.ui.timers.panel import TimerPanel
    except ImportError:
        return _placeholder("时限面板尚未就绪", parent)
    return TimerPanel(ops, parent, now=now)

"""What every settings tab shares: a Chinese message line, saving through Operations, and
small read-only tables for the office's short lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from jingyuan_desktop.ui.ops import Operations

ERROR_STYLE = "color: #b3261e;"
DONE_STYLE = "color: #1b5e20;"


class EditorTab(QWidget):
    """A tab that edits one kind of base data. ``sig_saved`` follows every successful save."""

    sig_saved = Signal(str)  # what was saved, in Chinese

    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.layout_ = QVBoxLayout(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.message)

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else DONE_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def save(self, work: Callable[[Any], Any], done: str) -> None:
        """Run ``work(ctx)``; on success reload and say ``done``, on refusal keep what was typed."""
        self.say("")

        def saved(_result) -> None:
            self.reload()
            self.say(done)
            self.sig_saved.emit(done)

        self.ops.run(work, changed="*", on_done=saved, on_error=lambda message: self.say(message, error=True))

    def reload(self) -> None:  # overridden by each tab
        pass


def make_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[tuple], *, grey: list[bool] | None = None) -> None:
    from PySide6.QtGui import QColor

    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if grey and grey[r]:
                item.setForeground(QColor("#999999"))
            table.setItem(r, c, item)

"""What every settings tab shares: a Chinese message line, saving through Operations, and
small read-only tables for the office's short lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import ALARM, OK

ERROR_STYLE = f"color: {ALARM};"
DONE_STYLE = f"color: {OK};"


class EditorTab(QWidget):
    """A tab that edits one kind of base data.

    A tab says what it reads (``read``, run in the worker thread: it must not touch widgets)
    and how it shows it (``show_data``), and what its saves change (``CHANGES``).
    """

    sig_saved = Signal(str)
    """A save went through and the tab shows the saved data; carries what was saved, in Chinese."""
    sig_loaded = Signal()
    """The tab's data was read and is on screen."""

    CHANGES = Change(reference=True)

    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.loaded = False
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

        def shown() -> None:
            self.say(done)
            self.sig_saved.emit(done)

        self.ops.run(work, changed=self.CHANGES, owner=self, on_done=lambda _result: self.reload(then=shown),
                     on_error=lambda message: self.say(message, error=True))

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the tab's data off the UI thread, show it, then call ``then``."""

        def arrived(data: Any) -> None:
            self.show_data(data)
            self.loaded = True
            self.sig_loaded.emit()
            if then is not None:
                then()

        self.ops.run(self.read, owner=self, key="load", on_done=arrived,
                     on_error=lambda message: self.say(f"读取失败：{message}", error=True))

    def read(self, ctx: AppContext) -> Any:
        """What the tab shows, read in the worker thread."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        """Put what ``read`` returned on screen (UI thread)."""
        raise NotImplementedError


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

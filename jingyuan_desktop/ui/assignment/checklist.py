"""A list of names with a checkbox each: handlers, departments, experts."""

from __future__ import annotations

from collections.abc import Set

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

KeyRole = Qt.ItemDataRole.UserRole + 1


class CheckList(QListWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, rows_shown: int = 5):
        super().__init__(parent)
        self.setMaximumHeight(rows_shown * 24 + 6)
        self.itemChanged.connect(lambda _item: self.sig_changed.emit())

    def set_entries(self, entries: list[tuple[str, str, str]], checked: Set[str] = frozenset()) -> None:
        """(key, text, tooltip) each; ``checked`` keys start ticked."""
        self.blockSignals(True)
        self.clear()
        for key, text, tip in entries:
            self._add(key, text, tip, key in checked)
        self.blockSignals(False)
        self.sig_changed.emit()

    def add_entry(self, key: str, text: str, tip: str = "", *, checked: bool = False) -> None:
        if self.item_for(key) is None:
            self._add(key, text, tip, checked)
        self.sig_changed.emit()

    def _add(self, key: str, text: str, tip: str, checked: bool) -> None:
        item = QListWidgetItem(text, self)
        item.setData(KeyRole, key)
        item.setToolTip(tip)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def item_for(self, key: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(KeyRole) == key:
                return self.item(row)
        return None

    def entry_keys(self) -> list[str]:
        return [self.item(row).data(KeyRole) for row in range(self.count())]

    def entries(self) -> list[tuple[str, str, str]]:
        """(key, text, tooltip) of each row, in order: what ``set_entries`` takes."""
        return [(item.data(KeyRole), item.text(), item.toolTip())
                for item in (self.item(row) for row in range(self.count()))]

    def checked(self) -> list[str]:
        return [self.item(r).data(KeyRole) for r in range(self.count())
                if self.item(r).checkState() == Qt.CheckState.Checked]

    def set_checked(self, key: str, on: bool = True) -> bool:
        item = self.item_for(key)
        if item is None:
            return False
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        return True

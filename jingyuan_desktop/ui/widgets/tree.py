"""The items of a QTreeWidget as lists: Qt's index accessors return None past the end, these never do."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem


def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    return [item for index in range(tree.topLevelItemCount()) if (item := tree.topLevelItem(index)) is not None]


def child_items(parent: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [item for row in range(parent.childCount()) if (item := parent.child(row)) is not None]

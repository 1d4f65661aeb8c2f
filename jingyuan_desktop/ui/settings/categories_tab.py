"""The two-level category tree: rename by double-click, add and remove classes, save at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QWidget

from jingyuan_desktop.services import admin, queries
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.settings.base import EditorTab
from jingyuan_desktop.ui.widgets.tree import child_items, top_level_items

EDITABLE = Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CategoriesTab(EditorTab):
    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(ops, parent)
        explain = QLabel("双击名称可修改。已有案件使用的类别不能删除或改名（保存时会提示）。", self)
        explain.setStyleSheet("color: #666;")
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["类别"])
        self.add_major_button = QPushButton("添加大类", self)
        self.add_major_button.clicked.connect(self.add_major)
        self.add_minor_button = QPushButton("添加小类", self)
        self.add_minor_button.setToolTip("在选中的大类下添加小类")
        self.add_minor_button.clicked.connect(self.add_minor)
        self.remove_button = QPushButton("删除", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button = QPushButton("保存类别", self)
        self.save_button.clicked.connect(self.save_tree)
        buttons = QHBoxLayout()
        for button in (self.add_major_button, self.add_minor_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.layout_.addWidget(explain)
        self.layout_.addWidget(self.tree, 1)
        self.layout_.addLayout(buttons)
        self.finish_layout()
        self.reload()

    def read(self, ctx):
        return queries.category_tree(ctx)

    def show_data(self, data) -> None:
        self.tree.clear()
        for major, minors in data.tree.items():
            item = self._item(major)
            item.addChildren([self._item(minor) for minor in minors])
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)

    @staticmethod
    def _item(name: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([name])
        item.setFlags(EDITABLE)
        return item

    def typed_tree(self) -> dict[str, list[str]]:
        tree: dict[str, list[str]] = {}
        for major in top_level_items(self.tree):
            tree[major.text(0)] = [child.text(0) for child in child_items(major)]
        return tree

    def add_major(self) -> None:
        item = self._item("新大类")
        self.tree.addTopLevelItem(item)
        self.tree.setCurrentItem(item)
        self.tree.editItem(item, 0)

    def add_minor(self) -> None:
        current = self.tree.currentItem()
        if current is None:
            self.say("请先选中一个大类", error=True)
            return
        major = current.parent() or current
        item = self._item("新小类")
        major.addChild(item)
        major.setExpanded(True)
        self.tree.setCurrentItem(item)
        self.tree.editItem(item, 0)

    def remove_selected(self) -> None:
        current = self.tree.currentItem()
        if current is None:
            return
        parent = current.parent()
        if parent is None:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(current))
        else:
            parent.removeChild(current)
        self.say("已从列表中删除，点“保存类别”后生效")

    def save_tree(self) -> None:
        tree = self.typed_tree()
        self.save(lambda ctx: admin.save_category_tree(ctx, tree), "类别已保存")

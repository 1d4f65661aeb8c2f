"""The two-level category tree with a search box that narrows it as the clerk types."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from jingyuan_desktop.domain.categories import CategoryTree
from jingyuan_desktop.ui.palette import OK
from jingyuan_desktop.ui.widgets.tree import child_items, top_level_items

NameRole = Qt.ItemDataRole.UserRole + 1


class CategoryPicker(QWidget):
    sig_changed = Signal(str)  # the chosen category name, "" when none

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("输入关键字查找类别，如：借贷、物业")
        self.search.setClearButtonEnabled(True)
        self.tree_view = QTreeWidget(self)
        self.tree_view.setHeaderHidden(True)
        self.tree_view.setMinimumHeight(150)
        self.chosen = QLabel("尚未选择类别", self)
        self.chosen.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.search)
        layout.addWidget(self.tree_view, 1)
        layout.addWidget(self.chosen)
        self.tree: CategoryTree | None = None
        self._items: dict[str, QTreeWidgetItem] = {}
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._pick_first_visible)
        self.tree_view.currentItemChanged.connect(self._current_changed)

    def set_tree(self, tree: CategoryTree) -> None:
        self.tree = tree
        self.tree_view.clear()
        self._items.clear()
        for major, minors in tree.tree.items():
            parent = QTreeWidgetItem([major])
            parent.setData(0, NameRole, major)
            for minor in minors:
                child = QTreeWidgetItem([minor])
                child.setData(0, NameRole, minor)
                parent.addChild(child)
                self._items[minor] = child
            self._items[major] = parent
            self.tree_view.addTopLevelItem(parent)
        self.tree_view.expandAll()
        self.filter(self.search.text())

    def current(self) -> str:
        item = self.tree_view.currentItem()
        return item.data(0, NameRole) if item is not None and not item.isHidden() else ""

    def select(self, name: str) -> bool:
        item = self._items.get(name)
        if item is None:
            return False
        if item.isHidden():
            self.search.clear()
        self.tree_view.setCurrentItem(item)
        return True

    def filter(self, text: str) -> None:
        """Show what contains ``text``; a matching major keeps all its minors visible."""
        text = text.strip()
        for major in top_level_items(self.tree_view):
            major_hit = text in major.text(0)
            any_child = False
            for child in child_items(major):
                visible = major_hit or text in child.text(0)
                child.setHidden(not visible)
                any_child |= visible
            major.setHidden(not (major_hit or any_child))
            major.setExpanded(True)

    def visible_names(self) -> list[str]:
        names = []
        for major in top_level_items(self.tree_view):
            if major.isHidden():
                continue
            names.append(major.text(0))
            names += [child.text(0) for child in child_items(major) if not child.isHidden()]
        return names

    def _pick_first_visible(self) -> None:
        # Enter in the search box takes the first minor class shown: the usual choice.
        visible = self.visible_names()
        minors = [n for n in visible if self.tree and n not in self.tree.tree]
        if minors or visible:
            self.select((minors or visible)[0])
            self.tree_view.setFocus()

    def _current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        name = current.data(0, NameRole) if current is not None else ""
        if name and self.tree is not None:
            major = self.tree.major_of(name)
            self.chosen.setText(f"已选：{name}" + (f"（{major}）" if major != name else ""))
            self.chosen.setStyleSheet(f"color: {OK}; font-weight: bold;")
        else:
            self.chosen.setText("尚未选择类别")
            self.chosen.setStyleSheet("color: #555;")
        self.sig_changed.emit(name or "")

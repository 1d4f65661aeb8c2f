"""Base data and settings, a tab each: villages, people, departments, categories, office
hours and clocks, holidays.

Shown read-only until the services that write them exist (see ``WRITE_SERVICES``); a note on
each tab says so, rather than offering edits that would be lost.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QTabWidget,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.services import queries
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.settings.clock_form import ClockForm

READ_ONLY_NOTE = "此处暂只能查看；修改功能即将提供。"


class SettingsDialog(QDialog):
    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("基础数据与设置")
        self.resize(860, 600)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.tabs.clear()
        ctx = self.ops.ctx
        units = self.ops.call(queries.units)
        villages = [u for u in units if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)]
        others = [u for u in units if u.kind in (UnitKind.DEPARTMENT, UnitKind.POLICE_STATION)]
        people = self.ops.call(queries.people)
        team_size = {}
        for person in people:
            team_size[person.unit] = team_size.get(person.unit, 0) + 1
        self._tab("村（社区）", _table(["名称", "类型", "处置队伍人数"],
                                  [(u.name, u.kind.label, str(team_size.get(u.name, 0))) for u in villages]))
        self._tab("人员", _table(["姓名", "角色", "单位", "电话", "擅长"],
                               [(p.name, p.role.label, p.unit or "", p.phone, "、".join(p.skills)) for p in people]))
        self._tab("部门与派出所", _table(["名称", "类型"], [(u.name, u.kind.label) for u in others]))
        self._tab("类别", self._category_tree())
        self._tab("办公时间与时限", ClockForm(ctx.clock_settings(), self, read_only=True))
        self._tab("节假日与调休", self._holidays())

    def _tab(self, title: str, body: QWidget) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        note = QLabel(READ_ONLY_NOTE, page)
        note.setStyleSheet("color: #666;")
        layout.addWidget(note)
        layout.addWidget(body, 1)
        self.tabs.addTab(page, title)

    def _category_tree(self) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setHeaderLabels(["类别"])
        for major, minors in self.ops.call(queries.category_tree).tree.items():
            item = QTreeWidgetItem([major])
            item.addChildren([QTreeWidgetItem([minor]) for minor in minors])
            tree.addTopLevelItem(item)
            item.setExpanded(True)
        return tree

    def _holidays(self) -> QWidget:
        calendar = self.ops.ctx.calendar()
        rows = [(day.isoformat(), "上班（调休）" if working else "休息")
                for day, working in sorted(calendar.overrides.items())]
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        warning = calendar.uncovered_warning()
        explain = QLabel("法定节假日与调休按国家安排自动计算；下表是本办公室补录或更改的日期。", box)
        explain.setWordWrap(True)
        layout.addWidget(explain)
        if warning:
            alert = QLabel(warning, box)
            alert.setWordWrap(True)
            alert.setStyleSheet("color: #b3261e;")
            layout.addWidget(alert)
        layout.addWidget(_table(["日期", "安排"], rows), 1)
        return box


def _table(headers: list[str], rows: list[tuple]) -> QTableWidget:
    # Small office lists, read-only: a QTableWidget is the plain tool for these.
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table

"""Base data and settings, a tab each: villages and communities, people, departments and
police stations, categories, office hours and clocks, holidays, the office itself.

Every save goes through ``admin`` (which checks, refuses in Chinese and audits) and is then
announced on ``Operations.sig_changed``, so the window's lists read the new data."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.settings.calendar_tab import CalendarTab
from jingyuan_desktop.ui.settings.categories_tab import CategoriesTab
from jingyuan_desktop.ui.settings.office_tab import ClocksTab, OfficeTab
from jingyuan_desktop.ui.settings.people_tab import PeopleTab
from jingyuan_desktop.ui.settings.prevention_tab import PreventionTab
from jingyuan_desktop.ui.settings.units_tab import UnitsTab


class SettingsDialog(QDialog):
    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle("基础数据与设置")
        self.resize(900, 680)
        self.tabs = QTabWidget(self)
        self.villages = UnitsTab(ops, (UnitKind.VILLAGE, UnitKind.COMMUNITY), self, importable=True)
        self.people = PeopleTab(ops, self)
        self.units = UnitsTab(ops, (UnitKind.DEPARTMENT, UnitKind.POLICE_STATION), self)
        self.categories = CategoriesTab(ops, self)
        self.clocks = ClocksTab(ops, self)
        self.calendar = CalendarTab(ops, self)
        self.office = OfficeTab(ops, self)
        self.prevention = PreventionTab(ops, self)
        self.all_tabs = (self.villages, self.people, self.units, self.categories, self.clocks, self.calendar,
                         self.office, self.prevention)
        for title, tab in (("村（社区）", self.villages), ("人员", self.people), ("部门与派出所", self.units),
                           ("类别", self.categories), ("办公时间与时限", self.clocks), ("节假日与调休", self.calendar),
                           ("单位信息", self.office), ("排查走访", self.prevention)):
            self.tabs.addTab(tab, title)
        # A new unit or category shows at once in the people tab's lists.
        for tab in (self.villages, self.units, self.categories):
            tab.sig_saved.connect(lambda _what: self.people.reload())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

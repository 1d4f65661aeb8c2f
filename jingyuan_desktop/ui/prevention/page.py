"""排查预防: the prevention half of the office's work on one page, one tab a register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from jingyuan_desktop.domain.prevention import DutyName
from jingyuan_desktop.domain.prevention_clocks import Duty
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.prevention.common import shortcut
from jingyuan_desktop.ui.prevention.grids import GridsTab
from jingyuan_desktop.ui.prevention.key_persons import KeyPersonsTab
from jingyuan_desktop.ui.prevention.patrols import PatrolTab
from jingyuan_desktop.ui.prevention.people import PeopleTab
from jingyuan_desktop.ui.prevention.review import ReviewTab
from jingyuan_desktop.ui.prevention.warnings_tab import WarningsTab
from jingyuan_desktop.ui.widgets.pages import PageHost

TABS = ("patrols", "grids", "key_persons", "warnings", "people", "review")


class PreventionPage(QWidget):
    sig_open_case = Signal(str)
    """Open this case in its own window."""

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.patrols = PatrolTab(ops, self, now=now)
        self.grids = GridsTab(ops, self, now=now)
        self.key_persons = KeyPersonsTab(ops, self, now=now)
        self.warnings = WarningsTab(ops, self, now=now)
        self.people = PeopleTab(ops, self)
        self.review = ReviewTab(ops, self)
        self.tabs = QTabWidget(self)
        for number, (widget, title) in enumerate(((self.patrols, "走访记录"), (self.grids, "网格"),
                                                  (self.key_persons, "重点人员"), (self.warnings, "预警"),
                                                  (self.people, "人员查询"), (self.review, "人员核对")), start=1):
            self.tabs.addTab(widget, title)
            self.tabs.setTabToolTip(number - 1, f"Alt+{number}")
            shortcut(f"Alt+{number}", self, partial(self.tabs.setCurrentIndex, number - 1),
                     context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        self.patrols.sig_open_case.connect(self.sig_open_case)
        self.key_persons.sig_open_case.connect(self.sig_open_case)
        self.people.sig_open_case.connect(self.sig_open_case)

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(key))

    def show_duty(self, duty: Duty) -> None:
        """Where a duty of the timer panel is done: the patrol log, or the key-person register."""
        self.show_tab("key_persons" if duty.name == DutyName.KEY_PERSON_VISIT else "patrols")

    # ---- Page ---------------------------------------------------------------------
    def connect_to(self, host: PageHost) -> None:
        self.sig_open_case.connect(host.open_case)

    def current_week(self) -> str | None:
        return None

"""The main window's pages beyond the case table: statistics, the weekly meeting, the
year-end assessment. Each is built the first time it is shown, so the window opens without
paying for matplotlib.

A page declares what it offers by implementing ``Page.connect_to``: it connects its own
signals to the ``PageHost`` (the main window) it is shown in. The window never probes a
page for the signals it might have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from jingyuan_desktop.ui.ops import Operations


class PageHost(Protocol):
    """What the main window does for its pages."""

    def open_case(self, case_no: str) -> object: ...

    def show_village_cases(self, village: str, date_from: str | None = None, date_to: str | None = None) -> None: ...

    def print_weekly(self, week: str | None = None) -> None: ...

    def project(self, week: str | None = None) -> None: ...


@runtime_checkable
class Page(Protocol):
    """What every page offers the window."""

    def connect_to(self, host: PageHost) -> None:
        """Connect the page's requests (open a case, print, project...) to the host."""

    def current_week(self) -> str | None:
        """The ISO week the page is showing, if it is about a week (the projection follows it)."""


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    shortcut: str
    tip: str
    build: Callable[[Operations, QWidget], QWidget]


def _statistics(ops: Operations, parent: QWidget) -> QWidget:
    from jingyuan_desktop.ui.charts import StatisticsWidget

    return StatisticsWidget(ops, parent)


def _meeting(ops: Operations, parent: QWidget) -> QWidget:
    from jingyuan_desktop.ui.meeting import MeetingWidget

    return MeetingWidget(ops, parent)


def _assessment(ops: Operations, parent: QWidget) -> QWidget:
    from jingyuan_desktop.ui.assessment import AssessmentWidget

    return AssessmentWidget(ops, parent)


PAGES = (
    PageSpec("statistics", "统计分析", "Ctrl+2", "各村（社区）化解率、满意率、按时率与趋势图", _statistics),
    PageSpec("meeting", "周例会", "Ctrl+3", "本周议程、疑难案件、纪要与决定", _meeting),
    PageSpec("assessment", "年度考核", "Ctrl+4", "各村（社区）考核得分与排名", _assessment),
)


class LazyPage(QWidget):
    """Holds the place of a page until it is first shown, then builds it once."""

    def __init__(self, spec: PageSpec, ops: Operations, host: PageHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec, self.ops, self.host = spec, ops, host
        self.page: QWidget | None = None
        self._layout = QStackedLayout(self)
        self._opening: QLabel | None = None

    def ensure(self) -> QWidget:
        if self.page is None:
            page = self.spec.build(self.ops, self)
            if not isinstance(page, Page):
                raise TypeError(f"page {self.spec.key} does not implement Page")
            self.page = page
            self._layout.addWidget(page)
            self._layout.setCurrentWidget(page)
            page.connect_to(self.host)
            if self._opening is not None:
                self._opening.deleteLater()
                self._opening = None
        return self.page

    def current_week(self) -> str | None:
        """The week of the page if it was built and is about a week."""
        return self.page.current_week() if isinstance(self.page, Page) else None

    def showEvent(self, event) -> None:
        if self.ops.ready:
            self.ensure()
        elif self._opening is None:
            # Shown in the first moment of the start, while the database is still being opened
            # (``ui.app.open_window``): a line says so, and the page comes once it is open.
            self._opening = QLabel("正在打开数据库，请稍候……", self)
            self._opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._layout.addWidget(self._opening)
            self.ops.sig_ready.connect(self._opened)
        super().showEvent(event)

    def _opened(self) -> None:
        if self.isVisible():
            self.ensure()

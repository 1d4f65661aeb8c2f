"""The main window's pages beyond the case table: statistics, the weekly meeting, the
year-end assessment. Each is built the first time it is shown, so the window opens without
paying for matplotlib; a page whose feature folder cannot be imported shows a quiet note."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from jingyuan_desktop.ui.ops import Operations


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

    def __init__(self, spec: PageSpec, ops: Operations, parent: QWidget | None = None,
                 on_built: Callable[[str, QWidget], None] | None = None):
        super().__init__(parent)
        self.spec, self.ops, self.on_built = spec, ops, on_built
        self.page: QWidget | None = None
        self._layout = QStackedLayout(self)

    def ensure(self) -> QWidget:
        if self.page is None:
            try:
                self.page = self.spec.build(self.ops, self)
            except ImportError:
                note = QLabel(f"“{self.spec.title}”尚未就绪", self)
                note.setAlignment(Qt.AlignmentFlag.AlignCenter)
                note.setStyleSheet("color: #888;")
                self.page = note
            self._layout.addWidget(self.page)
            if self.on_built is not None:
                self.on_built(self.spec.key, self.page)
        return self.page

    def showEvent(self, event) -> None:
        self.ensure()
        super().showEvent(event)

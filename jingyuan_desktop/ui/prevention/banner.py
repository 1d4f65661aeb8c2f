"""The warning line under the main window's toolbar, while a warning (预警) is in force today."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.prevention import Warning
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import WARN, WARN_TINT
from jingyuan_desktop.ui.prevention.changes import touches_prevention

RELOAD_MS = 10 * 60_000  # a warning starts or ends at midnight; the banner follows within minutes


def short_day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def places_text(warning: Warning) -> str:
    places = [*warning.villages, *warning.grids]
    return "、".join(places) if places else "全镇"


def warning_text(warning: Warning) -> str:
    """预警：{text}（{starts}至{ends}，{村…}），期间每日巡查."""
    text = (f"预警：{warning.text}（{short_day(warning.starts)}至{short_day(warning.ends)}，"
            f"{places_text(warning)}）")
    return text + ("，期间每日巡查" if warning.daily_patrols else "")


class WarningBanner(QFrame):
    """One line a warning in force. Whoever holds it shows it only while ``warnings`` is not
    empty (the main window hides the toolbar line it sits on)."""

    sig_loaded = Signal()
    """The warnings in force were read and are shown (or the banner hidden)."""

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.now = now or ops.ctx.now
        self.warnings: list[Warning] = []
        self.setObjectName("warning_banner")
        self.setStyleSheet(f"#warning_banner {{ background: {WARN_TINT}; border-bottom: 1px solid {WARN}; }}")
        self.text = QLabel(self)
        # One line a warning: word wrap would make the line inside a toolbar as tall as it likes.
        self.text.setWordWrap(False)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setStyleSheet(f"color: {WARN}; font-size: 14px;")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 8, 3)
        row.addWidget(self.text, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.reload)
        self._timer.start(RELOAD_MS)
        ops.sig_changed.connect(self._changed)
        self.reload()

    def reload(self) -> None:
        today = local(self.now()).date()
        self.ops.run(lambda ctx: records.warnings_in(ctx, today, today), owner=self,
                     key="warnings", on_done=self._loaded, on_error=lambda _text: None)

    def _loaded(self, warnings: list[Warning]) -> None:
        self.warnings = warnings
        self.text.setText("<br>".join(f"<b>{html.escape(warning_text(w))}</b>" for w in warnings))
        self.text.setToolTip("\n".join(warning_text(w) for w in warnings))
        self.updateGeometry()
        self.sig_loaded.emit()

    def _changed(self, change: Change) -> None:
        if touches_prevention(change):
            self.reload()

    def lines(self) -> list[str]:
        return [warning_text(w) for w in self.warnings]

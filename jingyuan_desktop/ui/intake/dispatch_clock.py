"""The 5-minute dispatch clock shown while the intake form is open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from jingyuan_desktop.domain.calendar import WorkCalendar, local
from jingyuan_desktop.domain.clocks import ClockSettings, add_office_minutes, in_office_time, office_time_between
from jingyuan_desktop.domain.durations import Grain, duration_text
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, OK, OK_TINT, URGENT_TINT, WARN


class DispatchClockLabel(QLabel):
    """'交办时限 10:05（剩余 3分12秒）', refreshed every second; red once the limit has passed."""

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None):
        super().__init__("交办时限：正在计算…", parent)
        self.now = now
        self.received_at: datetime | None = None
        self.calendar: WorkCalendar | None = None
        self.settings = ClockSettings()
        self.due_at: datetime | None = None
        self.overdue = False
        self.setMargin(6)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(1000)

    def set_basis(self, received_at: datetime, calendar: WorkCalendar, settings: ClockSettings) -> None:
        self.received_at, self.calendar, self.settings = received_at, calendar, settings
        self.due_at = add_office_minutes(received_at, settings.dispatch_office_minutes, calendar, settings)
        self.refresh()

    def refresh(self) -> None:
        if self.due_at is None or self.calendar is None:
            return
        now = self.now()
        left = office_time_between(now, self.due_at, self.calendar, self.settings)
        due = local(self.due_at)
        shown = due.strftime("%H:%M") if due.date() == local(now).date() else due.strftime("%m-%d %H:%M")
        self.overdue = now > self.due_at
        if self.overdue:
            text = f"交办时限 {shown}（已超时 {duration_text(left, Grain.SECONDS)}，请尽快分类交办）"
            style = f"background:{ALARM_TINT}; color:{ALARM}; font-weight:bold;"
        else:
            waiting = "" if in_office_time(now, self.calendar, self.settings) else "，上班后继续计时"
            text = f"交办时限 {shown}（剩余 {duration_text(left, Grain.SECONDS)}{waiting}）"
            urgent = left < timedelta(minutes=1)
            style = f"background:{URGENT_TINT}; color:{WARN}; font-weight:bold;" if urgent else \
                f"background:{OK_TINT}; color:{OK}; font-weight:bold;"
        self.setText(text)
        self.setStyleSheet(style + " border-radius:4px;")

"""The 5-minute dispatch clock shown while the intake form is open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from jingyuan_desktop.domain.calendar import WorkCalendar, at_local, local
from jingyuan_desktop.domain.clocks import ClockSettings, add_office_minutes


def office_time_between(start: datetime, end: datetime, calendar: WorkCalendar, settings: ClockSettings) -> timedelta:
    """Office time from ``start`` to ``end`` (negative when ``end`` is earlier).

    The dispatch limit counts office minutes only, so a form opened at 16:58 still has its
    5 minutes: 2 today and 3 after tomorrow's opening.
    """
    if end < start:
        return -office_time_between(end, start, calendar, settings)
    start, end = local(start), local(end)
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            opens = max(start, at_local(day, settings.office_start))
            closes = min(end, at_local(day, settings.office_end))
            if closes > opens:
                total += closes - opens
        day += timedelta(days=1)
    return total


def in_office_time(moment: datetime, calendar: WorkCalendar, settings: ClockSettings) -> bool:
    moment = local(moment)
    return calendar.is_working_day(moment.date()) and settings.office_start <= moment.time() < settings.office_end


def format_short(delta: timedelta) -> str:
    seconds = abs(int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}小时{minutes:02d}分" if hours else f"{minutes}分{secs:02d}秒"


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
            text = f"交办时限 {shown}（已超时 {format_short(left)}，请尽快分类交办）"
            style = "background:#f8c4c4; color:#a4161a; font-weight:bold;"
        else:
            waiting = "" if in_office_time(now, self.calendar, self.settings) else "，上班后继续计时"
            text = f"交办时限 {shown}（剩余 {format_short(left)}{waiting}）"
            urgent = left < timedelta(minutes=1)
            style = "background:#ffd8a8; color:#7a3e00; font-weight:bold;" if urgent else \
                "background:#e6f4ea; color:#1e5631; font-weight:bold;"
        self.setText(text)
        self.setStyleSheet(style + " border-radius:4px;")

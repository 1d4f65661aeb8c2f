"""The rows of the timer panel: one running clock each, counting down against an injected now."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from jingyuan_desktop.domain.clocks import Clock
from jingyuan_desktop.domain.durations import Grain, left_text
from jingyuan_desktop.domain.enums import ClockName
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, OK_TINT, SOON_TINT, URGENT_TINT
from jingyuan_desktop.ui.widgets.text import format_moment

CASE_NO, CLOCK, DUE, LEFT = range(4)
HEADERS = ["案件编号", "时限", "截止时间", "剩余"]

ClockRole = Qt.ItemDataRole.UserRole + 1
UrgencyRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


class Urgency(IntEnum):
    PLENTY = 0
    UNDER_HALF = 1
    UNDER_FIFTH = 2
    OVERDUE = 3


URGENCY_TEXT = {
    Urgency.PLENTY: "时间充裕",
    Urgency.UNDER_HALF: "剩余不足一半",
    Urgency.UNDER_FIFTH: "剩余不足五分之一",
    Urgency.OVERDUE: "已超时",
}
# Light fills keep black text readable on a projector; the red row also gets red text so it
# still stands out on a screen that washes pale colours out.
BACKGROUND = {
    Urgency.PLENTY: QColor(OK_TINT),
    Urgency.UNDER_HALF: QColor(SOON_TINT),
    Urgency.UNDER_FIFTH: QColor(URGENT_TINT),
    Urgency.OVERDUE: QColor(ALARM_TINT),
}
OVERDUE_TEXT = QColor(ALARM)


def urgency(clock: Clock, now: datetime) -> Urgency:
    """How pressing a clock is: by the share of its span (due - started) still left."""
    left = clock.due_at - now
    if left < timedelta(0):
        return Urgency.OVERDUE
    if clock.started_at is None:
        return Urgency.PLENTY
    span = clock.due_at - clock.started_at
    if span <= timedelta(0):
        return Urgency.UNDER_FIFTH
    if left < span / 5:
        return Urgency.UNDER_FIFTH
    if left < span / 2:
        return Urgency.UNDER_HALF
    return Urgency.PLENTY


def format_countdown(delta: timedelta) -> str:
    """剩余 3分12秒 / 超时 1小时05分: seconds shown while they matter, i.e. under an hour."""
    return left_text(delta, Grain.SECONDS)


def clock_key(clock: Clock) -> tuple[str, str, int]:
    """One clock across reloads: the same case, kind and sequence number."""
    return clock.case_no, clock.name.value, clock.seq


def sort_key(clock: Clock):
    # The same order as services.deadlines, so the panel reads like `jingyuan deadlines`.
    return clock.due_at, clock.case_no, clock.name.value, clock.seq


class ClockTableModel(QAbstractTableModel):
    """Clocks sorted by time left (i.e. by due time, since every row shares one now)."""

    def __init__(self, now: datetime, parent=None):
        super().__init__(parent)
        self._clocks: list[Clock] = []
        self._now = now

    # ---- feeding ------------------------------------------------------------------
    def set_clocks(self, clocks: list[Clock]) -> None:
        self.beginResetModel()
        self._clocks = sorted(clocks, key=sort_key)
        self.endResetModel()

    def replace_cases(self, case_nos: set[str], clocks: list[Clock]) -> None:
        """Put ``clocks`` in place of every clock of ``case_nos`` (after those cases changed)."""
        kept = [c for c in self._clocks if c.case_no not in case_nos]
        self.set_clocks(kept + [c for c in clocks if c.case_no in case_nos])

    def set_now(self, now: datetime) -> None:
        """Move the clock: only the countdown and the colours change, so only they repaint."""
        self._now = now
        if self._clocks:
            top = self.index(0, 0)
            bottom = self.index(len(self._clocks) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                                                Qt.ItemDataRole.ForegroundRole, UrgencyRole])

    @property
    def now(self) -> datetime:
        return self._now

    def clocks(self) -> list[Clock]:
        return list(self._clocks)

    def clock_at(self, row: int) -> Clock | None:
        return self._clocks[row] if 0 <= row < len(self._clocks) else None

    # ---- Qt -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._clocks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        clock = self.clock_at(index.row()) if index.isValid() else None
        if clock is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(clock, column)
        if role == ClockRole:
            return clock
        if role == UrgencyRole:
            return urgency(clock, self._now)
        if role == SortRole:
            return clock.due_at.timestamp()
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(BACKGROUND[urgency(clock, self._now)])
        if role == Qt.ItemDataRole.ForegroundRole and urgency(clock, self._now) == Urgency.OVERDUE:
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            started = format_moment(clock.started_at) if clock.started_at else "—"
            return (f"{clock.case_no} {clock.name.label}\n起算：{started}\n截止：{format_moment(clock.due_at)}\n"
                    f"{URGENCY_TEXT[urgency(clock, self._now)]}；单击打开案件")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == LEFT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, clock: Clock, column: int) -> str:
        if column == CASE_NO:
            return clock.case_no
        if column == CLOCK:
            # Several daily progress or supervision clocks: the number tells them apart.
            if clock.seq == 1:
                return clock.name.label
            unit = "天" if clock.name == ClockName.PROGRESS else "次"
            return f"{clock.name.label}（第{clock.seq}{unit}）"
        if column == DUE:
            return format_moment(clock.due_at)
        return format_countdown(clock.due_at - self._now)

"""The rows of the timer panel, counting down against an injected now.

Clocks still running come first, soonest due at the top: the one a clerk must act on next
is always in view. A case's overdue clocks share one row at the bottom, with their count, so
one late case with thirty daily-progress clocks does not fill the panel. Three columns fit a
side dock on a 1366-pixel screen; the due time is in each row's tooltip.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from jingyuan_desktop.domain.clocks import Clock
from jingyuan_desktop.domain.durations import Grain, left_text
from jingyuan_desktop.domain.enums import ClockName, owner_label
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, OK_TINT, SOON_TINT, URGENT_TINT
from jingyuan_desktop.ui.widgets.list_model import Index, ListTableModel
from jingyuan_desktop.ui.widgets.text import format_moment

CASE_NO, CLOCK, LEFT = range(3)
HEADERS = ["案件编号", "时限", "剩余"]

ClockRole = Qt.ItemDataRole.UserRole + 1
UrgencyRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3



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


@dataclass(frozen=True)
class PanelRow:
    """One line of the panel: a running clock, or all overdue clocks of one case."""

    clocks: tuple[Clock, ...]  # by due time; the first is the soonest (or the longest overdue)
    overdue: bool

    @property
    def first(self) -> Clock:
        return self.clocks[0]

    @property
    def key(self) -> tuple:
        return ("overdue", self.first.case_no) if self.overdue else clock_key(self.first)


def panel_rows(clocks: list[Clock], now: datetime, *, dues: list[datetime] | None = None) -> list[PanelRow]:
    """Running clocks soonest first, then one row per case with overdue clocks, the case
    that most recently ran late first. ``dues``: the due times of ``clocks``, given when they
    are in ``sort_key`` order already."""
    if dues is None:
        clocks = sorted(clocks, key=sort_key)
        dues = [c.due_at for c in clocks]
    split = bisect_left(dues, now)  # the overdue ones first (due before now)
    late: dict[str, list[Clock]] = {}
    for clock in clocks[:split]:
        late.setdefault(clock.case_no, []).append(clock)
    groups = sorted(late.values(), key=lambda group: (group[-1].due_at, group[0].case_no), reverse=True)
    return [PanelRow((c,), False) for c in clocks[split:]] + [PanelRow(tuple(group), True) for group in groups]


@dataclass(frozen=True)
class PanelClocks:
    """The panel's clocks laid out for the model: in ``sort_key`` order, with their due times,
    their keys and the rows as of ``now``. Made in the pool after a full read (``of``), so the
    UI thread only swaps them in: at a county's size that is 12,500 clocks to sort and group."""

    clocks: list[Clock]
    dues: list[datetime]
    keys: list[tuple[str, str, int]]
    rows: list[PanelRow]
    now: datetime

    @classmethod
    def of(cls, clocks: list[Clock], now: datetime) -> PanelClocks:
        ordered = sorted(clocks, key=sort_key)
        dues = [c.due_at for c in ordered]
        return cls(ordered, dues, [clock_key(c) for c in ordered], panel_rows(ordered, now, dues=dues), now)


def clock_label(clock: Clock) -> str:
    """交办时限, or 每日进展时限（第3天） when a case has several of a kind."""
    if clock.seq == 1:
        return clock.name.label
    unit = "天" if clock.name == ClockName.PROGRESS else "次"
    return f"{clock.name.label}（第{clock.seq}{unit}）"


def group_label(clocks: tuple[Clock, ...]) -> str:
    """超时 3 项：到场时限、每日进展时限（第28–29天）: kinds in order, sequences as ranges."""
    if len(clocks) == 1:
        return clock_label(clocks[0])
    seqs: dict[ClockName, list[int]] = {}
    for clock in clocks:
        seqs.setdefault(clock.name, []).append(clock.seq)
    parts = []
    for name, numbers in seqs.items():
        if len(numbers) == 1 and numbers[0] == 1:
            parts.append(name.label)
            continue
        unit = "天" if name == ClockName.PROGRESS else "次"
        low, high = min(numbers), max(numbers)
        parts.append(f"{name.label}（第{low}{unit}）" if low == high else f"{name.label}（第{low}–{high}{unit}）")
    return f"超时 {len(clocks)} 项：" + "、".join(parts)


class ClockTableModel(ListTableModel):
    """Clocks sorted by time left (i.e. by due time, since every row shares one now)."""

    HEADERS = HEADERS

    def __init__(self, now: datetime, parent=None):
        super().__init__(parent)
        self._clocks: list[Clock] = []
        self._dues: list[datetime] = []  # ascending, as sort_key orders by due time first
        self._keys: list[tuple[str, str, int]] = []
        self._rows: list[PanelRow] = []
        self._now = now

    # ---- feeding ------------------------------------------------------------------
    def set_clocks(self, clocks: list[Clock]) -> None:
        self.set_prepared(PanelClocks.of(clocks, self._now))

    def set_prepared(self, prepared: PanelClocks) -> None:
        """Show ``prepared``; its rows are laid out again only if a clock ran out between its
        moment and the model's."""
        earlier, later = sorted((prepared.now, self._now))
        crossed = bisect_left(prepared.dues, later) > bisect_left(prepared.dues, earlier)
        self.beginResetModel()
        self._clocks, self._dues, self._keys = prepared.clocks, prepared.dues, prepared.keys
        self._rows = panel_rows(self._clocks, self._now, dues=self._dues) if crossed else prepared.rows
        self.endResetModel()

    def split_at(self, now: datetime) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]], list[Clock]]:
        """The keys of the clocks still running at ``now`` (due at or after it), and the keys
        and clocks of those past due, each in order: found by bisecting, not by walking."""
        split = bisect_left(self._dues, now)
        return self._keys[split:], self._keys[:split], self._clocks[:split]

    def replace_cases(self, case_nos: set[str], clocks: list[Clock]) -> None:
        """Put ``clocks`` in place of every clock of ``case_nos`` (after those cases changed)."""
        kept = [c for c in self._clocks if c.case_no not in case_nos]
        self.set_clocks(kept + [c for c in clocks if c.case_no in case_nos])

    def set_now(self, now: datetime) -> None:
        """Move the clock: the countdown and colours repaint; the rows are laid out again only
        when a clock has just run out (it leaves the running list for its case's late row).

        This runs every second over every open clock, so whether one ran out is found by
        bisecting the sorted due times, not by laying the rows out again.
        """
        earlier, later = sorted((self._now, now))
        crossed = bisect_left(self._dues, later) > bisect_left(self._dues, earlier)
        self._now = now
        if crossed:
            self.beginResetModel()
            self._rows = panel_rows(self._clocks, now, dues=self._dues)
            self.endResetModel()
            return
        if self._rows:
            top = self.index(0, 0)
            bottom = self.index(len(self._rows) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                                                Qt.ItemDataRole.ForegroundRole, UrgencyRole])

    @property
    def now(self) -> datetime:
        return self._now

    def clocks(self) -> list[Clock]:
        return list(self._clocks)

    def clock_count(self) -> int:
        return len(self._clocks)

    def due_between(self, start: datetime, end: datetime) -> list[Clock]:
        """The clocks due at or after ``start`` and before ``end``, found by bisecting the sorted
        due times: the panel's tick looks at these only, not at every open clock each second."""
        return self._clocks[bisect_left(self._dues, start):bisect_left(self._dues, end)]

    def overdue_count(self) -> int:
        """How many clocks are past due at the model's now."""
        return bisect_left(self._dues, self._now)

    def clock_at(self, row: int) -> Clock | None:
        """The row's clock: the soonest of a running row, the longest overdue of a late row."""
        return self._rows[row].first if 0 <= row < len(self._rows) else None

    def row_at(self, row: int) -> PanelRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: tuple) -> int:
        """The row showing the clock ``key`` (a running row, or its case's late row), or -1."""
        for number, row in enumerate(self._rows):
            if any(clock_key(c) == key for c in row.clocks):
                return number
        return -1

    # ---- Qt -----------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        clock, column = row.first, index.column()
        level = urgency(clock, self._now)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == ClockRole:
            return clock
        if role == UrgencyRole:
            return level
        if role == SortRole:
            return clock.due_at.timestamp()
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(BACKGROUND[level])
        if role == Qt.ItemDataRole.ForegroundRole and level == Urgency.OVERDUE:
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == LEFT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: PanelRow, column: int) -> str:
        if column == CASE_NO:
            return row.first.case_no
        if column == CLOCK:
            return group_label(row.clocks)
        return format_countdown(row.first.due_at - self._now)

    def _tooltip(self, row: PanelRow) -> str:
        lines = [row.first.case_no]
        for clock in row.clocks:
            started = format_moment(clock.started_at) if clock.started_at else "—"
            lines.append(f"{clock_label(clock)}（{owner_label(clock.owner)}负责）：{started} 起算，"
                         f"{format_moment(clock.due_at)} 截止")
        lines.append(f"{URGENCY_TEXT[urgency(row.first, self._now)]}；单击打开案件")
        return "\n".join(lines)

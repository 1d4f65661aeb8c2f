"""The prevention duties in the timer panel: grid patrols, the village officers' visits and the
key-person visits (services.prevention.duties), beside the case clocks.

Laid out as the case clocks are: duties still open first, soonest due at the top; then one row
a subject (a grid, an officer's village, a key person) with its overdue duties and their
count, so a grid missed four weeks running takes one red row, not four.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.durations import Grain, left_text
from jingyuan_desktop.domain.enums import ClockState
from jingyuan_desktop.domain.prevention_clocks import Duty
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, SOON_TINT
from jingyuan_desktop.ui.widgets.list_model import Index, ListTableModel

KIND, LABEL, OWNER, DUE = range(4)
HEADERS = ["排查类型", "内容", "责任人", "期限"]

DutyRole = Qt.ItemDataRole.UserRole + 1
OverdueRole = Qt.ItemDataRole.UserRole + 2



def day_text(duty: Duty) -> str:
    day = duty.due_day
    return f"{day.month}月{day.day}日"


def is_overdue(duty: Duty, now: datetime) -> bool:
    """As the service said at the last read, or its due time has come since (a pending duty
    the panel watched run out between two reads)."""
    return duty.state == ClockState.OVERDUE or (duty.state == ClockState.PENDING and duty.due_at <= now)


def duty_key(duty: Duty) -> tuple:
    return duty.name.value, duty.subject, duty.period_start, duty.seq, duty.daily


@dataclass(frozen=True)
class DutyRow:
    duties: tuple[Duty, ...]  # an open duty alone, or a subject's overdue duties, latest first
    overdue: bool

    @property
    def first(self) -> Duty:
        return self.duties[0]


def duty_rows(duties: list[Duty], now: datetime) -> list[DutyRow]:
    """Open duties soonest first, then one row a subject with its overdue duties, the subject
    most recently run late first."""
    ordered = sorted(duties, key=lambda d: (d.due_at, d.village, d.subject, d.seq))
    rows = [DutyRow((d,), False) for d in ordered if not is_overdue(d, now)]
    late: dict[tuple[str, str], list[Duty]] = {}
    for duty in ordered:
        if is_overdue(duty, now):
            late.setdefault((duty.name.value, duty.subject), []).append(duty)
    groups = sorted(late.values(), key=lambda group: (group[-1].due_at, group[-1].subject), reverse=True)
    return rows + [DutyRow(tuple(reversed(group)), True) for group in groups]


def row_label(row: DutyRow) -> str:
    if len(row.duties) == 1:
        return row.first.label
    return f"超时 {len(row.duties)} 项：{row.first.label} 等"


class DutyTableModel(ListTableModel):
    HEADERS = HEADERS

    def __init__(self, now: datetime, parent=None):
        super().__init__(parent)
        self._duties: list[Duty] = []
        self._rows: list[DutyRow] = []
        self._now = now

    def set_duties(self, duties: list[Duty]) -> None:
        self.beginResetModel()
        self._duties = list(duties)
        self._rows = duty_rows(self._duties, self._now)
        self.endResetModel()

    def set_now(self, now: datetime) -> None:
        """Move the clock; the rows are laid out again only when a duty has just run out."""
        before = sum(is_overdue(d, self._now) for d in self._duties)
        self._now = now
        if sum(is_overdue(d, now) for d in self._duties) != before:
            self.beginResetModel()
            self._rows = duty_rows(self._duties, now)
            self.endResetModel()
        elif self._rows:
            self.dataChanged.emit(self.index(0, DUE), self.index(len(self._rows) - 1, DUE))

    def duties(self) -> list[Duty]:
        return list(self._duties)

    def overdue_count(self) -> int:
        return sum(is_overdue(d, self._now) for d in self._duties)

    def row_at(self, row: int) -> DutyRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # ---- Qt -----------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        duty, column = row.first, index.column()
        late = is_overdue(duty, self._now)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == DutyRole:
            return duty
        if role == OverdueRole:
            return late
        if role == Qt.ItemDataRole.BackgroundRole:
            if late:
                return QBrush(QColor(ALARM_TINT))
            return QBrush(QColor(SOON_TINT)) if local(duty.due_at).date() <= local(self._now).date() else None
        if role == Qt.ItemDataRole.ForegroundRole and late:
            return QBrush(QColor(ALARM))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        return None

    def _text(self, row: DutyRow, column: int) -> str:
        duty = row.first
        if column == KIND:
            return duty.name.label
        if column == LABEL:
            return row_label(row)
        if column == OWNER:
            return duty.owner
        if is_overdue(duty, self._now):
            return left_text(duty.due_at - self._now, Grain.MINUTES)
        return f"至{day_text(duty)}"

    def _tooltip(self, row: DutyRow) -> str:
        lines = []
        for duty in row.duties:
            opens = f"{duty.period_start.month}月{duty.period_start.day}日"
            state = "已超时" if is_overdue(duty, self._now) else left_text(duty.due_at - self._now, Grain.MINUTES)
            lines.append(f"{duty.name.label}：{duty.label}（{duty.owner}负责）：{opens}起，"
                         f"{day_text(duty)}当天内完成；{state}")
        lines.append("单击打开“排查预防”页")
        return "\n".join(lines)

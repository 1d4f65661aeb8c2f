"""The patrol log as a table: one row an entry, with the case a finding became."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from jingyuan_desktop.domain.prevention import Patrol
from jingyuan_desktop.ui.palette import INFO, WARN_TINT
from jingyuan_desktop.ui.widgets.list_model import Index, ListTableModel
from jingyuan_desktop.ui.widgets.text import format_moment

AT, WORKER, ROLE, VILLAGE, GRID, HOUSEHOLDS, FINDINGS, CASE = range(8)
HEADERS = ["走访时间", "走访人", "身份", "村（社区）", "网格", "户数", "发现情况", "案件"]
NO_CASE_HINT = "可转为案件"

PatrolItemRole = Qt.ItemDataRole.UserRole + 1  # the Patrol itself
SortRole = Qt.ItemDataRole.UserRole + 2



# Workers often write that they found nothing ("无异常", "未发现矛盾纠纷和安全隐患"). Such a row
# is not highlighted as waiting to become a case; it can still be turned into one.
_NOTHING = ("无", "没有", "未发现", "正常")
_NOTHING_MAX_LEN = 16


def says_nothing_found(findings: str) -> bool:
    text = findings.strip().rstrip("。.；;")
    return not text or (len(text) <= _NOTHING_MAX_LEN and text.startswith(_NOTHING) and "但" not in text)


def convertible(patrol: Patrol) -> bool:
    """A row the 转为案件 button acts on: something written and no case made of it yet."""
    return bool(patrol.findings.strip()) and not patrol.case_no


def awaiting_case(patrol: Patrol) -> bool:
    """A row shown as a finding still waiting to become a case."""
    return convertible(patrol) and not says_nothing_found(patrol.findings)


class PatrolTableModel(ListTableModel):
    HEADERS = HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[Patrol] = []

    def set_patrols(self, patrols: list[Patrol]) -> None:
        self.beginResetModel()
        self._rows = sorted(patrols, key=lambda p: (p.at, p.id or 0), reverse=True)
        self.endResetModel()

    def patrol_at(self, row: int) -> Patrol | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, patrol_id: int | None) -> int:
        return next((n for n, p in enumerate(self._rows) if p.id == patrol_id), -1)

    def patrols(self) -> list[Patrol]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        patrol = self.patrol_at(index.row()) if index.isValid() else None
        if patrol is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(patrol, column)
        if role == PatrolItemRole:
            return patrol
        if role == SortRole:
            return patrol.at.timestamp() if column == AT else self._text(patrol, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == FINDINGS:
            return patrol.findings or None
        if role == Qt.ItemDataRole.ToolTipRole and column == CASE:
            if patrol.case_no:
                return "双击打开该案件"
            return "选中后按“转为案件”登记为案件" if awaiting_case(patrol) else None
        if role == Qt.ItemDataRole.ForegroundRole and column == CASE and patrol.case_no:
            return QBrush(QColor(INFO))
        if role == Qt.ItemDataRole.BackgroundRole and awaiting_case(patrol):
            return QBrush(QColor(WARN_TINT))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == HOUSEHOLDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(patrol: Patrol, column: int) -> str:
        if column == AT:
            return format_moment(patrol.at)
        if column == WORKER:
            return patrol.worker
        if column == ROLE:
            return patrol.role.label
        if column == VILLAGE:
            return patrol.village
        if column == GRID:
            return patrol.grid or "—"
        if column == HOUSEHOLDS:
            return str(patrol.households)
        if column == FINDINGS:
            return patrol.findings.replace("\n", " ") or "无异常"
        if patrol.case_no:
            return patrol.case_no
        return NO_CASE_HINT if awaiting_case(patrol) else ""

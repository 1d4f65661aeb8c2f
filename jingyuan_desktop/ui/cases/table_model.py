"""The case table over the database: only the pages on screen are ever read.

``rowCount`` is the database count; ``data`` asks for the page holding the row and keeps a
few pages (LRU), so 100,000 cases cost no more than 200. Counting and reading pages run in
the thread pool, never on the UI thread: a search over 100,000 summaries takes most of a
second, and the window must not stop for it. Until its page arrives a row shows empty; the
cells are repainted when it comes. Sorting is done by the database. The 当前时限 cells are
filled in a worker after a page arrives.

At start the first count and page may come from ``quick_read`` instead (``services.start``:
read without the database layer, on this thread, before the window is first painted); the
services are imported by the work that calls them, in the pool.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from jingyuan_desktop.domain.clocks import Clock
from jingyuan_desktop.domain.enums import Grade, Risk, Status, colour_text
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.services.case_list import has_clocks
from jingyuan_desktop.ui.ops import FOREGROUND, Change, Operations
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, INFO_TINT, WARN_TINT
from jingyuan_desktop.ui.widgets.text import format_moment, format_remaining, label_of

CaseNoRole = Qt.ItemDataRole.UserRole + 1  # the case number of the row (object role)
SortRole = Qt.ItemDataRole.UserRole + 2  # the raw value a column sorts by

# (key, header, order_by name the store sorts by)
COLUMNS = [
    ("case_no", "编号", "case_no"),
    ("received_at", "接收时间", "received_at"),
    ("village", "村（社区）", "village"),
    ("category", "类别", "category"),
    ("grade", "等级", "grade"),
    ("risk", "风险", "risk"),
    ("status", "状态", "status"),
    # The running clock lives in no column of the database; receipt order is the closest proxy.
    ("clock", "当前时限", "received_at"),
    ("handlers", "承办人", "received_at"),
]
COLUMN = {key: index for index, (key, _h, _o) in enumerate(COLUMNS)}

RISK_TINTS = {Risk.RED: QColor(ALARM_TINT), Risk.YELLOW: QColor(WARN_TINT), Risk.BLUE: QColor(INFO_TINT)}
OVERDUE_COLOUR = QColor(ALARM)


class FirstRows(Protocol):
    """The count and first page read at start (``services.start.QuickStart.first_page``)."""

    count: int
    rows: list


# (filters, order_by, descending, page size) -> the first rows, or None when not answered so
QuickRead = Callable[[CaseFilter, str, bool, int], FirstRows | None]


class CaseTableModel(QAbstractTableModel):
    sig_loaded = Signal()  # the count and the first rows are in (after a filter, sort or refresh)
    sig_clocks_loaded = Signal()  # 当前时限 cells of a page were filled in
    sig_page_loaded = Signal(int)  # a page asked for by the view arrived

    def __init__(self, ops: Operations, parent=None, *, page_size: int = 200, max_pages: int = 6, now=None):
        super().__init__(parent)
        self.ops = ops
        self.page_size = page_size
        self.max_pages = max_pages
        self.now = now or ops.ctx.now
        self.filters = CaseFilter()
        self.overdue_only = False
        self.order_by, self.descending = "received_at", True
        self._sort_column = COLUMN["received_at"]
        self._count = 0
        self._pages: OrderedDict[int, list] = OrderedDict()
        self._overdue_at: datetime | None = None  # the moment "只看超时" was asked for
        self._clocks: dict[str, Clock | None] = {}
        # After a change, the old clocks stay on screen until the new ones arrive (no flicker).
        self._stale_clocks: dict[str, Clock | None] = {}
        self._generation = 0  # results of an older query are dropped when they arrive
        self._pending: set[int] = set()  # pages asked for and not yet here
        self.loaded = False  # the first count has arrived
        self._refresh_due = False  # a read of the count and first page is scheduled
        self._reset_wanted = False
        # Asked once for the first count and page instead of the pool (see the module).
        self.quick_read: QuickRead | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        ops.sig_changed.connect(self._on_changed)
        # Time left changes with the time, not with the data: repaint that column now and then.
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._repaint_clocks)
        self._tick.start(30_000)

    # ---- what to show -------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        if change.any_case or change.reference:
            self.refresh()

    def set_filter(self, filters: CaseFilter, overdue_only: bool = False) -> None:
        self.filters, self.overdue_only = filters, overdue_only
        self.refresh(reset=True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column
        self.order_by = COLUMNS[column][2]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh(reset=True)

    def refresh(self, reset: bool = False) -> None:
        """Count again and read the first page, off the UI thread; forget the cached pages.

        When the count is unchanged the rows are only repainted, which keeps the selection
        and the scroll position while someone works through the list. Requests made in one
        turn of the event loop (the window restoring its sort, then its filter) make one read.
        """
        self._generation += 1
        self._pending.clear()
        self._reset_wanted = self._reset_wanted or reset
        if not self._refresh_due:
            self._refresh_due = True
            QTimer.singleShot(0, self, self._read_first_page)

    def read_now(self) -> None:
        """The read that ``refresh`` scheduled, now (at start, before the window is shown)."""
        if self._refresh_due:
            self._read_first_page()

    def _read_first_page(self) -> None:
        if not self._refresh_due:  # already read by ``read_now``
            return
        reset, self._reset_wanted, self._refresh_due = self._reset_wanted, False, False
        filters, order_by, descending, size = self._query_filters(), self.order_by, self.descending, self.page_size
        quick, self.quick_read = self.quick_read, None
        first = quick(filters, order_by, descending, size) if quick is not None else None
        if first is not None:
            self._counted(reset, first.count, first.rows)
            return

        def work(ctx):
            from jingyuan_desktop.services import queries

            count = queries.count_cases(ctx, filters)
            first = queries.page_cases(ctx, filters, order_by=order_by, descending=descending, offset=0, limit=size)
            return count, first

        # Only the newest count is delivered: a newer filter or sort supersedes this one.
        self.ops.run(work, owner=self, key="count", on_done=lambda result: self._counted(reset, *result),
                     on_error=self._failed, priority=FOREGROUND)

    def _counted(self, reset: bool, count: int, first: list) -> None:
        if reset or count != self._count:
            self.beginResetModel()
            self._count = count
            self._pages.clear()
            self._clocks.clear()
            self._stale_clocks.clear()
            self._pages[0] = first
            self.endResetModel()
        else:
            self._pages.clear()
            self._pages[0] = first
            self._stale_clocks = {**self._stale_clocks, **self._clocks}
            self._clocks = {}
            self._emit_all_changed()
        self._load_clocks(0, first)
        self.loaded = True
        self.sig_loaded.emit()

    def _failed(self, message: str) -> None:
        self.ops.sig_error.emit(f"案件列表读取失败：{message}")

    def _query_filters(self) -> CaseFilter:
        """The filter as asked for; with "只看超时", narrowed to cases overdue at this moment
        (the moment is kept for the pages read later, so that they agree with the count)."""
        if not self.overdue_only:
            return self.filters
        self._overdue_at = self.now()
        return dataclasses.replace(self.filters, overdue_at=self._overdue_at)

    # ---- reading rows -------------------------------------------------------------
    def row_at(self, row: int):
        """The CaseRow at ``row`` if its page is here; otherwise None, and the page is asked for."""
        if row < 0 or row >= self._count:
            return None
        number = row // self.page_size
        page = self._pages.get(number)
        if page is None:
            self._request_page(number)
            return None
        self._pages.move_to_end(number)
        index = row - number * self.page_size
        return page[index] if index < len(page) else None

    def has_page_of(self, row: int) -> bool:
        return (row // self.page_size) in self._pages

    def _request_page(self, number: int) -> None:
        if number in self._pending:
            return
        self._pending.add(number)
        generation = self._generation
        filters = dataclasses.replace(self.filters, overdue_at=self._overdue_at) if self.overdue_only else self.filters
        order_by, descending, size = self.order_by, self.descending, self.page_size
        def work(ctx):
            from jingyuan_desktop.services import queries

            return queries.page_cases(ctx, filters, order_by=order_by, descending=descending, offset=number * size,
                                      limit=size)

        self.ops.run(work,
                     owner=self, on_done=lambda page: self._page_arrived(generation, number, page),
                     on_error=self._failed, priority=FOREGROUND)

    def _page_arrived(self, generation: int, number: int, page: list) -> None:
        # Pages of different numbers are all wanted, so a page of an older query is told
        # apart by its generation rather than by the helper's newest-request rule.
        if generation != self._generation:
            return
        self._pending.discard(number)
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        first = number * self.page_size
        last = min(first + len(page), self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self._load_clocks(number, page)
        self.sig_page_loaded.emit(number)

    def _load_clocks(self, number: int, page: list) -> None:
        wanted = [r.case_no for r in page if has_clocks(r.status) and r.case_no not in self._clocks]
        for row in page:
            if not has_clocks(row.status):
                self._clocks[row.case_no] = None
        if not wanted:
            return
        generation, now = self._generation, self.now()

        def done(found: dict) -> None:
            if generation != self._generation:
                return
            self._clocks.update(found)
            first = number * self.page_size
            last = min(first + len(page), self._count) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
            self.sig_clocks_loaded.emit()

        def work(ctx):
            from jingyuan_desktop.services.case_list import nearest_clocks

            return nearest_clocks(ctx, wanted, now)

        self.ops.run(work, owner=self, on_done=done, priority=FOREGROUND)

    def clock_of(self, case_no: str) -> Clock | None:
        if case_no in self._clocks:
            return self._clocks[case_no]
        return self._stale_clocks.get(case_no)

    def row_of_case(self, case_no: str) -> int:
        """The row of a case among the cached rows, or -1; used to keep the selection."""
        for number, page in self._pages.items():
            for i, row in enumerate(page):
                if row.case_no == case_no:
                    return number * self.page_size + i
        return -1

    # ---- Qt model -----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and COLUMNS[section][0] in ("clock", "handlers")):
            return "此列按接收时间排序"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == CaseNoRole:
            return row.case_no
        if role == SortRole:
            return getattr(row, COLUMNS[index.column()][2], None)
        if role == Qt.ItemDataRole.BackgroundRole:
            risk = _risk(row)
            tint = RISK_TINTS.get(risk) if risk is not None else None
            return QBrush(tint) if tint else None
        overdue = self._is_overdue(row)
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return QBrush(OVERDUE_COLOUR)
        # Bold only where the eye should land; a whole bold row would shout across the table.
        if role == Qt.ItemDataRole.FontRole and overdue and key in ("case_no", "clock"):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and key == "clock":
            clock = self.clock_of(row.case_no)
            return f"{clock.name.label}：{format_moment(clock.due_at, with_year=True)} 到期" if clock else None
        return None

    def _display(self, row, key: str) -> str:
        if key == "received_at":
            return format_moment(row.received_at, with_year=True)
        if key == "grade":
            return label_of(Grade, row.grade)
        if key == "risk":
            # The store keeps "" for a case not yet classified: 未定 (seed 003).
            risk = _risk(row)
            return colour_text(risk) if risk is not None or not row.risk else str(row.risk)
        if key == "status":
            return label_of(Status, row.status)
        if key == "clock":
            if not has_clocks(row.status):
                return ""
            if row.case_no not in self._clocks and row.case_no not in self._stale_clocks:
                return "…"
            clock = self.clock_of(row.case_no)
            return f"{clock.name.label} {format_remaining(clock.due_at - self.now())}" if clock else ""
        if key == "handlers":
            return _handlers_text(row)
        return str(getattr(row, key, "") or "")

    def _is_overdue(self, row) -> bool:
        clock = self.clock_of(row.case_no)
        return clock is not None and clock.due_at < self.now()

    def _emit_all_changed(self) -> None:
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    def _repaint_clocks(self) -> None:
        # A row turning overdue changes its colour in every column, not only 当前时限.
        self._emit_all_changed()


def _risk(row) -> Risk | None:
    try:
        return Risk(row.risk) if row.risk else None
    except ValueError:
        return None


def _handlers_text(row) -> str:
    leader = getattr(row, "leader", "") or ""
    handlers = list(getattr(row, "handlers", None) or [])
    if leader and leader in handlers:
        handlers.remove(leader)
        handlers.insert(0, leader)
    return "、".join(handlers)

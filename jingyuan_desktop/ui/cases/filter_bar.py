"""The bar above the case table: what to show, and one search box for everything else."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from jingyuan_desktop.domain.enums import NO_COLOUR, Grade, Risk, Status, UnitKind, colour_text
from jingyuan_desktop.ui.cases.filters import NO_RISK, PERIODS, TableFilter
from jingyuan_desktop.ui.ops import FOREGROUND, Operations

OPEN = [s.value for s in Status if s.is_open]
# Handled but not yet filed: resolved, handed back to the police or declined, and fed back.
AFTER_RESOLUTION = [Status.RESOLVED.value, Status.VISITED.value, Status.RETURNED.value, Status.DECLINED.value,
                    Status.FED_BACK.value]
# Groups first, because "everything still open" is what the office asks for most.
STATUS_CHOICES = [("全部状态", []), ("在办（未化解）", OPEN), ("待回访/反馈/归档", AFTER_RESOLUTION)] + [
    (s.label, [s.value]) for s in Status
]
SEARCH_DELAY_MS = 300


class FilterBar(QWidget):
    sig_filter_changed = Signal(object)  # a TableFilter
    sig_search_entered = Signal(str)  # Enter in the search box (a barcode scanner ends with it)

    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.tree = None  # the category tree, so a major class can match its minors
        # Filters asked for before the villages and categories arrived (the last session's,
        # at start): applied once the lists are there, so a saved village is not lost.
        self._pending: TableFilter | None = None
        self.choices_loaded = False
        self.quick_choices: Callable[[], tuple | None] | None = None
        self._quiet = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)

        self.status = self._combo("状态", [(label, codes) for label, codes in STATUS_CHOICES])
        self.village = self._combo("村（社区）", [("全部村（社区）", "")])
        self.category = self._combo("类别", [("全部类别", "")])
        self.grade = self._combo("等级", [("全部等级", "")] + [(g.label, g.value) for g in Grade])
        self.risk = self._combo("风险", [("全部风险", "")] + [(colour_text(r), r.value) for r in Risk]
                                + [(NO_COLOUR, NO_RISK)])
        self.period = self._combo("接收时间", [("全部时间" if code == "all" else label, code)
                                           for code, label in PERIODS.items()])
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setVisible(False)
            edit.dateChanged.connect(self._changed)
        self.overdue = QCheckBox("只看超时", self)
        self.overdue.setToolTip("只显示有时限已超时的在办案件")
        self.overdue.toggled.connect(self._changed)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("搜索编号、简要情况、地点、当事人（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)

        for widget in (self.status, self.village, self.category, self.grade, self.risk, self.period,
                       self.date_from, self.date_to, self.overdue):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(QLabel("搜索", self))
        layout.addWidget(self.search, 2)

        # Typing waits for a short pause so each keystroke does not query the database.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._changed)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._on_return)
        self.period.currentIndexChanged.connect(self._show_dates)

    def _combo(self, tip: str, items) -> QComboBox:
        combo = QComboBox(self)
        combo.setToolTip(tip)
        for label, data in items:
            combo.addItem(label, data)
        combo.currentIndexChanged.connect(self._changed)
        return combo

    def reload_choices(self) -> None:
        """Villages and categories are office data and may change while the window is open.

        At start they may come from ``quick_choices`` (``services.start``: read on this thread
        before the database layer is imported), once."""
        quick, self.quick_choices = self.quick_choices, None
        first = quick() if quick is not None else None
        if first is not None:
            self._choices_arrived(first)
            return

        def read(ctx):
            from jingyuan_desktop.services import queries  # in the pool: the database layer

            villages = [u.name for u in queries.units(ctx, UnitKind.VILLAGE, UnitKind.COMMUNITY)]
            return villages, queries.category_tree(ctx)

        # As urgent as the table's rows: the last session's filter is applied once they are in.
        self.ops.run(read, owner=self, key="choices", on_done=self._choices_arrived, priority=FOREGROUND)

    def _choices_arrived(self, data) -> None:
        villages, tree = data
        self.tree = tree
        categories = []
        for major, minors in tree.tree.items():
            categories.append((major, major))
            categories.extend((f"　{minor}", minor) for minor in minors)
        self._refill(self.village, [("全部村（社区）", ""), *((v, v) for v in villages)])
        self._refill(self.category, [("全部类别", ""), *categories])
        self.choices_loaded = True
        if self._pending is not None:
            wanted, self._pending = self._pending, None
            self.apply(wanted)

    def _refill(self, combo: QComboBox, items) -> None:
        current = combo.currentData()
        self._quiet = True
        combo.clear()
        for label, data in items:
            combo.addItem(label, data)
        _select(combo, current)
        self._quiet = False

    def _show_dates(self) -> None:
        custom = self.period.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)

    def _on_return(self) -> None:
        # A scanner types faster than the debounce: apply the text before anyone looks it up.
        if self._debounce.isActive():
            self._debounce.stop()
            self._changed()
        self.sig_search_entered.emit(self.search.text().strip())

    def _changed(self, *_args) -> None:
        if not self._quiet:
            self.sig_filter_changed.emit(self.current())

    def current(self) -> TableFilter:
        return TableFilter(
            statuses=list(self.status.currentData() or []),
            village=self.village.currentData() or "",
            category=self.category.currentData() or "",
            grade=self.grade.currentData() or "",
            risk=self.risk.currentData() or "",
            period=self.period.currentData() or "all",
            date_from=self.date_from.date().toString("yyyy-MM-dd") if self.period.currentData() == "custom" else "",
            date_to=self.date_to.date().toString("yyyy-MM-dd") if self.period.currentData() == "custom" else "",
            text=self.search.text(),
            overdue_only=self.overdue.isChecked(),
        )

    def apply(self, wanted: TableFilter) -> None:
        """Show ``wanted`` (the last session's filters) without a signal per widget."""
        if not self.choices_loaded:
            self._pending = wanted
            return
        self._quiet = True
        for combo, value in ((self.status, wanted.statuses), (self.village, wanted.village),
                             (self.category, wanted.category), (self.grade, wanted.grade),
                             (self.risk, wanted.risk), (self.period, wanted.period)):
            _select(combo, value)
        for edit, text in ((self.date_from, wanted.date_from), (self.date_to, wanted.date_to)):
            if text:
                edit.setDate(QDate.fromString(text, "yyyy-MM-dd"))
        self.overdue.setChecked(wanted.overdue_only)
        self.search.setText(wanted.text)
        self._debounce.stop()
        self._show_dates()
        self._quiet = False
        self._changed()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()


def _select(combo: QComboBox, value) -> None:
    """Select the item whose data equals ``value`` (lists included), else the first."""
    for index in range(combo.count()):
        data = combo.itemData(index)
        if data == value or (isinstance(value, list) and list(data or []) == value):
            combo.setCurrentIndex(index)
            return
    combo.setCurrentIndex(0)

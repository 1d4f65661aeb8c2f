"""The timer dock: every running clock of every live case, counting down each second, and
below them the prevention duties (grid patrols, officers' visits, key-person visits)."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.clocks import Clock
from jingyuan_desktop.domain.prevention_clocks import Duty
from jingyuan_desktop.services.deadlines import case_deadlines, deadlines
from jingyuan_desktop.services.prevention.duties import current_duties
from jingyuan_desktop.ui.ops import BACKGROUND, Change, Operations
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT
from jingyuan_desktop.ui.prevention.changes import touches_prevention
from jingyuan_desktop.ui.timers.alerts import OverdueAlerts
from jingyuan_desktop.ui.timers.duties import DUE, KIND, LABEL, OWNER, DutyRole, DutyTableModel
from jingyuan_desktop.ui.timers.model import CASE_NO, CLOCK, LEFT, ClockTableModel, PanelClocks, clock_key

TICK_MS = 1000
RELOAD_MS = 60_000
RELOAD_SHARE = 10  # the pause between full reads is at least ten times the last read's length


class TimerPanel(QWidget):
    sig_open_case = Signal(str)
    # Each clock that ran out while the panel was watching it, exactly once.
    sig_clock_overdue = Signal(object)
    sig_loaded = Signal()
    sig_duties_loaded = Signal()
    """The prevention duties were read and are on screen."""
    sig_open_duty = Signal(object)
    """A prevention duty was clicked (a ``Duty``): show where it is done."""

    def __init__(self, ops: Operations, parent: QWidget | None = None, now: Callable[[], datetime] | None = None,
                 *, settings: QSettings | None = None):
        super().__init__(parent)
        self.ops = ops
        # With the context's own clock the service is asked for "now" itself: a moment taken here
        # would be a hair earlier than its own and make it read archived cases too.
        self._follows_ctx = now is None or now == ops.ctx.now
        self.now = now or ops.ctx.now
        self.alerts = OverdueAlerts(settings or QSettings(), self)
        self._seen_pending: set[tuple] = set()
        self._alerted: set[tuple] = set()
        self._last_tick: datetime | None = None
        self._clocks_read = False  # clocks were read since the last tick
        self._loading = False
        self._reload_again = False
        self._changed_during_load: set[str] = set()

        self.model = ClockTableModel(self.now(), self)
        self.summary = QLabel(self)
        self.summary.setStyleSheet("color: #444;")
        self.view = self._make_view()
        self.duty_model = DutyTableModel(self.now(), self)
        self.duty_summary = QLabel(self)
        self.duty_summary.setStyleSheet("color: #444;")
        self.duty_view = self._make_duty_view()
        self._duties_loading = False
        self.tray_box = QCheckBox("超时弹出提醒", self)
        self.tray_box.setToolTip("时限到期时在屏幕右下角弹出提醒（每项只提醒一次）；"
                                 "电脑没有系统托盘时改在本窗口内显示")
        self.tray_box.setChecked(self.alerts.tray_enabled)
        self.tray_box.toggled.connect(self.alerts.set_tray_enabled)
        self.sound_box = QCheckBox("超时提示音", self)
        self.sound_box.setToolTip("时限到期时响一声（每项只响一次）")
        self.sound_box.setChecked(self.alerts.sound_enabled)
        self.sound_box.toggled.connect(self.alerts.set_sound_enabled)

        self.banner = self._make_banner()
        self.alerts.sig_in_window.connect(self.show_banner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        cases = QWidget(split)
        top = QVBoxLayout(cases)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.summary)
        top.addWidget(self.view, 1)
        prevention = QWidget(split)
        bottom = QVBoxLayout(prevention)
        bottom.setContentsMargins(0, 4, 0, 0)
        title = QLabel("<b>排查走访</b>（网格巡查、民警进村走访、重点人员走访）", prevention)
        bottom.addWidget(title)
        bottom.addWidget(self.duty_summary)
        bottom.addWidget(self.duty_view, 1)
        split.addWidget(cases)
        split.addWidget(prevention)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.splitter = split
        layout.addWidget(split, 1)
        switches = QHBoxLayout()
        switches.addWidget(self.tray_box)
        switches.addWidget(self.sound_box)
        switches.addStretch(1)
        layout.addLayout(switches)
        self.setMinimumWidth(320)

        self._tick_timer = QTimer(self)
        self._tick_timer.timeout.connect(self.tick)
        self._tick_timer.start(TICK_MS)
        self._reload_timer = QTimer(self)
        self._reload_timer.timeout.connect(self.reload)
        self._reload_timer.start(RELOAD_MS)
        ops.sig_changed.connect(self._changed)
        self._update_summary()
        self.reload()

    def _make_banner(self) -> QFrame:
        """The alert when the computer has no tray to show it: red, in the panel, until 知道了."""
        banner = QFrame(self)
        banner.setObjectName("overdue_banner")
        banner.setStyleSheet(f"#overdue_banner {{ background: {ALARM_TINT}; border: 1px solid {ALARM}; }}")
        self.banner_text = QLabel(banner)
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.RichText)
        self.banner_text.setStyleSheet(f"color: {ALARM};")
        close = QPushButton("知道了", banner)
        close.setToolTip("关闭这条提醒（超时的时限仍以红色列在下方）")
        close.clicked.connect(banner.hide)
        row = QHBoxLayout(banner)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.banner_text, 1)
        row.addWidget(close)
        banner.hide()
        return banner

    def show_banner(self, title: str, text: str) -> None:
        lines = html.escape(text).replace("\n", "<br>")
        self.banner_text.setText(f"<b>{html.escape(title)}</b><br>{lines}")
        self.banner.show()

    def _list_view(self, model, stretch: int, widths: dict[int, str]) -> QTableView:
        """A read-only list of the dock. It is narrow on a 1366-pixel screen: the ``stretch``
        column takes what the others leave and is cut with … (the whole text is in the tooltip).
        The others are as wide as ``widths``' sample texts in this screen's font, not measured
        from the rows: Qt would read up to 1,000 rows' texts through Python at every reset (each
        load, each clock running out, even with the dock hidden), a quarter of a second of the
        UI thread."""
        view = QTableView(self)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(24)
        view.setWordWrap(False)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = view.horizontalHeader()
        metrics, padding = view.fontMetrics(), 18
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for column, sample in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + padding)
        header.setStretchLastSection(False)
        return view

    def _make_view(self) -> QTableView:
        view = self._list_view(self.model, CLOCK, {CASE_NO: "FZ-2026-00001", LEFT: "超时 99天23小时"})
        view.clicked.connect(self._open)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self._open(view.currentIndex()))
        return view

    def _make_duty_view(self) -> QTableView:
        view = self._list_view(self.duty_model, LABEL,
                               {KIND: "重点人员走访", OWNER: "欧阳网格", DUE: "超时 9天23小时"})
        view.clicked.connect(self._open_duty)
        return view

    def _open_duty(self, index: QModelIndex) -> None:
        duty = index.data(DutyRole) if index.isValid() else None
        if duty is not None:
            self.sig_open_duty.emit(duty)

    def reload_duties(self) -> None:
        """Read the prevention duties again (a few thousand at most: always all of them); the
        newest request wins."""
        self._duties_loading = True
        at = None if self._follows_ctx else self.now()
        # After the case clocks: a missed patrol is not a five-minute dispatch deadline.
        self.ops.run(lambda ctx: current_duties(ctx, at), owner=self, key="duties", on_done=self._duties_loaded,
                     on_error=self._duties_failed, priority=BACKGROUND)

    def _duties_loaded(self, duties: list[Duty]) -> None:
        self._duties_loading = False
        self.duty_model.set_duties(duties)
        self._update_duty_summary()
        self.sig_duties_loaded.emit()

    def _duties_failed(self, message: str) -> None:
        self._duties_loading = False
        self.duty_summary.setText(f"排查时限读取失败：{message}")

    def _update_duty_summary(self) -> None:
        duties = self.duty_model.duties()
        if not duties:
            self.duty_summary.setText("目前没有待完成的排查走访")
            return
        overdue = self.duty_model.overdue_count()
        text = f"待完成 {len(duties) - overdue} 项"
        if overdue:
            text += f"，<span style='color:{ALARM};font-weight:bold'>已超时 {overdue} 项</span>"
        self.duty_summary.setText(text)

    # ---- data -----------------------------------------------------------------------
    def _changed(self, change: Change) -> None:
        """Cases changed: read only their clocks (at 100,000 cases a full read takes seconds)."""
        if touches_prevention(change) and not (change.all_cases or change.settings):
            self.reload_duties()  # a full reload below reads them too
        if change.all_cases or change.settings:
            self.reload()
            return
        if not change.cases:
            return
        if self._loading:
            # The full read under way may have started before this change: read the cases after it.
            self._changed_during_load |= change.cases
            return
        self._reload_cases(set(change.cases))

    def _reload_cases(self, case_nos: set[str]) -> None:
        at = None if self._follows_ctx else self.now()
        wanted = list(case_nos)
        self.ops.run(lambda ctx: case_deadlines(ctx, wanted, at), owner=self,
                     on_done=lambda clocks: self._cases_loaded(set(wanted), clocks), on_error=self._load_failed)

    def _cases_loaded(self, case_nos: set[str], clocks: list[Clock]) -> None:
        current = self.model.clock_at(self.view.currentIndex().row())
        self.model.replace_cases(case_nos, clocks)
        self._clocks_read = True
        if current is not None:
            self._select(clock_key(current))
        self.tick()
        self.sig_loaded.emit()

    def reload(self) -> None:
        """Ask the deadlines service again; one request at a time, the latest wish wins."""
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        self._load_started = time.monotonic()
        at = None if self._follows_ctx else self.now()
        # One full read at a time (``_loading``); owner=self drops it if the panel is gone.
        moment = self.now()
        # Sorted and laid out in the pool too: only the swap is left to the UI thread.
        self.ops.run(lambda ctx: PanelClocks.of(deadlines(ctx, at), moment), owner=self, on_done=self._loaded,
                     on_error=self._load_failed)
        self.reload_duties()

    def _loaded(self, prepared: PanelClocks) -> None:
        self._loading = False
        # A full read that takes long (many open cases) is repeated less often, so it never
        # takes more than a tenth of the machine; one-case updates keep the panel current.
        took_ms = (time.monotonic() - self._load_started) * 1000
        self._reload_timer.setInterval(max(RELOAD_MS, int(took_ms * RELOAD_SHARE)))
        current = self.model.clock_at(self.view.currentIndex().row())
        self.model.set_prepared(prepared)
        self._clocks_read = True
        if current is not None:
            self._select(clock_key(current))
        live = set(prepared.keys)
        self._seen_pending &= live
        self._alerted &= live
        self.tick()
        self.sig_loaded.emit()
        if self._reload_again:
            self._reload_again = False
            self.reload()
        elif self._changed_during_load:
            changed, self._changed_during_load = self._changed_during_load, set()
            self._reload_cases(changed)

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self.summary.setText(f"时限读取失败：{message}")

    def _select(self, key: tuple) -> None:
        row = self.model.row_of(key)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))

    # ---- time -----------------------------------------------------------------------
    def tick(self) -> None:
        """Move the countdown to now and raise the alert for clocks that just ran out."""
        now = self.now()
        current = self.model.clock_at(self.view.currentIndex().row())
        self.model.set_now(now)
        if current is not None and self.model.clock_at(self.view.currentIndex().row()) != current:
            self._select(clock_key(current))  # a clock ran out and the rows were laid out again
        newly = []
        # A clock turns overdue at most once, between two ticks: each tick looks only at the
        # clocks due since the last one (12,500 open clocks at a county's size would otherwise
        # be walked every second on the UI thread), except the first tick after the clocks were
        # read again, which notes every clock it sees running.
        # Only a clock seen running can "turn" overdue: the ones already overdue when the program
        # started are in the list in red, not worth a balloon each.
        last, self._last_tick = self._last_tick, now
        if self._clocks_read or last is None or now < last:
            self._clocks_read = False
            running, late_keys, late = self.model.split_at(now)  # as sets, not clock by clock
            self._seen_pending.update(running)
            turned = self._seen_pending.intersection(late_keys) - self._alerted
            if turned:
                self._alerted |= turned
                newly = [clock for key, clock in zip(late_keys, late, strict=True) if key in turned]
        else:
            for clock in self.model.due_between(last, now):
                key = clock_key(clock)
                if now <= clock.due_at:
                    self._seen_pending.add(key)
                elif key in self._seen_pending and key not in self._alerted:
                    self._alerted.add(key)
                    newly.append(clock)
        for clock in newly:
            self.sig_clock_overdue.emit(clock)
        self.alerts.alert(newly)
        self._update_summary()
        overdue = self.duty_model.overdue_count()
        self.duty_model.set_now(now)
        if self.duty_model.overdue_count() != overdue:
            self._update_duty_summary()

    def _update_summary(self) -> None:
        count, overdue = self.model.clock_count(), self.model.overdue_count()
        if not count:
            self.summary.setText("目前没有进行中的时限")
            return
        text = f"进行中 {count - overdue} 项"
        if overdue:
            text += f"，<span style='color:{ALARM};font-weight:bold'>已超时 {overdue} 项</span>"
        self.summary.setText(text + "　单击一行打开案件")

    def _open(self, index: QModelIndex) -> None:
        clock = self.model.clock_at(index.row()) if index.isValid() else None
        if clock is not None:
            self.sig_open_case.emit(clock.case_no)

"""The window the office sits in front of all day: the case table, its filters, and the
assignment and timer docks beside it; statistics, the weekly meeting and the assessment as
further pages, printing and the projection from the menus.

At start the window may be built before the database is open (``ui.app``): the table, its
filter bar, the pages' places, the menus and the docks' frames are built at once, with the
first page of cases read without the database layer; what needs the services (the 交办 pane,
the timer panel, the warnings) is built by ``finish`` once the context is open. With an open
context, as everywhere but that start, ``finish`` runs in the constructor."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.access import Permission, refusal
from jingyuan_desktop.ui.cases.filter_bar import FilterBar
from jingyuan_desktop.ui.cases.filters import TableFilter
from jingyuan_desktop.ui.cases.table_model import COLUMN, CaseNoRole, CaseTableModel, QuickRead
from jingyuan_desktop.ui.files import FileJobs
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import ALARM
from jingyuan_desktop.ui.prevention.spec import PREVENTION_PAGE, show_duty
from jingyuan_desktop.ui.widgets.pages import PAGES, LazyPage

if TYPE_CHECKING:  # imported when first opened, or by ``finish``: the window starts without them
    from jingyuan_desktop.services.queries import WindowFacts
    from jingyuan_desktop.ui.assignment.pane import AssignmentPane
    from jingyuan_desktop.ui.cases.case_view import CaseView
    from jingyuan_desktop.ui.prevention.banner import WarningBanner
    from jingyuan_desktop.ui.timers.panel import TimerPanel

# What ``finish`` builds, imported in the pool by ``ui.app`` while the context opens.
SERVICE_WIDGETS = ("jingyuan_desktop.ui.assignment.pane", "jingyuan_desktop.ui.timers.panel",
                   "jingyuan_desktop.ui.prevention.banner")

ROW_HEIGHT = 26
ALL_PAGES = (*PAGES, PREVENTION_PAGE)
FIRST_SIZE = QSize(1400, 820)


class MainWindow(QMainWindow):
    assignment: AssignmentPane
    timers: TimerPanel
    warning_banner: WarningBanner

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, settings: QSettings | None = None,
                 now=None, quick_read: QuickRead | None = None, quick_choices=None):
        super().__init__(parent)
        self.ops = ops
        self.settings = settings or QSettings()
        self.now = now or ops.ctx.now
        # Qt adds the application's display name (警源治理) to every window title itself.
        self.setWindowTitle("")
        self.case_views: dict[str, CaseView] = {}
        self._selected_case: str | None = None
        self._dock_memory: dict[QDockWidget, bool] | None = None
        self.start_maximised = False
        self.finished = False

        self.filter_bar = FilterBar(ops, self)
        self.filter_bar.quick_choices = quick_choices
        self.model = CaseTableModel(ops, self, now=self.now)
        self.model.quick_read = quick_read
        self.table = self._make_table()
        self.cases_page = QWidget(self)
        layout = QVBoxLayout(self.cases_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.cases_page, "案件")
        self.pages: dict[str, LazyPage] = {}
        for spec in ALL_PAGES:
            self.pages[spec.key] = LazyPage(spec, ops, self, self.tabs)
            self.tabs.addTab(self.pages[spec.key], spec.title)
        self.setCentralWidget(self.tabs)

        # The docks' frames now, for the restored layout; their panes come with ``finish``.
        self.assignment_dock = self._dock("交办", "assignment_dock", QWidget(self),
                                          Qt.DockWidgetArea.RightDockWidgetArea)
        self.timer_dock = self._dock("时限提醒", "timer_dock", QWidget(self), Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabs.currentChanged.connect(self._page_changed)

        self.count_label = QLabel(self)
        self.calendar_label = QLabel(self)
        self.calendar_label.setStyleSheet(f"color: {ALARM};")
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.calendar_label)

        self._make_actions()
        self.filter_bar.sig_filter_changed.connect(self.apply_filter)
        self.filter_bar.sig_search_entered.connect(self._search_entered)
        self.model.sig_loaded.connect(self._loaded)
        self.model.sig_clocks_loaded.connect(self._show_status)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        ops.sig_changed.connect(self._changed)
        ops.sig_error.connect(self._show_error)

        self.filter_bar.reload_choices()
        self._read_window_facts()
        self._restore()
        if ops.ready:
            self.finish()

    def finish(self, *, stepwise: bool = False) -> None:
        """Build what needs the services: the 交办 pane, the timer panel and the warnings
        (once the context is open; at once when it already was). ``stepwise``: one of them a
        turn of the event loop, so that the window, already in use, never stops for long."""
        if self.finished:
            return
        self.finished = True
        from jingyuan_desktop.ui.assignment.pane import AssignmentPane

        self.assignment = AssignmentPane(self.ops, self)
        self._dock_pane(self.assignment_dock, self.assignment)
        if self.model.loaded:
            self.assignment.set_case(self.selected_case_no())
        steps = [self._finish_timers, self._finish_warnings]
        if not stepwise:
            for step in steps:
                step()
            return

        def next_step() -> None:
            steps.pop(0)()
            if steps:
                QTimer.singleShot(0, self, next_step)

        QTimer.singleShot(0, self, next_step)

    def _finish_timers(self) -> None:
        from jingyuan_desktop.ui.timers.panel import TimerPanel

        self.timers = TimerPanel(self.ops, self, now=self.now)
        self._dock_pane(self.timer_dock, self.timers)
        self.timers.sig_open_case.connect(self.open_case)
        self.timers.sig_open_duty.connect(self._open_duty)

    def _finish_warnings(self) -> None:
        from jingyuan_desktop.ui.prevention.banner import WarningBanner

        self.warning_banner = WarningBanner(self.ops, self.warning_bar, now=self.now)
        self.warning_bar.addWidget(self.warning_banner)
        self.warning_banner.sig_loaded.connect(
            lambda: self.warning_bar.setVisible(bool(self.warning_banner.warnings)))

    @staticmethod
    def _dock_pane(dock: QDockWidget, pane: QWidget) -> None:
        frame = dock.widget()
        dock.setWidget(pane)
        if frame is not None:
            frame.deleteLater()

    # ---- building -----------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows at once for batch printing; the current row drives the assignment pane.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        # Fixed row heights: Qt then never measures 100,000 rows to lay out the scroll bar.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSortIndicatorShown(True)
        # Widths from what each column typically holds, in this screen's font, so that at 1366 px
        # beside the docks the last column (承办人) still has room; longer cells are elided.
        metrics = table.fontMetrics()
        padding = 18
        for key, sample in (("case_no", "FZ-2026-00001"), ("received_at", "2026-11-30 15:10"),
                            ("village", "颐丰花园社区"), ("category", "宅基地纠纷"), ("grade", "疑难"),
                            ("risk", "未定"), ("status", "已化解待回访"), ("clock", "每日进展时限 超时 3天10小时")):
            table.setColumnWidth(COLUMN[key], metrics.horizontalAdvance(sample) + padding)
        return table

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState needs a name to find the dock again
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, shortcut, tip: str, slot=None) -> QAction:
        action = QAction(text, self)
        sequence = QKeySequence(shortcut)
        action.setShortcut(sequence)
        action.setToolTip(f"{tip}（{sequence.toString(QKeySequence.SequenceFormat.NativeText)}）")
        action.setStatusTip(tip)
        if slot:
            action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.new_action = self._action("新建案件", "Ctrl+N", "登记一个新的转交案件", self.new_case)
        self.search_action = self._action("搜索", "Ctrl+F", "搜索编号、简要情况、地点或当事人",
                                          self.filter_bar.focus_search)
        self.open_action = self._action("打开", Qt.Key.Key_Return, "打开选中的案件", self.open_selected)
        # Enter belongs to the table only, so the search box and dialogs keep their own Enter.
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.open_action)
        self.refresh_action = self._action("刷新", "F5", "从数据库重新读取", self.refresh)
        self.print_action = self._action("打印交办单", "Ctrl+P", "打印选中案件的交办单（可多选）", self.print_slips)
        self.archive_print_action = self._action("打印档案", "Ctrl+Shift+P", "打印选中案件的档案表",
                                                 self.print_archive)
        self.weekly_print_action = self._action("打印例会材料", "Ctrl+Alt+P", "打印本周例会材料", self.print_weekly)
        self.projection_action = self._action("投影", "F11", "全屏投影本周例会的数字、图表和案件（Esc 退出）",
                                              lambda: self.project())
        self.cases_tab_action = self._action("案件列表", "Ctrl+1", "回到案件列表", lambda: self.show_page(None))
        self.page_actions = [self._action(spec.title, spec.shortcut, spec.tip,
                                          lambda _c=False, k=spec.key: self.show_page(k))
                             for spec in ALL_PAGES]
        self.settings_action = self._action("基础数据与设置", "Ctrl+,", "村（社区）、人员、部门、类别、办公时间与时限",
                                            self.open_settings)
        self.quit_action = self._action("退出", "Ctrl+Q", "退出程序", self.close)
        self.audit_action = self._action("审计日志…", "Ctrl+Shift+A",
                                         "谁在何时改动、导出、查看了什么；校验日志未被改动", self.open_audit)
        self.file_jobs = FileJobs(self.ops, self, now=self.now)
        jobs = self.file_jobs
        self.import_transfers_action = self._action(
            "导入派出所转交清单…", "Ctrl+I", "选择派出所的转交清单（Excel 或 CSV），预览检查后导入为新案件",
            lambda: jobs.import_transfers())
        self.export_ledger_action = self._action("导出台账…", "Ctrl+E", "按接收日期导出案件台账（Excel）",
                                                 jobs.export_ledger)
        self.export_cases_action = self._action("导出案件交换文件…", "Ctrl+Shift+E",
                                                "导出全部案件及处置经过（JSON），供其他系统导入", jobs.export_cases)
        self.backup_action = self._action("备份数据库…", "Ctrl+B", "把全部数据备份到备份文件夹或其他文件夹",
                                          jobs.backup)
        self.restore_action = self._action("从备份恢复…", QKeySequence(),
                                           "用备份文件替换当前全部数据（恢复前自动另存一份）", jobs.restore)
        self.restore_action.setToolTip(self.restore_action.statusTip())  # no shortcut: restoring is never a reflex

        file_menu = self.menuBar().addMenu("文件(&F)")
        for action in (self.new_action, self.print_action, self.archive_print_action, self.weekly_print_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.import_transfers_action, self.export_ledger_action, self.export_cases_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.backup_action, self.restore_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.audit_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        case_menu = self.menuBar().addMenu("案件(&C)")
        for action in (self.open_action, self.search_action, self.refresh_action):
            case_menu.addAction(action)
        view_menu = self.menuBar().addMenu("视图(&V)")
        for action in (self.cases_tab_action, *self.page_actions, self.projection_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.assignment_dock.toggleViewAction())
        view_menu.addAction(self.timer_dock.toggleViewAction())

        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_action, self.open_action, self.search_action, self.refresh_action,
                       self.print_action, self.settings_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.projection_action)
        self._make_warning_bar()

    def _make_warning_bar(self) -> None:
        """The warnings in force today, on a line of their own under the toolbar."""
        self.addToolBarBreak()
        bar = self.addToolBar("预警")
        bar.setObjectName("warning_bar")
        bar.setMovable(False)
        bar.toggleViewAction().setVisible(False)
        bar.hide()  # the banner comes with ``finish``, and shows the bar when there are warnings
        self.warning_bar = bar

    # ---- behaviour ----------------------------------------------------------------
    def apply_filter(self, wanted: TableFilter) -> None:
        tree = self.filter_bar.tree
        filters = wanted.to_case_filter(self.now().date(), tree)
        if self.model.loaded and filters == self.model.filters and wanted.overdue_only == self.model.overdue_only:
            # The same rows (the last session's filter arriving with the villages at start, when
            # the table already shows them): no second read, and the clerk's scrolling stays.
            return
        self._remember_selection()
        self.model.set_filter(filters, overdue_only=wanted.overdue_only)

    def refresh(self) -> None:
        self.ops.announce(Change.everything())

    def _changed(self, change: Change) -> None:
        if change.reference or change.all_cases:
            self.filter_bar.reload_choices()
        if change.settings or change.reference:
            self._read_window_facts()
        if change.settings:
            # New clock numbers or holidays: every case's stored clocks are redone in the pool.
            from jingyuan_desktop.ui.app import refresh_derived

            refresh_derived(self.ops, self)
        self._show_status()

    def _read_window_facts(self) -> None:
        """The town's name for the title and the calendar's warning, read off the UI thread."""
        today = self.now().date()

        def read(ctx):
            from jingyuan_desktop.services import queries

            return queries.window_facts(ctx, today)

        self.ops.run(read, owner=self, key="facts", on_done=self._show_window_facts)

    def _show_window_facts(self, facts: WindowFacts) -> None:
        self.setWindowTitle(f"{facts.town}综治中心" if facts.town else "")
        self.calendar_label.setText(facts.calendar_warning or "")
        self.calendar_label.setVisible(bool(facts.calendar_warning))

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _loaded(self) -> None:
        self._show_status()
        wanted = self._selected_case
        row = self.model.row_of_case(wanted) if wanted else -1
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        elif self.finished:
            # The case shown in the 交办 pane left the list (a search, a filter): the pane follows
            # the list, and shows nothing rather than a case the clerk no longer sees.
            self.assignment.set_case(self.selected_case_no())

    def _show_status(self) -> None:
        self.count_label.setText(f"共 {self.model.rowCount()} 件")

    def _remember_selection(self) -> None:
        self._selected_case = self.selected_case_no()

    def _current_changed(self, current, _previous) -> None:
        case_no = current.data(CaseNoRole) if current.isValid() else None
        self._selected_case = case_no
        if self.finished:
            self.assignment.set_case(case_no)

    def selected_case_nos(self) -> list[str]:
        """The selected rows' case numbers in table order; the current row if none is selected."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        numbers = [self.model.index(row, 0).data(CaseNoRole) for row in rows]
        numbers = [no for no in numbers if no]
        current = self.selected_case_no()
        return numbers or ([current] if current else [])

    def selected_case_no(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(CaseNoRole) if index.isValid() else None

    def open_selected(self) -> None:
        case_no = self.selected_case_no()
        if case_no:
            self.open_case(case_no)

    def open_case(self, case_no: str) -> CaseView:
        view = self.case_views.get(case_no)
        if view is None:
            from jingyuan_desktop.ui.cases.case_view import CaseView

            view = CaseView(self.ops, case_no, self, now=self.now)
            view.finished.connect(lambda _r, no=case_no: self.case_views.pop(no, None))
            self.case_views[case_no] = view
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _search_entered(self, text: str) -> None:
        # A barcode scanner types the case number and Enter: open that case straight away.
        if not text:
            return

        def look(ctx):
            from jingyuan_desktop.services import queries

            return queries.case_exists(ctx, text)

        self.ops.run(look, owner=self, key="scan",
                     on_done=lambda found: self.open_case(text) if found else self.table.setFocus())

    def new_case(self) -> None:
        from jingyuan_desktop.ui.intake.dialog import IntakeDialog

        dialog = IntakeDialog(self.ops, self, now=self.now)
        if dialog.exec() and dialog.created_case_no:
            case_no = dialog.created_case_no
            # The dialog has announced the new case; the table reloads and reselects it.
            self._selected_case = case_no
            self._loaded()
            if self.finished:
                self.assignment.set_case(case_no)
            self.assignment_dock.show()
            self.statusBar().showMessage(f"已登记 {case_no}，请在右侧“交办”面板安排处置人员", 10000)

    # ---- pages, printing, projection ------------------------------------------------
    def show_page(self, key: str | None) -> None:
        self.tabs.setCurrentWidget(self.pages[key] if key else self.cases_page)
        if key is None:
            self.table.setFocus()

    def _open_duty(self, duty) -> None:
        self.show_page(PREVENTION_PAGE.key)
        show_duty(self.pages[PREVENTION_PAGE.key], duty)

    def show_village_cases(self, village: str, date_from=None, date_to=None) -> None:
        """From a chart's bar to the cases behind it: the village, over the chart's period."""
        wanted = TableFilter(village=village)
        if date_from is not None and date_to is not None:
            wanted.period, wanted.date_from, wanted.date_to = "custom", str(date_from), str(date_to)
        self.filter_bar.apply(wanted)
        self.show_page(None)

    def print_slips(self) -> None:
        numbers = self.selected_case_nos()
        if not numbers:
            self.statusBar().showMessage("请先在列表中选择要打印交办单的案件（可按住 Ctrl 或 Shift 多选）", 8000)
            return
        from jingyuan_desktop.ui import printing

        printing.print_slips(self, self.ops, numbers)

    def print_archive(self) -> None:
        case_no = self.selected_case_no()
        if not case_no:
            self.statusBar().showMessage("请先在列表中选择要打印档案的案件", 8000)
            return
        from jingyuan_desktop.ui import printing

        printing.print_archive(self, self.ops, case_no)

    def print_weekly(self, week: str | None = None) -> None:
        from jingyuan_desktop.ui import printing

        printing.print_weekly(self, self.ops, week or None)

    def project(self, week: str | None = None) -> None:
        """Full screen for the weekly meeting: the week chosen on the meeting page, else this week."""
        from jingyuan_desktop.ui.projection import open_projection

        if not week:
            week = self.pages["meeting"].current_week()
        self._projection = open_projection(self.ops, self, week or None)

    def open_settings(self) -> None:
        from jingyuan_desktop.ui.settings.dialog import SettingsDialog

        SettingsDialog(self.ops, self).exec()

    # ---- remembering --------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("main/geometry")
        self.start_maximised = False
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(FIRST_SIZE)
            screen = self.screen().availableGeometry() if self.screen() else None
            # A 1366x768 laptop is smaller than the first size: use all of it instead.
            self.start_maximised = screen is not None and (screen.width() < FIRST_SIZE.width()
                                                           or screen.height() < FIRST_SIZE.height())
        state = self.settings.value("main/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:  # first start: the table gets the room, the timer list the lower half of the side
            self.resizeDocks([self.assignment_dock], [400], Qt.Orientation.Horizontal)
            self.resizeDocks([self.assignment_dock, self.timer_dock], [460, 360], Qt.Orientation.Vertical)
        header = self.settings.value("main/table_header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
        else:
            self.table.horizontalHeader().setSortIndicator(COLUMN["received_at"], Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # sorts once, by the restored indicator
        saved = self.settings.value("main/filters", "")
        try:
            wanted = TableFilter.from_dict(json.loads(saved) if isinstance(saved, str) and saved else {})
        except (TypeError, ValueError):
            wanted = TableFilter()
        self.filter_bar.apply(wanted)

    def open_audit(self) -> None:
        from jingyuan_desktop.ui.audit_view import AuditDialog

        dialog = AuditDialog(self.ops, self.now().date(), self)
        dialog.open()
        self.audit_dialog = dialog

    def apply_role(self) -> None:
        """Grey out what the logged-in account's role may not do, saying why; the services
        refuse it anyway, this only spares the clerk the refusal."""
        if not self.ops.ready:  # a start before the database is open has no account
            return
        account = self.ops.ctx.account
        if account is None:
            return
        needs = {
            self.new_action: Permission.INTAKE, self.print_action: Permission.PRINT,
            self.archive_print_action: Permission.PRINT, self.weekly_print_action: Permission.PRINT,
            self.import_transfers_action: Permission.IMPORT, self.export_ledger_action: Permission.EXPORT_LEDGER,
            self.export_cases_action: Permission.EXPORT_CASES, self.backup_action: Permission.BACKUP,
            self.restore_action: Permission.RESTORE, self.settings_action: Permission.EDIT_REFERENCE,
            self.audit_action: Permission.READ_AUDIT,
        }
        for action, permission in needs.items():
            if not account.may(permission):
                action.setEnabled(False)
                action.setToolTip(refusal(account.role, permission))
                action.setStatusTip(refusal(account.role, permission))
        where = f"，{account.village}" if account.village else ""
        self.statusBar().addPermanentWidget(QLabel(f"当前账号：{account.name}（{account.role.label}{where}）", self))

    def show_initial(self) -> None:
        """Show the window: maximised on a screen smaller than its first size."""
        self.apply_role()
        if self.start_maximised:
            self.showMaximized()
        else:
            self.show()

    def _page_changed(self, index: int) -> None:
        """The 交办 and 时限提醒 docks serve the case list: hidden on the other pages, back as
        they were when the list is shown again."""
        docks = (self.assignment_dock, self.timer_dock)
        if index != 0 and self._dock_memory is None:
            self._dock_memory = {dock: dock.isVisible() for dock in docks}
            for dock in docks:
                dock.hide()
        elif index == 0 and self._dock_memory is not None:
            memory, self._dock_memory = self._dock_memory, None
            for dock, visible in memory.items():
                dock.setVisible(visible)

    def save_settings(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        memory = self._dock_memory
        if memory is not None:  # on another page: remember the docks as the clerk left them
            for dock, visible in memory.items():
                dock.setVisible(visible)
        self.settings.setValue("main/state", self.saveState())
        if memory is not None:
            for dock in memory:
                dock.hide()
        self.settings.setValue("main/table_header", self.table.horizontalHeader().saveState())
        self.settings.setValue("main/filters", json.dumps(self.filter_bar.current().to_dict(), ensure_ascii=False))
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.save_settings()
        for view in list(self.case_views.values()):
            view.close()
        super().closeEvent(event)

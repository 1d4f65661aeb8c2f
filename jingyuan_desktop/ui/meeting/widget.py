"""The weekly meeting (周例会): the week's agenda built from the cases, the minutes, and a
decision per case (owner, plan, date) that lands in the case's timeline."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.services import meeting as meeting_service
from jingyuan_desktop.services.prevention import duties as prevention
from jingyuan_desktop.services.prevention import records as prevention_records
from jingyuan_desktop.ui.charts.widget import headline
from jingyuan_desktop.ui.meeting.tables import CaseNoRole, fill, make_table
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import ALARM, OK
from jingyuan_desktop.ui.widgets.pages import PageHost

ERROR = f"color: {ALARM};"
DONE = f"color: {OK};"
TITLES = {"transfers": "本周转交", "difficult": "疑难案件", "red": "红色案件", "waiting": "待上级部门",
          "second_handling": "二次处置", "broken_agreements": "协议未履行"}


class MeetingWidget(QWidget):
    sig_open_case = Signal(str)
    sig_print_handout = Signal(str)  # ISO week
    sig_project = Signal(str)  # ISO week
    sig_loaded = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, week: str | None = None):
        super().__init__(parent)
        self.ops = ops
        self.agenda = None
        self.minutes_version = 0
        self.week = QComboBox(self)
        self.week.setEditable(True)
        self.week.setToolTip("ISO 周，如 2026-W47；可直接输入")
        self.week.addItems(meeting_service.recent_weeks(self.ops.ctx))  # computed from the date, no read
        if week:
            self.week.setCurrentText(week)
        self.week.currentTextChanged.connect(lambda _text: self.reload())
        self.print_button = QPushButton("打印例会材料", self)
        self.print_button.setToolTip("生成本周例会材料 PDF 并预览（Ctrl+Alt+P）")
        self.print_button.clicked.connect(lambda: self.sig_print_handout.emit(self.current_week()))
        self.project_button = QPushButton("投影", self)
        self.project_button.setToolTip("全屏投影本周数字、图表和案件（F11，Esc 退出）")
        self.project_button.clicked.connect(lambda: self.sig_project.emit(self.current_week()))
        self.summary = QLabel("正在生成议程…", self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 14px; padding: 4px;")

        self.tabs = QTabWidget(self)
        self.tables: dict[str, QTableWidget] = {}
        for key, title in TITLES.items():
            table = make_table(key)
            table.doubleClicked.connect(lambda index, t=table: self._open(t, index.row()))
            table.currentCellChanged.connect(lambda row, *_a, t=table: self._pick(t, row))
            self.tables[key] = table
            self.tabs.addTab(table, title)
        self.prevention = QLabel("正在统计…", self)
        self.prevention.setWordWrap(True)
        self.prevention.setStyleSheet("font-size: 14px; padding: 6px;")
        self.missed = QTableWidget(0, 3, self)
        self.missed.setHorizontalHeaderLabels(["未按时巡查走访的网格或包村民警", "完成/应完成", "完成率"])
        self.missed.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.missed.horizontalHeader().setStretchLastSection(True)
        self.missed.setColumnWidth(0, 280)
        prevention_tab = QWidget(self)
        prevention_layout = QVBoxLayout(prevention_tab)
        prevention_layout.addWidget(self.prevention)
        prevention_layout.addWidget(self.missed, 1)
        self.tabs.addTab(prevention_tab, "排查预防")
        self.overdue = QLabel(self)
        self.overdue.setWordWrap(True)
        self.overdue.setStyleSheet("padding: 4px;")

        self.decision_box = self._decision_box()
        self.minutes_box = self._minutes_box()
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.decision_box)
        side_layout.addWidget(self.minutes_box, 1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tabs, 1)
        left_layout.addWidget(self.overdue)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        bar = QHBoxLayout()
        for widget in (QLabel("周次", self), self.week, self.print_button, self.project_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        ops.sig_changed.connect(lambda change: self.reload() if self.isVisible() and change.any_case else None)
        if week:
            self.reload()
        else:  # the week the meeting reviews (last week until this one is mostly over), then its agenda
            ops.run(meeting_service.default_week, owner=self, key="default_week", on_done=self._open_week,
                    on_error=lambda message: self.summary.setText(f"<span style='{ERROR}'>{message}</span>"))

    def _open_week(self, week: str) -> None:
        if self.week.findText(week) < 0:
            self.week.addItem(week)
        if self.week.currentText() == week:
            self.reload()
        else:
            self.week.setCurrentText(week)  # reloads through currentTextChanged

    # ---- building -------------------------------------------------------------------
    def connect_to(self, host: PageHost) -> None:
        """Cases open in their window; the handout prints and the projection shows the chosen week."""
        self.sig_open_case.connect(host.open_case)
        self.sig_print_handout.connect(host.print_weekly)
        self.sig_project.connect(host.project)

    def _decision_box(self) -> QGroupBox:
        box = QGroupBox("会议决定（选中左侧案件后填写）", self)
        self.decision_case = QLabel("未选择案件", box)
        self.owner = QLineEdit(box)
        self.owner.setPlaceholderText("责任人")
        self.plan = QPlainTextEdit(box)
        self.plan.setPlaceholderText("化解方案 / 下步措施")
        self.plan.setFixedHeight(70)
        self.due = QDateEdit(box)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setDate(QDate.currentDate().addDays(7))
        self.decide_button = QPushButton("记录决定", box)
        self.decide_button.setToolTip("决定记入该案件的处置记录")
        self.decide_button.clicked.connect(self.record_decision)
        self.decision_message = QLabel(box)
        self.decision_message.setWordWrap(True)
        form = QFormLayout(box)
        form.addRow("案件", self.decision_case)
        form.addRow("责任人", self.owner)
        form.addRow("化解方案", self.plan)
        form.addRow("完成期限", self.due)
        form.addRow(self.decide_button, self.decision_message)
        return box

    def _minutes_box(self) -> QGroupBox:
        box = QGroupBox("会议纪要", self)
        self.attendees = QLineEdit(box)
        self.attendees.setPlaceholderText("参会人员")
        self.minutes = QPlainTextEdit(box)
        self.minutes.setPlaceholderText("会议内容、议定事项")
        self.save_minutes_button = QPushButton("保存纪要", box)
        self.save_minutes_button.clicked.connect(self.save_minutes)
        self.minutes_message = QLabel(box)
        self.minutes_message.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(self.attendees)
        layout.addWidget(self.minutes, 1)
        row = QHBoxLayout()
        row.addWidget(self.save_minutes_button)
        row.addWidget(self.minutes_message, 1)
        layout.addLayout(row)
        return box

    def _show_prevention(self, figures, warnings) -> None:
        """The week's prevention half: what was found before a call, patrols, visits, warnings."""
        lines = [prevention.found_first_text(figures), prevention.patrol_text(figures),
                 prevention.visits_text(figures)]
        lines += [prevention.warning_text(w) for w in warnings]
        self.prevention.setText("<br>".join(lines))
        missed = figures.missed
        self.missed.setRowCount(len(missed))
        for r, row in enumerate(missed):
            for c, text in enumerate(row.cells):
                self.missed.setItem(r, c, QTableWidgetItem(text))

    # ---- data -----------------------------------------------------------------------
    def current_week(self) -> str:
        return self.week.currentText().strip()

    def reload(self) -> None:
        week = self.current_week()
        self.summary.setText("正在生成议程…")

        def load(ctx):
            agenda = meeting_service.build_agenda(ctx, week)
            monday, sunday = agenda.start.date(), (agenda.end - timedelta(days=1)).date()
            figures = prevention.figures(ctx, monday, sunday, now=agenda.as_of)
            warnings = prevention_records.warnings_in(ctx, monday, sunday)
            return agenda, meeting_service.get_minutes(ctx, week), figures, warnings

        # Only the newest week asked for is drawn: an older, slower answer must not win.
        self.ops.run(load, owner=self, key="agenda", on_done=self._show,
                     on_error=lambda message: self.summary.setText(f"<span style='{ERROR}'>{message}</span>"))

    def _show(self, result) -> None:
        agenda, minutes, figures, warnings = result
        self.agenda = agenda
        self._show_prevention(figures, warnings)
        self.summary.setText(f"{agenda.week}（{agenda.start:%m-%d} 至 {agenda.end - timedelta(days=1):%m-%d}）　"
                             + headline(agenda.stats))
        for key in TITLES:
            items = getattr(agenda, key)
            fill(self.tables[key], key, items)
            self.tabs.setTabText(list(TITLES).index(key), f"{TITLES[key]}（{len(items)}）")
        overdue = "、".join(f"{village} {count} 项" for village, count in agenda.overdue_by_village)
        self.overdue.setText(f"超时时限：{overdue}" if overdue else "本周末没有超时的时限。")
        if minutes.version != self.minutes_version or not self.minutes.toPlainText():
            self.minutes.setPlainText(minutes.minutes)
            self.attendees.setText(minutes.attendees)
        self.minutes_version = minutes.version
        self.sig_loaded.emit()

    def _case_at(self, table: QTableWidget, row: int) -> str | None:
        item = table.item(row, 0) if row >= 0 else None
        return item.data(CaseNoRole) if item else None

    def _open(self, table: QTableWidget, row: int) -> None:
        case_no = self._case_at(table, row)
        if case_no:
            self.sig_open_case.emit(case_no)

    def _pick(self, table: QTableWidget, row: int) -> None:
        case_no = self._case_at(table, row)
        if not case_no or self.agenda is None:
            return
        self.decision_case.setText(case_no)
        item = next((i for key in TITLES for i in getattr(self.agenda, key) if i.case_no == case_no), None)
        if item is not None:
            self.owner.setText(item.owner)
            self.plan.setPlainText(item.plan)
            due = QDate.fromString(item.due_date, "yyyy-MM-dd") if item.due_date else QDate.currentDate().addDays(7)
            self.due.setDate(due)

    def record_decision(self) -> None:
        case_no, week = self.decision_case.text(), self.current_week()
        owner, plan = self.owner.text().strip(), self.plan.toPlainText().strip()
        if not self.agenda or case_no == "未选择案件":
            self._say(self.decision_message, "请先在左侧列表中选择案件", error=True)
            return
        if not owner or not plan:
            self._say(self.decision_message, "请填写责任人和化解方案", error=True)
            return
        due = self.due.date().toString("yyyy-MM-dd")
        self.ops.run(lambda ctx: meeting_service.record_decision(ctx, case_no, week, owner, plan, due),
                     changed=Change.case(case_no), owner=self,
                     on_done=lambda _v: self._say(self.decision_message, f"已记入 {case_no} 的处置记录"),
                     on_error=lambda message: self._say(self.decision_message, message, error=True))

    def save_minutes(self) -> None:
        week, text = self.current_week(), self.minutes.toPlainText()
        who, version = self.attendees.text(), self.minutes_version

        def saved(new_version: int) -> None:
            self.minutes_version = new_version
            self._say(self.minutes_message, "纪要已保存")

        self.ops.run(lambda ctx: meeting_service.save_minutes(ctx, week, text, who, version), owner=self, on_done=saved,
                     on_error=lambda message: self._say(self.minutes_message, message, error=True))

    @staticmethod
    def _say(label: QLabel, text: str, *, error: bool = False) -> None:
        label.setStyleSheet(ERROR if error else DONE)
        label.setText(text)

"""走访记录: this week's patrol log, a form to add an entry quickly, deleting an entry made in
error, and turning a finding into a case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.prevention import Patrol, PatrolRole
from jingyuan_desktop.services.prevention import records, sheets
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.prevention.changes import PreventionChange, touches_prevention
from jingyuan_desktop.ui.prevention.common import (
    ALL_VILLAGES,
    Choices,
    MessageLine,
    from_moment,
    may,
    own_village,
    read_choices,
    shortcut,
    to_moment,
    why_not,
)
from jingyuan_desktop.ui.prevention.convert_dialog import FindingToCaseDialog
from jingyuan_desktop.ui.prevention.patrol_model import FINDINGS, PatrolTableModel, awaiting_case, convertible
from jingyuan_desktop.ui.prevention.sheet_import import SheetImportButton
from jingyuan_desktop.ui.widgets.text import format_moment

NO_GRID = "（不指定网格）"


class PatrolTab(QWidget):
    sig_open_case = Signal(str)
    """Open this case in its own window."""
    sig_loaded = Signal()
    """The log for the chosen days is on screen."""
    sig_saved = Signal(int)
    """An entry was recorded (its number)."""

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.now = now or ops.ctx.now
        self.choices = Choices()
        self.last_case_no: str | None = None
        self.convert_dialog: FindingToCaseDialog | None = None
        self._select_after: int | None = None
        self.loaded = False
        self.model = PatrolTableModel(self)
        self.table = self._make_table()
        self.count = QLabel(self)
        self.message = MessageLine(self)
        self.import_button = SheetImportButton(ops, "从表格导入…", "走访记录", sheets.import_patrols, self.message,
                                               self)
        self.open_case_button = QPushButton(self)
        self.open_case_button.hide()
        self.open_case_button.clicked.connect(lambda: self.last_case_no and self.sig_open_case.emit(self.last_case_no))

        layout = QVBoxLayout(self)
        layout.addLayout(self._make_filter_row())
        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(split)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(self._make_row_buttons())
        split.addWidget(left)
        split.addWidget(self._make_form())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        result = QHBoxLayout()
        result.addWidget(self.message, 1)
        result.addWidget(self.open_case_button)
        layout.addLayout(result)
        self._apply_rights()
        ops.sig_changed.connect(self._changed)
        self.reload_choices()
        self.reload()

    # ---- building -----------------------------------------------------------------
    def _make_filter_row(self) -> QHBoxLayout:
        today = local(self.now()).date()
        monday = today - timedelta(days=today.weekday())
        self.first = QDateEdit(QDate(monday), self)
        self.last = QDateEdit(QDate(monday + timedelta(days=6)), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.reload())
        self.village_filter = QComboBox(self)
        self.village_filter.addItem(ALL_VILLAGES, "")
        self.village_filter.currentIndexChanged.connect(lambda _i: self.reload())
        this_week = QPushButton("本周", self)
        this_week.clicked.connect(lambda: self.show_week(0))
        last_week = QPushButton("上周", self)
        last_week.clicked.connect(lambda: self.show_week(-1))
        row = QHBoxLayout()
        row.addWidget(QLabel("走访日期", self))
        row.addWidget(self.first)
        row.addWidget(QLabel("至", self))
        row.addWidget(self.last)
        row.addWidget(this_week)
        row.addWidget(last_week)
        row.addSpacing(12)
        row.addWidget(self.village_filter)
        row.addSpacing(12)
        row.addWidget(self.count)
        row.addStretch(1)
        row.addWidget(self.import_button)
        return row

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FINDINGS, QHeaderView.ResizeMode.Stretch)
        table.doubleClicked.connect(self._double_clicked)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._update_row_buttons())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self._double_clicked(table.currentIndex()))
        remove = QShortcut(QKeySequence(Qt.Key.Key_Delete), table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.delete_selected)
        return table

    def _make_row_buttons(self) -> QHBoxLayout:
        self.convert_button = QPushButton("转为案件…", self)
        self.convert_button.setToolTip("把选中走访发现的情况登记为案件（Ctrl+T）")
        self.convert_button.clicked.connect(self.convert_selected)
        self.delete_button = QPushButton("删除（登记错误）", self)
        self.delete_button.setToolTip("删除选中的一条登记错误的走访记录（Delete）")
        self.delete_button.clicked.connect(self.delete_selected)
        shortcut("Ctrl+T", self, self.convert_selected, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        row = QHBoxLayout()
        row.addWidget(self.convert_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(QLabel("黄色行：有发现、尚未转为案件；双击已转案件的行打开案件", self))
        return row

    def _make_form(self) -> QGroupBox:
        box = QGroupBox("登记走访（Ctrl+S 保存）", self)
        self.at = QDateTimeEdit(from_moment(self.now()), box)
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.village = QComboBox(box)
        self.village.currentIndexChanged.connect(lambda _i: self._village_chosen())
        self.grid = QComboBox(box)
        self.grid.currentIndexChanged.connect(lambda _i: self._update_completer())
        self.worker = QLineEdit(box)
        self.worker.setPlaceholderText("输入姓名，可从本网格人员中选择")
        self._worker_names = QStringListModel(self)
        completer = QCompleter(self._worker_names, self.worker)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.worker.setCompleter(completer)
        self.role = QComboBox(box)
        for role in PatrolRole:
            self.role.addItem(role.label, role)
        self.households = QSpinBox(box)
        self.households.setRange(0, 10_000)
        self.households.setSuffix(" 户")
        self.findings = QPlainTextEdit(box)
        self.findings.setPlaceholderText("发现的矛盾纠纷、隐患；没有发现可不填")
        self.findings.setMinimumHeight(90)
        self.findings.setMaximumHeight(200)
        self.save_button = QPushButton("登记", box)
        self.save_button.setToolTip("保存这条走访记录（Ctrl+S）")
        self.save_button.clicked.connect(self.submit)
        shortcut("Ctrl+S", box, self.submit, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        form = QFormLayout(box)
        form.addRow("走访时间", self.at)
        form.addRow("村（社区）", self.village)
        form.addRow("网格", self.grid)
        form.addRow("走访人", self.worker)
        form.addRow("身份", self.role)
        form.addRow("走访户数", self.households)
        form.addRow("发现情况", self.findings)
        form.addRow("", self.save_button)
        form.addRow("", QLabel("保存后时间回到现在、村和网格保留，\n可接着登记下一条", box))
        box.setMinimumWidth(330)
        return box

    def _apply_rights(self) -> None:
        for widget, permission in ((self.save_button, Permission.PATROL), (self.delete_button, Permission.PATROL),
                                   (self.convert_button, Permission.INTAKE)):
            if not may(self.ops, permission):
                widget.setEnabled(False)
                widget.setToolTip(why_not(self.ops, permission))
        self._update_row_buttons()

    # ---- reading ------------------------------------------------------------------
    def show_week(self, offset: int) -> None:
        today = local(self.now()).date()
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        self.first.blockSignals(True)
        self.first.setDate(QDate(monday))
        self.first.blockSignals(False)
        self.last.setDate(QDate(monday + timedelta(days=6)))

    def reload(self) -> None:
        first: date = self.first.date().toPython()  # type: ignore[assignment]
        last: date = self.last.date().toPython()  # type: ignore[assignment]
        village = self.village_filter.currentData() or None
        self.ops.run(lambda ctx: records.patrols(ctx, first, last, village=village), owner=self, key="patrols",
                     on_done=self._loaded, on_error=lambda text: self.message.say(f"读取失败：{text}", error=True))

    def _loaded(self, patrols: list[Patrol]) -> None:
        current = self.selected()
        self.model.set_patrols(patrols)
        wanted, self._select_after = self._select_after or (current.id if current else None), None
        if wanted is not None:
            self.select_patrol(wanted)
        open_findings = sum(awaiting_case(p) for p in patrols)
        text = f"共 {len(patrols)} 条，走访 {sum(p.households for p in patrols)} 户"
        self.count.setText(text + (f"；{open_findings} 条发现尚未转为案件" if open_findings else ""))
        self._update_row_buttons()
        self.loaded = True
        self.sig_loaded.emit()

    def reload_choices(self) -> None:
        self.ops.run(read_choices, owner=self, key="choices", on_done=self._choices_loaded,
                     on_error=lambda text: self.message.say(f"读取村（社区）和网格失败：{text}", error=True))

    def _choices_loaded(self, choices: Choices) -> None:
        self.choices = choices
        mine = own_village(self.ops)
        villages = [mine] if mine else choices.villages
        for combo, extra in ((self.village_filter, [] if mine else [(ALL_VILLAGES, "")]), (self.village, [])):
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, data in extra:
                combo.addItem(text, data)
            for name in villages:
                combo.addItem(name, name)
            found = combo.findData(kept)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)
        self._village_chosen()

    def _village_chosen(self) -> None:
        kept = self.grid.currentData()
        village = self.village.currentData() or ""
        self.grid.blockSignals(True)
        self.grid.clear()
        for grid in self.choices.grids_of(village):
            self.grid.addItem(grid.name, grid.name)
        self.grid.addItem(NO_GRID, "")
        found = self.grid.findData(kept)
        self.grid.setCurrentIndex(found if found >= 0 else 0)
        self.grid.blockSignals(False)
        self._update_completer()

    def _update_completer(self) -> None:
        self._worker_names.setStringList(self.choices.workers(self.village.currentData() or "",
                                                              self.grid.currentData() or ""))

    def _changed(self, change: Change) -> None:
        if change.reference or change.all_cases:
            self.reload_choices()
        if touches_prevention(change):
            self.reload()

    # ---- rows ---------------------------------------------------------------------
    def selected(self) -> Patrol | None:
        return self.model.patrol_at(self.table.currentIndex().row())

    def select_patrol(self, patrol_id: int | None) -> None:
        row = self.model.row_of(patrol_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _update_row_buttons(self) -> None:
        patrol = self.selected()
        self.convert_button.setEnabled(patrol is not None and convertible(patrol) and may(self.ops, Permission.INTAKE))
        self.delete_button.setEnabled(patrol is not None and may(self.ops, Permission.PATROL))

    def _double_clicked(self, index) -> None:
        patrol = self.model.patrol_at(index.row()) if index.isValid() else None
        if patrol is None:
            return
        if patrol.case_no:
            self.sig_open_case.emit(patrol.case_no)
        elif convertible(patrol):
            self.convert_selected()

    # ---- writing ------------------------------------------------------------------
    def typed(self) -> Patrol:
        return Patrol(at=to_moment(self.at.dateTime()), worker=self.worker.text().strip(),
                      role=PatrolRole(self.role.currentData()), village=self.village.currentData() or "",
                      grid=self.grid.currentData() or "", households=self.households.value(),
                      findings=self.findings.toPlainText().strip())

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        patrol = self.typed()
        self.message.say("")
        self.save_button.setEnabled(False)

        def done(ids: list[int]) -> None:
            self.save_button.setEnabled(True)
            where = patrol.village + (f"/{patrol.grid}" if patrol.grid else "")
            self.message.say(f"已登记 {patrol.worker} {format_moment(patrol.at)} 在{where}的走访"
                             + ("；有发现，可选中该行“转为案件”" if patrol.findings else ""))
            # Ready for the next entry: the same village, grid and worker, a new time and finding.
            self.findings.clear()
            self.households.setValue(0)
            self.at.setDateTime(from_moment(self.now()))
            self._select_after = ids[0] if ids else None
            self.sig_saved.emit(ids[0] if ids else 0)

        def refused(text: str) -> None:
            self.save_button.setEnabled(True)
            self.message.say(text, error=True)

        self.ops.run(lambda ctx: records.record_patrols(ctx, [patrol]), changed=PreventionChange(), owner=self,
                     on_done=done, on_error=refused)

    def delete_selected(self) -> None:
        patrol = self.selected()
        if patrol is None or patrol.id is None or not self.delete_button.isEnabled():
            return
        note = f"\n该记录已转为案件 {patrol.case_no}，案件不会随之删除。" if patrol.case_no else ""
        answer = QMessageBox.question(
            self, "删除走访记录",
            f"删除 {format_moment(patrol.at)} {patrol.worker} 在{patrol.village}的走访记录？\n"
            f"只用于删除登记错误的记录。{note}")
        if answer != QMessageBox.StandardButton.Yes:
            return
        patrol_id = patrol.id
        self.ops.run(lambda ctx: records.delete_patrol(ctx, patrol_id), changed=PreventionChange(), owner=self,
                     on_done=lambda _r: self.message.say("已删除该走访记录"),
                     on_error=lambda text: self.message.say(text, error=True))

    def convert_selected(self) -> FindingToCaseDialog | None:
        patrol = self.selected()
        if patrol is None or not self.convert_button.isEnabled():
            return None
        dialog = FindingToCaseDialog(self.ops, patrol, self)
        dialog.accepted.connect(lambda: self._converted(dialog.case_no, patrol.id))
        self.convert_dialog = dialog
        dialog.open()
        return dialog

    def _converted(self, case_no: str | None, patrol_id: int | None) -> None:
        if not case_no:
            return
        self.last_case_no = case_no
        self.message.say(f"已登记为案件 {case_no}，请在案件列表中交办")
        self.open_case_button.setText(f"打开案件 {case_no}")
        self.open_case_button.show()
        self.select_patrol(patrol_id)


"""The year-end assessment page: the ranked table, the weights, manual adjustments, exports."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.assessment import AssessmentSettings
from jingyuan_desktop.services import assessment as service
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import ALARM, OK
from jingyuan_desktop.ui.widgets.files import save_path
from jingyuan_desktop.ui.widgets.pages import PageHost

ERROR, DONE = f"color: {ALARM};", f"color: {OK};"
SETTING_FIELDS = (("weight_timeliness", "及时率权重"), ("weight_resolution", "化解率权重"),
                  ("weight_satisfaction", "满意率权重"), ("overdue_points", "每项超时扣分"),
                  ("shirked_points", "每件推诿扣分"), ("deduction_cap", "扣分上限"))


# What the adjustments' columns are sized for: a typical reason, and points with a sign and a decimal.
SAMPLE_REASON = "获评县级矛盾纠纷化解工作先进集体荣誉称号"  # 20 characters
SAMPLE_POINTS = "+10.5"
NOTE = "说明"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class AssessmentWidget(QWidget):
    sig_loaded = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.result: service.Assessment | None = None
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(ops.ctx.now().year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.excel_button = QPushButton("导出 Excel…", self)
        self.excel_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button = QPushButton("导出 PDF…", self)
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.summary = QLabel("正在计算…", self)
        self.summary.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.table = _table(service.HEADERS)
        if NOTE in service.HEADERS:  # the note takes what the figures leave, however wide the window
            self.table.horizontalHeader().setSectionResizeMode(service.HEADERS.index(NOTE),
                                                               QHeaderView.ResizeMode.Stretch)

        bar = QHBoxLayout()
        for widget in (QLabel("考核年度", self), self.year, self.excel_button, self.pdf_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        side = QVBoxLayout()
        side.addWidget(self._settings_box())
        side.addWidget(self._adjustments_box(), 1)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        ops.sig_changed.connect(
            lambda change: self.reload() if self.isVisible() and (change.any_case or change.assessment) else None)
        self.reload()

    def connect_to(self, host: PageHost) -> None:
        """The assessment asks nothing of the window."""

    def current_week(self) -> str | None:
        return None

    def _settings_box(self) -> QGroupBox:
        box = QGroupBox("评分设置（三项权重之和为100）", self)
        form = QFormLayout(box)
        self.setting_edits: dict[str, QDoubleSpinBox] = {}
        for name, label in SETTING_FIELDS:
            edit = QDoubleSpinBox(box)
            edit.setRange(0, 100)
            edit.setDecimals(1)
            edit.setSingleStep(0.5 if "points" in name else 5)
            self.setting_edits[name] = edit
            form.addRow(label, edit)
        self.save_settings_button = QPushButton("保存设置", box)
        self.save_settings_button.clicked.connect(self.save_settings)
        form.addRow(self.save_settings_button)
        return box

    def _adjustments_box(self) -> QGroupBox:
        box = QGroupBox("加减分（须写明理由）", self)
        self.adjust_village = QComboBox(box)
        self.adjust_points = QDoubleSpinBox(box)
        self.adjust_points.setRange(-100, 100)
        self.adjust_points.setDecimals(1)
        self.adjust_reason = QLineEdit(box)
        self.adjust_reason.setPlaceholderText("如：县级表彰、被通报批评")
        self.add_button = QPushButton("添加", box)
        self.add_button.clicked.connect(self.add_adjustment)
        self.remove_button = QPushButton("删除选中", box)
        self.remove_button.clicked.connect(self.remove_adjustment)
        self.adjustments = _table(["村（社区）", "分值", "理由", "录入"])
        self._size_adjustment_columns()
        form = QFormLayout()
        form.addRow("村（社区）", self.adjust_village)
        form.addRow("分值", self.adjust_points)
        form.addRow("理由", self.adjust_reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.adjustments, 1)
        return box

    def _size_adjustment_columns(self) -> None:
        """分值 and 理由 wide enough to read (by the font's own metrics, so at any DPI); 录入 takes
        the rest, and a narrow window scrolls sideways rather than cutting the reason."""
        table = self.adjustments
        metrics = table.fontMetrics()
        padding = 2 * metrics.horizontalAdvance("  ")
        header = table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        points = max(metrics.horizontalAdvance(SAMPLE_POINTS), header.fontMetrics().horizontalAdvance("分值"))
        table.setColumnWidth(1, points + padding)
        table.setColumnWidth(2, metrics.horizontalAdvance(SAMPLE_REASON) + padding)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)  # a longer reason is cut, whole in the tooltip

    # ---- data -----------------------------------------------------------------------
    def reload(self) -> None:
        year = self.year.value()
        self.summary.setText("正在计算…")
        self.ops.run(lambda ctx, progress: service.assess(ctx, year, progress), progress="正在计算考核得分…",
                     parent=self, owner=self, key="assess", on_done=self._show,
                     on_cancelled=lambda: self.summary.setText("已取消计算。"),
                     on_error=lambda message: self._say(message, error=True))

    def _show(self, result: service.Assessment) -> None:
        self.result = result
        rows = service.table_rows(result)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = QTableWidgetItem(str(value))
                if service.HEADERS[c] == NOTE and value:
                    cell.setToolTip(str(value))  # cut with … on a narrow screen
                self.table.setItem(r, c, cell)
        self.summary.setText(
            f"{result.year}年，截至 {result.as_of:%Y-%m-%d %H:%M}：{service.settings_text(result.settings)}"
            f"<br>{service.office_text(result)}（不计入各村得分；各村只计本村的到场、当日结果、每日进展和约定后续时限）")
        for name, edit in self.setting_edits.items():
            edit.setValue(getattr(result.settings, name))
        current = self.adjust_village.currentText()
        self.adjust_village.clear()
        self.adjust_village.addItems(sorted(row.facts.village for row in result.rows))
        if current:
            self.adjust_village.setCurrentText(current)
        self.adjustments.setRowCount(len(result.adjustments))
        for r, item in enumerate(result.adjustments):
            entered = item.at[:16].replace("T", " ")
            for c, value in enumerate((item.village, f"{item.points:+g}", item.reason, f"{item.by} {entered[:10]}")):
                cell = QTableWidgetItem(value)
                cell.setToolTip(f"{item.reason}\n{item.by} 录入于 {entered}")
                self.adjustments.setItem(r, c, cell)
        self.sig_loaded.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR if error else DONE)
        self.message.setText(text)

    def _change(self, work, done: str) -> None:
        self.ops.run(work, changed=Change(assessment=True), owner=self, on_done=lambda _r: self._say(done),
                     on_error=lambda message: self._say(message, error=True))

    def save_settings(self) -> None:
        settings = AssessmentSettings(**{name: edit.value() for name, edit in self.setting_edits.items()})
        self._change(lambda ctx: service.save_settings(ctx, settings), "评分设置已保存")

    def add_adjustment(self) -> None:
        year, village = self.year.value(), self.adjust_village.currentText()
        points, reason = self.adjust_points.value(), self.adjust_reason.text()
        self._change(lambda ctx: service.add_adjustment(ctx, year, village, points, reason), f"已为{village}加减分")

    def remove_adjustment(self) -> None:
        row = self.adjustments.currentRow()
        if row < 0:
            self._say("请先选中要删除的加减分", error=True)
            return
        year = self.year.value()
        self._change(lambda ctx: service.remove_adjustment(ctx, year, row), "已删除该加减分")

    def export(self, kind: str, path: str | None = None) -> None:
        year = self.year.value()
        if not path:
            path = save_path(self, "导出考核", f"{year}年度考核.{kind}",
                             "Excel 文件 (*.xlsx)" if kind == "xlsx" else "PDF 文件 (*.pdf)")
            if not path:
                return
        work = service.export_excel if kind == "xlsx" else service.export_pdf
        self.ops.run(lambda ctx: work(ctx, year, path), on_done=lambda target: self._say(f"已导出到 {target}"),
                     on_error=lambda message: self._say(message, error=True))

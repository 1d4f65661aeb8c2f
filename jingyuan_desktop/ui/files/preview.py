"""The police transfer list, row by row, before anything is imported: what will be imported,
what was imported before and is skipped, and each bad row with its reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.services import files
from jingyuan_desktop.services.file_jobs import RowState, TransferPreview, import_result
from jingyuan_desktop.services.prevention.records import link_unlinked
from jingyuan_desktop.ui.ops import BACKGROUND, Change, Operations, Progress
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, MUTED, OK

HEADERS = ("Excel行号", "状态", "警情编号", "转交时间", "村（社区）", "报警人", "简要警情")
STATE_COLUMN = 1
WIDTHS = (70, 280, 150, 130, 110, 70)
STATE_COLOURS = {RowState.READY: OK, RowState.KNOWN: MUTED, RowState.BAD: ALARM}


class TransferPreviewDialog(QDialog):
    """Shows a ``TransferPreview``; 全部导入 or 跳过有问题的行导入 run the import from here, so a
    refusal leaves the dialog, and the clerk's choice, where they were."""

    sig_imported = Signal(object)
    """The ``files.TransferReport`` of a finished import; the dialog has closed."""

    def __init__(self, ops: Operations, preview: TransferPreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops, self.preview = ops, preview
        self.setWindowTitle(f"导入派出所转交清单 — {preview.path.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1100, 560)

        self.file_label = QLabel(f"文件：{preview.path}", self)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel(self._counts_html(), self)
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.hint_label = QLabel(self._hint(), self)
        self.hint_label.setWordWrap(True)
        self.only_bad = QCheckBox("只看有问题的行", self)
        self.only_bad.setVisible(preview.bad > 0)
        self.only_bad.toggled.connect(self._filter_rows)
        self.table = self._make_table()

        self.import_all = QPushButton("全部导入", self)
        self.import_good = QPushButton(f"跳过有问题的行，导入其余 {preview.ready} 行", self)
        self.cancel_button = QPushButton("取消", self)
        self.import_all.clicked.connect(lambda: self.start_import(skip_invalid=False))
        self.import_good.clicked.connect(lambda: self.start_import(skip_invalid=True))
        self.cancel_button.clicked.connect(self.reject)
        self.why_label = QLabel(f"有 {preview.bad} 行有问题，不能全部导入" if preview.bad else "", self)
        self.why_label.setStyleSheet(f"color: {ALARM};")
        self._set_buttons()

        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.only_bad)
        buttons = QHBoxLayout()
        buttons.addWidget(self.why_label)
        buttons.addStretch(1)
        for button in (self.import_all, self.import_good, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addLayout(top)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    # ---- building -----------------------------------------------------------------
    def _counts_html(self) -> str:
        p = self.preview
        parts = [(f"可导入 {p.ready} 行", OK), (f"有问题 {p.bad} 行", ALARM if p.bad else MUTED),
                 (f"已导入过 {p.known} 行", MUTED)]
        spans = "、".join(f'<span style="color:{colour}">{text}</span>' for text, colour in parts)
        return f'<b style="font-size:11pt">{spans}</b>（共 {len(p.rows)} 行）'

    def _hint(self) -> str:
        p = self.preview
        lines = []
        if p.bad:
            lines.append("有问题的行以红色标出，原因见“状态”列；行号与 Excel 中的行号一致。"
                         "可在 Excel 中改正后重新导入，或先跳过这些行，导入其余的行。")
        if p.known:
            lines.append("“已导入过”的行，其警情编号已在系统中，导入时自动跳过，不会重复登记。")
        if not p.rows:
            lines.append("清单中没有警情记录。")
        elif not p.ready:
            lines.append("没有可以导入的新警情。")
        lines.append("预览中报警人姓名和号码已打码；导入的案件保留清单中的完整信息。")
        return "\n".join(lines)

    def _make_table(self) -> QTableWidget:
        rows = self.preview.rows
        table = QTableWidget(len(rows), len(HEADERS), self)
        table.setHorizontalHeaderLabels(list(HEADERS))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Wrapped, so a bad row's whole reason is read without hovering.
        table.setWordWrap(True)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        tint = QColor(ALARM_TINT)
        for r, row in enumerate(rows):
            values = (str(row.row), row.status, row.incident_no, row.received_at, row.village, row.caller, row.summary)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if c == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if c == STATE_COLUMN:
                    item.setForeground(QColor(STATE_COLOURS[row.state]))
                if row.state == RowState.BAD:
                    item.setBackground(tint)
                elif row.state == RowState.KNOWN:
                    item.setForeground(QColor(MUTED))
                table.setItem(r, c, item)
        for c, width in enumerate(WIDTHS):
            table.setColumnWidth(c, width)
        table.resizeColumnToContents(2)  # incident numbers are read whole, 18 digits and more
        table.setColumnWidth(2, max(table.columnWidth(2), WIDTHS[2]))
        table.verticalHeader().setMinimumSectionSize(26)
        # Row heights follow the wrapped text once the columns have their final widths.
        table.horizontalHeader().sectionResized.connect(lambda *_: table.resizeRowsToContents())
        return table

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def _set_buttons(self) -> None:
        p = self.preview
        self.import_all.setEnabled(p.bad == 0 and p.ready > 0)
        if p.bad:
            self.import_all.setToolTip(f"清单中有 {p.bad} 行有问题，不能全部导入：请改正后重新导入，"
                                       "或选择“跳过有问题的行”")
        elif not p.ready:
            self.import_all.setToolTip("没有可以导入的新警情")
        else:
            self.import_all.setToolTip(f"导入 {p.ready} 个新警情" + ("，跳过已导入过的行" if p.known else ""))
        self.import_good.setVisible(p.bad > 0 and p.ready > 0)
        self.import_good.setToolTip(f"有问题的 {p.bad} 行不导入；改正后可再导入同一份清单，已导入的行会自动跳过")
        default = self.import_all if self.import_all.isEnabled() else self.cancel_button
        default.setDefault(True)

    def _filter_rows(self, only_bad: bool) -> None:
        for r, row in enumerate(self.preview.rows):
            self.table.setRowHidden(r, only_bad and row.state != RowState.BAD)

    # ---- importing ----------------------------------------------------------------
    def start_import(self, *, skip_invalid: bool) -> None:
        path = self.preview.path

        def work(ctx, progress: Progress) -> files.TransferReport:
            return files.import_transfers(ctx, path, skip_invalid=skip_invalid, progress=progress)

        self._busy(True)
        # The rows are checked first with the bar moving, and 取消 then leaves nothing behind;
        # the short write at the end is not interrupted.
        self.ops.run(work, changed=Change(all_cases=True), progress="正在导入转交清单…", cancellable=True,
                     parent=self, owner=self, on_done=self._imported, on_error=self._failed,
                     on_cancelled=lambda: self._busy(False))

    def _imported(self, report: files.TransferReport) -> None:
        self._busy(False)
        if report.rejected and not report.skipped_invalid:
            # The file changed since the preview: nothing was imported.
            text, details = import_result(report)
            QMessageBox.warning(self, "未导入", f"{text}\n\n{details}" if details else text)
            return
        self.sig_imported.emit(report)
        if report.imported:
            # The new parties joined to the person records (issue 14) after the import was
            # written, beside the clerk's work; the next import or start catches up if it fails.
            self.ops.run(link_unlinked, priority=BACKGROUND, on_error=lambda _message: None)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        QMessageBox.warning(self, "导入失败", message)

    def _busy(self, busy: bool) -> None:
        for button in (self.import_all, self.import_good, self.cancel_button):
            button.setEnabled(not busy)
        if not busy:
            self._set_buttons()

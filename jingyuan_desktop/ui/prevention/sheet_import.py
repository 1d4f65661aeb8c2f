"""从表格导入: a button that reads one of the town's own sheets (grids, officers' beats, key
persons, the patrol log) through ``services.prevention.sheets``, off the window's thread, and
says in Chinese what became of every row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.prevention.sheets import ImportReport
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.prevention.changes import PreventionChange
from jingyuan_desktop.ui.prevention.common import MessageLine
from jingyuan_desktop.ui.widgets.files import open_path

SHEETS = "表格 (*.xlsx *.xlsm *.csv)"
SHOWN_LINES = 15  # a refused sheet's first problems; the rest are counted


class SheetImportButton(QPushButton):
    sig_imported = Signal(str)
    """A sheet was read and written; carries the summary shown."""

    def __init__(self, ops: Operations, text: str, what: str,
                 work: Callable[[AppContext, Path], ImportReport], message: MessageLine,
                 parent: QWidget | None = None, *, reference: bool = False):
        super().__init__(text, parent)
        self.ops, self.what, self.work, self.message = ops, what, work, message
        self.reference = reference  # grids and beats are reference data for other views too
        self.setToolTip(f"从本镇现有的{what}表格（.xlsx 或 .csv）导入；有问题的行会逐行列出，全部改正前不导入任何一行")
        self.clicked.connect(self.choose)

    def choose(self) -> None:
        path = open_path(self, f"导入{self.what}", SHEETS)
        if path:
            self.start(Path(path))

    def start(self, path: Path) -> None:
        self.setEnabled(False)
        self.message.say(f"正在导入 {path.name}…")
        self.ops.run(lambda ctx: self.work(ctx, path), owner=self, key="import", on_done=self._done,
                     on_error=self._failed, changed=PreventionChange(reference=self.reference))

    def _done(self, report: ImportReport) -> None:
        self.setEnabled(True)
        summary = report.summary()
        if report.rejected:
            lines = report.lines()
            more = f"\n……另有 {len(lines) - SHOWN_LINES} 行问题" if len(lines) > SHOWN_LINES else ""
            self.message.say(summary, error=True)
            QMessageBox.warning(self, f"{self.what}未导入", summary + "\n\n" + "\n".join(lines[:SHOWN_LINES]) + more)
            return
        self.message.say(summary)
        self.sig_imported.emit(summary)

    def _failed(self, text: str) -> None:
        self.setEnabled(True)
        self.message.say(text, error=True)

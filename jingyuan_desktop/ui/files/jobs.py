"""The 文件 menu's daily jobs, each from its file dialog to its result in Chinese: importing the
police transfer list, exporting the 台账 and the exchange file, backup and restore.

Dialogs are opened with ``open()``, never ``exec()``: the window stays responsive behind them,
and every step can be driven by a test. Each job's result is one message box (``notice``)
with, for a written file, a button that opens its folder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from jingyuan_desktop.ui.ops import Operations, Progress
from jingyuan_desktop.ui.widgets import files as file_dialogs

# The services behind these jobs read and write Excel (openpyxl, numpy): imported when a job
# is first asked for, not with the window, whose start they would slow by a fifth of a second.
if TYPE_CHECKING:
    from jingyuan_desktop.services import file_jobs, files
    from jingyuan_desktop.ui.files.backups import BackupDialog, RestoreDialog
    from jingyuan_desktop.ui.files.ledger import LedgerChoice, LedgerDialog
    from jingyuan_desktop.ui.files.preview import TransferPreviewDialog

TRANSFER_FILTER = "转交清单 (*.xlsx *.csv);;Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"


def open_folder(path: Path) -> None:
    """The folder holding ``path`` in the system's file manager."""
    folder = path if path.is_dir() else path.parent
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def with_suffix(path: str, suffix: str) -> Path:
    """The chosen file name, with ``suffix`` added when the clerk typed a name without one."""
    target = Path(path)
    return target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)


class FileJobs(QObject):
    """Owned by the window; one method a menu item."""

    sig_finished = Signal(str)
    """What a job ended with, in Chinese (also shown in the status bar and the notice)."""

    def __init__(self, ops: Operations, window: QWidget, *, now: Callable[[], datetime] | None = None):
        super().__init__(window)
        self.ops, self.window = ops, window
        self.now = now or ops.ctx.now
        self.preview_dialog: TransferPreviewDialog | None = None
        self.ledger_dialog: LedgerDialog | None = None
        self.backup_dialog: BackupDialog | None = None
        self.restore_dialog: RestoreDialog | None = None
        self.notice: QMessageBox | None = None

    def today(self) -> date:
        return self.now().date()

    # ---- 导入派出所转交清单 ----------------------------------------------------------
    def import_transfers(self, path: str | None = None) -> None:
        """Choose the list, read and check it off the UI thread, then show the preview."""
        path = path or file_dialogs.open_path(self.window, "导入派出所转交清单", TRANSFER_FILTER)
        if not path:
            return

        from jingyuan_desktop.services import file_jobs

        def work(ctx, progress: Progress) -> file_jobs.TransferPreview:
            preview = file_jobs.preview_transfers(ctx, path)
            progress(1, 1)  # stops here if 取消 was pressed: nothing was written
            return preview

        self.ops.run(work, progress="正在读取转交清单…", parent=self.window, on_done=self._show_preview,
                     on_error=lambda message: self._error("无法读取转交清单", message))

    def _show_preview(self, preview: file_jobs.TransferPreview) -> None:
        from jingyuan_desktop.ui.files.preview import TransferPreviewDialog

        dialog = TransferPreviewDialog(self.ops, preview, self.window)
        dialog.sig_imported.connect(self._imported)
        self.preview_dialog = dialog
        dialog.open()

    def _imported(self, report: files.TransferReport) -> None:
        from jingyuan_desktop.services import file_jobs

        text, details = file_jobs.import_result(report)
        self._notify("导入完成", text, details=details)

    # ---- 导出台账 ----------------------------------------------------------------------
    def export_ledger(self) -> None:
        from jingyuan_desktop.ui.files.ledger import LedgerDialog

        dialog = LedgerDialog(self.today(), self.window)
        dialog.accepted.connect(lambda: self._ledger_chosen(dialog.choice()))
        self.ledger_dialog = dialog
        dialog.open()

    def _ledger_chosen(self, choice: LedgerChoice) -> None:
        path = file_dialogs.save_path(self.window, "导出台账", choice.file_name, "Excel 文件 (*.xlsx)")
        if not path:
            return
        target = with_suffix(path, ".xlsx")
        from jingyuan_desktop.services import files

        def work(ctx, _progress: Progress) -> int:
            return files.export_ledger(ctx, target, start=choice.start, end=choice.end, unmasked=choice.unmasked)

        def done(count: int) -> None:
            masked = "未打码，含完整个人信息，已记入审计日志" if choice.unmasked else "个人信息已打码"
            self._notify("导出完成", f"已导出台账：{choice.period_text} 接收的 {count} 个案件（{masked}）。\n\n"
                                     f"文件：{target}", file=target)

        self.ops.run(work, progress="正在导出台账…", cancellable=False, parent=self.window, on_done=done,
                     on_error=lambda message: self._error("导出失败", message))

    # ---- 导出案件交换文件 --------------------------------------------------------------
    def export_cases(self) -> None:
        path = file_dialogs.save_path(self.window, "导出案件交换文件", f"案件交换_{self.today():%Y%m%d}.json",
                                      "案件交换文件 (*.json)")
        if not path:
            return
        target = with_suffix(path, ".json")
        from jingyuan_desktop.services import files

        def work(ctx, _progress: Progress) -> int:
            return files.export_cases(ctx, target)

        def done(count: int) -> None:
            self._notify("导出完成", f"已导出全部 {count} 个案件及其处置经过。\n\n文件：{target}\n\n"
                                     "该文件含当事人的完整个人信息，本次导出已记入审计日志。请妥善保管，只交给需要的单位。",
                         file=target)

        self.ops.run(work, progress="正在导出案件…", cancellable=False, parent=self.window, on_done=done,
                     on_error=lambda message: self._error("导出失败", message))

    # ---- 备份与恢复 ------------------------------------------------------------------
    def backup(self) -> None:
        from jingyuan_desktop.services import file_jobs

        self.ops.run(file_jobs.list_backups, parent=self.window, on_done=self._show_backup,
                     on_error=lambda message: self._error("无法备份", message))

    def _show_backup(self, backups: file_jobs.Backups) -> None:
        from jingyuan_desktop.ui.files.backups import BackupDialog

        dialog = BackupDialog(self.ops, backups, self.window)
        dialog.sig_backed_up.connect(
            lambda path: self._notify("备份完成", f"已备份到：\n{path}", file=path))
        self.backup_dialog = dialog
        dialog.open()

    def restore(self) -> None:
        from jingyuan_desktop.services import file_jobs

        self.ops.run(lambda ctx: file_jobs.list_backups(ctx, restoring=True), parent=self.window,
                     on_done=self._show_restore,
                     on_error=lambda message: self._error("无法恢复", message))

    def _show_restore(self, backups: file_jobs.Backups) -> None:
        from jingyuan_desktop.ui.files.backups import RestoreDialog

        dialog = RestoreDialog(self.ops, backups, self.window)
        dialog.sig_restored.connect(self._restored)
        self.restore_dialog = dialog
        dialog.open()

    def _restored(self, file: Path, safety: Path) -> None:
        self._notify("恢复完成", f"已从备份恢复：{file.name}\n程序中的数据已全部重新读取。\n\n"
                                 f"恢复前的数据已另存为：\n{safety}\n如需撤销这次恢复，可再从这份文件恢复。",
                     file=safety)

    # ---- telling the clerk -------------------------------------------------------------
    def _notify(self, title: str, text: str, *, details: str = "", file: Path | None = None) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.window)
        if details:
            box.setDetailedText(details)
        if file is not None:
            folder = box.addButton("打开文件夹", QMessageBox.ButtonRole.ActionRole)
            folder.clicked.connect(lambda: open_folder(file))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.notice = box
        box.open()
        self._status(text.split("\n", 1)[0])
        self.sig_finished.emit(text)

    def _error(self, title: str, message: str) -> None:
        self._status(message)
        self.sig_finished.emit(message)
        QMessageBox.warning(self.window, title, message)

    def _status(self, text: str) -> None:
        if isinstance(self.window, QMainWindow):
            self.window.statusBar().showMessage(text, 10000)

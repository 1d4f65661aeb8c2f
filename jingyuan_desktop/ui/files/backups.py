"""Backing the database up, and restoring it from a backup after a clear warning."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.services import setup
from jingyuan_desktop.services.file_jobs import BackupFile, Backups
from jingyuan_desktop.ui.ops import Change, Operations, Progress
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, MUTED
from jingyuan_desktop.ui.widgets import files as file_dialogs

RESTORE_WARNING = "恢复将以备份内容替换当前全部数据；恢复前的数据会自动另存一份。"


def folder_path(parent: QWidget | None, title: str) -> str:
    """Ask for a folder, starting in the documents folder. "" when cancelled."""
    return QFileDialog.getExistingDirectory(parent, title, str(file_dialogs.documents_folder()))


class BackupDialog(QDialog):
    """Where the backup goes, when the last one was made; 立即备份 or 另存到…."""

    sig_backed_up = Signal(object)
    """The backup file's path; the dialog has closed."""

    def __init__(self, ops: Operations, backups: Backups, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops, self.backups = ops, backups
        self.setWindowTitle("备份数据库")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        latest = next((b for b in backups.files if not b.safety_copy), None)
        last = f"上次备份：{latest.time_text}（{latest.size_text}）" if latest else "还没有备份过。"
        text = QLabel(f"将把当前全部数据备份到：\n{backups.folder}\n\n{last}\n\n"
                      "备份文件可用于“从备份恢复…”。建议定期另存一份到U盘或其他电脑。", self)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_button = QPushButton("立即备份", self)
        self.backup_button.setDefault(True)
        self.elsewhere_button = QPushButton("另存到…", self)
        self.elsewhere_button.setToolTip("选择另一个文件夹（如U盘）保存备份")
        self.cancel_button = QPushButton("取消", self)
        self.backup_button.clicked.connect(lambda: self.start_backup(None))
        self.elsewhere_button.clicked.connect(self._choose_folder)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.backup_button, self.elsewhere_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

    def _choose_folder(self) -> None:
        folder = folder_path(self, "选择备份保存到的文件夹")
        if folder:
            self.start_backup(Path(folder))

    def start_backup(self, folder: Path | None) -> None:
        def work(ctx, _progress: Progress) -> Path:
            return setup.backup(ctx, folder)

        self._busy(True)
        self.ops.run(work, progress="正在备份数据库…", cancellable=False, parent=self, owner=self,
                     on_done=self._done, on_error=self._failed)

    def _done(self, path: Path) -> None:
        self._busy(False)
        self.sig_backed_up.emit(path)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        QMessageBox.warning(self, "备份失败", message)

    def _busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.elsewhere_button, self.cancel_button):
            button.setEnabled(not busy)


class RestoreDialog(QDialog):
    """The backups, newest first, or any backup file; 恢复 only once the clerk has ticked that
    the current data will be replaced."""

    sig_restored = Signal(object, object)
    """(the backup restored from, the safety copy of the data it replaced); the dialog has closed."""

    HEADERS = ("备份时间", "类型", "大小", "文件")

    def __init__(self, ops: Operations, backups: Backups, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.files: list[BackupFile | Path] = list(backups.files)
        self.setWindowTitle("从备份恢复")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 480)

        intro = QLabel(f"选择要恢复的备份（备份文件夹：{backups.folder}）：", self)
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(self.HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel("备份文件夹中还没有备份。可用“选择其他备份文件…”找到备份。", self)
        self.empty.setStyleSheet(f"color: {MUTED};")
        self.other_button = QPushButton("选择其他备份文件…", self)
        self.other_button.clicked.connect(self._choose_file)
        self.chosen_label = QLabel("", self)
        self.chosen_label.setWordWrap(True)
        warning = QLabel(f"{RESTORE_WARNING}\n恢复期间其他电脑不能使用本程序，请先让其他电脑关闭本程序。", self)
        warning.setWordWrap(True)
        warning.setStyleSheet(f"color: {ALARM}; background: {ALARM_TINT}; padding: 8px; font-weight: bold;")
        self.confirm = QCheckBox("我已了解：当前全部数据将被所选备份替换", self)
        self.restore_button = QPushButton("恢复", self)
        self.restore_button.setStyleSheet(f"QPushButton:enabled {{ color: {ALARM}; font-weight: bold; }}")
        self.cancel_button = QPushButton("取消", self)
        self.cancel_button.setDefault(True)
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.start_restore)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm.toggled.connect(self._update)
        self.table.itemSelectionChanged.connect(self._update)

        row = QHBoxLayout()
        row.addWidget(self.other_button)
        row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm, 1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        layout.addWidget(self.chosen_label)
        layout.addWidget(warning)
        layout.addLayout(buttons)
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.files))
        for r, entry in enumerate(self.files):
            if isinstance(entry, BackupFile):
                values = (entry.time_text, entry.kind_text, entry.size_text, entry.path.name)
                tip = str(entry.path)
            else:
                values = ("", "其他文件", "", entry.name)
                tip = str(entry)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tip)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not self.files)
        self._update()

    def _choose_file(self) -> None:
        path = file_dialogs.open_path(self, "选择备份文件", "数据库备份 (*.db);;所有文件 (*)")
        if path:
            self.choose(Path(path))

    def choose(self, path: Path) -> None:
        """Put ``path`` at the top of the list and select it."""
        known = next((i for i, e in enumerate(self.files) if _path_of(e) == path), None)
        if known is None:
            self.files.insert(0, path)
            self._fill()
            known = 0
        self.table.selectRow(known)

    def selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return _path_of(self.files[rows[0].row()]) if rows else None

    def _update(self) -> None:
        chosen = self.selected()
        entry = next((e for e in self.files if _path_of(e) == chosen), None)
        if isinstance(entry, BackupFile):
            self.chosen_label.setText(f"将恢复到 {entry.time_text} 时的数据（{entry.path}）")
        elif chosen is not None:
            self.chosen_label.setText(f"将恢复为文件中的数据：{chosen}")
        else:
            self.chosen_label.setText("请先在上面选择一个备份。")
        self.restore_button.setEnabled(chosen is not None and self.confirm.isChecked())
        self.restore_button.setToolTip("" if self.restore_button.isEnabled()
                                       else "请先选择一个备份，并勾选“我已了解”")

    def start_restore(self) -> None:
        file = self.selected()
        if file is None or not self.confirm.isChecked():
            return

        def work(ctx, _progress: Progress) -> Path:
            return setup.restore(ctx, file)

        self._busy(True)
        # Not cancellable: the replacement is one transaction, and stopping it half-way is
        # exactly what must not happen. Every view reads again once it is done.
        self.ops.run(work, changed=Change.everything(), progress="正在恢复数据库，请勿关闭程序…", cancellable=False,
                     parent=self, owner=self, on_done=lambda safety: self._done(file, safety), on_error=self._failed)

    def _done(self, file: Path, safety: Path) -> None:
        self._busy(False)
        self.sig_restored.emit(file, safety)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        QMessageBox.warning(self, "恢复失败", message)

    def _busy(self, busy: bool) -> None:
        for widget in (self.table, self.other_button, self.confirm, self.cancel_button):
            widget.setEnabled(not busy)
        if busy:
            self.restore_button.setEnabled(False)
        else:
            self._update()


def _path_of(entry: BackupFile | Path) -> Path:
    return entry.path if isinstance(entry, BackupFile) else entry


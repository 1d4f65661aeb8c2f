"""File dialogs that start where an office clerk keeps files: the documents folder, not the
program's own folder, and in Chinese."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def documents_folder() -> Path:
    """The user's documents folder (我的文档), or the home folder when there is none."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def save_path(parent: QWidget | None, title: str, suggested_name: str, file_filter: str) -> str:
    """Ask where to save; the suggested name sits in the documents folder. "" when cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(documents_folder() / suggested_name), file_filter)
    return path


def open_path(parent: QWidget | None, title: str, file_filter: str) -> str:
    """Ask for a file to read, starting in the documents folder. "" when cancelled."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, str(documents_folder()), file_filter)
    return path

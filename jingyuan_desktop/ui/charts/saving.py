"""Saving a chart, the same from the statistics page (``view``) and the projection (``canvas``):
a right-click menu, the file dialog, and the Figure written as PNG at 150 dpi or as PDF."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from jingyuan_desktop.os_errors import write_refusal
from jingyuan_desktop.ui.widgets.files import save_path

logger = logging.getLogger(__name__)


def show_menu(widget: QWidget, position, save_dialog: Callable[[str], None]) -> None:
    menu = QMenu(widget)
    menu.addAction("保存为 PNG 图片…", lambda: save_dialog("png"))
    menu.addAction("保存为 PDF…", lambda: save_dialog("pdf"))
    menu.exec(widget.mapToGlobal(position))


def ask_path(widget: QWidget, name: str, kind: str) -> str:
    """Where to save the chart ``name``; "" when cancelled."""
    return save_path(widget, "保存图表", f"{name}.{kind}", "PNG 图片 (*.png)" if kind == "png" else "PDF 文件 (*.pdf)")


def save_figure(widget: QWidget, figure: Any, path: str) -> Path:
    """``figure`` (a matplotlib Figure) written to ``path``; a refusal of the disk is said in
    Chinese and logged, never raised."""
    target = Path(path)
    try:
        figure.savefig(target, dpi=150)
    except OSError as error:
        logger.warning("saving the chart to %s failed", target, exc_info=True)
        QMessageBox.warning(widget, "保存失败", write_refusal(target, error))
    return target

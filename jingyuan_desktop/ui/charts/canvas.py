"""One matplotlib figure in the window, with 保存为 PNG / PDF on its context menu."""

from __future__ import annotations

import logging
from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMenu, QMessageBox, QWidget

from jingyuan_desktop.ui.charts.style import setup_matplotlib
from jingyuan_desktop.ui.widgets.files import save_path

logger = logging.getLogger(__name__)


class ChartCanvas(FigureCanvasQTAgg):
    def __init__(self, name: str, parent: QWidget | None = None, *, width: float = 6, height: float = 4):
        setup_matplotlib()
        super().__init__(Figure(figsize=(width, height), layout="constrained"))
        self.setParent(parent)
        self.name = name
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.setToolTip("右键可保存为图片或 PDF")

    def wheelEvent(self, event) -> None:
        """The charts do nothing with the wheel: it scrolls the page they sit in, wherever the mouse
        is (matplotlib's canvas would keep it). Handed on explicitly: Qt passes an ignored wheel
        event to the parent only when it came from the system, not when a program sent it."""
        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        QApplication.sendEvent(area.viewport(), event)
        event.accept()  # scrolled once: not again on the way up

    def axes(self):
        self.figure.clear()
        return self.figure.add_subplot()

    def _menu(self, position) -> None:
        menu = QMenu(self)
        menu.addAction("保存为 PNG 图片…", lambda: self.save_dialog("png"))
        menu.addAction("保存为 PDF…", lambda: self.save_dialog("pdf"))
        menu.exec(self.mapToGlobal(position))

    def save_dialog(self, kind: str) -> None:
        path = save_path(self, "保存图表", f"{self.name}.{kind}",
                         "PNG 图片 (*.png)" if kind == "png" else "PDF 文件 (*.pdf)")
        if path:
            self.save(path)

    def save(self, path: str) -> Path:
        target = Path(path)
        try:
            self.figure.savefig(target, dpi=150)
        except OSError as error:
            logger.warning("saving the chart to %s failed", target, exc_info=True)
            QMessageBox.warning(self, "保存失败", f"无法写入 {target}：{error.strerror or error}")
        return target

"""One matplotlib figure in the window, with 保存为 PNG / PDF on its context menu."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from jingyuan_desktop.ui.charts import saving
from jingyuan_desktop.ui.charts.scrolling import scroll_page
from jingyuan_desktop.ui.charts.style import setup_matplotlib


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
        """The charts do nothing with the wheel (matplotlib's canvas would keep it): it scrolls the page."""
        scroll_page(self, event)

    def axes(self):
        self.figure.clear()
        return self.figure.add_subplot()

    def _menu(self, position) -> None:
        saving.show_menu(self, position, self.save_dialog)

    def save_dialog(self, kind: str) -> None:
        path = saving.ask_path(self, self.name, kind)
        if path:
            self.save(path)

    def save(self, path: str) -> Path:
        return saving.save_figure(self, self.figure, path)

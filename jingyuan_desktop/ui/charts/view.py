"""One chart of the statistics page: the picture a worker drew (ui.charts.render), with a click
on a village's bar and 保存为 PNG / PDF on its context menu."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from jingyuan_desktop.ui.charts import saving
from jingyuan_desktop.ui.charts.render import DPI, Picture, Size
from jingyuan_desktop.ui.charts.scrolling import scroll_page

MIN_SIDE = 120  # pixels: smaller, the widget is not laid out yet


class ChartView(QWidget):
    sig_bar_clicked = Signal(str)
    """A bar that stands for a village was clicked: the village's name."""
    sig_resized = Signal()
    """The chart's size changed: its picture is to be drawn again at the new size."""

    def __init__(self, name: str, parent: QWidget | None = None, *, width: float = 6, height: float = 4):
        super().__init__(parent)
        self.name = name
        self.picture: Picture | None = None
        self._hint = QSize(int(width * DPI), int(height * DPI))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.setToolTip("右键可保存为图片或 PDF")

    def sizeHint(self) -> QSize:
        return self._hint

    # ---- what is shown --------------------------------------------------------------
    def wanted_size(self) -> Size:
        """The size to draw at: the chart's own, or its usual size while it is not laid out yet
        (a page about to be shown), drawn again once it has its size."""
        size = self.size() if self.width() >= MIN_SIDE and self.height() >= MIN_SIDE else self.sizeHint()
        return Size(size.width(), size.height(), self.devicePixelRatioF())

    def set_picture(self, picture: Picture) -> None:
        self.picture = picture
        self.update()

    @property
    def figure(self):
        """The Figure of the picture on screen (None before the first): saving and tests look into it."""
        return self.picture.figure if self.picture is not None else None

    @property
    def device_pixel_ratio(self) -> float:
        return self.picture.size.ratio if self.picture is not None else self.devicePixelRatioF()

    def draw(self) -> None:
        """Draw the Figure again, as it is now (after a test changed or asked something of it)."""
        if self.picture is not None:
            self.picture.figure.canvas.draw()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        if self.picture is not None:
            # Until the picture at a new size arrives, the old one is stretched to fit.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRect(QPoint(0, 0), self.size()), self.picture.image)
        painter.end()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.sig_resized.emit()

    # ---- the clerk's hands ----------------------------------------------------------
    def bar_at(self, position: QPoint) -> str | None:
        """The village whose bar is under ``position`` (widget pixels), if any."""
        picture = self.picture
        if picture is None or self.width() <= 0 or self.height() <= 0:
            return None
        width, height = picture.image.width(), picture.image.height()
        x = position.x() / self.width() * width
        y = (1 - position.y() / self.height()) * height  # matplotlib counts from the bottom
        for village, (x0, y0, x1, y1) in picture.bars:
            if x0 <= x <= x1 and y0 <= y <= y1:
                return village
        return None

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            village = self.bar_at(event.position().toPoint())
            if village:
                self.sig_bar_clicked.emit(village)
                event.accept()
                return
        super().mousePressEvent(event)

    def wheelEvent(self, event) -> None:
        """The wheel scrolls the page the chart sits in."""
        scroll_page(self, event)

    def _menu(self, position) -> None:
        if self.picture is not None:
            saving.show_menu(self, position, self.save_dialog)

    def save_dialog(self, kind: str) -> None:
        path = saving.ask_path(self, self.name, kind)
        if path:
            self.save(path)

    def save(self, path: str) -> Path:
        """The chart as a file (PNG at 150 dpi, or PDF), drawn from its Figure."""
        if self.picture is None:
            return Path(path)
        return saving.save_figure(self, self.picture.figure, path)

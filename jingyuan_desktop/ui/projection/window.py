"""Projection mode for the weekly meeting: full screen, large type, high contrast, a clicker's
keys to page through. Built for a 1024x768 projector."""

from __future__ import annotations

from datetime import date, timedelta

from matplotlib.text import Text
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.services import figures as figure_service
from jingyuan_desktop.services import meeting as meeting_service
from jingyuan_desktop.ui.charts import draw
from jingyuan_desktop.ui.charts.canvas import ChartCanvas
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.palette import ALARM
from jingyuan_desktop.ui.projection.slides import Slide, build_slides

INK, PAPER, ACCENT = "#111111", "#ffffff", "#0b4f9c"
NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
             Qt.Key.Key_Return, Qt.Key.Key_Enter}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}


def _label(text: str, size: int, *, bold: bool = False, colour: str = INK) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"font-size: {size}px; color: {colour}; {'font-weight: bold;' if bold else ''}")
    return label


class ProjectionWindow(QWidget):
    sig_loaded = Signal()

    def __init__(self, ops: Operations, week: str | None = None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.ops = ops
        self.week = week  # None: the week the meeting reviews (meeting.default_week), read with the rest
        self.slides: list[Slide] = []
        self.canvases: list[ChartCanvas] = []
        self.setWindowTitle("周例会投影（Esc 退出）")
        self.setStyleSheet(f"background: {PAPER}; color: {INK};")
        self.stack = QStackedWidget(self)
        self.counter = _label("", 20, colour="#555555")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 28, 40, 16)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.counter)
        self.stack.addWidget(_label("正在准备…", 40))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.load()

    def load(self) -> None:
        week = self.week

        def gather(ctx):
            agenda = meeting_service.build_agenda(ctx, week or meeting_service.default_week(ctx))
            last = (agenda.end - timedelta(days=1)).date()  # the week's Sunday
            first = date(last.year, 1, 1)
            figures = figure_service.figures(ctx, first, last)
            return agenda, figures, ctx.office().town

        self.ops.run(gather, on_done=self._build,
                     on_error=lambda message: self._replace([_label(message, 32, colour=ALARM)]))

    def _replace(self, widgets: list[QWidget]) -> None:
        while (old := self.stack.widget(0)) is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        for widget in widgets:
            self.stack.addWidget(widget)
        self.show_slide(0)

    def _build(self, result) -> None:
        agenda, figures, town = result
        self.figures = figures
        self.agenda = agenda
        self.week = agenda.week
        self.slides = build_slides(town, agenda, f"{figures.start.year}年")
        self.canvases = []
        self._replace([self._page(slide) for slide in self.slides])
        self.sig_loaded.emit()

    # ---- slides ---------------------------------------------------------------------
    def _page(self, slide: Slide) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_label(slide.title, 44, bold=True, colour=ACCENT))
        if slide.kind == "title":
            layout.addStretch(1)
            for line in slide.lines:
                layout.addWidget(_label(line, 40))
            layout.addStretch(2)
        elif slide.kind == "figures":
            grid = QGridLayout()
            for index, (name, value) in enumerate(slide.figures):
                cell = QVBoxLayout()
                cell.setSpacing(0)  # the label belongs right under its number
                cell.addStretch(1)
                cell.addWidget(_label(value, 56, bold=True))
                cell.addWidget(_label(name, 26, colour="#444444"))
                cell.addStretch(1)
                grid.addLayout(cell, index // 4, index % 4)
            layout.addLayout(grid, 1)
        elif slide.kind == "chart":
            layout.addWidget(self._chart(slide.chart), 1)
        else:
            layout.addWidget(self._table(slide) if slide.rows else _label(slide.lines[0], 36), 1)
        return page

    def _chart(self, which: str) -> ChartCanvas:
        canvas = ChartCanvas(which, None, width=9.5, height=6)
        ax = canvas.axes()
        if which in ("resolution", "satisfaction"):
            field = f"{which}_rate"
            draw.village_rates(ax, self.figures.by_village, self.figures.total, field, "")
            ax.tick_params(labelsize=13)
        else:
            rows = self.agenda.overdue_by_village
            ax.barh([v for v, _c in rows][::-1], [c for _v, c in rows][::-1], color=ALARM)
            ax.tick_params(labelsize=14)
            if not rows:
                ax.text(0.5, 0.5, "没有超时的时限", ha="center", va="center", fontsize=28, transform=ax.transAxes)
        self.canvases.append(canvas)
        return canvas

    def _table(self, slide: Slide) -> QTableWidget:
        table = QTableWidget(len(slide.rows), len(slide.header))
        table.setHorizontalHeaderLabels(slide.header)
        table.verticalHeader().setVisible(False)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setStyleSheet("font-size: 26px; gridline-color: #999;")
        table.horizontalHeader().setStyleSheet("font-size: 24px; font-weight: bold;")
        table.horizontalHeader().setStretchLastSection(True)
        for r, row in enumerate(slide.rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table.verticalHeader().setDefaultSectionSize(56)
        return table

    # ---- moving ---------------------------------------------------------------------
    def show_slide(self, index: int) -> None:
        index = max(0, min(index, self.stack.count() - 1))
        self.stack.setCurrentIndex(index)
        self.counter.setText(f"{index + 1} / {self.stack.count()}　← → 翻页　Esc 退出")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in NEXT_KEYS:
            self.show_slide(self.stack.currentIndex() + 1)
        elif key in PREVIOUS_KEYS:
            self.show_slide(self.stack.currentIndex() - 1)
        elif key == Qt.Key.Key_Home:
            self.show_slide(0)
        elif key == Qt.Key.Key_End:
            self.show_slide(self.stack.count() - 1)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:
        # A click moves on, as a presenter would expect; right click goes back.
        step = -1 if event.button() == Qt.MouseButton.RightButton else 1
        self.show_slide(self.stack.currentIndex() + step)

    def texts(self) -> list[str]:
        """Every piece of text on every slide: labels, table cells, chart texts (for checks)."""
        found: list[str] = []
        for label in self.findChildren(QLabel):
            found.append(label.text())
        for table in self.findChildren(QTableWidget):
            cells = [table.horizontalHeaderItem(c) for c in range(table.columnCount())]
            cells += [table.item(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())]
            found += [cell.text() for cell in cells if cell is not None]
        for canvas in self.canvases:
            # Every string matplotlib draws is a Text (a legend's TextArea holds one too).
            found += [artist.get_text() for artist in canvas.figure.findobj() if isinstance(artist, Text)]
        return found


def open_projection(ops: Operations, parent: QWidget | None = None, week: str | None = None) -> ProjectionWindow:
    """Full screen on the second screen when there is one (the projector), else on this one."""
    window = ProjectionWindow(ops, week)
    screens = QGuiApplication.screens()
    here = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    target = next((s for s in screens if s is not here), here) if len(screens) > 1 else here
    window.setScreen(target)
    window.setGeometry(target.geometry())
    window.showFullScreen()
    window.activateWindow()
    window.setFocus()
    return window

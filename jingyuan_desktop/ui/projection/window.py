"""Projection mode for the weekly meeting: full screen, large type, high contrast, a clicker's
keys to page through. Built for a 1024x768 projector: no text smaller than TEXT_PX pixels, tables
that fill their slides (as many rows as fit, counted from the window's height) and charts with
their values on the bars."""

from __future__ import annotations

from datetime import date, timedelta

from matplotlib.text import Text
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
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
from jingyuan_desktop.services.prevention import duties as prevention_duties
from jingyuan_desktop.services.prevention import records as prevention_records
from jingyuan_desktop.ui.charts import draw
from jingyuan_desktop.ui.charts.canvas import ChartCanvas
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.palette import ALARM
from jingyuan_desktop.ui.projection.slides import CHARTS, Slide, build_slides

INK, PAPER, ACCENT, MUTED = "#111111", "#ffffff", "#0b4f9c", "#333333"
NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
             Qt.Key.Key_Return, Qt.Key.Key_Enter}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}

# Type sizes in pixels, not points, so that they hold whatever the screen's DPI: at 1024x768 no
# text on a slide is smaller than TEXT_PX, which is read from the back row of a meeting room.
TEXT_PX = 28
TITLE_PX = 40
FIGURE_PX = 56
ROW_PADDING = 12  # above and below a table row's text, together
CELL_PADDING = 20  # left and right of a cell's text, together
PAGE_SPACING = 6  # between a slide's title and its body
BAR_PITCH = 1.3  # a chart's bars are this many lines of TEXT_PX apart
CHART_MARGIN = 24  # pixels of a chart's height that are not bars (the frame's padding)


def _font(px: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _label(text: str, px: int, *, bold: bool = False, colour: str = INK, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setFont(_font(px, bold=bold))
    label.setStyleSheet(f"color: {colour};")
    if not wrap:  # one line, always the same height: the slide's height is counted with it
        label.setFixedHeight(QFontMetrics(label.font()).height() + 4)
    return label


def _title(text: str) -> QLabel:
    return _label(text, TITLE_PX, bold=True, colour=ACCENT, wrap=False)


def _row_height() -> int:
    """The least height of a table row: its text and some air."""
    return QFontMetrics(_font(TEXT_PX)).height() + ROW_PADDING


def _header_height() -> int:
    return QFontMetrics(_font(TEXT_PX, bold=True)).height() + ROW_PADDING


def _points(px: float, canvas: ChartCanvas) -> float:
    """matplotlib's font size (points) that draws ``px`` pixels high on the screen: the figure's
    dpi counts physical pixels, which are ``device_pixel_ratio`` of the window's pixels."""
    dpi = canvas.figure.dpi / (canvas.device_pixel_ratio or 1)
    return px * 72 / dpi


def fit_widths(desired: list[int], floors: list[int], wide: tuple[int, ...], available: int) -> list[int]:
    """Column widths that fill ``available``: the room left over goes to the last column; when
    the texts are too long, the ``wide`` columns give way, the longest first, down to their
    ``floors`` (their headers); only then, every column in proportion."""
    widths = list(desired)
    excess = sum(widths) - available
    if excess <= 0:
        widths[-1] += -excess
        return widths
    budget = available - sum(w for c, w in enumerate(desired) if c not in wide)

    def capped(level: int) -> list[int]:
        return [max(floors[c], min(desired[c], level)) if c in wide else desired[c] for c in range(len(desired))]

    low, high = 0, max(desired)
    while low < high:  # the highest cap on the wide columns that fits the budget
        middle = (low + high + 1) // 2
        if sum(w for c, w in enumerate(capped(middle)) if c in wide) <= budget:
            low = middle
        else:
            high = middle - 1
    widths = capped(low)
    if sum(widths) > available:
        widths = [w * available // sum(widths) for w in widths]
    widths[-1] += available - sum(widths)
    return widths


class SlideTable(QTableWidget):
    """One table slide: rows as tall as the slide allows for ``rows_per_slide`` of them, columns
    that fill its width, and a long text cut short (…) in its cell rather than overflowing."""

    def __init__(self, slide: Slide, rows_per_slide: int):
        super().__init__(len(slide.rows), len(slide.header))
        self.rows_per_slide = max(rows_per_slide, 1)
        self.header, self.rows, self.wide = slide.header, slide.rows, slide.wide
        self.setHorizontalHeaderLabels(slide.header)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setMinimumSectionSize(1)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(True)
        self.setFont(_font(TEXT_PX))
        self.setStyleSheet(f"QTableWidget {{ gridline-color: #9a9a9a; color: {INK}; background: {PAPER};"
                           " alternate-background-color: #eef2f8; }")
        header = self.horizontalHeader()
        header.setFont(_font(TEXT_PX, bold=True))
        header.setFixedHeight(_header_height())
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(1)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStyleSheet(f"QHeaderView::section {{ background: #dde6f2; color: {INK}; border: none;"
                             f" border-bottom: 2px solid {ACCENT}; padding-left: {CELL_PADDING // 2 - 2}px; }}")
        for r, row in enumerate(slide.rows):
            for c, value in enumerate(row):
                self.setItem(r, c, QTableWidgetItem(value))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        self.verticalHeader().setDefaultSectionSize(max(_row_height(), self.viewport().height() // self.rows_per_slide))
        body, bold = QFontMetrics(self.font()), QFontMetrics(self.horizontalHeader().font())
        floors = [bold.horizontalAdvance(name) + CELL_PADDING for name in self.header]
        desired = [max([floors[c], *(body.horizontalAdvance(row[c]) + CELL_PADDING for row in self.rows)])
                   for c in range(len(self.header))]
        for c, width in enumerate(fit_widths(desired, floors, self.wide, self.viewport().width())):
            self.setColumnWidth(c, width)


class ProjectionWindow(QWidget):
    sig_loaded = Signal()

    def __init__(self, ops: Operations, week: str | None = None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.ops = ops
        self.week = week  # None: the week the meeting reviews (meeting.default_week), read with the rest
        self.slides: list[Slide] = []
        self.canvases: list[ChartCanvas] = []
        self.fitted = (0, 0)  # (rows per table slide, bars per chart slide) the slides were made for
        self.setWindowTitle("周例会投影（Esc 退出）")
        self.setStyleSheet(f"background: {PAPER}; color: {INK};")
        self.stack = QStackedWidget(self)
        self.counter = _label("", TEXT_PX, colour=MUTED, wrap=False)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(32, 12, 32, 6)
        self.outer.setSpacing(0)
        self.outer.addWidget(self.stack, 1)
        self.outer.addWidget(self.counter)
        self.stack.addWidget(_label("正在准备…", TITLE_PX))
        # A window that changes size (full screen coming into force, another projector) counts
        # its slides again once it has settled.
        self.refit = QTimer(self)
        self.refit.setSingleShot(True)
        self.refit.setInterval(200)
        self.refit.timeout.connect(self._refit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.load()

    def load(self) -> None:
        week = self.week

        def gather(ctx):
            agenda = meeting_service.build_agenda(ctx, week or meeting_service.default_week(ctx))
            last = (agenda.end - timedelta(days=1)).date()  # the week's Sunday
            first = date(last.year, 1, 1)
            figures = figure_service.figures(ctx, first, last)
            monday = agenda.start.date()
            prevention = prevention_duties.figures(ctx, monday, last, now=agenda.as_of)
            warnings = prevention_records.warnings_in(ctx, monday, last)
            return agenda, figures, ctx.office().town, prevention, warnings

        self.ops.run(gather, on_done=self._build,
                     on_error=lambda message: self._replace([_label(message, 32, colour=ALARM)]))

    def _replace(self, widgets: list[QWidget], index: int = 0) -> None:
        while (old := self.stack.widget(0)) is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        for widget in widgets:
            self.stack.addWidget(widget)
        self.show_slide(index)

    def _build(self, result) -> None:
        agenda, figures, town, self.prevention, self.warnings = result
        self.figures = figures
        self.agenda = agenda
        self.town = town
        self.week = agenda.week
        self._paginate()
        self.sig_loaded.emit()

    def fits(self) -> tuple[int, int]:
        """How many table rows and how many chart bars fit on a slide at the window's height."""
        margins = self.outer.contentsMargins()
        page = self.height() - margins.top() - margins.bottom() - self.outer.spacing() - self.counter.maximumHeight()
        body = page - _title("").maximumHeight() - PAGE_SPACING
        rows = (body - _header_height()) // _row_height()
        bars = int((body - CHART_MARGIN) / (TEXT_PX * BAR_PITCH)) - 1  # a line for the town's figure
        return max(rows, 1), max(bars, 1)

    def _paginate(self) -> None:
        current = self.stack.currentIndex()
        here = self.slides[current] if 0 <= current < len(self.slides) else None
        self.fitted = self.fits()
        rows, bars = self.fitted
        self.slides = build_slides(self.town, self.agenda, self.figures.by_village, f"{self.figures.start.year}年",
                                   rows_per_slide=rows, bars_per_chart=bars, prevention=self.prevention,
                                   warnings=self.warnings)
        # The presenter stays where he was: on the slide that now holds the row he was showing.
        index = 0
        if here is not None:
            index = max((i for i, s in enumerate(self.slides) if s.section == here.section and s.first <= here.first),
                        default=0)
        self.canvases = []
        self._replace([self._page(slide) for slide in self.slides], index)

    def _refit(self) -> None:
        if self.fits() != self.fitted:
            self._paginate()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.slides and self.fits() != self.fitted:
            self.refit.start()

    # ---- slides ---------------------------------------------------------------------
    def _page(self, slide: Slide) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(PAGE_SPACING)
        if slide.kind == "title":
            layout.addStretch(2)
            layout.addWidget(_label(slide.title, 60, bold=True, colour=ACCENT))
            layout.addSpacing(24)
            layout.addWidget(_label(slide.lines[0], 44, bold=True))
            for line in slide.lines[1:]:
                layout.addWidget(_label(line, 40, colour=MUTED))
            layout.addStretch(3)
            return page
        layout.addWidget(_title(slide.title))
        if slide.kind == "figures":
            grid = QGridLayout()
            grid.setHorizontalSpacing(16)
            for index, (name, value) in enumerate(slide.figures):
                cell = QVBoxLayout()
                cell.setSpacing(0)  # the label belongs right under its number
                cell.addStretch(1)
                cell.addWidget(_label(value, FIGURE_PX, bold=True))
                cell.addWidget(_label(name, 32, colour=MUTED))
                cell.addStretch(1)
                grid.addLayout(cell, index // 4, index % 4)
            layout.addLayout(grid, 1)
        elif slide.kind == "chart":
            layout.addWidget(self._chart(slide), 1)
        elif slide.rows:
            layout.addWidget(SlideTable(slide, self.fitted[0]), 1)
        else:
            layout.addWidget(_label(slide.lines[0], 40), 1)
        return page

    def _chart(self, slide: Slide) -> ChartCanvas:
        canvas = ChartCanvas(slide.chart, None, width=9.5, height=6)
        text = _points(TEXT_PX, canvas)
        ax = canvas.axes()
        slots = self.fitted[1]
        if slide.chart in CHARTS:
            keys = set(slide.keys)
            rows = [r for r in self.figures.by_village if r.key in keys]
            names = draw.village_rates(ax, rows, self.figures.total, f"{slide.chart}_rate", "")
            for label in ax.texts:  # each bar's value, and the town's figure by its line
                label.set_fontsize(text)
                label.set_bbox({"facecolor": PAPER, "edgecolor": "none", "pad": 1})  # the line passes behind
            for line in ax.lines:  # the town's figure
                line.set_linewidth(2.5)
            ax.title.set_fontsize(text)  # the villages without a figure, if any
            ax.title.set_wrap(True)
            ax.set_xlim(0, 128)  # room right of a full bar for its value
            top = len(names) + 0.5  # a line above the top bar for the town's figure
            ax.set_ylim(top - slots - 1.1, top)
        else:
            counts = dict(self.agenda.overdue_by_village)
            names = slide.keys[::-1]  # most at the top
            bars = ax.barh(range(len(names)), [counts[name] for name in names], color=ALARM)
            ax.bar_label(bars, padding=8, fontsize=text)
            ax.set_yticks(range(len(names)), names)
            ax.set_xlim(0, max(counts.values(), default=1) * 1.2)
            top = len(names) - 0.4
            slots = min(slots, max(len(names), 8))  # a few owners get broader bars, not a slide of air
            ax.set_ylim(top - slots - 0.2, top)
            if not names:
                ax.text(0.5, 0.5, "没有超时的时限", ha="center", va="center", fontsize=_points(40, canvas),
                        transform=ax.transAxes)
        # The values are on the bars: no axis of numbers to read across the room.
        ax.set_xticks([])
        ax.set_xlabel("")
        ax.tick_params(axis="y", labelsize=text, length=0)
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        self.canvases.append(canvas)
        return canvas

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

"""The statistics screen: the period's figures as charts, each one the same number `jingyuan
stats` prints; a click on a village's bar leads to that village's cases.

The figures are read in the pool and the charts drawn there too (ui.charts.render): the window
never waits for matplotlib. The figures, the line above the charts and the charts change
together, when the pictures are ready.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.statistics import FIGURE_LABELS, FIGURE_UNITS, StatsRow, figure_text
from jingyuan_desktop.services import figures as figure_service
from jingyuan_desktop.services.prevention import duties as prevention
from jingyuan_desktop.ui.charts import render
from jingyuan_desktop.ui.charts.view import ChartView
from jingyuan_desktop.ui.ops import Operations, Progress
from jingyuan_desktop.ui.widgets.pages import PageHost


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


MISSED_SHOWN = 8  # grids and beats named on the page; the rest counted (all on the meeting page)


def headline(total: StatsRow) -> str:
    """接收 <b>12</b> 件　化解率 <b>83.3%</b>　…: every figure of the total, labelled as everywhere."""
    parts = []
    for name, label in FIGURE_LABELS.items():
        value = getattr(total, name)
        unit = FIGURE_UNITS.get(name, "") if value is not None else ""
        parts.append(f"{label} <b>{figure_text(name, value)}</b>" + (f" {unit}" if unit else ""))
    return "　".join(parts)


# A chart drawn again once its size has stayed the same this long (dragging the window's edge).
RESIZE_PAUSE_MS = 200


class StatisticsWidget(QWidget):
    sig_village_clicked = Signal(str, str, str)  # village, first and last date (ISO) of the period
    sig_loaded = Signal()
    """New figures and their charts are on screen."""

    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.figures: figure_service.Figures | None = None
        self.period = QComboBox(self)
        for key, label in figure_service.PERIODS.items():
            self.period.addItem(label, key)
        self.period.setCurrentIndex(self.period.findData("year"))
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.minor_classes = QCheckBox("类别图显示小类", self)
        self.minor_classes.setToolTip("默认按大类统计案件数；勾选后按小类显示（超出部分合并为“其他”）")
        self.minor_classes.toggled.connect(lambda _on: self._draw({"categories"}))
        self.refresh_button = QPushButton("统计", self)
        self.refresh_button.setToolTip("按所选时段重新统计")
        self.refresh_button.clicked.connect(self.reload)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.summary = QLabel("正在统计…", self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 14px; padding: 6px;")
        # The prevention half of the same period (issue 14): what was found before a call.
        self.prevention = QLabel(self)
        self.prevention.setWordWrap(True)
        self.prevention.setStyleSheet("font-size: 13px; padding: 0 6px 6px 6px;")

        bar = QHBoxLayout()
        for widget in (QLabel("时段", self), self.period, self.date_from, QLabel("至", self), self.date_to,
                       self.refresh_button, self.minor_classes):
            bar.addWidget(widget)
        bar.addStretch(1)
        hint = QLabel("单击某村（社区）的柱条可查看其案件；右键图表可保存。", self)
        hint.setStyleSheet("color: #666;")
        bar.addWidget(hint)

        self.charts = {
            "resolution": ChartView("各村化解率", self, height=7),
            "satisfaction": ChartView("各村满意率", self, height=7),
            "clocks": ChartView("各时限按时率", self),
            "categories": ChartView("各类别案件数", self),
            "trend": ChartView("趋势", self),
            "risks": ChartView("风险等级", self),
        }
        self._pending: figure_service.Figures | None = None  # the figures being drawn
        self._undrawn: set[str] = set()  # charts asked to be drawn again, not yet on screen
        self._resize_pause = QTimer(self)
        self._resize_pause.setSingleShot(True)
        self._resize_pause.setInterval(RESIZE_PAUSE_MS)
        self._resize_pause.timeout.connect(self._draw_resized)
        for chart in self.charts.values():
            chart.sig_resized.connect(self._resize_pause.start)
        for key in ("resolution", "satisfaction"):
            self.charts[key].sig_bar_clicked.connect(self._bar_clicked)
            self.charts[key].setMinimumHeight(620)
        for key in ("clocks", "categories", "trend", "risks"):
            self.charts[key].setMinimumHeight(340)
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        for index, key in enumerate(self.charts):
            grid.addWidget(self.charts[key], index // 2, index % 2)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(grid_host)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.prevention)
        layout.addWidget(self.scroll_area, 1)
        self._period_changed()
        ops.sig_changed.connect(lambda change: self.reload() if self.isVisible() and change.any_case else None)

    # ---- period ---------------------------------------------------------------------
    def connect_to(self, host: PageHost) -> None:
        """A click on a village's bar shows that village's cases of the period in the table."""
        self.sig_village_clicked.connect(host.show_village_cases)

    def current_week(self) -> str | None:
        return None

    def _period_changed(self, *_args) -> None:
        kind = self.period.currentData()
        custom = kind == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            start, end = figure_service.period_dates(kind, self.ops.ctx.now().date())
            self.date_from.setDate(_qdate(start))
            self.date_to.setDate(_qdate(end))
            self.reload()

    def dates(self) -> tuple[date, date]:
        return _pydate(self.date_from.date()), _pydate(self.date_to.date())

    def set_period(self, kind: str, start: date | None = None, end: date | None = None) -> None:
        if kind == "custom" and start and end:
            self.date_from.setDate(_qdate(start))
            self.date_to.setDate(_qdate(end))
        self.period.setCurrentIndex(self.period.findData(kind))
        if kind == "custom":
            self.reload()

    # ---- figures --------------------------------------------------------------------
    def reload(self) -> None:
        start, end = self.dates()
        if start > end:
            self.summary.setText("<span style='color:#b3261e'>开始日期不能晚于结束日期</span>")
            return
        self.summary.setText("正在统计…")
        # Only the answer to the latest request is drawn: an older, slower one must not win.
        # Years of cases take seconds at a county's size: a progress dialog (shown only after
        # a moment) with 取消, which leaves the figures on screen as they were.
        self.ops.run(lambda ctx, progress: figure_service.figures(ctx, start, end, progress=progress),
                     progress="正在统计…", parent=self, owner=self, key="figures",
                     on_cancelled=lambda: self.summary.setText("已取消统计。"),
                     on_done=self.show_figures,
                     on_error=lambda message: self.summary.setText(f"<span style='color:#b3261e'>{message}</span>"))
        self.ops.run(lambda ctx: prevention.figures(ctx, start, end), owner=self, key="prevention",
                     on_done=self._show_prevention,
                     on_error=lambda message: self.prevention.setText(f"排查预防统计失败：{message}"))

    def _show_prevention(self, fig: prevention.PreventionFigures) -> None:
        missed = fig.missed
        shown = "、".join(f"{row.key} {row.done}/{row.due}" for row in missed[:MISSED_SHOWN])
        more = f" 等 {len(missed)} 处" if len(missed) > MISSED_SHOWN else ""
        lines = [f"<b>排查预防</b>　{prevention.found_first_text(fig)}；{prevention.patrol_text(fig)}；"
                 f"{prevention.visits_text(fig)}"]
        if missed:
            lines.append(f"<span style='color:#b3261e'>未按时巡查走访：{shown}{more}</span>")
        self.prevention.setText("<br>".join(lines))

    def show_figures(self, result: figure_service.Figures) -> None:
        """Draw every chart of ``result`` in the pool; shown, with the figures, when drawn."""
        self._draw(set(self.charts), result)

    def _draw(self, keys: set[str], result: figure_service.Figures | None = None) -> None:
        """Draw ``keys`` again in the pool, for ``result`` or the figures on screen. A newer
        drawing supersedes one still running, and draws the charts that one had not shown."""
        figures = result if result is not None else self._drawing_for()
        if figures is None:
            return
        self._pending = figures
        self._undrawn |= keys
        sizes = {key: self.charts[key].wanted_size() for key in self.charts if key in self._undrawn}
        minor = self.minor_classes.isChecked()

        def work(_ctx, progress: Progress) -> dict[str, render.Picture]:
            return render.draw_charts(figures, sizes, minor, progress)

        self.ops.run(work, owner=self, key="charts", on_step=lambda _done, _total: None,
                     on_done=lambda pictures: self._show(figures, pictures),
                     on_error=lambda message: self.summary.setText(f"<span style='color:#b3261e'>{message}</span>"))

    def _drawing_for(self) -> figure_service.Figures | None:
        """The figures a redrawing is for: those being drawn, else those on screen."""
        return self._pending or self.figures

    def _show(self, figures: figure_service.Figures, pictures: dict[str, render.Picture]) -> None:
        for key, picture in pictures.items():
            self.charts[key].set_picture(picture)
            self._undrawn.discard(key)
        self._pending = None
        if figures is not self.figures:
            self.figures = figures
            self.summary.setText(f"{figures.start:%Y-%m-%d} 至 {figures.end:%Y-%m-%d}　" + headline(figures.total))
            self.sig_loaded.emit()

    def _draw_resized(self) -> None:
        """The charts whose size changed since they were drawn, drawn again at their size."""
        changed = {key for key, chart in self.charts.items()
                   if chart.picture is not None and chart.picture.size != chart.wanted_size()}
        if changed:
            self._draw(changed)

    def _bar_clicked(self, village: str) -> None:
        if self.figures is not None:
            self.sig_village_clicked.emit(village, self.figures.start.isoformat(), self.figures.end.isoformat())

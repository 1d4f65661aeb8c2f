"""The statistics screen: the period's figures as charts, each one the same number `jingyuan
stats` prints; a click on a village's bar leads to that village's cases."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
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
from jingyuan_desktop.ui.charts import draw
from jingyuan_desktop.ui.charts.canvas import ChartCanvas
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.widgets.pages import PageHost


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def headline(total: StatsRow) -> str:
    """接收 <b>12</b> 件　化解率 <b>83.3%</b>　…: every figure of the total, labelled as everywhere."""
    parts = []
    for name, label in FIGURE_LABELS.items():
        value = getattr(total, name)
        unit = FIGURE_UNITS.get(name, "") if value is not None else ""
        parts.append(f"{label} <b>{figure_text(name, value)}</b>" + (f" {unit}" if unit else ""))
    return "　".join(parts)


class StatisticsWidget(QWidget):
    sig_village_clicked = Signal(str, str, str)  # village, first and last date (ISO) of the period
    sig_loaded = Signal()

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
        self.minor_classes.toggled.connect(self._draw_categories)
        self.refresh_button = QPushButton("统计", self)
        self.refresh_button.setToolTip("按所选时段重新统计")
        self.refresh_button.clicked.connect(self.reload)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.summary = QLabel("正在统计…", self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 14px; padding: 6px;")

        bar = QHBoxLayout()
        for widget in (QLabel("时段", self), self.period, self.date_from, QLabel("至", self), self.date_to,
                       self.refresh_button, self.minor_classes):
            bar.addWidget(widget)
        bar.addStretch(1)
        hint = QLabel("单击某村（社区）的柱条可查看其案件；右键图表可保存。", self)
        hint.setStyleSheet("color: #666;")
        bar.addWidget(hint)

        self.charts = {
            "resolution": ChartCanvas("各村化解率", self, height=7),
            "satisfaction": ChartCanvas("各村满意率", self, height=7),
            "clocks": ChartCanvas("各时限按时率", self),
            "categories": ChartCanvas("各类别案件数", self),
            "trend": ChartCanvas("趋势", self),
            "risks": ChartCanvas("风险等级", self),
        }
        self._bar_villages: dict[int, list[str]] = {}
        for key in ("resolution", "satisfaction"):
            self.charts[key].mpl_connect("pick_event", self._picked)
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

    def show_figures(self, result: figure_service.Figures) -> None:
        self.figures = result
        self.summary.setText(f"{result.start:%Y-%m-%d} 至 {result.end:%Y-%m-%d}　" + headline(result.total))
        for key, field, title in (("resolution", "resolution_rate", "各村（社区）化解率"),
                                  ("satisfaction", "satisfaction_rate", "各村（社区）满意率")):
            canvas = self.charts[key]
            ax = canvas.axes()
            self._bar_villages[id(canvas.figure)] = draw.village_rates(ax, result.by_village, result.total,
                                                                       field, title)
            draw.village_legend(ax)
        draw.clock_rates(self.charts["clocks"].axes(), result.clocks)
        self._draw_categories(redraw=False)
        draw.trend(self.charts["trend"].axes(), result.trend, result.trend_by)
        draw.risks(self.charts["risks"].axes(), result.risks)
        for canvas in self.charts.values():
            canvas.draw_idle()
        self.sig_loaded.emit()

    def _draw_categories(self, *_args, redraw: bool = True) -> None:
        """Major classes (seed 002's 大类) by default, the minor ones on demand."""
        if self.figures is None:
            return
        canvas = self.charts["categories"]
        if self.minor_classes.isChecked():
            draw.categories(canvas.axes(), self.figures.by_category, "各类别（小类）案件数")
        else:
            draw.categories(canvas.axes(), self.figures.by_major, "各大类案件数")
        if redraw:
            canvas.draw_idle()

    def _picked(self, event) -> None:
        village = event.artist.get_gid() if event.artist is not None else None
        if village and self.figures is not None:
            self.sig_village_clicked.emit(village, self.figures.start.isoformat(), self.figures.end.isoformat())

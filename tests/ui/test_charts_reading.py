"""Issue 13 on the statistics page: the bar colours are explained, the wheel scrolls the page."""

from datetime import date

import pytest
from matplotlib.colors import to_rgba
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from jingyuan_desktop.ui.charts import StatisticsWidget, draw


@pytest.fixture
def widget(ops, qtbot):
    screen = StatisticsWidget(ops)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    screen.set_period("custom", date(2024, 1, 1), date(2025, 6, 11))
    qtbot.waitUntil(lambda: screen.figures is not None and screen.figures.start == date(2024, 1, 1), timeout=30_000)
    return screen


@pytest.mark.parametrize("key", ["resolution", "satisfaction"])
def test_the_village_charts_explain_their_colours(widget, key):
    canvas = widget.charts[key]
    legend = canvas.figure.axes[0].get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["低于全镇", "不低于全镇", "全镇平均"]
    assert all(t.get_fontsize() >= 9 for t in legend.get_texts())  # readable at the window's size

    assert legend.legend_handles[0].get_facecolor() == pytest.approx(to_rgba(draw.BELOW))
    assert legend.legend_handles[1].get_facecolor() == pytest.approx(to_rgba(draw.BAR))
    assert legend.legend_handles[2].get_linestyle() == "--"
    # Drawn inside the figure, clear of the bars: under the axes.
    canvas.draw()
    renderer = canvas.figure.canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    axes_box = canvas.figure.axes[0].get_window_extent(renderer)
    assert box.y0 >= 0 and box.y1 <= axes_box.y0
    assert box.x0 >= 0 and box.x1 <= canvas.figure.bbox.width


def test_the_wheel_over_a_chart_scrolls_the_page(widget, qtbot):
    bar = widget.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0  # the charts are taller than a 768-pixel window
    bar.setValue(0)
    canvas = widget.charts["resolution"]
    position = QPointF(canvas.width() / 2, canvas.height() / 2)
    wheel = QWheelEvent(position, QPointF(canvas.mapToGlobal(position.toPoint())), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, wheel)
    assert bar.value() > 0

"""The statistics screen: its figures are `jingyuan stats`' figures, a village bar leads to its cases."""

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

from jingyuan_desktop.services import stats
from jingyuan_desktop.ui.charts import StatisticsWidget
from jingyuan_desktop.ui.charts.style import setup_matplotlib


@pytest.fixture
def widget(ops, qtbot):
    screen = StatisticsWidget(ops)
    qtbot.addWidget(screen)
    screen.resize(1400, 1000)
    screen.show()
    screen.set_period("custom", date(2024, 1, 1), date(2025, 6, 11))
    qtbot.waitUntil(lambda: screen.figures is not None and screen.figures.start == date(2024, 1, 1), timeout=30_000)
    return screen


def bar_values(canvas):
    ax = canvas.figure.axes[0]
    return {patch.get_gid(): patch.get_width() for patch in ax.patches}


def test_the_charts_show_the_figures_of_jingyuan_stats(widget, ctx):
    expected = {r.key: r for r in stats.statistics(ctx, by="village", start=date(2024, 1, 1), end=date(2025, 6, 11))}
    shown = bar_values(widget.charts["resolution"])
    assert shown and shown == {key: pytest.approx(r.resolution_rate * 100)
                               for key, r in expected.items() if r.resolution_rate is not None}
    satisfaction = bar_values(widget.charts["satisfaction"])
    assert satisfaction == {key: pytest.approx(r.satisfaction_rate * 100)
                            for key, r in expected.items() if r.satisfaction_rate is not None}
    total = stats.statistics(ctx, start=date(2024, 1, 1), end=date(2025, 6, 11))[0]
    assert widget.figures.total == total
    assert f"接收 <b>{total.received}</b> 件" in widget.summary.text()
    risk_bars = [p.get_height() for p in widget.charts["risks"].figure.axes[0].patches]
    # An unclassified transfer has no colour yet (seed 003: the colour is chosen at classification).
    unclassified = sum(r.received for r in widget.figures.by_category if r.key == "未分类")
    assert sum(risk_bars) == total.received - unclassified


def test_clicking_a_village_bar_asks_for_its_cases(widget, qtbot):
    canvas = widget.charts["resolution"]
    canvas.draw()
    ax = canvas.figure.axes[0]
    bar = ax.patches[-1]  # the top bar
    x, y = ax.transData.transform((bar.get_width() / 2, bar.get_y() + bar.get_height() / 2))
    ratio = canvas.device_pixel_ratio or 1
    point = QPoint(int(x / ratio), int(canvas.height() - y / ratio))
    with qtbot.waitSignal(widget.sig_village_clicked, timeout=5_000) as clicked:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == [bar.get_gid(), "2024-01-01", "2025-06-11"]


def test_a_chart_saves_as_png_and_pdf(widget, tmp_path):
    png = widget.charts["trend"].save(str(tmp_path / "trend.png"))
    pdf = widget.charts["trend"].save(str(tmp_path / "trend.pdf"))
    assert png.read_bytes()[:4] == b"\x89PNG" and pdf.read_bytes()[:4] == b"%PDF"


def test_chinese_labels_use_a_cjk_font_and_keep_the_minus_sign():
    from matplotlib import rcParams

    font = setup_matplotlib()
    assert font is not None and rcParams["font.sans-serif"][0] == font
    assert rcParams["axes.unicode_minus"] is False


def test_the_statistics_page_shows_the_prevention_half_of_the_period(ops, ctx, qtbot):
    from datetime import timedelta

    from jingyuan_desktop.domain.prevention import Grid
    from jingyuan_desktop.services.prevention import records

    today = ctx.now().date()
    records.save_grids(ctx, [Grid("解营村", "一网格", since=today - timedelta(days=21))])
    page = StatisticsWidget(ops)
    qtbot.addWidget(page)
    page.set_period("custom", today - timedelta(days=21), today)
    qtbot.waitUntil(lambda: "排查预防" in page.prevention.text(), timeout=30_000)
    text = page.prevention.text()
    assert "主动发现" in text and "重点人员按时走访" in text
    assert "未按时巡查走访：解营村/一网格 0/" in text  # never patrolled since it was set up

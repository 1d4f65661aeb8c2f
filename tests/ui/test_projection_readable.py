"""Projection mode is readable from the back row (issue 13, item 5): at 1024x768 no text is
smaller than 28 pixels, tables fill their slides with as many rows as fit, bars carry their
values, the title gives the week's dates, and a long cell is cut short rather than overflowing."""

from datetime import datetime, timedelta

import pytest
from matplotlib.text import Text
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel

from jingyuan_desktop.domain.enums import EventType, Grade, Risk, Status
from jingyuan_desktop.domain.meeting import Agenda, AgendaItem
from jingyuan_desktop.domain.statistics import StatsRow
from jingyuan_desktop.services import meeting as meeting_service
from jingyuan_desktop.ui.projection import ProjectionWindow
from jingyuan_desktop.ui.projection.slides import build_slides, week_span
from jingyuan_desktop.ui.projection.window import TEXT_PX, SlideTable, fit_widths
from tests.ui.conftest import dispatch, new_case, record

LONG_PLAN = ("由司法所牵头，会同村调委会、派出所和王小明所在村民小组逐户走访，"
             "两周内拿出书面调解方案并报镇领导审定后组织签字")


@pytest.fixture
def window(ops, ctx, qtbot):
    case_no = new_case(ctx, risk=Risk.RED, summary="王小明称邻居占道")
    record(ctx, case_no, EventType.LEADER_ASSIGNED, 29, leader="赵镇长")
    record(ctx, case_no, EventType.CLASSIFIED, 28, grade=Grade.DIFFICULT)
    dispatch(ctx, case_no)
    week = meeting_service.current_week(ctx)
    meeting_service.record_decision(ctx, case_no, week, "司法所", LONG_PLAN, "2025-06-30")
    screen = ProjectionWindow(ops, week)
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    with qtbot.waitSignal(screen.sig_loaded, timeout=30_000):
        screen.show()
    return screen, case_no


def show(screen, index: int):
    screen.show_slide(index)
    QApplication.processEvents()
    return screen.stack.currentWidget()


def fullest_table(screen):
    """The first slide of the longest list, shown, with its table."""
    lists = [i for i, s in enumerate(screen.slides) if s.kind == "list" and s.rows]
    index = max(lists, key=lambda i: (len(screen.slides[i].rows), -i))
    page = show(screen, index)
    return page, page.findChild(SlideTable)


def text_pixels(canvas, text: Text) -> float:
    return text.get_fontsize() * canvas.figure.dpi / (canvas.device_pixel_ratio or 1) / 72


def test_a_table_slide_is_filled_with_the_rows_that_fit(window):
    screen, _case_no = window
    page, table = fullest_table(screen)
    assert table.rowCount() > 7
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert rows >= 0.8 * page.height()
    assert rows <= table.viewport().height()  # every row whole on the slide, none scrolled away
    assert all(table.rowHeight(r) >= QFontMetrics(table.font()).height() for r in range(table.rowCount()))


def test_rows_per_slide_follow_the_window_s_height(window, qtbot):
    screen, _case_no = window
    tall = screen.fitted[0]
    screen.resize(1024, 600)
    qtbot.waitUntil(lambda: screen.fitted[0] < tall, timeout=5_000)
    _page, table = fullest_table(screen)
    assert table.rowCount() == screen.fitted[0]
    assert sum(table.rowHeight(r) for r in range(table.rowCount())) <= table.viewport().height()


def test_no_text_is_smaller_than_28_pixels(window):
    screen, _case_no = window
    labels = screen.findChildren(QLabel)
    assert labels and min(label.font().pixelSize() for label in labels) >= TEXT_PX
    tables = screen.findChildren(SlideTable)
    assert tables
    for table in tables:
        assert table.font().pixelSize() >= TEXT_PX and table.horizontalHeader().font().pixelSize() >= TEXT_PX
    drawn = [(canvas, t) for canvas in screen.canvases for t in canvas.figure.findobj(Text)
             if t.get_visible() and t.get_text()]
    assert drawn
    small = [(t.get_text(), text_pixels(canvas, t)) for canvas, t in drawn if text_pixels(canvas, t) < TEXT_PX - 0.01]
    assert small == []


def test_the_bars_carry_their_values_and_every_village_is_shown(window):
    screen, _case_no = window
    shown: dict[str, set[str]] = {"resolution": set(), "satisfaction": set()}
    for slide, canvas in zip([s for s in screen.slides if s.kind == "chart"], screen.canvases, strict=True):
        ax = canvas.figure.axes[0]
        texts = {t.get_text() for t in ax.texts}
        for bar in ax.patches:
            value = bar.get_width()
            assert (f"{value:.1f}%" if slide.chart in shown else str(int(value))) in texts
        if slide.chart in shown:
            shown[slide.chart] |= {bar.get_gid() for bar in ax.patches}
    for chart, villages in shown.items():
        assert villages == {r.key for r in screen.figures.by_village if getattr(r, f"{chart}_rate") is not None}


def test_the_title_gives_the_week_s_dates(window):
    screen, _case_no = window
    agenda = screen.agenda
    last = agenda.end - timedelta(days=1)
    dates = f"{agenda.start.month}月{agenda.start.day}日—{last.month}月{last.day}日"
    title = show(screen, 0)
    texts = [label.text() for label in title.findChildren(QLabel)]
    assert any(dates in text for text in texts)
    assert not any(agenda.week in text for text in texts)  # no "2025-W24"


def test_a_long_cell_is_cut_short_and_masked(window):
    screen, case_no = window
    index = next(i for i, s in enumerate(screen.slides) if s.kind == "list" and any(r[0] == case_no for r in s.rows))
    table = show(screen, index).findChild(SlideTable)
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == case_no)
    plan = table.item(row, 5).text()
    assert "王小明" not in plan and "王某" in plan  # the party's name masked as in summaries
    metrics = QFontMetrics(table.font())
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    assert sum(widths) <= table.viewport().width()  # nothing runs off the slide...
    assert widths[5] < metrics.horizontalAdvance(plan)  # ...the plan is cut short (…)
    assert widths[0] > metrics.horizontalAdvance(case_no)  # and a case number never is
    assert not table.wordWrap()


# ---- the slides as data ---------------------------------------------------------------


def item(n: int) -> AgendaItem:
    return AgendaItem(f"FZ-2026-{n:05d}", datetime(2026, 11, 1), "东平村", "家庭矛盾", Grade.DIFFICULT, Risk.RED,
                      Status.HANDLING, "", age_days=n)


def rates(key: str, rate: float | None) -> StatsRow:
    return StatsRow(key, 10, 9, rate, rate, None, None, None, None)


def test_slides_are_counted_out_by_what_fits():
    stats = rates("全镇", 0.9)
    agenda = Agenda("2026-W48", datetime(2026, 11, 23), datetime(2026, 11, 30), datetime(2026, 11, 30), stats,
                    difficult=[item(n) for n in range(12)], overdue_by_village=[("治理办", 3)])
    villages = [rates(f"村{n:02d}", n / 30) for n in range(29)] + [rates("新村", None)]
    slides = build_slides("房镇镇", agenda, villages, "2026年", rows_per_slide=5, bars_per_chart=16)
    difficult = [s for s in slides if s.section == "疑难案件"]
    assert [len(s.rows) for s in difficult] == [5, 5, 2]
    assert [s.title for s in difficult] == ["疑难案件（1/3）", "疑难案件（2/3）", "疑难案件（3/3）"]
    charts = [s for s in slides if s.chart == "resolution"]
    assert [len(s.keys) for s in charts] == [15, 14 + 1]  # 29 villages over two slides, evenly
    assert charts[0].keys[0] == "村28" and charts[-1].keys[-2:] == ["村00", "新村"]  # highest first, no figure last
    assert slides[0].lines[0] == "2026年11月23日—11月29日"
    assert "11月23日—11月29日" in slides[1].title


def test_a_week_over_new_year_names_both_years():
    assert week_span(datetime(2025, 12, 29), datetime(2026, 1, 5)) == "2025年12月29日—2026年1月4日"


def test_column_widths_fill_the_slide_and_cut_only_the_wide_columns():
    assert fit_widths([100, 200], [50, 50], (1,), 400) == [100, 300]
    widths = fit_widths([200, 150, 600, 80], [60, 60, 100, 60], (2,), 800)
    assert widths == [200, 150, 370, 80]
    widths = fit_widths([200, 400, 600], [60, 100, 100], (1, 2), 800)
    assert sum(widths) == 800 and widths[0] == 200 and widths[1] == widths[2] == 300

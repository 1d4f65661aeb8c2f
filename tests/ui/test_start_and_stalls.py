"""Issue 12 in the window: it opens without the heavy libraries, the rows on screen come before
the checks nobody waits for, the charts are drawn off the UI thread, and the timer panel's
once-a-second tick does not walk every open clock."""

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from PySide6.QtCore import QThreadPool

from jingyuan_desktop.domain.clocks import Clock
from jingyuan_desktop.domain.enums import ClockName, ClockState
from jingyuan_desktop.ui.ops import BACKGROUND, FOREGROUND, Operations
from jingyuan_desktop.ui.timers.model import ClockTableModel
from tests.ui.conftest import FIXED, fixed_now

HEAVY = ("matplotlib", "numpy", "pandas", "openpyxl", "reportlab", "argon2", "psycopg")


def test_the_window_s_modules_import_none_of_the_heavy_libraries():
    """Excel, PDF, charts and passwords are imported when first used, not at every start."""
    code = ("import sys, jingyuan_desktop.ui.app, jingyuan_desktop.ui.main_window; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.strip()
    assert found == "[]"


def test_the_app_module_imports_no_database_layer():
    """``ui.app`` pauses the collector before the database layer is imported (most of a start)."""
    code = "import sys, jingyuan_desktop.ui.app; print('sqlalchemy' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.strip()
    assert found == "False"


def test_work_for_the_screen_goes_before_background_checks(ctx, qtbot):
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    ops = Operations(ctx, pool=pool)
    gate, order = threading.Event(), []
    ops.run(lambda _ctx: gate.wait(5))  # the only thread is busy: the next two wait in the queue
    ops.run(lambda _ctx: order.append("audit check"), priority=BACKGROUND)
    ops.run(lambda _ctx: order.append("rows on screen"), priority=FOREGROUND)
    gate.set()
    qtbot.waitUntil(lambda: ops.running == 0, timeout=10_000)
    assert order == ["rows on screen", "audit check"]
    pool.waitForDone(5_000)


def test_the_checks_at_start_wait_for_the_table_s_first_rows(ops, qtbot, qsettings, monkeypatch):
    from jingyuan_desktop.ui import app
    from jingyuan_desktop.ui.main_window import MainWindow

    started = []
    monkeypatch.setattr(app, "start_audit_check", lambda _ops, window, **_: started.append(window.model.loaded))
    monkeypatch.setattr(app, "refresh_derived", lambda _ops, window: started.append(window.model.loaded))
    window = MainWindow(ops, settings=qsettings, now=fixed_now)
    qtbot.addWidget(window)
    app.start_background_work(ops, window, backup=False)
    assert started == []  # not before the rows
    window.show()
    qtbot.waitUntil(lambda: len(started) == 2, timeout=10_000)
    assert started == [True, True]


def test_requests_in_one_turn_of_the_event_loop_make_one_read(ops, qtbot, monkeypatch):
    from jingyuan_desktop.services import queries
    from jingyuan_desktop.ui.cases.table_model import CaseTableModel

    counted = []
    real = queries.count_cases
    monkeypatch.setattr(queries, "count_cases", lambda *a, **k: counted.append(1) or real(*a, **k))
    model = CaseTableModel(ops, now=fixed_now)
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.sort(1)  # the window restores its sort...
        model.refresh(reset=True)  # ...and its filter, in the same turn
    qtbot.wait(100)
    assert len(counted) == 1 and model.rowCount() > 0


@pytest.fixture
def statistics(ops, qtbot):
    from jingyuan_desktop.ui.charts import StatisticsWidget

    screen = StatisticsWidget(ops)
    qtbot.addWidget(screen)
    screen.resize(1200, 900)
    screen.show()
    qtbot.waitUntil(lambda: screen.figures is not None, timeout=30_000)
    return screen


def test_the_charts_are_drawn_in_the_pool_and_shown_with_their_figures(statistics, qtbot, monkeypatch):
    from jingyuan_desktop.ui.charts import render

    threads = []
    real = render.draw_charts
    monkeypatch.setattr(render, "draw_charts", lambda *a, **k: threads.append(threading.current_thread()) or
                        real(*a, **k))
    before = statistics.figures
    with qtbot.waitSignal(statistics.sig_loaded, timeout=30_000):
        statistics.refresh_button.click()
    assert threads and threading.main_thread() not in threads
    assert statistics.figures is not before  # the line above the charts and the charts changed together
    assert all(chart.picture is not None and not chart.picture.image.isNull()
               for chart in statistics.charts.values())


def test_a_chart_is_drawn_again_at_its_new_size(statistics, qtbot):
    chart = statistics.charts["trend"]
    qtbot.waitUntil(lambda: chart.picture is not None and chart.picture.size == chart.wanted_size(), timeout=10_000)
    old = chart.picture.image.width()
    statistics.resize(1500, 900)
    qtbot.waitUntil(lambda: chart.picture.size == chart.wanted_size(), timeout=10_000)
    assert chart.picture.image.width() > old
    assert chart.picture.image.width() == round(chart.width() * chart.picture.size.ratio)


def test_the_village_bar_under_the_mouse_is_found_in_the_picture(statistics, qtbot):
    chart = statistics.charts["resolution"]
    qtbot.waitUntil(lambda: chart.picture.size == chart.wanted_size(), timeout=10_000)
    village, (x0, y0, x1, y1) = max(chart.picture.bars, key=lambda bar: bar[1][2] - bar[1][0])  # the longest
    ratio, height = chart.picture.size.ratio, chart.picture.image.height()
    # Figure pixels count from the bottom; the widget's from the top.
    inside = ((x0 + x1) / 2 / ratio, (height - (y0 + y1) / 2) / ratio)
    from PySide6.QtCore import QPoint

    assert chart.bar_at(QPoint(int(inside[0]), int(inside[1]))) == village
    assert chart.bar_at(QPoint(2, 2)) is None


def _clock(case_no: str, minutes: int) -> Clock:
    return Clock(case_no=case_no, name=ClockName.DISPATCH, due_at=FIXED + timedelta(minutes=minutes),
                 state=ClockState.PENDING, started_at=FIXED)


def test_the_timer_model_finds_the_clocks_due_between_two_ticks_by_bisecting(qapp):
    model = ClockTableModel(FIXED + timedelta(minutes=10))
    model.set_clocks([_clock(f"C{m:02d}", m) for m in (30, 5, 10, 20, 15, 10)])
    due = model.due_between(FIXED + timedelta(minutes=10), FIXED + timedelta(minutes=20))
    assert [c.due_at for c in due] == [FIXED + timedelta(minutes=m) for m in (10, 10, 15)]
    assert model.overdue_count() == sum(1 for c in model.clocks() if c.due_at < model.now) == 1
    assert model.clock_count() == 6


def test_the_cold_start_is_timed_with_compiled_modules_as_a_clerk_s_pc_has_them(monkeypatch, tmp_path):
    """The window measures' children keep a bytecode cache of their own, filled by the warm-up run,
    even where the developer's shell says not to write bytecode."""
    from benchmarks.run import child_env

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = child_env(tmp_path)
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "bytecode")
    assert env["QT_QPA_PLATFORM"] == "offscreen"


def test_the_window_shown_before_the_database_is_open_is_finished_once_it_is(ctx, qtbot, qsettings):
    """The quick start (services.start): the first rows and the filter's choices are there when
    the window is shown; the database is opened in the pool after its first paint, then the
    panes that need the services are built and the work that waited for it runs."""
    from jingyuan_desktop.ui.app import open_window

    window = open_window(str(ctx.db.sqlite_path), now=fixed_now, settings=qsettings, backup=False)
    qtbot.addWidget(window)
    assert not window.ops.ready
    assert window.model.loaded and window.model.rowCount() > 0 and window.filter_bar.choices_loaded
    qtbot.waitUntil(lambda: window.ops.ready and hasattr(window, "warning_banner"), timeout=30_000)
    assert window.assignment_dock.widget() is window.assignment
    assert window.timer_dock.widget() is window.timers
    qtbot.waitUntil(lambda: window.windowTitle().endswith("综治中心"), timeout=10_000)  # read once open
    qtbot.waitUntil(lambda: window.ops.running == 0, timeout=30_000)
    window.ops.ctx.db.dispose()


def test_a_page_opened_before_the_database_is_open_says_so_and_comes_once_it_is(ctx, qtbot, qsettings):
    """A clerk quick enough to click 统计分析, 周例会, 年度考核 or 排查预防 in the first moment of
    the quick start gets a line saying the database is being opened, not a fault; the page
    itself comes once it is open."""
    from PySide6.QtWidgets import QLabel

    from jingyuan_desktop.ui.app import open_window

    faults: list = []
    window = open_window(str(ctx.db.sqlite_path), now=fixed_now, settings=qsettings, backup=False)
    qtbot.addWidget(window)
    assert not window.ops.ready
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "excepthook", lambda *error: faults.append(error))
        for key in window.pages:
            window.show_page(key)
            assert window.pages[key].page is None
            assert any(label.text().startswith("正在打开数据库") for label in window.pages[key].findChildren(QLabel))
        qtbot.waitUntil(lambda: window.ops.ready and window.pages[key].page is not None, timeout=30_000)
    assert faults == []
    assert window.pages[key].isVisible() and window.pages[key].page.isVisible()
    window.show_page(None)
    qtbot.waitUntil(lambda: window.ops.running == 0, timeout=30_000)
    window.ops.ctx.db.dispose()

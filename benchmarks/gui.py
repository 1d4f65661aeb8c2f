"""The window measures, each run in a child process of the harness (QT_QPA_PLATFORM=offscreen):

    python -m benchmarks.gui window DB --home DIR   the real main window on DB, until its case
                                                    table is first painted with rows
    python -m benchmarks.gui bare --home DIR        a bare QMainWindow + QTableView with a small
                                                    model, until it is first painted: the baseline
    python -m benchmarks.gui stall DB --home DIR    the real window while a clerk works in it, with
                                                    a watchdog on the GUI thread

Each prints one line ``BENCH {json}`` on stdout and ends at once. The harness times the first
two from before it starts the process to the moment it reads that line, so the interpreter's
start and every import are in the figure, as they are for a clerk. The line carries the
child's peak resident memory (``rss_mb``, null where the platform does not report it) and,
for ``stall``, the largest gap the watchdog saw (``ms``) and the largest of each step.

The watchdog is a 5 ms timer on the GUI thread noting the gap since its last tick; the steps,
each waited for with the event loop running: scrolling the case table through 11 positions
(down to the last row and back), choosing a village, 只看超时 on and off, a search typed and
cleared, all villages again, opening a case, opening the statistics page and redrawing it.

The window is opened by the program's own start, ``jingyuan_desktop.ui.app.open_window``, as
``run`` opens it (the collector paused first; the first page read before the database layer
when nothing has to come before it, the login or a first run; the audit chain checked and
stale stored clocks redone in the pool once the table has painted its rows), at the harness's
fixed moment, minus the daily backup (it would write a copy of the database). Its settings go
to an INI file under ``--home``, never the user's.

Nothing heavy is imported at module level: ``bare`` must not pay for the program's imports.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

MARK = "BENCH "
WATCHDOG_MS = 5
STEP_TIMEOUT_S = 900.0  # a year's statistics over 100,000 cases may take minutes before issue 12
IDLE_S = 2.0  # the pool idle this long and a step's result not there: the work failed
SEARCH_WORD = "彩礼"  # as benchmarks.operations.SEARCH_WORD, not imported from there (import time)


def peak_rss_mb() -> float | None:
    """This process's peak resident memory; None where the platform does not tell (Windows).

    On Linux from VmHWM: ``ru_maxrss`` there carries over the parent's peak through fork and
    exec, so a child started by a harness holding 400 MB would report at least that.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for text in status:
                if text.startswith("VmHWM:"):
                    return round(int(text.split()[1]) / 1e3, 1)  # kB
    except OSError:
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1e6 if sys.platform == "darwin" else 1e3), 1)


def report(**values: Any) -> None:
    """The one line the harness reads, then the end: no waiting for the pool's threads."""
    sys.stdout.write(MARK + json.dumps({**values, "rss_mb": peak_rss_mb()}) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def private_settings(home: str):
    """Every QSettings of the process (the window's, the timer alerts') in an INI under ``home``."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, home)
    return QSettings(os.path.join(home, "window.ini"), QSettings.Format.IniFormat)


def on_first_paint(widget, ready: Callable[[], bool], done: Callable[[], None]):
    """Calls ``done`` once, right after the first paint of ``widget`` for which ``ready()``
    held before it was drawn. Returns the filter object, which the caller keeps."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        fired = False

        def eventFilter(self, watched, event) -> bool:
            if not self.fired and event.type() == QEvent.Type.Paint and ready():
                self.fired = True
                QTimer.singleShot(0, done)  # after this paint has been drawn
            return False

    watcher = FirstPaint(widget)
    widget.installEventFilter(watcher)
    return watcher


def bare() -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    model = QStandardItemModel(20, 5)
    for row in range(20):
        for column in range(5):
            model.setItem(row, column, QStandardItem(f"案件 {row}-{column}"))
    window = QMainWindow()
    table = QTableView(window)
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(800, 600)
    _keep = on_first_paint(table.viewport(), lambda: model.rowCount() > 0, report)
    window.show()
    app.exec()


def build_window(db: str, home: str):
    """The main window on ``db`` as the program opens and shows it; returns (app, window)."""
    from jingyuan_desktop.ui import gc_guard
    from jingyuan_desktop.ui.app import make_application, open_window

    gc_guard.pause()  # as ui.app.run: first thing, before the database layer is imported
    app = make_application()
    settings = private_settings(home)
    gc_guard.install(app)
    from benchmarks.moment import NOW
    from jingyuan_desktop.store.location import local_sqlite_file

    if local_sqlite_file(db) is None:
        # A database server (or a network file) is shared: the program asks for a login first,
        # which a timed start cannot type. Measured from just after it: the window as the
        # program builds it once the clerk has logged in.
        return app, window_after_login(db, settings, NOW)
    window = open_window(db, user="benchmark", now=lambda: NOW, settings=settings, backup=False)
    if isinstance(window, int):
        raise RuntimeError(f"the window did not open (exit code {window})")
    return app, window


def window_after_login(db: str, settings, now):
    """The main window on a shared database as ``ui.app`` builds and shows it after the login."""
    from jingyuan_desktop.domain.enums import UnitKind
    from jingyuan_desktop.services import queries
    from jingyuan_desktop.services.context import AppContext
    from jingyuan_desktop.ui.app import show_window, wait_for
    from jingyuan_desktop.ui.ops import Operations

    ctx = AppContext.open(db, now=lambda: now, user="benchmark")
    ops = Operations(ctx)
    ok, answer = wait_for(ops, lambda c: queries.units(c, UnitKind.VILLAGE, UnitKind.COMMUNITY))
    if not ok:
        raise RuntimeError(f"reading the database failed: {answer}")
    return show_window(ops, settings=settings, now=lambda: now, backup=False)


def rows_shown(window) -> bool:
    """The case table has its count and the page of its top row."""
    model = window.model
    return model.loaded and model.rowCount() > 0 and model.has_page_of(max(window.table.rowAt(0), 0))


def main_window(db: str, home: str) -> None:
    app, window = build_window(db, home)
    _keep = on_first_paint(window.table.viewport(), lambda: rows_shown(window), report)
    app.exec()


class Steps:
    """The clerk's steps, one after the other, the event loop running while each is waited for."""

    def __init__(self, window):
        from PySide6.QtCore import QObject, Qt, QTimer

        self.window = window
        self.loads = 0
        window.model.sig_loaded.connect(self._loaded)
        self.errors: list[str] = []
        window.ops.sig_error.connect(self.errors.append)
        self.step = "start"
        self.worst: dict[str, float] = {}  # the largest gap of each step, ms
        self.ticks: dict[str, int] = {}  # the watchdog's ticks in each step: it did run
        self._owner = QObject()
        self.timer = QTimer(self._owner)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(WATCHDOG_MS)
        self.timer.timeout.connect(self._tick)
        self._last = time.perf_counter()

    def _loaded(self) -> None:
        self.loads += 1

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self._last = now
        self.ticks[self.step] = self.ticks.get(self.step, 0) + 1
        if gap > self.worst.get(self.step, 0.0):
            self.worst[self.step] = gap

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def wait_until(self, done: Callable[[], bool], what: str, timeout_s: float = STEP_TIMEOUT_S,
                   explain: Callable[[], str] = lambda: "") -> None:
        """Run the event loop until ``done()``. A nested QEventLoop, not QTest.qWait: qWait
        sleeps up to 10 ms between its rounds of events, which the watchdog would count.

        Refused at once (not after the timeout) when the thread pool has had nothing to do for
        ``IDLE_S`` while ``done()`` stayed false: the work failed, and said so somewhere."""
        from PySide6.QtCore import QEventLoop, QTimer

        if done():
            return
        ops = self.window.ops
        loop = QEventLoop()
        idle_since: list[float | None] = [None]

        def check() -> None:
            if done():
                loop.quit()
            elif ops.running:
                idle_since[0] = None
            elif idle_since[0] is None:
                idle_since[0] = time.monotonic()
            elif time.monotonic() - idle_since[0] > IDLE_S:
                loop.quit()

        poll, expiry = QTimer(), QTimer()
        poll.setInterval(WATCHDOG_MS)
        poll.timeout.connect(check)
        expiry.setSingleShot(True)
        expiry.setInterval(int(timeout_s * 1000))
        expiry.timeout.connect(loop.quit)
        poll.start()
        expiry.start()
        loop.exec()
        poll.stop()
        expiry.stop()
        if not done():
            said = "; ".join(m for m in [*self.errors, self.window.statusBar().currentMessage(), explain()] if m)
            raise RuntimeError(f"{self.step}: {what} did not happen within {timeout_s:.0f} s, or the work "
                               f"ended without it ({said or 'no message'})")

    def pause(self, ms: int) -> None:
        """Let the event loop run for ``ms`` (the repaints and late results of a step)."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def reload(self, action: Callable[[], object]) -> None:
        """Do ``action`` and wait until the case table has read its count and first rows again."""
        before = self.loads
        action()
        self.wait_until(lambda: self.loads > before, "the case table's reload")
        self.pause(50)

    def visible_rows_read(self) -> bool:
        table, model = self.window.table, self.window.model
        top = max(table.rowAt(0), 0)
        bottom = table.rowAt(table.viewport().height() - 1)
        bottom = model.rowCount() - 1 if bottom < 0 else bottom
        return model.has_page_of(top) and model.has_page_of(max(bottom, 0))


def stall(db: str, home: str) -> None:
    from jingyuan_desktop.ui.cases.table_model import CaseNoRole

    _app, window = build_window(db, home)
    steps = Steps(window)
    steps.wait_until(lambda: rows_shown(window), "the first rows")
    steps.start()
    bar, filters = window.table.verticalScrollBar(), window.filter_bar

    steps.step = "scroll_table"
    for fraction in (0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0, 0.5, 0.0):
        bar.setValue(int(bar.maximum() * fraction))
        steps.wait_until(steps.visible_rows_read, "the rows on screen")
        steps.pause(40)

    steps.step = "filter_village"
    steps.reload(lambda: filters.village.setCurrentIndex(1))
    steps.step = "filter_overdue_only"
    steps.reload(lambda: filters.overdue.setChecked(True))
    steps.reload(lambda: filters.overdue.setChecked(False))
    steps.step = "filter_search"
    steps.reload(lambda: filters.search.setText(SEARCH_WORD))  # waits out the typing pause too
    steps.reload(lambda: filters.search.clear())
    steps.reload(lambda: filters.village.setCurrentIndex(0))

    steps.step = "open_case"
    steps.wait_until(lambda: window.model.index(0, 0).data(CaseNoRole) is not None, "the first row")
    case_no = window.model.index(0, 0).data(CaseNoRole)
    view = window.open_case(case_no)
    steps.wait_until(lambda: view.case is not None, "the case window's case")
    steps.pause(100)
    view.close()
    steps.pause(50)

    steps.step = "statistics_open"  # the page is built (matplotlib imported) and drawn once
    window.show_page("statistics")
    page = window.pages["statistics"].ensure()
    steps.wait_until(lambda: page.figures is not None, "the statistics", explain=page.summary.text)
    steps.pause(300)  # the charts are drawn when idle
    steps.step = "statistics_redraw"
    drawn = [0]
    page.sig_loaded.connect(lambda: drawn.__setitem__(0, drawn[0] + 1))
    page.minor_classes.setChecked(True)
    page.refresh_button.click()
    steps.wait_until(lambda: drawn[0] > 0, "the statistics again")
    steps.pause(300)
    window.show_page(None)
    steps.pause(100)
    steps.timer.stop()
    report(ms=round(max(steps.worst.values()), 3), steps={k: round(v, 3) for k, v in steps.worst.items()},
           ticks=steps.ticks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gui", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["window", "bare", "stall"])
    parser.add_argument("db", nargs="?")
    parser.add_argument("--home", required=True, help="a folder for the settings files")
    args = parser.parse_args(argv)
    try:
        if args.what == "bare":
            bare()
        elif args.what == "window":
            main_window(args.db, args.home)
        else:
            stall(args.db, args.home)
    except Exception:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    return 1  # the event loop ended before the report: something closed the window


if __name__ == "__main__":
    raise SystemExit(main())

"""The operations helper: stale answers are dropped, faults are logged, long work reports and
can be cancelled, and changes are announced as typed notices."""

from __future__ import annotations

import gc
import threading
import time

from PySide6.QtWidgets import QPushButton, QWidget

from jingyuan_desktop.log import log_path, setup_logging
from jingyuan_desktop.ui.ops import Cancelled, Change


def test_only_the_newest_request_of_a_key_is_delivered(ops, qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    release = threading.Event()
    got = []

    def slow(_ctx):
        release.wait(5)
        return "old"

    ops.run(slow, owner=owner, key="load", on_done=got.append)
    ops.run(lambda _ctx: "new", owner=owner, key="load", on_done=got.append)
    qtbot.waitUntil(lambda: got == ["new"], timeout=5_000)
    release.set()
    qtbot.waitUntil(lambda: ops.running == 0, timeout=5_000)
    assert got == ["new"]


def test_a_newer_long_read_cancels_the_older_one(ops, qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    got, stopped = [], threading.Event()

    def long_read(_ctx, progress):
        try:
            for done in range(500):
                progress(done, 500)
                time.sleep(0.01)
        except Cancelled:
            stopped.set()
            raise
        return "old"

    ops.run(long_read, progress="正在统计…", owner=owner, key="figures", on_done=got.append)
    time.sleep(0.05)
    ops.run(lambda _ctx, _progress: "new", progress="正在统计…", owner=owner, key="figures", on_done=got.append)
    qtbot.waitUntil(lambda: ops.running == 0, timeout=5_000)
    assert got == ["new"] and stopped.is_set()


def test_nothing_reaches_an_owner_that_was_deleted_but_the_change_is_announced(ops, qtbot):
    owner = QWidget()
    release = threading.Event()
    got, changes = [], []
    ops.sig_changed.connect(changes.append)
    ops.run(lambda _ctx: release.wait(5), owner=owner, on_done=got.append, changed=Change.case("FZ-1"))
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=5_000)
    release.set()
    qtbot.waitUntil(lambda: ops.running == 0, timeout=5_000)
    assert got == []
    assert changes == [Change.case("FZ-1")] and changes[0].touches("FZ-1") and not changes[0].touches("FZ-2")


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_a_fault_is_logged_with_its_traceback_and_shown_in_chinese(ops, qtbot):
    setup_logging()
    errors = []

    def broken(_ctx):
        raise KeyError("no such column")

    ops.run(broken, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert errors[0].startswith("操作失败") and str(log_path()) in errors[0]
    text = log_path().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "KeyError: 'no such column'" in text


def test_long_work_reports_progress_and_stops_when_cancelled(ops, qtbot):
    steps, outcome = [], []
    reached = threading.Event()

    def work(_ctx, progress):
        for done in range(1, 1000):
            progress(done, 999)
            if done == 3:
                reached.set()
            time.sleep(0.005)
        return "finished"

    running = ops.run(work, progress="正在测试…", on_done=outcome.append,
                      on_cancelled=lambda: outcome.append("cancelled"))
    assert running.dialog is not None
    running.dialog.canceled.connect(lambda: steps.append("clicked"))
    assert reached.wait(5)
    qtbot.waitUntil(lambda: running.dialog.value() >= 3 and running.dialog.maximum() == 999, timeout=5_000)
    running.dialog.findChild(QPushButton).click()  # the 取消 button
    qtbot.waitUntil(lambda: bool(outcome), timeout=5_000)
    assert outcome == ["cancelled"] and steps == ["clicked"]
    assert running.progress.cancelled


def test_a_refusal_in_long_work_is_not_a_cancellation(ops, qtbot):
    from jingyuan_desktop.services.context import ServiceError

    errors, cancelled = [], []

    def work(_ctx, _progress):
        raise ServiceError("表格第3行缺少警情编号")

    ops.run(work, progress="正在导入…", on_error=errors.append, on_cancelled=lambda: cancelled.append(1))
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert errors == ["表格第3行缺少警情编号"] and cancelled == []


def test_cancelled_is_raised_by_the_progress_once_cancelled():
    from jingyuan_desktop.ui.ops import Progress

    seen = []
    progress = Progress(lambda done, total: seen.append(done))
    progress(1, 2)
    progress.cancel()
    try:
        progress(2, 2)
    except Cancelled:
        seen.append("stopped")
    assert seen == [1, "stopped"] and progress.keep_going(2, 2) is False


def test_garbage_is_collected_by_the_ui_thread_only(qtbot):
    from jingyuan_desktop.ui import gc_guard

    collector = gc_guard.install()
    assert not gc.isenabled()
    for _ in range(collector.threshold[0] + 10):
        a: list = []
        a.append(a)  # a cycle only the collector frees
    before = gc.get_count()[0]
    assert before > collector.threshold[0]
    qtbot.waitUntil(lambda: gc.get_count()[0] < before, timeout=5_000)


def test_a_view_closed_while_its_read_runs_is_freed_in_the_ui_thread(ops, qtbot):
    """A worker that let go of the last reference to a widget deleted it outside its thread:
    the other cause of the suite's rare segfault."""
    freed_in_ui_thread: list[bool] = []

    class View(QWidget):
        def __del__(self) -> None:
            freed_in_ui_thread.append(threading.current_thread() is threading.main_thread())

    release = threading.Event()

    def read_for_a_view_that_closes():
        view = View()
        return lambda _ctx: release.wait(5) and id(view)  # only this closure holds the view

    ops.run(read_for_a_view_that_closes())
    release.set()
    qtbot.waitUntil(lambda: ops.running == 0, timeout=5_000)
    qtbot.waitUntil(lambda: bool(freed_in_ui_thread), timeout=5_000)
    assert freed_in_ui_thread == [True]

"""Every call the window makes to the services goes through ``Operations``.

- The work runs in the thread pool, never on the UI thread.
- When it changed data, one ``sig_changed`` carries a ``Change`` saying what (which cases, the
  reference data, the settings); each view reads it and refreshes only when it is concerned.
- A result that arrives after its view has moved on is dropped here: the caller names the
  request with ``owner`` and ``key``, and only the newest request of that name is delivered,
  and only while its owner still exists.
- Long work can ask for a progress dialog with a cancel button (``progress=``); the work then
  receives a ``Progress`` to report to, which stops it with ``Cancelled`` once the user cancels.
- At start the window may exist before the database is open (``ui.app``): ``Operations`` is
  then made with no context, the work asked for waits in a queue, and ``open`` opens the
  context in the pool and starts the waiting work, in its order of priority, once it is there.
- A refusal (``REFUSALS``) reaches ``on_error`` or ``sig_error`` as its Chinese message; any
  other exception is a fault of the program: logged with its traceback, then shown in Chinese
  with the log file's path.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from jingyuan_desktop.log import log_path
from jingyuan_desktop.services.context import REFUSALS, AppContext

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """What an operation changed, for views to decide whether to read again."""

    cases: frozenset[str] = field(default_factory=frozenset)
    all_cases: bool = False  # an import, the demo, a restore: any case may have changed
    reference: bool = False  # villages, people, departments, stations, categories
    settings: bool = False  # office hours, clocks, holidays, the office itself
    assessment: bool = False  # the year-end assessment's weights and adjustments

    @classmethod
    def case(cls, *case_nos: str) -> Change:
        return cls(cases=frozenset(case_nos))

    @classmethod
    def everything(cls) -> Change:
        return cls(all_cases=True, reference=True, settings=True, assessment=True)

    def touches(self, case_no: str | None) -> bool:
        """Whether the case shown by a view may have changed."""
        return self.all_cases or self.settings or (case_no is not None and case_no in self.cases)

    @property
    def any_case(self) -> bool:
        """Whether lists, clocks or figures over many cases may have changed."""
        return self.all_cases or self.settings or bool(self.cases)


# Priorities of ``Operations.run``: the pool has as many threads as the PC has cores (two on
# an office PC), so at start the rows on screen must not wait behind the audit check.
FOREGROUND = 10
BACKGROUND = -10
OPENING = 100  # opening the database at start: everything else waits for it


class Cancelled(Exception):
    """Raised inside long work once the user pressed 取消; the work's transaction rolls back."""


class Progress:
    """Handed to long work: ``progress(done, total)`` reports, and stops the work once cancelled."""

    def __init__(self, emit: Callable[[int, int], None]):
        self._emit = emit
        self._cancelled = threading.Event()

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Cancelled
        self._emit(done, total)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def keep_going(self, done: int, total: int) -> bool:
        """The same report for services that take a callback answering 'go on?'."""
        self._emit(done, total)
        return not self._cancelled.is_set()


def _show_step(dialog: QProgressDialog, done: int, total: int) -> None:
    dialog.setMaximum(max(total, 1))
    dialog.setValue(done)


@dataclass
class Running:
    """The handle ``Operations.run`` returns: the work's progress and its dialog, if any."""

    progress: Progress
    dialog: QProgressDialog | None

    def cancel(self) -> None:
        """As if 取消 was pressed: the work stops at its next report."""
        self.progress.cancel()


class _Relay(QObject):
    """Carries a worker's outcome back: it lives in the UI thread, so its slots run there.

    Its life is the crux of a crash that once struck one full test run in five: a relay
    owned only by Python, kept alive by a reference cycle with its callbacks, was freed by
    the garbage collector in whatever thread happened to run it, a worker's included, and a
    QObject deleted outside its own thread brings Qt down. So a relay has a parent (the
    ``Operations`` object, in the UI thread) that owns it on the C++ side, its callbacks
    are dropped once delivered, and it is deleted with ``deleteLater`` by the UI thread,
    after its slot has returned, never while a dialog opened by a callback is still running.
    """

    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    step = Signal(int, int)

    def __init__(self, parent: QObject, on_done: Callable[[Any], None], on_failed: Callable[[str], None],
                 on_cancelled: Callable[[], None]):
        super().__init__(parent)
        self._on_done: Callable[[Any], None] | None = on_done
        self._on_failed: Callable[[str], None] | None = on_failed
        self._on_cancelled: Callable[[], None] | None = on_cancelled
        self.on_step: Callable[[int, int], None] | None = None
        self.work: Callable[[], Any] | None = None  # released here, in the UI thread (see _Job)
        # Slots of this object, so every delivery is queued to the UI thread it lives in
        # (a lambda would run in the emitting worker thread).
        self.step.connect(self._deliver_step)
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)
        self.cancelled.connect(self._deliver_cancelled)

    @Slot(int, int)
    def _deliver_step(self, done: int, total: int) -> None:
        if self.on_step is not None:
            self.on_step(done, total)

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        callback = self._on_done
        self._retire()
        if callback is not None:
            callback(result)

    @Slot(str)
    def _deliver_failed(self, message: str) -> None:
        callback = self._on_failed
        self._retire()
        if callback is not None:
            callback(message)

    @Slot()
    def _deliver_cancelled(self) -> None:
        callback = self._on_cancelled
        self._retire()
        if callback is not None:
            callback()

    def _retire(self) -> None:
        # Break the cycle with the callbacks and let the UI thread delete the relay once
        # control is back in its event loop.
        self._on_done = self._on_failed = self._on_cancelled = None
        self.on_step = None
        self.work = None
        self.deleteLater()


def fault_message(error: BaseException) -> str:
    return f"操作失败：程序出现意外错误（{type(error).__name__}）。详细信息已写入日志：{log_path()}"


class _Job(QRunnable):
    """Runs the work in a pool thread and hands the outcome to the relay.

    The work is a closure that may be the last holder of a widget (a view closed while its
    read ran). The worker must never drop the last reference to anything Qt, so the relay,
    which lives in the UI thread, holds the work too, and the worker lets go of its own
    references (the work, an exception and its traceback) before it emits: the UI thread then
    drops the last one when it delivers.
    """

    def __init__(self, fn: Callable[[], Any], relay: _Relay, name: str):
        super().__init__()
        self.fn: Callable[[], Any] | None = fn
        self.relay, self.name = relay, name

    def run(self) -> None:
        fn, self.fn = self.fn, None
        kind, value = _outcome(fn, self.name) if fn is not None else ("failed", "操作失败")
        del fn
        try:
            if kind == "done":
                self.relay.done.emit(value)
            elif kind == "cancelled":
                self.relay.cancelled.emit()
            else:
                self.relay.failed.emit(value)
        except RuntimeError:
            # The relay was deleted while the work ran (the window closing): nobody is left to
            # tell, and the outcome was logged by ``_outcome`` when it was a fault.
            logger.debug("%s finished after its relay was deleted", self.name)


def _outcome(fn: Callable[[], Any], name: str) -> tuple[str, Any]:
    """("done", result), ("cancelled", None) or ("failed", a Chinese message); no exception
    object outlives this call, so its traceback's frames are freed here."""
    try:
        return "done", fn()
    except Cancelled:
        logger.info("%s cancelled", name)
        return "cancelled", None
    except REFUSALS as error:
        logger.info("%s refused: %s", name, getattr(error, "message", error))
        return "failed", getattr(error, "message", str(error))
    except Exception as error:  # a fault: logged with its traceback, shown in Chinese
        logger.exception("%s failed", name)
        return "failed", fault_message(error)


class _ContextHolder:
    """The context as the jobs find it: a plain object, never a QObject (see ``_Job``)."""

    def __init__(self, ctx: AppContext | None):
        self.ctx = ctx


class Operations(QObject):
    """The one way widgets call services."""

    sig_changed = Signal(object)
    """A ``Change``: something was written; views concerned by it read again."""
    sig_error = Signal(str)
    """A Chinese message for the user, from an operation that had no ``on_error``."""
    sig_busy = Signal(bool)
    """True while any operation runs (the window shows it in the status bar)."""

    sig_ready = Signal()
    """The context has been opened (``open``): the work that waited for it has started."""

    def __init__(self, ctx: AppContext | None, parent: QObject | None = None, *, pool: QThreadPool | None = None):
        super().__init__(parent)
        # The jobs read the context from this plain holder when they run, so that work asked
        # for before ``open`` has opened it finds it there.
        self._holder = _ContextHolder(ctx)
        self.pool = pool or QThreadPool.globalInstance()
        self._relays: set[_Relay] = set()
        self._running = 0
        # The newest request of each (owner, key): its Progress identifies it and can stop it.
        self._newest: dict[tuple[int, str], Progress] = {}
        # Work asked for before the context is open: (job, priority), started by ``open``.
        self._waiting: list[tuple[_Job, int]] = []

    @property
    def ctx(self) -> AppContext:
        if self._holder.ctx is None:
            raise RuntimeError("the database is not open yet")
        return self._holder.ctx

    @ctx.setter
    def ctx(self, ctx: AppContext) -> None:
        self._holder.ctx = ctx

    @property
    def ready(self) -> bool:
        """Whether the context is open (work asked for now starts at once)."""
        return self._holder.ctx is not None

    def open(self, opener: Callable[[], AppContext], *, on_done: Callable[[AppContext], object],
             on_error: Callable[[str], object]) -> None:
        """Open the context with ``opener()`` in the pool, before any other work; then start
        the work that waited for it and call ``on_done(ctx)``, or ``on_error`` with the
        Chinese message (the waiting work is then dropped)."""

        def finished(ctx: AppContext) -> None:
            self._finish(relay)
            self._holder.ctx = ctx
            waiting, self._waiting = self._waiting, []
            for job, priority in sorted(waiting, key=lambda item: -item[1]):  # stable: same priority in order
                self.pool.start(job, priority)
            self.sig_ready.emit()
            on_done(ctx)

        def failed(message: str) -> None:
            self._finish(relay)
            for job, _priority in self._waiting:
                self._finish(job.relay)
                job.relay._retire()
            self._waiting = []
            on_error(message)

        relay = _Relay(self, finished, failed, lambda: failed("已取消"))
        self._relays.add(relay)
        self._running += 1
        self.sig_busy.emit(True)
        relay.work = opener
        self.pool.start(_Job(opener, relay, "open"), OPENING)

    def run(
        self,
        fn: Callable[..., Any],
        *,
        changed: Change | None = None,
        on_done: Callable[[Any], object] | None = None,  # what a callback returns is ignored
        on_error: Callable[[str], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
        owner: QObject | None = None,
        key: str | None = None,
        progress: str | None = None,
        cancellable: bool = True,
        parent: QWidget | None = None,
        on_step: Callable[[int, int], None] | None = None,
        priority: int = 0,
    ) -> Running:
        """Run ``fn(ctx)`` (or ``fn(ctx, progress)`` when ``progress`` names the work) in the pool.

        On success ``on_done(result)`` is called, then ``changed`` is broadcast. With ``owner``,
        nothing is delivered once the owner is deleted; with ``owner`` and ``key``, only the
        newest request of that key is delivered (older results are dropped, not shown). With
        ``on_step`` instead of ``progress``, the work gets its reporter but no dialog: the
        steps go to ``on_step`` (a bar in the status bar, for work the window goes on beside). Keys
        are for reads: an older request of the same key that reports progress is also
        cancelled at its next report, so a superseded long read stops early.

        ``priority`` orders the work waiting for a free thread: ``FOREGROUND`` for what the clerk
        is looking at (the case table's rows), ``BACKGROUND`` for checks nobody waits for.
        """
        slot = (id(owner), key) if key is not None else None
        reporter = Progress(lambda done, total: relay.step.emit(done, total))
        if slot is not None:
            older = self._newest.get(slot)
            if older is not None:
                older.cancel()
            self._newest[slot] = reporter
        dialog = self._progress_dialog(progress, parent, cancellable) if progress else None
        name = getattr(fn, "__qualname__", "operation")

        def finish() -> bool:
            """Close the request; whether its outcome is still wanted."""
            self._finish(relay)
            newest = slot is None or self._newest.get(slot) is reporter
            if slot is not None and newest:
                del self._newest[slot]
            if dialog is not None:
                dialog.reset()
                dialog.hide()
                dialog.deleteLater()
            return newest and (owner is None or shiboken6.isValid(owner))

        def finished(result: Any) -> None:
            if finish() and on_done:
                on_done(result)
            if changed is not None:  # a write is announced even when its view has gone
                self.sig_changed.emit(changed)

        def failed(message: str) -> None:
            if finish():
                (on_error or self.sig_error.emit)(message)

        def cancelled() -> None:
            if finish() and on_cancelled:
                on_cancelled()

        relay = _Relay(self, finished, failed, cancelled)
        if on_step is not None:
            relay.on_step = on_step
        if dialog is not None:
            relay.on_step = partial(_show_step, dialog)
            dialog.canceled.connect(reporter.cancel)
            # Not shown here: QProgressDialog shows itself once the work has taken longer than
            # its minimum duration, so a quick read never flashes a dialog.
        self._relays.add(relay)
        self._running += 1
        self.sig_busy.emit(True)
        # The job holds the context's holder, not this QObject: whatever the worker thread lets
        # go of last must never be a QObject.
        holder = self._holder
        reports = progress is not None or on_step is not None
        work = (lambda: fn(holder.ctx, reporter)) if reports else (lambda: fn(holder.ctx))
        relay.work = work
        if self.ready:
            self.pool.start(_Job(work, relay, name), priority)
        else:
            self._waiting.append((_Job(work, relay, name), priority))
        del work
        return Running(reporter, dialog)

    @staticmethod
    def _progress_dialog(label: str, parent: QWidget | None, cancellable: bool) -> QProgressDialog:
        dialog = QProgressDialog(label, "取消", 0, 0, parent)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(400)  # short work finishes before a dialog flickers up
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        return dialog

    def _finish(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        self._running -= 1
        if self._running == 0:
            self.sig_busy.emit(False)

    def drop(self, owner: QObject | None, key: str) -> None:
        """Forget any request of ``owner`` and ``key`` still running: its result will not come."""
        self._newest.pop((id(owner), key), None)

    @property
    def running(self) -> int:
        return self._running

    def announce(self, change: Change) -> None:
        """Broadcast a change made outside ``run`` (a dialog that saved through its own run)."""
        self.sig_changed.emit(change)


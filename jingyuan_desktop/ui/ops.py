"""Every change the window makes goes through ``Operations``: the work runs off the UI thread,
then one ``sig_changed`` tells every view to refresh itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from jingyuan_desktop.domain.enums import DomainError
from jingyuan_desktop.services.context import AppContext


class _Relay(QObject):
    """Carries a worker's result back: it lives in the UI thread, so its slots run there."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, on_done: Callable[[Any], None], on_failed: Callable[[str], None]):
        super().__init__()
        self._on_done = on_done
        self._on_failed = on_failed
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        self._on_done(result)

    @Slot(str)
    def _deliver_failed(self, message: str) -> None:
        self._on_failed(message)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except DomainError as error:
            self.relay.failed.emit(error.message)
        except Exception as error:  # shown to the user rather than lost in a thread
            message = getattr(error, "message", None) or f"操作失败：{error}"
            self.relay.failed.emit(message)
        else:
            self.relay.done.emit(result)


class Operations(QObject):
    """The one way widgets call services that change data, or that take long."""

    sig_changed = Signal(str)  # a case number, or "*" when many things may have changed
    sig_error = Signal(str)  # a Chinese message for the user
    sig_busy = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.pool = pool or QThreadPool.globalInstance()
        self._relays: set[_Relay] = set()
        self._running = 0

    def run(
        self,
        fn: Callable[[AppContext], Any],
        *,
        changed: str | None = None,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``fn(ctx)`` in the thread pool; on success call ``on_done`` and, when ``changed``
        is given, broadcast it; on failure call ``on_error`` or emit ``sig_error``."""
        relay: _Relay

        def finished(result: Any) -> None:
            self._finish(relay)
            if on_done:
                on_done(result)
            if changed is not None:
                self.sig_changed.emit(changed)

        def failed(message: str) -> None:
            self._finish(relay)
            (on_error or self.sig_error.emit)(message)

        relay = _Relay(finished, failed)
        self._relays.add(relay)
        self._running += 1
        self.sig_busy.emit(True)
        self.pool.start(_Job(lambda: fn(self.ctx), relay))

    def _finish(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        self._running -= 1
        if self._running == 0:
            self.sig_busy.emit(False)

    def call(self, fn: Callable[[AppContext], Any], *, changed: str | None = None) -> Any:
        """Run ``fn(ctx)`` right here, for quick reads and tests; broadcasts like ``run``."""
        result = fn(self.ctx)
        if changed is not None:
            self.sig_changed.emit(changed)
        return result

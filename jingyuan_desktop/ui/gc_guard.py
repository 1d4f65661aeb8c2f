"""Python's garbage collector runs in the UI thread only.

The collector runs in whichever thread happens to allocate when a generation fills up. When
that is a worker of the thread pool and the cycle it frees holds a Qt object (a widget of a
closed dialog, a signal relay), the object is deleted outside the thread it lives in and Qt
crashes. This is how the test suite segfaulted in about one full run in five, with the
worker's stack showing "Garbage-collecting". So the automatic collector is switched off and
the UI thread collects instead, from a timer, with the same generation thresholds.

The program's start makes a few hundred thousand objects that live as long as it does
(modules, classes, the window). Automatic collection is off from the very start (``pause``),
and at the collector's first round they are frozen: later collections never walk them again.
A library imported later on, when first needed, is frozen the same way (``settle``).
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

from jingyuan_desktop import lifetime

logger = logging.getLogger(__name__)

INTERVAL_MS = 500


class GarbageCollector(QObject):
    """Collects in the thread that created it (the UI thread), as often as gc would have."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.frozen = False
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        if not self.frozen:
            # The first round comes once the window is up: what exists now is the program itself.
            lifetime.settle()
            self.frozen = True
            return
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self.timer.stop()
        gc.collect()
        gc.enable()


_installed: GarbageCollector | None = None


def settle() -> None:
    """What exists now lives as long as the program (a library just imported): frozen, so
    that the UI thread's full collections never walk it again. matplotlib alone is some
    hundred thousand objects, a tenth of a second of every full collection."""
    lifetime.settle()


def pause() -> None:
    """No automatic collection from here on; ``install`` then collects from the UI thread.

    Called first thing at start, before the heavy imports: each full collection while they run
    walks every object made so far, some tens of milliseconds each time.
    """
    gc.disable()


def install(parent: QObject | None = None) -> GarbageCollector:
    """Switch to UI-thread collection once per process; later calls return the same collector."""
    global _installed
    if _installed is None:
        _installed = GarbageCollector(parent)
        logger.debug("garbage collection moved to the UI thread")
    return _installed

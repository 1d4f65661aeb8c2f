"""Reporting progress from a long read: what the window's progress dialog shows."""

from __future__ import annotations

from collections.abc import Callable

# done, total. The window's reporter raises to stop the work when the user cancels.
ProgressCallback = Callable[[int, int], None]
EVERY = 250  # cases between two reports: often enough to move the bar, rarely enough to cost nothing


class Tally:
    """Counts items as a stream goes by and reports every ``EVERY`` of them, and at the end."""

    def __init__(self, progress: ProgressCallback | None, total: int):
        self.progress, self.total, self.done = progress, total, 0
        if progress is not None:
            progress(0, total)

    def step(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % EVERY == 0:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)

"""A notice of the intake form looked up once the typing pauses: hidden until it has
something to say (the repeat-call warning, the key-person notice)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.ui.ops import Operations

DEBOUNCE_MS = 500


class LookupNotice(QLabel):
    """Calls ``check_now`` once the fields it watches stop changing for ``DEBOUNCE_MS``: one
    lookup per pause, not one per keystroke."""

    def __init__(self, ops: Operations, draft: Callable[[], Case], style: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.draft = draft
        self.setWordWrap(True)
        self.setStyleSheet(style)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.check_now)

    def schedule(self) -> None:
        """Wait for the typing to pause."""
        self._timer.start()

    def check_now(self) -> None:  # each notice says what it looks up
        raise NotImplementedError

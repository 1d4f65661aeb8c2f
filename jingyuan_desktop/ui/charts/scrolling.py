"""The wheel over a chart scrolls the page the chart sits in, for both kinds of chart widget."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget


def scroll_page(widget: QWidget, event) -> None:
    """Hand the wheel ``event`` to the nearest scroll area around ``widget``, wherever the mouse
    is. Handed on explicitly: Qt passes an ignored wheel event to the parent only when it came
    from the system, not when a program sent it."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        event.ignore()
        return
    QApplication.sendEvent(area.viewport(), event)
    event.accept()  # scrolled once: not again on the way up

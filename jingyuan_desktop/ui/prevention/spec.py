"""The page as the main window declares it; the page's modules load when it is first shown."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from jingyuan_desktop.domain.prevention_clocks import Duty
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.widgets.pages import LazyPage, PageSpec


def _build(ops: Operations, parent: QWidget) -> QWidget:
    from jingyuan_desktop.ui.prevention.page import PreventionPage

    return PreventionPage(ops, parent)


PREVENTION_PAGE = PageSpec("prevention", "排查预防", "Ctrl+5", "走访记录、网格、重点人员、预警与人员核对", _build)


def show_duty(page: LazyPage, duty: Duty) -> None:
    """From a duty in the timer panel to the tab where it is done (the page built if need be)."""
    from jingyuan_desktop.ui.prevention.page import PreventionPage

    built = page.ensure()
    if isinstance(built, PreventionPage):
        built.show_duty(duty)

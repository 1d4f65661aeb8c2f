"""The change notice of the prevention registers.

``Change`` (ui/ops.py) knows cases, reference data and settings; a patrol, a key person or a
warning is none of those, so a prevention write announces this subclass and the views that
show prevention data (the page, the timer panel's duties, the warning banner) read again.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingyuan_desktop.ui.ops import Change


@dataclass(frozen=True)
class PreventionChange(Change):
    """A patrol, grid, key person, visit, warning or citizen record changed (and, after a
    finding became a case, which case)."""

    prevention: bool = True


def touches_prevention(change: Change) -> bool:
    """Whether prevention data, or what it is read with (grids are reference data, the clocks'
    numbers settings), may have changed."""
    return isinstance(change, PreventionChange) or change.reference or change.settings or change.all_cases

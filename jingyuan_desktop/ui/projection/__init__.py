"""Projection mode for the weekly meeting."""

from jingyuan_desktop.ui.projection.window import ProjectionWindow, open_projection

__all__ = ["ProjectionWindow", "open_projection"]

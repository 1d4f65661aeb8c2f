"""The statistics charts, drawn in a worker of the pool instead of on the UI thread.

matplotlib's Agg canvas draws a Figure into memory and needs no window, so the worker draws
each chart into a picture (importing matplotlib the first time, which alone takes about half a
second) and the window only shows it. Every drawing makes new Figures, and a Figure handed to
the window is never touched by a worker again. One drawing runs at a time: matplotlib keeps
some state for the whole process (rcParams, its caches).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage

from jingyuan_desktop.ui import gc_guard
from jingyuan_desktop.ui.charts import draw

if TYPE_CHECKING:
    from jingyuan_desktop.services.figures import Figures

DPI = 100  # matplotlib's inches to the window's (logical) pixels
VILLAGE_CHARTS = {"resolution": ("resolution_rate", "各村（社区）化解率"),
                  "satisfaction": ("satisfaction_rate", "各村（社区）满意率")}
_drawing = threading.Lock()
_imported = False


@dataclass(frozen=True)
class Size:
    """A chart's place on screen: logical pixels and the screen's device pixel ratio."""

    width: int
    height: int
    ratio: float = 1.0


@dataclass
class Picture:
    """One drawn chart: the image to show, its Figure (to save it, or look into it) and where
    each village's bar is, in the figure's pixels (origin bottom left, as matplotlib counts)."""

    key: str
    size: Size
    image: QImage
    figure: Any
    bars: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)


def draw_chart(key: str, ax, figures: Figures, minor_classes: bool) -> None:
    """The chart ``key`` of the statistics page for ``figures``, onto ``ax``."""
    if key in VILLAGE_CHARTS:
        name, title = VILLAGE_CHARTS[key]
        draw.village_rates(ax, figures.by_village, figures.total, name, title)
        draw.village_legend(ax)
    elif key == "clocks":
        draw.clock_rates(ax, figures.clocks)
    elif key == "categories":
        if minor_classes:
            draw.categories(ax, figures.by_category, "各类别（小类）案件数")
        else:  # seed 002's 大类 by default
            draw.categories(ax, figures.by_major, "各大类案件数")
    elif key == "trend":
        draw.trend(ax, figures.trend, figures.trend_by)
    elif key == "risks":
        draw.risks(ax, figures.risks)
    else:
        raise ValueError(f"no chart called {key}")


def new_figure(size: Size):
    """A Figure of ``size`` on an Agg canvas (no window), fonts set for Chinese."""
    global _imported
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from jingyuan_desktop.ui.charts.style import setup_matplotlib

    setup_matplotlib()
    if not _imported:
        _imported = True
        gc_guard.settle()  # matplotlib and its font list stay: no full collection walks them again
    # dpi times the ratio: as many pixels as the screen has, text the same size in points.
    figure = Figure(figsize=(max(size.width, 1) / DPI, max(size.height, 1) / DPI), dpi=DPI * size.ratio,
                    layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def picture_of(key: str, figure, size: Size) -> Picture:
    """Draw ``figure`` and copy its pixels into an image the window can show."""
    canvas = figure.canvas
    canvas.draw()
    buffer = canvas.buffer_rgba()
    height, width = buffer.shape[0], buffer.shape[1]
    # A deep copy: the image must not point into memory of the Figure or of a Python object.
    image = QImage(bytes(buffer), width, height, width * 4, QImage.Format.Format_RGBA8888).copy()
    image.setDevicePixelRatio(size.ratio)
    bars = []
    for ax in figure.axes:
        for patch in ax.patches:
            village = patch.get_gid()
            if village:
                box = patch.get_window_extent()
                bars.append((village, (box.x0, box.y0, box.x1, box.y1)))
    return Picture(key, size, image, figure, bars)


def draw_charts(figures: Figures, sizes: dict[str, Size], minor_classes: bool,
                step: Callable[[int, int], None] = lambda _done, _total: None) -> dict[str, Picture]:
    """Each chart of ``sizes`` drawn for ``figures``. ``step`` is told after each chart (and
    stops the drawing by raising, once a newer drawing was asked for)."""
    pictures: dict[str, Picture] = {}
    with _drawing:
        for done, (key, size) in enumerate(sizes.items(), start=1):
            figure = new_figure(size)
            draw_chart(key, figure.add_subplot(), figures, minor_classes)
            pictures[key] = picture_of(key, figure, size)
            step(done, len(sizes))
    return pictures

"""Statistics screen: the office's figures as charts (matplotlib in Qt)."""

from jingyuan_desktop.ui.charts.widget import StatisticsWidget

__all__ = ["StatisticsWidget"]

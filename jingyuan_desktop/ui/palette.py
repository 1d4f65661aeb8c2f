"""The window's colours, one name each: every alarm is the same red, every "done" the same green.

Text colours are dark enough to read on white and on their own tint (contrast above 4.5:1).
"""

from __future__ import annotations

ALARM = "#b3261e"  # overdue, refused, missing: text and markers
ALARM_TINT = "#fbe3e1"  # background of an overdue row, a red banner
OK = "#1e5631"  # saved, complete, dispatched
OK_TINT = "#e6f4ea"
WARN = "#7a5300"  # a suggestion, a repeat call, time running short
WARN_TINT = "#fdf3d0"
SOON_TINT = "#fff4c2"  # a clock past half its time
URGENT_TINT = "#ffd8a8"  # a clock in its last fifth
INFO = "#1d4f91"  # what to do next
INFO_TINT = "#e4eefb"
MUTED = "#555555"

# Risk colours of seed 003 (淮阳): red, yellow, blue, for text on white and for chart bars.
RISK_TEXT = {"red": ALARM, "yellow": "#b8860b", "blue": "#1565c0"}
RISK_FILL = {"red": "#d32f2f", "yellow": "#f2b01e", "blue": "#1f77b4"}
BELOW_TARGET = ALARM  # a bar under the office's target on a chart

ERROR_STYLE = f"color: {ALARM};"
DONE_STYLE = f"color: {OK};"

"""How a time left or overdue reads, in one place: the table, the timer panel, the intake
form's dispatch clock, the case header and `jingyuan deadlines` all say it the same way.

Three grains, from coarse to fine:

- ``MINUTES`` (lists): 3天2小时 / 2小时05分 / 5分
- ``SECONDS`` (a countdown watched live): 3天2小时 / 2小时05分 / 3分12秒
- ``EXACT`` (the command line, which is read, not glanced at): 3天2小时5分 / 0小时5分
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

LEFT, OVERDUE = "剩余", "超时"


class Grain(Enum):
    MINUTES = "minutes"
    SECONDS = "seconds"
    EXACT = "exact"


def duration_text(delta: timedelta, grain: Grain = Grain.MINUTES) -> str:
    """The length of ``delta`` (its sign ignored) in Chinese units at the given grain."""
    total = abs(int(delta.total_seconds()))
    if grain == Grain.EXACT:
        # Whole minutes, as the command line always printed them: time left rounds down,
        # time overdue rounds up (a clock 10 seconds late is 1 minute late).
        whole = int(delta.total_seconds() // 60)
        total = abs(whole) * 60
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if grain == Grain.EXACT:
        return (f"{days}天" if days else "") + f"{hours}小时{minutes}分"
    if days:
        return f"{days}天{hours}小时"
    if hours:
        return f"{hours}小时{minutes:02d}分"
    return f"{minutes}分{seconds:02d}秒" if grain == Grain.SECONDS else f"{minutes}分"


def left_text(delta: timedelta, grain: Grain = Grain.MINUTES) -> str:
    """剩余 … when ``delta`` is not negative, else 超时 …."""
    return f"{LEFT if delta >= timedelta(0) else OVERDUE} {duration_text(delta, grain)}"

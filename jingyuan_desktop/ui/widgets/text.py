"""Small text helpers the views share, so a time or a code reads the same everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.enums import Coded


def label_of(enum_cls: type[Coded], value) -> str:
    """The Chinese label of a code that may arrive as the enum, its code or already a label."""
    if value is None or value == "":
        return ""
    if isinstance(value, Enum):
        return value.label
    try:
        return enum_cls.parse(str(value)).label
    except Exception:  # an unknown code still shows, rather than an empty cell
        return str(value)


def format_moment(moment: datetime | None, *, with_year: bool = False) -> str:
    if moment is None:
        return ""
    pattern = "%Y-%m-%d %H:%M" if with_year else "%m-%d %H:%M"
    return local(moment).strftime(pattern)


def format_remaining(delta: timedelta) -> str:
    """剩余 1小时05分 / 超时 3天2小时: coarse enough to read at a glance in a table."""
    seconds = int(delta.total_seconds())
    prefix = "剩余" if seconds >= 0 else "超时"
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{prefix} {days}天{hours}小时"
    if hours:
        return f"{prefix} {hours}小时{mins:02d}分"
    return f"{prefix} {mins}分"

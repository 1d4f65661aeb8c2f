"""Small text helpers the views share, so a time or a code reads the same everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.durations import Grain, left_text
from jingyuan_desktop.domain.enums import Coded


def label_of(enum_cls: type[Coded], value) -> str:
    """The Chinese label of a code that may arrive as the enum, its code or already a label."""
    if value is None or value == "":
        return ""
    if isinstance(value, Coded):
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
    return left_text(delta, Grain.MINUTES)

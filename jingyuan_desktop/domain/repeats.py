"""Repeat calls (多次报警): the same caller's phone, or the same place in the same village,
within the previous 90 days."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.privacy import normalise_phone

_PLACE_NOISE = re.compile(r"[\s,，。.、;；:：()（）\-—_]")


def normalise_place(place: str) -> str:
    """Ignore spacing and punctuation so that "3组 东头" and "3组，东头" match."""
    return _PLACE_NOISE.sub("", place or "")


def repeat_reason(new: Case, earlier: Case) -> str | None:
    """Why ``earlier`` makes ``new`` a repeat, in Chinese, or None."""
    new_phone = normalise_phone(new.caller.phone) if new.caller else ""
    old_phone = normalise_phone(earlier.caller.phone) if earlier.caller else ""
    if new_phone and new_phone == old_phone:
        return "报警人电话相同"
    place = normalise_place(new.location)
    if place and new.village == earlier.village and place == normalise_place(earlier.location):
        return "同村（社区）同一地点"
    return None


def find_repeat(new: Case, candidates: Iterable[Case], window_days: int = 90) -> tuple[Case, str] | None:
    """The latest case received in the ``window_days`` before ``new`` that it repeats."""
    start = new.received_at - timedelta(days=window_days)
    best: tuple[Case, str] | None = None
    for earlier in candidates:
        if earlier is new or not (start <= earlier.received_at < new.received_at):
            continue
        if earlier.case_no and earlier.case_no == new.case_no:
            continue
        reason = repeat_reason(new, earlier)
        if reason and (best is None or earlier.received_at > best[0].received_at):
            best = (earlier, reason)
    return best

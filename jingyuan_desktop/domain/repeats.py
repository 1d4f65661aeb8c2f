"""Repeat calls (多次报警): the same caller's phone or ID number (the same person, issue 14), or
the same place in the same village,
within the previous 90 days; and relapses: the same after a resolved case, while it is watched."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from jingyuan_desktop.domain.enums import Risk
from jingyuan_desktop.domain.lifecycle import classification_at, resolution
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.persons import normalize_id_number
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
    new_id = _caller_id(new)
    if new_id and new_id == _caller_id(earlier):
        return "报警人身份证号相同"
    place = normalise_place(new.location)
    if place and new.village == earlier.village and place == normalise_place(earlier.location):
        return "同村（社区）同一地点"
    return None


def _caller_id(case: Case) -> str:
    return normalize_id_number(case.caller.id_number) if case.caller else ""


def find_repeat(new: Case, candidates: Iterable[Case], window_days: int = 90) -> tuple[Case, str] | None:
    """The latest case received in the ``window_days`` before ``new`` that it repeats
    (``find_link`` without the relapse rule)."""
    link = find_link(new, candidates, repeat_window_days=window_days, relapse_watch_days=None)
    return (link.earlier, link.reason) if link else None


@dataclass(frozen=True)
class Link:
    """The earlier case a new one is linked to, why, and whether it is a relapse: the earlier
    case had been resolved and was still watched (seed 003: 蓝色…防止出现反复)."""

    earlier: Case
    reason: str
    relapse: bool = False
    floor: Risk | None = None  # the colour the new case is raised to at least

    def raised(self, risk: Risk | None) -> Risk | None:
        """``risk`` raised to the earlier case's colour; the earlier colour when none was chosen."""
        if self.floor is None:
            return risk
        if risk is None or risk.rank < self.floor.rank:
            return self.floor
        return risk


def find_link(new: Case, candidates: Iterable[Case], *, repeat_window_days: int = 90,
              relapse_watch_days: int | None = 90) -> Link | None:
    """The earlier case ``new`` repeats: one received in the ``repeat_window_days`` before it
    (多次报警), or one resolved in the ``relapse_watch_days`` before it (a relapse, which also
    raises the new case to the colour the old one had before it was resolved). A relapse wins
    over a plain repeat; among equals the latest received. ``candidates`` need their timelines
    for the relapse rule; ``relapse_watch_days`` None leaves the rule out."""
    repeat_start = new.received_at - timedelta(days=repeat_window_days)
    watch_start = None if relapse_watch_days is None else new.received_at - timedelta(days=relapse_watch_days)
    best: tuple[tuple[bool, datetime], Link] | None = None
    for earlier in candidates:
        if earlier is new or earlier.received_at >= new.received_at:
            continue
        if earlier.case_no and earlier.case_no == new.case_no:
            continue
        reason = repeat_reason(new, earlier)
        if reason is None:
            continue
        resolved = resolution(earlier) if watch_start is not None else None
        relapse = resolved is not None and watch_start is not None and watch_start <= resolved.at <= new.received_at
        if not relapse and earlier.received_at < repeat_start:
            continue
        floor = classification_at(earlier, resolved.at).risk if relapse and resolved is not None else None
        link = Link(earlier, reason, relapse, floor)
        rank = (relapse, earlier.received_at)
        if best is None or rank > best[0]:
            best = (rank, link)
    return best[1] if best else None


class RepeatIndex:
    """Earlier cases by the keys a repeat is found by: the caller's phone, and the village with
    the place. An import of thousands of rows looks each one up here instead of reading the
    whole look-back period again for every row."""

    def __init__(self, cases: Iterable[Case] = ()):
        self._by_phone: dict[str, list[Case]] = {}
        self._by_place: dict[tuple[str, str], list[Case]] = {}
        self._by_id: dict[str, list[Case]] = {}
        for case in cases:
            self.add(case)

    def add(self, case: Case) -> None:
        phone = normalise_phone(case.caller.phone) if case.caller else ""
        if phone:
            self._by_phone.setdefault(phone, []).append(case)
        number = _caller_id(case)
        if number:
            self._by_id.setdefault(number, []).append(case)
        place = normalise_place(case.location)
        if place:
            self._by_place.setdefault((case.village, place), []).append(case)

    def candidates(self, case: Case) -> list[Case]:
        """The cases sharing a key with ``case``; ``repeat_reason`` holds for each of them."""
        phone = normalise_phone(case.caller.phone) if case.caller else ""
        place = normalise_place(case.location)
        number = _caller_id(case)
        found = list(self._by_phone.get(phone, [])) if phone else []
        for more in (self._by_id.get(number, []) if number else [],
                     self._by_place.get((case.village, place), []) if place else []):
            seen = {id(c) for c in found}
            found += [c for c in more if id(c) not in seen]
        return found

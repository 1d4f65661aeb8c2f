"""What is stored beside a case's timeline and derived from it by the rules of this package.

The clocks (``clocks.case_clocks``) and the figures (``statistics.case_figures``) of a case are
computed when it changes and stored, so that the timer panel, the overdue filter and the
figures are read, not rebuilt from 100,000 timelines. Stored data are only a copy: they can
always be recomputed from the timeline and compared (``jingyuan check``), and ``fingerprint``
names the rules they were computed with, so that a change of the rules, the clock settings or
the calendar is noticed and the copies are recomputed instead of trusted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from jingyuan_desktop.domain.calendar import WorkCalendar, local
from jingyuan_desktop.domain.clocks import (
    Clock,
    ClockSettings,
    ProgressContinuation,
    case_clocks,
    progress_continuation,
)
from jingyuan_desktop.domain.listing import search_text
from jingyuan_desktop.domain.meeting import AgendaLine, agenda_line
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.statistics import CaseFigures, case_figures

# Raise it with every change of a rule that changes what is derived: stored copies made
# under an older number are then recomputed.
RULES_VERSION = 5  # 3: the weekly agenda's line is stored (``agenda_line``); 4: the search text;
# 5: the agenda line keeps the timeline's latest entry (``meeting.LastEntry``)


@dataclass(frozen=True)
class Derived:
    """A case's clocks as of ``as_of``, the progress clocks that follow while nothing more is
    recorded, and its figures."""

    as_of: datetime
    clocks: list[Clock]
    continuation: ProgressContinuation | None
    figures: CaseFigures
    agenda: AgendaLine = field(default_factory=AgendaLine)  # the case's weekly agenda line (``meeting.agenda_line``)
    search: str = ""  # what the search box looks in (``listing.search_text``)

    @property
    def agenda_watch(self) -> bool:
        """On one of the weekly agenda's case lists (``meeting.on_watch``)."""
        return bool(self.agenda.lists)


def derivation_moment(case: Case, at: datetime) -> datetime:
    """The moment a case's clocks are stored as of: the write, or its latest event or its
    receipt if either lies later, so that every recorded event is taken into account."""
    moments = [local(at), local(case.received_at)] + [local(e.at) for e in case.events]
    return max(moments)


def derive(case: Case, at: datetime, calendar: WorkCalendar, settings: ClockSettings = ClockSettings()) -> Derived:
    moment = derivation_moment(case, at)
    return Derived(moment, case_clocks(case, moment, calendar, settings),
                   progress_continuation(case, moment, calendar, settings), case_figures(case, settings),
                   agenda_line(case, moment),
                   search=search_text(case.case_no, case.summary, case.location,
                                      ((p.name, p.phone) for p in case.parties)))


def fingerprint(settings: ClockSettings, overrides: Mapping[date, bool], statutory: str) -> str:
    """A name for the rules stored copies were computed with: this package's rules version,
    the clock settings, the office's calendar entries and the statutory calendar's data."""
    text = json.dumps({
        "rules": RULES_VERSION,
        "settings": settings.to_dict(),
        "calendar": sorted((day.isoformat(), bool(working)) for day, working in overrides.items()),
        "statutory": statutory,
    }, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()

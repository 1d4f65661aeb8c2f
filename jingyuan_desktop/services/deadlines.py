"""Every clock of every case as of a moment: the timer panel and `jingyuan deadlines`."""

from __future__ import annotations

from datetime import datetime, timedelta

from jingyuan_desktop.domain.clocks import Clock, case_clocks
from jingyuan_desktop.domain.enums import Status
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.derived import scope_conditions
from jingyuan_desktop.store import derived as store_derived
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.models import CaseModel

# A moment the window took a little before the service ran still counts as "now".
NOW_TOLERANCE = timedelta(minutes=1)
RECEIVED_AT_MOMENT = timedelta(seconds=1)
# Statuses whose cases can still have a running clock (``Status.has_clocks``), as the queries
# take them.
LIVE_STATUSES = [s.value for s in Status if s.has_clocks]
# An archived 疑难 or red case still owes its rolling return visits for ``follow_visit_months``
# after its resolution, which may have come up to a year after its receipt.
ARCHIVED_WATCH = timedelta(days=365)


def deadlines(ctx: AppContext, at: datetime | None = None, *, include_done: bool = False) -> list[Clock]:
    """Clocks as of ``at`` (now when None), events after it ignored, sorted by due time.

    Only pending and overdue clocks unless ``include_done``. When ``at`` is now (within a minute)
    or later, archived and cancelled cases are skipped without loading them, since they have no
    running clock; for a moment in the past they are read, as they may have been open then.
    """
    now = ctx.now()
    moment = at or now
    if moment >= now - NOW_TOLERANCE and not include_done:
        stored = _stored_open_clocks(ctx, moment)
        if stored is not None:
            return stored
    calendar = ctx.calendar()
    settings = ctx.clock_settings()
    statuses = LIVE_STATUSES if moment >= now - NOW_TOLERANCE and not include_done else None
    clocks: list[Clock] = []
    with ctx.session() as session:
        # received_to is exclusive; a case received at the very moment already has its clock.
        passes = [repository.iter_cases(session, received_to=moment + RECEIVED_AT_MOMENT, statuses=statuses)]
        if statuses is not None and settings.follow_visit_months > 0:
            watched = moment - ARCHIVED_WATCH - timedelta(days=31 * settings.follow_visit_months)
            passes.append(repository.iter_cases(session, received_from=watched, received_to=moment + RECEIVED_AT_MOMENT,
                                                statuses=[Status.ARCHIVED.value]))
        for cases in passes:
            for case in cases:
                if not ctx.sees(case):
                    continue
                for clock in case_clocks(case, moment, calendar, settings):
                    if include_done or clock.is_open:
                        clocks.append(clock)
    clocks.sort(key=lambda c: (c.due_at, c.case_no, c.name.value, c.seq))
    return clocks


def _stored_open_clocks(ctx: AppContext, moment: datetime) -> list[Clock] | None:
    """Every open clock at ``moment`` from the stored clocks; None while they are not current
    (``services.derived``), when the timelines are read instead."""
    with ctx.session() as session:
        rules = store_derived.load_rules(session)
        if not store_derived.is_fresh(session, rules):
            return None
        return store_derived.open_clocks(session, scope_conditions(ctx), moment, rules)


def case_deadlines(ctx: AppContext, case_nos: list[str], at: datetime | None = None) -> list[Clock]:
    """The open clocks of the given cases only, as ``deadlines`` would list them: what the timer
    panel asks for after one case changed, instead of reading every open case again."""
    moment = at or ctx.now()
    with ctx.session() as session:
        rules = store_derived.load_rules(session)
        if store_derived.is_fresh(session, rules):
            wanted = [CaseModel.case_no.in_(list(case_nos)), *scope_conditions(ctx)]
            return store_derived.open_clocks(session, wanted, moment, rules)
    calendar, settings = ctx.calendar(), ctx.clock_settings()
    with ctx.session() as session:
        found = repository.get_cases(session, list(case_nos))
    clocks = [clock for case, _version in found.values() if ctx.sees(case)
              for clock in case_clocks(case, moment, calendar, settings) if clock.is_open]
    clocks.sort(key=lambda c: (c.due_at, c.case_no, c.name.value, c.seq))
    return clocks

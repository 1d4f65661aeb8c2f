"""Statistics over the database: the one source for `jingyuan stats`, the charts and the meeting."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.statistics import StatsRow, compute_stats
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.store import repository


def period_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Local dates [start, end] as instants [start 00:00, end+1 00:00) for the database query."""
    low = datetime.combine(start, time(0), tzinfo=TZ) if start else None
    high = datetime.combine(end + timedelta(days=1), time(0), tzinfo=TZ) if end else None
    return low, high


def statistics(ctx: AppContext, *, by: str | None = None, start: date | None = None,
               end: date | None = None) -> list[StatsRow]:
    low, high = period_bounds(start, end)
    with ctx.session() as session:
        tree = repository.category_tree(session)
        # A village account's figures are its village's; a police liaison's, the police transfers'.
        cases = (c for c in repository.iter_cases(session, received_from=low, received_to=high) if ctx.sees(c))
        return compute_stats(cases, now=ctx.now(), by=by, start=start, end=end, settings=ctx.clock_settings(),
                             major_of=tree.major_of)

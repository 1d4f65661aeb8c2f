"""The 当前时限 column: the nearest running clock of each case on the loaded page.

These run in the worker thread (``Operations.run``). They read only through services; a
batch read of many cases by number would make the per-page fetch one query instead of one
per case (asked of the lead).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from jingyuan_desktop.domain.clocks import Clock, case_clocks, nearest_open_clock
from jingyuan_desktop.domain.enums import ClockState, Status
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.deadlines import LIVE_STATUSES, deadlines

# Archived and cancelled cases never have a running clock, so their timelines are not read.
CLOCKLESS = frozenset({Status.ARCHIVED.value, Status.CANCELLED.value})


def nearest_clocks(ctx: AppContext, case_nos: list[str], now: datetime) -> dict[str, Clock | None]:
    calendar = ctx.calendar()
    settings = ctx.clock_settings()
    found = _read_cases(ctx, case_nos)
    return {no: nearest_open_clock(case_clocks(found[no], now, calendar, settings)) if no in found else None
            for no in case_nos}


def _read_cases(ctx: AppContext, case_nos: list[str]) -> dict:
    # A batch read in services (asked of the lead) makes a page one query instead of 200.
    batch = getattr(case_service, "get_cases", None) or getattr(queries, "get_cases", None)
    if batch is not None:
        return {no: value[0] if isinstance(value, tuple) else value for no, value in batch(ctx, case_nos).items()}
    found = {}
    for case_no in case_nos:
        try:
            found[case_no] = case_service.get_case(ctx, case_no)[0]
        except ServiceError:  # deleted meanwhile: the next refresh drops the row
            continue
    return found


def overdue_rows(ctx: AppContext, filters, order_by: str, descending: bool, now: datetime):
    """Rows matching ``filters`` whose case has an overdue clock, in the table's order.

    Overdue cases are few, so they are found from the clocks of live cases and the matching
    rows are then read page by page among live statuses only.
    """
    clocks = [c for c in deadlines(ctx, now) if c.state == ClockState.OVERDUE]
    nearest: dict[str, Clock] = {}
    for clock in clocks:  # deadlines() is sorted by due time: the first one wins
        nearest.setdefault(clock.case_no, clock)
    if not nearest:
        return [], {}
    wanted = [s for s in (filters.statuses or LIVE_STATUSES) if s in LIVE_STATUSES]
    live_filter = dataclasses.replace(filters, statuses=wanted)
    rows, offset, page = [], 0, 1000
    while True:
        batch = queries.page_cases(ctx, live_filter, order_by=order_by, descending=descending,
                                   offset=offset, limit=page)
        rows.extend(r for r in batch if r.case_no in nearest)
        if len(batch) < page:
            break
        offset += page
    return rows, {r.case_no: nearest[r.case_no] for r in rows}

"""The case table's reads that need clocks: the 当前时限 column and "只看超时".

Run in the window's worker threads; nothing here knows of Qt.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from jingyuan_desktop.domain.clocks import Clock, case_clocks, nearest_open_clock
from jingyuan_desktop.domain.enums import ClockState, Status
from jingyuan_desktop.domain.listing import CaseFilter, CaseRow
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.deadlines import LIVE_STATUSES, deadlines

OVERDUE_PAGE = 1000


def has_clocks(status: Status | str) -> bool:
    """Whether a case in this status can have a running clock at all (archived and cancelled
    ones cannot, so their timelines are not read)."""
    return str(status) in LIVE_STATUSES


def nearest_clocks(ctx: AppContext, case_nos: list[str], now: datetime) -> dict[str, Clock | None]:
    """The nearest running clock of each case (None when it has none), in one read of the cases."""
    calendar = ctx.calendar()
    settings = ctx.clock_settings()
    found = queries.get_cases(ctx, case_nos)  # a case deleted meanwhile is simply absent
    return {no: nearest_open_clock(case_clocks(found[no][0], now, calendar, settings)) if no in found else None
            for no in case_nos}


def overdue_rows(ctx: AppContext, filters: CaseFilter, order_by: str, descending: bool,
                 now: datetime) -> tuple[list[CaseRow], dict[str, Clock]]:
    """Rows matching ``filters`` whose case has an overdue clock, in the table's order, with
    the earliest overdue clock of each.

    Overdue cases are few, so they are found from the clocks of live cases and the matching
    rows are then read page by page among live statuses only.
    """
    nearest: dict[str, Clock] = {}
    for clock in deadlines(ctx, now):  # sorted by due time: the first one of a case wins
        if clock.state == ClockState.OVERDUE:
            nearest.setdefault(clock.case_no, clock)
    if not nearest:
        return [], {}
    wanted = [s for s in (filters.statuses or LIVE_STATUSES) if s in LIVE_STATUSES]
    live_filter = dataclasses.replace(filters, statuses=wanted)
    rows: list[CaseRow] = []
    offset = 0
    while True:
        batch = queries.page_cases(ctx, live_filter, order_by=order_by, descending=descending,
                                   offset=offset, limit=OVERDUE_PAGE)
        rows.extend(r for r in batch if r.case_no in nearest)
        if len(batch) < OVERDUE_PAGE:
            break
        offset += OVERDUE_PAGE
    return rows, {r.case_no: nearest[r.case_no] for r in rows}

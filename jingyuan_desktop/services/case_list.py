"""The case table's reads that need clocks: the 当前时限 column and "只看超时".

Run in the window's worker threads; nothing here knows of Qt. ``has_clocks`` is asked by the
case table for every row on screen, from its first paint on, before the database layer is
imported (``services.start``): the services this module uses are imported when first called.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING

from jingyuan_desktop.domain.clocks import Clock
from jingyuan_desktop.domain.enums import Status
from jingyuan_desktop.domain.listing import CaseFilter, CaseRow

if TYPE_CHECKING:
    from jingyuan_desktop.services.context import AppContext

OVERDUE_PAGE = 1000
# Statuses whose cases can still have a running clock (``Status.has_clocks``).
LIVE_STATUSES = frozenset(s.value for s in Status if s.has_clocks)


def has_clocks(status: Status | str) -> bool:
    """Whether a case in this status can have a running clock at all (archived and cancelled
    ones cannot, so their timelines are not read)."""
    return str(status) in LIVE_STATUSES


def nearest_clocks(ctx: AppContext, case_nos: list[str], now: datetime) -> dict[str, Clock | None]:
    """The nearest running clock of each case (None when it has none): ``case_deadlines`` reads
    them off the stored clocks, or off the timelines while those are being redone."""
    from jingyuan_desktop.services.deadlines import case_deadlines

    nearest: dict[str, Clock | None] = dict.fromkeys(case_nos)
    for clock in case_deadlines(ctx, case_nos, now):  # sorted by due time: a case's first is its nearest
        if clock.case_no in nearest and nearest[clock.case_no] is None:
            nearest[clock.case_no] = clock
    return nearest


def overdue_rows(ctx: AppContext, filters: CaseFilter, order_by: str, descending: bool,
                 now: datetime) -> tuple[list[CaseRow], dict[str, Clock]]:
    """Every row matching ``filters`` whose case has a clock overdue at ``now``, in the table's
    order, with the nearest clock of each (an overdue one). The case table pages through
    ``CaseFilter(overdue_at=now)`` itself; this reads all of them, for lists and exports."""
    from jingyuan_desktop.services import queries

    wanted = dataclasses.replace(filters, overdue_at=now)
    rows: list[CaseRow] = []
    offset = 0
    while True:
        batch = queries.page_cases(ctx, wanted, order_by=order_by, descending=descending, offset=offset,
                                   limit=OVERDUE_PAGE)
        rows.extend(batch)
        if len(batch) < OVERDUE_PAGE:
            break
        offset += OVERDUE_PAGE
    nearest = nearest_clocks(ctx, [r.case_no for r in rows], now)
    return rows, {no: clock for no, clock in nearest.items() if clock is not None}

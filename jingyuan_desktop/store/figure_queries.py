"""The figures summed by the database over the stored ``CaseFigures`` columns and clock rows.

The sums are the fields of ``domain.statistics.FigureTally``, computed as its ``add_figures``
would case by case, so the rates built from them are the same as from whole cases. Void cases
(duplicates, entries in error) are left out here as there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, literal, null, or_, select, union_all
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from jingyuan_desktop.domain.enums import ClockName, ClockState
from jingyuan_desktop.domain.statistics import COUNTED, FigureTally
from jingyuan_desktop.store.models import CaseClockModel, CaseModel

C = CaseModel
# The case row's columns of the figure counts (``statistics.figure_counts``) and of the done
# clocks by kind and state, named once: store.derived sets them, the sums here read them.
COUNT_COLUMNS = {name: f"n_{name}" for name in COUNTED}
DONE_COLUMNS = tuple(((name, state), f"{state.value}_{name.value}")
                     for name in ClockName for state in (ClockState.MET, ClockState.LATE))


def _count(condition: ColumnElement[bool]):
    # count(*) FILTER (WHERE ...): the aggregate steps only over the rows that match, cheaper
    # than summing a CASE over every row (SQLite 3.30+, PostgreSQL).
    return func.count().filter(condition)


def tally_columns(now: datetime) -> dict[str, Any]:
    """FigureTally field -> the SQL aggregate that sums it: plain sums of the stored counts
    (``statistics.figure_counts``), and the arrival judged as of ``now``."""
    arrived_by_now = and_(C.arrived_at.is_not(None), C.arrived_at <= now)
    columns: dict[str, Any] = {
        "received": func.count(C.id),
        "resolved": func.count(C.resolved_at),
        "arrival_met": _count(and_(C.arrive_due_at.is_not(None), arrived_by_now, C.arrived_at <= C.arrive_due_at)),
        "arrival_judged": _count(and_(C.arrive_due_at.is_not(None), or_(arrived_by_now, C.arrive_due_at < now))),
        "archived": func.count(C.archived_at),
        "resolution_ms": func.coalesce(func.sum(C.resolution_ms), 0),  # NULL unless resolved
    }
    columns.update({name: func.coalesce(func.sum(getattr(C, column)), 0) for name, column in COUNT_COLUMNS.items()})
    return columns


def done_clock_columns() -> dict[tuple[ClockName, ClockState], Any]:
    """(clock kind, met or late) -> the SQL sum of the case rows' counts of such done clocks."""
    return {key: func.coalesce(func.sum(getattr(C, column)), 0) for key, column in DONE_COLUMNS}


def tallies(session: Session, conditions: Sequence[ColumnElement[bool]], keys: Sequence[Any],
            now: datetime) -> list[tuple[tuple, FigureTally]]:
    """(key values, tally) for each group of ``keys`` among the non-void cases matching
    ``conditions``; one group with no key when ``keys`` is empty."""
    return [(values, tally) for values, tally, _extra in tallies_with(session, conditions, keys, now, ())]


def tallies_with(session: Session, conditions: Sequence[ColumnElement[bool]], keys: Sequence[Any], now: datetime,
                 extra: Iterable[Any]) -> list[tuple[tuple, FigureTally, list[int]]]:
    """``tallies``, each group with the ``extra`` sums (SQL aggregates over the case rows) taken in
    the same pass over the rows: one pass costs about as much as the sums it takes."""
    width = len(TALLY_FIELDS)
    return [(values, tally_of(sums[:width]), sums[width:]) for values, sums in summed(session, conditions, keys, now,
                                                                                      extra)]


TALLY_FIELDS = tuple(FigureTally.__dataclass_fields__)


def tally_of(sums: Sequence[int]) -> FigureTally:
    """The tally of the first ``len(TALLY_FIELDS)`` sums of a ``summed`` group."""
    return FigureTally(*sums[:len(TALLY_FIELDS)])


def summed(session: Session, conditions: Sequence[ColumnElement[bool]], keys: Sequence[Any], now: datetime,
           extra: Iterable[Any] = ()) -> list[tuple[tuple, list[int]]]:
    """(key values, sums) for each group of ``keys`` among the non-void cases matching
    ``conditions``: the sums are the ``FigureTally`` fields in ``TALLY_FIELDS`` order, then
    ``extra``'s. Plain lists, so that a caller adding groups up adds lists (``map(add, ...)``)."""
    columns = tally_columns(now)
    query = select(*keys, *(columns[name] for name in TALLY_FIELDS), *extra).where(C.void.is_(False), *conditions)
    if keys:
        query = query.group_by(*keys)
    found = []
    start = len(keys)
    for row in session.execute(query):
        sums = [int(v or 0) for v in row[start:]]
        if not keys and not sums[0]:
            continue  # no case at all: the caller shows an empty total
        found.append((tuple(row[:start]), sums))
    return found


def cells_statement(conditions: Sequence[ColumnElement[bool]], keys: Sequence[Any], trend: Any, now: datetime,
                    extra: Iterable[Any] = ()):
    """The statement of ``summed_with_trend``: the non-void cases matching ``conditions`` summed
    into cells by ``keys`` and ``trend``, then the cells summed by ``keys`` (part 0) and by
    ``trend`` (part 1, its value in the first key's place)."""
    columns = tally_columns(now)
    firsts = [*(columns[name] for name in TALLY_FIELDS), *extra]
    names = [f"s{i}" for i in range(len(firsts))]
    key_names = [f"k{i}" for i in range(len(keys))]
    # Grouped by the trend period first: on SQLite ix_cases_figures is in that order.
    cells = (select(trend.label("t"), *(key.label(name) for key, name in zip(keys, key_names, strict=True)),
                    *(first.label(name) for first, name in zip(firsts, names, strict=True)))
             .where(C.void.is_(False), *conditions)
             .group_by(trend, *keys)
             .cte("cells"))  # referenced twice below: both databases compute it once
    added = [func.sum(cells.c[name]) for name in names]
    by_keys = (select(literal(0).label("part"), *(cells.c[name] for name in key_names), *added)
               .group_by(*(cells.c[name] for name in key_names)))
    by_trend = (select(literal(1), cells.c.t, *(cast(null(), String) for _ in key_names[1:]), *added)
                .group_by(cells.c.t))
    return union_all(by_keys, by_trend)


def summed_with_trend(session: Session, conditions: Sequence[ColumnElement[bool]], keys: Sequence[Any],
                      trend: Any, now: datetime, extra: Iterable[Any] = (),
                      ) -> tuple[list[tuple[tuple, list[int]]], list[tuple[Any, list[int]]]]:
    """``summed`` by ``keys``, and the same sums by ``trend`` alone (a period column), in one
    pass over the case rows: the cases are summed into cells by ``trend`` and ``keys`` first
    (a few thousand for a year), and both groupings add up those cells, not the cases again.
    Returns (key values, sums) and (trend value, sums)."""
    grouped: list[tuple[tuple, list[int]]] = []
    trended: list[tuple[Any, list[int]]] = []
    start = 1 + len(keys)
    for row in session.execute(cells_statement(conditions, keys, trend, now, extra)):
        sums = [int(v or 0) for v in row[start:]]
        if row[0] == 0:
            grouped.append((tuple(row[1:start]), sums))
        else:
            trended.append((row[1], sums))
    return grouped, trended


def open_clock_counts(session: Session, conditions: Sequence[ColumnElement[bool]], now: datetime,
                      *, by_owner: bool = False) -> Counter[tuple[Any, ClockState]]:
    """How many open clocks of each kind (or of each owner) are overdue or pending at ``now``,
    over the non-void cases matching ``conditions``, through ix_case_clocks_open. The done ones
    are counted on the case rows (``done_clock_columns``); the progress clocks grown since a
    case's last change come from its continuation (``store.derived.grown_clocks``)."""
    query = open_clocks_statement(conditions, now, by_owner=by_owner)
    return Counter({(name if by_owner else ClockName(name), ClockState(value)): int(number)
                    for name, value, number in session.execute(query)})


def open_clocks_statement(conditions: Sequence[ColumnElement[bool]], now: datetime, *, by_owner: bool = False):
    """The statement of ``open_clock_counts``."""
    state = when((CaseClockModel.due_at < now, ClockState.OVERDUE.value), else_=ClockState.PENDING.value)
    key = CaseClockModel.owner if by_owner else CaseClockModel.name
    return (select(key, state, func.count())
            .join(C, C.id == CaseClockModel.case_id)
            .where(CaseClockModel.done_at.is_(None), C.void.is_(False), *conditions)
            .group_by(key, state))

"""Statistics over the database: the one source for `jingyuan stats`, the charts and the meeting."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import DomainError, Source
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.domain.statistics import TOTAL_KEY, FigureTally, StatsRow, compute_stats, grid_group
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.derived import fresh_rules, scope_conditions
from jingyuan_desktop.store import figure_queries, repository
from jingyuan_desktop.store.models import CaseModel


def period_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Local dates [start, end] as instants [start 00:00, end+1 00:00) for the database query."""
    low = datetime.combine(start, time(0), tzinfo=TZ) if start else None
    high = datetime.combine(end + timedelta(days=1), time(0), tzinfo=TZ) if end else None
    return low, high


def received_months(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    """The months [start, end] falls in, as conditions on the month received, to go beside its
    instants: on SQLite the figures are read from ix_cases_figures, which is by month received,
    and these let the database go straight to the period's entries."""
    conditions = []
    if start is not None:
        conditions.append(CaseModel.received_month >= f"{start:%Y-%m}")
    if end is not None:
        conditions.append(CaseModel.received_month <= f"{end:%Y-%m}")
    return conditions


# The stored column each grouping sums by (``domain.statistics.group_key`` on whole cases).
GROUP_COLUMNS = {"village": CaseModel.village, "category": CaseModel.category, "major_category": CaseModel.category,
                 "handler": CaseModel.handler, "source": CaseModel.source, "month": CaseModel.received_month,
                 "week": CaseModel.received_week, "grid": CaseModel.grid}


def key_label(by: str | None, value: str, major_of) -> str:
    """The key a stored column's value is shown under, as ``group_key`` names it."""
    if by == "major_category":
        try:
            return major_of(value)
        except DomainError:
            return value
    if by == "source":
        return Source(value).label
    return value


def group_values(by: str | None) -> list:
    """The stored columns a grouping sums by (a grid is named with its village)."""
    if by is None:
        return []
    if by == "grid":
        return [CaseModel.village, CaseModel.grid]
    return [GROUP_COLUMNS[by]]


def values_label(by: str | None, values, major_of) -> str:
    if by == "grid":
        return grid_group(values[0], values[1])
    return key_label(by, values[0], major_of) if by else TOTAL_KEY


def summed_rows(groups: dict[str, FigureTally], by: str | None) -> list[StatsRow]:
    if by is None and not groups:
        groups = {TOTAL_KEY: FigureTally()}
    return [groups[key].row(key) for key in sorted(groups)]


def statistics(ctx: AppContext, *, by: str | None = None, start: date | None = None,
               end: date | None = None) -> list[StatsRow]:
    """One row of figures per group of the cases received in [start, end] the account sees.

    Summed by the database over the stored figure columns (``store.figure_queries``) while
    they follow the rules in force; from the whole cases, one by one, while they are redone."""
    if by is not None and by not in GROUP_COLUMNS:
        compute_stats([], now=ctx.now(), by=by)  # the domain's refusal of an unknown grouping
    low, high = period_bounds(start, end)
    if fresh_rules(ctx) is not None:
        conditions = [*scope_conditions(ctx, CaseFilter(received_from=low, received_to=high)),
                      *received_months(start, end)]
        keys = group_values(by)
        with ctx.session() as session:
            major_of = repository.category_tree(session).major_of
            groups: dict[str, FigureTally] = {}
            for values, tally in figure_queries.tallies(session, conditions, keys, ctx.now()):
                key = values_label(by, values, major_of)
                groups.setdefault(key, FigureTally()).merge(tally)
        return summed_rows(groups, by)
    with ctx.session() as session:
        tree = repository.category_tree(session)
        # A village account's figures are its village's; a police liaison's, the police transfers'.
        cases = (c for c in repository.iter_cases(session, received_from=low, received_to=high) if ctx.sees(c))
        return compute_stats(cases, now=ctx.now(), by=by, start=start, end=end, settings=ctx.clock_settings(),
                             major_of=tree.major_of)

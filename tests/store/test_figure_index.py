"""The statistics' sums are read from ``ix_cases_figures`` on SQLite (issue 12): the index must
carry every column they sum, and the year's statistics must walk it, in order, without
visiting the table; the open clocks are counted from their own small index, not by walking
the period's cases (which SQLite's planner would do if the index looked more selective)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Column, event
from sqlalchemy.sql import visitors

from jingyuan_desktop.services.stats import received_months
from jingyuan_desktop.store import figure_queries
from jingyuan_desktop.store.database import open_database
from jingyuan_desktop.store.models import FIGURE_INDEX_COLUMNS, CaseModel


def _columns(expressions) -> set[str]:
    return {element.name for expression in expressions for element in visitors.iterate(expression)
            if isinstance(element, Column) and element.table is CaseModel.__table__}


def test_the_index_carries_every_column_the_statistics_sum():
    now = datetime(2026, 11, 30, tzinfo=UTC)
    summed = _columns([*figure_queries.tally_columns(now).values(), *figure_queries.done_clock_columns().values()])
    grouped = {"void", "received_month", "village", "category", "risk", "received_at"}
    rowid = {"id"}  # in every SQLite index
    assert summed and summed | grouped <= set(FIGURE_INDEX_COLUMNS) | rowid


def _plan(tmp_path, statement) -> list[tuple[int, int, int, str]]:
    def explain(_connection, _cursor, sql, parameters, _context, _many):
        return "EXPLAIN QUERY PLAN " + sql, parameters

    db = open_database(str(tmp_path / "jingyuan.db"))
    try:
        with db.engine.connect() as connection:
            event.listen(connection, "before_cursor_execute", explain, retval=True)
            return [tuple(row) for row in connection.execute(statement)]
    finally:
        db.dispose()


LOW, HIGH = datetime(2025, 12, 31, 16, tzinfo=UTC), datetime(2026, 12, 31, 16, tzinfo=UTC)
YEAR = [CaseModel.received_at >= LOW, CaseModel.received_at < HIGH]


def test_the_year_of_the_statistics_screen_walks_the_index_without_sorting(tmp_path):
    keys = [CaseModel.village, CaseModel.category, CaseModel.risk]
    plan = _plan(tmp_path, figure_queries.cells_statement(
        [*YEAR, *received_months(date(2026, 1, 1), date(2026, 12, 31))], keys, CaseModel.received_month, LOW))
    cells = next(row[0] for row in plan if row[3] == "MATERIALIZE cells")
    inner = [row[3] for row in plan if row[1] == cells]
    assert inner == ["SEARCH cases USING COVERING INDEX ix_cases_figures (void=? AND received_month>? AND "
                     "received_month<?)"], plan


@pytest.mark.parametrize("by_owner", [False, True])
def test_the_open_clocks_are_counted_from_their_own_index(tmp_path, by_owner):
    plan = [row[3] for row in _plan(tmp_path, figure_queries.open_clocks_statement(YEAR, LOW, by_owner=by_owner))]
    assert plan[:2] == ["SEARCH case_clocks USING COVERING INDEX ix_case_clocks_open (done_at=?)",
                        "SEARCH cases USING INTEGER PRIMARY KEY (rowid=?)"], plan

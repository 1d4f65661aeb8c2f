"""What the harness times: the office's everyday reads, through the same services as the window.

Each operation is a callable taking nothing; ``operations`` builds them for one open context.
The ``sql_*`` ones are the floor the others are compared with: the database's own time for a
plain count and a plain page, with no program code around them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import Status
from jingyuan_desktop.services import assessment, figures, files, queries, stats
from jingyuan_desktop.services.case_list import overdue_rows
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.deadlines import deadlines
from jingyuan_desktop.services.queries import CaseFilter

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
PAGE = 200
# Columns the table sorts by (ui/cases/table_model.COLUMNS), each timed on its own.
SORT_COLUMNS = ("case_no", "received_at", "village", "category", "grade", "risk", "status")
# Chinese substrings the demo generator writes into a summary, a place and a party's name.
SEARCHES = {"summary": "彩礼", "place": "坑塘边", "party": "王春英"}
# Operations that read whole cases for a year: slow at 100,000 cases, skipped by --quick.
OPEN = [s.value for s in Status if s.is_open]
HEAVY = ("stats_year_by_village", "statistics_screen_year", "assessment_year", "ledger_month")

_SCRATCH = Path(tempfile.gettempdir()) / "jingyuan-bench-ledger.xlsx"


def operations(ctx: AppContext, cases: int, *, url: str) -> dict[str, Callable[[], object]]:
    """Name -> operation, in the order they are reported."""
    village = queries.units(ctx)[0].name
    year = NOW.year
    ops: dict[str, Callable[[], object]] = {
        "sql_count": lambda: _sql(ctx, "SELECT count(*) FROM cases"),
        "sql_newest_page": lambda: _sql(ctx, f"SELECT * FROM cases ORDER BY received_at DESC LIMIT {PAGE}"),
        "open_and_count": lambda: _open_and_count(url),
        "table_count": lambda: queries.count_cases(ctx, CaseFilter()),
        "table_first_page": lambda: queries.page_cases(ctx, CaseFilter(), limit=PAGE),
        "table_deep_page": lambda: queries.page_cases(ctx, CaseFilter(), offset=max(cases // 2 - PAGE, 0),
                                                      limit=PAGE),
    }
    for column in SORT_COLUMNS:
        ops[f"table_sort_{column}"] = _page(ctx, CaseFilter(), order_by=column, descending=False)
    ops["table_sort_category_deep"] = lambda: queries.page_cases(
        ctx, CaseFilter(), order_by="category", offset=max(cases // 2 - PAGE, 0), limit=PAGE)
    ops["table_filter_village"] = _count_and_page(ctx, CaseFilter(villages=[village]))
    ops["table_filter_open"] = _count_and_page(ctx, CaseFilter(statuses=OPEN))
    ops["table_filter_village_open"] = _count_and_page(ctx, CaseFilter(villages=[village], statuses=OPEN))
    for where, word in SEARCHES.items():
        ops[f"table_search_{where}"] = _count_and_page(ctx, CaseFilter(text=word))
    ops["table_overdue_only"] = lambda: overdue_rows(ctx, CaseFilter(), "received_at", True, NOW)
    ops["timer_panel_load"] = lambda: deadlines(ctx, NOW)
    ops["stats_year_by_village"] = lambda: stats.statistics(ctx, by="village", start=date(year, 1, 1),
                                                            end=date(year, 12, 31))
    ops["statistics_screen_year"] = lambda: figures.figures(ctx, date(year, 1, 1), date(year, 12, 31))
    ops["assessment_year"] = lambda: assessment.assess(ctx, year)
    ops["ledger_month"] = lambda: files.export_ledger(ctx, _SCRATCH, start=date(year, 10, 1), end=date(year, 10, 31))
    return ops


def _page(ctx: AppContext, filters: CaseFilter, **order) -> Callable[[], object]:
    return lambda: queries.page_cases(ctx, filters, limit=PAGE, **order)


def _count_and_page(ctx: AppContext, filters: CaseFilter) -> Callable[[], object]:
    """What the table does on a new filter: count the rows, read the first page."""
    return lambda: (queries.count_cases(ctx, filters), queries.page_cases(ctx, filters, limit=PAGE))


def _open_and_count(url: str) -> int:
    """Starting the program on the database: open it (schema check included) and count."""
    ctx = AppContext.open(url, now=lambda: NOW, user="benchmark")
    try:
        return queries.count_cases(ctx, CaseFilter())
    finally:
        ctx.db.dispose()


def _sql(ctx: AppContext, statement: str):
    with ctx.db.engine.connect() as connection:
        return connection.execute(text(statement)).fetchall()

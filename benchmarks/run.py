"""The benchmark harness: how the program's everyday reads scale to 100,000 cases.

    python -m benchmarks.run [--cases 100000] [--baseline-cases 1000] [--folder DIR] [--out DIR]

Two demo databases are built (or reused, see databases.py): the target size and a small
baseline. Every operation is timed on both in this same run, and also set against a plain SQL
statement on the same database (``SELECT count(*)``, the newest 200 rows), so the figures read
as ratios that do not depend on how fast this machine happens to be:

- ``x_baseline``: time at the target size / time at the baseline size (how it scales);
- ``x_sql``: time / the plain ``SELECT count(*)`` on the same database (what the program adds
  over the database's own floor).

Absolute milliseconds and the peak Python memory of each operation (tracemalloc) are printed
too, for reference. Results go to a JSON and a Markdown table. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import statistics as pystats
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text

from benchmarks.databases import demo_database
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.services import assessment, figures, files, queries, stats
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.deadlines import deadlines
from jingyuan_desktop.services.queries import CaseFilter
from jingyuan_desktop.ui.cases.clock_cells import overdue_rows

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
PAGE = 200


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median seconds of ``repeat`` runs, and the peak traced memory (MB) of one run."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return pystats.median(times), peak / 1e6


def operations(ctx: AppContext, cases: int) -> dict[str, Callable[[], object]]:
    """What the office does all day, through the same services as the window."""
    village = queries.units(ctx)[0].name
    search = CaseFilter(text="漏水")
    year = NOW.year
    return {
        "sql_count": lambda: _sql(ctx, "SELECT count(*) FROM cases"),
        "sql_newest_page": lambda: _sql(ctx, f"SELECT * FROM cases ORDER BY received_at DESC LIMIT {PAGE}"),
        "table_count": lambda: queries.count_cases(ctx, CaseFilter()),
        "table_first_page": lambda: queries.page_cases(ctx, CaseFilter(), limit=PAGE),
        "table_deep_page": lambda: queries.page_cases(ctx, CaseFilter(), offset=max(cases // 2 - PAGE, 0), limit=PAGE),
        "table_sort_village": lambda: queries.page_cases(ctx, CaseFilter(), order_by="village", descending=False,
                                                         limit=PAGE),
        "table_filter_village": lambda: (queries.count_cases(ctx, CaseFilter(villages=[village])),
                                         queries.page_cases(ctx, CaseFilter(villages=[village]), limit=PAGE)),
        "table_search_text": lambda: (queries.count_cases(ctx, search), queries.page_cases(ctx, search, limit=PAGE)),
        "table_overdue_only": lambda: overdue_rows(ctx, CaseFilter(), "received_at", True, NOW),
        "timer_panel_load": lambda: deadlines(ctx, NOW),
        "stats_year_by_village": lambda: stats.statistics(ctx, by="village", start=date(year, 1, 1),
                                                          end=date(year, 12, 31)),
        "statistics_screen_year": lambda: figures.figures(ctx, date(year, 1, 1), date(year, 12, 31)),
        "assessment_year": lambda: assessment.assess(ctx, year),
        "ledger_month": lambda: files.export_ledger(ctx, _scratch(), start=date(year, 10, 1),
                                                    end=date(year, 10, 31)),
    }


def _sql(ctx: AppContext, statement: str):
    with ctx.db.engine.connect() as connection:
        return connection.execute(text(statement)).fetchall()


_SCRATCH = Path(tempfile.gettempdir()) / "jingyuan-bench-ledger.xlsx"


def _scratch() -> Path:
    return _SCRATCH


def measure(path: Path, cases: int, repeat: int) -> dict[str, dict]:
    ctx = AppContext.open(str(path), now=lambda: NOW, user="benchmark")
    try:
        results = {}
        for name, fn in operations(ctx, cases).items():
            seconds, peak = timed(fn, repeat)
            results[name] = {"ms": round(seconds * 1000, 2), "peak_mb": round(peak, 2)}
        return results
    finally:
        ctx.db.dispose()


def report(target: dict, baseline: dict, cases: int, baseline_cases: int) -> list[dict]:
    floor = target["sql_count"]["ms"] or 0.001
    rows = []
    for name, measured in target.items():
        base = baseline[name]["ms"] or 0.001
        rows.append({"operation": name, "ms": measured["ms"], "baseline_ms": baseline[name]["ms"],
                     "x_baseline": round(measured["ms"] / base, 1), "x_sql": round(measured["ms"] / floor, 1),
                     "peak_mb": measured["peak_mb"]})
    return rows


def markdown(rows: list[dict], cases: int, baseline_cases: int) -> str:
    lines = [f"| operation | ms at {cases:,} | ms at {baseline_cases:,} | x baseline | x SELECT count(*) | peak MB |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['operation']} | {r['ms']} | {r['baseline_ms']} | {r['x_baseline']} | {r['x_sql']} | {r['peak_mb']} |"
              for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--baseline-cases", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "jingyuan-bench",
                        help="where the demo databases are kept between runs")
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    args = parser.parse_args(argv)
    target_path, _ = demo_database(args.folder, cases=args.cases, seed=args.seed, now=NOW)
    baseline_path, _ = demo_database(args.folder, cases=args.baseline_cases, seed=args.seed, now=NOW)
    target = measure(target_path, args.cases, args.repeat)
    baseline = measure(baseline_path, args.baseline_cases, args.repeat)
    rows = report(target, baseline, args.cases, args.baseline_cases)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = f"{args.cases}"
    (args.out / f"results-{stamp}.json").write_text(json.dumps(
        {"cases": args.cases, "baseline_cases": args.baseline_cases, "repeat": args.repeat, "rows": rows},
        ensure_ascii=False, indent=2), encoding="utf-8")
    table = markdown(rows, args.cases, args.baseline_cases)
    (args.out / f"results-{stamp}.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The benchmark harness: how the program's everyday reads scale to 100,000 cases.

    python -m benchmarks.run [--cases 100000] [--baseline-cases 1000] [--db URL] [--quick]
                             [--only PREFIX ...] [--folder DIR] [--out DIR]

Two demo databases are built (or reused, see databases.py): the target size and a small
baseline. Every operation (operations.py) is timed on both in this same run, and also set
against a plain SQL statement on the same database, so the figures read as ratios that do not
depend on how fast this machine happens to be:

- ``x_baseline``: time at the target size / time at the baseline size (how it scales);
- ``x_sql``: time / a plain ``SELECT count(*) FROM cases`` on the same database (what the
  program adds over the database's own floor).

``--db URL`` measures that database instead of a kept SQLite file (PostgreSQL included); an
empty one is filled with the demo first. Absolute milliseconds, the peak Python memory of each
operation (tracemalloc) and the process's peak resident memory are reported for reference.
Results go to a JSON and a Markdown table. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics as pystats
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchmarks.databases import demo_database
from benchmarks.operations import HEAVY, NOW, operations
from jingyuan_desktop.services import setup
from jingyuan_desktop.services.context import AppContext


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median seconds of ``repeat`` runs, and the peak traced memory (MB) of one more run."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    try:
        fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return pystats.median(times), peak / 1e6


def max_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1e6 if sys.platform == "darwin" else 1e3), 1)


def measure(url: str, cases: int, repeat: int, wanted: Callable[[str], bool], log=print) -> dict[str, dict]:
    ctx = AppContext.open(url, now=lambda: NOW, user="benchmark")
    try:
        results = {}
        for name, fn in operations(ctx, cases, url=url).items():
            if not (name.startswith("sql_") or wanted(name)):
                continue
            seconds, peak = timed(fn, repeat)
            results[name] = {"ms": round(seconds * 1000, 2), "peak_mb": round(peak, 2), "rss_mb": max_rss_mb()}
            log(f"  {name}: {results[name]['ms']} ms")
        return results
    finally:
        ctx.db.dispose()


def report(target: dict, baseline: dict | None) -> list[dict]:
    floor = target["sql_count"]["ms"] or 0.001
    rows = []
    for name, measured in target.items():
        base = baseline[name]["ms"] if baseline else None
        rows.append({"operation": name, "ms": measured["ms"], "baseline_ms": base,
                     "x_baseline": round(measured["ms"] / (base or 0.001), 1) if baseline else None,
                     "x_sql": round(measured["ms"] / floor, 1), "peak_mb": measured["peak_mb"],
                     "rss_mb": measured["rss_mb"]})
    return rows


def markdown(rows: list[dict], cases: int, baseline_cases: int | None) -> str:
    if baseline_cases is None:
        head = ["| operation | ms | x SELECT count(*) | peak MB | process peak MB |",
                "| --- | ---: | ---: | ---: | ---: |"]
        return "\n".join(head + [f"| {r['operation']} | {r['ms']} | {r['x_sql']} | {r['peak_mb']} | {r['rss_mb']} |"
                                 for r in rows])
    head = [f"| operation | ms at {cases:,} | ms at {baseline_cases:,} | x baseline | x SELECT count(*) | peak MB |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    return "\n".join(head + [f"| {r['operation']} | {r['ms']} | {r['baseline_ms']} | {r['x_baseline']} | "
                             f"{r['x_sql']} | {r['peak_mb']} |" for r in rows])


def _filter(only: list[str] | None, quick: bool) -> Callable[[str], bool]:
    def wanted(name: str) -> bool:
        if quick and name in HEAVY:
            return False
        return not only or any(name.startswith(prefix) for prefix in only)
    return wanted


def _external(url: str, cases: int, seed: int) -> str:
    """A database given by URL, filled with ``cases`` demo cases when it holds none."""
    ctx = AppContext.open(url, now=lambda: NOW, user="benchmark")
    try:
        setup.load_demo(ctx, cases=cases, seed=seed, if_empty=True)
    finally:
        ctx.db.dispose()
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--baseline-cases", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="measure this database (SQLite path or SQLAlchemy URL) instead; "
                                     "an empty one is filled with --cases demo cases; no scaling baseline")
    parser.add_argument("--only", nargs="*", help="time only operations whose names start with these")
    parser.add_argument("--quick", action="store_true", help="skip the year-long statistics, assessment, ledger")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "jingyuan-bench",
                        help="where the demo databases are kept between runs")
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    args = parser.parse_args(argv)
    wanted = _filter(args.only, args.quick)
    baseline = None
    if args.db:
        target = measure(_external(args.db, args.cases, args.seed), args.cases, args.repeat, wanted)
        baseline_cases = None
    else:
        target_path, _ = demo_database(args.folder, cases=args.cases, seed=args.seed, now=NOW)
        baseline_path, _ = demo_database(args.folder, cases=args.baseline_cases, seed=args.seed, now=NOW)
        print(f"{args.cases:,} cases:")
        target = measure(str(target_path), args.cases, args.repeat, wanted)
        print(f"{args.baseline_cases:,} cases:")
        baseline = measure(str(baseline_path), args.baseline_cases, args.repeat, wanted)
        baseline_cases = args.baseline_cases
    rows = report(target, baseline)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = f"{args.cases}" + ("-db" if args.db else "")
    (args.out / f"results-{stamp}.json").write_text(json.dumps(
        {"cases": args.cases, "baseline_cases": baseline_cases, "repeat": args.repeat,
         "process_peak_mb": max_rss_mb(), "rows": rows}, ensure_ascii=False, indent=2), encoding="utf-8")
    table = markdown(rows, args.cases, baseline_cases)
    (args.out / f"results-{stamp}.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    print(f"process peak resident memory: {max_rss_mb()} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The benchmark harness of issue 12: the office's everyday work at 100,000 cases, each measure
set against a baseline taken in the same run on the same database.

    python -m benchmarks.run [--cases N] [--jsonl] [--db URL] [--only NAME ...] [--repeat R]
                             [--folder DIR] [--out DIR] [--rebuild] [--check]

Without ``--db`` a demo database of N cases (default 100,000) is built once and kept in
``--folder`` (see databases.py); with ``--db`` that database is measured (PostgreSQL:
``postgresql+psycopg://...``), filled with N demo cases first when it holds none.

Every line of the report is ``{"name", "ms", "baseline_name", "baseline_ms", "ratio",
"target", "peak_mb"}``: ``ratio = ms / baseline_ms``, and the measure is within its target
when ``ratio <= target`` (operations.py lists the measures, their baselines and targets).
``--jsonl`` prints exactly these lines on stdout, one JSON object each, as they are measured;
without it a table is printed, with whether each line is within its target. Progress always
goes to stderr. Either way a JSON and a Markdown copy are written to ``--out``. A measure
that fails is told on stderr and left out, and the run ends with exit code 2; ``--check``
makes it end with 1 when a line misses its target.

How a time is taken: the harness's process is set up as the program's own start sets up its
process: the database opened, then what exists frozen out of the garbage collector's passes
(``jingyuan_desktop.lifetime``; the window and the command line do the same). In-process
measures run once first, under tracemalloc, for ``peak_mb``
(the peak of Python memory during that run) and as a warm-up; then ``--repeat`` times, timed,
and the median is reported (fewer when the runs already took ``REPEAT_BUDGET_S``, so that a
slow read at 100,000 cases does not take an hour). Baselines are measured the same way, once
per run, and shared by the measures that use the same baseline. The two window measures run
in child processes (benchmarks/gui.py): the cold start ``--repeat`` times after a warm-up run
that also fills the children's bytecode cache (median; ``peak_mb`` is the child's peak resident
memory), the stall watchdog ``--repeat`` times unless a run takes over a minute (the run with
the median largest stall is reported).
No test asserts a time: tests/benchmarks checks that the harness measures what it says.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics as pystats
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.databases import demo_database, filled_database, log, progress_log
from benchmarks.moment import NOW
from benchmarks.operations import FIXED_BASELINES, IMPORT_ROWS, SPECS, Bench, Operation, Spec
from jingyuan_desktop import lifetime
from jingyuan_desktop.services import derived
from jingyuan_desktop.services.context import AppContext

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("name", "ms", "baseline_name", "baseline_ms", "ratio", "target", "peak_mb")
REPEAT_BUDGET_S = 30.0
CHILD_TIMEOUT_S = 3600.0
STALL_REPEAT_LIMIT_S = 60.0  # a stall run longer than this is not repeated


@dataclass
class Timing:
    ms: float
    peak_mb: float | None = None
    details: dict[str, Any] | None = None


def time_operation(operation: Operation, repeat: int, *, trace: bool = True,
                   budget_s: float = REPEAT_BUDGET_S) -> Timing:
    """One traced warm-up run (checked), then the median of up to ``repeat`` timed runs."""
    operation.prepare()
    try:
        if trace:
            tracemalloc.start()
        try:
            result = operation.run()
            peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else None
        finally:
            if trace:
                tracemalloc.stop()
    finally:
        operation.cleanup()
    operation.check(result)
    del result
    times: list[float] = []
    for _ in range(max(repeat, 1)):
        operation.prepare()
        try:
            started = time.perf_counter()
            result = operation.run()
            times.append(time.perf_counter() - started)
            del result  # freeing a large answer is part of the work
        finally:
            operation.cleanup()
        if sum(times) > budget_s:
            break
    return Timing(pystats.median(times) * 1000, round(peak, 2) if peak is not None else None)


def child_env(home: Path) -> dict[str, str]:
    """The window measures' environment: offscreen, logs under ``home``, and a bytecode cache of
    their own (``home/bytecode``), filled by the first run. An installed program loads compiled
    modules; compiling the sources at every start, which ``PYTHONDONTWRITEBYTECODE`` inherited
    from a developer's shell would make the children do, is no part of a clerk's start."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JINGYUAN_LOG_DIR": str(home / "logs"),
           "PYTHONPYCACHEPREFIX": str(home / "bytecode")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(what: str, db: str | None, home: Path) -> tuple[float, dict[str, Any]]:
    """Start ``benchmarks.gui`` offscreen; (ms from before the start to its report, the report)."""
    env = child_env(home)
    command = [sys.executable, "-m", "benchmarks.gui", what, *([db] if db else []), "--home", str(home)]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors,
                                 text=True, encoding="utf-8")
        killer = threading.Timer(CHILD_TIMEOUT_S, child.kill)
        killer.start()
        try:
            assert child.stdout is not None
            line = ""
            for line in child.stdout:
                if line.startswith("BENCH "):
                    break
            elapsed = (time.perf_counter() - started) * 1000
            child.wait()
        finally:
            killer.cancel()
        if not line.startswith("BENCH "):
            errors.seek(0)
            tail = errors.read()[-3000:]
            raise RuntimeError(f"benchmarks.gui {what} ended with code {child.returncode} before its report:\n{tail}")
    return elapsed, json.loads(line[len("BENCH "):])


class Harness:
    """Measures on one database; baselines are measured once each and shared."""

    def __init__(self, url: str, folder: Path, repeat: int, import_rows: int):
        self.url, self.folder, self.repeat = url, folder, repeat
        self.ctx = AppContext.open(url, now=lambda: NOW, user="benchmark")
        # Stored clocks and figures made under other rules would send every read to the slow
        # path that rebuilds timelines: brought up to date first, as the window does at start.
        redone = derived.ensure_fresh(self.ctx, progress_log("recomputed"))
        if redone:
            log(f"recomputed the stored clocks and figures of {redone:,} cases (the rules changed)")
        self.bench = Bench(self.ctx, url, folder, import_rows=import_rows)
        lifetime.settle()  # as the program's start does (the window, the command line)
        self.baselines: dict[str, Timing] = {}
        self.home = Path(tempfile.mkdtemp(prefix="jingyuan-bench-gui-"))

    def close(self) -> None:
        self.bench.close()
        self.ctx.db.dispose()
        shutil.rmtree(self.home, ignore_errors=True)

    def measure(self, spec: Spec) -> dict[str, Any]:
        if spec.in_process:
            program = time_operation(self.bench.operation(spec.name), self.repeat)
        elif spec.name == "cold_start_to_painted_table":
            program = self.cold_start("window")
        else:
            program = self.stall()
        base = self.baseline(spec.baseline)
        row = line(spec, program.ms, base.ms, program.peak_mb)
        if program.details:
            row["details"] = program.details
        return row

    def baseline(self, name: str) -> Timing:
        if name not in self.baselines:
            if name in FIXED_BASELINES:
                self.baselines[name] = Timing(FIXED_BASELINES[name])
            elif name == "bare_table_window":
                self.baselines[name] = self.cold_start("bare")
            else:
                self.baselines[name] = time_operation(self.bench.operation(name), self.repeat, trace=False)
        return self.baselines[name]

    def cold_start(self, what: str) -> Timing:
        db = self.url if what == "window" else None
        if self.repeat > 1:
            run_child(what, db, self.home)  # the first start reads the files from disk and compiles them
        runs = [run_child(what, db, self.home) for _ in range(max(self.repeat, 1))]
        peaks = [report["rss_mb"] for _ms, report in runs if report.get("rss_mb") is not None]
        return Timing(pystats.median(ms for ms, _report in runs), max(peaks) if peaks else None)

    def stall(self) -> Timing:
        """The median run's largest stall; more runs than one only while a run is cheap."""
        runs = []
        for _ in range(max(self.repeat, 1)):
            elapsed, report = run_child("stall", self.url, self.home)
            runs.append(report)
            log(f"  largest stall of each step (ms): {report['steps']}; watchdog ticks: {report['ticks']}")
            if elapsed > STALL_REPEAT_LIMIT_S * 1000:
                break
        runs.sort(key=lambda report: report["ms"])
        median = runs[(len(runs) - 1) // 2]
        return Timing(float(median["ms"]), median.get("rss_mb"),
                      {"steps": median["steps"], "ticks": median["ticks"], "runs_ms": [r["ms"] for r in runs]})


def line(spec: Spec, ms: float, baseline_ms: float, peak_mb: float | None) -> dict[str, Any]:
    """One line of the contract; ``ratio`` is computed from the rounded times as printed."""
    ms, baseline_ms = round(ms, 3), round(baseline_ms, 3)
    return {"name": spec.name, "ms": ms, "baseline_name": spec.baseline, "baseline_ms": baseline_ms,
            "ratio": ms / baseline_ms if baseline_ms else None, "target": spec.target, "peak_mb": peak_mb}


def within(row: dict[str, Any]) -> bool:
    return row["ratio"] is not None and row["ratio"] <= row["target"]


def ratio_text(row: dict[str, Any]) -> str:
    return "-" if row["ratio"] is None else f"{row['ratio']:.2f}"


def table(rows: list[dict[str, Any]]) -> str:
    head = ["| name | ms | baseline | baseline ms | ratio | target | within | peak MB |",
            "| --- | ---: | --- | ---: | ---: | ---: | --- | ---: |"]
    return "\n".join(head + [
        f"| {r['name']} | {r['ms']:.2f} | {r['baseline_name']} | {r['baseline_ms']:.2f} | "
        f"{ratio_text(r)} | {r['target']} | "
        f"{'yes' if within(r) else 'NO'} | {'-' if r['peak_mb'] is None else r['peak_mb']} |" for r in rows])


def select(only: list[str] | None) -> list[Spec]:
    specs = [s for s in SPECS if not only or any(s.name.startswith(prefix) for prefix in only)]
    if not specs:
        raise SystemExit(f"no measure starts with {' or '.join(only or [])}; "
                         f"measures: {', '.join(s.name for s in SPECS)}")
    return specs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="demo cases in the database (default 100000)")
    parser.add_argument("--jsonl", action="store_true", help="one JSON object per measure on stdout, nothing else")
    parser.add_argument("--db", help="measure this database (SQLite path or SQLAlchemy URL, PostgreSQL included) "
                                     "instead of a kept demo file; an empty one is filled with --cases demo cases")
    parser.add_argument("--only", nargs="*", help="only the measures whose names start with these")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measure, median reported")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "jingyuan-bench",
                        help="where the demo databases and the transfer sheet are kept between runs")
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    parser.add_argument("--rebuild", action="store_true", help="build the demo database again even if kept")
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS,
                        help="rows of the imported transfer sheet (the measure is defined at 10000)")
    parser.add_argument("--check", action="store_true", help="exit with 1 when a measure misses its target")
    args = parser.parse_args(argv)
    specs = select(args.only)
    built_s = None
    if args.db:
        url = filled_database(args.db, cases=args.cases, seed=args.seed, now=NOW)
    else:
        path, built_s = demo_database(args.folder, cases=args.cases, seed=args.seed, now=NOW, rebuild=args.rebuild)
        url = str(path)
    harness = Harness(url, args.folder, args.repeat, args.import_rows)
    backend = harness.ctx.db.engine.dialect.name
    rows: list[dict[str, Any]] = []
    failed: list[str] = []
    started = time.perf_counter()
    try:
        for spec in specs:
            log(f"{spec.name}: {spec.about} ...")
            try:
                row = harness.measure(spec)
            except Exception:  # one broken measure must not cost the others of a long run
                log(f"  {spec.name} FAILED, left out of the report:\n{traceback.format_exc()}")
                failed.append(spec.name)
                continue
            rows.append(row)
            log(f"  {row['ms']:.2f} ms against {row['baseline_name']} {row['baseline_ms']:.2f} ms: "
                f"ratio {ratio_text(row)}, target {row['target']}{'' if within(row) else ' MISSED'}")
            if args.jsonl:
                print(json.dumps({key: row[key] for key in KEYS}, ensure_ascii=False), flush=True)
    finally:
        harness.close()
    log(f"measured in {time.perf_counter() - started:.0f} s")
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"results-{args.cases}" + (f"-{backend}" if args.db else "")
    summary = {"cases": args.cases, "backend": backend, "repeat": args.repeat, "built_s": built_s,
               "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                           "python": platform.python_version()},
               "rows": [{**row, "within_target": within(row)} for row in rows], "failed": failed}
    (args.out / f"{stem}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    markdown = table(rows)
    (args.out / f"{stem}.md").write_text(markdown + "\n", encoding="utf-8")
    if not args.jsonl:
        print(f"{args.cases:,} cases, {backend}, medians of up to {args.repeat} runs")
        print(markdown)
    if failed:
        log(f"failed: {', '.join(failed)}")
        return 2
    return 1 if args.check and not all(within(row) for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Several PCs at once, for as long as you like, with figures (issue 11, item 7).

    python -m benchmarks.stress [--seconds 60] [--processes 3] [--kills 50] [--pg URL]

1. ``--processes`` processes import transfer lists of 100 rows into one SQLite file (and, with
   ``--pg``, into that PostgreSQL database, whose tables are dropped first) for ``--seconds``:
   reported are the lists imported, tracebacks (must be 0), rows present against rows
   imported, duplicate case numbers (must be 0) and whether the audit chain verifies.
2. ``--kills`` times, an import or a demo is started in a subprocess and killed with SIGKILL
   after a random moment: reported are integrity failures and half-written results (both must
   be 0: the database holds all of a list or none of it).

The test suite runs short versions of both (tests/services/test_concurrent_imports.py and
test_kill.py); this is the long run whose figures go into the issue notes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

HEADER = "警情编号,报警时间,报警人,联系电话,事发地点,所属村（社区）,简要警情,处警民警,转交时间,转交派出所\n"
ROWS = 100
RUN = [sys.executable, "-c", "from jingyuan_desktop import cli; import sys; raise SystemExit(cli.main(sys.argv[1:]))"]


def _write_list(folder: Path, worker: int, number: int) -> Path:
    rows = "".join(f"S{worker:02d}{number:05d}{i:03d},2026-11-20 10:00,张{i},13{worker % 10}{number % 10}{i:07d},"
                   f"{worker}-{number}-{i}号,解营村,纠纷,李警官,2026-11-20 10:10,房镇派出所\n" for i in range(ROWS))
    path = folder / f"w{worker}-{number}.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _importer(url: str, folder: str, worker: int, seconds: float, results) -> None:
    from jingyuan_desktop.services import files
    from jingyuan_desktop.services.context import AppContext

    ctx = AppContext.open(url)
    done, rows, failures = 0, 0, []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            path = _write_list(Path(folder), worker, done)
            try:
                report = files.import_transfers(ctx, path)
                rows += len(report.imported)
                failures += [f"row {e.row}: {e.reason}" for e in report.errors]
            except Exception as error:  # counted: a refusal (busy) is a sentence, not a traceback
                failures.append(f"{type(error).__name__}: {getattr(error, 'message', error)}")
            done += 1
    finally:
        ctx.db.dispose()
    results.put((done, rows, failures))


def concurrent_imports(url: str, processes: int, seconds: float) -> dict:
    from sqlalchemy import text

    from jingyuan_desktop.services import setup
    from jingyuan_desktop.services.context import AppContext
    from jingyuan_desktop.store.audit import verify_audit

    ctx = AppContext.open(url)
    setup.load_demo(ctx, cases=0, seed=1, if_empty=True)
    ctx.db.dispose()
    folder = tempfile.mkdtemp(prefix="stress-")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_importer, args=(url, folder, n, seconds, results)) for n in range(processes)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=seconds + 600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    ctx = AppContext.open(url)
    try:
        with ctx.session() as session:
            total, distinct = session.execute(text("SELECT count(*), count(DISTINCT case_no) FROM cases")).one()
            chain = verify_audit(session)
    finally:
        ctx.db.dispose()
    failures = [f for _, _, found in outcomes for f in found]
    return {"lists": sum(d for d, _, _ in outcomes), "rows_imported": sum(r for _, r, _ in outcomes),
            "rows_present": total, "duplicate_numbers": total - distinct, "refusals": len(failures),
            "tracebacks": sum("Error" in f and "Busy" not in f for f in failures), "audit_chain_ok": chain.ok,
            "examples": failures[:3]}


def kills(count: int, folder: Path) -> dict:
    bad_integrity = half_written = 0
    for n in range(count):
        db = folder / f"kill-{n}.db"
        env = {**os.environ, "JINGYUAN_LOG_DIR": str(folder / "log")}
        if n % 2:
            argv = [*RUN, "--db", str(db), "demo", "--cases", "3000"]
            expected = (0, 3000)
        else:
            subprocess.run([*RUN, "--db", str(db), "demo", "--cases", "0"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            path = folder / f"list-{n}.csv"
            rows = (f"K{n:03d}{i:04d},2026-11-20 10:00,张{i},139{i:08d},{i}号,解营村,纠纷,李警官,2026-11-20 10:10,"
                    "房镇派出所\n" for i in range(1500))
            path.write_text(HEADER + "".join(rows), encoding="utf-8")
            argv = [*RUN, "--db", str(db), "import", "transfers", str(path)]
            expected = (0, 1500)
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(random.uniform(0.5, 4.0))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if not db.exists():
            continue
        with closing(sqlite3.connect(db)) as connection:
            bad_integrity += connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
            cases = connection.execute("SELECT count(*) FROM cases").fetchone()[0]
        half_written += cases not in expected
    return {"kills": count, "integrity_failures": bad_integrity, "half_written": half_written}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stress")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--pg", help="a PostgreSQL URL whose tables may be dropped")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="stress-"))
    print("sqlite", concurrent_imports(str(folder / "shared.db"), args.processes, args.seconds), flush=True)
    if args.pg:
        from sqlalchemy import text

        from jingyuan_desktop.store.database import Database
        from jingyuan_desktop.store.models import Base

        scratch = Database(args.pg)
        Base.metadata.drop_all(scratch.engine)
        with scratch.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        scratch.dispose()
        print("postgresql", concurrent_imports(args.pg, args.processes, args.seconds), flush=True)
    if os.name == "posix" and args.kills:
        print("sigkill", kills(args.kills, folder), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

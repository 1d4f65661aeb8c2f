"""The databases the benchmark reads: demo data of a given size, built once and kept, and
scratch copies of them for the measures that write.

Building 100,000 demo cases through ``setup.load_demo`` takes minutes, so a database is kept
in the chosen folder under a name made of everything its content depends on: the case count,
the seed, the moment taken as "now", and a hash of the demo generator, its data files and the
schema's migrations. Change any of them and a new file is built; the old one is left for the
user to delete. (The clocks and figures stored with each case are versioned by the program
itself: when the rules they were computed with are no longer the program's, the harness has
the program recompute them, as the window does at start, before anything is measured.)

A file is built under a temporary name and renamed only when complete, so an interrupted
build is never mistaken for a finished one.

The measures that write (printing a slip audits it; an import adds cases) work on a scratch
copy, so that the kept database stays as built: a copy of the file for SQLite, a database
created from the measured one as its template for PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from jingyuan_desktop.resources import resource_path
from jingyuan_desktop.services import demo, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.store import migrate

# Whatever decides the generated cases and the tables they are stored in; a change to any of
# these invalidates kept files.
GENERATOR_SOURCES = tuple(sorted(Path(demo.__file__).parent.glob("*.py")))  # the whole demo package
GENERATOR_RESOURCES = ("demo",)
SCHEMA_SOURCES = tuple(sorted((Path(migrate.__file__).parent / "migrations" / "versions").glob("*.py")))


def log(message: str) -> None:
    """Progress goes to stderr: stdout carries only the results."""
    print(message, file=sys.stderr, flush=True)


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    files = list(GENERATOR_SOURCES) + list(SCHEMA_SOURCES)
    for folder in GENERATOR_RESOURCES:
        files += sorted(p for p in Path(resource_path(folder)).rglob("*") if p.is_file())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def database_name(cases: int, seed: int, now: datetime) -> str:
    return f"bench-{cases}-seed{seed}-{now:%Y%m%d%H%M}-{generator_fingerprint()}.db"


def demo_database(folder: Path, *, cases: int, seed: int, now: datetime, rebuild: bool = False,
                  log: Callable[[str], None] = log) -> tuple[Path, float | None]:
    """The path of a demo database with ``cases`` cases, and its build time (None when reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / database_name(cases, seed, now)
    if path.exists() and not rebuild:
        log(f"reusing {path.name} ({path.stat().st_size / 1e6:.0f} MB)")
        return path, None
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, path):
        if stale.exists():
            stale.unlink()
    log(f"building {path.name}: {cases:,} demo cases (this can take minutes)")
    started = time.perf_counter()
    ctx = AppContext.open(str(partial), now=lambda: now, user="benchmark")
    try:
        setup.load_demo(ctx, cases=cases, seed=seed, progress=progress_log())
    finally:
        ctx.db.dispose()
    os.replace(partial, path)
    elapsed = time.perf_counter() - started
    log(f"built in {elapsed:.0f} s")
    return path, elapsed


def filled_database(url: str, *, cases: int, seed: int, now: datetime) -> str:
    """A database given by URL (PostgreSQL, or an SQLite file of the user's), filled with
    ``cases`` demo cases when it holds none; left as it is otherwise."""
    ctx = AppContext.open(url, now=lambda: now, user="benchmark")
    try:
        if setup.load_demo(ctx, cases=cases, seed=seed, if_empty=True, progress=progress_log()) is None:
            log("the database already holds cases: measured as it is")
    finally:
        ctx.db.dispose()
    return url


def progress_log(what: str = "inserted") -> Callable[[int, int], None]:
    """Progress on stderr about every tenth of the way, so a long build shows it is alive;
    nothing when there is nothing to do."""
    state = {"next": 1}

    def report(done: int, total: int) -> None:
        if done and (done >= state["next"] or done == total):
            log(f"  {what} {done:,} / {total:,}")
            state["next"] = done + max(total // 10, 1)

    return report


class Scratch:
    """Throw-away copies of one database, for measures that write.

    ``make()`` returns the URL of a new copy (not timed by the callers), ``drop(url)`` removes
    it. ``release`` is called before a PostgreSQL copy: the server copies a template only
    while nobody else is connected to it, so the harness's own connections must be closed.
    """

    def __init__(self, url: str, folder: Path, release: Callable[[], None] = lambda: None):
        self.url, self.folder, self.release = url, folder, release
        parsed = make_url(url if "://" in url else f"sqlite:///{Path(url).resolve()}")
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.source = Path(parsed.database or "") if self.is_sqlite else None
        self._parsed = parsed

    def make(self) -> str:
        name = f"scratch_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        if self.source is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{name}.db"
            shutil.copyfile(self.source, target)  # journal_mode=DELETE: the file alone is the database
            # On disk before it is handed over: otherwise the system writes the copy's hundreds
            # of megabytes out while the measure runs, and every durable commit it makes (a
            # slip's audit row) waits behind them, timing the harness's copy, not the program.
            with target.open("rb+") as copy:
                os.fsync(copy.fileno())
            return str(target)
        self.release()
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._parsed.database}"')
        return self._parsed.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        if self.source is not None:
            Path(url).unlink(missing_ok=True)
            return
        self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}"')

    def _admin(self, statement: str) -> None:
        engine = create_engine(self._parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

"""The databases the benchmark reads: demo data of a given size, built once and kept.

Building 100,000 demo cases through ``setup.load_demo`` takes minutes, so a database is kept
in the chosen folder under a name made of everything its content depends on: the case count,
the seed, the moment taken as "now", and a hash of the demo generator and its data files.
Change any of them and a new file is built; the old one is left for the user to delete.

A file is built under a temporary name and renamed only when complete, so an interrupted
build is never mistaken for a finished one.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from jingyuan_desktop.resources import resource_path
from jingyuan_desktop.services import demo, setup
from jingyuan_desktop.services.context import AppContext

# Whatever decides the generated cases; a change to any of these invalidates kept files.
GENERATOR_SOURCES = tuple(sorted(Path(demo.__file__).parent.glob("*.py")))  # the whole demo package
GENERATOR_RESOURCES = ("demo",)


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    files = list(GENERATOR_SOURCES)
    for folder in GENERATOR_RESOURCES:
        files += sorted(p for p in Path(resource_path(folder)).rglob("*") if p.is_file())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def database_name(cases: int, seed: int, now: datetime) -> str:
    return f"bench-{cases}-seed{seed}-{now:%Y%m%d%H%M}-{generator_fingerprint()}.db"


def demo_database(folder: Path, *, cases: int, seed: int, now: datetime, rebuild: bool = False,
                  log=print) -> tuple[Path, float | None]:
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
        setup.load_demo(ctx, cases=cases, seed=seed, progress=_progress(cases))
    finally:
        ctx.db.dispose()
    os.replace(partial, path)
    elapsed = time.perf_counter() - started
    log(f"built in {elapsed:.0f} s")
    return path, elapsed


def _progress(total: int):
    """Progress on stderr about every tenth of the way, so a long build shows it is alive."""
    step = max(total // 10, 1)
    state = {"next": step}

    def report(done: int, _total: int) -> None:
        if done >= state["next"] or done == _total:
            print(f"  inserted {done:,} / {_total:,}", file=sys.stderr, flush=True)
            state["next"] = done + step

    return report

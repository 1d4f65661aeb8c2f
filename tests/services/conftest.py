"""Demo databases for the service tests: each module builds one, each test works on a copy."""

from __future__ import annotations

import shutil
from datetime import datetime

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.services import setup
from jingyuan_desktop.services.context import AppContext

# A Wednesday inside office hours, in a year the statutory calendar covers.
NOW = datetime(2025, 6, 11, 10, 0, tzinfo=TZ)


def build_template(tmp_path_factory, name: str, *, cases: int, seed: int):
    path = tmp_path_factory.mktemp(name) / "demo.db"
    ctx = AppContext.open(str(path), now=lambda: NOW)
    setup.load_demo(ctx, cases=cases, seed=seed)
    ctx.db.engine.dispose()
    return path


def context_on_copy(template, tmp_path):
    """A context on a fresh copy of ``template``, disposed after the test (use with yield from)."""
    path = tmp_path / "t.db"
    shutil.copy(template, path)
    context = AppContext.open(str(path), now=lambda: NOW)
    yield context
    context.db.engine.dispose()

"""Three PCs importing transfer lists into one database at once, on SQLite and, when
JINGYUAN_TEST_PG_URL is given, on PostgreSQL: no traceback, every row present, no number
twice, an audit chain that never forked (issue 11, item 7)."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import text

from jingyuan_desktop.services import setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.store.audit import verify_audit
from jingyuan_desktop.store.database import Database
from jingyuan_desktop.store.models import Base

PG_URL = os.environ.get("JINGYUAN_TEST_PG_URL")
HEADER = "警情编号,报警时间,报警人,联系电话,事发地点,所属村（社区）,简要警情,处警民警,转交时间,转交派出所\n"
PROCESSES, LISTS, ROWS = 3, 3, 120


def _importer(url: str, lists: list[str], results) -> None:
    from jingyuan_desktop.services import files

    ctx = AppContext.open(url)
    imported, problems = 0, []
    try:
        for path in lists:
            try:
                report = files.import_transfers(ctx, path)
                imported += len(report.imported)
                problems += [f"{path} 第{e.row}行：{e.reason}" for e in report.errors]
            except Exception as error:
                problems.append(f"{type(error).__name__}: {getattr(error, 'message', error)}")
    finally:
        ctx.db.dispose()
    results.put((imported, problems))


def _write_lists(tmp_path) -> list[list[str]]:
    work = []
    for p in range(PROCESSES):
        paths = []
        for n in range(LISTS):
            rows = "".join(f"JC{p}{n}{i:04d},2026-11-2{n} 10:00,张{i},13{p}{n}{i:07d},{p}-{n}-{i}号,解营村,纠纷,"
                           f"李警官,2026-11-2{n} 10:10,房镇派出所\n" for i in range(ROWS))
            path = tmp_path / f"list-{p}-{n}.csv"
            path.write_text(HEADER + rows, encoding="utf-8")
            paths.append(str(path))
        work.append(paths)
    return work


def _run(url: str, tmp_path) -> int:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_importer, args=(url, paths, results)) for paths in _write_lists(tmp_path)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert [p for _, found in outcomes for p in found] == []
    return sum(count for count, _ in outcomes)


def _check(url: str) -> None:
    ctx = AppContext.open(url)
    try:
        with ctx.session() as session:
            total, distinct = session.execute(text("SELECT count(*), count(DISTINCT case_no) FROM cases")).one()
            assert total == distinct == PROCESSES * LISTS * ROWS
            assert verify_audit(session).ok
    finally:
        ctx.db.dispose()


def test_three_pcs_importing_into_one_sqlite_file(tmp_path):
    url = str(tmp_path / "shared.db")
    ctx = AppContext.open(url)
    setup.load_demo(ctx, cases=0, seed=1)
    ctx.db.dispose()
    assert _run(url, tmp_path) == PROCESSES * LISTS * ROWS
    _check(url)
    with closing(sqlite3.connect(url)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(not PG_URL, reason="JINGYUAN_TEST_PG_URL is not set")
def test_three_pcs_importing_into_one_postgresql_database(tmp_path):
    scratch = Database(PG_URL)
    Base.metadata.drop_all(scratch.engine)
    with scratch.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    scratch.dispose()
    ctx = AppContext.open(PG_URL)
    setup.load_demo(ctx, cases=0, seed=1)
    ctx.db.dispose()
    assert _run(PG_URL, tmp_path) == PROCESSES * LISTS * ROWS
    _check(PG_URL)

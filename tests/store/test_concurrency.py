"""Several PCs writing to one SQLite file at once: case numbers drawn inside the write
transaction never collide, and a writer that cannot get the lock gets a sentence."""

from __future__ import annotations

import multiprocessing
import sqlite3
from contextlib import closing

import pytest

from jingyuan_desktop.store import repository
from jingyuan_desktop.store.audit import verify_audit
from jingyuan_desktop.store.database import open_database
from jingyuan_desktop.store.errors import BusyError
from tests.store.conftest import USER, make_case, t

PER_PROCESS = 15
PROCESSES = 3


def _writer(path: str, worker: int, results) -> None:
    db = open_database(path, upgrade=False)
    numbers, errors = [], []
    try:
        for index in range(PER_PROCESS):
            case = make_case("", incident=f"J-{worker}-{index}")
            case.case_no = ""
            try:
                with db.session() as session:
                    case.case_no = repository.next_case_no(session, "FZ", 2026)
                    repository.add_case(session, case, user=USER, at=t("2026-03-02 09:00"))
                numbers.append(case.case_no)
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}")
    finally:
        db.dispose()
    results.put((numbers, errors))


def test_three_writers_draw_distinct_numbers(tmp_path):
    path = str(tmp_path / "shared.db")
    open_database(path).dispose()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_writer, args=(path, n, results)) for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    numbers = [no for found, _ in outcomes for no in found]
    errors = [e for _, found in outcomes for e in found]
    assert errors == []
    assert len(numbers) == len(set(numbers)) == PER_PROCESS * PROCESSES
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT count(*), count(DISTINCT case_no) FROM cases").fetchone() == (45, 45)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db = open_database(path, upgrade=False)
    try:
        with db.session() as session:
            check = verify_audit(session)  # the writers took turns: the chain never forked
    finally:
        db.dispose()
    assert check.ok and check.rows == 45


def test_a_writer_that_cannot_get_the_lock_is_told_in_chinese(tmp_path):
    path = str(tmp_path / "busy.db")
    db = open_database(path)
    holder = sqlite3.connect(path, timeout=0)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another PC in the middle of a write
        db.engine.dispose()
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout=200")  # don't wait ten seconds in a test
        with pytest.raises(BusyError, match="另一台电脑正在写入"), db.session() as session:
            session.connection().exec_driver_sql("PRAGMA busy_timeout=200")
            repository.add_case(session, make_case("FZ-2026-00001"), user=USER, at=t("2026-03-02 09:00"))
    finally:
        holder.rollback()
        holder.close()
        db.dispose()
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT count(*) FROM cases").fetchone() == (0,)

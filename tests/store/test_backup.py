import os
import sqlite3
import stat
import threading
import time
from contextlib import closing

import pytest

from jingyuan_desktop.store import backup as store_backup
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.database import Database, DatabaseError
from tests.store.conftest import USER, every_event, make_case, t

NOW = t("2026-03-20 08:00")


def add(db, case_no):
    with db.session() as session:
        repository.add_case(session, make_case(case_no, events=every_event()), user=USER, at=NOW)


def numbers(db):
    with db.session() as session:
        return sorted(c.case_no for c in repository.iter_cases(session))


def test_backup_is_a_complete_copy_named_by_local_time(db, tmp_path):
    add(db, "FZ-2026-00001")
    first = store_backup.backup(db, tmp_path / "备份", now=NOW)
    second = store_backup.backup(db, tmp_path / "备份", now=NOW)
    assert first.name == "jingyuan-backup-20260320-080000.db"
    assert second.name == "jingyuan-backup-20260320-080000-2.db"
    with closing(sqlite3.connect(first)) as connection:
        assert connection.execute("SELECT case_no FROM cases").fetchall() == [("FZ-2026-00001",)]
        assert connection.execute("SELECT count(*) FROM events").fetchone() == (len(every_event()),)


def test_restore_brings_back_the_backup_and_keeps_a_safety_copy(db, tmp_path):
    add(db, "FZ-2026-00001")
    saved = store_backup.backup(db, tmp_path / "bk", now=NOW)
    add(db, "FZ-2026-00002")
    assert numbers(db) == ["FZ-2026-00001", "FZ-2026-00002"]

    safety = store_backup.restore(db, saved, now=t("2026-03-21 17:05"))

    assert numbers(db) == ["FZ-2026-00001"]
    assert safety == tmp_path / "jingyuan.before-restore-20260321-170500.db"
    with closing(sqlite3.connect(safety)) as connection:
        assert connection.execute("SELECT count(*) FROM cases").fetchone() == (2,)
    with db.session() as session:  # the same Database object keeps working
        case, version = repository.get_case(session, "FZ-2026-00001")
    assert case.events == every_event() and version == 1


@pytest.mark.parametrize("content, message", [
    (b"case_no,village\nFZ-1,\xe8\xa7\xa3\xe8\x90\xa5\xe6\x9d\x91\n" * 50, "不是有效的数据库文件"),
    (None, "不是警源治理数据库的备份"),
])
def test_restore_refuses_files_that_are_not_our_backups(db, tmp_path, content, message):
    add(db, "FZ-2026-00001")
    bad = tmp_path / "bad.db"
    if content is None:
        with closing(sqlite3.connect(bad)) as connection:
            connection.execute("CREATE TABLE cases (id INTEGER)")
            connection.commit()
    else:
        bad.write_bytes(content)
    before = set(tmp_path.iterdir())
    with pytest.raises(DatabaseError, match=message):
        store_backup.restore(db, bad, now=NOW)
    assert numbers(db) == ["FZ-2026-00001"]
    assert set(tmp_path.iterdir()) == before  # no safety copy either: nothing was touched


def test_restore_refuses_a_backup_from_a_newer_program(db, tmp_path):
    saved = store_backup.backup(db, tmp_path / "bk", now=NOW)
    with closing(sqlite3.connect(saved)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
        connection.commit()
    with pytest.raises(DatabaseError, match="更新版本"):
        store_backup.restore(db, saved, now=NOW)


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(DatabaseError, match="找不到备份文件"):
        store_backup.restore(db, tmp_path / "nowhere.db", now=NOW)


def test_a_database_without_a_file_cannot_be_backed_up(tmp_path):
    with pytest.raises(DatabaseError, match="内存数据库"):
        store_backup.backup(Database("sqlite://"), tmp_path, now=NOW)


def test_restore_waits_for_a_write_in_progress_and_keeps_it_in_the_safety_copy(db, tmp_path):
    """Another PC is saving while the restore starts: the restore takes the lock only after
    that save, so the safety copy holds it (before, it was in neither copy)."""
    add(db, "FZ-2026-00001")
    saved = store_backup.backup(db, tmp_path / "bk", now=NOW)
    other = sqlite3.connect(db.sqlite_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE cases SET summary = '另一台电脑刚保存的修改'")
    committed = threading.Event()

    def finish_the_save():
        time.sleep(0.5)
        other.execute("COMMIT")
        committed.set()

    thread = threading.Thread(target=finish_the_save)
    thread.start()
    safety = store_backup.restore(db, saved, now=t("2026-03-21 17:05"), wait_seconds=10)
    thread.join()
    other.close()
    assert committed.is_set()
    with closing(sqlite3.connect(safety)) as connection:
        assert connection.execute("SELECT summary FROM cases").fetchone() == ("另一台电脑刚保存的修改",)
    assert numbers(db) == ["FZ-2026-00001"]


def test_restore_against_an_open_reader_gives_up_with_a_message_and_changes_nothing(db, tmp_path):
    add(db, "FZ-2026-00001")
    saved = store_backup.backup(db, tmp_path / "bk", now=NOW)
    add(db, "FZ-2026-00002")
    reader = sqlite3.connect(db.sqlite_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()  # a long export, holding its read
    started = time.monotonic()
    try:
        with pytest.raises(DatabaseError, match="另一台电脑正在使用数据库"):
            store_backup.restore(db, saved, now=t("2026-03-21 17:05"), wait_seconds=1)
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert time.monotonic() - started < 60  # gave up, rather than waiting for ever as before
    assert numbers(db) == ["FZ-2026-00001", "FZ-2026-00002"]
    assert not list(tmp_path.glob("*.before-restore-*"))  # nothing was copied either


def test_a_copy_that_cannot_read_gives_up_after_its_wait(db, tmp_path):
    from jingyuan_desktop.store.sqlite_files import copy_database

    add(db, "FZ-2026-00001")
    holder = sqlite3.connect(db.sqlite_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another PC in the middle of committing
    started = time.monotonic()
    try:
        with pytest.raises(DatabaseError, match="无法复制"):
            copy_database(db.sqlite_path, tmp_path / "copy.db", source_read_only=False, wait_seconds=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert time.monotonic() - started < 60  # gave up, rather than waiting for ever as before


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_database_and_backups_are_readable_by_their_owner_only(db, tmp_path):
    add(db, "FZ-2026-00001")
    saved = store_backup.backup(db, tmp_path / "bk", now=NOW)
    assert stat.S_IMODE(os.stat(db.sqlite_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600

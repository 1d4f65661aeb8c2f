from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from jingyuan_desktop.store import location, repository
from jingyuan_desktop.store.database import Database, DatabaseError, default_db_path, open_database, resolve_url
from jingyuan_desktop.store.models import UTCDateTime
from tests.store.conftest import USER, make_case, t


def test_resolve_url(tmp_path, monkeypatch):
    monkeypatch.setattr(location.platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "jingyuan.db"
    assert (tmp_path / "data").is_dir()
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'jingyuan.db'}"
    assert resolve_url("postgresql+psycopg://u:p@host/db") == "postgresql+psycopg://u:p@host/db"
    monkeypatch.chdir(tmp_path)
    assert resolve_url("sub/警源.db") == f"sqlite:///{tmp_path / 'sub' / '警源.db'}"


def test_open_creates_the_folder_and_works_with_chinese_and_spaces(tmp_path):
    db = open_database(str(tmp_path / "共享 盘" / "数据" / "jingyuan.db"))
    try:
        assert db.sqlite_path.exists()
        with db.session() as session:
            repository.add_case(session, make_case(), user=USER, at=t("2026-03-02 10:00"))
        with db.session() as session:
            assert repository.count_cases(session) == 1
    finally:
        db.dispose()


def test_sqlite_pragmas_suit_a_shared_network_drive(db):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"


def test_session_commits_or_rolls_back(db):
    with pytest.raises(RuntimeError, match="fails"), db.session() as session:
        repository.add_case(session, make_case(), user=USER, at=t("2026-03-02 10:00"))
        raise RuntimeError("the work inside the transaction fails")
    with db.session() as session:
        assert repository.count_cases(session) == 0
        repository.add_case(session, make_case(), user=USER, at=t("2026-03-02 10:00"))
    with db.session() as session:
        assert repository.count_cases(session) == 1


def test_a_file_that_is_not_a_database_is_refused_in_chinese(tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"PK\x03\x04 definitely not sqlite" * 100)
    with pytest.raises(DatabaseError) as refused:
        open_database(str(path))
    assert "不是数据库文件" in refused.value.message


def test_instants_are_stored_as_naive_utc_and_read_back_in_shanghai(db):
    with db.session() as session:
        repository.add_case(session, make_case(received="2026-03-02 09:00"), user=USER, at=t("2026-03-02 10:00"))
    with db.engine.connect() as connection:
        raw = connection.execute(text("SELECT received_at FROM cases")).scalar_one()
    assert raw.startswith("2026-03-02 01:00:00")
    column = UTCDateTime()
    utc = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    assert column.process_bind_param(utc, None) == datetime(2026, 3, 1, 17, 30)
    back = column.process_result_value(datetime(2026, 3, 1, 17, 30), None)
    assert back == utc and str(back.tzinfo) == "Asia/Shanghai" and back.hour == 1
    with pytest.raises(ValueError):
        column.process_bind_param(datetime(2026, 3, 1, 9, 0), None)


def test_memory_database_has_no_file():
    db = Database("sqlite://")
    assert db.sqlite_path is None and db.is_sqlite


def test_a_local_file_is_not_shared_and_a_network_path_is():
    from jingyuan_desktop.store.database import Database

    assert not Database("sqlite:////tmp/x.db").is_shared
    assert Database("sqlite:////" + "/server/share/jingyuan.db").is_shared

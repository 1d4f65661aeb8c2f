"""Where the database is, how to connect to it, and one transaction per unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, exc, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from jingyuan_desktop.os_errors import reason
from jingyuan_desktop.store.errors import BusyError, DatabaseError
from jingyuan_desktop.store.location import APP_NAME, DB_FILE_NAME, default_db_path, resolve_url
from jingyuan_desktop.store.migrate import upgrade_to_head
from jingyuan_desktop.store.sqlite_files import make_private

logger = logging.getLogger(__name__)

# Where the file is (``store.location``, without SQLAlchemy) is also asked of this module.
__all__ = ["APP_NAME", "DB_FILE_NAME", "Database", "DatabaseError", "default_db_path", "open_database",
           "resolve_url"]


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        # Two or three PCs share one file: wait for the other's write instead of failing at once.
        cursor.execute("PRAGMA busy_timeout=10000")
        # WAL needs shared memory that a Windows network share does not provide safely.
        cursor.execute("PRAGMA journal_mode=DELETE")
    finally:
        cursor.close()


class Database:
    """An engine and a session factory for one database URL."""

    def __init__(self, url: str):
        self.url = url
        self.engine: Engine = create_engine(url)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_shared(self) -> bool:
        """Reached by several PCs by its nature: a database server, or a file on a network
        path (\\\\server\\share or //server/share). A mapped drive letter cannot be told apart."""
        if not self.is_sqlite:
            return True
        raw = make_url(self.url).database or ""
        return raw.startswith(("\\\\", "//"))

    @property
    def sqlite_path(self) -> Path | None:
        """The file of a file-based SQLite database; None for memory or other backends."""
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        if database and database.startswith("file:"):  # a URI filename: file:PATH?mode=ro
            database = database[len("file:"):].split("?", 1)[0]
            if database.startswith("//"):
                database = database[2:]
        if not database or database == ":memory:":
            return None
        return Path(database)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any error."""
        session = self.sessionmaker()
        try:
            yield session
            session.commit()
        except exc.OperationalError as error:
            session.rollback()
            if _is_busy(error):
                # SQLite waited busy_timeout for another PC's write and gave up: a sentence, not a trace.
                logger.warning("database busy: %s", error.orig)
                raise BusyError() from error
            if _is_read_only(error):
                logger.warning("database read-only: %s", error.orig)
                raise DatabaseError(READ_ONLY_MESSAGE) from error
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def check_connection(self) -> None:
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except exc.DBAPIError as error:
            logger.warning("cannot connect to %s", self.engine.url.render_as_string(hide_password=True), exc_info=True)
            raise DatabaseError(f"无法打开数据库：{_reason(error)}") from error

    def dispose(self) -> None:
        self.engine.dispose()


READ_ONLY_MESSAGE = "数据库文件是只读的（或所在文件夹不允许写入），无法保存修改；请检查文件属性和访问权限"


def _is_read_only(error: exc.DBAPIError) -> bool:
    text = str(error.orig) if error.orig is not None else str(error)
    return "readonly database" in text or "read-only" in text


def _is_busy(error: exc.DBAPIError) -> bool:
    text = str(error.orig) if error.orig is not None else str(error)
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


def _reason(error: exc.DBAPIError) -> str:
    text = str(error.orig) if error.orig is not None else str(error)
    if "file is not a database" in text:
        return "该文件不是数据库文件"
    if "unable to open" in text:
        return "文件无法打开（请检查路径和访问权限）"
    if "locked" in text:
        return "数据库正被其他程序占用，请稍后再试"
    if "readonly database" in text:
        return READ_ONLY_MESSAGE
    return text


def dialect_insert(session: Session) -> Callable[..., Any]:
    """The backend's INSERT, which knows ON CONFLICT DO NOTHING on both SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def open_database(db: str | None, *, upgrade: bool = True) -> Database:
    """Connect to ``db`` (see ``resolve_url``) and bring its schema to this program's version."""
    database = Database(resolve_url(db))
    path = database.sqlite_path
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(f"无法创建数据库所在的文件夹：{path.parent}（{reason(error)}）") from error
    new_file = path is not None and not path.exists()
    try:
        database.check_connection()
        if new_file and path is not None and path.exists():
            make_private(path)
        if upgrade:
            try:
                upgrade_to_head(database)
            except exc.DBAPIError as error:
                logger.error("upgrading the database failed", exc_info=True)
                raise DatabaseError(f"数据库升级失败：{_reason(error)}") from error
    except BaseException:
        database.dispose()  # release the file so the user can move or replace it
        raise
    return database

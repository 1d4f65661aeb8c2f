"""Bringing a database to the schema this program knows, with a copy of the file first.

Alembic is imported only when a database has to be created or upgraded (or its scripts are
asked about): importing it cost about 75 ms of every window start and every command, while
the database is current nearly every time, which one SELECT of ``alembic_version`` tells.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc, inspect
from sqlalchemy.engine import Connection

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.store import revision
from jingyuan_desktop.store.errors import DatabaseError
from jingyuan_desktop.store.sqlite_files import copy_database, free_path, stamp

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from jingyuan_desktop.store.database import Database

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
# The newest revision in migrations/versions, known without alembic so that opening a current
# database does not import it (``store.revision``, where a new migration moves it).
HEAD = revision.HEAD

NEWER_MESSAGE = "数据库版本比本程序新，请升级程序"
NOT_OURS_MESSAGE = "该数据库不是警源治理数据库（缺少版本信息），程序不会改动它"
NO_SCRIPTS_MESSAGE = "程序缺少数据库结构脚本，无法建立或升级数据库，请重新安装程序"


def alembic_config(connection: Connection | None = None, script_location: Path = MIGRATIONS) -> Config:
    from alembic.config import Config

    config = Config()
    # The value goes through configparser interpolation, where "%" is special.
    config.set_main_option("script_location", str(script_location).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def script_directory(script_location: Path = MIGRATIONS) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(script_location=script_location))


def known_revisions(script_location: Path = MIGRATIONS) -> set[str]:
    return {script.revision for script in script_directory(script_location).walk_revisions()}


def head_revision(script_location: Path = MIGRATIONS) -> str:
    head = script_directory(script_location).get_current_head()
    if head is None:
        # With no revision scripts (a build that left them out), "upgrading" a new database
        # would do nothing and leave it without a single table.
        raise DatabaseError(NO_SCRIPTS_MESSAGE)
    return head


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(db: Database, *, script_location: Path = MIGRATIONS, now: datetime | None = None) -> Path | None:
    """Migrate ``db`` to the newest schema; returns the copy made beforehand, if any.

    A SQLite file that already holds data is copied beside itself before anything changes,
    since a failed migration on an office PC has nobody at hand to repair it.
    """
    if script_location == MIGRATIONS and _recorded_revisions(db) == [HEAD]:
        return None
    from alembic.runtime.migration import MigrationContext

    head = head_revision(script_location)
    known = known_revisions(script_location)
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        current = MigrationContext.configure(connection).get_current_revision()
    if current is None and tables - {"alembic_version"}:
        raise DatabaseError(NOT_OURS_MESSAGE)
    if current is not None and current not in known:
        raise DatabaseError(NEWER_MESSAGE)
    if current == head:
        return None
    copy = None
    path = db.sqlite_path
    if current is not None and path is not None and path.exists():
        copy = free_path(path.parent, f"{path.stem}.backup-before-{head}-{stamp(now or datetime.now(TZ))}")
        copy_database(path, copy, source_read_only=False)
    _run_upgrade(db, script_location)
    return copy


def _recorded_revisions(db: Database) -> list[str] | None:
    """The revisions ``alembic_version`` holds, or None when it cannot be read (a new or a
    foreign database without the table): then alembic looks at the database itself."""
    try:
        with db.engine.connect() as connection:
            return [str(row[0]) for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")]
    except exc.DBAPIError:
        return None


def _run_upgrade(db: Database, script_location: Path) -> None:
    from alembic import command

    with db.engine.connect() as connection:
        if db.is_sqlite:
            # Batch migrations rebuild a table by dropping it; with foreign keys on, that drop
            # would cascade and delete every party and event of every case.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if db.is_sqlite:
                    # The sqlite3 module opens a transaction only before INSERT/UPDATE/DELETE,
                    # so CREATE and DROP would commit one by one; an explicit BEGIN makes the
                    # whole upgrade one transaction that a failure rolls back.
                    connection.exec_driver_sql("BEGIN")
                command.upgrade(alembic_config(connection, script_location), "head")
                if db.is_sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise DatabaseError("数据库升级后数据关联不一致，已撤销升级")
        finally:
            if db.is_sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()

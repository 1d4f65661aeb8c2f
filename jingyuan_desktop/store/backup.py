"""Backups of a SQLite database file, and restoring one over the live database."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jingyuan_desktop.store.errors import DatabaseError
from jingyuan_desktop.store.migrate import known_revisions, upgrade_to_head
from jingyuan_desktop.store.models import REQUIRED_TABLES, Base
from jingyuan_desktop.store.sqlite_files import _read_only_uri, copy_database, free_path, inspect_file, stamp

if TYPE_CHECKING:
    from jingyuan_desktop.store.database import Database

BACKUP_PREFIX = "jingyuan-backup-"


def _live_path(db: Database) -> Path:
    if not db.is_sqlite:
        raise DatabaseError("PostgreSQL 数据库请使用 pg_dump 备份")
    path = db.sqlite_path
    if path is None:
        raise DatabaseError("内存数据库没有文件，无法备份")
    if not path.exists():
        raise DatabaseError(f"找不到数据库文件：{path}")
    return path


def backup(db: Database, to_dir: Path, *, now: datetime) -> Path:
    """A consistent copy of the database in ``to_dir`` as jingyuan-backup-YYYYmmdd-HHMMSS.db."""
    source = _live_path(db)
    to_dir = Path(to_dir)
    to_dir.mkdir(parents=True, exist_ok=True)
    target = free_path(to_dir, BACKUP_PREFIX + stamp(now))
    copy_database(source, target, source_read_only=False)
    return target


def backups_in(folder: Path) -> list[Path]:
    """The program's backups in ``folder``, oldest first (their names sort by time)."""
    if not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).glob(f"{BACKUP_PREFIX}*.db") if p.is_file())


# A restore keeps the data it replaces beside the database as NAME.before-restore-STAMP.db.
SAFETY_INFIX = ".before-restore-"


def safety_copies(live: Path) -> list[Path]:
    """The copies earlier restores kept beside the database ``live``, oldest first."""
    return sorted(p for p in live.parent.glob(f"{live.stem}{SAFETY_INFIX}*.db") if p.is_file())


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest backups in ``folder`` beyond the newest ``keep``; returns those deleted.
    Only files named as this program names its backups are ever touched."""
    found = backups_in(folder)
    doomed = found[:-keep] if keep > 0 else found
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def check_backup_file(file: Path) -> None:
    """Refuse, in Chinese, a file that is not a backup of a database this program can read."""
    file = Path(file)
    if not file.is_file():
        raise DatabaseError(f"找不到备份文件：{file}")
    tables, revisions = inspect_file(file)
    if not tables >= REQUIRED_TABLES or not revisions:
        raise DatabaseError(f"{file.name} 不是警源治理数据库的备份")
    if not set(revisions) <= known_revisions():
        raise DatabaseError(f"{file.name} 来自更新版本的程序，请先升级本程序再恢复")


RESTORE_WAIT_SECONDS = 30
BUSY_MESSAGE = ("另一台电脑正在使用数据库（正在查询、导出或保存），{seconds}秒内未能独占，恢复没有进行，"
                "数据未改动。请让其他电脑关闭本程序后再恢复。")


def restore(db: Database, file: Path, *, now: datetime, wait_seconds: float = RESTORE_WAIT_SECONDS) -> Path:
    """Replace the database's content with ``file``; returns the safety copy made first.

    Nothing another PC saves can be lost in between: the backup is first checked and brought
    to this program's schema in a temporary copy; then the live database is locked for this
    connection alone (SQLite's exclusive lock: no other PC reads or writes until it is
    released), the safety copy is taken under that lock, and the tables are replaced in the
    same transaction. When the lock cannot be had within ``wait_seconds`` (another PC is
    reading or writing), nothing changes and the user is told so. Afterwards the database's
    integrity and its row counts are checked against the backup.
    """
    from jingyuan_desktop.store.database import Database as _Database

    file = Path(file)
    check_backup_file(file)
    live = _live_path(db)
    if file.resolve() == live.resolve():
        raise DatabaseError("不能用数据库文件自身来恢复")
    with tempfile.TemporaryDirectory(prefix="jingyuan-restore-", dir=live.parent) as folder:
        staged = Path(folder) / "staged.db"
        copy_database(file, staged)
        staged_db = _Database(f"sqlite:///{staged}")
        try:
            upgrade_to_head(staged_db, now=now)
        finally:
            staged_db.dispose()
        expected = _row_counts(staged)
        safety = free_path(live.parent, f"{live.stem}{SAFETY_INFIX}{stamp(now)}")
        db.engine.dispose()  # pooled connections would keep caches of the old content
        _replace_under_lock(live, staged, safety, wait_seconds)
    db.engine.dispose()
    _verify(live, expected)
    return safety


def _tables_in_order(connection: sqlite3.Connection) -> list[str]:
    """The program's tables, parents before children, and alembic's own."""
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    ordered = [table.name for table in Base.metadata.sorted_tables if table.name in names]
    return ordered + sorted(names - set(ordered) - {"sqlite_sequence"})


def _replace_under_lock(live: Path, staged: Path, safety: Path, wait_seconds: float) -> None:
    connection = sqlite3.connect(str(live), timeout=wait_seconds, isolation_level=None)
    try:
        connection.execute("ATTACH DATABASE ? AS staged", (_read_only_uri(staged),))
        try:
            connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise DatabaseError(BUSY_MESSAGE.format(seconds=int(wait_seconds))) from None
            raise
        try:
            # Under the exclusive lock the file is at rest (journal mode DELETE): a plain copy
            # of it is the database as it stands, with everything other PCs committed.
            shutil.copyfile(live, safety)
            tables = _tables_in_order(connection)
            for table in reversed(tables):
                connection.execute(f'DELETE FROM main."{table}"')
            for table in tables:
                columns = ", ".join(f'"{row[1]}"' for row in connection.execute(f'PRAGMA main.table_info("{table}")'))
                connection.execute(f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM staged."{table}"')
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("DETACH DATABASE staged")
    finally:
        connection.close()


def _row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(_read_only_uri(path), uri=True)) as connection:
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in _tables_in_order(connection)}


def _verify(live: Path, expected: dict[str, int]) -> None:
    """integrity_check and the row count of every table, against the staged backup."""
    with closing(sqlite3.connect(str(live))) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()
    if not check or check[0] != "ok":
        raise DatabaseError("恢复后的数据库未通过完整性检查，请用恢复前的安全副本还原并联系技术人员")
    found = _row_counts(live)
    if found != expected:
        different = "、".join(t for t in expected if found.get(t) != expected[t])
        raise DatabaseError(f"恢复后的数据与备份不一致（{different}），请用恢复前的安全副本还原并联系技术人员")

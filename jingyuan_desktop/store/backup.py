"""Backups of a SQLite database file, and restoring one over the live database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jingyuan_desktop.store.errors import DatabaseError
from jingyuan_desktop.store.migrate import known_revisions, upgrade_to_head
from jingyuan_desktop.store.models import REQUIRED_TABLES
from jingyuan_desktop.store.sqlite_files import copy_database, free_path, inspect_file, stamp

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


def restore(db: Database, file: Path, *, now: datetime) -> Path:
    """Replace the database's content with ``file``; returns the safety copy made first.

    The file is checked before anything is touched; the safety copy of the current database
    is written beside it. A backup from an older version is upgraded after the restore.
    """
    file = Path(file)
    check_backup_file(file)
    live = _live_path(db)
    if file.resolve() == live.resolve():
        raise DatabaseError("不能用数据库文件自身来恢复")
    safety = free_path(live.parent, f"{live.stem}.before-restore-{stamp(now)}")
    copy_database(live, safety, source_read_only=False)
    # Pooled connections would otherwise keep schema and page caches of the old content.
    db.engine.dispose()
    copy_database(file, live)
    db.engine.dispose()
    upgrade_to_head(db, now=now)
    return safety

"""Whole-file work on SQLite databases: consistent copies and a look inside a candidate file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.store.errors import DatabaseError


def make_private(path: Path) -> None:
    """Readable and writable by its owner only, where the system allows (POSIX permissions;
    on Windows files in the user's profile are private already): citizens' data inside."""
    with contextlib.suppress(OSError):  # a network share may not take modes: its own rights apply
        os.chmod(path, 0o600)


def stamp(now: datetime) -> str:
    """20260118-093000: the office's local time, since people look for backups by that time."""
    return local(now).strftime("%Y%m%d-%H%M%S")


def free_path(folder: Path, stem: str, suffix: str = ".db") -> Path:
    """``folder/stem.db``, or ``stem-2.db`` and so on when two copies fall in the same second."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


COPY_WAIT_SECONDS = 60


def copy_database(source: Path, target: Path, *, source_read_only: bool = True,
                  wait_seconds: float = COPY_WAIT_SECONDS) -> None:
    """Copy ``source`` over ``target`` with SQLite's backup API.

    The backup API copies a consistent state even while another PC writes. A user's file is
    opened read-only so that nothing is ever written to it. Python retries a busy step for
    ever; here a copy that has waited ``wait_seconds`` for another PC's lock gives up with a
    Chinese message instead of hanging without a word.
    """
    step_wait = min(10.0, wait_seconds)
    if source_read_only:
        src = sqlite3.connect(_read_only_uri(source), uri=True, timeout=step_wait)
    else:
        src = sqlite3.connect(str(source), timeout=step_wait)
    deadline = time.monotonic() + wait_seconds

    def give_up_when_late(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise DatabaseError(f"另一台电脑正在使用数据库，等待{int(wait_seconds)}秒后仍无法复制，请稍后再试")

    with closing(src), closing(sqlite3.connect(str(target), timeout=step_wait)) as dst:
        src.backup(dst, pages=256, progress=give_up_when_late)
    make_private(target)


def inspect_file(path: Path) -> tuple[set[str], list[str]]:
    """The table names of ``path`` and the alembic revisions it records.

    Raises DatabaseError when the file is not a readable, intact SQLite database.
    """
    try:
        with closing(sqlite3.connect(_read_only_uri(path), uri=True, timeout=10)) as connection:
            check = connection.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise DatabaseError("该数据库文件已损坏，不能使用")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revisions: list[str] = []
            if "alembic_version" in tables:
                revisions = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"所选文件不是有效的数据库文件：{path.name}") from error
    return tables, revisions


def _read_only_uri(path: Path) -> str:
    # Built by hand, not with Path.as_uri(): a share path //server/x must keep an empty URI
    # authority (file:////server/x), which SQLite accepts and as_uri() does not produce.
    posix = Path(path).resolve().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/x -> /C:/x
    return "file://" + quote(posix, safe="/:") + "?mode=ro"

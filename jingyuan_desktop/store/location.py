"""Where the database is: the default file, and what a ``--db`` argument names.

Without SQLAlchemy, so that the window's start can find its file before importing it.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "jingyuan_desktop"
DB_FILE_NAME = "jingyuan.db"


def default_db_path() -> Path:
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / DB_FILE_NAME


def resolve_url(db: str | None) -> str:
    """None: the default file; anything with "://": an SQLAlchemy URL; else a file path."""
    if db is None:
        return f"sqlite:///{default_db_path()}"
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def local_sqlite_file(db: str | None) -> Path | None:
    """The file ``db`` names when it is a plain path (or the default file) on this PC's own
    disk; None for a URL, or a file on a network path (\\\\server\\share, //server/share),
    which several PCs share."""
    if db is not None and "://" in db:
        return None
    if db is not None and db.startswith(("\\\\", "//")):
        return None
    path = default_db_path() if db is None else Path(db).expanduser().resolve()
    return None if str(path).startswith(("\\\\", "//")) else path

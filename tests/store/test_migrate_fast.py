"""Opening a database whose schema is current asks one question and leaves alembic unimported;
any other database still goes through alembic, with its copy before an upgrade."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing

from jingyuan_desktop.store import migrate
from jingyuan_desktop.store.database import Database, open_database


def alembic_loaded_after_opening(path) -> bool:
    """Whether a fresh interpreter holds alembic after opening the database at ``path``."""
    code = ("import sys\nfrom jingyuan_desktop.store.database import open_database\n"
            f"open_database({str(path)!r}).dispose()\nprint('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return out.split()[-1] == "True"


def test_the_head_known_without_alembic_is_the_head_of_the_migration_scripts():
    # A new migration that does not move store.revision.HEAD fails here, before any database is left
    # un-upgraded by the quick check.
    assert migrate.head_revision() == migrate.HEAD
    assert migrate.HEAD in migrate.known_revisions()


def test_opening_a_current_database_does_not_import_alembic(tmp_path):
    path = tmp_path / "jingyuan.db"
    assert alembic_loaded_after_opening(path)  # a new file is built by alembic
    assert not alembic_loaded_after_opening(path)  # and from then on opened without it


def test_a_database_one_revision_behind_is_still_copied_and_upgraded(tmp_path):
    from alembic import command

    path = tmp_path / "jingyuan.db"
    previous = migrate.script_directory().get_revision(migrate.HEAD).down_revision
    assert isinstance(previous, str)
    older = Database(f"sqlite:///{path}")
    try:
        with older.engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection), previous)
    finally:
        older.dispose()
    open_database(str(path)).dispose()
    copies = sorted(p.name for p in tmp_path.glob(f"jingyuan.backup-before-{migrate.HEAD}-*.db"))
    assert len(copies) == 1
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(migrate.HEAD,)]
    with closing(sqlite3.connect(tmp_path / copies[0])) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(previous,)]

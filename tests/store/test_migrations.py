import shutil
import sqlite3
from contextlib import closing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from jingyuan_desktop.domain.enums import ClockName
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.audit import verify_audit
from jingyuan_desktop.store.database import Database, DatabaseError, open_database
from jingyuan_desktop.store.migrate import MIGRATIONS, NEWER_MESSAGE, current_revision, head_revision, upgrade_to_head
from jingyuan_desktop.store.models import Base
from tests.store.conftest import USER, every_event, make_case, t

NOW = t("2026-03-20 08:00")

SECOND_REVISION = '''
import sqlalchemy as sa
from alembic import op

revision = "NEXT"
down_revision = "HEAD"
branch_labels = None
depends_on = None


def upgrade():
    # Rebuilding the parent table is what batch mode does on SQLite for most changes.
    with op.batch_alter_table("cases", recreate="always") as batch:
        batch.add_column(sa.Column("extra", sa.String(), nullable=True))
    BODY


def downgrade():
    pass
'''


HEAD = head_revision()
NEXT = f"{int(HEAD) + 1:04d}"


def scripts_with_second_revision(tmp_path, body="pass"):
    """The program's migrations plus one more revision, as a later version of the program would ship."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    text = SECOND_REVISION.replace("BODY", body).replace("NEXT", NEXT).replace("HEAD", HEAD)
    (folder / "versions" / f"{NEXT}_extra.py").write_text(text, encoding="utf-8")
    return folder


def rows(path, sql):
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def test_migration_creates_exactly_the_tables_of_the_models(db):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert current_revision(db) == head_revision() == HEAD


def test_a_new_database_is_not_copied(tmp_path):
    open_database(str(tmp_path / "jingyuan.db")).dispose()
    assert [p.name for p in tmp_path.iterdir()] == ["jingyuan.db"]


def test_database_is_copied_before_an_upgrade_and_keeps_its_timeline(db, tmp_path):
    with db.session() as session:
        repository.add_case(session, make_case(events=every_event()), user=USER, at=NOW)
    scripts = scripts_with_second_revision(tmp_path)

    copy = upgrade_to_head(db, script_location=scripts, now=NOW)

    assert copy == tmp_path / f"jingyuan.backup-before-{NEXT}-20260320-080000.db"
    assert rows(copy, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert rows(copy, "SELECT count(*) FROM events") == [(len(every_event()),)]
    live = db.sqlite_path
    assert rows(live, "SELECT version_num FROM alembic_version") == [(NEXT,)]
    assert "extra" in {c["name"] for c in inspect(db.engine).get_columns("cases")}
    # Rebuilding `cases` must not cascade into its parties and events.
    assert rows(live, "SELECT count(*) FROM events") == [(len(every_event()),)]
    assert rows(live, "SELECT count(*) FROM parties") == [(2,)]
    assert upgrade_to_head(db, script_location=scripts, now=NOW) is None


def test_a_failing_upgrade_leaves_the_database_as_it_was(db, tmp_path):
    with db.session() as session:
        repository.add_case(session, make_case(), user=USER, at=NOW)
    tables = set(inspect(db.engine).get_table_names())
    body = 'op.create_table("later", sa.Column("id", sa.Integer(), primary_key=True))\n    raise RuntimeError("broken")'
    scripts = scripts_with_second_revision(tmp_path, body=body)
    with pytest.raises(RuntimeError):
        upgrade_to_head(db, script_location=scripts, now=NOW)
    assert current_revision(db) == HEAD
    assert set(inspect(db.engine).get_table_names()) == tables
    assert "extra" not in {c["name"] for c in inspect(db.engine).get_columns("cases")}
    with db.session() as session:
        assert repository.count_cases(session) == 1
    assert (tmp_path / f"jingyuan.backup-before-{NEXT}-20260320-080000.db").exists()


def test_a_build_without_its_migration_scripts_refuses_instead_of_leaving_an_empty_database(tmp_path):
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__", "0*.py"))
    db = Database(f"sqlite:///{tmp_path / 'jingyuan.db'}")
    try:
        with pytest.raises(DatabaseError, match="缺少数据库结构脚本"):
            upgrade_to_head(db, script_location=scripts, now=NOW)
    finally:
        db.dispose()


def test_a_database_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "jingyuan.db"
    open_database(str(path)).dispose()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
        connection.commit()
    with pytest.raises(DatabaseError) as refused:
        open_database(str(path))
    assert refused.value.message == NEWER_MESSAGE == "数据库版本比本程序新，请升级程序"


def test_a_foreign_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.commit()
    with pytest.raises(DatabaseError, match="不是警源治理数据库"):
        open_database(str(path))
    assert rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'") == [("notes",)]


STORED_COLUMNS = ("clocks_as_of", "progress_from", "progress_next_due", "progress_seq", "progress_owner", "void",
                  "resolved_at", "resolution_ms", "on_site", "return_visit_at", "satisfaction", "archived_at",
                  "arrive_due_at", "arrived_at", "handler", "received_month", "received_week", "refusals",
                  "agenda_watch", *(f"{state}_{name.value}" for name in ClockName for state in ("met", "late")),
                  "office_met", "office_late", "team_met", "team_late",
                  "n_positive", "n_answered", "n_visited", "n_on_site", "n_repeats", "n_repeats_resolved")


PREVENTION_TABLES = ("warnings", "patrols", "key_person_visits", "key_persons", "citizen_reviews", "case_citizens",
                     "citizens", "officer_beats", "joint_points", "grids")


def test_0003_rewrites_events_of_the_first_rules(tmp_path):
    """A database written under the first rules: resolved with on_site, arrived with handlers,
    a free-text cancellation after a dispatch and one before, a resolved red case."""
    from jingyuan_desktop.domain.enums import EventType as E
    from jingyuan_desktop.domain.enums import Risk
    from jingyuan_desktop.domain.model import Event

    path = tmp_path / "old.db"
    db = open_database(str(path))
    team = {"handlers": ["李书记", "赵调解员"], "leader": "李书记"}
    resolved = make_case("FZ-2026-00001", risk=Risk.RED, events=[
        Event(E.LEADER_ASSIGNED, t("2026-03-02 09:01"), data={"leader": "王镇长"}),
        Event(E.DISPATCHED, t("2026-03-02 09:02"), data=team),
        Event(E.ARRIVED, t("2026-03-02 09:10"), data={"present": ["李书记", "赵调解员"]}),
        Event(E.RESOLVED, t("2026-03-02 10:00"), data={"outcome": "on_site"})])
    given_up = make_case("FZ-2026-00002", incident="J2", events=[
        Event(E.DISPATCHED, t("2026-03-02 09:02"), data=team),
        Event(E.CANCELLED, t("2026-03-02 09:30"), data={"reason": "not_our_remit"})])
    mistaken = make_case("FZ-2026-00003", incident="J3", events=[
        Event(E.CANCELLED, t("2026-03-02 09:30"), data={"reason": "entered_in_error"})])
    with db.session() as session:
        for case in (resolved, given_up, mistaken):
            repository.add_case(session, case, user=USER, at=NOW)
    db.dispose()
    with closing(sqlite3.connect(path)) as connection:  # back to how the first rules stored them
        connection.execute("""UPDATE events SET data = '{"on_site": true}' WHERE type = 'resolved'""")
        connection.execute("""UPDATE events SET data = '{"handlers": ["李书记"]}' WHERE type = 'arrived'""")
        connection.execute("""UPDATE events SET data = '{"reason": "村里不管"}' WHERE type = 'cancelled'""")
        connection.execute("UPDATE cases SET risk = 'red', status = 'resolved' WHERE case_no = 'FZ-2026-00001'")
        connection.execute("UPDATE cases SET status = 'cancelled' WHERE case_no != 'FZ-2026-00001'")
        connection.execute("DROP INDEX ix_cases_figures")  # 0011 (the open clocks' index goes with its table)
        connection.execute("ALTER TABLE cases DROP COLUMN search_text")  # 0010
        connection.execute("ALTER TABLE cases DROP COLUMN agenda_line")  # 0009
        for table in PREVENTION_TABLES:  # 0008
            connection.execute(f"DROP TABLE {table}")
        connection.execute("ALTER TABLE cases DROP COLUMN grid")
        connection.execute("DROP TABLE case_clocks")  # 0007
        connection.execute("DROP TABLE derived_state")
        connection.execute("DROP INDEX ix_cases_progress_next_due")
        connection.execute("DROP INDEX ix_cases_agenda_watch")
        connection.execute("DROP INDEX ix_cases_clocks_as_of")
        for column in STORED_COLUMNS:
            connection.execute(f"ALTER TABLE cases DROP COLUMN {column}")
        connection.execute("DROP TABLE users")  # 0006
        connection.execute("DROP TABLE case_counters")  # 0004
        connection.execute("DROP TABLE audit_chain")  # 0005, and the chain's columns with it
        connection.execute("CREATE TABLE audit_old (id INTEGER PRIMARY KEY, at DATETIME, user VARCHAR(100), "
                           "action VARCHAR(50), entity VARCHAR(50), entity_id VARCHAR, before JSON, after JSON)")
        connection.execute("INSERT INTO audit_old SELECT id, at, user, action, entity, entity_id, before, after "
                           "FROM audit_log")
        connection.execute("DROP TABLE audit_log")
        connection.execute("ALTER TABLE audit_old RENAME TO audit_log")
        connection.execute("UPDATE alembic_version SET version_num = '0002'")
        connection.commit()

    upgraded = open_database(str(path))
    try:
        with upgraded.session() as session:
            cases = {no: repository.get_case(session, no)[0]
                     for no in ("FZ-2026-00001", "FZ-2026-00002", "FZ-2026-00003")}
            check = verify_audit(session)  # 0005 chained the audit rows written before it
    finally:
        upgraded.dispose()
    assert check.ok and check.rows == 3
    first = cases["FZ-2026-00001"]
    assert first.events[3].data == {"outcome": "on_site"}
    assert first.events[2].data == {"present": ["李书记"]}
    given_up_cancel, mistaken_cancel = cases["FZ-2026-00002"].events[1], cases["FZ-2026-00003"].events[0]
    assert (given_up_cancel.data, given_up_cancel.note) == ({"reason": "not_our_remit"}, "村里不管")
    assert (mistaken_cancel.data, mistaken_cancel.note) == ({"reason": "entered_in_error"}, "村里不管")
    stored = dict((r[0], (r[1], r[2])) for r in rows(path, "SELECT case_no, risk, status FROM cases"))
    assert stored == {"FZ-2026-00001": ("blue", "resolved"), "FZ-2026-00002": ("yellow", "declined"),
                      "FZ-2026-00003": ("yellow", "cancelled")}
    # 0004: the counter continues from the highest number in use.
    assert rows(path, "SELECT prefix, year, last FROM case_counters") == [("FZ", 2026, 3)]


def test_0012_gives_every_clock_row_its_case_number(tmp_path):
    from alembic import command

    from jingyuan_desktop.store import migrate

    path = tmp_path / "jingyuan.db"
    db = open_database(str(path))
    with db.session() as session:
        for number in (1, 2):
            repository.add_case(session, make_case(f"FZ-2026-0000{number}", incident=f"J{number}",
                                                   events=every_event()), user=USER, at=NOW)
    with db.engine.begin() as connection:  # back to 0011: the column and the index as they were
        command.downgrade(migrate.alembic_config(connection), "0011")
    db.dispose()
    assert "case_no" not in [column[1] for column in rows(path, "PRAGMA table_info(case_clocks)")]
    open_database(str(path)).dispose()
    stored = rows(path, "SELECT k.case_no, c.case_no FROM case_clocks k JOIN cases c ON c.id = k.case_id")
    assert len(stored) > 4 and {copy for copy, _number in stored} == {"FZ-2026-00001", "FZ-2026-00002"}
    assert all(copy == number for copy, number in stored)
    index = rows(path, "SELECT sql FROM sqlite_master WHERE name = 'ix_case_clocks_open'")[0][0]
    assert "case_no" in index and "done_at IS NULL" in index


def test_0013_keeps_the_search_text_with_small_latin_letters(tmp_path):
    path = tmp_path / "jingyuan.db"
    db = open_database(str(path))
    with db.session() as session:
        repository.add_case(session, make_case("FZ-2026-00001", events=every_event()), user=USER, at=NOW)
    db.dispose()
    folded = rows(path, "SELECT search_text FROM cases")
    assert folded[0][0].startswith("fz-2026-00001")
    with closing(sqlite3.connect(path)) as connection:  # as 0012 kept it: the case number in capitals
        connection.execute("UPDATE cases SET search_text = upper(search_text)")
        connection.execute("UPDATE alembic_version SET version_num = '0012'")
        connection.commit()
    open_database(str(path)).dispose()
    assert rows(path, "SELECT search_text FROM cases") == folded

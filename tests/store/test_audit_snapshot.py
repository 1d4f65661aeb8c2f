"""The audit check reads the rows and the chain's head while other PCs go on saving: a row
added during the check is no alarm, a row changed, removed or slipped in still is."""

import sqlite3
from contextlib import closing, contextmanager

from sqlalchemy import event, insert

from jingyuan_desktop.store.audit import verify_audit, write_audit
from jingyuan_desktop.store.audit_chain import row_digest
from jingyuan_desktop.store.database import Database
from jingyuan_desktop.store.models import AuditModel
from tests.store.conftest import USER, t

AT = t("2026-03-20 08:00")


def _audited(db, count=4):
    for index in range(count):
        with db.session() as session:
            write_audit(session, user=USER, action="export", entity="ledger", entity_id=f"L{index}", before=None,
                        after={"rows": index}, at=AT)


@contextmanager
def another_pc_saving(db, limit=8):
    """Before each query the check sends, another PC (its own connection to the same file)
    saves one audited change and commits it; yields the list of those saves."""
    other = Database(db.url)
    saved: list[str] = []

    def save_first(_connection, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT") and len(saved) < limit:
            with other.session() as session:
                write_audit(session, user="另一台电脑", action="export", entity="ledger", entity_id=f"P{len(saved)}",
                            before=None, after={"at": len(saved)}, at=AT)
            saved.append(statement)

    event.listen(db.engine, "before_cursor_execute", save_first)
    try:
        yield saved
    finally:
        event.remove(db.engine, "before_cursor_execute", save_first)
        other.dispose()


def _verify(db):
    with db.session() as session:
        return verify_audit(session)


def test_rows_saved_by_another_pc_during_the_check_raise_no_alarm(db):
    _audited(db)
    with another_pc_saving(db) as saved:
        check = _verify(db)
    assert len(saved) >= 3  # a save came before the head's read, the rows' reads and the last look
    assert check.ok, check.reason
    assert 4 <= check.rows < 4 + len(saved)
    assert _verify(db).ok and _verify(db).rows == 4 + len(saved)


def test_a_changed_row_is_still_found_while_another_pc_saves(db):
    _audited(db)
    with closing(sqlite3.connect(db.sqlite_path)) as connection:
        connection.execute("""UPDATE audit_log SET after = '{"rows": 99}' WHERE seq = 2""")
        connection.commit()
    with another_pc_saving(db):
        check = _verify(db)
    assert not check.ok and check.broken_seq == 2 and "改动" in check.reason


def _slip_in(db, places_after_head=1):
    """A row written with a tool that knows the hash but leaves the head where it was."""
    with closing(sqlite3.connect(db.sqlite_path)) as connection:
        seq, head = connection.execute("SELECT seq, head_hash FROM audit_chain").fetchone()
    place = seq + places_after_head
    digest = row_digest(head, place, AT, "x", "delete", "case", "FZ-1", None, None)
    with db.session() as session:
        session.execute(insert(AuditModel.__table__).values(at=AT, user="x", action="delete", entity="case",
                                                            entity_id="FZ-1", seq=place, row_hash=digest))


def test_a_row_slipped_in_after_the_head_with_a_fitting_hash_is_found(db):
    _audited(db)
    _slip_in(db)
    check = _verify(db)
    assert not check.ok and check.broken_seq == 5 and "直接插入" in check.reason
    with closing(sqlite3.connect(db.sqlite_path)) as connection:
        connection.execute("DELETE FROM audit_chain")  # the head removed as well
        connection.commit()
    check = _verify(db)
    assert not check.ok and "直接插入" in check.reason


def test_a_row_slipped_in_far_ahead_is_found_while_another_pc_saves(db):
    _audited(db)
    _slip_in(db, places_after_head=50)
    with another_pc_saving(db):
        check = _verify(db)
    assert not check.ok and check.broken_seq == 54 and "直接插入" in check.reason


def test_an_emptied_log_is_found_while_the_head_remembers_its_rows(db):
    _audited(db)
    with closing(sqlite3.connect(db.sqlite_path)) as connection:
        connection.execute("DELETE FROM audit_log")
        connection.commit()
    check = _verify(db)
    assert not check.ok and "末尾" in check.reason and "应有 4 条" in check.reason

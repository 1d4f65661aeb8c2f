import sqlite3
from contextlib import closing
from datetime import date

import pytest

from jingyuan_desktop.domain.enums import EventType, PersonRole, UnitKind
from jingyuan_desktop.domain.model import Event, Person, Unit
from jingyuan_desktop.store import repository
from tests.store.conftest import USER, every_event, make_case, t

AT = t("2026-03-20 08:00")


def test_adding_and_appending_write_audit_rows_with_before_and_after(db):
    case = make_case(events=every_event()[:3])
    with db.session() as session:
        repository.add_case(session, case, user=USER, at=AT)
        repository.append_event(session, case.case_no, Event(EventType.ARRIVED, t("2026-03-02 09:10")), 1,
                                recorded_by="李书记", recorded_at=t("2026-03-20 09:11"))
        repository.update_case(session, case.case_no, {"location": "4组"}, 2, user=USER, at=t("2026-03-20 10:00"))
    with db.session() as session:
        update, appended, added = repository.list_audit(session, entity="case", entity_id=case.case_no)
    assert (added.action, added.user, added.before) == ("add", USER, None)
    assert added.after["case_no"] == case.case_no and len(added.after["events"]) == 3
    assert added.after["received_at"] == "2026-03-02T09:00:00+08:00"
    assert appended.action == "append_event" and appended.user == "李书记"
    assert appended.at == t("2026-03-20 09:11")
    assert appended.before == {"version": 1, "status": "dispatched"}
    assert appended.after["version"] == 2 and appended.after["status"] == "handling"
    assert appended.after["event"]["type"] == "arrived"
    assert update.before == {"location": "3组东头"} and update.after == {"location": "4组"}


def test_reference_changes_are_audited_and_unchanged_saves_are_not(db):
    with db.session() as session:
        repository.upsert_unit(session, Unit("解营村", UnitKind.VILLAGE), user=USER, at=AT)
        repository.upsert_unit(session, Unit("解营村", UnitKind.VILLAGE), user=USER, at=AT)
        repository.upsert_unit(session, Unit("解营村", UnitKind.COMMUNITY), user=USER, at=AT)
        repository.upsert_person(session, Person("王伟", PersonRole.SECRETARY, "解营村"), user=USER, at=AT)
        repository.set_setting(session, "office", {"town": "房镇镇"}, user=USER, at=AT)
        repository.set_calendar_override(session, date(2027, 1, 1), False, "元旦", user=USER, at=AT)
        repository.set_calendar_override(session, date(2027, 1, 1), None, user=USER, at=AT)
        repository.replace_category_tree(session, {"求助": ["生活求助"]}, user=USER, at=AT)
    with db.session() as session:
        entries = list(reversed(repository.list_audit(session)))
    assert [(e.entity, e.action) for e in entries] == [
        ("unit", "add"), ("unit", "update"), ("person", "add"), ("setting", "add"),
        ("calendar", "add"), ("calendar", "delete"), ("category_tree", "update"),
    ]
    assert entries[1].before["kind"] == "village" and entries[1].after["kind"] == "community"
    assert entries[5].before == {"is_working": False, "note": "元旦"} and entries[5].after is None
    assert entries[6].before == {} and entries[6].after == {"求助": ["生活求助"]}


def test_a_rolled_back_change_leaves_no_audit_row(db):
    with pytest.raises(RuntimeError), db.session() as session:
        repository.set_setting(session, "office", {"town": "房镇镇"}, user=USER, at=AT)
        raise RuntimeError("power cut")
    with db.session() as session:
        assert repository.list_audit(session) == []
        assert repository.get_setting(session, "office") is None


def test_bulk_add_without_audit_and_list_limit(db):
    with db.session() as session:
        for number in range(1, 6):
            repository.add_case(session, make_case(f"FZ-2026-{number:05d}"), user=USER, at=AT, audit=False)
        repository.write_audit(session, user=USER, action="demo", entity="case", entity_id="*",
                               before=None, after={"count": 5}, at=AT)
        for number in range(6, 9):
            repository.add_case(session, make_case(f"FZ-2026-{number:05d}"), user=USER, at=AT)
    with db.session() as session:
        assert len(repository.list_audit(session, entity="case")) == 4
        assert [e.entity_id for e in repository.list_audit(session, limit=2)] == ["FZ-2026-00008", "FZ-2026-00007"]


def _audited(db, count=4):
    for index in range(count):
        with db.session() as session:
            repository.write_audit(session, user=USER, action="export", entity="ledger", entity_id=f"L{index}",
                                   before=None, after={"rows": index, "at": t("2026-03-02 09:00")},
                                   at=t(f"2026-03-02 09:0{index}"))


def _verify(db):
    from jingyuan_desktop.store.audit import verify_audit

    with db.session() as session:
        return verify_audit(session)


def test_the_audit_chain_verifies_and_names_the_first_tampered_row(db):
    _audited(db)
    assert _verify(db).ok and _verify(db).rows == 4
    with closing(sqlite3.connect(db.sqlite_path)) as connection:
        connection.execute("""UPDATE audit_log SET "user" = '随便写的名字' WHERE seq = 2""")
        connection.commit()
    check = _verify(db)
    assert not check.ok and check.broken_seq == 2 and "改动" in check.reason


@pytest.mark.parametrize("sql, reason", [
    ("DELETE FROM audit_log WHERE seq = 2", "缺失"),
    ("DELETE FROM audit_log WHERE seq = 4", "末尾"),
    ("""INSERT INTO audit_log (at, "user", action, entity, entity_id) VALUES ('2026-03-02 01:00:00', 'x', 'add',
        'case', 'FZ-1')""", "直接插入"),
])
def test_a_row_removed_or_slipped_in_is_found(db, sql, reason):
    _audited(db)
    with closing(sqlite3.connect(db.sqlite_path)) as connection:
        connection.execute(sql)
        connection.commit()
    check = _verify(db)
    assert not check.ok and reason in check.reason

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from jingyuan_desktop.domain.enums import EventType, Grade, PartyRole, Risk, Satisfaction, Status
from jingyuan_desktop.domain.model import Event, Party
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.repository import DuplicateError, NotFoundError, StaleCaseError
from tests.store.conftest import USER, every_event, make_case, t

E = EventType
AT = t("2026-03-20 08:00")


def add(db, case):
    with db.session() as session:
        return repository.add_case(session, case, user=USER, at=AT)


def test_every_event_type_round_trips(db, full_case):
    assert {e.type for e in full_case.events} == set(EventType)
    add(db, full_case)
    with db.session() as session:
        loaded, version = repository.get_case(session, full_case.case_no)
    assert loaded == full_case
    assert version == 1
    visit = loaded.first(E.RETURN_VISIT)
    assert visit.get("satisfaction") == Satisfaction.BASICALLY_SATISFIED
    assert isinstance(visit.get("satisfaction"), Satisfaction)
    classified = loaded.first(E.CLASSIFIED)
    assert isinstance(classified.get("grade"), Grade) and isinstance(classified.get("risk"), Risk)
    agreed = loaded.first(E.FOLLOW_UP_SCHEDULED).get("agreed_at")
    assert agreed.tzinfo is not None and agreed.utcoffset() == timedelta(hours=8)
    assert loaded.received_at.utcoffset() == timedelta(hours=8)


def test_agreed_at_is_stored_as_text_with_offset(db, full_case):
    add(db, full_case)
    with db.engine.connect() as connection:
        raw = connection.execute(text("SELECT data FROM events WHERE type = 'follow_up_scheduled'")).scalar_one()
    assert "2026-03-04T14:30:00+08:00" in raw


def test_empty_optional_fields_round_trip(db):
    case = make_case(incident="", events=[], phone="", location="")
    case.parties = []
    case.called_at = None
    add(db, case)
    with db.session() as session:
        loaded, _ = repository.get_case(session, case.case_no)
    assert loaded == case and loaded.police_incident_no == "" and loaded.repeat_of == ""


def test_current_and_intake_classification_are_both_kept(db, full_case):
    add(db, full_case)
    with db.engine.connect() as connection:
        row = connection.execute(text(
            "SELECT category, grade, risk, criminal_risk, status, intake_category, intake_grade, intake_risk,"
            " intake_criminal_risk FROM cases")).one()
    # Classified to 宅基地纠纷/general/red with criminal risk, then escalated to difficult; blue
    # once resolved (seed 003), and archived.
    assert tuple(row) == ("宅基地纠纷", "difficult", "blue", 1, "archived", "邻里纠纷", "simple", "yellow", 0)


def test_append_event_refreshes_status_and_bumps_version(db):
    add(db, make_case(events=every_event()[:3]))
    with db.session() as session:
        case, version = repository.get_case(session, "FZ-2026-00001")
    assert version == 1
    arrived = Event(E.ARRIVED, t("2026-03-02 09:14"), by="李书记", data={"handlers": ["李书记"]})
    with db.session() as session:
        new_version = repository.append_event(session, "FZ-2026-00001", arrived, 1,
                                              recorded_by=USER, recorded_at=AT)
    assert new_version == 2
    with db.session() as session:
        loaded, version = repository.get_case(session, "FZ-2026-00001")
        [row] = repository.page_case_rows(session, filters=None, order_by="received_at", descending=False,
                                          offset=0, limit=10)
    assert version == 2 and loaded.events[-1] == arrived and loaded.events[:-1] == case.events
    assert row.status == Status.HANDLING


def test_an_event_that_changes_no_column_still_bumps_the_version(db):
    add(db, make_case(events=every_event()[:4]))
    with db.session() as session:
        version = 1
        for minute in (20, 30, 40):
            note = Event(E.PROGRESS, t(f"2026-03-02 09:{minute}"), note="继续调解")
            version = repository.append_event(session, "FZ-2026-00001", note, version, recorded_by=USER,
                                              recorded_at=AT)
    assert version == 4


def test_second_writer_from_the_same_version_is_refused(db):
    add(db, make_case(events=every_event()[:4]))
    first, second = db.sessionmaker(), db.sessionmaker()
    try:
        _, v1 = repository.get_case(first, "FZ-2026-00001")
        _, v2 = repository.get_case(second, "FZ-2026-00001")
        assert v1 == v2 == 1
        repository.append_event(first, "FZ-2026-00001", Event(E.PROGRESS, t("2026-03-02 10:00"), note="甲"), v1,
                                recorded_by="甲", recorded_at=AT)
        first.commit()
        with pytest.raises(StaleCaseError) as refused:
            repository.append_event(second, "FZ-2026-00001", Event(E.PROGRESS, t("2026-03-02 10:01"), note="乙"),
                                    v2, recorded_by="乙", recorded_at=AT)
        assert refused.value.message == "该案件已被其他人修改，请刷新后重试"
        second.rollback()
    finally:
        first.close()
        second.close()
    with db.session() as session:
        case, version = repository.get_case(session, "FZ-2026-00001")
    assert version == 2 and [e.note for e in case.events if e.type == E.PROGRESS] == ["甲"]


def test_stale_expected_version_is_refused_before_writing(db):
    add(db, make_case(events=every_event()[:4]))
    with db.session() as session:
        repository.append_event(session, "FZ-2026-00001", Event(E.PROGRESS, t("2026-03-02 10:00")), 1,
                                recorded_by=USER, recorded_at=AT)
    with pytest.raises(StaleCaseError), db.session() as session:
        repository.append_event(session, "FZ-2026-00001", Event(E.PROGRESS, t("2026-03-02 10:05")), 1,
                                recorded_by=USER, recorded_at=AT)
    with db.session() as session:
        case, version = repository.get_case(session, "FZ-2026-00001")
    assert version == 2 and len(case.events) == 5


def test_update_case_replaces_parties_and_is_version_checked(db):
    add(db, make_case())
    new_parties = [Party("王五", "13700000000", role=PartyRole.CALLER)]
    with db.session() as session:
        version = repository.update_case(session, "FZ-2026-00001",
                                         {"location": "5组西头", "parties": new_parties, "summary": "已更正"}, 1,
                                         user=USER, at=AT)
    assert version == 2
    with db.session() as session:
        case, _ = repository.get_case(session, "FZ-2026-00001")
        stored_parties = session.execute(text("SELECT count(*) FROM parties")).scalar_one()
    assert case.parties == new_parties and case.location == "5组西头" and case.summary == "已更正"
    assert stored_parties == 1
    with pytest.raises(StaleCaseError), db.session() as session:
        repository.update_case(session, "FZ-2026-00001", {"location": "别处"}, 1, user=USER, at=AT)
    with pytest.raises(ValueError), db.session() as session:
        repository.update_case(session, "FZ-2026-00001", {"category": "求助"}, 2, user=USER, at=AT)


def test_duplicate_numbers_are_refused_in_chinese(db):
    add(db, make_case("FZ-2026-00001", incident="J100"))
    with pytest.raises(DuplicateError, match="案件编号 FZ-2026-00001 已存在"), db.session() as session:
        repository.add_case(session, make_case("FZ-2026-00001", incident="J200"), user=USER, at=AT)
    with pytest.raises(DuplicateError, match="警情编号 J100"), db.session() as session:
        repository.add_case(session, make_case("FZ-2026-00002", incident="J100"), user=USER, at=AT)
    # Cases without an incident number do not collide with each other.
    add(db, make_case("FZ-2026-00003", incident=""))
    add(db, make_case("FZ-2026-00004", incident=""))
    with db.session() as session:
        assert repository.count_cases(session) == 3
        assert repository.police_incident_exists(session, ["J100", "J999", ""]) == {"J100"}
        assert repository.existing_case_nos(session, ["FZ-2026-00003", "FZ-2026-00009"]) == {"FZ-2026-00003"}
        with pytest.raises(DuplicateError):
            repository.update_case(session, "FZ-2026-00003", {"police_incident_no": "J100"}, 1, user=USER, at=AT)


def test_missing_case_is_reported_in_chinese(db):
    with pytest.raises(NotFoundError, match="找不到案件 FZ-404"), db.session() as session:
        repository.get_case(session, "FZ-404")


def test_next_case_no_counts_per_prefix_and_year(db):
    with db.session() as session:
        assert repository.next_case_no(session, "FZ", 2026) == "FZ-2026-00001"
        session.rollback()  # a number drawn and not used goes back with its transaction
    for no in ("FZ-2026-00041", "FZ-2026-00007", "FZ-2025-00500", "DZ-2026-00900", "FZ-2026-00042x"):
        add(db, make_case(no))
    with db.session() as session:
        assert repository.next_case_no(session, "FZ", 2026) == "FZ-2026-00042"
        assert repository.next_case_no(session, "FZ", 2025) == "FZ-2025-00501"
        assert repository.next_case_no(session, "DZ", 2026) == "DZ-2026-00901"
        session.rollback()
    add(db, make_case("FZ-2026-100000"))
    with db.session() as session:
        assert repository.next_case_no(session, "FZ", 2026) == "FZ-2026-100001"
        assert repository.next_case_no(session, "FZ", 2026) == "FZ-2026-100002"  # drawn, so never again


def test_get_cases_reads_several_at_once(db, full_case):
    add(db, full_case)
    add(db, make_case("FZ-2026-00002"))
    with db.session() as session:
        found = repository.get_cases(session, ["FZ-2026-00001", "FZ-2026-00002", "FZ-X"])
    assert set(found) == {"FZ-2026-00001", "FZ-2026-00002"}
    assert found["FZ-2026-00001"] == (full_case, 1)


def test_recent_cases_for_repeat_window_and_caller(db):
    add(db, make_case("FZ-2026-00001", received="2026-01-01 09:00", phone="13800000001"))
    add(db, make_case("FZ-2026-00002", received="2026-03-01 09:00", phone="13800000002"))
    add(db, make_case("FZ-2026-00003", received="2026-03-02 09:00", phone="13800000003"))
    with db.session() as session:
        recent = repository.recent_cases_for_repeat(session, t("2026-03-02 09:00"), 30)
    assert [c.case_no for c in recent] == ["FZ-2026-00002"]
    assert recent[0].caller.phone == "13800000002" and recent[0].location == "3组东头"
    assert recent[0].events == []


def test_case_with_naive_datetime_is_refused(db):
    case = make_case()
    case = replace(case, received_at=case.received_at.replace(tzinfo=None))
    with pytest.raises(Exception, match="naive"), db.session() as session:
        repository.add_case(session, case, user=USER, at=AT)


def _stored(db, table: str, key: str) -> dict:
    """Every row of ``table`` by ``key``, without its id columns (which differ between writes)."""
    with db.engine.connect() as connection:
        rows = connection.execute(text(f"SELECT * FROM {table}")).mappings().all()
        numbers = dict(connection.execute(text("SELECT id, case_no FROM cases")).all())
    found = {}
    for row in rows:
        values = {k: v for k, v in row.items() if k not in ("id", "case_id")}
        owner = numbers.get(row["case_id"]) if "case_id" in row else row[key]
        found[(owner, *(values[k] for k in ("seq", "name") if k in values))] = values
    return found


def test_a_bulk_import_stores_the_rows_one_case_at_a_time_would(tmp_path, full_case):
    """``add_new_cases`` (an import) writes every table as ``add_case`` does, column for column,
    audit rows included, and chains them so that the log verifies."""
    from jingyuan_desktop.store.audit import verify_audit
    from jingyuan_desktop.store.database import open_database

    cases = [full_case, make_case("FZ-2026-00002", incident="J2", received="2026-03-03 10:00",
                                  events=every_event("2026-03-03")[:5]), make_case("FZ-2026-00003", incident="J3")]
    at = t("2026-04-20 10:00")
    one, bulk = open_database(str(tmp_path / "one.db")), open_database(str(tmp_path / "bulk.db"))
    try:
        with one.session() as session:
            for case in cases:
                repository.add_case(session, replace(case), user=USER, at=at)
        with bulk.session() as session:
            repository.add_new_cases(session, [replace(case) for case in cases], user=USER, at=at)
        for table in ("cases", "parties", "events", "case_clocks"):
            assert _stored(one, table, "case_no") == _stored(bulk, table, "case_no"), table
        # The same audit rows, hashes included: both chains start from nothing.
        assert _stored(one, "audit_log", "seq") == _stored(bulk, "audit_log", "seq")
        with bulk.session() as session:
            check = verify_audit(session)
            assert check.ok and check.rows == len(cases)
            assert [repository.get_case(session, c.case_no)[0] for c in cases] == cases
    finally:
        one.dispose()
        bulk.dispose()

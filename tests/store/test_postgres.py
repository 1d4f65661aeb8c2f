"""The same store against PostgreSQL, when JINGYUAN_TEST_PG_URL names an empty test database
(e.g. postgresql+psycopg://user@host/jingyuan_test). Every table in it is dropped."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from jingyuan_desktop.domain.enums import EventType
from jingyuan_desktop.domain.model import Event
from jingyuan_desktop.store import backup as store_backup
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.database import Database, DatabaseError, open_database
from jingyuan_desktop.store.models import Base
from jingyuan_desktop.store.repository import CaseFilter, StaleCaseError
from tests.store.conftest import USER, every_event, make_case, t

PG_URL = os.environ.get("JINGYUAN_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="JINGYUAN_TEST_PG_URL is not set")
AT = t("2026-03-20 08:00")


@pytest.fixture
def pg():
    scratch = Database(PG_URL)
    Base.metadata.drop_all(scratch.engine)
    with scratch.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    scratch.dispose()
    database = open_database(PG_URL)
    yield database
    database.dispose()


def test_schema_matches_the_models(pg):
    # The models' SQLite-only index (ix_cases_figures, ``ddl_if``: 42 columns, over
    # PostgreSQL's 32) is neither made here nor missed by the comparison.
    with pg.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert "ix_cases_figures" not in {index["name"] for index in inspect(connection).get_indexes("cases")}
    elsewhere = {index.name for table in Base.metadata.tables.values() for index in table.indexes
                 if index._ddl_if is not None and index._ddl_if.dialect not in (None, "postgresql")}
    assert elsewhere == {"ix_cases_figures"}
    assert [d for d in differences if not (d[0] == "add_index" and d[1].name in elsewhere)] == []


def test_round_trip_search_and_locking(pg):
    case = make_case(events=every_event(), repeat_of="FZ-2025-00001")
    with pg.session() as session:
        repository.add_case(session, case, user=USER, at=AT)
        repository.add_case(session, make_case("FZ-2026-00002", incident="", events=every_event()[:4]),
                            user=USER, at=AT)
        repository.add_case(session, make_case("FZ-2026-00003", incident=""), user=USER, at=AT)
    with pg.session() as session:
        assert repository.get_case(session, case.case_no) == (case, 1)
        assert repository.next_case_no(session, "FZ", 2026) == "FZ-2026-00004"
        rows = repository.page_case_rows(session, filters=CaseFilter(text="fz-2026-0000"), order_by="risk",
                                         descending=True, offset=0, limit=10)
        assert len(rows) == 3
        assert [c.case_no for c in repository.iter_cases(session, batch=2)] == [
            "FZ-2026-00001", "FZ-2026-00002", "FZ-2026-00003"]
    first, second = pg.sessionmaker(), pg.sessionmaker()
    try:
        repository.get_case(first, "FZ-2026-00002")
        repository.get_case(second, "FZ-2026-00002")
        first.commit()
        second.commit()
        repository.append_event(first, "FZ-2026-00002", Event(EventType.PROGRESS, t("2026-03-02 10:00")), 1,
                                recorded_by=USER, recorded_at=AT)
        first.commit()
        with pytest.raises(StaleCaseError):
            repository.append_event(second, "FZ-2026-00002", Event(EventType.PROGRESS, t("2026-03-02 10:01")), 1,
                                    recorded_by=USER, recorded_at=AT)
    finally:
        first.close()
        second.close()


def test_backup_points_to_pg_dump(pg, tmp_path):
    with pytest.raises(DatabaseError, match="pg_dump"):
        store_backup.backup(pg, tmp_path, now=AT)


def test_a_shared_database_needs_accounts_before_anything_else(pg, capsys, monkeypatch):
    from jingyuan_desktop import cli

    assert pg.is_shared
    assert cli.main(["--db", PG_URL, "stats"]) == 1
    assert "须先建立账号" in capsys.readouterr().err
    monkeypatch.setenv("JINGYUAN_NEW_PASSWORD", "secret-123")
    assert cli.main(["--db", PG_URL, "users", "add", "管理员甲", "--role", "admin"]) == 0
    monkeypatch.setenv("JINGYUAN_PASSWORD", "secret-123")
    capsys.readouterr()
    assert cli.main(["--db", PG_URL, "--user", "管理员甲", "stats", "--json"]) == 0


def test_stored_clocks_and_figures_agree_with_the_timelines_on_postgresql(pg, monkeypatch):
    """Issue 12 on the county's backend: the same copies, the same SQL sums, the same check."""
    from datetime import date, datetime, timedelta

    from jingyuan_desktop.domain.calendar import TZ
    from jingyuan_desktop.domain.clocks import case_clocks
    from jingyuan_desktop.services import derived, setup, stats
    from jingyuan_desktop.services.context import AppContext
    from jingyuan_desktop.services.deadlines import deadlines

    now = datetime(2025, 6, 11, 10, 0, tzinfo=TZ)
    ctx = AppContext(pg, now=lambda: now)
    setup.load_demo(ctx, cases=120, seed=5)
    later = now + timedelta(days=3, hours=8)
    ctx.now = lambda: later
    assert derived.fresh_rules(ctx) is not None
    calendar, settings = ctx.calendar(), ctx.clock_settings()
    with pg.session() as session:
        cases = list(repository.iter_cases(session))
    expected = sorted((c for case in cases for c in case_clocks(case, later, calendar, settings) if c.is_open),
                      key=lambda c: (c.due_at, c.case_no, c.name.value, c.seq))
    assert deadlines(ctx, later) == expected
    assert derived.check(ctx) == []
    summed = stats.statistics(ctx, by="village", start=date(2024, 1, 1), end=date(2025, 12, 31))
    from jingyuan_desktop.domain.statistics import compute_stats

    read = compute_stats(cases, now=later, by="village", start=date(2024, 1, 1), end=date(2025, 12, 31),
                         settings=settings)
    assert [(r.key, r.received, r.resolved, r.satisfaction_rate, r.on_time_arrival_rate) for r in summed] == [
        (r.key, r.received, r.resolved, r.satisfaction_rate, r.on_time_arrival_rate) for r in read]
    # The statistics screen's one pass (cells summed two ways) and the agenda's stored lines
    # (PostgreSQL hands its json over decoded) agree with the timelines here too.
    from jingyuan_desktop.services import figures, meeting

    screen = figures.figures(ctx, date(2024, 1, 1), date(2025, 12, 31))
    week = meeting.current_week(ctx)
    agenda = meeting.build_agenda(ctx, week)
    assert screen.by_village and screen.trend and agenda.transfers
    monkeypatch.setattr(figures, "fresh_rules", lambda ctx: None)
    monkeypatch.setattr(meeting, "fresh_rules", lambda ctx: None)
    read = figures.figures(ctx, date(2024, 1, 1), date(2025, 12, 31))
    assert [(r.key, r.received, r.resolved) for r in screen.trend] == [(r.key, r.received, r.resolved)
                                                                       for r in read.trend]
    assert [(r.key, r.received, r.resolved) for r in screen.by_village] == [(r.key, r.received, r.resolved)
                                                                            for r in read.by_village]
    assert screen.clocks == read.clocks and screen.risks == read.risks
    assert agenda == meeting.build_agenda(ctx, week)


def test_the_overdue_filter_finds_the_same_cases_by_id_on_postgresql(pg):
    """只看超时 on PostgreSQL names the overdue cases by id (case_queries._table_conditions):
    the same count and the same first page as the subquery every backend understands."""
    from datetime import datetime

    from sqlalchemy import func, select

    from jingyuan_desktop.domain.calendar import TZ
    from jingyuan_desktop.services import setup
    from jingyuan_desktop.services.context import AppContext
    from jingyuan_desktop.store.case_queries import case_conditions
    from jingyuan_desktop.store.models import CaseModel

    now = datetime(2025, 6, 11, 10, 0, tzinfo=TZ)
    setup.load_demo(AppContext(pg, now=lambda: now), cases=120, seed=7)
    with pg.session() as session:
        villages = sorted(session.scalars(select(CaseModel.village).distinct()))
        for wanted in (CaseFilter(overdue_at=now), CaseFilter(overdue_at=now, villages=villages[:2])):
            plain = case_conditions(wanted, "postgresql")
            expected = session.scalar(select(func.count(CaseModel.id)).where(*plain))
            first = list(session.scalars(select(CaseModel.case_no).where(*plain)
                                         .order_by(CaseModel.received_at.desc(), CaseModel.id.desc()).limit(10)))
            assert repository.count_cases(session, wanted) == expected > 0
            rows = repository.page_case_rows(session, filters=wanted, order_by="received_at", descending=True,
                                             offset=0, limit=10)
            assert [row.case_no for row in rows] == first


def test_the_stored_search_text_finds_what_the_columns_find_on_postgresql(pg):
    """The stored search text (Latin letters kept small, found with strpos there) against
    ILIKE over each column and the parties: the same cases for what a clerk types."""
    from datetime import datetime

    from jingyuan_desktop.domain.calendar import TZ
    from jingyuan_desktop.services import setup
    from jingyuan_desktop.services.context import AppContext

    now = datetime(2025, 6, 11, 10, 0, tzinfo=TZ)
    setup.load_demo(AppContext(pg, now=lambda: now), cases=80, seed=3)
    with pg.session() as session:
        case = next(c for c in repository.iter_cases(session) if c.parties and c.location)
        party = case.parties[0]
        for word in (case.summary[1:4], case.location[:2], party.name, party.phone[2:7], case.case_no.lower(),
                     case.case_no, "100%", "没有这几个字"):
            def found(stored: bool, word=word) -> tuple[int, list[str]]:
                wanted = CaseFilter(text=word, text_stored=stored)
                rows = repository.page_case_rows(session, filters=wanted, order_by="received_at", descending=True,
                                                 offset=0, limit=200)
                return repository.count_cases(session, wanted), [row.case_no for row in rows]

            assert found(True) == found(False), word

"""The demo town's prevention half (issue 14): grids and beats for every village, a key-person
register with visits, weeks of patrols with a few misses, findings that became cases, one
current warning; the clocks computable from it, the same for the same seed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.enums import ClockState, PersonRole, Source
from jingyuan_desktop.domain.prevention import DutyName, KeyPersonType
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import demo, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.prevention import duties, records
from jingyuan_desktop.store import prevention as store
from jingyuan_desktop.store import repository
from tests.services.conftest import NOW, context_on_copy

CASES = 400


def build(tmp_path_factory, name: str, *, cases: int, seed: int, prevention: bool = True):
    path = tmp_path_factory.mktemp(name) / "demo.db"
    ctx = AppContext.open(str(path), now=lambda: NOW)
    setup.load_demo(ctx, cases=cases, seed=seed, prevention=prevention)
    ctx.db.engine.dispose()
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build(tmp_path_factory, "demo_prevention", cases=CASES, seed=3)


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


def test_every_village_has_grids_with_a_head_and_workers_and_an_officer(ctx):
    town = demo.load_town()
    grids = records.grids(ctx)
    by_village: dict[str, list] = {}
    for grid in grids:
        by_village.setdefault(grid.village, []).append(grid)
    assert set(by_village) == set(town.villages())
    assert all(2 <= len(found) <= 3 for found in by_village.values())
    assert all(g.head and g.workers and g.since for g in grids)
    workers = {w for g in grids for w in g.workers}
    assert {p.name for p in town.with_role(PersonRole.GRID_WORKER)} <= workers
    officers = {p.name for p in town.with_role(PersonRole.OFFICER)}
    beats = records.beats(ctx)
    assert {b.village for b in beats} == set(town.villages()) and {b.officer for b in beats} <= officers


def test_the_register_holds_every_type_with_responsible_persons_and_visits(ctx):
    persons = records.key_persons(ctx)
    assert len(persons) == 15
    assert {p.type for p in persons} >= {t.value for t in KeyPersonType} | {"信访重点人员"}
    assert all(p.responsible and p.measures and p.since for p in persons)
    with ctx.session() as session:
        visits = store.list_visits(session)
    assert {v.key_person_id for v in visits} == {p.id for p in persons}
    assert all(v.at <= NOW for v in visits)


def test_some_findings_became_cases_that_keep_their_grid(ctx):
    linked = [p for p in records.patrols(ctx) if p.case_no]
    assert 1 <= len(linked) <= 3
    for patrol in linked:
        case, _ = case_service.get_case(ctx, patrol.case_no)
        assert case.source in (Source.GRID_REPORT, Source.INFORMANT)
        assert (case.village, case.grid, case.summary) == (patrol.village, patrol.grid, patrol.findings)


def test_the_clocks_show_work_done_some_missed_and_a_warning_s_daily_patrols(ctx):
    shown = duties.current_duties(ctx)
    states = {(d.name, d.state) for d in shown}
    assert {(DutyName.GRID_PATROL, ClockState.OVERDUE), (DutyName.GRID_PATROL, ClockState.PENDING),
            (DutyName.KEY_PERSON_VISIT, ClockState.OVERDUE), (DutyName.KEY_PERSON_VISIT, ClockState.PENDING),
            (DutyName.OFFICER_VISIT, ClockState.PENDING)} <= states
    [warning] = records.warnings(ctx, current_on=local(NOW).date())
    assert warning.daily_patrols and len(warning.villages) == 1 and warning.covers_day(local(NOW).date())
    daily = [d for d in shown if d.daily]
    assert daily and {d.village for d in daily} == set(warning.villages)
    today = local(NOW).date()
    figures = duties.figures(ctx, today - timedelta(weeks=4), today)
    assert 0 < figures.patrol_done < figures.patrol_due
    assert figures.patrol_done / figures.patrol_due > 0.8  # mostly on time
    assert 0 < figures.visits_met <= figures.visits_due
    assert figures.grids and figures.officers


def test_one_audit_row_says_what_the_demo_added(ctx):
    with ctx.session() as session:
        [row] = repository.list_audit(session, entity="prevention")
        counts = store.count_prevention_rows(session)
    assert row.action == "demo"
    assert row.after == {"grids": counts["grids"], "patrols": counts["patrols"], "key_persons": 15}


def prevention_of(path) -> tuple:
    ctx = AppContext.open(str(path), now=lambda: NOW)
    try:
        with ctx.session() as session:
            grids = [(g.key, g.head, g.workers) for g in store.list_grids(session)]
            patrols = [(p.at, p.worker, p.village, p.grid, p.findings, p.case_no) for p in store.list_patrols(session)]
            persons = [(p.name, p.type, p.since) for p in store.list_key_persons(session)]
        return grids, patrols, persons
    finally:
        ctx.db.dispose()


def test_the_same_seed_gives_the_same_prevention_data_and_only_when_asked(tmp_path_factory):
    first = build(tmp_path_factory, "seed_a", cases=0, seed=9)
    second = build(tmp_path_factory, "seed_b", cases=0, seed=9)
    assert prevention_of(first) == prevention_of(second)
    grids, patrols, persons = prevention_of(first)
    assert grids and patrols and len(persons) == 15
    assert {p[-1] for p in patrols} == {None}  # with no cases, no finding became one
    plain = build(tmp_path_factory, "plain", cases=60, seed=9, prevention=False)
    assert prevention_of(plain) == ([], [], [])

"""Stored clocks and figures (issue 12): they agree with the timelines at any later moment,
``check`` finds a tampered copy, a change of rules makes them stale until recomputed, and the
readers give the same answers from the stored rows as from the timelines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.clocks import case_clocks
from jingyuan_desktop.domain.enums import ClockState
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.services import derived, queries
from jingyuan_desktop.services.admin import save_clock_settings, set_calendar_override
from jingyuan_desktop.services.deadlines import deadlines
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.models import CaseClockModel, CaseModel
from tests.services.conftest import NOW, build_template, context_on_copy


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory, "derived", cases=260, seed=7)


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


def at(ctx, moment):
    ctx.now = lambda: moment
    return ctx


def timeline_clocks(ctx, moment):
    """Every open clock at ``moment`` computed from the timelines, as before issue 12."""
    calendar, settings = ctx.calendar(), ctx.clock_settings()
    with ctx.session() as session:
        cases = list(repository.iter_cases(session))
    clocks = [c for case in cases for c in case_clocks(case, moment, calendar, settings) if c.is_open]
    return sorted(clocks, key=lambda c: (c.due_at, c.case_no, c.name.value, c.seq))


LATER = [timedelta(0), timedelta(hours=7), timedelta(days=1, hours=8), timedelta(days=9), timedelta(days=45)]


@pytest.mark.parametrize("later", LATER, ids=lambda d: f"+{d}")
def test_stored_clocks_are_the_timelines_clocks_at_any_later_moment(ctx, later):
    moment = NOW + later
    at(ctx, moment)
    assert derived.fresh_rules(ctx) is not None
    stored = deadlines(ctx, moment)
    assert stored == timeline_clocks(ctx, moment)
    assert any(c.name.value == "progress" for c in stored)  # the continuation is exercised
    assert derived.check(ctx) == []


def test_check_finds_a_tampered_clock_and_fix_repairs_it(ctx):
    with ctx.session() as session:
        row = session.scalars(select(CaseClockModel).where(CaseClockModel.done_at.is_(None)).limit(1)).one()
        case_no = session.get(CaseModel, row.case_id).case_no
        row.due_at = row.due_at + timedelta(hours=5)
        session.execute(update(CaseModel).where(CaseModel.case_no == case_no).values(handler="某某"))
    found = derived.check(ctx)
    assert {d.case_no for d in found} == {case_no}
    assert any(d.what.startswith("时限 ") for d in found) and any(d.what == "统计字段 handler" for d in found)
    derived.recompute(ctx)
    assert derived.check(ctx) == []


def test_a_new_setting_makes_the_copies_stale_and_readers_fall_back_until_recomputed(ctx):
    settings = ctx.clock_settings()
    save_clock_settings(ctx, replace(settings, arrive_minutes=30, office_end=settings.office_end.replace(hour=18)))
    assert derived.fresh_rules(ctx) is None
    moment = NOW + timedelta(days=2)
    at(ctx, moment)
    from_timelines = deadlines(ctx, moment)  # stale: read off the timelines with the new numbers
    assert from_timelines == timeline_clocks(ctx, moment)
    assert any("统计字段" in d.what or "时限" in d.what for d in derived.check(ctx))
    assert derived.ensure_fresh(ctx) == queries.count_cases(ctx, CaseFilter())
    assert derived.fresh_rules(ctx) is not None
    assert deadlines(ctx, moment) == from_timelines
    assert derived.check(ctx) == []
    assert derived.ensure_fresh(ctx) == 0  # nothing more to do


def test_a_calendar_entry_is_a_change_of_rules_too(ctx):
    set_calendar_override(ctx, date(2025, 6, 12), False, "停电")
    assert derived.fresh_rules(ctx) is None
    derived.ensure_fresh(ctx)
    assert derived.check(ctx) == []


def test_overdue_only_pages_the_cases_with_an_overdue_clock(ctx):
    moment = NOW + timedelta(days=1)
    at(ctx, moment)
    expected = {c.case_no for c in timeline_clocks(ctx, moment) if c.state == ClockState.OVERDUE}
    wanted = CaseFilter(overdue_at=moment)
    assert queries.count_cases(ctx, wanted) == len(expected) > 0
    rows = queries.page_cases(ctx, wanted, limit=10_000)
    assert {r.case_no for r in rows} == expected
    # The same answer while the copies are stale (read off the timelines).
    set_calendar_override(ctx, date(2025, 6, 13), False)
    assert derived.fresh_rules(ctx) is None
    expected = {c.case_no for c in timeline_clocks(ctx, moment) if c.state == ClockState.OVERDUE}
    assert {r.case_no for r in queries.page_cases(ctx, wanted, limit=10_000)} == expected


def test_an_upgraded_database_without_copies_is_stale_and_gets_them(ctx):
    with ctx.session() as session:
        session.execute(update(CaseModel).values(clocks_as_of=None))
        session.execute(CaseClockModel.__table__.delete())
        session.execute(select(CaseModel.id).limit(1))
        from jingyuan_desktop.store.models import DerivedStateModel

        session.execute(DerivedStateModel.__table__.delete())
    assert derived.fresh_rules(ctx) is None
    assert any(d.what == "时限" for d in derived.check(ctx))
    derived.ensure_fresh(ctx)
    assert derived.check(ctx) == []
    assert deadlines(ctx, NOW) == timeline_clocks(ctx, NOW)


def test_the_first_case_of_a_new_database_sets_the_rules(tmp_path):
    from jingyuan_desktop.services.context import AppContext

    ctx = AppContext.open(str(tmp_path / "new.db"), now=lambda: NOW.astimezone(TZ))
    try:
        assert derived.fresh_rules(ctx) is not None  # no case: nothing to be stale
        from jingyuan_desktop.services import setup

        setup.load_demo(ctx, cases=20, seed=3)
        assert derived.fresh_rules(ctx) is not None
        assert derived.check(ctx) == []
    finally:
        ctx.db.dispose()


def rows_close(left, right):
    """Rows equal but for the last bits of a float sum, which the database adds in its own order."""
    assert [r.key for r in left] == [r.key for r in right]
    for a, b in zip(left, right, strict=True):
        for name, value in a.to_dict().items():
            expected = b.to_dict()[name]
            if isinstance(expected, float):
                assert value == pytest.approx(expected, rel=1e-9), (a.key, name)
            else:
                assert value == expected, (a.key, name)


@pytest.mark.parametrize("by", [None, "village", "category", "major_category", "handler", "source", "month", "week"])
@pytest.mark.parametrize("later", [timedelta(0), timedelta(days=20)], ids=["now", "+20d"])
def test_figures_summed_by_the_database_are_those_of_the_whole_cases(ctx, monkeypatch, by, later):
    from jingyuan_desktop.services import stats

    at(ctx, NOW + later)
    start, end = date(2024, 1, 1), date(2025, 12, 31)
    summed = stats.statistics(ctx, by=by, start=start, end=end)
    monkeypatch.setattr(stats, "fresh_rules", lambda ctx: None)  # the timeline path
    rows_close(summed, stats.statistics(ctx, by=by, start=start, end=end))
    assert sum(r.received for r in summed) > 200


@pytest.mark.parametrize("start, end", [(date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 3, 10), date(2025, 5, 31))],
                         ids=["half-year by month", "quarter by week"])
def test_the_statistics_screen_summed_by_the_database_is_the_same(ctx, monkeypatch, start, end):
    from jingyuan_desktop.services import figures

    at(ctx, NOW + timedelta(days=3))
    summed = figures.figures(ctx, start, end)
    assert summed.trend_by == ("week" if (end - start).days <= 92 else "month") and len(summed.trend) > 3
    monkeypatch.setattr(figures, "fresh_rules", lambda ctx: None)
    read = figures.figures(ctx, start, end)
    for part in ("by_village", "by_category", "trend", "by_major"):
        rows_close(getattr(summed, part), getattr(read, part))
    rows_close([summed.total], [read.total])
    assert summed.clocks == read.clocks and summed.risks == read.risks
    assert any(rate.overdue for rate in summed.clocks)


@pytest.mark.parametrize("later", [timedelta(0), timedelta(days=4, hours=7)], ids=["now", "+4d"])
def test_the_agenda_of_now_from_the_stored_copies_is_the_one_read_off_every_case(ctx, monkeypatch, later):
    from jingyuan_desktop.services import meeting

    at(ctx, NOW + later)
    week = meeting.current_week(ctx)
    summed = meeting.build_agenda(ctx, week)
    monkeypatch.setattr(meeting, "fresh_rules", lambda ctx: None)
    read = meeting.build_agenda(ctx, week)
    assert summed == read
    assert summed.transfers and summed.difficult and summed.overdue_by_village


def test_the_assessment_of_the_running_year_from_the_stored_copies_is_the_same(ctx, monkeypatch):
    from jingyuan_desktop.services import assessment

    at(ctx, NOW + timedelta(days=2))
    summed = assessment.assess(ctx, NOW.year)
    monkeypatch.setattr(assessment, "fresh_rules", lambda ctx: None)
    read = assessment.assess(ctx, NOW.year)
    assert summed.rows == read.rows and summed.town == read.town and summed.office == read.office
    assert any(row.facts.shirked for row in summed.rows) or summed.town.shirked == 0
    assert summed.office.clocks_judged > 0


def test_a_case_with_an_event_ahead_of_the_moment_asked_is_read_off_its_timeline(ctx):
    from jingyuan_desktop.domain.enums import EventType
    from jingyuan_desktop.domain.model import Event

    case_no = next(c.case_no for c in deadlines(ctx, NOW) if c.name.value == "progress")
    ahead = NOW + timedelta(days=3)
    with ctx.session() as session:
        _case, version = repository.get_case(session, case_no)
        repository.append_event(session, case_no, Event(EventType.PROGRESS, ahead, note="约好三天后再谈"), version,
                                recorded_by="测试", recorded_at=ahead)
    moment = NOW + timedelta(days=1)
    at(ctx, moment)
    assert deadlines(ctx, moment) == timeline_clocks(ctx, moment)
    assert any(c.case_no == case_no for c in deadlines(ctx, moment))


def test_the_agenda_s_stored_lines_follow_a_decision_and_an_event_ahead_of_the_moment(ctx, monkeypatch):
    """A decision of the meeting changes the owner, plan and due date of the stored line; a case
    with an event recorded after the moment is read off its timeline as of the moment."""
    from jingyuan_desktop.domain.enums import EventType
    from jingyuan_desktop.domain.model import Event
    from jingyuan_desktop.services import meeting

    week = meeting.current_week(ctx)
    before = meeting.build_agenda(ctx, week)
    decided, ahead_case = before.difficult[0].case_no, before.difficult[-1].case_no
    meeting.record_decision(ctx, decided, week, "王主任", "请司法所联合调解", date(2026, 12, 15))
    ahead = NOW + timedelta(days=2)
    with ctx.session() as session:
        _case, version = repository.get_case(session, ahead_case)
        repository.append_event(session, ahead_case, Event(EventType.RESOLVED, ahead, note="握手言和"), version,
                                recorded_by="测试", recorded_at=ahead)
    summed = meeting.build_agenda(ctx, week)
    line = next(i for i in summed.difficult if i.case_no == decided)
    assert (line.owner, line.plan, line.due_date) == ("王主任", "请司法所联合调解", "2026-12-15")
    assert line.last_event is not None and line.last_event.type == EventType.MEETING_DECISION
    assert ahead_case in [i.case_no for i in summed.difficult]  # not yet resolved at the moment
    monkeypatch.setattr(meeting, "fresh_rules", lambda ctx: None)
    assert summed == meeting.build_agenda(ctx, week)


def test_check_finds_a_tampered_agenda_line(ctx):
    with ctx.session() as session:
        row = session.scalars(select(CaseModel).where(CaseModel.agenda_watch.is_(True)).limit(1)).one()
        case_no = row.case_no
        session.execute(update(CaseModel).where(CaseModel.id == row.id)
                        .values(agenda_line={**row.agenda_line, "owner": "某某"}))
    found = derived.check(ctx)
    assert [(d.case_no, d.what) for d in found] == [(case_no, "统计字段 agenda_line")]
    derived.recompute(ctx)
    assert derived.check(ctx) == []

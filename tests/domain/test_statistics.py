"""Statistics on a hand-built month; every expected figure is worked out in the comments."""

from datetime import date

import pytest

from jingyuan_desktop.domain.enums import DomainError, EventType, Grade, Satisfaction
from jingyuan_desktop.domain.lifecycle import check_timeline
from jingyuan_desktop.domain.statistics import TOTAL_KEY, StatsAccumulator, compute_stats

from .conftest import build_case, t, visit

E = EventType
S = Satisfaction
NOW = t("2026-11-30 12:00")
NOV = dict(start=date(2026, 11, 1), end=date(2026, 11, 30))


@pytest.fixture
def cases():
    return [
        # A: on time, resolved after 1 h, satisfied, closed.
        build_case("A", "2026-11-02 10:00", steps=[
            (E.DISPATCHED, "2026-11-02 10:02"), (E.ARRIVED, "2026-11-02 10:17"), (E.RESOLVED, "2026-11-02 11:00"),
            visit("2026-11-03 10:00", S.SATISFIED), (E.POLICE_FEEDBACK, "2026-11-04 10:00"),
            (E.ARCHIVED, "2026-11-05 10:00", {"archive_no": "DA-1"})]),
        # B: arrived late, resolved after 24 h, visit refused (no satisfaction answer).
        build_case("B", "2026-11-03 09:00", category="婚姻家庭", steps=[
            (E.DISPATCHED, "2026-11-03 09:03"), (E.ARRIVED, "2026-11-03 09:18:01"),
            (E.RESOLVED, "2026-11-04 09:00"), visit("2026-11-05 10:00", S.REFUSED)]),
        # C: nobody arrived: the arrive clock is overdue at NOW.
        build_case("C", "2026-11-10 10:00", steps=[(E.DISPATCHED, "2026-11-10 10:01")]),
        # D: a 疑难 case resolved after 3 h; the first visit (dissatisfied) counts, not the rolling one.
        build_case("D", "2026-11-12 10:00", village="高南村", grade=Grade.DIFFICULT, steps=[
            (E.DISPATCHED, "2026-11-12 10:01"), (E.ARRIVED, "2026-11-12 10:10"), (E.RESOLVED, "2026-11-12 13:00"),
            visit("2026-11-13 10:00", S.DISSATISFIED),
            (E.RETURN_VISIT, "2026-11-20 10:00", {"satisfaction": S.SATISFIED, "agreement_kept": True})]),
        # E: cancelled: left out everywhere.
        build_case("E", "2026-11-15 10:00", village="高南村", steps=[
            (E.DISPATCHED, "2026-11-15 10:01"), (E.CANCELLED, "2026-11-15 10:20", {"reason": "entered_in_error"})]),
        # F: dispatched five minutes before NOW: arrive clock still pending, not judged.
        build_case("F", "2026-11-30 11:50", village="高南村", steps=[(E.DISPATCHED, "2026-11-30 11:55")]),
        # G: received the evening before the period: outside it.
        build_case("G", "2026-10-31 23:00", village="高南村", steps=[(E.DISPATCHED, "2026-11-02 08:31")]),
        # H: not yet dispatched: every rate but resolution and closure has a zero denominator.
        build_case("H", "2026-11-20 10:00", village="积家村"),
    ]


def test_fixture_timelines_are_valid(cases):
    for case in cases:
        check_timeline(case)


def test_town_totals(cases):
    [row] = compute_stats(cases, now=NOW, **NOV)
    assert row.key == TOTAL_KEY
    assert (row.received, row.resolved) == (6, 3)  # A B C D F H; resolved A B D
    assert row.resolution_rate == pytest.approx(3 / 6)
    assert row.satisfaction_rate == pytest.approx(1 / 2)  # A satisfied, D dissatisfied, B refused
    assert row.return_visit_rate == pytest.approx(3 / 3)
    assert row.on_time_arrival_rate == pytest.approx(2 / 4)  # A, D met; B late; C overdue; F pending
    assert row.closure_rate == pytest.approx(1 / 6)
    assert row.mean_hours_to_resolution == pytest.approx((1 + 24 + 3) / 3)


def test_by_village(cases):
    rows = {r.key: r for r in compute_stats(cases, now=NOW, by="village", **NOV)}
    assert sorted(rows) == sorted(["解营村", "高南村", "积家村"])
    jy, gn, jj = rows["解营村"], rows["高南村"], rows["积家村"]
    assert (jy.received, jy.resolved, jy.resolution_rate) == (3, 2, pytest.approx(2 / 3))
    assert jy.satisfaction_rate == 1.0 and jy.on_time_arrival_rate == pytest.approx(1 / 3)
    assert jy.mean_hours_to_resolution == pytest.approx(12.5)
    assert (gn.received, gn.resolved, gn.satisfaction_rate, gn.on_time_arrival_rate) == (2, 1, 0.0, 1.0)
    assert gn.closure_rate == 0.0
    assert (jj.received, jj.resolution_rate, jj.closure_rate) == (1, 0.0, 0.0)
    assert jj.satisfaction_rate is None and jj.return_visit_rate is None
    assert jj.on_time_arrival_rate is None and jj.mean_hours_to_resolution is None


def test_by_category_month_and_week(cases):
    by_cat = {r.key: r.received for r in compute_stats(cases, now=NOW, by="category", **NOV)}
    assert by_cat == {"邻里纠纷": 5, "婚姻家庭": 1}
    by_month = {r.key: r.received for r in compute_stats(cases, now=NOW, by="month")}
    assert by_month == {"2026-10": 1, "2026-11": 6}
    by_week = {r.key: r.received for r in compute_stats(cases, now=NOW, by="week", **NOV)}
    # 2 Nov 2026 is a Monday of ISO week 45; 30 Nov is the Monday of week 49.
    # A B in W45; C (10th) D (12th) in W46; H (20th) in W47; F in W49.
    assert by_week == {"2026-W45": 2, "2026-W46": 2, "2026-W47": 1, "2026-W49": 1}


def test_reclassified_case_counts_under_its_current_category():
    case = build_case("R", "2026-11-02 10:00", steps=[(E.CLASSIFIED, "2026-11-02 10:01", {"category": "物业管理"})])
    assert [r.key for r in compute_stats([case], now=NOW, by="category")] == ["物业管理"]


def test_empty_period_gives_a_total_row_of_nulls():
    [row] = compute_stats([], now=NOW)
    assert (row.received, row.resolution_rate, row.satisfaction_rate) == (0, None, None)
    assert compute_stats([], now=NOW, by="village") == []


def test_unknown_grouping_is_refused_in_chinese():
    with pytest.raises(DomainError, match="无法按"):
        compute_stats([], now=NOW, by="colour")


def test_one_pass_over_the_cases_gives_every_grouping_as_compute_stats_does(cases):
    groupings = (None, "village", "category", "month", "week")
    accumulator = StatsAccumulator(now=NOW, groupings=groupings, **NOV)
    counted = [accumulator.add(case) for case in cases]
    assert counted.count(True) == 6  # E cancelled and G outside the period are not counted
    for by in groupings:
        assert accumulator.rows(by) == compute_stats(cases, now=NOW, by=by, **NOV)


def test_a_figure_reads_the_same_on_every_screen_and_paper():
    from jingyuan_desktop.domain.statistics import FIGURE_LABELS, StatsRow, figure_text

    assert set(FIGURE_LABELS) == set(StatsRow.__dataclass_fields__) - {"key"}
    assert figure_text("resolution_rate", 5 / 6) == "83.3%"
    assert figure_text("satisfaction_rate", None) == "—"
    assert figure_text("mean_hours_to_resolution", 1.25, unit=True) == "1.2 小时"
    assert figure_text("received", 12, unit=True) == "12 件" and figure_text("received", 12) == "12"

"""The prevention duties at their edges. Calendar used: Monday 16 November 2026 starts ISO
week 47; Sunday 22 November ends it; Monday 26 October starts week 44."""

from datetime import date, datetime, timedelta

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import ClockState
from jingyuan_desktop.domain.prevention import (
    DutyName,
    Grid,
    KeyPerson,
    KeyPersonVisit,
    OfficerBeat,
    Patrol,
    PatrolRole,
    PreventionSettings,
    Warning,
)
from jingyuan_desktop.domain.prevention_clocks import (
    coverage,
    found_first,
    grid_patrol_duties,
    key_person_duties,
    officer_visit_duties,
    on_time,
    open_duties,
    rate_text,
)

S = ClockState
SETTINGS = PreventionSettings()
GRID = Grid("解营村", "一网格", head="王网格", workers=("赵一", "钱二"), since=date(2026, 11, 16))


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def patrol(at: str, *, village="解营村", grid="一网格", worker="王网格", role=PatrolRole.GRID_WORKER) -> Patrol:
    return Patrol(at=t(at), worker=worker, role=role, village=village, grid=grid)


def officer(at: str, *, village="解营村", grid="", worker="李警官") -> Patrol:
    return Patrol(at=t(at), worker=worker, role=PatrolRole.VILLAGE_OFFICER, village=village, grid=grid)


def weekly(duties):
    return [d for d in duties if not d.daily]


def daily(duties):
    return [d for d in duties if d.daily]


def states(duties):
    return [(d.due_at, d.seq, d.state) for d in duties]


# --- grid patrols: the week and its edges -------------------------------------------------------


def test_a_weeks_duty_carries_its_grid_owner_period_and_label():
    [duty] = grid_patrol_duties(GRID, [], [], t("2026-11-18 10:00"), SETTINGS)
    assert duty.name == DutyName.GRID_PATROL
    assert (duty.subject, duty.owner, duty.village) == ("解营村/一网格", "王网格", "解营村")
    assert duty.period_start == date(2026, 11, 16)
    assert duty.due_at == t("2026-11-23 00:00")
    assert duty.due_day == date(2026, 11, 22)
    assert duty.label == "解营村/一网格 第47周巡查（1/1）"
    assert duty.state == S.PENDING and duty.is_open


def test_owner_falls_back_to_first_worker_then_village():
    now = t("2026-11-18 10:00")
    no_head = Grid("解营村", "一网格", workers=("赵一", "钱二"), since=date(2026, 11, 16))
    nobody = Grid("解营村", "一网格", since=date(2026, 11, 16))
    assert grid_patrol_duties(no_head, [], [], now, SETTINGS)[0].owner == "赵一"
    assert grid_patrol_duties(nobody, [], [], now, SETTINGS)[0].owner == "解营村"


def test_patrol_at_sunday_235959_counts_for_that_week():
    duties = grid_patrol_duties(GRID, [patrol("2026-11-22 23:59:59")], [], t("2026-11-23 12:00"), SETTINGS)
    assert states(duties) == [(t("2026-11-23 00:00"), 1, S.MET), (t("2026-11-30 00:00"), 1, S.PENDING)]
    assert duties[0].done_at == t("2026-11-22 23:59:59")
    assert not duties[0].is_open


def test_patrol_at_monday_midnight_exactly_at_due_counts_for_the_next_week():
    duties = grid_patrol_duties(GRID, [patrol("2026-11-23 00:00:00")], [], t("2026-11-23 12:00"), SETTINGS)
    assert states(duties) == [(t("2026-11-23 00:00"), 1, S.OVERDUE), (t("2026-11-30 00:00"), 1, S.MET)]
    assert duties[0].done_at is None
    assert duties[1].done_at == t("2026-11-23 00:00")


def test_a_week_without_patrol_is_pending_until_its_due_time_then_overdue():
    before = grid_patrol_duties(GRID, [], [], t("2026-11-22 23:59:59"), SETTINGS)
    assert states(before) == [(t("2026-11-23 00:00"), 1, S.PENDING)]
    at_due = grid_patrol_duties(GRID, [], [], t("2026-11-23 00:00"), SETTINGS)
    assert states(at_due) == [(t("2026-11-23 00:00"), 1, S.OVERDUE), (t("2026-11-30 00:00"), 1, S.PENDING)]


def test_weekends_count_a_saturday_patrol_does_the_week():
    duties = grid_patrol_duties(GRID, [patrol("2026-11-21 15:00")], [], t("2026-11-25 09:00"), SETTINGS)
    assert duties[0].state == S.MET


def test_grid_since_mid_week_starts_that_week_from_since_and_ignores_earlier_patrols():
    grid = Grid("解营村", "一网格", head="王网格", since=date(2026, 11, 18))
    early = grid_patrol_duties(grid, [patrol("2026-11-17 10:00")], [], t("2026-11-23 09:00"), SETTINGS)
    assert early[0].period_start == date(2026, 11, 18)
    assert early[0].due_at == t("2026-11-23 00:00")
    assert early[0].state == S.OVERDUE  # Tuesday's patrol came before the clock started
    later = grid_patrol_duties(grid, [patrol("2026-11-19 10:00")], [], t("2026-11-23 09:00"), SETTINGS)
    assert later[0].state == S.MET
    assert later[1].period_start == date(2026, 11, 23)


def test_no_duty_before_the_grid_exists():
    grid = Grid("解营村", "一网格", since=date(2026, 12, 1))
    assert grid_patrol_duties(grid, [], [], t("2026-11-25 09:00"), SETTINGS) == []


def test_two_patrols_a_week_each_done_by_the_nth_patrol_by_time():
    two = PreventionSettings(grid_patrols_per_week=2)
    patrols = [patrol("2026-11-20 10:00"), patrol("2026-11-17 10:00")]  # out of order on purpose
    duties = weekly(grid_patrol_duties(GRID, patrols, [], t("2026-11-23 09:00"), two))
    assert [(d.seq, d.state, d.done_at) for d in duties[:2]] == [
        (1, S.MET, t("2026-11-17 10:00")),
        (2, S.MET, t("2026-11-20 10:00")),
    ]
    assert duties[1].label == "解营村/一网格 第47周巡查（2/2）"
    one = weekly(grid_patrol_duties(GRID, patrols[1:], [], t("2026-11-23 09:00"), two))
    assert [(d.seq, d.state) for d in one[:2]] == [(1, S.MET), (2, S.OVERDUE)]


def test_only_patrols_of_that_grid_count():
    others = [
        patrol("2026-11-17 10:00", grid="二网格"),
        patrol("2026-11-17 10:00", village="高南村"),  # a grid of the same name in another village
        officer("2026-11-18 10:00"),  # an officer's village visit names no grid
    ]
    duties = grid_patrol_duties(GRID, others, [], t("2026-11-23 09:00"), SETTINGS)
    assert duties[0].state == S.OVERDUE


def test_anyone_may_patrol_a_grid():
    duties = grid_patrol_duties(GRID, [officer("2026-11-18 10:00", grid="一网格")], [], t("2026-11-23 09:00"),
                                SETTINGS)
    assert duties[0].state == S.MET


def test_patrols_after_now_are_ignored():
    now = t("2026-11-20 10:00")
    duties = grid_patrol_duties(GRID, [patrol("2026-11-20 10:00:01")], [], now, SETTINGS)
    assert duties[0].state == S.PENDING and duties[0].done_at is None
    assert grid_patrol_duties(GRID, [patrol("2026-11-20 10:00")], [], now, SETTINGS)[0].state == S.MET


def test_without_since_or_start_weeks_begin_at_the_first_patrol_else_now():
    grid = Grid("解营村", "一网格")
    duties = grid_patrol_duties(grid, [patrol("2026-11-04 10:00")], [], t("2026-11-18 09:00"), SETTINGS)
    assert [d.due_at for d in duties] == [t("2026-11-09 00:00"), t("2026-11-16 00:00"), t("2026-11-23 00:00")]
    assert [d.state for d in duties] == [S.MET, S.OVERDUE, S.PENDING]
    alone = grid_patrol_duties(grid, [], [], t("2026-11-18 09:00"), SETTINGS)
    assert [d.due_at for d in alone] == [t("2026-11-23 00:00")]


def test_start_limits_weeks_but_never_goes_before_since():
    grid = Grid("解营村", "一网格", since=date(2026, 10, 26))
    duties = grid_patrol_duties(grid, [], [], t("2026-11-18 09:00"), SETTINGS, start=date(2026, 11, 11))
    assert [d.due_at for d in duties] == [t("2026-11-16 00:00"), t("2026-11-23 00:00")]
    assert duties[0].period_start == date(2026, 11, 9)
    early = grid_patrol_duties(GRID, [], [], t("2026-11-18 09:00"), SETTINGS, start=date(2026, 11, 1))
    assert [d.due_at for d in early] == [t("2026-11-23 00:00")]


# --- warnings with daily patrols -----------------------------------------------------------------


def warning(starts: date, ends: date, **kw) -> Warning:
    return Warning(starts=starts, ends=ends, text="敏感时期", daily_patrols=kw.pop("daily", True), **kw)


WARN = warning(date(2026, 11, 18), date(2026, 11, 20), villages=("解营村",))


def test_daily_duties_cover_the_warnings_first_and_last_days_inclusive():
    duties = daily(grid_patrol_duties(GRID, [], [WARN], t("2026-11-25 09:00"), SETTINGS))
    assert [d.period_start for d in duties] == [date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)]
    assert [d.due_at for d in duties] == [t("2026-11-19 00:00"), t("2026-11-20 00:00"), t("2026-11-21 00:00")]
    assert all(d.state == S.OVERDUE and d.seq == 1 for d in duties)
    assert duties[0].label == "解营村/一网格 11月18日每日巡查（预警期间）"
    assert len(weekly(grid_patrol_duties(GRID, [], [WARN], t("2026-11-25 09:00"), SETTINGS))) == 2


def test_a_days_duty_is_done_by_that_days_patrol_only():
    patrols = [patrol("2026-11-18 23:59:59"), patrol("2026-11-20 00:00")]
    duties = daily(grid_patrol_duties(GRID, patrols, [WARN], t("2026-11-25 09:00"), SETTINGS))
    assert [d.state for d in duties] == [S.MET, S.OVERDUE, S.MET]
    assert duties[2].done_at == t("2026-11-20 00:00")


def test_daily_duties_stop_at_todays_and_today_is_pending():
    duties = daily(grid_patrol_duties(GRID, [], [WARN], t("2026-11-19 10:00"), SETTINGS))
    assert [(d.period_start, d.state) for d in duties] == [(date(2026, 11, 18), S.OVERDUE),
                                                           (date(2026, 11, 19), S.PENDING)]


@pytest.mark.parametrize(
    "warn, applies",
    [
        (warning(date(2026, 11, 18), date(2026, 11, 18), villages=("高南村",)), False),
        (warning(date(2026, 11, 18), date(2026, 11, 18)), True),  # no village named: the whole town
        (warning(date(2026, 11, 18), date(2026, 11, 18), grids=("解营村/一网格",)), True),
        (warning(date(2026, 11, 18), date(2026, 11, 18), grids=("解营村/二网格",)), False),
        (warning(date(2026, 11, 18), date(2026, 11, 18), daily=False), False),
    ],
)
def test_which_warnings_make_a_grid_daily(warn, applies):
    duties = daily(grid_patrol_duties(GRID, [], [warn], t("2026-11-25 09:00"), SETTINGS))
    assert len(duties) == (1 if applies else 0)


def test_overlapping_warnings_give_one_duty_a_day():
    second = warning(date(2026, 11, 19), date(2026, 11, 21))
    duties = daily(grid_patrol_duties(GRID, [], [WARN, second], t("2026-11-25 09:00"), SETTINGS))
    assert [d.period_start for d in duties] == [date(2026, 11, d) for d in (18, 19, 20, 21)]


def test_no_daily_duty_before_the_grid_exists():
    grid = Grid("解营村", "一网格", since=date(2026, 11, 19))
    duties = daily(grid_patrol_duties(grid, [], [WARN], t("2026-11-25 09:00"), SETTINGS))
    assert [d.period_start for d in duties] == [date(2026, 11, 19), date(2026, 11, 20)]


# --- village officer visits ----------------------------------------------------------------------

BEAT = OfficerBeat("李警官", "解营村", since=date(2026, 11, 16))


def test_officer_needs_two_visits_a_week_one_leaves_the_second_overdue():
    duties = officer_visit_duties(BEAT, [officer("2026-11-18 10:00")], [], t("2026-11-23 09:00"), SETTINGS)
    assert [(d.seq, d.state) for d in duties[:2]] == [(1, S.MET), (2, S.OVERDUE)]
    assert (duties[0].subject, duties[0].owner, duties[0].name) == ("李警官|解营村", "李警官", DutyName.OFFICER_VISIT)
    assert duties[1].label == "李警官 解营村 第47周进村走访（2/2）"


def test_officer_visits_count_in_any_grid_of_his_village_and_only_his_own():
    visits = [
        officer("2026-11-17 10:00", grid="二网格"),
        officer("2026-11-19 10:00"),
        officer("2026-11-18 10:00", village="高南村"),  # another village
        officer("2026-11-18 11:00", worker="张警官"),  # another officer
        patrol("2026-11-18 12:00", worker="李警官"),  # written as a grid worker's patrol
    ]
    duties = officer_visit_duties(BEAT, visits, [], t("2026-11-23 09:00"), SETTINGS)
    assert [d.done_at for d in duties[:2]] == [t("2026-11-17 10:00"), t("2026-11-19 10:00")]


def test_officer_is_daily_when_a_warning_reaches_any_grid_of_his_village():
    warn = warning(date(2026, 11, 18), date(2026, 11, 18), grids=("解营村/二网格",))
    duties = daily(officer_visit_duties(BEAT, [officer("2026-11-18 10:00")], [warn], t("2026-11-25 09:00"), SETTINGS))
    assert [(d.period_start, d.state) for d in duties] == [(date(2026, 11, 18), S.MET)]
    other = warning(date(2026, 11, 18), date(2026, 11, 18), villages=("高南村",))
    assert daily(officer_visit_duties(BEAT, [], [other], t("2026-11-25 09:00"), SETTINGS)) == []


# --- key persons ---------------------------------------------------------------------------------


def person(**kw) -> KeyPerson:
    base = {"citizen_id": 1, "name": "张某", "type": "community_correction", "responsible": "周调解",
            "since": date(2026, 11, 2), "village": "解营村", "id": 7}
    base.update(kw)
    return KeyPerson(**base)


def kv(at: str, key_person_id: int = 7) -> KeyPersonVisit:
    return KeyPersonVisit(key_person_id=key_person_id, at=t(at), by="周调解")


def test_visit_on_the_due_day_is_met_and_the_next_counts_from_it():
    duties = key_person_duties(person(), [kv("2026-11-09 18:00")], t("2026-11-12 09:00"), SETTINGS)
    assert [(d.seq, d.due_at, d.state) for d in duties] == [
        (1, t("2026-11-10 00:00"), S.MET),
        (2, t("2026-11-17 00:00"), S.PENDING),
    ]
    assert duties[1].period_start == date(2026, 11, 10)
    assert (duties[0].owner, duties[0].village, duties[0].subject) == ("周调解", "解营村", "7")
    assert duties[0].label == "张某 重点人员走访"


def test_visit_exactly_at_the_due_time_is_met():
    duties = key_person_duties(person(), [kv("2026-11-10 00:00")], t("2026-11-12 09:00"), SETTINGS)
    assert duties[0].state == S.MET


def test_visit_a_day_late_is_late_and_the_next_counts_from_that_day():
    duties = key_person_duties(person(), [kv("2026-11-10 09:00")], t("2026-11-12 09:00"), SETTINGS)
    assert [(d.due_at, d.state) for d in duties] == [(t("2026-11-10 00:00"), S.LATE),
                                                     (t("2026-11-18 00:00"), S.PENDING)]


def test_never_visited_gives_one_overdue_duty_and_no_more():
    duties = key_person_duties(person(), [], t("2026-12-20 09:00"), SETTINGS)
    assert [(d.due_at, d.state) for d in duties] == [(t("2026-11-10 00:00"), S.OVERDUE)]
    assert key_person_duties(person(), [], t("2026-11-09 23:59"), SETTINGS)[0].state == S.PENDING


def test_visits_before_since_after_now_or_of_another_person_do_not_count():
    visits = [kv("2026-11-01 23:59:59"), kv("2026-11-05 10:00", key_person_id=8), kv("2026-11-06 10:00")]
    duties = key_person_duties(person(), visits, t("2026-11-06 09:00"), SETTINGS)
    assert [(d.state, d.done_at) for d in duties] == [(S.PENDING, None)]
    on_since = key_person_duties(person(), [kv("2026-11-02 00:00")], t("2026-11-06 09:00"), SETTINGS)
    assert on_since[0].state == S.MET


def test_a_visit_entered_twice_counts_once_and_a_visit_at_now_counts():
    now = t("2026-11-06 09:00")
    duties = key_person_duties(person(), [kv("2026-11-05 10:00"), kv("2026-11-05 10:00"), kv("2026-11-06 09:00")],
                               now, SETTINGS)
    assert [(d.seq, d.done_at) for d in duties] == [
        (1, t("2026-11-05 10:00")),
        (2, t("2026-11-06 09:00")),
        (3, None),
    ]


def test_a_second_visit_the_same_day_does_the_next_duty():
    visits = [kv("2026-11-05 10:00"), kv("2026-11-05 15:00")]
    duties = key_person_duties(person(), visits, t("2026-11-06 09:00"), SETTINGS)
    assert [(d.seq, d.state, d.done_at) for d in duties] == [
        (1, S.MET, t("2026-11-05 10:00")),
        (2, S.MET, t("2026-11-05 15:00")),
        (3, S.PENDING, None),
    ]
    assert duties[2].due_at == t("2026-11-13 00:00")


@pytest.mark.parametrize(
    "fields, settings, due",
    [
        ({"visit_days": 3, "type": "released"}, SETTINGS, "2026-11-06 00:00"),  # the person's own cycle
        ({"type": "released"}, SETTINGS, "2026-12-03 00:00"),  # the type's default: 30 days
        ({"type": "extreme_threat"}, SETTINGS, "2026-11-06 00:00"),  # 3 days
        ({"type": "邪教人员"}, PreventionSettings(other_visit_days=10), "2026-11-13 00:00"),  # office's own type
        ({"type": "released"}, PreventionSettings(visit_days={"released": 20}), "2026-11-23 00:00"),
    ],
)
def test_the_cycle_length(fields, settings, due):
    duties = key_person_duties(person(**fields), [], t("2026-11-03 09:00"), settings)
    assert duties[0].due_at == t(due)


def test_without_since_the_first_visit_anchors_the_cycle():
    duties = key_person_duties(person(since=None), [kv("2026-11-04 10:00")], t("2026-11-06 09:00"), SETTINGS)
    assert [(d.period_start, d.due_at, d.state) for d in duties] == [
        (date(2026, 11, 5), t("2026-11-12 00:00"), S.PENDING),
    ]  # the visit that put him on record answers no duty of its own
    later = key_person_duties(person(since=None), [kv("2026-11-04 10:00"), kv("2026-11-13 10:00")],
                              t("2026-11-14 09:00"), SETTINGS)
    assert [(d.due_at, d.state) for d in later] == [(t("2026-11-12 00:00"), S.LATE),
                                                    (t("2026-11-21 00:00"), S.PENDING)]
    fresh = key_person_duties(person(since=None), [], t("2026-11-06 09:00"), SETTINGS)
    assert [(d.period_start, d.due_at) for d in fresh] == [(date(2026, 11, 6), t("2026-11-14 00:00"))]


def test_ended_entry_owes_nothing_after_it_left():
    visit = [kv("2026-11-09 10:00")]
    left_before_due = key_person_duties(person(ended=date(2026, 11, 12)), visit, t("2026-12-20 09:00"), SETTINGS)
    assert [d.state for d in left_before_due] == [S.MET]
    left_on_due_day = key_person_duties(person(ended=date(2026, 11, 16)), visit, t("2026-12-20 09:00"), SETTINGS)
    assert [d.state for d in left_on_due_day] == [S.MET]
    left_after_miss = key_person_duties(person(ended=date(2026, 11, 17)), visit, t("2026-12-20 09:00"), SETTINGS)
    assert [(d.due_at, d.state) for d in left_after_miss] == [(t("2026-11-10 00:00"), S.MET),
                                                              (t("2026-11-17 00:00"), S.OVERDUE)]


def test_ended_entry_ignores_visits_after_it_and_starts_no_cycle_after_it():
    after_end = [kv("2026-11-09 10:00"), kv("2026-11-14 10:00")]
    duties = key_person_duties(person(ended=date(2026, 11, 12)), after_end, t("2026-12-20 09:00"), SETTINGS)
    assert [d.done_at for d in duties] == [t("2026-11-09 10:00")]
    twice_on_last_day = [kv("2026-11-09 10:00"), kv("2026-11-09 16:00")]
    last_day = key_person_duties(person(ended=date(2026, 11, 9)), twice_on_last_day, t("2026-12-20 09:00"), SETTINGS)
    assert [d.done_at for d in last_day] == [t("2026-11-09 10:00")]  # no cycle starts on the 10th
    before_since = key_person_duties(person(ended=date(2026, 11, 1)), [], t("2026-12-20 09:00"), SETTINGS)
    assert before_since == []


def test_start_keeps_duties_due_on_or_after_it():
    visits = [kv("2026-11-05 10:00"), kv("2026-11-12 10:00")]
    duties = key_person_duties(person(), visits, t("2026-11-13 09:00"), SETTINGS, start=date(2026, 11, 12))
    assert [d.due_day for d in duties] == [date(2026, 11, 12), date(2026, 11, 19)]


# --- the timer panel -----------------------------------------------------------------------------


def test_open_duties_show_pending_and_overdue_within_the_lookback_sorted():
    grid = Grid("解营村", "一网格", since=date(2026, 10, 26))
    now = t("2026-11-30 00:00")
    duties = grid_patrol_duties(grid, [patrol("2026-11-18 10:00")], [], now, SETTINGS)
    assert len(duties) == 6
    shown = open_duties(list(reversed(duties)), now, SETTINGS)
    assert [(d.due_at, d.state) for d in shown] == [
        (t("2026-11-09 00:00"), S.OVERDUE),
        (t("2026-11-16 00:00"), S.OVERDUE),
        (t("2026-11-30 00:00"), S.OVERDUE),
        (t("2026-12-07 00:00"), S.PENDING),
    ]  # due 2 November is exactly four weeks ago: gone; the week of 16 November was met
    one_week = open_duties(duties, now, PreventionSettings(overdue_lookback_weeks=1))
    assert [d.due_at for d in one_week] == [t("2026-11-30 00:00"), t("2026-12-07 00:00")]
    none_past = open_duties(duties, now, PreventionSettings(overdue_lookback_weeks=0))
    assert [(d.due_at, d.state) for d in none_past] == [(t("2026-12-07 00:00"), S.PENDING)]


def test_open_duties_lookback_edge_by_one_microsecond():
    grid = Grid("解营村", "一网格", since=date(2026, 10, 26))
    now = t("2026-11-30 00:00") - timedelta(microseconds=1)
    duties = grid_patrol_duties(grid, [], [], now, SETTINGS)
    shown = open_duties(duties, now, SETTINGS)
    assert shown[0].due_at == t("2026-11-02 00:00")  # four weeks less a microsecond ago: still shown


# --- figures -------------------------------------------------------------------------------------


def test_coverage_counts_duties_by_their_due_day_at_the_range_edges():
    now = t("2026-11-25 09:00")
    duties = grid_patrol_duties(Grid("解营村", "一网格", since=date(2026, 11, 9)), [patrol("2026-11-18 10:00")],
                                [], now, SETTINGS)
    # due days: Sunday 15 (missed), Sunday 22 (met), Sunday 29 (pending)
    assert coverage(duties, date(2026, 11, 15), date(2026, 11, 22), now) == (1, 2)
    assert coverage(duties, date(2026, 11, 16), date(2026, 11, 22), now) == (1, 1)
    assert coverage(duties, date(2026, 11, 9), date(2026, 11, 21), now) == (0, 1)
    assert coverage(duties, date(2026, 11, 23), date(2026, 11, 30), now) == (0, 0)  # pending is no miss yet


def test_coverage_counts_a_done_duty_before_its_due_and_daily_duties_too():
    now = t("2026-11-19 10:00")
    warn = warning(date(2026, 11, 18), date(2026, 11, 18))
    duties = grid_patrol_duties(GRID, [patrol("2026-11-17 10:00")], [warn], now, SETTINGS)
    assert coverage(duties, date(2026, 11, 16), date(2026, 11, 22), now) == (1, 2)  # week done + 18th missed


def test_coverage_and_on_time_each_read_their_own_duties():
    now = t("2026-11-25 09:00")
    patrols = grid_patrol_duties(GRID, [], [], now, SETTINGS)
    visits = key_person_duties(person(), [kv("2026-11-09 10:00"), kv("2026-11-17 10:00")], now, SETTINGS)
    mixed = patrols + visits
    assert coverage(mixed, date(2026, 11, 1), date(2026, 11, 30), now) == (0, 1)
    assert on_time(mixed, date(2026, 11, 1), date(2026, 11, 30), now) == (1, 3)  # met, late, overdue


def test_on_time_range_edges_follow_the_due_day():
    now = t("2026-11-25 09:00")
    duties = key_person_duties(person(), [kv("2026-11-09 10:00")], now, SETTINGS)  # due days 9 (met), 16 (missed)
    assert on_time(duties, date(2026, 11, 9), date(2026, 11, 9), now) == (1, 1)
    assert on_time(duties, date(2026, 11, 10), date(2026, 11, 16), now) == (0, 1)
    assert on_time(duties, date(2026, 11, 17), date(2026, 11, 30), now) == (0, 0)


def test_found_first_reads_codes_or_labels_and_skips_the_total_row():
    assert found_first({"grid_report": 3, "informant": 2, "police_transfer": 15}) == (5, 20)
    assert found_first({"网格员摸排": 1, "派出所转交": 3, "合计": 4}) == (1, 4)
    assert found_first({}) == (0, 0)


def test_rate_text_is_the_house_percent():
    assert rate_text(3, 4) == "75.0%"
    assert rate_text(0, 0) == "—"

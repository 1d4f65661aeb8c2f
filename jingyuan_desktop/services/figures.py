"""The numbers behind the statistics screen and the projection.

Every figure that `jingyuan stats` also prints (received, resolution rate, satisfaction rate,
on-time arrival...) is tallied by the same code as ``services.stats.statistics``
(``domain.statistics.StatsAccumulator``), so the charts and the command line cannot disagree.
The clock on-time rates and the risk counts are defined here:

- on-time rate of a clock = met / (met + late + overdue) over every clock of that kind of the
  period's cases (received in the period, cancelled cases left out as in the statistics), as
  of now; clocks still pending are not judged yet and count in neither part; None when none
  is judged;
- risk counts = cases received in the period by their current risk colour (seed 003: blue once
  resolved; void cases and unclassified ones left out).
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from operator import add

from jingyuan_desktop.domain.clocks import case_clocks
from jingyuan_desktop.domain.enums import ClockName, ClockState, Risk
from jingyuan_desktop.domain.lifecycle import current_risk
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.domain.statistics import TOTAL_KEY, FigureTally, StatsAccumulator, StatsRow
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.derived import fresh_rules, scope_conditions
from jingyuan_desktop.services.progress import ProgressCallback, Tally
from jingyuan_desktop.services.stats import GROUP_COLUMNS, key_label, period_bounds, received_months, summed_rows
from jingyuan_desktop.store import derived as store_derived
from jingyuan_desktop.store import figure_queries, repository
from jingyuan_desktop.store.models import CaseModel

PERIODS = {"week": "本周", "month": "本月", "quarter": "本季", "year": "本年", "custom": "自定义"}


def period_dates(kind: str, today: date, start: date | None = None, end: date | None = None) -> tuple[date, date]:
    """First and last local date of 本周/本月/本季/本年 containing ``today``, or [start, end] for custom."""
    if kind == "week":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    if kind == "month":
        first = today.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if kind == "quarter":
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        return first, (first + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    if kind == "year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    if kind == "custom":
        if start is None or end is None:
            raise ServiceError("自定义时段须填写开始和结束日期")
        if start > end:
            raise ServiceError("开始日期不能晚于结束日期")
        return start, end
    raise ServiceError(f"未知的时段“{kind}”")


@dataclass(frozen=True)
class ClockRate:
    name: ClockName
    met: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    @property
    def judged(self) -> int:
        return self.met + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        return self.met / self.judged if self.judged else None


@dataclass
class Figures:
    """Everything the statistics screen draws for one period."""

    start: date
    end: date
    trend_by: str
    total: StatsRow
    by_village: list[StatsRow]
    by_category: list[StatsRow]
    trend: list[StatsRow]
    clocks: list[ClockRate] = field(default_factory=list)
    risks: dict[Risk, int] = field(default_factory=dict)
    by_major: list[StatsRow] = field(default_factory=list)  # seed 002's 4大类12小类: the major classes


def trend_grouping(start: date, end: date) -> str:
    """By week for up to about three months, by month beyond: a readable number of points."""
    return "week" if (end - start).days <= 92 else "month"


def figures(ctx: AppContext, start: date, end: date, *, trend_by: str | None = None,
            progress: ProgressCallback | None = None) -> Figures:
    """All figures of [start, end]. The StatsRow parts are what ``statistics()`` computes (the
    same tallies on the same cases), but the period's cases are streamed once for every
    grouping, the clock rates and the risk counts: at 100,000 cases reading is most of the cost,
    and no case is held after it is counted. ``progress(done, total)`` is told as they go."""
    trend_by = trend_by or trend_grouping(start, end)
    trend_key = "week" if trend_by == "week" else "month"
    rules = fresh_rules(ctx)
    if rules is not None:
        return _summed_figures(ctx, start, end, trend_by, trend_key, rules, progress)
    now, calendar, settings = ctx.now(), ctx.calendar(), ctx.clock_settings()
    low, high = period_bounds(start, end)
    counts: dict = defaultdict(Counter)
    risks: Counter = Counter()
    with ctx.session() as session:
        tree = repository.category_tree(session)
        accumulator = StatsAccumulator(now=now, groupings=(None, "village", "category", "major_category", trend_key),
                                       start=start, end=end, settings=settings, major_of=tree.major_of)
        tally = Tally(progress, repository.count_cases(session, CaseFilter(received_from=low, received_to=high)))
        for case in repository.iter_cases(session, received_from=low, received_to=high):
            tally.step()
            if not ctx.sees(case) or not accumulator.add(case):
                continue  # outside the local dates, or cancelled: neither counted nor clocked
            for clock in case_clocks(case, now, calendar, settings):
                counts[clock.name][clock.state] += 1
            colour = current_risk(case, now)
            if colour is not None:  # an unclassified case has no colour yet
                risks[colour] += 1
    tally.finish()
    result = Figures(start=start, end=end, trend_by=trend_by, total=accumulator.rows(None)[0],
                     by_village=accumulator.rows("village"), by_category=accumulator.rows("category"),
                     trend=accumulator.rows(trend_key), by_major=accumulator.rows("major_category"))
    result.clocks = [ClockRate(name, c[ClockState.MET], c[ClockState.LATE], c[ClockState.OVERDUE],
                               c[ClockState.PENDING]) for name in ClockName if (c := counts.get(name))]
    result.risks = {risk: risks[risk] for risk in (Risk.RED, Risk.YELLOW, Risk.BLUE)}
    return result


def _summed_figures(ctx: AppContext, start: date, end: date, trend_by: str, trend_key: str, rules,
                    progress: ProgressCallback | None = None) -> Figures:
    """``figures`` summed by the database: a GROUP BY over the stored figure columns by village,
    category and colour (with the done clocks' counts) added up here into every grouping, one
    by trend period, and one over the open clock rows; the progress clocks grown since the
    cases' last change are added from their continuations."""
    now = ctx.now()
    low, high = period_bounds(start, end)
    conditions = scope_conditions(ctx, CaseFilter(received_from=low, received_to=high))
    risks = Counter[Risk]()
    done_columns = figure_queries.done_clock_columns()
    sums: dict[tuple[str, str], list[int]] = {}
    with ctx.session() as session:
        # A few queries, not a stream: the bar goes from none to all of the period's cases.
        bar = Tally(progress, repository.count_cases(session, CaseFilter(received_from=low, received_to=high)))
        tree = repository.category_tree(session)
        major_of = functools.cache(partial(key_label, "major_category", major_of=tree.major_of))
        keys = [CaseModel.village, CaseModel.category, CaseModel.risk]
        # Each group's sums (the tally's, then the done clocks') added up into every grouping
        # as plain lists: a thousand groups, four groupings.
        # One pass over the period's cases: cells by these keys and the trend period, summed
        # both ways by the database.
        grouped, trended = figure_queries.summed_with_trend(session, [*conditions, *received_months(start, end)], keys,
                                                            GROUP_COLUMNS[trend_key], now, done_columns.values())
        for (village, category, risk), group in grouped:
            for target in (("", TOTAL_KEY), ("village", village), ("category", category),
                           ("major_category", major_of(category))):
                found = sums.get(target)
                sums[target] = group if found is None else list(map(add, found, group))
            if risk:  # an unclassified case has no colour yet
                risks[Risk(risk)] += group[0]  # received
        trend = {period: figure_queries.tally_of(group) for period, group in trended}
        counts = Counter(dict(zip(done_columns, sums.get(("", TOTAL_KEY), [])[len(figure_queries.TALLY_FIELDS):],
                                  strict=False)))
        counts.update(figure_queries.open_clock_counts(session, conditions, now))
        counts.update((clock.name, clock.state)
                      for clock in store_derived.grown_clocks(session, [CaseModel.void.is_(False), *conditions], now,
                                                              rules))
    bar.finish()
    groups: dict[str, dict[str, FigureTally]] = {"": {}, "village": {}, "category": {}, "major_category": {}}
    for (by, key), group in sums.items():
        groups[by][key] = figure_queries.tally_of(group)
    total = groups[""].get(TOTAL_KEY, FigureTally())
    result = Figures(start=start, end=end, trend_by=trend_by, total=total.row(TOTAL_KEY),
                     by_village=summed_rows(groups["village"], "village"),
                     by_category=summed_rows(groups["category"], "category"),
                     trend=summed_rows(trend, trend_key),
                     by_major=summed_rows(groups["major_category"], "major_category"))
    result.clocks = [ClockRate(name, counts[name, ClockState.MET], counts[name, ClockState.LATE],
                               counts[name, ClockState.OVERDUE], counts[name, ClockState.PENDING])
                     for name in ClockName if any(counts[name, state] for state in ClockState)]
    result.risks = {risk: risks[risk] for risk in (Risk.RED, Risk.YELLOW, Risk.BLUE)}
    return result

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

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from jingyuan_desktop.domain.clocks import case_clocks
from jingyuan_desktop.domain.enums import ClockName, ClockState, Risk
from jingyuan_desktop.domain.lifecycle import current_risk
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.domain.statistics import StatsAccumulator, StatsRow
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.progress import ProgressCallback, Tally
from jingyuan_desktop.services.stats import period_bounds
from jingyuan_desktop.store import repository

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

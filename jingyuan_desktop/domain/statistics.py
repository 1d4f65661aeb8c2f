"""The figures the office is judged by, exactly as defined in the foundation issue.

The period is by ``received_at``; cases cancelled as a duplicate or an entry in error are left
out of every figure (a case cancelled as not the office's remit, or handed back to the police,
was received and ended, but not resolved); a rate whose denominator is zero is None. Cases
stream through an accumulator, so years of cases never need to be in memory at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import ClockState, DomainError, EventType, Outcome, Satisfaction
from jingyuan_desktop.domain.lifecycle import classification_at, is_void, resolution
from jingyuan_desktop.domain.model import Case, Event

E = EventType
TOTAL_KEY = "合计"
OTHER_KEY = "其他"
NO_HANDLER = "未交办"
GROUPINGS = ("village", "category", "major_category", "handler", "source", "month", "week", "grid")
GROUPING_LABELS = {"village": "村（社区）", "category": "类别", "major_category": "大类", "handler": "带队负责人",
                   "source": "来源", "month": "月份", "week": "周",
                   "grid": "网格"}
POSITIVE = frozenset({Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED})
ANSWERED = POSITIVE | {Satisfaction.DISSATISFIED}


@dataclass(frozen=True)
class StatsRow:
    key: str
    received: int
    resolved: int
    resolution_rate: float | None
    satisfaction_rate: float | None
    return_visit_rate: float | None
    on_time_arrival_rate: float | None
    closure_rate: float | None
    mean_hours_to_resolution: float | None
    on_site_rate: float | None = None
    repeat_rate: float | None = None
    repeat_resolution_rate: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


# One label for each figure, on screen, on paper, on the projection and on the command line.
FIGURE_LABELS: dict[str, str] = {
    "received": "接收",
    "resolved": "化解",
    "resolution_rate": "化解率",
    "satisfaction_rate": "满意率",
    "return_visit_rate": "回访率",
    "on_time_arrival_rate": "按时到场率",
    "closure_rate": "办结率",
    "mean_hours_to_resolution": "平均化解用时",
    "on_site_rate": "当场化解率",
    "repeat_rate": "重复报警率",
    "repeat_resolution_rate": "重复报警化解率",
}
FIGURE_UNITS: dict[str, str] = {"received": "件", "resolved": "件", "mean_hours_to_resolution": "小时"}


def percent(value: float | None) -> str:
    """12.3%, or — when the rate has no denominator."""
    return "—" if value is None else f"{value:.1%}"


def figure_text(name: str, value: float | int | None, *, unit: bool = False) -> str:
    """A figure as it is shown: rates as percentages, hours to one decimal, — for none."""
    if value is None:
        return "—"
    if name.endswith("_rate"):
        return percent(value)
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    return f"{text} {FIGURE_UNITS[name]}" if unit and name in FIGURE_UNITS else text


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class CaseFigures:
    """What the figures need of one case, read off its whole timeline once; stored on the case
    row (``store.derived``) so that the figures can be summed by the database. Only the arrival
    judgement depends on the moment asked (overdue once ``arrive_due_at`` has passed)."""

    void: bool
    repeat: bool
    resolved_at: datetime | None
    resolution_ms: int | None  # receipt to resolution, whole milliseconds: sums exact in any order
    on_site: bool
    return_visit_at: datetime | None  # the first return visit
    satisfaction: str  # its answer's code, "" when none
    archived_at: datetime | None
    arrive_due_at: datetime | None  # of the first team sent
    arrived_at: datetime | None
    handler: str
    received_month: str
    received_week: str
    refusals: int = 0  # teams that refused the dispatch (推诿, the assessment's deduction)


def case_figures(case: Case, settings: ClockSettings = ClockSettings()) -> CaseFigures:
    first: dict[EventType, Event] = {}
    for event in case.events:
        first.setdefault(event.type, event)
    resolved = resolution(case)
    visit = first.get(E.RETURN_VISIT)
    answer = visit.get("satisfaction") if visit is not None else None
    dispatched = first.get(E.DISPATCHED)
    arrived = None
    if dispatched is not None:  # the first arrival after the first team was sent (``arrive_state``)
        after = case.events[case.events.index(dispatched) + 1:]
        arrived = next((e for e in after if e.type == E.ARRIVED), None)
    received = local(case.received_at)
    year, week, _ = received.isocalendar()
    return CaseFigures(
        void=is_void(case),
        repeat=bool(case.repeat_of),
        resolved_at=resolved.at if resolved else None,
        resolution_ms=(resolved.at - case.received_at) // timedelta(milliseconds=1) if resolved else None,
        on_site=resolved is not None and resolved.type == E.RESOLVED and resolved.get("outcome") == Outcome.ON_SITE,
        return_visit_at=visit.at if visit is not None else None,
        satisfaction=Satisfaction(answer).value if answer else "",
        archived_at=first[E.ARCHIVED].at if E.ARCHIVED in first else None,
        arrive_due_at=dispatched.at + timedelta(minutes=settings.arrive_minutes) if dispatched else None,
        arrived_at=arrived.at if arrived else None,
        handler=team_leader(case),
        received_month=received.strftime("%Y-%m"),
        received_week=f"{year}-W{week:02d}",
        refusals=sum(1 for e in case.events if e.type == E.DISPATCH_REFUSED),
    )


POSITIVE_CODES = frozenset(s.value for s in POSITIVE)
ANSWERED_CODES = frozenset(s.value for s in ANSWERED)
# The FigureTally fields a case adds 0 or 1 to whatever the moment: stored as integer columns
# (``n_<field>``), so that the database sums them with no condition to evaluate per row.
COUNTED = ("positive", "answered", "visited", "on_site", "repeats", "repeats_resolved")


def figure_counts(f: CaseFigures) -> dict[str, int]:
    """What ``f`` adds to each ``COUNTED`` field of a tally."""
    resolved = f.resolved_at is not None
    return {
        "positive": int(f.satisfaction in POSITIVE_CODES),
        "answered": int(f.satisfaction in ANSWERED_CODES),
        "visited": int(resolved and f.return_visit_at is not None),
        "on_site": int(resolved and f.on_site),
        "repeats": int(f.repeat),
        "repeats_resolved": int(f.repeat and resolved),
    }


@dataclass
class FigureTally:
    """The sums behind one row of figures; added to case by case here, or summed by the
    database over the stored ``CaseFigures`` (``store.figure_queries``): the same fields."""

    received: int = 0
    resolved: int = 0
    positive: int = 0
    answered: int = 0
    visited: int = 0
    arrival_met: int = 0
    arrival_judged: int = 0
    archived: int = 0
    resolution_ms: int = 0
    on_site: int = 0
    repeats: int = 0
    repeats_resolved: int = 0

    def add(self, case: Case, now: datetime, settings: ClockSettings) -> None:
        self.add_figures(case_figures(case, settings), now)

    def add_figures(self, f: CaseFigures, now: datetime) -> None:
        self.received += 1
        if f.resolved_at is not None:
            self.resolved += 1
            self.resolution_ms += f.resolution_ms or 0
        for name, count in figure_counts(f).items():
            setattr(self, name, getattr(self, name) + count)
        self.archived += f.archived_at is not None
        if f.arrive_due_at is not None:
            if f.arrived_at is not None and f.arrived_at <= now:
                self.arrival_judged += 1
                self.arrival_met += f.arrived_at <= f.arrive_due_at
            elif now > f.arrive_due_at:
                self.arrival_judged += 1

    def merge(self, other: FigureTally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, key: str) -> StatsRow:
        return StatsRow(
            key=key,
            received=self.received,
            resolved=self.resolved,
            resolution_rate=_rate(self.resolved, self.received),
            satisfaction_rate=_rate(self.positive, self.answered),
            return_visit_rate=_rate(self.visited, self.resolved),
            on_time_arrival_rate=_rate(self.arrival_met, self.arrival_judged),
            closure_rate=_rate(self.archived, self.received),
            mean_hours_to_resolution=self.resolution_ms / 3_600_000 / self.resolved if self.resolved else None,
            on_site_rate=_rate(self.on_site, self.resolved),
            repeat_rate=_rate(self.repeats, self.received),
            repeat_resolution_rate=_rate(self.repeats_resolved, self.repeats),
        )


def arrive_state(case: Case, now: datetime, settings: ClockSettings) -> ClockState | None:
    """State of the arrive clock as of ``now`` (None before dispatch), without the other clocks."""
    dispatched = None
    for event in case.events:
        if event.at > now:
            break
        if dispatched is None:
            if event.type == E.DISPATCHED:
                dispatched = event
        elif event.type == E.ARRIVED:
            due = dispatched.at + timedelta(minutes=settings.arrive_minutes)
            return ClockState.MET if event.at <= due else ClockState.LATE
    if dispatched is None:
        return None
    due = dispatched.at + timedelta(minutes=settings.arrive_minutes)
    return ClockState.OVERDUE if now > due else ClockState.PENDING


def team_leader(case: Case) -> str:
    """The leader of the latest team sent (带队负责人), the person whose figures go on the wall."""
    leader = ""
    for event in case.events:
        if event.type == E.DISPATCHED:
            leader = event.get("leader") or leader
    return leader or NO_HANDLER


def grid_group(village: str, grid: str) -> str:
    """The key a case is counted under by grid: 「村/网格」, or the village's cases of no known grid."""
    return f"{village}/{grid}" if grid else f"{village}/（未定网格）"


def group_key(by: str | None, major_of: Callable[[str], str] | None = None) -> Callable[[Case], str]:
    """The key a case is counted under. ``major_of`` names a category's major class (the
    office's own tree); a category it does not know is its own major class."""
    if by is None:
        return lambda case: TOTAL_KEY
    if by == "village":
        return lambda case: case.village
    if by == "category":
        return lambda case: classification_at(case).category
    if by == "major_category":
        def major(case: Case) -> str:
            name = classification_at(case).category
            try:
                return major_of(name) if major_of is not None else name
            except DomainError:
                return name
        return major
    if by == "handler":
        return team_leader
    if by == "source":
        return lambda case: case.source.label
    if by == "month":
        return lambda case: local(case.received_at).strftime("%Y-%m")
    if by == "week":
        def week(case: Case) -> str:
            year, number, _ = local(case.received_at).isocalendar()
            return f"{year}-W{number:02d}"
        return week
    if by == "grid":
        return lambda case: grid_group(case.village, case.grid)
    raise DomainError(f"无法按“{by}”分组，可选：{'、'.join(GROUPINGS)}")


def in_period(case: Case, start: date | None, end: date | None) -> bool:
    """Received on a local date in [start, end], either end open when None."""
    day = local(case.received_at).date()
    return (start is None or day >= start) and (end is None or day <= end)


class StatsAccumulator:
    """Tallies of several groupings fed one case at a time, so a long list of cases is read
    once and never held: ``compute_stats`` is this with a single grouping."""

    def __init__(self, *, now: datetime, groupings: Iterable[str | None] = (None,), start: date | None = None,
                 end: date | None = None, settings: ClockSettings = ClockSettings(),
                 major_of: Callable[[str], str] | None = None):
        self.now, self.start, self.end, self.settings = now, start, end, settings
        self.keys = {by: group_key(by, major_of) for by in groupings}
        self.tallies: dict[str | None, dict[str, FigureTally]] = {by: {} for by in self.keys}

    def add(self, case: Case) -> bool:
        """Count ``case`` in every grouping; False when it does not count (outside the period, void)."""
        if not in_period(case, self.start, self.end) or is_void(case):
            return False
        for by, key_of in self.keys.items():
            self.tallies[by].setdefault(key_of(case), FigureTally()).add(case, self.now, self.settings)
        return True

    def rows(self, by: str | None = None) -> list[StatsRow]:
        """One row per group, sorted by key; a single row keyed 合计 when ``by`` is None."""
        tallies = dict(self.tallies[by])
        if by is None and not tallies:
            tallies[TOTAL_KEY] = FigureTally()
        return [tallies[key].row(key) for key in sorted(tallies)]


def compute_stats(
    cases: Iterable[Case],
    *,
    now: datetime,
    by: str | None = None,
    start: date | None = None,
    end: date | None = None,
    settings: ClockSettings = ClockSettings(),
    major_of: Callable[[str], str] | None = None,
) -> list[StatsRow]:
    """One row per group, sorted by key; a single row keyed 合计 when ``by`` is None."""
    accumulator = StatsAccumulator(now=now, groupings=(by,), start=start, end=end, settings=settings,
                                   major_of=major_of)
    for case in cases:
        accumulator.add(case)
    return accumulator.rows(by)

"""The prevention clocks as of now and their figures: the timer panel, `jingyuan deadlines`,
the statistics page, the weekly agenda and the projection.

Computed from the registers each time (a town has tens of grids, a few officers and perhaps a
hundred key persons: a few thousand duties at most), by ``domain.prevention_clocks``, the one
statement of the rules.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import at_local, local
from jingyuan_desktop.domain.enums import ClockState, Source, Status
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.domain.prevention import DutyName, PatrolRole, PreventionSettings, Warning
from jingyuan_desktop.domain.prevention_clocks import (
    Duty,
    coverage,
    found_first,
    grid_patrol_duties,
    key_person_duties,
    officer_visit_duties,
    on_time,
    open_duties,
    rate_text,
)
from jingyuan_desktop.domain.privacy import mask_name
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.derived import scope_conditions
from jingyuan_desktop.services.prevention.records import settings as prevention_settings
from jingyuan_desktop.services.stats import period_bounds, received_months
from jingyuan_desktop.store import prevention as store
from jingyuan_desktop.store.models import CaseModel


def _sees_key_persons(ctx: AppContext) -> bool:
    return ctx.account is None or ctx.account.may(Permission.KEY_PERSONS)


def _own_village(ctx: AppContext) -> str | None:
    return ctx.account.village if ctx.account is not None and ctx.account.village else None


def duties(ctx: AppContext, start: date, now: datetime | None = None, *,
           values: PreventionSettings | None = None) -> list[Duty]:
    """Every prevention duty from the week of ``start`` to now, within the account's sight:
    its own village for a village account; key persons only for roles that see the register
    (their names masked: this is a list, not the register)."""
    now = now or ctx.now()
    values = values or prevention_settings(ctx)
    village = _own_village(ctx)
    first_week = start - timedelta(days=start.weekday())
    with ctx.session() as session:
        grids = store.list_grids(session, village)
        beats = [b for b in store.list_beats(session) if village is None or b.village == village]
        patrols = store.list_patrols(session, at_local(first_week, time(0, 0)), now + timedelta(seconds=1),
                                     village=village)
        warnings = store.list_warnings(session, ending_on_or_after=first_week)
        persons = store.list_key_persons(session, include_ended=True) if _sees_key_persons(ctx) else []
        if village is not None:
            persons = []  # a village account does not see the register
        visits = store.list_visits(session, [p.id for p in persons if p.id is not None]) if persons else []
    found: list[Duty] = []
    for grid in grids:
        found += grid_patrol_duties(grid, [p for p in patrols if p.village == grid.village and p.grid == grid.name],
                                    warnings, now, values, start=first_week)
    for beat in beats:
        mine = [p for p in patrols if p.role == PatrolRole.VILLAGE_OFFICER and p.worker == beat.officer]
        found += officer_visit_duties(beat, mine, warnings, now, values, start=first_week)
    by_person: dict[int, list] = {}
    for visit in visits:
        by_person.setdefault(visit.key_person_id, []).append(visit)
    for person in persons:
        found += key_person_duties(replace(person, name=mask_name(person.name)), by_person.get(person.id or 0, []),
                                   now, values)
    found.sort(key=lambda d: (d.due_at, d.name.value, d.subject, d.seq))
    return found


def current_duties(ctx: AppContext, now: datetime | None = None) -> list[Duty]:
    """What the timer panel shows: open duties, and overdue ones of the last few weeks."""
    now = now or ctx.now()
    values = prevention_settings(ctx)
    start = local(now).date() - timedelta(weeks=values.overdue_lookback_weeks + 1)
    return open_duties(duties(ctx, start, now, values=values), now, values)


def deadline_duties(ctx: AppContext, at: datetime | None = None, *, include_done: bool = False) -> list[Duty]:
    """The prevention clocks beside the cases' in `jingyuan deadlines`: as the timer panel shows
    them at ``at`` (now when None); with ``include_done``, every duty of the same weeks."""
    now = at or ctx.now()
    if not include_done:
        return current_duties(ctx, now)
    values = prevention_settings(ctx)
    start = local(now).date() - timedelta(weeks=values.overdue_lookback_weeks + 1)
    return duties(ctx, start, now, values=values)


@dataclass(frozen=True)
class PlaceCoverage:
    key: str  # 「村/网格」 or 「民警（村）」
    village: str
    done: int
    due: int

    @property
    def cells(self) -> tuple[str, str, str]:
        """(place, 完成/应完成, 完成率) as the handout, the slides and the meeting page show it."""
        return self.key, f"{self.done}/{self.due}", rate_text(self.done, self.due)


@dataclass(frozen=True)
class PreventionFigures:
    """The prevention figures of a period, for the statistics page, the agenda and the projection."""

    first: date
    last: date
    grids: list[PlaceCoverage] = field(default_factory=list)
    officers: list[PlaceCoverage] = field(default_factory=list)
    patrol_done: int = 0
    patrol_due: int = 0
    visits_met: int = 0
    visits_due: int = 0
    found: int = 0  # cases found by grid workers and information officers
    cases: int = 0  # all cases received in the period
    by_source: dict[str, int] = field(default_factory=dict)
    overdue_now: int = 0  # open prevention duties overdue at the moment of the figures

    @property
    def missed(self) -> list[PlaceCoverage]:
        """The grids and beats that did fewer patrols or visits than were due."""
        return [row for row in [*self.grids, *self.officers] if row.done < row.due]


def figures(ctx: AppContext, first: date, last: date, now: datetime | None = None) -> PreventionFigures:
    """Patrol coverage by grid and by officer, key-person visits on time and the share of cases
    found before anyone called the police, over [first, last]."""
    now = now or ctx.now()
    values = prevention_settings(ctx)
    all_duties = duties(ctx, first, now, values=values)
    grid_rows: list[PlaceCoverage] = []
    officer_rows: list[PlaceCoverage] = []
    groups: dict[tuple[DutyName, str], list[Duty]] = {}
    for duty in all_duties:
        groups.setdefault((duty.name, duty.subject), []).append(duty)
    for (name, subject), group in sorted(groups.items()):
        if name == DutyName.KEY_PERSON_VISIT:
            continue
        done, due = coverage(group, first, last, now)
        # An officer's beat is shown as 「民警（村）」, a grid as 「村/网格」.
        shown = subject if name == DutyName.GRID_PATROL else "{}（{}）".format(*subject.split("|", 1))
        row = PlaceCoverage(shown, group[0].village, done, due)
        (grid_rows if name == DutyName.GRID_PATROL else officer_rows).append(row)
    done, due = coverage(all_duties, first, last, now)
    met, visits_due = on_time(all_duties, first, last, now)
    by_source = _case_sources(ctx, first, last)
    found, total = found_first(by_source)
    overdue = sum(1 for d in open_duties(all_duties, now, values) if d.state == ClockState.OVERDUE)
    return PreventionFigures(first, last, grid_rows, officer_rows, done, due, met, visits_due, found, total,
                             dict(by_source), overdue)


def _case_sources(ctx: AppContext, first: date, last: date) -> Counter:
    """The period's cases by source, within what the account sees (``derived.scope_conditions``,
    as the statistics count them: a village account its village, a police liaison the transfers)."""
    low, high = period_bounds(first, last)
    conditions = [*scope_conditions(ctx, CaseFilter(received_from=low, received_to=high)),
                  *received_months(first, last)]  # through ix_cases_figures on SQLite
    query = (select(CaseModel.source, func.count()).where(*conditions, CaseModel.void.is_(False))
             .group_by(CaseModel.source))
    with ctx.session() as session:
        return Counter({source: count for source, count in session.execute(query)})


def reward_list(ctx: AppContext, first: date, last: date) -> list[tuple[str, str, int, int, int]]:
    """Information officers' and grid workers' reports that became cases in the period (seed
    003's reward list): (reporter, role label, reports turned into cases, resolved, still open)."""
    ctx.require(Permission.READ_CASES)
    low, high = period_bounds(first, last)
    with ctx.session() as session:
        rows = store.reports_with_cases(session, low, high)
    tally: dict[tuple[str, str], list[int]] = {}
    for patrol, status, resolved_at in rows:
        counts = tally.setdefault((patrol.worker, patrol.role.label), [0, 0, 0])
        counts[0] += 1
        if resolved_at is not None:
            counts[1] += 1
        elif status is not None and Status(status).is_open:
            counts[2] += 1
    ordered = sorted(tally.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [(worker, role, counts[0], counts[1], counts[2]) for (worker, role), counts in ordered]


def found_first_text(fig: PreventionFigures) -> str:
    """The share seed 003 measures its success by, in the words the paper and screens use."""
    police = fig.by_source.get(Source.POLICE_TRANSFER.value, 0)
    grid, informant = fig.by_source.get(Source.GRID_REPORT.value, 0), fig.by_source.get(Source.INFORMANT.value, 0)
    return (f"主动发现 {fig.found} 件，占全部 {fig.cases} 件的 {rate_text(fig.found, fig.cases)}"
            f"（网格员摸排 {grid}、治安信息员 {informant}；派出所转交 {police}）")


def patrol_text(fig: PreventionFigures) -> str:
    return f"网格巡查与民警进村完成 {fig.patrol_done}/{fig.patrol_due}（{rate_text(fig.patrol_done, fig.patrol_due)}）"


def visits_text(fig: PreventionFigures) -> str:
    return f"重点人员按时走访 {fig.visits_met}/{fig.visits_due}（{rate_text(fig.visits_met, fig.visits_due)}）"


def warning_text(warning: Warning) -> str:
    """「预警：…（06-09至06-15，解营村、高南村/一网格，期间每日巡查）」"""
    places = "、".join([*warning.villages, *warning.grids]) or "全镇"
    daily = "，期间每日巡查" if warning.daily_patrols else ""
    return f"预警：{warning.text}（{warning.starts:%m-%d}至{warning.ends:%m-%d}，{places}{daily}）"

"""The stored clocks and figures: are they current, bring them up to date, check them.

A case's clocks and figures are stored with every change of it (``store.derived``). They are
computed with the rules in force (clock settings, office calendar, the statutory calendar):
when those change, or after the upgrade that brought the stored copies, every case's copy is
recomputed here in short transactions, a batch at a time, while readers fall back to the
timelines until it is done. ``check`` recomputes everything and lists what differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.clocks import Clock, case_clocks
from jingyuan_desktop.domain.derived import derive
from jingyuan_desktop.domain.enums import ClockName
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.domain.statistics import COUNTED
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.progress import ProgressCallback
from jingyuan_desktop.store import derived as store
from jingyuan_desktop.store.case_queries import case_conditions
from jingyuan_desktop.store.mapping import case_from_model, refresh_derived
from jingyuan_desktop.store.models import CaseModel

BATCH = 200  # cases per transaction: each write stays short for the other PCs


def fresh_rules(ctx: AppContext) -> store.Rules | None:
    """The rules in force when every stored copy follows them; None while they do not (the
    readers then compute from the timelines)."""
    with ctx.session() as session:
        rules = store.load_rules(session)
        return rules if store.is_fresh(session, rules) else None


def scope_conditions(ctx: AppContext, filters: CaseFilter | None = None) -> list[ColumnElement[bool]]:
    """The SQL conditions on cases of ``filters`` narrowed to what the account may see."""
    return case_conditions(ctx.scoped(filters or CaseFilter()))


def recompute(ctx: AppContext, progress: ProgressCallback | None = None, *,
              only: ColumnElement[bool] | None = None, now: datetime | None = None) -> int:
    """Recompute the stored clocks and figures of every case (or of those matching ``only``)
    with the rules in force, ``BATCH`` cases to a transaction; then record the rules as the
    ones every copy follows, unless they changed meanwhile. Returns the number of cases."""
    moment = now or ctx.now()
    with ctx.session() as session:
        rules = store.load_rules(session)
        ids = store.stale_case_ids(session, [only] if only is not None else [])
    for chunk in _batches(ids, progress):
        with ctx.session() as session:
            rows = store.load_rows(session, chunk)
            pairs = []
            for row in rows:
                case = case_from_model(row)
                refresh_derived(row, case)
                result = derive(case, moment, rules.calendar, rules.settings)
                store.set_columns(row, result)
                pairs.append((row.id, result))
            session.flush()
            store.save_clocks(session, pairs)
    with ctx.session() as session:
        if store.load_rules(session).fingerprint == rules.fingerprint:
            store.set_fingerprint(session, rules.fingerprint, moment)
    return len(ids)


def ensure_fresh(ctx: AppContext, progress: ProgressCallback | None = None) -> int:
    """Recompute every stored copy if the rules changed since they were made (after an
    upgrade, a change of settings or calendar on another PC); the number of cases redone."""
    if fresh_rules(ctx) is not None:
        return 0
    return recompute(ctx, progress)


@dataclass(frozen=True)
class Difference:
    case_no: str
    what: str  # "状态", "时限 arrive#1", "统计字段 resolved_at"...
    stored: str
    computed: str


def _clock_key(clock: Clock) -> tuple:
    return (clock.name.value, clock.seq)


def _clock_text(clock: Clock | None) -> str:
    if clock is None:
        return "无"
    done = clock.done_at.isoformat(timespec="minutes") if clock.done_at else "未完成"
    return f"{clock.owner} 到期{clock.due_at.isoformat(timespec='minutes')} {done} {clock.state.value}"


FIGURE_FIELDS = ("void", "resolved_at", "resolution_ms", "on_site", "return_visit_at", "satisfaction",
                 "archived_at", "arrive_due_at", "arrived_at", "handler", "received_month", "received_week",
                 "refusals", "agenda_watch", "agenda_line", "search_text",
                 *(f"{state}_{name.value}" for name in ClockName for state in ("met", "late")),
                 "office_met", "office_late", "team_met", "team_late",
                 *(f"n_{name}" for name in COUNTED))
ROW_FIELDS = {"status": "状态", "risk": "风险等级", "category": "类别", "grade": "难度", "criminal_risk": "民转刑风险"}


def check(ctx: AppContext, progress: ProgressCallback | None = None) -> list[Difference]:
    """Recompute every case's derived data from its timeline and compare with what is stored:
    the status and classification copies, the figure columns, and every clock as of now (the
    stored rows with the progress clocks grown since, against ``case_clocks`` at now)."""
    ctx.require(Permission.READ_CASES)
    now = ctx.now()
    differences: list[Difference] = []
    with ctx.session() as session:
        rules = store.load_rules(session)
        fresh = store.is_fresh(session, rules)
        ids = store.stale_case_ids(session)
    if not fresh:
        differences.append(Difference("", "计算规则", "旧规则", "现行规则（设置或节假日已变，尚未重算）"))
    for chunk in _batches(ids, progress):
        with ctx.session() as session:
            rows = store.load_rows(session, chunk)
            stored_clocks = store.case_clocks_stored(session, chunk, now, rules)
            for row in rows:
                differences += _compare(row, stored_clocks.get(row.id, []), now, rules)
            session.rollback()  # only read; nothing of the comparison is kept
    return differences


def _batches(ids: list[int], progress: ProgressCallback | None) -> Iterator[list[int]]:
    """``ids`` ``BATCH`` at a time, each told to ``progress`` once it is done."""
    total = len(ids)
    if progress is not None:
        progress(0, total)
    for start in range(0, total, BATCH):
        yield ids[start:start + BATCH]
        if progress is not None:
            progress(min(start + BATCH, total), total)


def _compare(row: CaseModel, stored: list[Clock], now: datetime, rules: store.Rules) -> list[Difference]:
    case = case_from_model(row)
    found: list[Difference] = []
    copy = CaseModel()
    refresh_derived(copy, case)
    for name, label in ROW_FIELDS.items():
        if getattr(copy, name) != getattr(row, name):
            found.append(Difference(row.case_no, label, str(getattr(row, name)), str(getattr(copy, name))))
    if row.clocks_as_of is None:
        found.append(Difference(row.case_no, "时限", "未计算", "—"))
        return found
    result = derive(case, now, rules.calendar, rules.settings)
    store.set_columns(copy, result)
    for name in FIGURE_FIELDS:
        if getattr(copy, name) != getattr(row, name):
            found.append(Difference(row.case_no, f"统计字段 {name}", str(getattr(row, name)),
                                    str(getattr(copy, name))))
    expected = {_clock_key(c): c for c in case_clocks(case, now, rules.calendar, rules.settings)}
    have = {_clock_key(c): c for c in stored}
    for key in sorted(set(expected) | set(have)):
        if expected.get(key) != have.get(key):
            found.append(Difference(row.case_no, f"时限 {key[0]}#{key[1]}", _clock_text(have.get(key)),
                                    _clock_text(expected.get(key))))
    return found

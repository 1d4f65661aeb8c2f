"""One case as its window shows it: the record, its nearest clock and what may be done next.

Everything the case view needs is read and decided here, in one call off the UI thread, so
the view only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.categories import CategoryTree
from jingyuan_desktop.domain.clocks import Clock, case_clocks, nearest_open_clock
from jingyuan_desktop.domain.enums import EventType, PersonRole, Status, UnitKind
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.context import AppContext

E = EventType


@dataclass
class CaseDetail:
    case: Case
    version: int
    status: Status
    nearest_clock: Clock | None
    allowed: list[EventType]
    leaderless_red: bool  # a red case still waiting for its 包案领导 while the office requires one
    escalation_failures: int  # the setting: failed mediations before 建议升级疑难
    escalation_suggested: bool
    min_handlers: int = lifecycle.MIN_HANDLERS


@dataclass
class ActionChoices:
    """What an action form offers: departments for 联合处置, leaders for 包案, the category tree."""

    departments: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    tree: CategoryTree | None = None
    archive_no: str = ""


def load_case_detail(ctx: AppContext, case_no: str, now: datetime) -> CaseDetail:
    case, version = case_service.get_case(ctx, case_no)
    calendar, settings = ctx.calendar(), ctx.clock_settings()
    require_leader = ctx.office().require_leader_for_red
    status = lifecycle.derive_status(case)
    leaderless = lifecycle.needs_leader(case) and case.first(E.LEADER_ASSIGNED) is None
    return CaseDetail(
        case=case,
        version=version,
        status=status,
        nearest_clock=nearest_open_clock(case_clocks(case, now, calendar, settings)),
        allowed=_for_account(ctx, lifecycle.allowed_events(case, now, require_leader_for_red=require_leader)),
        leaderless_red=leaderless and require_leader and status.is_open,
        escalation_failures=settings.escalation_failures,
        escalation_suggested=lifecycle.escalation_suggested(case, settings.escalation_failures),
    )


def _for_account(ctx: AppContext, kinds: list[EventType]) -> list[EventType]:
    """The events the procedure allows that the logged-in account may also record."""
    account = ctx.account
    if account is None:
        return kinds
    return [k for k in kinds
            if account.may(Permission.RECORD_POLICE_FEEDBACK if k == E.POLICE_FEEDBACK else Permission.RECORD_EVENT)]


def action_choices(ctx: AppContext, case_no: str, kind: EventType) -> ActionChoices:
    """The lists the form for ``kind`` needs, and nothing more."""
    choices = ActionChoices()
    if kind == E.JOINT_HANDLING:
        choices.departments = [u.name for u in queries.units(ctx, UnitKind.DEPARTMENT)]
    elif kind == E.LEADER_ASSIGNED:
        choices.leaders = [p.name for p in queries.people(ctx) if p.role == PersonRole.LEADER]
    elif kind == E.CLASSIFIED:
        choices.tree = queries.category_tree(ctx)
    elif kind == E.ARCHIVED:
        choices.archive_no = f"{ctx.office().archive_no_prefix}-{case_no}"
    return choices


def current_version(ctx: AppContext, case_no: str) -> int:
    """The case's version now: tells a refusal caused by someone else's save from any other."""
    return case_service.get_case(ctx, case_no)[1]

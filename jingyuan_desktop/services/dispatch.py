"""交办: what the assignment pane shows for one case, and recording the dispatch."""

from __future__ import annotations

from dataclasses import dataclass, field

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.assignment import Suggestion
from jingyuan_desktop.domain.enums import EventType, PersonRole, Status, UnitKind
from jingyuan_desktop.domain.model import Case, Event, Person
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.context import AppContext

SUGGESTIONS_SHOWN = 5
EXPERT_ROLES = (PersonRole.EXPERT, PersonRole.LEGAL_ADVISER)


@dataclass
class AssignmentData:
    case: Case
    version: int
    status: Status
    dispatched: Event | None = None
    secretary: Person | None = None
    team: list[Person] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    experts: list[Person] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    blocker: str = ""  # why a dispatch would be refused right now, whoever is chosen, in Chinese
    arrive_minutes: int = 15  # the office's setting, for the pane's wording
    # For a second handling (二次处置): who may join the village team, officers of the case's
    # own station first, then the office's staff and the town's leaders.
    second_handlers: list[Person] = field(default_factory=list)


def load_assignment(ctx: AppContext, case_no: str) -> AssignmentData:
    """Everything the pane needs for one case, in one call off the UI thread."""
    case, version = case_service.get_case(ctx, case_no)
    latest = [e for e in case.events if e.type == EventType.DISPATCHED]
    data = AssignmentData(case, version, lifecycle.derive_status(case), latest[-1] if latest else None,
                          arrive_minutes=ctx.clock_settings().arrive_minutes)
    again = lifecycle.refused(case) or lifecycle.second_handling_due(case)
    if data.dispatched is not None and not again:
        return data
    if data.dispatched is None and data.status != Status.AWAITING_DISPATCH:
        return data
    data.secretary, data.team = queries.village_team(ctx, case.village)
    data.departments = [u.name for u in queries.units(ctx, UnitKind.DEPARTMENT)]
    data.experts = [p for p in queries.people(ctx) if not p.unit and p.role in EXPERT_ROLES]
    data.suggestions = queries.suggest_handlers(ctx, case)[:SUGGESTIONS_SHOWN]
    data.blocker = dispatch_blocker(ctx, case) or ""
    if lifecycle.second_handling_due(case):
        data.second_handlers = second_handlers(ctx, case)
    return data


def second_handlers(ctx: AppContext, case: Case) -> list[Person]:
    """Who may join a second handling besides the village team (lifecycle.SECOND_HANDLING_ROLES):
    the community police officers (those of the case's station first), the office's staff and
    the town's leaders."""
    order = {PersonRole.OFFICER: 1, PersonRole.OFFICE_STAFF: 2, PersonRole.LEADER: 3}
    people = [p for p in queries.people(ctx) if p.role in lifecycle.SECOND_HANDLING_ROLES]
    return sorted(people, key=lambda p: (p.role != PersonRole.OFFICER or p.unit != case.police_station,
                                         order.get(p.role, 9), p.name))


def dispatch_blocker(ctx: AppContext, case: Case) -> str | None:
    """What must come before a dispatch (a category, a leader for a red case...), or None."""
    require_leader = ctx.office().require_leader_for_red
    return lifecycle.event_blocker(case, EventType.DISPATCHED, require_leader_for_red=require_leader)


def dispatch(ctx: AppContext, case_no: str, version: int, *, handlers: list[str], leader: str,
             departments: list[str], experts: list[str], note: str = "") -> int:
    """Record the 交办 by the current user at the current time; returns the case's new version.

    A second handling (二次处置) must include the community police officer or the office's
    staff besides the village team (seed 002); the roles are the office's list of people.
    """
    event = Event(EventType.DISPATCHED, ctx.now(), by=ctx.user, note=note,
                  data={"handlers": handlers, "leader": leader, "departments": departments, "experts": experts})
    return case_service.record_event(ctx, case_no, event, version)

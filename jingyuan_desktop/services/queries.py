"""Read-only questions the window asks: a page of the case table, teams, suggestions, open cases."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.assignment import Suggestion, rank_handlers
from jingyuan_desktop.domain.categories import UNCLASSIFIED, CategoryTree
from jingyuan_desktop.domain.enums import EventType, PersonRole, Status, UnitKind
from jingyuan_desktop.domain.lifecycle import classification_at
from jingyuan_desktop.domain.listing import CaseFilter, CaseRow
from jingyuan_desktop.domain.model import Case, Person, Unit
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.store import repository

OPEN_STATUSES = [s.value for s in Status if s.is_open]

__all__ = [
    "CaseFilter",
    "CaseRow",
    "category_tree",
    "count_cases",
    "get_cases",
    "open_cases",
    "page_cases",
    "people",
    "suggest_handlers",
    "units",
    "village_team",
]


def count_cases(ctx: AppContext, filters: CaseFilter) -> int:
    ctx.require(Permission.READ_CASES)
    filters = _stored_filters(ctx, filters)
    with ctx.session() as session:
        return repository.count_cases(session, filters=ctx.scoped(filters))


def _stored_filters(ctx: AppContext, filters: CaseFilter) -> CaseFilter:
    """``filters.overdue_at`` is answered from the stored clocks, and ``filters.text`` from the
    stored search text; while those are being recomputed (``services.derived``), the overdue
    cases from the timelines, as their numbers, and the text from each column and the parties."""
    if (filters.text or "").strip() and not filters.text_stored:
        from jingyuan_desktop.services.derived import fresh_rules

        if fresh_rules(ctx) is not None:
            filters = replace(filters, text_stored=True)
    if filters.overdue_at is None:
        return filters
    from jingyuan_desktop.domain.enums import ClockState
    from jingyuan_desktop.services.deadlines import deadlines
    from jingyuan_desktop.services.derived import fresh_rules

    if fresh_rules(ctx) is not None:
        return filters
    overdue = sorted({c.case_no for c in deadlines(ctx, filters.overdue_at) if c.state == ClockState.OVERDUE})
    return replace(filters, overdue_at=None, case_nos=overdue)


def page_cases(ctx: AppContext, filters: CaseFilter, *, order_by: str = "received_at", descending: bool = True,
               offset: int = 0, limit: int = 200) -> list[CaseRow]:
    """One page of the case table: only the rows on screen are ever fetched."""
    ctx.require(Permission.READ_CASES)
    filters = _stored_filters(ctx, filters)
    with ctx.session() as session:
        return repository.page_case_rows(session, filters=ctx.scoped(filters), order_by=order_by, descending=descending,
                                         offset=offset, limit=limit)


def get_cases(ctx: AppContext, case_nos: list[str]) -> dict[str, tuple[Case, int]]:
    """Whole cases with their versions for the rows on screen, in one round trip."""
    with ctx.session() as session:
        return repository.get_cases(session, case_nos)


def units(ctx: AppContext, *kinds: UnitKind) -> list[Unit]:
    with ctx.session() as session:
        return [u for u in repository.list_units(session) if not kinds or u.kind in kinds]


def people(ctx: AppContext, unit: str | None = None) -> list[Person]:
    with ctx.session() as session:
        return repository.list_people(session, unit=unit)


def category_tree(ctx: AppContext) -> CategoryTree:
    with ctx.session() as session:
        return repository.category_tree(session)


def open_cases(ctx: AppContext) -> list[Case]:
    """Whole cases not yet resolved or cancelled: few enough to hold for the timer panel."""
    with ctx.session() as session:
        return list(repository.iter_cases(session, statuses=OPEN_STATUSES))


def village_team(ctx: AppContext, village: str) -> tuple[Person | None, list[Person]]:
    """The village's secretary (the default leader) and the rest of its team."""
    team = people(ctx, village)
    secretary = next((p for p in team if p.role == PersonRole.SECRETARY), None)
    return secretary, [p for p in team if p is not secretary]


def handler_load(cases: list[Case]) -> Counter:
    """Open cases per handler, from the dispatch of each open case."""
    load: Counter = Counter()
    for case in cases:
        dispatched = case.first(EventType.DISPATCHED)
        for name in (dispatched.get("handlers") or []) if dispatched else []:
            load[name] += 1
    return load


def suggest_handlers(ctx: AppContext, case: Case) -> list[Suggestion]:
    """Everyone who could handle ``case``, best first, each with the reason."""
    current = classification_at(case)
    tree = category_tree(ctx)
    major = tree.major_of(current.category) if current.category in tree else current.category
    not_handlers = (PersonRole.OFFICER, PersonRole.LEADER, PersonRole.OFFICE_STAFF)
    candidates = [p for p in people(ctx) if p.role not in not_handlers]
    return rank_handlers(candidates, village=case.village, category=current.category,
                         major_category=major if major != UNCLASSIFIED else "",
                         open_cases=handler_load(open_cases(ctx)))


def case_exists(ctx: AppContext, case_no: str) -> bool:
    """Whether a case of that number exists (a barcode scanned into the search box)."""
    with ctx.session() as session:
        return bool(repository.existing_case_nos(session, [case_no]))


@dataclass(frozen=True)
class WindowFacts:
    town: str
    calendar_warning: str | None


def window_facts(ctx: AppContext, today: date) -> WindowFacts:
    """The town's name and the calendar's warning about years it does not cover."""
    calendar = ctx.calendar()
    # Asking about today registers the year if the statutory calendar lacks it; later years
    # are registered as soon as a clock reaches them.
    calendar.is_working_day(today)
    return WindowFacts(town=ctx.office().town, calendar_warning=calendar.uncovered_warning())

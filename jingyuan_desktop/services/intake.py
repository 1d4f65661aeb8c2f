"""What the intake form offers and checks against, read once off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from jingyuan_desktop.domain.calendar import WorkCalendar
from jingyuan_desktop.domain.categories import CategoryTree
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.prevention import Grid
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.prevention import records as prevention_records


@dataclass(frozen=True)
class IntakeChoices:
    refs: case_service.ReferenceData
    villages: list[str]  # in the office's own order, for the drop-down
    stations: list[str]
    tree: CategoryTree
    settings: ClockSettings
    calendar: WorkCalendar
    grids: list[Grid] = field(default_factory=list)  # every village's, for the grid picker


def load_choices(ctx: AppContext) -> IntakeChoices:
    """Villages, stations, categories, the clock settings and the calendar, in one call."""
    with ctx.session() as session:
        refs = case_service.reference_data(session)
    units = queries.units(ctx)
    return IntakeChoices(
        refs=refs,
        villages=[u.name for u in units if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)],
        stations=[u.name for u in units if u.kind == UnitKind.POLICE_STATION],
        tree=queries.category_tree(ctx),
        settings=ctx.clock_settings(),
        calendar=ctx.calendar(),
        grids=prevention_records.grids(ctx),
    )


def find_repeat(ctx: AppContext, draft: Case, window_days: int) -> tuple[str, str, Case] | None:
    """(case number, reason, earlier case) of the recent case the draft repeats, if any; a
    relapse of a resolved case says so in the reason."""
    settings = replace(ctx.clock_settings(), repeat_window_days=window_days)
    with ctx.session() as session:
        link = case_service.find_repeat_for(session, draft, settings)
    if link is None:
        return None
    reason = f"{link.reason}，原案件已化解，属化解后复发" if link.relapse else link.reason
    return link.earlier.case_no, reason, link.earlier

"""The office's own working days and rest days, on top of the statutory calendar."""

from __future__ import annotations

from datetime import date

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import WorkCalendar
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.store import repository


def set_calendar_override(ctx: AppContext, day: date, working: bool | None, note: str = "") -> None:
    """Mark ``day`` a rest day (False) or a make-up working day (True); None removes the entry."""
    ctx.require(Permission.EDIT_REFERENCE)
    if not isinstance(day, date):
        raise ServiceError("请选择日期")
    with ctx.session() as session:
        repository.set_calendar_override(session, day, working, (note or "").strip(), user=ctx.user, at=ctx.now())
    ctx.forget_calendar()


def calendar_entries(ctx: AppContext) -> list[tuple[date, bool, bool | None]]:
    """The office's own dates: (day, working, what the statutory calendar says or None)."""
    with ctx.session() as session:
        overrides = repository.calendar_overrides(session)
    statutory = WorkCalendar()
    return [(day, working, statutory.is_working_day(day) if statutory.is_covered(day) else None)
            for day, working in sorted(overrides.items())]

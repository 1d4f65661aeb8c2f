"""The weekly meeting: its agenda, its minutes, and the decisions it takes on cases."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.enums import DomainError, EventType, Status
from jingyuan_desktop.domain.meeting import (
    Agenda,
    agenda_entry,
    agenda_moment,
    assemble_agenda,
    build_agenda_from,
    week_bounds,
    week_days,
)
from jingyuan_desktop.domain.model import Event
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.deadlines import ARCHIVED_WATCH, LIVE_STATUSES, NOW_TOLERANCE, RECEIVED_AT_MOMENT
from jingyuan_desktop.services.derived import fresh_rules, scope_conditions
from jingyuan_desktop.services.stats import statistics
from jingyuan_desktop.store import derived as store_derived
from jingyuan_desktop.store import meetings as meeting_store
from jingyuan_desktop.store.meetings import MeetingRecord
from jingyuan_desktop.store.models import CaseModel


def _checked_week(week: str) -> tuple[date, date]:
    try:
        return week_days(week)
    except DomainError as error:
        raise ServiceError(error.message) from None


def build_agenda(ctx: AppContext, week: str) -> Agenda:
    """The agenda of ISO week ``week`` ("2026-W47") as of min(now, end of the week).

    ``stats`` is ``statistics()`` over the week's dates, the same row `jingyuan stats --from
    MONDAY --to SUNDAY` prints.
    """
    from jingyuan_desktop.store import repository

    monday, sunday = _checked_week(week)
    start, end = week_bounds(week)
    now = ctx.now()
    moment = agenda_moment(week, now)
    # When the agenda is of now, closed cases cannot hold anything open and are not loaded;
    # the week's own transfers are loaded whatever their state.
    statuses = LIVE_STATUSES if moment >= now - NOW_TOLERANCE else None
    rules = fresh_rules(ctx) if statuses is not None else None
    if rules is not None:
        # Of now, from the stored copies: the lines of the week's transfers and of the few cases
        # on a list (``meeting.on_watch``), and the overdue clocks counted per owner. A case with
        # an event recorded after the moment is read off its timeline instead.
        conditions = scope_conditions(ctx)
        with ctx.session() as session:
            in_week = [CaseModel.received_at >= start, CaseModel.received_at < end]
            not_in_week = or_(CaseModel.received_at < start, CaseModel.received_at >= end)
            lines = [*store_derived.agenda_lines(session, [*in_week, *conditions], moment),
                     *store_derived.agenda_lines(session, [CaseModel.agenda_watch.is_(True), not_in_week,
                                                           *conditions], moment),
                     *(agenda_entry(case, moment) for case in store_derived.ahead_cases(session, conditions, moment))]
            overdue = store_derived.overdue_by_owner_stored(session, conditions, moment, rules)
        return assemble_agenda(week, lines, moment=moment, stats=statistics(ctx, start=monday, end=sunday)[0],
                               overdue=overdue)
    with ctx.session() as session:
        cases = {c.case_no: c for c in repository.iter_cases(session, received_to=moment + RECEIVED_AT_MOMENT,
                                                                  statuses=statuses)}
        for case in repository.iter_cases(session, received_from=start, received_to=end):
            cases.setdefault(case.case_no, case)
        if statuses is not None:
            # Archived cases still on rolling return visits: a broken agreement returns to the agenda.
            watched = moment - ARCHIVED_WATCH - timedelta(days=31 * ctx.clock_settings().follow_visit_months)
            for case in repository.iter_cases(session, received_from=watched, received_to=moment + RECEIVED_AT_MOMENT,
                                              statuses=[Status.ARCHIVED.value]):
                cases.setdefault(case.case_no, case)
    return build_agenda_from(week, [c for c in cases.values() if ctx.sees(c)], now=now, calendar=ctx.calendar(),
                             stats=statistics(ctx, start=monday, end=sunday)[0], settings=ctx.clock_settings())


def current_week(ctx: AppContext) -> str:
    from jingyuan_desktop.domain.meeting import week_of

    return week_of(ctx.now().date())


def default_week(ctx: AppContext) -> str:
    """The week the window's meeting page, projection and handout open on (domain.meeting_week)."""
    from jingyuan_desktop.domain.meeting import meeting_week

    return meeting_week(ctx.now().date(), ctx.office().meeting_weekday)


def recent_weeks(ctx: AppContext, count: int = 12) -> list[str]:
    """This week and the ``count - 1`` before it, newest first, for the week picker."""
    from jingyuan_desktop.domain.meeting import week_of

    today = ctx.now().date()
    return [week_of(today - timedelta(weeks=n)) for n in range(count)]


def get_minutes(ctx: AppContext, week: str) -> MeetingRecord:
    """The stored minutes of ``week``; version 0 when none were saved."""
    _checked_week(week)
    with ctx.session() as session:
        return meeting_store.get_meeting(session, week)


def save_minutes(ctx: AppContext, week: str, minutes: str, attendees: str, expected_version: int) -> int:
    """Save the minutes and attendees of ``week``; returns the new version.

    Refused when someone else saved since ``expected_version`` (0 for the first save).
    """
    ctx.require(Permission.MEETING)
    _checked_week(week)
    with ctx.session() as session:
        try:
            return meeting_store.save_meeting(session, week, minutes=minutes, attendees=attendees,
                                              expected_version=expected_version, user=ctx.user, at=ctx.now())
        except meeting_store.StaleMeetingError as error:
            raise ServiceError(error.message) from None


def record_decision(ctx: AppContext, case_no: str, week: str, owner: str, plan: str, due_date: date | str) -> int:
    """Record the meeting's decision on a case as a ``meeting_decision`` event (so it shows in
    the case's timeline); returns the case's new version."""
    ctx.require(Permission.MEETING)
    _checked_week(week)
    if isinstance(due_date, str):
        try:
            due_date = date.fromisoformat(due_date.strip())
        except ValueError:
            raise ServiceError(f"完成期限“{due_date}”不是有效日期") from None
    _, version = case_service.get_case(ctx, case_no)
    event = Event(EventType.MEETING_DECISION, ctx.now(), by=ctx.user,
                  data={"meeting": week, "owner": owner.strip(), "plan": plan.strip(),
                        "due_date": due_date.isoformat()})
    return case_service.record_event(ctx, case_no, event, version)


__all__ = ["Agenda", "MeetingRecord", "Status", "build_agenda", "current_week", "get_minutes", "recent_weeks",
           "record_decision", "save_minutes"]

"""Storing and reading what is derived from a case's timeline (``domain.derived``).

Every function takes the caller's session and never commits: the clocks and figures of a case
are written in the same transaction as the change of its timeline. The rules they are computed
with (clock settings, the calendar) are read once per session.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    DateTime,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    type_coerce,
    union,
    update,
)
from sqlalchemy.orm import Session, selectinload

from jingyuan_desktop.domain.calendar import WorkCalendar, end_of_day, local, statutory_version
from jingyuan_desktop.domain.clocks import Clock, ClockSettings, ProgressContinuation, case_clocks, clocks_later
from jingyuan_desktop.domain.derived import Derived, derive, fingerprint
from jingyuan_desktop.domain.enums import OFFICE, ClockName, ClockState, EventType, Grade, Risk, Status, owner_label
from jingyuan_desktop.domain.meeting import AgendaItem, AgendaLine, LastEntry, age_days, overdue_by_owner
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.statistics import figure_counts
from jingyuan_desktop.store.base import from_stored
from jingyuan_desktop.store.database import dialect_insert
from jingyuan_desktop.store.figure_queries import COUNT_COLUMNS, DONE_COLUMNS
from jingyuan_desktop.store.models import CaseClockModel, CaseModel, DerivedStateModel, PartyModel
from jingyuan_desktop.store.reference import calendar_overrides, get_setting

CLOCK_SETTINGS_KEY = "clocks"  # the setting holding ``ClockSettings`` (also read by services.context)
OPEN = "open"  # the ``state`` column of a clock not done yet: pending or overdue by its due time
_CLOCKS = cast(Table, CaseClockModel.__table__)
CHUNK = 500


@dataclass(frozen=True)
class Rules:
    """The calendar and clock settings in force, and their fingerprint."""

    calendar: WorkCalendar
    settings: ClockSettings
    fingerprint: str


def load_rules(session: Session) -> Rules:
    """The rules as stored in the database now (not cached)."""
    overrides = calendar_overrides(session)
    settings = ClockSettings.from_dict(get_setting(session, CLOCK_SETTINGS_KEY, {}) or {})
    return Rules(WorkCalendar(overrides), settings, fingerprint(settings, overrides, statutory_version()))


def rules_of(session: Session) -> Rules:
    """The rules for this session's writes, read at its first write."""
    rules = session.info.get("derived_rules")
    if rules is None:
        rules = session.info["derived_rules"] = load_rules(session)
    return rules


def stored_fingerprint(session: Session) -> str | None:
    return session.scalar(select(DerivedStateModel.fingerprint).where(DerivedStateModel.id == 1))


def set_fingerprint(session: Session, value: str, at: datetime) -> None:
    """Record the rules the stored copies follow. Two PCs storing the first case of a new
    database at once both get here: the row is inserted by one and updated by the other."""
    table = cast(Table, DerivedStateModel.__table__)
    first = dialect_insert(session)(table).values(id=1, fingerprint=value, updated_at=at)
    session.execute(first.on_conflict_do_nothing())
    session.execute(update(table).where(table.c.id == 1).values(fingerprint=value, updated_at=at))


def is_fresh(session: Session, rules: Rules) -> bool:
    """Whether every case's stored copy was computed with ``rules``. A database without cases
    is; so is one where each case was written under these rules since they came in force."""
    stored = stored_fingerprint(session)
    if stored == rules.fingerprint:
        return True
    return stored is None and session.scalar(select(CaseModel.id).limit(1)) is None


def apply_derived(session: Session, row: CaseModel, case: Case, at: datetime) -> Derived:
    """Compute ``case``'s clocks and figures as of ``at`` and set its row's derived columns;
    the clock rows are written by ``save_clocks`` once the row has its id."""
    derived = derive_for(session, case, at, own_id=row.id)
    set_columns(row, derived)
    return derived


def derive_for(session: Session, case: Case, at: datetime, *, own_id: int | None = None) -> Derived:
    """``case``'s clocks and figures as of ``at`` with the rules of this session's writes; the
    first case stored in a new database also records those rules (``own_id``: the case's row,
    when it is stored already)."""
    with session.no_autoflush:  # the row is flushed once, by the caller, with its version check
        rules = rules_of(session)
        # Looked at once per session: an import stores thousands of cases in one.
        if not session.info.get("fingerprint_seen") and stored_fingerprint(session) is None:
            others = select(CaseModel.id).limit(1)
            if own_id is not None:
                others = others.where(CaseModel.id != own_id)
            if session.scalar(others) is None:
                # The first case of a new database: it and all after it follow these rules.
                set_fingerprint(session, rules.fingerprint, at)
        session.info["fingerprint_seen"] = True
    return derive(case, at, rules.calendar, rules.settings)


def set_columns(row: CaseModel, derived: Derived) -> None:
    row.clocks_as_of = derived.as_of
    follow = derived.continuation
    row.progress_from = follow.from_day if follow else None
    row.progress_next_due = follow.first_due if follow else None
    row.progress_seq = follow.seq_after if follow else 0
    row.progress_owner = follow.owner if follow else ""
    f = derived.figures
    row.void, row.on_site = f.void, f.on_site
    row.resolved_at, row.resolution_ms = f.resolved_at, f.resolution_ms
    row.return_visit_at, row.satisfaction, row.archived_at = f.return_visit_at, f.satisfaction, f.archived_at
    row.arrive_due_at, row.arrived_at, row.handler = f.arrive_due_at, f.arrived_at, f.handler
    row.received_month, row.received_week = f.received_month, f.received_week
    row.refusals, row.agenda_watch = f.refusals, derived.agenda_watch
    row.agenda_line = line_dict(derived.agenda)
    row.search_text = derived.search
    for name, count in figure_counts(f).items():
        setattr(row, COUNT_COLUMNS[name], count)
    done = Counter((c.name, c.state) for c in derived.clocks if c.done_at is not None)
    for key, column in DONE_COLUMNS:
        setattr(row, column, done[key])
    owned = Counter((c.owner == OFFICE, c.state) for c in derived.clocks if c.done_at is not None)
    row.office_met, row.office_late = owned[(True, ClockState.MET)], owned[(True, ClockState.LATE)]
    row.team_met, row.team_late = owned[(False, ClockState.MET)], owned[(False, ClockState.LATE)]


def save_clocks(session: Session, derived: Iterable[tuple[int, Derived]], *, replace: bool = True) -> None:
    """Store the clocks of each (case id, derived), in place of those stored before."""
    pairs = list(derived)
    if replace:
        ids = [case_id for case_id, _ in pairs]
        for start in range(0, len(ids), CHUNK):
            session.execute(delete(CaseClockModel).where(CaseClockModel.case_id.in_(ids[start:start + CHUNK])))
    rows = [clock_row(case_id, clock) for case_id, d in pairs for clock in d.clocks]
    if rows:
        session.execute(insert(CaseClockModel), rows)


def clock_row(case_id: int, clock: Clock) -> dict[str, Any]:
    return {"case_id": case_id, "case_no": clock.case_no, "name": clock.name.value, "seq": clock.seq,
            "owner": clock.owner,
            "opened_at": clock.started_at, "due_at": clock.due_at, "done_at": clock.done_at,
            "state": clock.state.value if clock.done_at is not None else OPEN}


def _clock(case_no: str, r, now: datetime) -> Clock:
    if r.done_at is not None:
        state = ClockState(r.state)
    else:
        state = ClockState.OVERDUE if now > r.due_at else ClockState.PENDING
    return Clock(case_no, CLOCK_NAMES[r.name], r.due_at, state, r.done_at, r.seq, r.opened_at, r.owner)


def _continuation(r) -> ProgressContinuation | None:
    if r.progress_from is None:
        return None
    return ProgressContinuation(r.progress_from, r.progress_next_due, r.progress_seq, r.progress_owner)


CLOCK_NAMES = {name.value: name for name in ClockName}
CLOCK_COLUMNS = (CaseClockModel.name, CaseClockModel.seq, CaseClockModel.owner, CaseClockModel.opened_at,
                 CaseClockModel.due_at, CaseClockModel.done_at, CaseClockModel.state)


def open_clocks(session: Session, conditions: Sequence[ColumnElement[bool]], now: datetime, rules: Rules,
                *, overdue_only: bool = False) -> list[Clock]:
    """Every open clock of the cases matching ``conditions`` (on ``CaseModel``) as of ``now``:
    the stored open rows and the progress clocks grown since, sorted by due time. A case whose
    copy is as of a later moment than ``now`` (an event recorded ahead of it) is computed from
    its timeline instead, as of ``now``."""
    ahead, others, skipped = _ahead_apart(session, conditions, now, rules)
    clocks = [c for c in ahead if c.state == ClockState.OVERDUE or (c.is_open and not overdue_only)]
    # The timer panel reads every open clock: the times come as stored (naive UTC) and are
    # turned local once per distinct value (many share a due time: 17:00 of a day). The case
    # numbers are on the clock rows: the cases are joined only when ``conditions`` ask it.
    query = (select(CaseClockModel.case_no, CaseClockModel.name, CaseClockModel.seq, CaseClockModel.owner,
                    type_coerce(CaseClockModel.opened_at, DateTime()), type_coerce(CaseClockModel.due_at, DateTime()))
             .where(CaseClockModel.done_at.is_(None)))
    if conditions:
        query = query.join(CaseModel, CaseModel.id == CaseClockModel.case_id).where(*conditions)
    if skipped:
        query = query.where(CaseClockModel.case_no.not_in(skipped))
    if overdue_only:
        query = query.where(CaseClockModel.due_at < now)
    moments: dict[datetime, datetime] = {}
    known = moments.get
    overdue, pending, names = ClockState.OVERDUE, ClockState.PENDING, CLOCK_NAMES
    # Plain rows on the connection: ten thousand of them, none wanted as the ORM hands them.
    for case_no, name, seq, owner, opened, due in session.connection().execute(query).all():
        due_at = known(due) or moments.setdefault(due, from_stored(due))
        started = None if opened is None else known(opened) or moments.setdefault(opened, from_stored(opened))
        clocks.append(Clock(case_no, names[name], due_at, overdue if now > due_at else pending, None, seq, started,
                            owner))
    clocks += [c for c in grown_clocks(session, others, now, rules)
               if not overdue_only or c.state == ClockState.OVERDUE]
    # By the name's code as a plain string: a key holding the StrEnum member itself sorted ten
    # thousand clocks five times slower (its comparisons are not str's own).
    clocks.sort(key=lambda c: (c.due_at, c.case_no, c.name.value, c.seq))
    return clocks


def _ahead_apart(session: Session, conditions: Sequence[ColumnElement[bool]], now: datetime, rules: Rules,
                 ) -> tuple[list[Clock], list[ColumnElement[bool]], list[str]]:
    """The clocks as of ``now`` of the cases matching ``conditions`` that were recorded ahead of
    it (``ahead_cases``), off their timelines; the conditions for the other cases, whose
    stored rows answer for them; and the numbers of the cases set apart."""
    ahead = ahead_cases(session, conditions, now)
    clocks = [c for case in ahead for c in case_clocks(case, now, rules.calendar, rules.settings)]
    skipped = [case.case_no for case in ahead]
    if skipped:
        conditions = [*conditions, CaseModel.case_no.not_in(skipped)]
    return clocks, list(conditions), skipped


def ahead_cases(session: Session, conditions: Sequence[ColumnElement[bool]], moment: datetime) -> list[Case]:
    """Whole cases matching ``conditions`` whose stored copy is as of a moment after ``moment``
    (received or with an event recorded later than it): usually none."""
    from jingyuan_desktop.store.case_queries import cases_where

    return cases_where(session, [CaseModel.clocks_as_of > moment, *conditions])


def grown_clocks(session: Session, conditions: Sequence[ColumnElement[bool]], now: datetime,
                 rules: Rules) -> list[Clock]:
    """The progress clocks grown since their cases' last change, for the cases matching
    ``conditions`` (all open: none has been done)."""
    return [clock for _case_id, clock in _grown(session, conditions, now, rules, _grown_ids(session, now))]


def _grown_ids(session: Session, now: datetime) -> list[int]:
    """The few cases with a progress clock due by ``now``'s day, through ix_cases_progress_next_due.
    Found first and then narrowed by id: given a period's conditions beside it, the database
    would rather walk the period's cases and look at each one's due day."""
    return list(session.scalars(select(CaseModel.id).where(CaseModel.progress_next_due.is_not(None),
                                                           CaseModel.progress_next_due <= _day_end(now))))


def _grown(session: Session, conditions: Sequence[ColumnElement[bool]], now: datetime, rules: Rules,
           due: list[int]) -> list[tuple[int, Clock]]:
    """The grown progress clocks of the cases ``due`` (``_grown_ids``) matching ``conditions``."""
    found = []
    for start in range(0, len(due), CHUNK):
        query = (select(CaseModel.id, CaseModel.case_no, CaseModel.progress_from, CaseModel.progress_next_due,
                        CaseModel.progress_seq, CaseModel.progress_owner)
                 .where(CaseModel.id.in_(due[start:start + CHUNK]), *conditions))
        found += [(r.id, clock) for r in session.execute(query)
                  for clock in clocks_later(r.case_no, [], _continuation(r), now, rules.calendar, rules.settings)]
    return found


def _day_end(now: datetime) -> datetime:
    """A bound above every progress due time of ``now``'s day (a clock of today may be due
    after ``now``): the continuation's first due may be at most this to have grown a clock."""
    return end_of_day(local(now).date())


def case_clocks_stored(session: Session, case_ids: Sequence[int], now: datetime, rules: Rules,
                       ) -> dict[int, list[Clock]]:
    """Every clock (done ones too) of the given cases as of ``now``, by case id."""
    found: dict[int, list[Clock]] = {}
    due = set(_grown_ids(session, now))  # once for all the chunks
    for start in range(0, len(case_ids), CHUNK):
        chunk = list(case_ids[start:start + CHUNK])
        query = select(CaseClockModel.case_id, CaseClockModel.case_no, *CLOCK_COLUMNS).where(
            CaseClockModel.case_id.in_(chunk))
        for r in session.execute(query):
            found.setdefault(r.case_id, []).append(_clock(r.case_no, r, now))
        for case_id, clock in _grown(session, [], now, rules, [i for i in chunk if i in due]):
            found.setdefault(case_id, []).append(clock)
    return found


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Cases with a clock overdue at ``now``: a stored open clock past due, or a progress
    clock grown since whose first due time has passed."""
    # One uncorrelated set of case ids: the open clocks past due are few and found once through
    # ix_case_clocks_open, the grown ones through ix_cases_progress_next_due, and the rows are
    # then fetched by id (a correlated EXISTS, or an OR, makes the database walk every case).
    return CaseModel.id.in_(overdue_ids_statement(now))


def overdue_ids_statement(now: datetime):
    """The ids of the cases with a clock overdue at ``now`` (``overdue_condition``'s set)."""
    stored = select(CaseClockModel.case_id).where(CaseClockModel.done_at.is_(None), CaseClockModel.due_at < now)
    grown = select(CaseModel.id).where(CaseModel.progress_next_due.is_not(None), CaseModel.progress_next_due < now)
    return union(stored, grown)


def load_rows(session: Session, case_ids: Sequence[int]) -> list[CaseModel]:
    """Case rows with their parties and timelines, for recomputing or checking."""
    query = (select(CaseModel).where(CaseModel.id.in_(list(case_ids)))
             .options(selectinload(CaseModel.parties), selectinload(CaseModel.events)).order_by(CaseModel.id))
    return list(session.scalars(query))


def line_dict(line: AgendaLine) -> dict[str, Any]:
    """``line`` as stored in ``cases.agenda_line`` (plain JSON; the latest entry's time in UTC)."""
    last = line.last
    return {"owner": line.owner, "plan": line.plan, "due_date": line.due_date, "leader": line.leader,
            "waiting_on": line.waiting_on, "lists": list(line.lists),
            "last": None if last is None else [last.type.value, last.at.astimezone(UTC).isoformat(), last.note]}


def _last_entry(stored: list | None) -> LastEntry | None:
    if not stored:
        return None
    kind, at, note = stored
    return LastEntry(datetime.fromisoformat(at), EVENT_TYPES[kind], note)


EVENT_TYPES = {kind.value: kind for kind in EventType}
_LINE_COLUMNS = (CaseModel.id, CaseModel.case_no, CaseModel.received_at, CaseModel.village, CaseModel.summary,
                 CaseModel.category, CaseModel.grade, CaseModel.risk, CaseModel.status,
                 type_coerce(CaseModel.agenda_line, String()))


def agenda_lines(session: Session, conditions: Sequence[ColumnElement[bool]], moment: datetime,
                 ) -> list[tuple[AgendaItem, tuple[str, ...]]]:
    """The agenda line of each case matching ``conditions`` as of ``moment``, and the lists it is
    on, from the stored copies: the case row (its line, the latest entry of its timeline
    included) and its parties' names. Only for cases whose copy is as of ``moment`` or earlier
    (nothing recorded after it), for which the line read off the timeline at ``moment`` is the
    stored one."""
    # Plain rows through the connection: thousands of lines, none of them needed as mapped
    # objects; the stored line is read as text and decoded here, once.
    connection = session.connection()
    rows = connection.execute(select(*_LINE_COLUMNS).where(CaseModel.clocks_as_of <= moment, *conditions)).all()
    ids = [r.id for r in rows]
    names: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        parties = (select(PartyModel.case_id, PartyModel.name)
                   .where(PartyModel.case_id.in_(chunk), PartyModel.name != "")
                   .order_by(PartyModel.case_id, PartyModel.seq))
        for case_id, name in connection.execute(parties).all():  # fetched at once, not row by row
            names.setdefault(case_id, []).append(name)
    lines = []
    loads = json.loads
    for case_id, case_no, received_at, village, summary, category, grade, risk, status, stored in rows:
        # Text on SQLite; psycopg hands PostgreSQL's json over already decoded.
        line = (loads(stored) if isinstance(stored, str) else stored) or {}
        item = AgendaItem(
            case_no=case_no, received_at=received_at, village=village, category=category,
            grade=_GRADES[grade], risk=_RISKS[risk] if risk else None, status=_STATUSES[status],
            summary=summary, parties=tuple(names.get(case_id, ())), age_days=age_days(received_at, moment),
            owner=line.get("owner", ""), plan=line.get("plan", ""), due_date=line.get("due_date", ""),
            leader=line.get("leader", ""), waiting_on=line.get("waiting_on", ""),
            last_event=_last_entry(line.get("last")))
        lines.append((item, tuple(line.get("lists", ()))))
    return lines


def overdue_by_owner_stored(session: Session, conditions: Sequence[ColumnElement[bool]], now: datetime,
                            rules: Rules) -> Counter[str]:
    """The clocks overdue at ``now`` of the cases matching ``conditions``, counted per owner as
    the agenda shows them (``meeting.overdue_by_owner``): the stored open rows counted by the
    database, the progress clocks grown since and the cases recorded ahead of ``now`` read here."""
    ahead, conditions, _skipped = _ahead_apart(session, conditions, now, rules)
    found = overdue_by_owner(ahead)
    query = (select(CaseClockModel.owner, func.count())
             .join(CaseModel, CaseModel.id == CaseClockModel.case_id)
             .where(CaseClockModel.done_at.is_(None), CaseClockModel.due_at < now, *conditions)
             .group_by(CaseClockModel.owner))
    for owner, number in session.execute(query):
        found[owner_label(owner)] += number
    found.update(overdue_by_owner(grown_clocks(session, conditions, now, rules)))
    return found


_GRADES = {g.value: g for g in Grade}
_RISKS = {r.value: r for r in Risk}
_STATUSES = {s.value: s for s in Status}


def stale_case_ids(session: Session, conditions: Sequence[ColumnElement[bool]] = ()) -> list[int]:
    return list(session.scalars(select(CaseModel.id).where(*conditions).order_by(CaseModel.id)))

"""Cases in the database: add, read, append to the timeline, edit the intake fields.

Every function takes the caller's session and never commits, so a service can put several
of them in one transaction. Functions that change data write their audit row in that same
transaction. The domain rules are not checked here; the services call ``lifecycle`` first.

This module is also the one import point of the store for the services: the queries, the
reference data and the audit log are re-exported below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from jingyuan_desktop.domain.derived import Derived
from jingyuan_desktop.domain.enums import PartyRole
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.store.audit import AuditEntry, list_audit, write_audit, write_audits
from jingyuan_desktop.store.bulk import insert_rows
from jingyuan_desktop.store.case_queries import (
    CaseFilter,
    CaseRow,
    count_cases,
    iter_cases,
    page_case_rows,
    recent_cases_for_repeat,
    versioned_cases_by_number,
)
from jingyuan_desktop.store.database import dialect_insert
from jingyuan_desktop.store.derived import apply_derived, clock_row, derive_for, save_clocks, set_columns
from jingyuan_desktop.store.errors import DuplicateError, NotFoundError, StaleCaseError
from jingyuan_desktop.store.mapping import (
    case_from_model,
    event_model,
    event_values,
    party_models,
    party_values,
    refresh_derived,
    write_intake,
)
from jingyuan_desktop.store.models import CaseClockModel, CaseCounterModel, CaseModel, EventModel, PartyModel
from jingyuan_desktop.store.reference import (
    calendar_overrides,
    category_tree,
    get_setting,
    list_people,
    list_units,
    replace_category_tree,
    seed_defaults,
    set_calendar_override,
    set_setting,
    upsert_person,
    upsert_unit,
)
from jingyuan_desktop.store.users import count_users

__all__ = [
    "EDITABLE_FIELDS", "AuditEntry", "CaseFilter", "CaseRow", "DuplicateError", "NotFoundError", "StaleCaseError",
    "add_case", "add_new_cases", "append_event", "calendar_overrides", "category_tree", "count_cases", "count_users",
    "existing_case_nos", "get_case", "get_cases", "get_setting", "iter_cases", "list_audit", "list_people",
    "list_units", "next_case_no",
    "page_case_rows", "police_incident_exists", "recent_cases_for_repeat", "repeat_candidates", "replace_category_tree",
    "reserve_case_nos", "seed_defaults",
    "set_calendar_override", "set_setting", "update_case", "upsert_person", "upsert_unit", "write_audit",
]

# Keeps IN lists well below every backend's limit on bound parameters.
CHUNK = 500

# Intake fields that may be corrected after the case is saved. Classification changes go
# through ``classified`` events instead, so that the timeline shows who changed what.
EDITABLE_FIELDS = frozenset({
    "source", "police_incident_no", "police_station", "called_at", "officer", "village",
    "location", "summary", "key_persons", "repeat_of", "parties",
})


_COUNTERS = cast(Table, CaseCounterModel.__table__)


def _highest_serial(session: Session, head: str) -> int:
    """The highest plain serial after ``head`` among stored case numbers (0 when none)."""
    query = (
        select(CaseModel.case_no)
        .where(CaseModel.case_no.startswith(head, autoescape=True))
        # Longest first: "-100000" sorts below "-99999" as text.
        .order_by(func.length(CaseModel.case_no).desc(), CaseModel.case_no.desc())
    )
    for case_no in session.scalars(query):
        serial = case_no[len(head):]
        if re.fullmatch(r"\d+", serial):  # an imported number may carry a suffix; skip it
            return int(serial)
    return 0


def next_case_no(session: Session, prefix: str, year: int) -> str:
    """``FZ-2026-00042``: the next serial of prefix and year, drawn inside the caller's write
    transaction from the ``case_counters`` row, whose lock holds any other PC drawing one until
    this transaction ends; two writers never take the same number (``reserve_case_nos``)."""
    return reserve_case_nos(session, prefix, year, 1)[0]


_CASE_NO = re.compile(r"^(.{1,40})-(\d{4})-(\d+)$")


def _keep_counter_ahead(session: Session, case_no: str) -> None:
    """A case stored under a number of its own (an import) moves its counter up to that serial,
    so the next number drawn follows it instead of running into it."""
    match = _CASE_NO.match(case_no)
    if not match:
        return
    prefix, year, serial = match.group(1), int(match.group(2)), int(match.group(3))
    table = _COUNTERS
    where = (table.c.prefix == prefix, table.c.year == year)
    current = session.scalar(select(table.c.last).where(*where))
    if current is None:
        insert = dialect_insert(session)
        session.execute(insert(table).values(prefix=prefix, year=year, last=serial).on_conflict_do_nothing())
    elif current < serial:
        session.execute(update(table).where(*where, table.c.last < serial).values(last=serial))


def existing_case_nos(session: Session, case_nos: Iterable[str]) -> set[str]:
    return _existing(session, CaseModel.case_no, case_nos)


def police_incident_exists(session: Session, nos: Iterable[str]) -> set[str]:
    """The incident numbers among ``nos`` that a stored case already carries."""
    return _existing(session, CaseModel.police_incident_no, nos)


def _existing(session: Session, column, values: Iterable[str]) -> set[str]:
    wanted = sorted({v for v in values if v})
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        found.update(session.scalars(select(column).where(column.in_(wanted[start:start + CHUNK]))))
    return found


def repeat_candidates(session: Session, received_at: datetime, days: int,
                      keep: Callable[[str, str, str, str], bool]) -> list[Case]:
    """The cases of ``recent_cases_for_repeat(session, received_at, days)`` (the same window,
    order and partial fields: the caller is the case's first by ``seq``) for which
    ``keep(village, location, caller's phone, caller's ID number)`` holds.

    An import asks for the few that share a key with one of its rows: the look-back of over a
    year holds most of the database, and building each of its cases as a ``Case`` took a
    second at 100,000 cases while hardly any is a match. One pass over the window reads what
    ``keep`` needs; only the cases kept are read whole."""
    window = (CaseModel.received_at >= received_at - timedelta(days=days), CaseModel.received_at < received_at)
    callers = and_(PartyModel.case_id == CaseModel.id, PartyModel.role == PartyRole.CALLER.value)
    # In the window's order (its index's), each case's rows together: one a caller, or one
    # without any. Their order within a case is left to the database (sorting by seq too cost
    # a sort of the whole window): the first caller is picked by seq here.
    scan = (select(CaseModel.id, CaseModel.village, CaseModel.location, PartyModel.seq, PartyModel.phone,
                   PartyModel.id_number)
            .outerjoin(PartyModel, callers).where(*window).order_by(CaseModel.received_at, CaseModel.id))
    wanted: list[int] = []
    current: Any = None
    for row in session.execute(scan):
        if current is None or row[0] != current[0]:
            if current is not None and keep(current[1], current[2], current[4] or "", current[5] or ""):
                wanted.append(current[0])
            current = row
        elif row[3] < current[3]:  # another caller of the same case, earlier in its list
            current = row
    if current is not None and keep(current[1], current[2], current[4] or "", current[5] or ""):
        wanted.append(current[0])
    found: dict[int, Case] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        first: dict[int, Party] = {}
        for case_id, name, phone, id_number in session.execute(
                select(PartyModel.case_id, PartyModel.name, PartyModel.phone, PartyModel.id_number)
                .where(PartyModel.case_id.in_(chunk), PartyModel.role == PartyRole.CALLER.value)
                .order_by(PartyModel.seq)):
            first.setdefault(case_id, Party(name=name, phone=phone, role=PartyRole.CALLER, id_number=id_number))
        for r in session.execute(select(CaseModel.id, CaseModel.case_no, CaseModel.village, CaseModel.location,
                                        CaseModel.received_at).where(CaseModel.id.in_(chunk))):
            found[r.id] = Case(received_at=r.received_at, village=r.village, summary="", category="",
                               case_no=r.case_no, location=r.location,
                               parties=[first[r.id]] if r.id in first else [])
    return [found[case_id] for case_id in wanted]


def _new_case_row(case: Case, *, user: str, at: datetime) -> CaseModel:
    """The row of a new case with its parties and timeline, not yet added to the session."""
    row = CaseModel(created_at=at, updated_at=at)
    write_intake(row, case)
    refresh_derived(row, case)
    row.parties = party_models(case.parties)
    row.events = [event_model(e, seq, recorded_by=user, recorded_at=at) for seq, e in enumerate(case.events)]
    return row


def add_case(session: Session, case: Case, *, user: str, at: datetime, audit: bool = True) -> int:
    """Store a new case with its parties and timeline; returns its version (1).

    ``audit=False`` is for bulk loads that write one summary audit row themselves.
    """
    if not case.case_no:
        raise ValueError("case_no must be set before the case is stored")
    _refuse_duplicates(session, case, own_id=None)
    _keep_counter_ahead(session, case.case_no)
    row = _new_case_row(case, user=user, at=at)
    derived = apply_derived(session, row, case, at)
    session.add(row)
    _flush(session)
    save_clocks(session, [(row.id, derived)], replace=False)
    if audit:
        write_audit(session, user=user, action="add", entity="case", entity_id=case.case_no,
                    before=None, after=asdict(case), at=at)
    return row.version


def reserve_case_nos(session: Session, prefix: str, year: int, count: int) -> list[str]:
    """``count`` new numbers of prefix and year in one step of the counter row (an import's
    block), skipping any a case already holds (one imported with its own number)."""
    if count <= 0:
        return []
    head = f"{prefix}-{year}-"
    table = _COUNTERS
    where = (table.c.prefix == prefix, table.c.year == year)
    if session.scalar(select(table.c.last).where(*where)) is None:
        insert = dialect_insert(session)
        session.execute(insert(table).values(prefix=prefix, year=year, last=_highest_serial(session, head))
                        .on_conflict_do_nothing())
    numbers: list[str] = []
    while len(numbers) < count:
        wanted = count - len(numbers)
        last = session.execute(update(table).where(*where).values(last=table.c.last + wanted)
                               .returning(table.c.last)).scalar_one()
        block = [f"{head}{serial:05d}" for serial in range(last - wanted + 1, last + 1)]
        taken = existing_case_nos(session, block)
        numbers += [no for no in block if no not in taken]
    return numbers


def add_new_cases(session: Session, cases: list[Case], *, user: str, at: datetime) -> None:
    """Store many new cases at once (an import): one check for numbers already in use, then the
    rows of every table written as a few multi-row INSERTs, and their audit rows chained in one
    step. Numbers must come from the counter (``reserve_case_nos``) or be checked by the caller.

    The rows are the ones ``add_case`` stores, column for column (``mapping.write_intake``,
    ``refresh_derived``, ``derived.set_columns``), built as plain values rather than mapped
    objects: at 10,000 cases the mapped rows' bookkeeping cost seconds.
    """
    if not cases:
        return
    numbers = existing_case_nos(session, [c.case_no for c in cases])
    incidents = police_incident_exists(session, [c.police_incident_no for c in cases if c.police_incident_no])
    if numbers or incidents:
        taken = sorted(numbers) + sorted(incidents)
        raise DuplicateError(f"编号已被其他记录使用：{'、'.join(taken[:5])}，请刷新后重试")
    session.flush()  # whatever the session holds goes first, as a flush of the mapped rows would
    derived = [derive_for(session, case, at) for case in cases]
    rows = [_case_values(case, d, at) for case, d in zip(cases, derived, strict=True)]
    with _unique_violations():
        insert_rows(session, cast(Table, CaseModel.__table__), rows)
    ids = _case_ids(session, [case.case_no for case in cases])
    parties = [{"case_id": ids[case.case_no], **values} for case in cases for values in party_values(case.parties)]
    events = [{"case_id": ids[case.case_no], **event_values(event, seq, recorded_by=user, recorded_at=at)}
              for case in cases for seq, event in enumerate(case.events)]
    insert_rows(session, cast(Table, PartyModel.__table__), parties)
    insert_rows(session, cast(Table, EventModel.__table__), events)
    # What ``save_clocks(..., replace=False)`` writes, through the same bulk insert as the rest.
    clocks = [clock_row(ids[case.case_no], clock) for case, d in zip(cases, derived, strict=True) for clock in d.clocks]
    insert_rows(session, cast(Table, CaseClockModel.__table__), clocks)
    # The case itself as ``after``: ``jsonable`` turns a dataclass into what it turns its
    # ``asdict`` into (what ``add_case`` hands over), without a copy of every value first.
    write_audits(session, [dict(user=user, action="add", entity="case", entity_id=case.case_no, before=None,
                                after=case, at=at) for case in cases])


def _case_ids(session: Session, case_nos: list[str]) -> dict[str, int]:
    """The row ids of the cases just stored, by number (numbers are unique)."""
    found: dict[str, int] = {}
    for start in range(0, len(case_nos), CHUNK):
        chunk = case_nos[start:start + CHUNK]
        query = select(CaseModel.case_no, CaseModel.id).where(CaseModel.case_no.in_(chunk))
        found.update((case_no, case_id) for case_no, case_id in session.execute(query))
    return found


class _Values:
    """An attribute bag that ``write_intake``, ``refresh_derived`` and ``set_columns`` fill
    as they would a mapped row; its ``__dict__`` is then the row's values."""


def _case_values(case: Case, derived: Derived, at: datetime) -> dict[str, Any]:
    values = _Values()
    row = cast(CaseModel, values)
    write_intake(row, case)
    refresh_derived(row, case)
    set_columns(row, derived)
    return {**vars(values), "created_at": at, "updated_at": at, "version": 1}


@contextmanager
def _unique_violations() -> Iterator[None]:
    try:
        yield
    except IntegrityError as error:
        if "unique" not in str(error.orig).lower():
            raise
        # Another PC stored the same number between our check and our write.
        raise DuplicateError("案件编号或警情编号已被其他记录使用，请刷新后重试") from error


def get_case(session: Session, case_no: str) -> tuple[Case, int]:
    """The case with parties and timeline, and the version to hand back with a change."""
    row = _load(session, case_no)
    return case_from_model(row), row.version


def get_cases(session: Session, case_nos: Iterable[str]) -> dict[str, tuple[Case, int]]:
    """Several cases by number in a few queries, read as plain rows (one slip's case in 0.15 ms
    where the mapped rows took 0.7); numbers not found are left out."""
    wanted = sorted(set(case_nos))
    found: dict[str, tuple[Case, int]] = {}
    for start in range(0, len(wanted), CHUNK):
        for case, version in versioned_cases_by_number(session, wanted[start:start + CHUNK]):
            found[case.case_no] = (case, version)
    return found


def append_event(
    session: Session, case_no: str, event: Event, expected_version: int, *, recorded_by: str, recorded_at: datetime
) -> int:
    """Add ``event`` to the end of the timeline; returns the case's new version.

    Raises StaleCaseError when the case is no longer at ``expected_version``.
    """
    row = _load(session, case_no)
    _expect(row, expected_version)
    case = case_from_model(row)
    before = {"version": row.version, "status": row.status}
    seq = max((e.seq for e in row.events), default=-1) + 1
    row.events.append(event_model(event, seq, recorded_by=recorded_by, recorded_at=recorded_at))
    case.events.append(event)
    derived = _touch(session, row, case, recorded_at)
    _flush(session)
    save_clocks(session, [(row.id, derived)])
    write_audit(session, user=recorded_by, action="append_event", entity="case", entity_id=case_no,
                before=before, after={"version": row.version, "status": row.status, "event": event},
                at=recorded_at)
    return row.version


def update_case(
    session: Session, case_no: str, changes: dict[str, Any], expected_version: int, *, user: str, at: datetime
) -> int:
    """Correct intake fields (``EDITABLE_FIELDS``; parties are replaced as a whole)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"fields that cannot be edited: {sorted(unknown)}")
    row = _load(session, case_no)
    _expect(row, expected_version)
    case = case_from_model(row)
    before = {name: getattr(case, name) for name in changes if getattr(case, name) != changes[name]}
    if not before:
        return row.version
    for name in before:
        setattr(case, name, changes[name])
    _refuse_duplicates(session, case, own_id=row.id)
    write_intake(row, case)
    if "parties" in before:
        row.parties = party_models(case.parties)
    derived = _touch(session, row, case, at)
    _flush(session)
    save_clocks(session, [(row.id, derived)])
    write_audit(session, user=user, action="update", entity="case", entity_id=case_no,
                before=before, after={name: changes[name] for name in before}, at=at)
    return row.version


def _with_timeline(query):
    return query.options(selectinload(CaseModel.parties), selectinload(CaseModel.events))


def _load(session: Session, case_no: str) -> CaseModel:
    row = session.scalars(_with_timeline(select(CaseModel).where(CaseModel.case_no == case_no))).one_or_none()
    if row is None:
        raise NotFoundError(f"找不到案件 {case_no}")
    return row


def _expect(row: CaseModel, expected_version: int) -> None:
    if row.version != expected_version:
        raise StaleCaseError()


def _touch(session: Session, row: CaseModel, case: Case, at: datetime) -> Derived:
    refresh_derived(row, case)
    derived = apply_derived(session, row, case, at)
    row.updated_at = at
    # Forces the UPDATE (and with it the version check and bump) even when no column of the
    # case row itself changed, e.g. a progress note that leaves the status as it was.
    flag_modified(row, "updated_at")
    return derived


def _refuse_duplicates(session: Session, case: Case, own_id: int | None) -> None:
    others = select(CaseModel.case_no)
    if own_id is not None:
        others = others.where(CaseModel.id != own_id)
    if own_id is None and session.scalars(others.where(CaseModel.case_no == case.case_no)).first():
        raise DuplicateError(f"案件编号 {case.case_no} 已存在")
    if case.police_incident_no:
        holder = session.scalars(others.where(CaseModel.police_incident_no == case.police_incident_no)).first()
        if holder:
            raise DuplicateError(f"警情编号 {case.police_incident_no} 已登记在案件 {holder} 中")


def _flush(session: Session) -> None:
    try:
        with _unique_violations():
            session.flush()
    except StaleDataError as error:
        raise StaleCaseError() from error

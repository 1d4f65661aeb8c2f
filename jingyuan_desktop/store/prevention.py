"""Reading and writing the prevention half's records (issue 14).

Every change writes its audit row in the same transaction. Nothing is deleted but patrol
entries entered in error and citizen records merged into another: grids, points and beats are
made inactive, key persons get an end date, warnings are withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from jingyuan_desktop.domain.persons import match_citizen, normalize_id_number, normalize_phone, possible_duplicates
from jingyuan_desktop.domain.prevention import (
    Citizen,
    Grid,
    JointPoint,
    KeyPerson,
    KeyPersonVisit,
    OfficerBeat,
    Patrol,
    PatrolRole,
    Warning,
)
from jingyuan_desktop.store.audit import write_change
from jingyuan_desktop.store.errors import DuplicateError, NotFoundError
from jingyuan_desktop.store.models import CaseModel, PartyModel
from jingyuan_desktop.store.prevention_models import (
    CaseCitizenModel,
    CitizenModel,
    CitizenReviewModel,
    GridModel,
    JointPointModel,
    KeyPersonModel,
    KeyPersonVisitModel,
    OfficerBeatModel,
    PatrolModel,
    WarningModel,
)


# ---- grids, joint-defence points, officers' beats ---------------------------------------
def grid_from_row(row: GridModel) -> Grid:
    return Grid(village=row.village, name=row.name, head=row.head, workers=tuple(row.workers or ()),
                since=row.since, note=row.note, id=row.id)


def _grid_state(row: GridModel) -> dict:
    return {"village": row.village, "name": row.name, "head": row.head, "workers": list(row.workers or ()),
            "since": row.since.isoformat() if row.since else None, "note": row.note, "active": row.active}


def list_grids(session: Session, village: str | None = None, *, include_inactive: bool = False) -> list[Grid]:
    query = select(GridModel).order_by(GridModel.village, GridModel.id)  # the office's own order
    if village is not None:
        query = query.where(GridModel.village == village)
    if not include_inactive:
        query = query.where(GridModel.active.is_(True))
    return [grid_from_row(row) for row in session.scalars(query)]


def upsert_grid(session: Session, grid: Grid, *, active: bool = True, user: str, at: datetime) -> None:
    """Add the grid, or update the one of the same village and name."""
    row = session.scalars(select(GridModel).where(GridModel.village == grid.village,
                                                  GridModel.name == grid.name)).one_or_none()
    before = _grid_state(row) if row is not None else None
    if row is None:
        row = GridModel(village=grid.village, name=grid.name)
        session.add(row)
    row.head, row.workers, row.since, row.note, row.active = (grid.head, list(grid.workers), grid.since, grid.note,
                                                              active)
    write_change(session, "grid", grid.key, before, _grid_state(row), user=user, at=at)


def list_joint_points(session: Session, village: str | None = None) -> list[JointPoint]:
    query = select(JointPointModel).where(JointPointModel.active.is_(True)).order_by(JointPointModel.village,
                                                                                    JointPointModel.name)
    if village is not None:
        query = query.where(JointPointModel.village == village)
    return [JointPoint(village=r.village, name=r.name, grid=r.grid, head=r.head, phone=r.phone, id=r.id)
            for r in session.scalars(query)]


def upsert_joint_point(session: Session, point: JointPoint, *, active: bool = True, user: str, at: datetime) -> None:
    row = session.scalars(select(JointPointModel).where(JointPointModel.village == point.village,
                                                        JointPointModel.name == point.name)).one_or_none()
    state = {"grid": point.grid, "head": point.head, "phone": point.phone, "active": active}
    before = None if row is None else {"grid": row.grid, "head": row.head, "phone": row.phone, "active": row.active}
    if row is None:
        row = JointPointModel(village=point.village, name=point.name)
        session.add(row)
    row.grid, row.head, row.phone, row.active = point.grid, point.head, point.phone, active
    write_change(session, "joint_point", f"{point.village}/{point.name}", before, state, user=user, at=at)


def list_beats(session: Session) -> list[OfficerBeat]:
    query = select(OfficerBeatModel).where(OfficerBeatModel.active.is_(True)).order_by(OfficerBeatModel.officer,
                                                                                      OfficerBeatModel.village)
    return [OfficerBeat(officer=r.officer, village=r.village, since=r.since, id=r.id) for r in session.scalars(query)]


def upsert_beat(session: Session, beat: OfficerBeat, *, active: bool = True, user: str, at: datetime) -> None:
    row = session.scalars(select(OfficerBeatModel).where(OfficerBeatModel.officer == beat.officer,
                                                         OfficerBeatModel.village == beat.village)).one_or_none()
    before = None if row is None else {"since": row.since.isoformat() if row.since else None, "active": row.active}
    if row is None:
        row = OfficerBeatModel(officer=beat.officer, village=beat.village)
        session.add(row)
    row.since, row.active = beat.since, active
    after = {"since": row.since.isoformat() if row.since else None, "active": row.active}
    write_change(session, "officer_beat", f"{beat.officer}|{beat.village}", before, after, user=user, at=at)


# ---- citizens ---------------------------------------------------------------------------
def citizen_from_row(row: CitizenModel) -> Citizen:
    return Citizen(name=row.name, id_number=row.id_number, phone=row.phone, village=row.village, grid=row.grid,
                   address=row.address, id=row.id)


def get_citizen(session: Session, citizen_id: int) -> Citizen:
    row = session.get(CitizenModel, citizen_id)
    if row is None:
        raise NotFoundError(f"找不到编号为 {citizen_id} 的人员")
    return citizen_from_row(row)


def candidates(session: Session, phone: str, id_number: str) -> list[Citizen]:
    """Citizens sharing the (normalised) phone or ID number: all a match can be among."""
    wanted = []
    if id_number:
        wanted.append(CitizenModel.id_number == id_number)
    if phone:
        wanted.append(CitizenModel.phone == phone)
    if not wanted:
        return []
    return [citizen_from_row(row) for row in session.scalars(select(CitizenModel).where(or_(*wanted)))]


def add_citizen(session: Session, citizen: Citizen, *, at: datetime) -> int:
    row = CitizenModel(name=citizen.name.strip(), id_number=normalize_id_number(citizen.id_number),
                       phone=normalize_phone(citizen.phone), village=citizen.village, grid=citizen.grid,
                       address=citizen.address, created_at=at, updated_at=at)
    session.add(row)
    session.flush()
    return row.id


def find_or_add_citizen(session: Session, citizen: Citizen, *, at: datetime) -> int:
    """The citizen this name, phone and ID number are (``domain.persons.match_citizen``), added
    when there is none; a possible match with another name is left to the review."""
    phone, id_number = normalize_phone(citizen.phone), normalize_id_number(citizen.id_number)
    match = match_citizen(citizen.name, phone, id_number, candidates(session, phone, id_number))
    if match.citizen_id is not None:
        row = session.get(CitizenModel, match.citizen_id)
        assert row is not None
        # Fill what the record lacked; never overwrite what it holds.
        for name, value in (("id_number", id_number), ("phone", phone), ("village", citizen.village),
                            ("grid", citizen.grid), ("address", citizen.address)):
            if value and not getattr(row, name):
                setattr(row, name, value)
                row.updated_at = at
        return match.citizen_id
    return add_citizen(session, citizen, at=at)


def link_case_parties(session: Session, case_ids: Iterable[int], *, at: datetime) -> int:
    """Give each named party of these cases its citizen record; returns the links made."""
    ids = list(case_ids)
    if not ids:
        return 0
    linked = {(case_id, seq) for case_id, seq in session.execute(
        select(CaseCitizenModel.case_id, CaseCitizenModel.party_seq).where(CaseCitizenModel.case_id.in_(ids)))}
    rows = session.execute(select(PartyModel, CaseModel.village, CaseModel.grid)
                           .join(CaseModel, CaseModel.id == PartyModel.case_id)
                           .where(PartyModel.case_id.in_(ids)).order_by(PartyModel.case_id, PartyModel.seq)).all()
    made = 0
    for party, village, grid in rows:
        if (party.case_id, party.seq) in linked or not party.name.strip():
            continue
        if not (party.phone.strip() or party.id_number.strip()):
            continue  # a bare name is not enough to know anyone again
        citizen_id = find_or_add_citizen(session, Citizen(name=party.name, id_number=party.id_number,
                                                          phone=party.phone, village=village, grid=grid), at=at)
        session.add(CaseCitizenModel(case_id=party.case_id, party_seq=party.seq, citizen_id=citizen_id))
        made += 1
    session.flush()
    return made


def unlinked_case_ids(session: Session, limit: int = 500, after: int = 0) -> list[int]:
    """Cases (of id above ``after``, in id order) with a party that has a phone or ID number
    but no citizen yet."""
    link = select(CaseCitizenModel.id).where(CaseCitizenModel.case_id == PartyModel.case_id,
                                             CaseCitizenModel.party_seq == PartyModel.seq).exists()
    query = (select(PartyModel.case_id).where(~link, PartyModel.case_id > after, PartyModel.name != "",
                                             or_(PartyModel.phone != "", PartyModel.id_number != ""))
             .group_by(PartyModel.case_id).order_by(PartyModel.case_id).limit(limit))
    return list(session.scalars(query))


def citizen_cases(session: Session, citizen_id: int) -> list[tuple[str, str, datetime, str, str]]:
    """(case_no, party role, received_at, status, summary) of every case the citizen was in."""
    query = (select(CaseModel.case_no, PartyModel.role, CaseModel.received_at, CaseModel.status, CaseModel.summary)
             .join(CaseCitizenModel, CaseCitizenModel.case_id == CaseModel.id)
             .join(PartyModel, and_(PartyModel.case_id == CaseModel.id,
                                    PartyModel.seq == CaseCitizenModel.party_seq))
             .where(CaseCitizenModel.citizen_id == citizen_id).order_by(CaseModel.received_at))
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def case_row_id(session: Session, case_no: str) -> int:
    found = session.scalar(select(CaseModel.id).where(CaseModel.case_no == case_no))
    if found is None:
        raise NotFoundError(f"找不到案件 {case_no}")
    return found


def citizen_ids_of_case(session: Session, case_no: str) -> list[int]:
    query = (select(CaseCitizenModel.citizen_id).join(CaseModel, CaseModel.id == CaseCitizenModel.case_id)
             .where(CaseModel.case_no == case_no).order_by(CaseCitizenModel.party_seq))
    return list(session.scalars(query))


def search_citizens(session: Session, text: str, limit: int = 200) -> list[Citizen]:
    text = text.strip()
    query = select(CitizenModel).order_by(CitizenModel.name, CitizenModel.id).limit(limit)
    if text:
        phone = normalize_phone(text)
        conditions = [CitizenModel.name.contains(text, autoescape=True)]
        if phone:
            conditions.append(CitizenModel.phone.contains(phone, autoescape=True))
        conditions.append(CitizenModel.id_number == normalize_id_number(text))
        query = query.where(or_(*conditions))
    return [citizen_from_row(row) for row in session.scalars(query)]


REVIEW_LIMIT = 500  # pairs offered at a time; deciding them brings the next


def review_pairs(session: Session) -> list[tuple[Citizen, Citizen, str]]:
    """Pairs of records that may be one person and were not yet judged, as
    ``domain.persons.possible_duplicates`` judges them (the one statement of the rule).

    The candidates are found by one self-join per equality (ID number, phone, name with
    village), each on an indexed column or SQLite's automatic index, rather than one join on
    an OR of them, which compares every record with every other (hours at a county's 100,000)."""
    candidates: set[tuple[int, int]] = set()
    for columns in (("id_number",), ("phone",), ("name", "village")):
        first, second = CitizenModel.__table__.alias("a"), CitizenModel.__table__.alias("b")
        decided = select(CitizenReviewModel.id).where(CitizenReviewModel.first_id == first.c.id,
                                                      CitizenReviewModel.second_id == second.c.id).exists()
        equal = [first.c[name] == second.c[name] for name in columns] + [first.c[name] != "" for name in columns]
        query = (select(first.c.id, second.c.id).where(first.c.id < second.c.id, *equal, ~decided)
                 .order_by(first.c.id, second.c.id).limit(REVIEW_LIMIT))
        candidates |= {(a_id, b_id) for a_id, b_id in session.execute(query)}
        if len(candidates) >= REVIEW_LIMIT:
            break
    if not candidates:
        return []
    ids = {i for pair in candidates for i in pair}
    by_id = {row.id: citizen_from_row(row) for row in session.scalars(select(CitizenModel)
                                                                      .where(CitizenModel.id.in_(ids)))}
    judged = possible_duplicates(by_id.values())
    return [(by_id[a_id], by_id[b_id], reason) for a_id, b_id, reason in judged
            if (a_id, b_id) in candidates][:REVIEW_LIMIT]


def mark_distinct(session: Session, first_id: int, second_id: int, *, user: str, at: datetime) -> None:
    low, high = sorted((first_id, second_id))
    exists = session.scalars(select(CitizenReviewModel).where(CitizenReviewModel.first_id == low,
                                                              CitizenReviewModel.second_id == high)).one_or_none()
    if exists is None:
        session.add(CitizenReviewModel(first_id=low, second_id=high, decision="distinct", decided_at=at,
                                       decided_by=user))
    write_change(session, "citizen_review", f"{low}|{high}", None, {"decision": "distinct"}, user=user, at=at)


def merge_citizens(session: Session, keep_id: int, drop_id: int, *, user: str, at: datetime) -> None:
    """One person: the links and key-person entries of ``drop_id`` move to ``keep_id``, which
    takes what it lacked, and ``drop_id`` is removed."""
    if keep_id == drop_id:
        raise DuplicateError("不能把一条人员记录合并到它自己")
    keep, drop = session.get(CitizenModel, keep_id), session.get(CitizenModel, drop_id)
    if keep is None or drop is None:
        raise NotFoundError("要合并的人员记录已不存在，请刷新")
    before = {"keep": citizen_from_row(keep).__dict__, "drop": citizen_from_row(drop).__dict__}
    for name in ("id_number", "phone", "village", "grid", "address"):
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
    keep.updated_at = at
    for link in session.scalars(select(CaseCitizenModel).where(CaseCitizenModel.citizen_id == drop_id)):
        link.citizen_id = keep_id
    for entry in session.scalars(select(KeyPersonModel).where(KeyPersonModel.citizen_id == drop_id)):
        entry.citizen_id = keep_id
    session.flush()
    session.delete(drop)
    write_change(session, "citizen", keep_id, before, {"merged": drop_id}, user=user, at=at, action="merge")


# ---- key persons ------------------------------------------------------------------------
def key_person_from_row(row: KeyPersonModel, name: str) -> KeyPerson:
    return KeyPerson(citizen_id=row.citizen_id, name=name, type=row.type, responsible=row.responsible,
                     measures=row.measures, visit_days=row.visit_days, since=row.since, ended=row.ended,
                     village=row.village, grid=row.grid, note=row.note, id=row.id)


def _key_person_state(row: KeyPersonModel) -> dict:
    return {"citizen_id": row.citizen_id, "type": row.type, "responsible": row.responsible, "measures": row.measures,
            "visit_days": row.visit_days, "since": row.since.isoformat() if row.since else None,
            "ended": row.ended.isoformat() if row.ended else None, "village": row.village, "grid": row.grid,
            "note": row.note}


def list_key_persons(session: Session, *, include_ended: bool = False, on: date | None = None) -> list[KeyPerson]:
    query = (select(KeyPersonModel, CitizenModel.name).join(CitizenModel, CitizenModel.id == KeyPersonModel.citizen_id)
             .order_by(KeyPersonModel.village, CitizenModel.name, KeyPersonModel.id))
    if not include_ended and on is not None:
        query = query.where(or_(KeyPersonModel.ended.is_(None), KeyPersonModel.ended > on))
    return [key_person_from_row(row, name) for row, name in session.execute(query)]


def get_key_person(session: Session, key_person_id: int) -> KeyPerson:
    found = session.execute(select(KeyPersonModel, CitizenModel.name)
                            .join(CitizenModel, CitizenModel.id == KeyPersonModel.citizen_id)
                            .where(KeyPersonModel.id == key_person_id)).one_or_none()
    if found is None:
        raise NotFoundError(f"找不到编号为 {key_person_id} 的重点人员")
    return key_person_from_row(found[0], found[1])


def key_person_citizens(session: Session, citizen_ids: Iterable[int], on: date) -> dict[int, list[KeyPerson]]:
    """The register's entries in force on ``on`` for these citizens."""
    ids = list(citizen_ids)
    if not ids:
        return {}
    out: dict[int, list[KeyPerson]] = {}
    query = (select(KeyPersonModel, CitizenModel.name).join(CitizenModel, CitizenModel.id == KeyPersonModel.citizen_id)
             .where(KeyPersonModel.citizen_id.in_(ids),
                    or_(KeyPersonModel.ended.is_(None), KeyPersonModel.ended > on)))
    for row, name in session.execute(query):
        out.setdefault(row.citizen_id, []).append(key_person_from_row(row, name))
    return out


def parties_on_register(session: Session, parties: Iterable[Any], on: date) -> list[KeyPerson]:
    """Register entries in force on ``on`` for any of these parties, matched by phone or ID
    number as the citizens are (``domain.persons``)."""
    phones = {normalize_phone(p.phone) for p in parties} - {""}
    numbers = {normalize_id_number(p.id_number) for p in parties} - {""}
    wanted = []
    if phones:
        wanted.append(CitizenModel.phone.in_(phones))
    if numbers:
        wanted.append(CitizenModel.id_number.in_(numbers))
    if not wanted:
        return []
    ids = list(session.scalars(select(CitizenModel.id).where(or_(*wanted))))
    return [entry for group in key_person_citizens(session, ids, on).values() for entry in group]


def save_key_person(session: Session, person: KeyPerson, *, user: str, at: datetime) -> int:
    """Add the entry (``person.id`` None) or update it; returns its id."""
    if person.id is None:
        row = KeyPersonModel(citizen_id=person.citizen_id, created_at=at)
        session.add(row)
        before = None
    else:
        found = session.get(KeyPersonModel, person.id)
        if found is None:
            raise NotFoundError(f"找不到编号为 {person.id} 的重点人员")
        row, before = found, _key_person_state(found)
    row.citizen_id, row.type, row.responsible, row.measures = (person.citizen_id, person.type, person.responsible,
                                                               person.measures)
    row.visit_days, row.since, row.ended = person.visit_days, person.since, person.ended
    row.village, row.grid, row.note, row.updated_at = person.village, person.grid, person.note, at
    session.flush()
    write_change(session, "key_person", row.id, before, _key_person_state(row), user=user, at=at)
    return row.id


def add_visit(session: Session, visit: KeyPersonVisit, *, user: str, at: datetime) -> int:
    if session.get(KeyPersonModel, visit.key_person_id) is None:
        raise NotFoundError(f"找不到编号为 {visit.key_person_id} 的重点人员")
    row = KeyPersonVisitModel(key_person_id=visit.key_person_id, at=visit.at, by=visit.by, note=visit.note,
                              recorded_at=at, recorded_by=user)
    session.add(row)
    session.flush()
    write_change(session, "key_person_visit", row.id, None,
           {"key_person_id": visit.key_person_id, "at": visit.at, "by": visit.by, "note": visit.note},
           user=user, at=at)
    return row.id


def list_visits(session: Session, key_person_ids: Iterable[int] | None = None) -> list[KeyPersonVisit]:
    query = select(KeyPersonVisitModel).order_by(KeyPersonVisitModel.key_person_id, KeyPersonVisitModel.at)
    if key_person_ids is not None:
        query = query.where(KeyPersonVisitModel.key_person_id.in_(list(key_person_ids)))
    return [KeyPersonVisit(key_person_id=r.key_person_id, at=r.at, by=r.by, note=r.note, id=r.id)
            for r in session.scalars(query)]


# ---- patrols ----------------------------------------------------------------------------
def patrol_from_row(row: PatrolModel) -> Patrol:
    return Patrol(at=row.at, worker=row.worker, role=PatrolRole(row.role), village=row.village, grid=row.grid,
                  households=row.households, findings=row.findings, case_no=row.case_no, id=row.id)


def _patrol_state(row: PatrolModel) -> dict:
    return {"at": row.at, "worker": row.worker, "role": row.role, "village": row.village, "grid": row.grid,
            "households": row.households, "findings": row.findings, "case_no": row.case_no}


def add_patrols(session: Session, patrols: Iterable[Patrol], *, user: str, at: datetime) -> list[int]:
    rows = []
    for patrol in patrols:
        row = PatrolModel(at=patrol.at, worker=patrol.worker, role=PatrolRole(patrol.role).value,
                          village=patrol.village, grid=patrol.grid, households=patrol.households,
                          findings=patrol.findings, case_no=patrol.case_no, recorded_at=at, recorded_by=user)
        session.add(row)
        rows.append(row)
    session.flush()
    for row in rows:
        write_change(session, "patrol", row.id, None, _patrol_state(row), user=user, at=at)
    return [row.id for row in rows]


def get_patrol(session: Session, patrol_id: int) -> Patrol:
    row = session.get(PatrolModel, patrol_id)
    if row is None:
        raise NotFoundError(f"找不到编号为 {patrol_id} 的走访记录")
    return patrol_from_row(row)


def set_patrol_case(session: Session, patrol_id: int, case_no: str, *, user: str, at: datetime) -> None:
    row = session.get(PatrolModel, patrol_id)
    if row is None:
        raise NotFoundError(f"找不到编号为 {patrol_id} 的走访记录")
    if row.case_no:
        raise DuplicateError(f"该走访发现已转为案件 {row.case_no}")
    before = _patrol_state(row)
    row.case_no = case_no
    write_change(session, "patrol", row.id, before, _patrol_state(row), user=user, at=at)


def delete_patrol(session: Session, patrol_id: int, *, user: str, at: datetime) -> None:
    row = session.get(PatrolModel, patrol_id)
    if row is None:
        raise NotFoundError(f"找不到编号为 {patrol_id} 的走访记录")
    if row.case_no:
        raise DuplicateError(f"该走访发现已转为案件 {row.case_no}，不能删除")
    write_change(session, "patrol", row.id, _patrol_state(row), None, user=user, at=at)
    session.delete(row)


def list_patrols(session: Session, first: datetime | None = None, last: datetime | None = None, *,
                 village: str | None = None, worker: str | None = None) -> list[Patrol]:
    """Patrols with ``first <= at < last``, oldest first."""
    query = select(PatrolModel).order_by(PatrolModel.at, PatrolModel.id)
    if first is not None:
        query = query.where(PatrolModel.at >= first)
    if last is not None:
        query = query.where(PatrolModel.at < last)
    if village is not None:
        query = query.where(PatrolModel.village == village)
    if worker is not None:
        query = query.where(PatrolModel.worker == worker)
    return [patrol_from_row(row) for row in session.scalars(query)]


def reports_with_cases(session: Session, first: datetime | None, last: datetime | None
                       ) -> list[tuple[Patrol, str | None, datetime | None]]:
    """Findings with ``first <= at < last`` (None: unbounded) that became cases, with the case's
    status and resolution time."""
    query = (select(PatrolModel, CaseModel.status, CaseModel.resolved_at)
             .outerjoin(CaseModel, CaseModel.case_no == PatrolModel.case_no)
             .where(PatrolModel.case_no.is_not(None)).order_by(PatrolModel.worker, PatrolModel.at))
    if first is not None:
        query = query.where(PatrolModel.at >= first)
    if last is not None:
        query = query.where(PatrolModel.at < last)
    return [(patrol_from_row(row), status, resolved) for row, status, resolved in session.execute(query)]


# ---- warnings ---------------------------------------------------------------------------
def warning_from_row(row: WarningModel) -> Warning:
    return Warning(starts=row.starts, ends=row.ends, text=row.text, villages=tuple(row.villages or ()),
                   grids=tuple(row.grids or ()), daily_patrols=row.daily_patrols, id=row.id)


def add_warning(session: Session, warning: Warning, *, user: str, at: datetime) -> int:
    row = WarningModel(starts=warning.starts, ends=warning.ends, text=warning.text.strip(),
                       villages=list(warning.villages), grids=list(warning.grids),
                       daily_patrols=warning.daily_patrols, active=True, created_at=at, created_by=user)
    session.add(row)
    session.flush()
    state = {"starts": warning.starts.isoformat(), "ends": warning.ends.isoformat(), "text": row.text,
             "villages": row.villages, "grids": row.grids, "daily_patrols": row.daily_patrols}
    write_change(session, "warning", row.id, None, state, user=user, at=at)
    return row.id


def withdraw_warning(session: Session, warning_id: int, *, user: str, at: datetime) -> None:
    row = session.get(WarningModel, warning_id)
    if row is None or not row.active:
        raise NotFoundError(f"找不到编号为 {warning_id} 的预警")
    row.active = False
    write_change(session, "warning", row.id, {"active": True}, {"active": False}, user=user, at=at)


def list_warnings(session: Session, *, ending_on_or_after: date | None = None) -> list[Warning]:
    query = select(WarningModel).where(WarningModel.active.is_(True)).order_by(WarningModel.starts, WarningModel.id)
    if ending_on_or_after is not None:
        query = query.where(WarningModel.ends >= ending_on_or_after)
    return [warning_from_row(row) for row in session.scalars(query)]


def count_prevention_rows(session: Session) -> dict[str, int]:
    """How many grids, key persons and patrols there are (the demo and the tests use it)."""
    return {name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in (("grids", GridModel), ("key_persons", KeyPersonModel), ("patrols", PatrolModel),
                                ("citizens", CitizenModel), ("warnings", WarningModel))}

"""Data the office edits: units, people, the category tree, settings and calendar dates.

Nothing is deleted: a unit, person or category that is no longer used is made inactive, so
that old cases naming it still read correctly.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.util import identity_key

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.categories import DEFAULT_TREE, CategoryTree
from jingyuan_desktop.domain.enums import PersonRole, UnitKind
from jingyuan_desktop.domain.model import Person, Unit
from jingyuan_desktop.store.audit import write_change
from jingyuan_desktop.store.errors import NotFoundError
from jingyuan_desktop.store.mapping import jsonable, person_from_model, unit_from_model
from jingyuan_desktop.store.models import CalendarOverrideModel, CategoryModel, PersonModel, SettingModel, UnitModel

SYSTEM_USER = "系统"


# ---- units ----------------------------------------------------------------------------
def list_units(session: Session, kind: UnitKind | str | None = None, *, include_inactive: bool = False) -> list[Unit]:
    query = select(UnitModel).order_by(UnitModel.sort_order, UnitModel.id)
    if kind is not None:
        query = query.where(UnitModel.kind == UnitKind(kind).value)
    if not include_inactive:
        query = query.where(UnitModel.active.is_(True))
    return [unit_from_model(row) for row in session.scalars(query)]


def upsert_unit(
    session: Session, unit: Unit, *, sort_order: int | None = None, active: bool = True, user: str, at: datetime
) -> None:
    """Add the unit, or update the one with the same name."""
    row = session.scalars(select(UnitModel).where(UnitModel.name == unit.name)).one_or_none()
    if row is None:
        row = UnitModel(name=unit.name, sort_order=0)
        session.add(row)
    before = _unit_state(row) if row.id is not None else None
    row.kind = UnitKind(unit.kind).value
    if sort_order is not None:
        row.sort_order = sort_order
    row.active = active
    write_change(session, "unit", unit.name, before, _unit_state(row), user=user, at=at)


def _unit_state(row: UnitModel) -> dict:
    return {"name": row.name, "kind": row.kind, "sort_order": row.sort_order, "active": row.active}


# ---- people ---------------------------------------------------------------------------
def list_people(session: Session, unit: str | None = None, *, include_inactive: bool = False) -> list[Person]:
    """People of ``unit`` (all people when None), in the order they were entered."""
    query = select(PersonModel).options(selectinload(PersonModel.unit)).order_by(PersonModel.id)
    if unit is not None:
        query = query.join(UnitModel, PersonModel.unit_id == UnitModel.id).where(UnitModel.name == unit)
    if not include_inactive:
        query = query.where(PersonModel.active.is_(True))
    return [person_from_model(row) for row in session.scalars(query)]


def upsert_person(session: Session, person: Person, *, active: bool = True, user: str, at: datetime) -> None:
    """Add the person, or update the one with the same name in the same unit."""
    unit_id = _unit_id(session, person.unit)
    same_unit = PersonModel.unit_id.is_(None) if unit_id is None else PersonModel.unit_id == unit_id
    row = session.scalars(select(PersonModel).where(PersonModel.name == person.name, same_unit)).one_or_none()
    if row is None:
        row = PersonModel(name=person.name, unit_id=unit_id)
        session.add(row)
    before = _person_state(row, person.unit) if row.id is not None else None
    row.role = PersonRole(person.role).value
    row.phone = person.phone
    row.skills = list(person.skills)
    row.active = active
    entity_id = f"{person.unit or ''}/{person.name}"
    write_change(session, "person", entity_id, before, _person_state(row, person.unit), user=user, at=at)


def _unit_id(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    unit_id = session.scalar(select(UnitModel.id).where(UnitModel.name == name))
    if unit_id is None:
        raise NotFoundError(f"未知的单位“{name}”，请先在单位中添加")
    return unit_id


def _person_state(row: PersonModel, unit: str | None) -> dict:
    return {"name": row.name, "unit": unit, "role": row.role, "phone": row.phone,
            "skills": list(row.skills or []), "active": row.active}


# ---- categories -----------------------------------------------------------------------
def category_tree(session: Session) -> CategoryTree:
    """The active categories; a minor class whose major class is inactive is left out."""
    rows = session.scalars(
        select(CategoryModel).where(CategoryModel.active.is_(True)).order_by(CategoryModel.sort_order, CategoryModel.id)
    ).all()
    majors = {row.id: row.name for row in rows if row.parent_id is None}
    tree: dict[str, list[str]] = {name: [] for name in majors.values()}
    for row in rows:
        if row.parent_id in majors:
            tree[majors[row.parent_id]].append(row.name)
    return CategoryTree(tree)


def replace_category_tree(session: Session, tree: Mapping[str, Iterable[str]], *, user: str, at: datetime) -> None:
    """Make ``tree`` the active tree; names left out become inactive, names kept keep their row."""
    CategoryTree(tree)  # refuses, in Chinese, a name used twice
    before = _tree_state(session)
    rows = {row.name: row for row in session.scalars(select(CategoryModel))}
    for row in rows.values():
        row.active = False

    def place(name: str, parent: CategoryModel | None, order: int) -> CategoryModel:
        row = rows.get(name)
        if row is None:
            row = rows[name] = CategoryModel(name=name)
            session.add(row)
        row.parent, row.sort_order, row.active = parent, order, True
        return row

    for major_order, (major, minors) in enumerate(tree.items()):
        parent = place(major, None, major_order)
        for minor_order, minor in enumerate(minors):
            place(minor, parent, minor_order)
    session.flush()
    write_change(session, "category_tree", "*", before, _tree_state(session), user=user, at=at)


def _tree_state(session: Session) -> dict[str, list[str]]:
    return {major: list(minors) for major, minors in category_tree(session).tree.items()}


def seed_defaults(session: Session, *, user: str = SYSTEM_USER, at: datetime | None = None) -> bool:
    """Give an empty database the default category tree; True when it did."""
    if session.scalar(select(CategoryModel.id).limit(1)) is not None:
        return False
    replace_category_tree(session, DEFAULT_TREE, user=user, at=at or datetime.now(TZ))
    return True


# ---- settings -------------------------------------------------------------------------
def get_setting(session: Session, key: str, default: Any = None) -> Any:
    """The value of ``key`` (``default`` when there is none). A row this session holds (set
    here and not yet committed) answers as it is; any other is read with Core on the session's
    connection, not loaded as a mapped row: a third of the time (a slip reads two settings),
    and nothing is flushed for it (a flush in the middle of a change of a case would count
    the case's version up twice). The value is the caller's own: one that edits it and saves
    it is seen as a change."""
    for row in (session.identity_map.get(identity_key(SettingModel, key)),
                *(obj for obj in session.new if isinstance(obj, SettingModel) and obj.key == key)):
        if row is not None:
            return copy.deepcopy(row.value)
    found = session.connection().execute(_SETTING, {"key": key}).first()
    return found[0] if found is not None else default


_SETTING = select(SettingModel.value).where(SettingModel.key == bindparam("key"))


def set_setting(session: Session, key: str, value: Any, *, user: str, at: datetime) -> None:
    row = session.get(SettingModel, key)
    before = {"value": copy.deepcopy(row.value)} if row is not None else None
    if row is None:
        row = SettingModel(key=key)
        session.add(row)
    row.value = jsonable(value)
    write_change(session, "setting", key, before, {"value": row.value}, user=user, at=at)


# ---- calendar -------------------------------------------------------------------------
def calendar_overrides(session: Session) -> dict[date, bool]:
    """The office's own working days and rest days; they win over the statutory calendar."""
    return {row.day: row.is_working for row in session.scalars(select(CalendarOverrideModel))}


def set_calendar_override(
    session: Session, day: date, is_working: bool | None, note: str = "", *, user: str, at: datetime
) -> None:
    """Mark ``day`` as a working or rest day; None removes the office's entry."""
    row = session.get(CalendarOverrideModel, day)
    before = {"is_working": row.is_working, "note": row.note} if row is not None else None
    after = None if is_working is None else {"is_working": bool(is_working), "note": note}
    if is_working is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(CalendarOverrideModel(day=day, is_working=bool(is_working), note=note))
    else:
        row.is_working, row.note = bool(is_working), note
    write_change(session, "calendar", day.isoformat(), before, after, user=user, at=at)

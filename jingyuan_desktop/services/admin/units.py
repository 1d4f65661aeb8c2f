"""Villages, communities, police stations and departments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.domain.model import Person, Unit
from jingyuan_desktop.services.admin.names import VILLAGE_KINDS, clean_name
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.repository import CaseFilter


@dataclass(frozen=True)
class UnitEntry:
    unit: Unit
    active: bool
    people: int


def save_unit(ctx: AppContext, unit: Unit, *, active: bool = True, old_name: str | None = None) -> None:
    """Add a unit (``old_name`` None), or change the unit now called ``old_name``.

    A rename adds the unit under its new name, moves its people there and deactivates the
    old name, so nothing is deleted. It is refused when cases carry the old name: a
    village's cases name it (the repository can count those); a police station's or a
    department's use cannot be counted, so those are renamed only while there are no cases.
    """
    ctx.require(Permission.EDIT_REFERENCE)
    name = clean_name(unit.name, "名称")
    kind = UnitKind(unit.kind)
    old = (old_name or "").strip() or None
    now = ctx.now()
    with ctx.session() as session:
        existing = {u.name: u for u in repository.list_units(session, include_inactive=True)}
        active_names = {u.name for u in repository.list_units(session)}
        if old is None and name in active_names:
            raise ServiceError(f"“{name}”已存在，请勿重复添加")
        if old is not None and old not in existing:
            raise ServiceError(f"找不到单位“{old}”，请刷新后重试")
        if old is not None and old != name:
            if name in existing:
                hint = "（已停用，可直接启用原记录）" if name not in active_names else ""
                raise ServiceError(f"“{name}”已存在{hint}，不能改成这个名称")
            _refuse_rename(session, existing[old], name)
            _rename_unit(session, existing[old], Unit(name, kind), list(existing).index(old), active,
                         user=ctx.user, at=now)
            return
        previous = existing.get(name)
        if previous is not None and previous.kind in VILLAGE_KINDS and kind not in VILLAGE_KINDS:
            used = _village_cases(session, name)
            if used:
                raise ServiceError(f"“{name}”名下已有{used}件案件，不能改为{kind.label}")
        order = None if previous is not None else len(existing)
        repository.upsert_unit(session, Unit(name, kind), sort_order=order, active=active, user=ctx.user, at=now)


def unit_entries(ctx: AppContext) -> list[UnitEntry]:
    """Every unit, stopped ones included, with the number of its active people."""
    with ctx.session() as session:
        active = {u.name for u in repository.list_units(session)}
        counts = Counter(p.unit for p in repository.list_people(session))
        return [UnitEntry(u, u.name in active, counts.get(u.name, 0))
                for u in repository.list_units(session, include_inactive=True)]


def _village_cases(session: Session, name: str) -> int:
    return repository.count_cases(session, filters=CaseFilter(villages=[name]))


def _refuse_rename(session: Session, old: Unit, new_name: str) -> None:
    if old.kind in VILLAGE_KINDS:
        used = _village_cases(session, old.name)
        if used:
            raise ServiceError(
                f"“{old.name}”名下已有{used}件案件，不能改名：改名后这些案件将与统计脱节。"
                f"如确已更名，请新增“{new_name}”，再停用“{old.name}”（原案件仍按原名保留）。")
    elif repository.count_cases(session):
        raise ServiceError(
            f"{old.kind.label}的名称记录在各案件中，有案件后不能直接改名。"
            f"请新增“{new_name}”，再停用“{old.name}”。")


def _rename_unit(session: Session, old: Unit, new: Unit, position: int, active: bool, *, user: str, at) -> None:
    # Placed where the old name stood, so the lists keep the office's order.
    repository.upsert_unit(session, new, sort_order=position, active=active, user=user, at=at)
    working = {p.name for p in repository.list_people(session, unit=old.name)}
    for person in repository.list_people(session, unit=old.name, include_inactive=True):
        moved = Person(person.name, person.role, new.name, person.phone, person.skills)
        repository.upsert_person(session, moved, active=person.name in working, user=user, at=at)
        repository.upsert_person(session, person, active=False, user=user, at=at)
    repository.upsert_unit(session, old, active=False, user=user, at=at)

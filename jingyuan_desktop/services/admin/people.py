"""The people the office dispatches and assigns: village teams, officers, leaders, experts."""

from __future__ import annotations

from dataclasses import dataclass

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.enums import PersonRole
from jingyuan_desktop.domain.model import Person
from jingyuan_desktop.domain.privacy import is_valid_phone
from jingyuan_desktop.services.admin.names import clean_name
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.store import repository


@dataclass(frozen=True)
class PersonEntry:
    person: Person
    active: bool


def save_person(ctx: AppContext, person: Person, *, active: bool = True, previous: Person | None = None) -> None:
    """Add or update a person (one per name within a unit).

    ``previous`` is the record being edited: when the name or unit changed, that record is
    deactivated in the same transaction, since past dispatches name the person as they were.
    """
    ctx.require(Permission.EDIT_REFERENCE)
    name = clean_name(person.name, "姓名")
    role = PersonRole(person.role)
    unit = (person.unit or "").strip() or None
    phone = (person.phone or "").strip()
    if phone and not is_valid_phone(phone):
        raise ServiceError(f"“{phone}”不是有效的电话号码")
    skills = tuple(dict.fromkeys(s.strip() for s in person.skills if s and s.strip()))
    now = ctx.now()
    with ctx.session() as session:
        units = {u.name for u in repository.list_units(session)}
        if unit is not None and unit not in units:
            raise ServiceError(f"未知的单位“{unit}”，请先在单位中添加")
        known = set(repository.category_tree(session).names())
        unknown = [s for s in skills if s not in known]
        if unknown:
            raise ServiceError(f"擅长类别中有未知的类别：{'、'.join(unknown)}")
        clean = Person(name, role, unit, phone, skills)
        repository.upsert_person(session, clean, active=active, user=ctx.user, at=now)
        if previous is not None and (previous.name, previous.unit) != (name, unit):
            repository.upsert_person(session, previous, active=False, user=ctx.user, at=now)


def person_entries(ctx: AppContext) -> list[PersonEntry]:
    """Every person, stopped ones included, in the order they were entered."""
    with ctx.session() as session:
        active = {(p.unit, p.name) for p in repository.list_people(session)}
        return [PersonEntry(p, (p.unit, p.name) in active)
                for p in repository.list_people(session, include_inactive=True)]


def record_reveal(ctx: AppContext, case_no: str, what: str) -> None:
    """Log that the current user was shown ``what`` personal data of case ``case_no`` in full."""
    what = (what or "").strip()
    if not what:
        raise ServiceError("请说明显示了哪项个人信息")
    with ctx.session() as session:
        if not repository.existing_case_nos(session, [case_no]):
            raise ServiceError(f"找不到案件 {case_no}")
        repository.write_audit(session, user=ctx.user, action="reveal", entity="case", entity_id=case_no,
                               before=None, after={"what": what}, at=ctx.now())

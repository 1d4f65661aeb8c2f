"""The prevention registers as use cases: checked, permitted, audited, each write one short
transaction. The key-person register is read only by roles allowed to see it, and every look
at it leaves an audit row (who looked at which entries)."""

from __future__ import annotations

import time as time_module
from dataclasses import replace
from datetime import date

from jingyuan_desktop.domain.access import Permission, account_text
from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.enums import DomainError, Risk, Source, UnitKind
from jingyuan_desktop.domain.model import Case, Party
from jingyuan_desktop.domain.persons import normalize_id_number, normalize_phone
from jingyuan_desktop.domain.prevention import (
    Citizen,
    Grid,
    JointPoint,
    KeyPerson,
    KeyPersonVisit,
    OfficerBeat,
    Patrol,
    PatrolRole,
    PreventionSettings,
    Warning,
    check_warning,
    grid_key,
    in_force,
    type_code,
)
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.stats import period_bounds
from jingyuan_desktop.store import prevention as store
from jingyuan_desktop.store import repository

PREVENTION_SETTINGS_KEY = "prevention"
MAX_HOUSEHOLDS = 10_000


def settings(ctx: AppContext) -> PreventionSettings:
    with ctx.session() as session:
        return PreventionSettings.from_dict(repository.get_setting(session, PREVENTION_SETTINGS_KEY, {}))


def save_settings(ctx: AppContext, values: PreventionSettings) -> None:
    ctx.require(Permission.EDIT_SETTINGS)
    with ctx.session() as session:
        repository.set_setting(session, PREVENTION_SETTINGS_KEY, values.to_dict(), user=ctx.user, at=ctx.now())


def _villages(ctx: AppContext) -> set[str]:
    with ctx.session() as session:
        return {u.name for u in repository.list_units(session) if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)}


def _require_village(ctx: AppContext, village: str, known: set[str] | None = None) -> None:
    if village not in (known if known is not None else _villages(ctx)):
        raise ServiceError(f"没有名为“{village}”的村（社区），请先在基础数据中添加")


def _require_own_village(ctx: AppContext, village: str) -> None:
    """A village account records only its own village's patrols."""
    account = ctx.account
    if account is not None and account.village and account.village != village:
        raise ServiceError(f"{account_text(account.role)}只能记录本村（{account.village}）的走访")


# ---- grids, points, beats ---------------------------------------------------------------
def grids(ctx: AppContext, village: str | None = None) -> list[Grid]:
    ctx.require(Permission.READ_CASES)
    with ctx.session() as session:
        return store.list_grids(session, village)


def save_grids(ctx: AppContext, items: list[Grid], *, active: bool = True) -> int:
    """Add or update grids (by village and name), all or none."""
    ctx.require(Permission.EDIT_REFERENCE)
    known = _villages(ctx)
    for grid in items:
        if not grid.name.strip():
            raise ServiceError(f"{grid.village}：网格名称不能为空")
        if "/" in grid.name:
            raise ServiceError(f"网格名称不能含“/”：{grid.name}")
        _require_village(ctx, grid.village, known)
    with ctx.session() as session:
        for grid in items:
            store.upsert_grid(session, replace(grid, name=grid.name.strip()), active=active, user=ctx.user,
                              at=ctx.now())
    return len(items)


def joint_points(ctx: AppContext) -> list[JointPoint]:
    ctx.require(Permission.READ_CASES)
    with ctx.session() as session:
        return store.list_joint_points(session)


def save_joint_points(ctx: AppContext, items: list[JointPoint]) -> int:
    ctx.require(Permission.EDIT_REFERENCE)
    known = _villages(ctx)
    for point in items:
        _require_village(ctx, point.village, known)
        if not point.name.strip():
            raise ServiceError(f"{point.village}：联防联控点名称不能为空")
    with ctx.session() as session:
        for point in items:
            store.upsert_joint_point(session, point, user=ctx.user, at=ctx.now())
    return len(items)


def beats(ctx: AppContext) -> list[OfficerBeat]:
    ctx.require(Permission.READ_CASES)
    with ctx.session() as session:
        return store.list_beats(session)


def save_beats(ctx: AppContext, items: list[OfficerBeat]) -> int:
    ctx.require(Permission.EDIT_REFERENCE)
    known = _villages(ctx)
    for beat in items:
        if not beat.officer.strip():
            raise ServiceError("包村民警姓名不能为空")
        _require_village(ctx, beat.village, known)
    with ctx.session() as session:
        for beat in items:
            store.upsert_beat(session, beat, user=ctx.user, at=ctx.now())
    return len(items)


# ---- patrols ----------------------------------------------------------------------------
def check_patrol(ctx: AppContext, patrol: Patrol, known_villages: set[str], known_grids: set[str]) -> None:
    if not patrol.worker.strip():
        raise ServiceError("请填写走访人")
    _require_village(ctx, patrol.village, known_villages)
    if patrol.grid and grid_key(patrol.village, patrol.grid) not in known_grids:
        raise ServiceError(f"{patrol.village}没有名为“{patrol.grid}”的网格")
    if patrol.at > ctx.now():
        raise ServiceError(f"走访时间 {local(patrol.at):%Y-%m-%d %H:%M} 晚于现在，不能预先登记")
    if not 0 <= patrol.households <= MAX_HOUSEHOLDS:
        raise ServiceError(f"走访户数应在 0 到 {MAX_HOUSEHOLDS} 之间")


def record_patrols(ctx: AppContext, items: list[Patrol]) -> list[int]:
    """Record patrol entries (all or none); returns their numbers."""
    ctx.require(Permission.PATROL)
    known = _villages(ctx)
    with ctx.session() as session:
        grid_keys = {g.key for g in store.list_grids(session)}
    for patrol in items:
        _require_own_village(ctx, patrol.village)
        check_patrol(ctx, patrol, known, grid_keys)
    with ctx.session() as session:
        return store.add_patrols(session, items, user=ctx.user, at=ctx.now())


def patrols(ctx: AppContext, first: date | None = None, last: date | None = None, *,
            village: str | None = None) -> list[Patrol]:
    """Patrols made from ``first`` to ``last`` (days included); a village account sees its own."""
    ctx.require(Permission.READ_CASES)
    if ctx.account is not None and ctx.account.village:
        village = ctx.account.village
    start, end = period_bounds(first, last)
    with ctx.session() as session:
        return store.list_patrols(session, start, end, village=village)


def delete_patrol(ctx: AppContext, patrol_id: int) -> None:
    ctx.require(Permission.PATROL)
    with ctx.session() as session:
        patrol = store.get_patrol(session, patrol_id)
        _require_own_village(ctx, patrol.village)
        store.delete_patrol(session, patrol_id, user=ctx.user, at=ctx.now())


SOURCE_OF_ROLE = {PatrolRole.GRID_WORKER: Source.GRID_REPORT, PatrolRole.VILLAGE_OFFICER: Source.GRID_REPORT,
                  PatrolRole.INFORMANT: Source.INFORMANT}


def finding_to_case(ctx: AppContext, patrol_id: int, *, category: str, risk: Risk | None = None, summary: str = "",
                    parties: list[Party] | None = None) -> case_service.IntakeResult:
    """Turn a patrol's finding into a case in one step: source 网格员摸排 (or 治安信息员 for an
    information officer's report), received when the finding was made, the patrol's village
    and grid, the finding as its summary; the patrol keeps the case number."""
    ctx.require(Permission.INTAKE)
    office = ctx.office()
    clock_settings = ctx.clock_settings()
    with ctx.session() as session:
        patrol = store.get_patrol(session, patrol_id)
        if patrol.case_no:
            raise ServiceError(f"该走访发现已转为案件 {patrol.case_no}")
        text = (summary or patrol.findings).strip()
        if not text:
            raise ServiceError("该走访没有记录发现的情况，无法转为案件")
        case = Case(received_at=patrol.at, village=patrol.village, grid=patrol.grid, summary=text,
                    category=category, risk=risk, source=SOURCE_OF_ROLE[patrol.role], officer=patrol.worker,
                    parties=list(parties or []))
        problem = case_service.risk_problem(case)
        if problem:
            raise ServiceError(problem)
        if store.parties_on_register(session, case.parties, local(ctx.now()).date()):
            case.key_persons = True  # as at intake: the team must know before it goes
        result = case_service.add_new_case(ctx, session, case, case_service.reference_data(session),
                                           office.case_no_prefix, clock_settings)
        store.set_patrol_case(session, patrol_id, result.case_no, user=ctx.user, at=ctx.now())
        store.link_case_parties(session, [store.case_row_id(session, result.case_no)], at=ctx.now())
        return result


# ---- warnings ---------------------------------------------------------------------------
def warnings(ctx: AppContext, *, current_on: date | None = None) -> list[Warning]:
    """Warnings not withdrawn; with ``current_on``, those not ended before that day."""
    ctx.require(Permission.READ_CASES)
    with ctx.session() as session:
        return store.list_warnings(session, ending_on_or_after=current_on)


def warnings_in(ctx: AppContext, first: date, last: date) -> list[Warning]:
    """The warnings (not withdrawn) that reach into the days [first, last]: the banner's of
    today, the agenda's, the handout's and the projection's of the week."""
    ctx.require(Permission.READ_CASES)
    with ctx.session() as session:
        return in_force(store.list_warnings(session, ending_on_or_after=first), first, last)


def add_warning(ctx: AppContext, warning: Warning) -> int:
    ctx.require(Permission.WARNINGS)
    try:
        check_warning(warning)
    except DomainError as error:
        raise ServiceError(error.message) from None
    known = _villages(ctx)
    for village in warning.villages:
        _require_village(ctx, village, known)
    with ctx.session() as session:
        grid_keys = {g.key for g in store.list_grids(session)}
        for key in warning.grids:
            if key not in grid_keys:
                raise ServiceError(f"没有网格“{key}”（应写作“村/网格”）")
        return store.add_warning(session, warning, user=ctx.user, at=ctx.now())


def withdraw_warning(ctx: AppContext, warning_id: int) -> None:
    ctx.require(Permission.WARNINGS)
    with ctx.session() as session:
        store.withdraw_warning(session, warning_id, user=ctx.user, at=ctx.now())


# ---- citizens and key persons -----------------------------------------------------------
def _audit_view(ctx: AppContext, entity: str, ids: list[int] | str, *, reveal: bool = False) -> None:
    """A look at personal records: ``reveal`` when full names were shown, not only 张某."""
    with ctx.session() as session:
        repository.write_audit(session, user=ctx.user, action="reveal" if reveal else "view", entity=entity,
                               entity_id=ids if isinstance(ids, str) else ",".join(str(i) for i in ids)[:2000],
                               before=None, after={"count": len(ids) if not isinstance(ids, str) else 1},
                               at=ctx.now())


def key_persons(ctx: AppContext, *, include_ended: bool = False, reveal: bool = False) -> list[KeyPerson]:
    """The register (only for roles allowed to see it); the look is audited, as a ``reveal``
    when the caller is about to show full names."""
    ctx.require(Permission.KEY_PERSONS)
    with ctx.session() as session:
        found = store.list_key_persons(session, include_ended=include_ended, on=local(ctx.now()).date())
    _audit_view(ctx, "key_person", [p.id for p in found if p.id is not None] or "（空）", reveal=reveal)
    return found


def key_person_page(ctx: AppContext, key_person_id: int, *, reveal: bool = False
                    ) -> tuple[KeyPerson, Citizen, list[KeyPersonVisit]]:
    ctx.require(Permission.KEY_PERSONS)
    with ctx.session() as session:
        person = store.get_key_person(session, key_person_id)
        citizen = store.get_citizen(session, person.citizen_id)
        visits = store.list_visits(session, [key_person_id])
    _audit_view(ctx, "key_person", [key_person_id], reveal=reveal)
    return person, citizen, visits


def register_key_person(ctx: AppContext, citizen: Citizen, entry: KeyPerson) -> int:
    """Put a person on the register: matched to an existing citizen by ID number or phone, or
    added; returns the entry's number."""
    ctx.require(Permission.KEY_PERSONS)
    checked = _checked_entry(ctx, entry)
    if not citizen.name.strip():
        raise ServiceError("请填写重点人员姓名")
    if not (normalize_phone(citizen.phone) or normalize_id_number(citizen.id_number)):
        raise ServiceError(f"{citizen.name}：请至少填写身份证号或电话之一，以便与案件当事人对应")
    with ctx.session() as session:
        citizen_id = store.find_or_add_citizen(session, citizen, at=ctx.now())
        return store.save_key_person(session, replace(checked, citizen_id=citizen_id, name=citizen.name),
                                     user=ctx.user, at=ctx.now())


def update_key_person(ctx: AppContext, entry: KeyPerson) -> None:
    ctx.require(Permission.KEY_PERSONS)
    if entry.id is None:
        raise ServiceError("未指定要修改的重点人员")
    checked = _checked_entry(ctx, entry)
    with ctx.session() as session:
        store.save_key_person(session, checked, user=ctx.user, at=ctx.now())


def _checked_entry(ctx: AppContext, entry: KeyPerson) -> KeyPerson:
    try:
        code = type_code(entry.type)
    except DomainError as error:
        raise ServiceError(error.message) from None
    if not entry.responsible.strip():
        raise ServiceError("请填写责任人（每名重点人员须明确责任人）")
    if entry.visit_days is not None and not 1 <= entry.visit_days <= 366:
        raise ServiceError("走访周期应在 1 到 366 天之间")
    if entry.village:
        _require_village(ctx, entry.village)
    if entry.since and entry.ended and entry.ended < entry.since:
        raise ServiceError("撤销列管日期早于列管日期")
    return replace(entry, type=code, responsible=entry.responsible.strip())


def record_visit(ctx: AppContext, visit: KeyPersonVisit) -> int:
    ctx.require(Permission.KEY_PERSONS)
    if visit.at > ctx.now():
        raise ServiceError("走访时间晚于现在，不能预先登记")
    if not visit.by.strip():
        raise ServiceError("请填写走访人")
    with ctx.session() as session:
        return store.add_visit(session, visit, user=ctx.user, at=ctx.now())


def citizen_page(ctx: AppContext, citizen_id: int) -> tuple[Citizen, list[tuple], list[KeyPerson]]:
    """A person's page: the record, every case they were in (within the account's scope) and,
    for roles allowed to see the register, their key-person entries. Audited."""
    ctx.require(Permission.READ_CASES)
    with ctx.session() as session:
        citizen = store.get_citizen(session, citizen_id)
        cases = store.citizen_cases(session, citizen_id)
        entries: list[KeyPerson] = []
        if ctx.account is None or ctx.account.may(Permission.KEY_PERSONS):
            entries = store.key_person_citizens(session, [citizen_id], local(ctx.now()).date()).get(citizen_id, [])
    if ctx.account is not None and ctx.account.village:
        found = queries.get_cases(ctx, [row[0] for row in cases])
        seen = {no for no, (case, _version) in found.items() if ctx.sees(case)}
        cases = [row for row in cases if row[0] in seen]
    _audit_view(ctx, "citizen", [citizen_id])
    return citizen, cases, entries


def find_citizens(ctx: AppContext, text: str) -> list[Citizen]:
    ctx.require(Permission.READ_CASES)
    with ctx.session() as session:
        return store.search_citizens(session, text)


def key_persons_of_case(ctx: AppContext, case: Case) -> list[KeyPerson]:
    """Register entries in force for the parties of a case or of a draft (intake's flag and
    the slip's): matched by ID number or phone. Empty for roles that may not see the register."""
    if ctx.account is not None and not ctx.account.may(Permission.KEY_PERSONS):
        return []
    with ctx.session() as session:
        return store.parties_on_register(session, case.parties, local(ctx.now()).date())


def link_unlinked(ctx: AppContext, batch: int = 500, *, pause: float = 0.0) -> int:
    """Give every named party with a phone or ID number its citizen record, a batch a
    transaction; returns the links made (after an import, or on an old database). ``pause``
    seconds between batches leave the interpreter to the window when it runs beside it."""
    made, after = 0, 0
    while True:
        with ctx.session() as session:
            ids = store.unlinked_case_ids(session, batch, after)
            if not ids:
                return made
            made += store.link_case_parties(session, ids, at=ctx.now())
        after = ids[-1]  # onwards, so a party that cannot be linked is not read again
        if pause:
            time_module.sleep(pause)


def review_pairs(ctx: AppContext) -> list[tuple[Citizen, Citizen, str]]:
    ctx.require(Permission.EDIT_REFERENCE)
    with ctx.session() as session:
        return store.review_pairs(session)


def decide_pair(ctx: AppContext, first_id: int, second_id: int, *, same: bool) -> None:
    """The review's answer: the same person (merged into the older record) or two people."""
    ctx.require(Permission.EDIT_REFERENCE)
    with ctx.session() as session:
        if same:
            keep, drop = sorted((first_id, second_id))
            store.merge_citizens(session, keep, drop, user=ctx.user, at=ctx.now())
        else:
            store.mark_distinct(session, first_id, second_id, user=ctx.user, at=ctx.now())


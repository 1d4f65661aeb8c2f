"""Intake of a new case, recording an event, and reading a case back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import DomainError, EventType, Source, UnitKind
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.domain.persons import normalize_id_number
from jingyuan_desktop.domain.privacy import is_valid_phone, normalise_phone
from jingyuan_desktop.domain.repeats import Link, RepeatIndex, find_link, normalise_place, repeat_reason
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.limits import text_problems
from jingyuan_desktop.store import prevention as prevention_store
from jingyuan_desktop.store import repository


@dataclass(frozen=True)
class ReferenceData:
    """Names the office has entered; intake and import check against them."""

    villages: frozenset[str]
    stations: frozenset[str]
    departments: frozenset[str]
    categories: frozenset[str]


def reference_data(session: Session) -> ReferenceData:
    units = repository.list_units(session)
    by_kind = lambda *kinds: frozenset(u.name for u in units if u.kind in kinds)  # noqa: E731
    return ReferenceData(
        villages=by_kind(UnitKind.VILLAGE, UnitKind.COMMUNITY),
        stations=by_kind(UnitKind.POLICE_STATION),
        departments=by_kind(UnitKind.DEPARTMENT),
        categories=frozenset(repository.category_tree(session).names()),
    )


def validate_intake(case: Case, refs: ReferenceData) -> dict[str, str]:
    """Field name -> Chinese message for every problem of a new case; empty when it may be saved."""
    problems: dict[str, str] = {}
    if case.received_at is None:
        problems["received_at"] = "请填写接收时间"
    if not case.village:
        problems["village"] = "请选择所属村（社区）"
    elif case.village not in refs.villages:
        problems["village"] = f"未知的村（社区）“{case.village}”"
    if not case.summary.strip():
        problems["summary"] = "请填写简要情况"
    if not case.category:
        problems["category"] = "请选择类别"
    elif risk_problem(case):
        problems["risk"] = risk_problem(case) or ""
    elif case.category not in refs.categories and case.category != UNCLASSIFIED:
        problems["category"] = f"未知的类别“{case.category}”"
    if case.source == Source.POLICE_TRANSFER:
        if not case.police_incident_no.strip():
            problems["police_incident_no"] = "派出所转交的案件须填写警情编号"
        if not case.police_station:
            problems["police_station"] = "请选择转交派出所"
    if case.police_station and case.police_station not in refs.stations:
        problems["police_station"] = f"未知的派出所“{case.police_station}”"
    if case.called_at and case.received_at and case.called_at > case.received_at:
        problems["called_at"] = "报警时间不能晚于转交（接收）时间"
    texts = {key: getattr(case, key) or "" for key in ("case_no", "police_incident_no", "officer", "location",
                                                       "summary")}
    for key, message in text_problems(texts).items():
        problems.setdefault(key, message)
    for index, party in enumerate(case.parties):
        for key, message in text_problems({"name": party.name, "phone": party.phone,
                                           "id_number": party.id_number}).items():
            problems.setdefault(f"parties.{index}.{key}", message)
        if party.phone and not is_valid_phone(party.phone):
            problems[f"parties.{index}.phone"] = f"“{party.phone}”不是有效的电话号码"
        if not party.name.strip() and not party.phone.strip():
            problems[f"parties.{index}.name"] = "当事人须至少填写姓名或电话"
    return problems


@dataclass(frozen=True)
class IntakeResult:
    case_no: str
    repeat_of: str = ""
    repeat_reason: str = ""
    relapse: bool = False


# A case resolved inside the relapse watch may have been received this long before it.
RESOLUTION_LOOKBACK_DAYS = 365


def lookback_days(settings: ClockSettings) -> int:
    """How far back an earlier case may have been received and still be linked to a new one."""
    return max(settings.repeat_window_days, settings.relapse_watch_days + RESOLUTION_LOOKBACK_DAYS)


def repeat_window(cases: list[Case], settings: ClockSettings) -> tuple[datetime, int]:
    """The look-back that covers every one of ``cases`` (not empty): its end, just after the
    latest, and its length in days back from there."""
    first = min(c.received_at for c in cases)
    last = max(c.received_at for c in cases) + timedelta(seconds=1)
    return last, lookback_days(settings) + (last - first).days + 1


def repeat_index(session: Session, cases: list[Case], settings: ClockSettings) -> tuple[RepeatIndex, dict[str, Case]]:
    """The stored cases any of ``cases`` could be linked to, indexed once for a whole import:
    of the look-back (``repeat_window``), only those sharing a key with one of them (the
    caller's phone or ID number, or the village and place), the only ones
    ``RepeatIndex.candidates`` can give for them; and those cases read whole (timeline and all,
    for the relapse rule), by number, for ``find_repeat_for``."""
    if not cases:
        return RepeatIndex(), {}
    last, days = repeat_window(cases, settings)
    phones, ids, places = set(), set(), set()
    for case in cases:
        caller = case.caller
        if caller is not None:
            phones.add(normalise_phone(caller.phone))
            ids.add(normalize_id_number(caller.id_number))
        places.add((case.village, normalise_place(case.location)))
    phones.discard("")
    ids.discard("")
    villages = {village for village, place in places if place}
    places = {(village, place) for village, place in places if place}

    def keep(village: str, location: str, phone: str, id_number: str) -> bool:
        return bool((phone and normalise_phone(phone) in phones)
                    or (id_number and normalize_id_number(id_number) in ids)
                    or (village in villages and (village, normalise_place(location)) in places))

    stored = repository.repeat_candidates(session, last, days, keep)
    whole = {no: case for no, (case, _version) in repository.get_cases(session, [c.case_no for c in stored]).items()}
    return RepeatIndex(stored), whole


def find_repeat_for(session: Session, case: Case, settings: ClockSettings,
                    index: RepeatIndex | None = None, whole: dict[str, Case] | None = None) -> Link | None:
    """The earlier case this one repeats or relapses from, if any (``repeats.find_link``).

    Partial cases of the look-back are matched on phone and place first (from ``index`` when
    an import gives one); only the few that match are read whole, for the relapse rule (taken
    from ``whole`` when an import has read them already, by number, instead of a query a row).
    """
    if index is not None:
        recent = index.candidates(case)
    else:
        recent = repository.recent_cases_for_repeat(session, case.received_at, lookback_days(settings))
    matching = [c for c in recent if c.case_no != case.case_no and repeat_reason(case, c)]
    if not matching:
        return None
    if whole is None:
        whole = {no: found for no, (found, _version) in
                 repository.get_cases(session, [c.case_no for c in matching]).items()}
    # A case of the same import is not stored yet: the index holds it whole.
    return find_link(case, [whole.get(c.case_no, c) for c in matching], repeat_window_days=settings.repeat_window_days,
                     relapse_watch_days=settings.relapse_watch_days)


def risk_problem(case: Case) -> str | None:
    """A classified case needs its colour (seed 003: the colour is chosen at classification)."""
    if case.category and case.category != UNCLASSIFIED and case.risk is None:
        return "请选择风险颜色（红、黄、蓝）"
    return None


def add_new_case(ctx: AppContext, session: Session, case: Case, refs: ReferenceData, prefix: str,
                 settings: ClockSettings, index: RepeatIndex | None = None) -> IntakeResult:
    """Validate, number, link a repeat or relapse and store one case inside the caller's
    transaction. A relapse raises the new case at least to the colour the old one had.
    ``index`` (``repeat_index``) serves an import: the new case joins it once stored."""
    problems = validate_intake(case, refs)
    if problems:
        raise ServiceError("；".join(problems.values()))
    if not case.case_no:
        case.case_no = repository.next_case_no(session, prefix, local(case.received_at).year)
    link = find_repeat_for(session, case, settings, index)
    if link:
        case.repeat_of = link.earlier.case_no
        case.risk = link.raised(case.risk)
    repository.add_case(session, case, user=ctx.user, at=ctx.now())
    if index is not None:
        index.add(case)
    return IntakeResult(case.case_no, case.repeat_of, link.reason if link else "", link.relapse if link else False)


def intake(ctx: AppContext, case: Case) -> IntakeResult:
    """Register a new case: checked, numbered, linked to the case it repeats, audited."""
    ctx.require(Permission.INTAKE)
    office = ctx.office()
    settings = ctx.clock_settings()
    with ctx.session() as session:
        # A party on the key-person register flags the case (seed 001), whoever registers it.
        if not case.key_persons and prevention_store.parties_on_register(session, case.parties,
                                                                         local(ctx.now()).date()):
            case.key_persons = True
        result = add_new_case(ctx, session, case, reference_data(session), office.case_no_prefix, settings)
        prevention_store.link_case_parties(session, [prevention_store.case_row_id(session, result.case_no)],
                                           at=ctx.now())
        return result


def get_case(ctx: AppContext, case_no: str) -> tuple[Case, int]:
    """The case with its whole timeline, and the version to send back with a change."""
    ctx.require(Permission.READ_CASES)
    with ctx.session() as session:
        try:
            found = repository.get_case(session, case_no)
        except repository.NotFoundError as error:
            raise ServiceError(str(error)) from None
    ctx.require_case(found[0])
    return found


def record_event(ctx: AppContext, case_no: str, event: Event, expected_version: int) -> int:
    """Append ``event`` to the case if the procedure allows it; returns the new version.

    Refused with a Chinese message when the event may not follow the timeline, or when someone
    else changed the case since ``expected_version`` was read.
    """
    ctx.require(Permission.RECORD_POLICE_FEEDBACK if event.type == EventType.POLICE_FEEDBACK
                else Permission.RECORD_EVENT)
    require_leader = ctx.office().require_leader_for_red
    with ctx.session() as session:
        case, version = repository.get_case(session, case_no)
        ctx.require_case(case)
        if version != expected_version:
            raise ServiceError(repository.StaleCaseError.default_message)
        try:
            lifecycle.check_event(case, event, require_leader_for_red=require_leader)
            if event.type == EventType.DISPATCHED and lifecycle.second_handling_due(case):
                roles = {p.name: p.role for p in repository.list_people(session)}
                problem = lifecycle.second_handling_team_problem(list(event.get("handlers") or []), roles)
                if problem:
                    raise DomainError(problem)
        except DomainError as error:
            raise ServiceError(error.message) from None
        return repository.append_event(
            session, case_no, event, expected_version, recorded_by=ctx.user, recorded_at=ctx.now()
        )


def recorded_event(kind, at: datetime | None, ctx: AppContext, **data) -> Event:
    """An event by the current user at ``at`` (now when None); a convenience for both doors."""
    return Event(kind, at or ctx.now(), by=ctx.user, data=data)

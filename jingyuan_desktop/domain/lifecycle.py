"""The case lifecycle: which event may follow which, and the status derived from the timeline.

A case never stores its status as the truth; the status is read off the events. The store
keeps a copy of it for filtering, refreshed from ``derive_status`` on every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.enums import (
    CancelReason,
    CourtResult,
    DomainError,
    EventType,
    Grade,
    Outcome,
    PersonRole,
    Risk,
    Satisfaction,
    Source,
    Status,
)
from jingyuan_desktop.domain.model import Case, Event

E = EventType

# Events that count as the village acting on the case (the daily progress clock).
ACTIONS = frozenset(
    {E.PROGRESS, E.ARRIVED, E.MEDIATION_FAILED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.JOINT_HANDLING}
)
# Events that only make sense between dispatch and resolution.
HANDLING = ACTIONS | {E.REFERRED_TO_COURT}
# Events that end the handling of a case (a court's outcome ends it unless it gives it back).
ENDINGS = frozenset({E.RESOLVED, E.RETURNED_TO_POLICE, E.CANCELLED, E.COURT_OUTCOME})
# Seed 000: at least two people go to the scene, one of them leading.
MIN_HANDLERS = 2
# Events recorded by the weekly meeting, with its decision, never offered on their own.
MEETING_ONLY = frozenset({E.MEETING_DECISION})
# Events allowed on a case that needs a leader before its leader is named.
BEFORE_LEADER_OK = frozenset({E.LEADER_ASSIGNED, E.CLASSIFIED, E.CANCELLED, E.MEETING_DECISION,
                              E.RETURNED_TO_POLICE})
# The roles that a second handling's team must include besides the village team (seed 002:
# 二次处置 by a higher level): the community police officer or the office's staff.
SECOND_HANDLING_ROLES = frozenset({PersonRole.OFFICER, PersonRole.OFFICE_STAFF, PersonRole.LEADER})


@dataclass(frozen=True)
class Classification:
    category: str
    grade: Grade
    risk: Risk | None
    criminal_risk: bool


def classification_at(case: Case, moment: datetime | None = None) -> Classification:
    """Category, grade and risk after the ``classified`` and ``escalated`` events up to ``moment``."""
    category, grade, risk, criminal = case.category, case.grade, case.risk, case.criminal_risk
    for event in case.events_until(moment):
        if event.type == E.CLASSIFIED:
            category = event.get("category") or category
            grade = Grade(event.get("grade")) if event.get("grade") else grade
            risk = Risk(event.get("risk")) if event.get("risk") else risk
            if event.get("criminal_risk") is not None:
                criminal = bool(event.get("criminal_risk"))
        elif event.type == E.ESCALATED:
            grade = Grade.DIFFICULT
    return Classification(category, grade, risk, criminal)


def resolution(case: Case, moment: datetime | None = None) -> Event | None:
    """The event that resolved the case (化解): ``resolved``, or a court's outcome that does
    not give the case back; None while unresolved."""
    for event in case.events_until(moment):
        if event.type == E.RESOLVED:
            return event
        if event.type == E.COURT_OUTCOME and event.get("result") != CourtResult.RETURNED:
            return event
    return None


def ending(case: Case, moment: datetime | None = None) -> Event | None:
    """The event that ended the handling: a resolution, a return to the police or a cancellation."""
    for event in case.events_until(moment):
        if event.type in (E.RESOLVED, E.RETURNED_TO_POLICE, E.CANCELLED):
            return event
        if event.type == E.COURT_OUTCOME and event.get("result") != CourtResult.RETURNED:
            return event
    return None


def cancel_reason(event: Event) -> CancelReason | None:
    try:
        return CancelReason(event.get("reason"))
    except ValueError:
        return None


def is_void(case: Case, moment: datetime | None = None) -> bool:
    """Cancelled as a duplicate or an entry in error: left out of every figure."""
    cancelled = case.first(E.CANCELLED, moment)
    if cancelled is None:
        return False
    reason = cancel_reason(cancelled)
    return reason is None or reason.is_void


def current_risk(case: Case, moment: datetime | None = None) -> Risk | None:
    """The colour as seed 003 uses it: as classified while the case is open, blue once it is
    resolved (watched for a relapse); None while unclassified."""
    if resolution(case, moment) is not None:
        return Risk.BLUE
    return classification_at(case, moment).risk


def leader_needed_at(case: Case, moment: datetime | None = None) -> datetime | None:
    """When the case first needed a 包案领导: red risk or the 民转刑 flag (seed 001), at receipt
    or at the classification that set it; None when it never did."""
    if case.risk == Risk.RED or case.criminal_risk:
        return case.received_at
    for event in case.events_until(moment):
        if event.type == E.CLASSIFIED and (event.get("risk") == Risk.RED or event.get("criminal_risk") is True):
            return event.at
    return None


def needs_leader(case: Case, moment: datetime | None = None) -> bool:
    current = classification_at(case, moment)
    return current.risk == Risk.RED or current.criminal_risk


def dispatches(case: Case, moment: datetime | None = None) -> list[int]:
    """Indexes of the ``dispatched`` events in the timeline up to ``moment``."""
    return [i for i, e in enumerate(case.events_until(moment)) if e.type == E.DISPATCHED]


def round_events(case: Case, moment: datetime | None = None) -> list[Event]:
    """The events since the latest dispatch (empty before the first one)."""
    events = case.events_until(moment)
    indexes = [i for i, e in enumerate(events) if e.type == E.DISPATCHED]
    return events[indexes[-1] + 1:] if indexes else []


def refused(case: Case, moment: datetime | None = None) -> bool:
    """The latest dispatch was refused (or the team never went): it must be dispatched again."""
    return any(e.type == E.DISPATCH_REFUSED for e in round_events(case, moment))


def with_court(case: Case, moment: datetime | None = None) -> bool:
    """Referred to the court and not yet given back or decided."""
    state = False
    for event in case.events_until(moment):
        if event.type == E.REFERRED_TO_COURT:
            state = True
        elif event.type == E.COURT_OUTCOME:
            state = False
    return state


def taken_by_office(case: Case, moment: datetime | None = None) -> bool:
    """The office has taken the case over: escalated as 疑难 or put to joint handling."""
    return any(e.type in (E.ESCALATED, E.JOINT_HANDLING) for e in case.events_until(moment))


def second_handling_due(case: Case, moment: datetime | None = None) -> bool:
    """The case must go through the office's 研判 and a second handling (二次处置, seed 002):
    a repeat call before its first dispatch, or a 疑难 case whose mediation failed since its
    latest dispatch, while it is not resolved or ended."""
    if ending(case, moment) is not None:
        return False
    events = case.events_until(moment)
    if not any(e.type == E.DISPATCHED for e in events):
        return bool(case.repeat_of)
    if classification_at(case, moment).grade != Grade.DIFFICULT:
        return False
    return any(e.type == E.MEDIATION_FAILED for e in round_events(case, moment))


def analysed(case: Case, moment: datetime | None = None) -> bool:
    """A 研判 was recorded since the reason for a second handling arose."""
    events = case.events_until(moment)
    indexes = [i for i, e in enumerate(events) if e.type == E.DISPATCHED]
    if not indexes:
        return any(e.type == E.ANALYSIS for e in events)
    after = events[indexes[-1] + 1:]
    failures = [i for i, e in enumerate(after) if e.type == E.MEDIATION_FAILED]
    return bool(failures) and any(e.type == E.ANALYSIS for e in after[failures[0] + 1:])


def feedback_start(case: Case, moment: datetime | None = None) -> datetime | None:
    """When the police feedback became owed (seed 000 "有头有尾"), or None when it is not (yet):
    after the return visit of a resolved case, at a return to the police, at a cancellation as
    not the office's remit. Duplicates and entries in error owe nothing."""
    if case.source != Source.POLICE_TRANSFER:
        return None
    end = ending(case, moment)
    if end is None:
        return None
    if end.type == E.CANCELLED:
        return end.at if cancel_reason(end) == CancelReason.NOT_OUR_REMIT else None
    if end.type == E.RETURNED_TO_POLICE:
        return end.at
    visit = case.first(E.RETURN_VISIT, moment)
    return visit.at if visit is not None else None


def follow_visits_apply(case: Case, moment: datetime | None = None) -> bool:
    """Rolling return visits (定期回访, seeds 001-002) are owed by a 疑难 or red case once it is
    resolved; its classification just before the resolution decides."""
    resolved = resolution(case, moment)
    if resolved is None:
        return False
    before = classification_at(case, resolved.at)
    return before.grade == Grade.DIFFICULT or before.risk == Risk.RED


def follow_visits(case: Case, moment: datetime | None = None) -> list[Event]:
    """The rolling return visits: every ``return_visit`` after the first one."""
    return [e for e in case.events_until(moment) if e.type == E.RETURN_VISIT][1:]


def derive_status(case: Case, moment: datetime | None = None) -> Status:
    """The status a user sees, read off the timeline as it stood at ``moment``."""
    events = case.events_until(moment)
    types = {e.type for e in events}
    if E.ARCHIVED in types:
        return Status.ARCHIVED
    end = ending(case, moment)
    if end is not None and end.type == E.CANCELLED:
        if E.POLICE_FEEDBACK in types:
            return Status.FED_BACK
        return Status.CANCELLED if is_void(case, moment) else Status.DECLINED
    if E.POLICE_FEEDBACK in types:
        return Status.FED_BACK
    if end is not None and end.type == E.RETURNED_TO_POLICE:
        return Status.RETURNED
    if E.RETURN_VISIT in types:
        return Status.VISITED
    if end is not None:
        return Status.RESOLVED
    if E.DISPATCHED not in types or refused(case, moment):
        return Status.AWAITING_DISPATCH
    if with_court(case, moment):
        return Status.REFERRED
    if E.ESCALATED in types or E.JOINT_HANDLING in types:
        return Status.ESCALATED
    handling = [e for e in events if e.type in HANDLING]
    if handling and handling[-1].type == E.FOLLOW_UP_SCHEDULED:
        return Status.FOLLOW_UP
    if handling:
        return Status.HANDLING
    return Status.DISPATCHED


def escalation_suggested(case: Case, threshold: int = 3, moment: datetime | None = None) -> bool:
    """建议升级疑难: a simple or general case with ``threshold`` failed mediations."""
    if classification_at(case, moment).grade == Grade.DIFFICULT:
        return False
    failures = sum(1 for e in case.events_until(moment) if e.type == E.MEDIATION_FAILED)
    return failures >= threshold


def check_event(case: Case, event: Event, *, require_leader_for_red: bool = False, legacy: bool = False) -> None:
    """Refuse, with a Chinese message, an event that may not follow the case's timeline.

    ``require_leader_for_red`` is the interactive rule that a red or 民转刑 case gets its 包案领导
    before anything else; imports of history do not apply it. ``legacy`` reads a timeline
    written before version 2 of the rules: a resolution without its outcome and an arrival
    without the names of those present (or with one), a repeat dispatched without a 研判, and
    several return visits on any case without the agreement's state are accepted there, and
    nowhere else: the first rules asked none of these.
    """
    label = event.type.label
    if event.at < case.received_at:
        raise DomainError(f"“{label}”的时间早于案件接收时间")
    if case.events and event.at < case.events[-1].at:
        raise DomainError(f"“{label}”的时间早于上一条记录（{case.events[-1].type.label}）的时间")
    blocker = event_blocker(case, event.type, require_leader_for_red=require_leader_for_red, legacy=legacy)
    if blocker:
        raise DomainError(blocker)
    _check_fields(case, event, legacy=legacy)


def event_blocker(case: Case, kind: EventType, *, require_leader_for_red: bool = False,
                  legacy: bool = False) -> str | None:
    """Why an event of ``kind`` may not be recorded on the case as it stands, or None.

    This is the state of the timeline only (what must come first); the fields of the event
    itself (two people on site, a satisfaction...) are checked when it is recorded. The window
    asks this to grey out a button and say what is missing.
    """
    label = kind.label
    types = {e.type for e in case.events}
    end = ending(case)
    resolved = resolution(case) is not None
    if E.ARCHIVED in types:
        if kind == E.RETURN_VISIT and follow_visits_apply(case):
            return None  # rolling return visits go on after the file is archived
        return "案件已归档，不能再记录"
    if end is not None and end.type == E.CANCELLED and is_void(case):
        return "案件已撤销，不能再记录"
    if (require_leader_for_red and kind not in BEFORE_LEADER_OK and needs_leader(case)
            and E.LEADER_ASSIGNED not in types):
        red = classification_at(case).risk == Risk.RED
        return "红色风险案件须先指定包案领导" if red else "有民转刑风险的案件须先指定包案领导（领导包案）"
    if (end is not None and end.type in (E.CANCELLED, E.RETURNED_TO_POLICE)
            and kind not in (E.POLICE_FEEDBACK, E.ARCHIVED)):
        return f"案件已{end.type.label}，只能反馈派出所和归档"
    dispatched = E.DISPATCHED in types
    if kind == E.DISPATCHED:
        return _dispatch_blocker(case, dispatched, legacy=legacy)
    if kind == E.DISPATCH_REFUSED:
        if not dispatched or end is not None:
            return "只能对已交办、尚未办结的案件记录拒不处置"
        if refused(case):
            return "已记录拒不处置，请重新交办"
        if any(e.type == E.ARRIVED for e in round_events(case)):
            return "处置人员已到场，不能再记为拒不处置"
        return None
    if kind == E.ANALYSIS:
        if not second_handling_due(case):
            return "只有重复报警或调解未成的疑难案件需要研判（二次处置）"
        if analysed(case):
            return "已记录研判，请按方案重新交办"
        return None
    if kind in HANDLING or kind in (E.RESOLVED, E.COURT_OUTCOME):
        if not dispatched:
            return f"案件尚未交办，不能记录“{label}”"
        if end is not None:
            return f"案件已办结，不能再记录“{label}”"
        if refused(case):
            return f"原处置人员拒不处置，请先重新交办，再记录“{label}”"
    if kind == E.ARRIVED and any(e.type == E.ARRIVED for e in round_events(case)):
        return "已记录到场；此后的上门处置请记为“进展”"
    if kind == E.ESCALATED and classification_at(case).grade == Grade.DIFFICULT:
        return "案件已是疑难等级，无需再升级"
    if kind == E.REFERRED_TO_COURT and with_court(case):
        return "案件已移送法庭，请等待法庭结果"
    if kind == E.COURT_OUTCOME and not with_court(case):
        return "案件未移送法庭，不能记录法庭结果"
    if kind == E.RETURNED_TO_POLICE and end is not None:
        return "案件已办结，不能再移交公安"
    if kind == E.RETURN_VISIT:
        if not resolved:
            return "案件尚未化解，不能回访"
        if E.RETURN_VISIT in types and not follow_visits_apply(case) and not legacy:
            return "已回访过；只有疑难或红色风险案件需要定期回访"
    if kind == E.POLICE_FEEDBACK:
        if E.POLICE_FEEDBACK in types:
            return "已反馈过派出所"
        if end is None:
            return "案件尚未办结，不能反馈派出所"
        if resolved and E.RETURN_VISIT not in types:
            return "请先完成回访，再反馈派出所"
    if kind == E.ARCHIVED:
        if end is None:
            return "案件须办结（化解、移交公安或撤销）后才能归档"
        if resolved and E.RETURN_VISIT not in types:
            return "案件须化解并回访后才能归档"
        if case.source == Source.POLICE_TRANSFER and E.POLICE_FEEDBACK not in types:
            return "派出所转交的案件须先反馈派出所，再归档"
    if kind == E.CANCELLED and end is not None:
        return "案件已办结，不能撤销"
    if kind == E.SUPERVISED and E.LEADER_ASSIGNED not in types:
        return "督办前须先指定包案领导"
    return None


def _dispatch_blocker(case: Case, dispatched: bool, *, legacy: bool = False) -> str | None:
    if ending(case) is not None:
        return "案件已办结，不能再交办"
    if dispatched and not refused(case) and not second_handling_due(case):
        return "该案件已交办"
    if classification_at(case).category == UNCLASSIFIED:
        return "案件尚未分类，请先选择类别再交办"
    if second_handling_due(case) and not analysed(case) and not legacy:
        reason = "重复报警的案件" if not dispatched else "调解未成的疑难案件"
        return f"{reason}须先由治理办研判（二次处置），再交办"
    return None


def dispatch_team_problem(handlers: list[str], leader: str) -> str | None:
    """Why this team may not be sent (seed 000: at least two people, one of them leading), or None."""
    team = [h for h in dict.fromkeys(handlers) if h]
    if len(team) < MIN_HANDLERS:
        return f"交办须至少安排{MIN_HANDLERS}名处置人员（已选{len(team)}名）"
    if not leader:
        return "交办须指定带队负责人（一般为村（社区）书记）"
    if leader not in team:
        return "带队负责人须是处置人员之一"
    return None


def second_handling_team_problem(handlers: list[str], roles: dict[str, PersonRole]) -> str | None:
    """Why this team may not take a second handling, or None: besides the village team it must
    include the community police officer or the office's staff (seed 002 二次处置)."""
    if any(roles.get(name) in SECOND_HANDLING_ROLES for name in handlers):
        return None
    return "二次处置须有社区民警或治理办工作人员（或镇领导）参加，不能只派村（社区）处置人员"


def arrival_problem(present: list[str]) -> str | None:
    """Why this arrival may not be recorded (seed 000: at least two people on site), or None."""
    people = [p for p in dict.fromkeys(p.strip() for p in present) if p]
    if len(people) < MIN_HANDLERS:
        return f"到场须至少{MIN_HANDLERS}人，请勾选实际到场人员（已选{len(people)}人）"
    return None


def _code_problem(event: Event, name: str, codes, message: str) -> str | None:
    value = event.get(name)
    try:
        codes(value)
    except ValueError:
        return message
    return None


def _check_fields(case: Case, event: Event, *, legacy: bool = False) -> None:
    kind = event.type
    problem: str | None = None
    if kind == E.DISPATCHED:
        problem = dispatch_team_problem(event.get("handlers") or [], event.get("leader") or "")
    elif kind == E.ARRIVED:
        if not legacy:
            problem = arrival_problem(list(event.get("present") or []))
    elif kind == E.FOLLOW_UP_SCHEDULED:
        agreed = event.get("agreed_at")
        if not isinstance(agreed, datetime):
            problem = "约定后续处置须填写约定时间"
        elif agreed < event.at:
            problem = "约定时间不能早于记录时间"
    elif kind == E.RESOLVED:
        if not legacy or event.get("outcome") is not None:
            problem = _code_problem(event, "outcome", Outcome, "化解须选择化解方式")
    elif kind == E.RETURN_VISIT:
        if not case.first(E.RETURN_VISIT):
            if not isinstance(event.get("satisfaction"), Satisfaction):
                problem = "回访须选择满意度"
        elif not isinstance(event.get("agreement_kept"), bool) and not legacy:
            problem = "定期回访须注明调解协议（化解结果）是否履行"
    elif kind == E.ARCHIVED:
        if not (event.get("archive_no") or "").strip():
            problem = "归档须填写档案编号"
    elif kind == E.CANCELLED:
        problem = _code_problem(event, "reason", CancelReason, "撤销须选择原因（重复录入、误录或非职责范围）")
    elif kind == E.RETURNED_TO_POLICE:
        if not (event.get("reason") or "").strip():
            problem = "移交公安机关须写明理由"
    elif kind == E.COURT_OUTCOME:
        problem = _code_problem(event, "result", CourtResult, "请选择法庭结果（调解成功、判决、撤诉或退回）")
    elif kind == E.ANALYSIS:
        if not (event.get("plan") or "").strip():
            problem = "研判须写明意见和二次处置方案"
    elif kind == E.LEADER_ASSIGNED:
        if not (event.get("leader") or "").strip():
            problem = "须填写包案领导姓名"
    elif kind == E.MEETING_DECISION:
        if not (event.get("owner") or "").strip() or not (event.get("plan") or "").strip():
            problem = "例会决定须写明责任人和化解方案"
    elif kind == E.CLASSIFIED:
        if not any(event.get(k) is not None for k in ("category", "grade", "risk", "criminal_risk")):
            problem = "分类变更须至少改变类别、等级或风险之一"
        elif (event.get("risk") is None and classification_at(case).risk is None
              and (event.get("category") or classification_at(case).category) != UNCLASSIFIED):
            problem = "分类时须选择风险颜色（红、黄、蓝）"
    if problem:
        raise DomainError(problem)


def check_timeline(case: Case, *, require_leader_for_red: bool = False, legacy: bool = False) -> None:
    """Replay a whole timeline through ``check_event``; used on import and in tests."""
    replay = Case(**{**case.__dict__, "events": []})
    for index, event in enumerate(case.events, start=1):
        try:
            check_event(replay, event, require_leader_for_red=require_leader_for_red, legacy=legacy)
        except DomainError as error:
            raise DomainError(f"第{index}条记录：{error.message}") from None
        replay.events.append(event)


def append_event(case: Case, event: Event, *, require_leader_for_red: bool = False) -> None:
    """Check ``event`` against the case and add it to the timeline."""
    check_event(case, event, require_leader_for_red=require_leader_for_red)
    case.events.append(event)


def allowed_events(case: Case, at: datetime, *, require_leader_for_red: bool = True) -> list[EventType]:
    """The event types that may be recorded now; the case view shows buttons for these only."""
    if case.events and at < case.events[-1].at:
        return []
    return [kind for kind in EventType
            if kind not in MEETING_ONLY and at >= case.received_at
            and event_blocker(case, kind, require_leader_for_red=require_leader_for_red) is None]

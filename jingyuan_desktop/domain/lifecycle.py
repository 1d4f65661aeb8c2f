"""The case lifecycle: which event may follow which, and the status derived from the timeline.

A case never stores its status as the truth; the status is read off the events. The store
keeps a copy of it for filtering, refreshed from ``derive_status`` on every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.enums import DomainError, EventType, Grade, Risk, Satisfaction, Source, Status
from jingyuan_desktop.domain.model import Case, Event

E = EventType

# Events that count as the village acting on the case (the daily progress clock).
ACTIONS = frozenset(
    {E.PROGRESS, E.ARRIVED, E.MEDIATION_FAILED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.JOINT_HANDLING}
)
# Events that only make sense between dispatch and resolution.
HANDLING = ACTIONS | {E.REFERRED_TO_COURT}
# Seed 000: at least two people go to the scene, one of them leading.
MIN_HANDLERS = 2
# Events recorded by the weekly meeting, with its decision, never offered on their own.
MEETING_ONLY = frozenset({E.MEETING_DECISION})
# Events allowed on a red case before its leader is named.
BEFORE_LEADER_OK = frozenset({E.LEADER_ASSIGNED, E.CLASSIFIED, E.CANCELLED, E.MEETING_DECISION})


@dataclass(frozen=True)
class Classification:
    category: str
    grade: Grade
    risk: Risk
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


def became_red_at(case: Case, moment: datetime | None = None) -> datetime | None:
    """When the case first had red risk: at receipt, or at the classification that made it red."""
    if case.risk == Risk.RED:
        return case.received_at
    for event in case.events_until(moment):
        if event.type == E.CLASSIFIED and event.get("risk") == Risk.RED:
            return event.at
    return None


def derive_status(case: Case, moment: datetime | None = None) -> Status:
    """The status a user sees, read off the timeline as it stood at ``moment``."""
    types = {e.type for e in case.events_until(moment)}
    if E.CANCELLED in types:
        return Status.CANCELLED
    if E.ARCHIVED in types:
        return Status.ARCHIVED
    if E.POLICE_FEEDBACK in types:
        return Status.FED_BACK
    if E.RETURN_VISIT in types:
        return Status.VISITED
    if E.RESOLVED in types:
        return Status.RESOLVED
    if E.DISPATCHED not in types:
        return Status.AWAITING_DISPATCH
    if E.REFERRED_TO_COURT in types:
        return Status.REFERRED
    if E.ESCALATED in types or E.JOINT_HANDLING in types:
        return Status.ESCALATED
    handling = [e for e in case.events_until(moment) if e.type in HANDLING]
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


def check_event(case: Case, event: Event, *, require_leader_for_red: bool = False) -> None:
    """Refuse, with a Chinese message, an event that may not follow the case's timeline.

    ``require_leader_for_red`` is the interactive rule that a red case gets its 包案领导
    before anything else; imports of history do not apply it.
    """
    label = event.type.label
    if event.at < case.received_at:
        raise DomainError(f"“{label}”的时间早于案件接收时间")
    if case.events and event.at < case.events[-1].at:
        raise DomainError(f"“{label}”的时间早于上一条记录（{case.events[-1].type.label}）的时间")
    blocker = event_blocker(case, event.type, require_leader_for_red=require_leader_for_red)
    if blocker:
        raise DomainError(blocker)
    _check_fields(event)


def event_blocker(case: Case, kind: EventType, *, require_leader_for_red: bool = False) -> str | None:
    """Why an event of ``kind`` may not be recorded on the case as it stands, or None.

    This is the state of the timeline only (what must come first); the fields of the event
    itself (two handlers, a satisfaction...) are checked when it is recorded. The window asks
    this to grey out a button and say what is missing.
    """
    label = kind.label
    types = {e.type for e in case.events}
    if E.CANCELLED in types:
        return "案件已撤销，不能再记录"
    if E.ARCHIVED in types:
        return "案件已归档，不能再记录"
    if (require_leader_for_red and kind not in BEFORE_LEADER_OK and classification_at(case).risk == Risk.RED
            and E.LEADER_ASSIGNED not in types):
        return "红色风险案件须先指定包案领导"
    dispatched = E.DISPATCHED in types
    resolved = E.RESOLVED in types
    if kind == E.DISPATCHED and dispatched:
        return "该案件已交办"
    if kind == E.DISPATCHED and classification_at(case).category == UNCLASSIFIED:
        return "案件尚未分类，请先选择类别再交办"
    if kind in HANDLING or kind == E.RESOLVED:
        if not dispatched:
            return f"案件尚未交办，不能记录“{label}”"
        if resolved:
            return f"案件已化解，不能再记录“{label}”"
    if kind == E.ARRIVED and E.ARRIVED in types:
        return "已记录到场；此后的上门处置请记为“进展”"
    if kind == E.ESCALATED and classification_at(case).grade == Grade.DIFFICULT:
        return "案件已是疑难等级，无需再升级"
    if kind == E.RETURN_VISIT and not resolved:
        return "案件尚未化解，不能回访"
    if kind == E.POLICE_FEEDBACK:
        if E.RETURN_VISIT not in types:
            return "请先完成回访，再反馈派出所"
        if E.POLICE_FEEDBACK in types:
            return "已反馈过派出所"
    if kind == E.ARCHIVED:
        if not resolved or E.RETURN_VISIT not in types:
            return "案件须化解并回访后才能归档"
        if case.source == Source.POLICE_TRANSFER and E.POLICE_FEEDBACK not in types:
            return "派出所转交的案件须先反馈派出所，再归档"
    if kind == E.CANCELLED and resolved:
        return "案件已化解，不能撤销"
    if kind == E.SUPERVISED and E.LEADER_ASSIGNED not in types:
        return "督办前须先指定包案领导"
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


def _check_fields(event: Event) -> None:
    kind = event.type
    if kind == E.DISPATCHED:
        problem = dispatch_team_problem(event.get("handlers") or [], event.get("leader") or "")
        if problem:
            raise DomainError(problem)
    elif kind == E.FOLLOW_UP_SCHEDULED:
        agreed = event.get("agreed_at")
        if not isinstance(agreed, datetime):
            raise DomainError("约定后续处置须填写约定时间")
        if agreed < event.at:
            raise DomainError("约定时间不能早于记录时间")
    elif kind == E.RESOLVED:
        if not isinstance(event.get("on_site"), bool):
            raise DomainError("化解须注明是否当场化解")
    elif kind == E.RETURN_VISIT:
        if not isinstance(event.get("satisfaction"), Satisfaction):
            raise DomainError("回访须选择满意度")
    elif kind == E.ARCHIVED:
        if not (event.get("archive_no") or "").strip():
            raise DomainError("归档须填写档案编号")
    elif kind == E.CANCELLED:
        if not (event.get("reason") or "").strip():
            raise DomainError("撤销须填写原因")
    elif kind == E.LEADER_ASSIGNED:
        if not (event.get("leader") or "").strip():
            raise DomainError("须填写包案领导姓名")
    elif kind == E.MEETING_DECISION:
        if not (event.get("owner") or "").strip() or not (event.get("plan") or "").strip():
            raise DomainError("例会决定须写明责任人和化解方案")
    elif kind == E.CLASSIFIED:  # noqa: SIM102 - one branch per event type, like those above
        if not any(event.get(k) is not None for k in ("category", "grade", "risk", "criminal_risk")):
            raise DomainError("分类变更须至少改变类别、等级或风险之一")


def check_timeline(case: Case, *, require_leader_for_red: bool = False) -> None:
    """Replay a whole timeline through ``check_event``; used on import and in tests."""
    replay = Case(**{**case.__dict__, "events": []})
    for index, event in enumerate(case.events, start=1):
        try:
            check_event(replay, event, require_leader_for_red=require_leader_for_red)
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

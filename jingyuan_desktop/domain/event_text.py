"""Chinese labels of events' data fields, and their values as readable text.

The case view, the paper forms and the exports all describe an event the same way; this is
the one table they read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jingyuan_desktop.domain.enums import (
    CancelReason,
    Coded,
    CourtResult,
    EventType,
    Grade,
    Outcome,
    Risk,
    Satisfaction,
)
from jingyuan_desktop.domain.model import Case, Event

E = EventType

FIELD_LABELS = {
    "handlers": "处置人员",
    "leader": "带队负责人",
    "departments": "协调部门",
    "experts": "专家/专业人士",
    "agreed_at": "约定时间",
    "on_site": "当场化解",
    "outcome": "化解方式",
    "agreement_no": "调解协议编号",
    "agreement_kept": "协议履行",
    "present": "到场人员",
    "result": "法庭结果",
    "satisfaction": "满意度",
    "party": "回访对象",
    "officer": "民警",
    "archive_no": "档案编号",
    "reason": "原因",
    "court": "法庭",
    "category": "类别",
    "grade": "等级",
    "risk": "风险",
    "criminal_risk": "民转刑风险",
    "meeting": "例会",
    "owner": "责任人",
    "plan": "化解方案",
    "due_date": "完成期限",
}
# The same field name means something else on these events.
TYPE_FIELD_LABELS = {
    (E.LEADER_ASSIGNED, "leader"): "包案领导",
    (E.CANCELLED, "reason"): "撤销原因",
    (E.RETURNED_TO_POLICE, "reason"): "移交理由",
    (E.ANALYSIS, "plan"): "研判意见及方案",
}
# Fields held as enums in the domain (the store decodes them by name).
ENUM_FIELDS: dict[str, type[Coded]] = {"grade": Grade, "risk": Risk, "satisfaction": Satisfaction}
# Fields held as the code text of an enum, on one event type only (the same name is free
# text on another: a cancellation's reason is a code, a return to the police's is not).
TYPE_CODE_FIELDS: dict[tuple[EventType, str], type[Coded]] = {
    (E.RESOLVED, "outcome"): Outcome,
    (E.CANCELLED, "reason"): CancelReason,
    (E.COURT_OUTCOME, "result"): CourtResult,
}


def field_label(kind: EventType, name: str) -> str:
    return TYPE_FIELD_LABELS.get((kind, name)) or FIELD_LABELS.get(name, name)


def field_codes(kind: EventType | None, name: str) -> type[Coded] | None:
    """The enum whose codes the field ``name`` of an event of ``kind`` holds, or None for text."""
    return ENUM_FIELDS.get(name) or (TYPE_CODE_FIELDS.get((kind, name)) if kind is not None else None)


def value_text(name: str, value, moment_text: Callable[[datetime], str], kind: EventType | None = None) -> str:
    """A field's value as Chinese text; empty for an empty value. Enum codes become labels."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    codes = field_codes(kind, name)
    if codes is not None:
        try:
            return codes(value).label
        except ValueError:
            return str(value)
    if name == "agreement_kept" and isinstance(value, bool):
        return "协议履行中" if value else "协议未履行"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return moment_text(value)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def event_details(event: Event, moment_text: Callable[[datetime], str]) -> list[tuple[str, str]]:
    """(label, text) for each non-empty data field of ``event``, in the order it was given."""
    details = []
    for name, value in event.data.items():
        text = value_text(name, value, moment_text, event.type)
        if text:
            details.append((field_label(event.type, name), text))
    return details


def ending_text(case: Case) -> str:
    """How the handling ended, as one phrase (达成调解协议, 移交公安, 撤销：误录...); "" while open."""
    from jingyuan_desktop.domain.lifecycle import ending

    end = ending(case)
    if end is None:
        return ""
    if end.type == E.RESOLVED:
        outcome = value_text("outcome", end.get("outcome"), str, E.RESOLVED)
        number = end.get("agreement_no") or ""
        text = outcome or "化解"
        return f"{text}（{number}）" if number else text
    if end.type == E.COURT_OUTCOME:
        return f"法庭{value_text('result', end.get('result'), str, E.COURT_OUTCOME)}"
    if end.type == E.CANCELLED:
        return f"撤销：{value_text('reason', end.get('reason'), str, E.CANCELLED) or '未注明原因'}"
    return "移交公安机关依法处理"

"""An event's data fields as one readable Chinese line for the timeline."""

from __future__ import annotations

from datetime import datetime

from jingyuan_desktop.domain.enums import EventType, Grade, Risk, Satisfaction
from jingyuan_desktop.domain.model import Event
from jingyuan_desktop.ui.widgets.text import format_moment, label_of

E = EventType

FIELD_LABELS = {
    "handlers": "处置人员",
    "leader": "带队负责人",
    "departments": "协调部门",
    "experts": "专家/专业人士",
    "agreed_at": "约定时间",
    "on_site": "当场化解",
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
}
# The same field means something else on some events.
FIELD_LABELS_BY_TYPE = {(E.LEADER_ASSIGNED, "leader"): "包案领导"}
ENUM_FIELDS = {"grade": Grade, "risk": Risk, "satisfaction": Satisfaction}


def field_label(kind: EventType, name: str) -> str:
    return FIELD_LABELS_BY_TYPE.get((kind, name)) or FIELD_LABELS.get(name, name)


def value_text(name: str, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if name in ENUM_FIELDS:
        return label_of(ENUM_FIELDS[name], value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return format_moment(value, with_year=True)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def describe(event: Event) -> str:
    """字段：值；…, then the note, then the evidence references."""
    parts = []
    for name, value in event.data.items():
        text = value_text(name, value)
        if text:
            parts.append(f"{field_label(event.type, name)}：{text}")
    if event.note:
        parts.append(event.note)
    if event.evidence:
        parts.append("证据：" + "、".join(event.evidence))
    return "；".join(parts)

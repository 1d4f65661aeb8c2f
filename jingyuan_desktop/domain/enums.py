"""Enumerations: one stable English code and one Chinese label each.

The labels here are the only place a Chinese name of a code is written; the UI, the paper
forms and the exports all read them from ``.label``.
"""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    """A refusal with a message in Chinese that can be shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Coded(StrEnum):
    """A StrEnum whose members carry a Chinese label, given as ``_labels`` on the class."""

    @property
    def label(self) -> str:
        return type(self)._labels()[self.value]

    @classmethod
    def _labels(cls) -> dict[str, str]:  # overridden by each subclass
        raise NotImplementedError

    @classmethod
    def parse(cls, text: str | None) -> Coded:
        """Accept the English code or the Chinese label; refuse anything else in Chinese."""
        value = (text or "").strip()
        for member in cls:
            if value == member.value or value == member.label:
                return member
        choices = "、".join(m.label for m in cls)
        raise DomainError(f"无法识别的{cls.title()}“{value}”，可选：{choices}")

    @classmethod
    def title(cls) -> str:
        return cls.__name__


def _labelled(title: str, labels: dict[str, str]):
    """Attach a Chinese title and labels to a Coded subclass."""

    def decorate(cls):
        missing = {m.value for m in cls} ^ set(labels)
        if missing:
            raise AssertionError(f"labels out of step with {cls.__name__}: {missing}")
        cls._labels = classmethod(lambda c: labels)
        cls.title = classmethod(lambda c: title)
        return cls

    return decorate


_SOURCE = {
    "police_transfer": "派出所转交",
    "grid_report": "网格员摸排",
    "informant": "治安信息员",
    "walk_in": "来访来电",
    "court_notice": "法院通报",
    "hotline": "热线平台",
}


@_labelled("来源", _SOURCE)
class Source(Coded):
    POLICE_TRANSFER = "police_transfer"
    GRID_REPORT = "grid_report"
    INFORMANT = "informant"
    WALK_IN = "walk_in"
    COURT_NOTICE = "court_notice"
    HOTLINE = "hotline"


@_labelled("等级", {"simple": "简单", "general": "一般", "difficult": "疑难"})
class Grade(Coded):
    SIMPLE = "simple"
    GENERAL = "general"
    DIFFICULT = "difficult"


@_labelled("风险", {"red": "红", "yellow": "黄", "blue": "蓝"})
class Risk(Coded):
    RED = "red"
    YELLOW = "yellow"
    BLUE = "blue"


_SATISFACTION = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
    "unable": "无法评价",
    "refused": "拒访",
}


@_labelled("满意度", _SATISFACTION)
class Satisfaction(Coded):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    UNABLE = "unable"
    REFUSED = "refused"


@_labelled("当事人身份", {"caller": "报警人", "party": "当事人", "other": "其他"})
class PartyRole(Coded):
    CALLER = "caller"
    PARTY = "party"
    OTHER = "other"


_UNIT_KIND = {
    "village": "村",
    "community": "社区",
    "police_station": "派出所",
    "department": "部门",
}


@_labelled("单位类型", _UNIT_KIND)
class UnitKind(Coded):
    VILLAGE = "village"
    COMMUNITY = "community"
    POLICE_STATION = "police_station"
    DEPARTMENT = "department"


_PERSON_ROLE = {
    "secretary": "书记",
    "cadre": "两委干部",
    "mediator": "人民调解员",
    "police_assistant": "警务助理",
    "legal_adviser": "法律顾问",
    "grid_worker": "网格员",
    "expert": "专业人士",
    "office_staff": "治理办工作人员",
    "leader": "镇领导",
    "officer": "民警",
    "department_staff": "部门工作人员",
}


@_labelled("人员角色", _PERSON_ROLE)
class PersonRole(Coded):
    SECRETARY = "secretary"
    CADRE = "cadre"
    MEDIATOR = "mediator"
    POLICE_ASSISTANT = "police_assistant"
    LEGAL_ADVISER = "legal_adviser"
    GRID_WORKER = "grid_worker"
    EXPERT = "expert"
    OFFICE_STAFF = "office_staff"
    LEADER = "leader"
    OFFICER = "officer"
    DEPARTMENT_STAFF = "department_staff"


_EVENT_TYPE = {
    "classified": "分类变更",
    "dispatched": "交办",
    "arrived": "到场",
    "progress": "进展",
    "follow_up_scheduled": "约定后续",
    "mediation_failed": "调解未成",
    "escalated": "升级疑难",
    "joint_handling": "联席处理",
    "referred_to_court": "移送法庭",
    "resolved": "化解",
    "return_visit": "回访",
    "police_feedback": "反馈派出所",
    "archived": "归档",
    "cancelled": "撤销",
    "leader_assigned": "指定包案领导",
    "supervised": "督办",
    "meeting_decision": "例会决定",
}


@_labelled("事件类型", _EVENT_TYPE)
class EventType(Coded):
    CLASSIFIED = "classified"
    DISPATCHED = "dispatched"
    ARRIVED = "arrived"
    PROGRESS = "progress"
    FOLLOW_UP_SCHEDULED = "follow_up_scheduled"
    MEDIATION_FAILED = "mediation_failed"
    ESCALATED = "escalated"
    JOINT_HANDLING = "joint_handling"
    REFERRED_TO_COURT = "referred_to_court"
    RESOLVED = "resolved"
    RETURN_VISIT = "return_visit"
    POLICE_FEEDBACK = "police_feedback"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"
    LEADER_ASSIGNED = "leader_assigned"
    SUPERVISED = "supervised"
    MEETING_DECISION = "meeting_decision"


_STATUS = {
    "awaiting_dispatch": "待交办",
    "dispatched": "已交办",
    "handling": "处置中",
    "follow_up": "约定后续",
    "escalated": "疑难处置",
    "referred": "移送法庭",
    "resolved": "已化解待回访",
    "visited": "已回访待反馈",
    "fed_back": "已反馈待归档",
    "archived": "已归档",
    "cancelled": "已撤销",
}


@_labelled("状态", _STATUS)
class Status(Coded):
    AWAITING_DISPATCH = "awaiting_dispatch"
    DISPATCHED = "dispatched"
    HANDLING = "handling"
    FOLLOW_UP = "follow_up"
    ESCALATED = "escalated"
    REFERRED = "referred"
    RESOLVED = "resolved"
    VISITED = "visited"
    FED_BACK = "fed_back"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Still being worked on: not yet resolved, and not cancelled."""
        return self in _OPEN_STATUSES


_OPEN_STATUSES = frozenset(
    {
        Status.AWAITING_DISPATCH,
        Status.DISPATCHED,
        Status.HANDLING,
        Status.FOLLOW_UP,
        Status.ESCALATED,
        Status.REFERRED,
    }
)


_CLOCK = {
    "dispatch": "交办时限",
    "arrive": "到场时限",
    "result": "当日反馈时限",
    "progress": "每日进展时限",
    "follow_up": "约定后续时限",
    "return_visit": "回访时限",
    "police_feedback": "反馈派出所时限",
    "leader": "包案领导时限",
    "supervision": "督办时限",
}


@_labelled("时限", _CLOCK)
class ClockName(Coded):
    DISPATCH = "dispatch"
    ARRIVE = "arrive"
    RESULT = "result"
    PROGRESS = "progress"
    FOLLOW_UP = "follow_up"
    RETURN_VISIT = "return_visit"
    POLICE_FEEDBACK = "police_feedback"
    LEADER = "leader"
    SUPERVISION = "supervision"


@_labelled("时限状态", {"pending": "进行中", "met": "按时", "late": "超时完成", "overdue": "已超时"})
class ClockState(Coded):
    PENDING = "pending"
    MET = "met"
    LATE = "late"
    OVERDUE = "overdue"

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
    """Seed 003: 红 high risk, a leader on it; 黄 under control; 蓝 settled and watched."""

    RED = "red"
    YELLOW = "yellow"
    BLUE = "blue"

    @property
    def rank(self) -> int:
        return {"blue": 0, "yellow": 1, "red": 2}[self.value]


NO_COLOUR = "未定"


def colour_text(risk: Risk | str | None) -> str:
    """红色, 黄色, 蓝色, or 未定 for a case not yet classified."""
    if not risk:
        return NO_COLOUR
    return f"{Risk(risk).label}色"


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
    "returned_to_police": "移交公安",
    "court_outcome": "法庭结果",
    "dispatch_refused": "拒不处置",
    "analysis": "研判",
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
    # The handling ends by handing the case back to the police (seed 002: 启动处罚程序).
    RETURNED_TO_POLICE = "returned_to_police"
    # What the court did with a referred case: resolves it, or gives it back.
    COURT_OUTCOME = "court_outcome"
    # The dispatched team refused or did not go (推诿塞责); the office dispatches again.
    DISPATCH_REFUSED = "dispatch_refused"
    # The office's 研判 before a second handling (二次处置, seed 002), with its plan.
    ANALYSIS = "analysis"


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
    "returned": "已移交公安",
    "declined": "非职责范围",
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
    RETURNED = "returned"  # handed back to the police, feedback still owed
    DECLINED = "declined"  # cancelled as not the office's remit, feedback still owed

    @property
    def is_open(self) -> bool:
        """Still being worked on: not yet resolved, and not cancelled."""
        return self in _OPEN_STATUSES

    @property
    def has_clocks(self) -> bool:
        """Whether a case in this status can still have a running clock (return visit and
        police feedback included): all but archived and cancelled ones."""
        return self not in (Status.ARCHIVED, Status.CANCELLED)


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
    "follow_visit": "定期回访时限",
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
    FOLLOW_VISIT = "follow_visit"


@_labelled("时限状态", {"pending": "进行中", "met": "按时", "late": "超时完成", "overdue": "已超时"})
class ClockState(Coded):
    PENDING = "pending"
    MET = "met"
    LATE = "late"
    OVERDUE = "overdue"


_OUTCOME = {
    "on_site": "当场化解",
    "agreement": "达成调解协议",
    "explained": "政策解释到位、当事人认可",
    "self_settled": "当事人自行和解或撤回",
}


@_labelled("化解方式", _OUTCOME)
class Outcome(Coded):
    """How a resolved case was resolved; every one counts as 化解."""

    ON_SITE = "on_site"
    AGREEMENT = "agreement"
    EXPLAINED = "explained"
    SELF_SETTLED = "self_settled"


_CANCEL_REASON = {
    "duplicate": "重复录入",
    "entered_in_error": "误录",
    "not_our_remit": "非职责范围，已告知当事人",
}


@_labelled("撤销原因", _CANCEL_REASON)
class CancelReason(Coded):
    DUPLICATE = "duplicate"
    ENTERED_IN_ERROR = "entered_in_error"
    NOT_OUR_REMIT = "not_our_remit"

    @property
    def is_void(self) -> bool:
        """The entry should never have existed: no feedback, no figures, no archive."""
        return self in (CancelReason.DUPLICATE, CancelReason.ENTERED_IN_ERROR)


_COURT_RESULT = {"mediated": "调解成功", "judged": "判决", "withdrawn": "撤诉", "returned": "退回"}


@_labelled("法庭结果", _COURT_RESULT)
class CourtResult(Coded):
    MEDIATED = "mediated"
    JUDGED = "judged"
    WITHDRAWN = "withdrawn"
    RETURNED = "returned"  # the court gives the case back to whoever had it


# Who owns a clock that is not the dispatched team's: the town office (治理办).
OFFICE = "office"
OFFICE_LABEL = "治理办"


def owner_label(owner: str) -> str:
    """The owner of a clock as shown: 治理办 for the office, else the unit's own name."""
    return OFFICE_LABEL if owner == OFFICE else owner

from datetime import datetime

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import EventType, Grade, PartyRole, Risk, Satisfaction, Source
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.store.database import open_database

E = EventType
USER = "张科员"


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def db(tmp_path):
    database = open_database(str(tmp_path / "jingyuan.db"))
    yield database
    database.dispose()


def every_event(start: str = "2026-03-02") -> list[Event]:
    """One event of each type, in an order the procedure allows up to the archive."""
    d = start
    return [
        Event(E.CLASSIFIED, t(f"{d} 09:02"), by="治理办", data={"category": "宅基地纠纷", "grade": Grade.GENERAL,
                                                             "risk": Risk.RED, "criminal_risk": True}),
        Event(E.LEADER_ASSIGNED, t(f"{d} 09:03"), data={"leader": "王镇长"}),
        Event(E.DISPATCHED, t(f"{d} 09:04"), data={"handlers": ["李书记", "赵调解员"], "leader": "李书记",
                                                  "departments": ["司法所"], "experts": []}),
        Event(E.DISPATCH_REFUSED, t(f"{d} 09:08"), note="原定人员外出未到"),
        Event(E.ARRIVED, t(f"{d} 09:15"), data={"present": ["李书记", "赵调解员"]}, evidence=["VID_0001.mp4"]),
        Event(E.PROGRESS, t(f"{d} 10:00"), note="双方情绪平稳"),
        Event(E.MEDIATION_FAILED, t(f"{d} 11:00"), note="未达成一致"),
        Event(E.FOLLOW_UP_SCHEDULED, t(f"{d} 11:05"), data={"agreed_at": t("2026-03-04 14:30")}),
        Event(E.ESCALATED, t("2026-03-04 15:00")),
        Event(E.ANALYSIS, t("2026-03-04 16:00"), data={"plan": "请派出所社区民警参与二次处置"}),
        Event(E.JOINT_HANDLING, t("2026-03-05 09:00"), data={"departments": ["司法所", "自然资源所"],
                                                           "experts": ["刘律师"]}),
        Event(E.SUPERVISED, t("2026-03-06 09:00"), note="月度督办"),
        Event(E.MEETING_DECISION, t("2026-03-06 10:00"), data={"meeting": "2026-W10", "owner": "司法所",
                                                              "plan": "联系法庭诉前调解", "due_date": "2026-03-09"}),
        Event(E.REFERRED_TO_COURT, t("2026-03-07 09:00"), data={"court": "智慧法庭"}),
        Event(E.COURT_OUTCOME, t("2026-03-09 09:00"), data={"result": "returned"}),
        Event(E.RESOLVED, t("2026-03-10 16:00"), data={"outcome": "agreement", "agreement_no": "XY-2026-001"}),
        Event(E.RETURN_VISIT, t("2026-03-12 10:00"), data={"satisfaction": Satisfaction.BASICALLY_SATISFIED,
                                                          "party": "张三"}),
        Event(E.RETURN_VISIT, t("2026-04-10 10:00"), data={"agreement_kept": True, "party": "张三"}),
        Event(E.POLICE_FEEDBACK, t("2026-03-12 11:00"), data={"officer": "陈警官"}),
        Event(E.ARCHIVED, t("2026-03-13 09:00"), data={"archive_no": "DA-2026-0001"}),
        Event(E.CANCELLED, t("2026-03-13 10:00"), data={"reason": "duplicate"}, note="测试撤销"),
        Event(E.RETURNED_TO_POLICE, t("2026-03-13 11:00"), data={"reason": "涉嫌殴打他人，需治安处罚"}),
    ]


def make_case(case_no: str = "FZ-2026-00001", *, received: str = "2026-03-02 09:00", village: str = "解营村",
              events: list[Event] | None = None, phone: str = "13812345678", location: str = "3组东头",
              summary: str = "邻居因宅基地边界发生争吵", incident: str | None = None, **fields) -> Case:
    return Case(
        case_no=case_no,
        received_at=t(received),
        village=village,
        summary=summary,
        category=fields.pop("category", "邻里纠纷"),
        grade=fields.pop("grade", Grade.SIMPLE),
        risk=fields.pop("risk", Risk.YELLOW),
        source=fields.pop("source", Source.POLICE_TRANSFER),
        police_incident_no=incident if incident is not None else f"J{case_no}",
        police_station="房镇派出所",
        location=location,
        called_at=t(received).replace(minute=0) if t(received).minute else None,
        officer="李警官",
        parties=[
            Party("张三", phone, role=PartyRole.CALLER),
            Party("李四", "13900001111", role=PartyRole.PARTY, id_number="370102199001011234"),
        ],
        events=events if events is not None else [],
        **fields,
    )


@pytest.fixture
def full_case() -> Case:
    """A case with parties and one event of every type."""
    return make_case(events=every_event(), key_persons=True, repeat_of="FZ-2025-00099")

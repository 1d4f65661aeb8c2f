from jingyuan_desktop.domain.enums import EventType, Satisfaction
from jingyuan_desktop.domain.event_text import event_details
from jingyuan_desktop.domain.model import Event

from .conftest import t


def test_fields_read_as_chinese_in_their_order():
    stamp = lambda moment: moment.strftime("%m-%d %H:%M")  # noqa: E731
    visit = Event(EventType.RETURN_VISIT, t("2026-11-18 10:00"),
                  data={"satisfaction": Satisfaction.BASICALLY_SATISFIED, "party": ""})
    assert event_details(visit, stamp) == [("满意度", "基本满意")]
    leader = Event(EventType.LEADER_ASSIGNED, t("2026-11-18 10:00"), data={"leader": "王镇长"})
    assert event_details(leader, stamp) == [("包案领导", "王镇长")]
    follow = Event(EventType.FOLLOW_UP_SCHEDULED, t("2026-11-18 10:00"), data={"agreed_at": t("2026-11-19 15:00")})
    assert event_details(follow, stamp) == [("约定时间", "11-19 15:00")]
    resolved = Event(EventType.RESOLVED, t("2026-11-18 10:00"), data={"outcome": "agreement"})
    assert event_details(resolved, stamp) == [("化解方式", "达成调解协议")]
    dispatched = Event(EventType.DISPATCHED, t("2026-11-18 10:00"), data={"handlers": ["甲", "乙"], "leader": "甲"})
    assert event_details(dispatched, stamp) == [("处置人员", "甲、乙"), ("带队负责人", "甲")]

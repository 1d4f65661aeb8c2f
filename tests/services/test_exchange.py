"""The case exchange file: what is written, what is read back, and what is refused.

The fixtures are cases under version 2 of the rules; ``test_exchange_v2`` reads version 1 files
and tries every new event field.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import DomainError, EventType, Grade, PartyRole, Risk, Satisfaction, Source
from jingyuan_desktop.domain.lifecycle import check_timeline, derive_status
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.services import exchange
from jingyuan_desktop.services.exchange import ExchangeError

E = EventType
VILLAGES = {"解营村", "高南村", "花漾城社区"}
CATEGORIES = {"邻里纠纷", "婚姻家庭", "赡养抚养", "未分类"}
STATIONS = {"房镇派出所", "大张派出所"}


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def full_life_case() -> Case:
    """A red, escalated police transfer that goes through every step to the archive, then is
    visited again as a 疑难 case must be."""
    return Case(
        case_no="FZ-2026-00042", source=Source.POLICE_TRANSFER, police_incident_no="J370300202610030001",
        police_station="房镇派出所", received_at=t("2026-10-03 10:00"), called_at=t("2026-10-03 09:42"),
        officer="钱卫东", village="解营村", location="解营村三组", summary="兄弟二人因赡养老人争执，电话13900001111",
        category="婚姻家庭", grade=Grade.SIMPLE, risk=Risk.YELLOW, criminal_risk=False, key_persons=True,
        parties=[Party("甄大勇", "13900001111", PartyRole.CALLER),
                 Party("甄二勇", role=PartyRole.PARTY, id_number="370303199001011234")],
        events=[
            Event(E.CLASSIFIED, t("2026-10-03 10:03"), by="张科员",
                  data={"category": "赡养抚养", "grade": Grade.GENERAL, "risk": Risk.RED, "criminal_risk": False}),
            Event(E.LEADER_ASSIGNED, t("2026-10-03 10:04"), data={"leader": "王副镇长"}),
            Event(E.DISPATCHED, t("2026-10-03 10:05"), by="张科员",
                  data={"handlers": ["刘书记", "陈调解员", "赵网格员"], "leader": "刘书记",
                        "departments": ["司法所"]}),
            Event(E.ARRIVED, t("2026-10-03 10:17"), data={"present": ["刘书记", "陈调解员"]},
                  evidence=["执法记录仪 20261003-101700.mp4"]),
            Event(E.PROGRESS, t("2026-10-03 11:00"), note="双方情绪缓和"),
            Event(E.FOLLOW_UP_SCHEDULED, t("2026-10-03 11:30"), data={"agreed_at": t("2026-10-05 09:00")}),
            Event(E.MEDIATION_FAILED, t("2026-10-05 10:00"), note="长子不同意分摊"),
            Event(E.ESCALATED, t("2026-10-05 10:30")),
            Event(E.ANALYSIS, t("2026-10-05 11:00"), by="张科员", data={"plan": "司法所、民政所联合调处"}),
            Event(E.JOINT_HANDLING, t("2026-10-06 09:00"),
                  data={"departments": ["司法所", "民政所"], "experts": ["孔律师"]}),
            Event(E.SUPERVISED, t("2026-10-06 17:00"), by="王副镇长"),
            Event(E.MEETING_DECISION, t("2026-10-07 09:00"), data={
                "meeting": "2026-W41", "owner": "司法所", "plan": "请法庭提前介入", "due_date": "2026-10-09"}),
            Event(E.REFERRED_TO_COURT, t("2026-10-08 09:00"), data={"court": "智慧法庭"}),
            Event(E.COURT_OUTCOME, t("2026-10-08 16:00"), data={"result": "returned"}, note="请先行调解"),
            Event(E.RESOLVED, t("2026-10-09 15:00"), data={"outcome": "agreement", "agreement_no": "TJ-2026-0042"}),
            Event(E.RETURN_VISIT, t("2026-10-10 10:00"),
                  data={"satisfaction": Satisfaction.BASICALLY_SATISFIED, "party": "甄大勇"}),
            Event(E.RETURN_VISIT, t("2026-11-10 10:00"), data={"agreement_kept": True}),
            Event(E.POLICE_FEEDBACK, t("2026-11-10 11:00"), data={"officer": "钱卫东"}),
            Event(E.ARCHIVED, t("2026-11-11 09:00"), by="张科员", data={"archive_no": "DA-2026-0042"}),
            Event(E.RETURN_VISIT, t("2026-12-10 10:00"), data={"party": "甄二勇", "agreement_kept": False}),
        ],
    )


def repeated_walk_in() -> Case:
    """No case number yet, a time with microseconds, a repeat call analysed before its dispatch
    that went unheeded once."""
    return Case(
        source=Source.WALK_IN, received_at=t("2026-10-04 08:45:12.250000"), village="花漾城社区",
        summary="物业费争议", category="邻里纠纷", grade=Grade.SIMPLE, risk=Risk.BLUE, criminal_risk=True,
        repeat_of="FZ-2026-00042",
        events=[
            Event(E.ANALYSIS, t("2026-10-04 08:48"), data={"plan": "与前案一并处置"}),
            Event(E.DISPATCHED, t("2026-10-04 08:50"), data={"handlers": ["李书记", "周网格员"], "leader": "李书记"}),
            Event(E.DISPATCH_REFUSED, t("2026-10-04 09:05"), note="网格员称非本网格"),
            Event(E.DISPATCHED, t("2026-10-04 09:10"), data={"handlers": ["李书记", "吴网格员"], "leader": "李书记"}),
            Event(E.RESOLVED, t("2026-10-04 09:30"), data={"outcome": "on_site"}),
            Event(E.RETURN_VISIT, t("2026-10-05 09:00"), data={"satisfaction": Satisfaction.REFUSED}),
            Event(E.ARCHIVED, t("2026-10-05 10:00"), data={"archive_no": "DA-2026-0043"}),
        ],
    )


def fresh_cancelled_and_returned() -> list[Case]:
    """Not yet classified (no colour), cancelled as a duplicate, handed back to the police."""
    waiting = Case(case_no="FZ-2026-00044", received_at=t("2026-10-05 16:58"), village="高南村",
                   summary="寻找走失老人", category="未分类", police_station="大张派出所")
    cancelled = Case(case_no="FZ-2026-00045", received_at=t("2026-10-06 09:00"), village="高南村",
                     summary="重复登记", category="邻里纠纷", risk=Risk.YELLOW,
                     events=[Event(E.CANCELLED, t("2026-10-06 09:10"), data={"reason": "duplicate"},
                                   note="与FZ-2026-00044重复")])
    returned = Case(case_no="FZ-2026-00046", received_at=t("2026-10-06 11:00"), village="解营村",
                    summary="酒后殴打邻居", category="邻里纠纷", risk=Risk.RED, police_station="房镇派出所",
                    events=[Event(E.RETURNED_TO_POLICE, t("2026-10-06 11:20"),
                                  data={"reason": "涉嫌殴打他人，须启动处罚程序"}),
                            Event(E.POLICE_FEEDBACK, t("2026-10-06 11:30"), data={"officer": "钱卫东"})])
    return [waiting, cancelled, returned]


@pytest.fixture
def cases() -> list[Case]:
    return [full_life_case(), repeated_walk_in(), *fresh_cancelled_and_returned()]


def read(doc: dict) -> list[Case]:
    return exchange.document_to_cases(doc, villages=VILLAGES, categories=CATEGORIES, stations=STATIONS)


def dumped(doc: dict) -> str:
    out = io.StringIO()
    exchange.dump_document(doc, out)
    return out.getvalue()


def test_fixtures_are_valid_timelines_covering_every_event_type(cases):
    for case in cases:
        check_timeline(case)
    assert {e.type for c in cases for e in c.events} == set(EventType)


def test_export_import_export_is_byte_identical(cases, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    exchange.dump_document(exchange.cases_to_document(cases), first)
    back = read(exchange.load_document(first))
    exchange.dump_document(exchange.cases_to_document(back), second)
    assert first.read_bytes() == second.read_bytes()
    assert back == cases  # every field survives, not just the bytes
    assert derive_status(back[0]).value == "archived"
    assert back[1].case_no == ""


def test_written_form_follows_the_rule(cases):
    doc = exchange.cases_to_document(cases)
    text = dumped(doc)
    assert text.endswith("}\n") and "甄大勇" in text  # not \u escaped
    full, walk_in, waiting, cancelled, returned = json.loads(text)["cases"]
    assert list(full) == [
        "case_no", "source", "police_incident_no", "police_station", "received_at", "called_at", "officer",
        "village", "location", "summary", "category", "grade", "risk", "criminal_risk", "key_persons",
        "parties", "events",
    ]
    assert full["received_at"] == "2026-10-03T10:00:00+08:00"
    assert walk_in["received_at"] == "2026-10-04T08:45:12.250000+08:00"
    assert "case_no" not in walk_in and walk_in["repeat_of"] == "FZ-2026-00042"
    assert waiting["criminal_risk"] is False and "location" not in waiting and waiting["events"] == []
    assert "risk" not in waiting  # not yet classified: no colour
    assert full["risk"] == "yellow" and cancelled["risk"] == "yellow"
    assert full["parties"][1] == {"name": "甄二勇", "role": "party", "id_number": "370303199001011234"}
    dispatched = full["events"][2]
    assert list(dispatched) == ["type", "at", "by", "handlers", "leader", "departments"]
    empty = Event(E.DISPATCHED, t("2026-10-03 10:05"), note="",
                  data={"handlers": ["甲", "乙"], "leader": "甲", "experts": [], "departments": None, "stray": "x"})
    assert exchange.event_to_dict(empty) == {"type": "dispatched", "at": "2026-10-03T10:05:00+08:00",
                                             "handlers": ["甲", "乙"], "leader": "甲"}
    assert full["events"][0]["criminal_risk"] is False  # false inside an event is kept
    assert full["events"][0]["risk"] == "red"
    assert full["events"][5]["agreed_at"] == "2026-10-05T09:00:00+08:00"
    assert full["events"][3] == {"type": "arrived", "at": "2026-10-03T10:17:00+08:00",
                                 "present": ["刘书记", "陈调解员"], "evidence": ["执法记录仪 20261003-101700.mp4"]}
    assert full["events"][13] == {"type": "court_outcome", "at": "2026-10-08T16:00:00+08:00",
                                  "result": "returned", "note": "请先行调解"}
    assert full["events"][14] == {"type": "resolved", "at": "2026-10-09T15:00:00+08:00",
                                  "outcome": "agreement", "agreement_no": "TJ-2026-0042"}
    assert full["events"][15]["satisfaction"] == "basically_satisfied"
    assert full["events"][16]["agreement_kept"] is True and full["events"][19]["agreement_kept"] is False
    assert walk_in["events"][2] == {"type": "dispatch_refused", "at": "2026-10-04T09:05:00+08:00",
                                    "note": "网格员称非本网格"}
    assert cancelled["events"][0]["reason"] == "duplicate"
    assert returned["events"][0]["reason"] == "涉嫌殴打他人，须启动处罚程序"


def test_times_from_elsewhere_are_written_in_beijing_time():
    case = Case(received_at=datetime(2026, 10, 3, 2, 0, tzinfo=UTC), village="解营村", summary="s",
                category="邻里纠纷", called_at=datetime(2026, 10, 3, 9, 30))  # naive: already local
    written = exchange.case_to_dict(case)
    assert written["received_at"] == "2026-10-03T10:00:00+08:00"
    assert written["called_at"] == "2026-10-03T09:30:00+08:00"


def test_generator_is_streamed_with_the_same_bytes_as_a_list(cases):
    consumed = []

    def generate():
        for case in cases:
            consumed.append(case.case_no)
            yield case

    lazy = exchange.cases_to_document(generate())
    assert consumed == []  # nothing converted until written
    eager = exchange.cases_to_document(cases)
    assert dumped(lazy) == dumped(eager) == json.dumps(eager, ensure_ascii=False, indent=2) + "\n"
    assert dumped(exchange.cases_to_document(iter([]))) == json.dumps(
        {"format": "jingyuan-cases", "version": 2, "cases": []}, indent=2) + "\n"


def test_times_with_z_other_offsets_and_none_are_read_as_beijing_time():
    doc = {"format": "jingyuan-cases", "version": 1, "cases": [{
        "received_at": "2026-10-03T02:00:00Z", "called_at": "2026-10-03T10:50:00+09:00",
        "village": "解营村", "summary": "s", "category": "邻里纠纷",
        "events": [
            {"type": "dispatched", "at": "2026-10-03T10:05:00", "handlers": ["甲", "乙"], "leader": "甲"},
            {"type": "follow_up_scheduled", "at": "2026-10-03T05:00:00-05:00", "agreed_at": "2026-10-04T01:00:00Z"},
        ],
    }]}
    [case] = read(doc)
    assert case.received_at == datetime(2026, 10, 3, 10, 0, tzinfo=TZ)
    assert case.received_at.utcoffset() == timedelta(hours=8)
    assert case.called_at == datetime(2026, 10, 3, 9, 50, tzinfo=TZ)
    assert case.events[0].at == datetime(2026, 10, 3, 10, 5, tzinfo=TZ)  # naive = local
    assert case.events[1].at == datetime(2026, 10, 3, 10, 0, tzinfo=UTC)
    assert case.events[1].get("agreed_at") == datetime(2026, 10, 4, 9, 0, tzinfo=TZ)
    written = exchange.cases_to_document([case])["cases"][0]
    assert written["received_at"] == "2026-10-03T10:00:00+08:00"
    assert written["events"][1]["at"] == "2026-10-03T18:00:00+08:00"
    # missing optional keys take their defaults; a case without risk has no colour yet
    assert (case.case_no, case.source, case.grade, case.risk, case.criminal_risk) == (
        "", Source.POLICE_TRANSFER, Grade.GENERAL, None, False)


def test_every_problem_of_every_bad_case_of_a_version_1_file_is_listed():
    good = {"received_at": "2026-10-03T10:00:00+08:00", "village": "解营村", "summary": "s", "category": "邻里纠纷"}
    doc = {"format": "jingyuan-cases", "version": 1, "cases": [
        {**good, "case_no": "FZ-2026-00001"},
        {**good, "case_no": "FZ-2026-00002", "village": "某某村", "grade": "hard", "received_at": "昨天"},
        {"case_no": "FZ-2026-00003", "summary": "s"},
        {**good, "police_station": "城关派出所", "criminal_risk": "否", "parties": [{"name": "甲", "role": "boss"}]},
        {**good, "case_no": "FZ-2026-00005", "events": [
            {"type": "dispatched", "at": "2026-10-03T10:05:00+08:00", "handlers": ["甲"], "leader": "甲"}]},
        {**good, "case_no": "FZ-2026-00001", "category": "打架", "events": [
            {"type": "teleported", "at": "2026-10-03T10:05:00+08:00"},
            {"type": "resolved", "at": "later", "on_site": "yes", "colour": "red"}]},
    ]}
    with pytest.raises(ExchangeError) as caught:
        read(doc)
    problems = caught.value.problems
    expected = [
        "第2个案件（FZ-2026-00002）：未知的村（社区）“某某村”",
        "第2个案件（FZ-2026-00002）：等级（grade）“hard”无法识别",
        "第2个案件（FZ-2026-00002）：接收时间（received_at）无法识别：“昨天”",
        "第3个案件（FZ-2026-00003）：缺少接收时间（received_at）",
        "第3个案件（FZ-2026-00003）：缺少村（社区）（village）",
        "第3个案件（FZ-2026-00003）：缺少类别（category）",
        "第4个案件：未知的派出所“城关派出所”",
        "第4个案件：民转刑风险（criminal_risk）应为 true 或 false",
        "第4个案件：第1个当事人的身份（role）“boss”无法识别",
        "第5个案件（FZ-2026-00005）：第1条记录：交办须至少安排2名处置人员",
        "第6个案件（FZ-2026-00001）：案件编号 FZ-2026-00001 与第1个案件重复",
        "第6个案件（FZ-2026-00001）：未知的类别“打架”",
        "第6个案件（FZ-2026-00001）：第1条记录的类型“teleported”无法识别",
        "第6个案件（FZ-2026-00001）：第2条记录的时间（at）无法识别：“later”",
        "第6个案件（FZ-2026-00001）：第2条记录的当场化解（on_site）应为 true 或 false",
        "第6个案件（FZ-2026-00001）：第2条记录（化解）有无法识别的字段“colour”",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in problems), line
    assert not any(p.startswith("第1个案件") for p in problems)
    assert len(problems) == len(expected)
    assert isinstance(caught.value, DomainError) and caught.value.message == "\n".join(problems)


def test_problems_name_event_fields_as_the_case_view_does_and_text_as_long_as_the_database_keeps():
    good = {"received_at": "2026-10-03T10:00:00+08:00", "village": "解营村", "summary": "s", "category": "邻里纠纷"}
    doc = {"format": "jingyuan-cases", "version": 1, "cases": [
        {**good, "case_no": "FZ-" + "9" * 40, "parties": [{"name": "甲", "phone": "1" * 51}], "events": [
            {"type": "leader_assigned", "at": "2026-10-03T10:01:00+08:00", "leader": ["王副镇长"]},
            {"type": "meeting_decision", "at": "2026-10-03T10:02:00+08:00", "owner": 7},
            {"type": "progress", "at": "2026-10-03T10:03:00+08:00", "by": "记" * 101}]},
    ]}
    with pytest.raises(ExchangeError) as caught:
        read(doc)
    where = "第1个案件（FZ-" + "9" * 40 + "）："
    assert caught.value.problems == [
        where + "案件编号（case_no）太长（最多40字）",
        where + "第1个当事人的电话（phone）太长（最多50字）",
        where + "第1条记录的包案领导（leader）应为文字",
        where + "第2条记录的责任人（owner）应为文字",
        where + "第3条记录的记录人（by）太长（最多100字）",
    ]


def test_known_unit_sets_are_optional():
    doc = {"format": "jingyuan-cases", "version": 1, "cases": [
        {"received_at": "2026-10-03T10:00:00+08:00", "village": "某某村", "summary": "s", "category": "打架"}]}
    [case] = exchange.document_to_cases(doc, villages=None, categories=None, stations=None)
    assert case.village == "某某村"


@pytest.mark.parametrize("doc, words", [
    ({"format": "other", "version": 1, "cases": []}, "不是案件交换文件"),
    ({"format": "jingyuan-cases", "version": 3, "cases": []}, "不支持的交换文件版本“3”，本程序只能读取版本1和2"),
    ({"format": "jingyuan-cases", "version": "2", "cases": []}, "不支持的交换文件版本“2”"),
    ({"format": "jingyuan-cases", "version": True, "cases": []}, "不支持的交换文件版本“True”"),
    ({"format": "jingyuan-cases", "cases": []}, "不支持的交换文件版本“None”"),
    ({"version": 1, "cases": []}, "不是案件交换文件"),
])
def test_wrong_format_or_version_is_refused(doc, words):
    with pytest.raises(ExchangeError, match=words):
        read(doc)


def test_bad_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "format": "jingyuan-cases",\n  "version": 1\n  "cases": []\n}\n', encoding="utf-8")
    with pytest.raises(ExchangeError, match="第4行第3列，缺少逗号"):
        exchange.load_document(path)
    with pytest.raises(ExchangeError, match="无法读取文件"):
        exchange.load_document(tmp_path / "missing.json")


def test_dump_to_path_leaves_no_file_when_the_cases_fail(tmp_path):
    target = tmp_path / "out.json"

    def broken():
        yield full_life_case()
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        exchange.dump_document(exchange.cases_to_document(broken()), target)
    assert list(tmp_path.iterdir()) == []

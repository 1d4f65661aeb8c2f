"""Version 2 of the case exchange file: the new event fields, and version 1 files read into it."""

from __future__ import annotations

import copy
import json
from datetime import datetime

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import CancelReason, DomainError, EventType, Outcome, Risk, Status
from jingyuan_desktop.domain.lifecycle import check_timeline, derive_status
from jingyuan_desktop.services import demo, exchange, files, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.exchange import ExchangeError

E = EventType
VILLAGES = {"解营村", "高南村"}
CATEGORIES = {"邻里纠纷", "婚姻家庭", "未分类"}
STATIONS = {"房镇派出所"}
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
TEAM = {"handlers": ["刘书记", "陈调解员"], "leader": "刘书记"}


def read(doc: dict):
    return exchange.document_to_cases(doc, villages=VILLAGES, categories=CATEGORIES, stations=STATIONS)


def document(version: int, *cases: dict) -> dict:
    return {"format": "jingyuan-cases", "version": version, "cases": list(cases)}


def case(no: str, *events: dict, **fields) -> dict:
    """A case in exchange form, as the writer lays it out, received at 10:00 on 3 October."""
    return {"case_no": no, "source": "police_transfer", "police_station": "房镇派出所",
            "received_at": "2026-10-03T10:00:00+08:00", "village": "解营村", "summary": "邻里因排水争执",
            "category": "邻里纠纷", "grade": "general", "risk": "yellow", "criminal_risk": False,
            "key_persons": False, "parties": [], "events": list(events), **fields}


def ev(kind: str, clock: str, **fields) -> dict:
    return {"type": kind, "at": f"2026-10-03T{clock}:00+08:00", **fields}


def dispatched(clock: str = "10:05") -> dict:
    return ev("dispatched", clock, **TEAM)


# -- version 1 files


def version_1_document() -> dict:
    """What the first program wrote: on_site, handlers on arrival, a free-text cancel reason."""
    return document(
        1,
        case("FZ-2026-00001", dispatched(),
             ev("arrived", "10:15", handlers=["刘书记", "陈调解员"], evidence=["现场照片.jpg"]),
             ev("resolved", "10:40", on_site=True, note="双方握手言和"),
             ev("return_visit", "14:00", satisfaction="satisfied", party="甄大勇"),
             ev("police_feedback", "15:00", officer="钱卫东"),
             ev("archived", "16:00", archive_no="DA-2026-0001"),
             parties=[{"name": "甄大勇", "phone": "13900001111", "role": "caller"}]),
        case("FZ-2026-00002", dispatched(),
             ev("cancelled", "11:00", reason="当事人已起诉至法院", note="已电话告知当事人")),
        case("FZ-2026-00003", ev("cancelled", "10:10", reason="重复登记"), risk="blue"),
    )


def version_2_of(doc: dict) -> dict:
    """``version_1_document`` as version 2 writes it: nothing lost, every field converted."""
    doc = copy.deepcopy(doc)
    doc["version"] = 2
    first, second, third = doc["cases"]
    first["events"][1] = ev("arrived", "10:15", present=["刘书记", "陈调解员"], evidence=["现场照片.jpg"])
    first["events"][2] = ev("resolved", "10:40", outcome="on_site", note="双方握手言和")
    second["events"][1] = ev("cancelled", "11:00", reason="not_our_remit", note="当事人已起诉至法院；已电话告知当事人")
    third["events"][0] = ev("cancelled", "10:10", reason="entered_in_error", note="重复登记")
    return doc


def test_version_1_events_are_read_in_version_2_form():
    first, second, third = read(version_1_document())
    arrived, resolved = first.events[1], first.events[2]
    assert arrived.data == {"present": ["刘书记", "陈调解员"]} and arrived.evidence == ["现场照片.jpg"]
    assert resolved.data == {"outcome": Outcome.ON_SITE} and resolved.note == "双方握手言和"
    assert type(resolved.data["outcome"]) is str  # held as its code text, as the store gives it back
    cancelled = second.events[1]
    assert cancelled.data == {"reason": CancelReason.NOT_OUR_REMIT}
    assert cancelled.note == "当事人已起诉至法院；已电话告知当事人"
    assert derive_status(second) == Status.DECLINED  # not the office's remit: feedback still owed
    assert third.events[0].data == {"reason": "entered_in_error"} and third.events[0].note == "重复登记"
    assert derive_status(third) == Status.CANCELLED
    for converted in (first, second, third):
        check_timeline(converted)  # nothing left that only the legacy rules accept
    assert exchange.cases_to_document([first, second, third]) == version_2_of(version_1_document())


def test_version_1_resolution_not_on_site_or_silent_keeps_no_outcome():
    doc = document(1, *(case(f"FZ-2026-0001{i}", dispatched(), ev("resolved", "10:40", **flag))
                        for i, flag in enumerate(({"on_site": False}, {}))))
    for read_back in read(doc):
        assert read_back.events[1].data == {}  # version 1 did not say how; no outcome is guessed
        with pytest.raises(DomainError, match="化解方式"):
            check_timeline(read_back)  # only the legacy reading accepts it
        assert exchange.case_to_dict(read_back)["events"][1] == ev("resolved", "10:40")


def test_version_1_arrival_without_names_and_case_without_risk_are_accepted():
    no_risk = case("FZ-2026-00020", dispatched(), ev("arrived", "10:15"))
    del no_risk["risk"]
    [read_back] = read(document(1, no_risk))
    assert read_back.risk is None and read_back.events[1].data == {}
    assert "risk" not in exchange.case_to_dict(read_back)


def test_version_1_cancellation_text_goes_to_the_note_once():
    doc = document(1,
                   case("FZ-2026-00030", ev("cancelled", "10:10", reason="误报", note="误报，派出所已核实")),
                   case("FZ-2026-00031", ev("cancelled", "10:10", reason="duplicate")),
                   case("FZ-2026-00032", ev("cancelled", "10:10", reason="误报", note="派出所已核实")))
    known, coded, plain = read(doc)
    assert (known.events[0].get("reason"), known.events[0].note) == ("entered_in_error", "误报，派出所已核实")
    assert (coded.events[0].get("reason"), coded.events[0].note) == ("duplicate", "")
    assert plain.events[0].note == "误报；派出所已核实"


def test_version_1_file_may_not_use_version_2_fields_or_event_types():
    doc = document(1, case("FZ-2026-00040", dispatched(),
                           ev("arrived", "10:15", present=["刘书记", "陈调解员"]),
                           ev("dispatch_refused", "10:20"),
                           ev("resolved", "10:40", outcome="on_site")))
    with pytest.raises(ExchangeError) as caught:
        read(doc)
    where = "第1个案件（FZ-2026-00040）："
    assert caught.value.problems == [
        where + "第2条记录（到场）有无法识别的字段“present”",
        where + "第3条记录的类型“dispatch_refused”（拒不处置）不属于版本1的交换文件",
        where + "第4条记录（化解）有无法识别的字段“outcome”",
    ]


def test_version_1_timeline_is_checked_with_the_legacy_rules_only_where_they_differ():
    # Version 1 never asked who was on site: one name is history, kept as it was recorded.
    doc = document(1, case("FZ-2026-00050", dispatched(), ev("arrived", "10:15", handlers=["刘书记"])))
    [old] = read(doc)
    assert old.events[1].get("present") == ["刘书记"]
    # Version 2 asks: one person on site is refused.
    doc = document(2, case("FZ-2026-00050", dispatched(), ev("arrived", "10:15", present=["刘书记"])))
    with pytest.raises(ExchangeError, match="第2条记录：到场须至少2人"):
        read(doc)


# -- version 2 files


def every_new_field_document() -> dict:
    """Each new event type and each new field, as version 2 writes them."""
    return document(
        2,
        case("FZ-2026-00101", dispatched(),
             ev("dispatch_refused", "10:10", note="处置人员未到场"),
             dispatched("10:20"),
             ev("arrived", "10:30", present=["刘书记", "陈调解员"]),
             ev("mediation_failed", "11:00"),
             ev("escalated", "11:10"),
             ev("analysis", "11:20", by="张科员", plan="请司法所参与二次调解"),
             ev("referred_to_court", "11:30", court="智慧法庭"),
             ev("court_outcome", "15:00", result="returned"),
             ev("resolved", "16:00", outcome="agreement", agreement_no="TJ-2026-0101"),
             ev("return_visit", "17:00", satisfaction="satisfied"),
             ev("return_visit", "18:00", agreement_kept=False, note="一方未按期付款"),
             ev("return_visit", "19:00", party="甄大勇", agreement_kept=True)),
        case("FZ-2026-00102", dispatched(), ev("referred_to_court", "11:00", court="智慧法庭"),
             ev("court_outcome", "15:00", result="mediated")),
        case("FZ-2026-00103", ev("returned_to_police", "10:20", reason="涉嫌寻衅滋事，须启动处罚程序"),
             ev("police_feedback", "10:30")),
        case("FZ-2026-00104", dispatched(), ev("cancelled", "11:00", reason="not_our_remit")),
        case("FZ-2026-00105", dispatched(), ev("resolved", "11:00", outcome="explained")),
        case("FZ-2026-00106", dispatched(), ev("resolved", "11:00", outcome="self_settled")),
        {k: v for k, v in case("FZ-2026-00107", category="未分类").items() if k != "risk"},
    )


def test_every_new_event_type_and_field_round_trips_exactly(tmp_path):
    doc = every_new_field_document()
    cases = read(doc)
    assert {e.type for c in cases for e in c.events} >= {
        E.RETURNED_TO_POLICE, E.COURT_OUTCOME, E.DISPATCH_REFUSED, E.ANALYSIS}
    assert exchange.cases_to_document(cases) == doc
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    exchange.dump_document(exchange.cases_to_document(read(exchange.load_document(first))), second)
    assert first.read_bytes() == second.read_bytes()
    assert read(exchange.load_document(second)) == cases
    statuses = [derive_status(c) for c in cases]
    assert statuses == [Status.VISITED, Status.RESOLVED, Status.FED_BACK, Status.DECLINED, Status.RESOLVED,
                        Status.RESOLVED, Status.AWAITING_DISPATCH]
    assert cases[-1].risk is None and cases[0].risk == Risk.YELLOW


def test_version_2_codes_are_checked_and_the_choices_listed():
    doc = document(
        2,
        case("FZ-2026-00201", dispatched(), ev("resolved", "11:00", outcome="mediated", on_site=True)),
        case("FZ-2026-00202", ev("cancelled", "10:10", reason="误报")),
        case("FZ-2026-00203", dispatched(), ev("referred_to_court", "11:00"), ev("court_outcome", "12:00",
                                                                                 result="on_site")),
        case("FZ-2026-00204", dispatched(), ev("arrived", "10:15", handlers=["刘书记", "陈调解员"], present="刘书记")),
        case("FZ-2026-00205", dispatched(), ev("resolved", "11:00", outcome="on_site"),
             ev("return_visit", "12:00", satisfaction="satisfied", agreement_kept="是"),
             ev("returned_to_police", "13:00", reason=["殴打"])),
        case("FZ-2026-00206", risk="green"),
    )
    with pytest.raises(ExchangeError) as caught:
        read(doc)
    assert caught.value.problems == [
        "第1个案件（FZ-2026-00201）：第2条记录（化解）有无法识别的字段“on_site”",
        "第1个案件（FZ-2026-00201）：第2条记录的化解方式（outcome）“mediated”无法识别，可选：on_site（当场化解）、"
        "agreement（达成调解协议）、explained（政策解释到位、当事人认可）、self_settled（当事人自行和解或撤回）",
        "第2个案件（FZ-2026-00202）：第1条记录的撤销原因（reason）“误报”无法识别，可选：duplicate（重复录入）、"
        "entered_in_error（误录）、not_our_remit（非职责范围，已告知当事人）",
        "第3个案件（FZ-2026-00203）：第3条记录的法庭结果（result）“on_site”无法识别，可选：mediated（调解成功）、"
        "judged（判决）、withdrawn（撤诉）、returned（退回）",
        "第4个案件（FZ-2026-00204）：第2条记录（到场）有无法识别的字段“handlers”",
        "第4个案件（FZ-2026-00204）：第2条记录的到场人员（present）应为文字列表",
        "第5个案件（FZ-2026-00205）：第3条记录的协议履行（agreement_kept）应为 true 或 false",
        "第5个案件（FZ-2026-00205）：第4条记录的移交理由（reason）应为文字",
        "第6个案件（FZ-2026-00206）：风险（risk）“green”无法识别，可选：red（红）、yellow（黄）、blue（蓝）",
    ]


def test_version_2_timelines_are_checked_strictly():
    doc = document(
        2,
        case("FZ-2026-00301", dispatched(), ev("resolved", "11:00")),
        case("FZ-2026-00302", dispatched(), ev("arrived", "10:15")),
        case("FZ-2026-00303", ev("cancelled", "10:10")),
        case("FZ-2026-00304", ev("returned_to_police", "10:10")),
        case("FZ-2026-00305", ev("analysis", "10:10", plan="再议")),
    )
    with pytest.raises(ExchangeError) as caught:
        read(doc)
    assert caught.value.problems == [
        "第1个案件（FZ-2026-00301）：第2条记录：化解须选择化解方式",
        "第2个案件（FZ-2026-00302）：第2条记录：到场须至少2人，请勾选实际到场人员（已选0人）",
        "第3个案件（FZ-2026-00303）：第1条记录：撤销须选择原因（重复录入、误录或非职责范围）",
        "第4个案件（FZ-2026-00304）：第1条记录：移交公安机关须写明理由",
        "第5个案件（FZ-2026-00305）：第1条记录：只有重复报警或调解未成的疑难案件需要研判（二次处置）",
    ]


# -- through the database, as the command line's import and export do it


@pytest.fixture
def ctx(tmp_path):
    context = AppContext.open(str(tmp_path / "v2.db"), now=lambda: NOW)
    setup.install_town(context, demo.load_town())
    yield context
    context.db.engine.dispose()


def test_version_1_file_imports_and_exports_as_version_2_with_nothing_lost(ctx, tmp_path):
    source, out = tmp_path / "v1.json", tmp_path / "v2.json"
    original = version_1_document()
    source.write_text(json.dumps(original, ensure_ascii=False, indent=2), encoding="utf-8")
    assert files.import_cases(ctx, source) == 3
    assert files.export_cases(ctx, out) == 3
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported == version_2_of(original)
    assert exported["version"] == 2


def test_version_2_file_goes_through_the_database_unchanged(ctx, tmp_path):
    source, out = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(every_new_field_document(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert files.import_cases(ctx, source) == 7
    files.export_cases(ctx, out)
    assert out.read_bytes() == source.read_bytes()

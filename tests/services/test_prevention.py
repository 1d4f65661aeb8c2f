"""The prevention registers through the services (issue 14): grids, patrols and their clocks,
a finding turned into a case, key persons behind their narrower access, warnings, figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from jingyuan_desktop.domain.access import Account, Role
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import ClockState, Risk, Source
from jingyuan_desktop.domain.model import Party
from jingyuan_desktop.domain.prevention import (
    Citizen,
    DutyName,
    Grid,
    KeyPerson,
    KeyPersonVisit,
    OfficerBeat,
    Patrol,
    PatrolRole,
    Warning,
)
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import stats
from jingyuan_desktop.services.context import PermissionDenied, ServiceError
from jingyuan_desktop.services.prevention import duties, records
from jingyuan_desktop.store import repository
from tests.services.conftest import NOW, build_template, context_on_copy

VILLAGE = "解营村"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory, "prevention", cases=30, seed=14)


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def villages(ctx) -> list[str]:
    with ctx.session() as session:
        return [u.name for u in repository.list_units(session) if u.kind.value in ("village", "community")]


def test_a_grid_patrolled_this_week_is_met_and_last_week_unpatrolled_is_overdue(ctx):
    village = villages(ctx)[0]
    records.save_grids(ctx, [Grid(village, "一网格", head="王网格长", workers=("李网格员",), since=date(2025, 6, 2))])
    # NOW is Wednesday 2025-06-11: the week of 06-02 had no patrol, this week has one.
    records.record_patrols(ctx, [Patrol(at("2025-06-10 15:00"), "李网格员", PatrolRole.GRID_WORKER, village, "一网格",
                                        households=12, findings="无异常")])
    found = duties.duties(ctx, date(2025, 6, 2))
    weeks = {(d.period_start, d.state) for d in found if d.name == DutyName.GRID_PATROL}
    assert weeks == {(date(2025, 6, 2), ClockState.OVERDUE), (date(2025, 6, 9), ClockState.MET)}
    assert all(d.owner == "王网格长" for d in found)
    shown = duties.current_duties(ctx)
    assert [d.state for d in shown] == [ClockState.OVERDUE]


def test_a_patrol_refused_for_an_unknown_grid_a_future_time_or_another_village(ctx):
    village, other = villages(ctx)[:2]
    records.save_grids(ctx, [Grid(village, "一网格")])
    with pytest.raises(ServiceError, match="没有名为“九网格”的网格"):
        records.record_patrols(ctx, [Patrol(at("2025-06-10 15:00"), "甲", PatrolRole.GRID_WORKER, village, "九网格")])
    with pytest.raises(ServiceError, match="晚于现在"):
        records.record_patrols(ctx, [Patrol(NOW + timedelta(hours=1), "甲", PatrolRole.GRID_WORKER, village)])
    ctx.account = Account("村账号", Role.VILLAGE, village)
    with pytest.raises(ServiceError, match="只能记录本村"):
        records.record_patrols(ctx, [Patrol(at("2025-06-10 15:00"), "甲", PatrolRole.GRID_WORKER, other)])
    ctx.account = None
    assert records.patrols(ctx) == []  # nothing half-written


def test_a_finding_becomes_a_case_with_its_source_grid_and_link(ctx):
    village = villages(ctx)[0]
    records.save_grids(ctx, [Grid(village, "二网格")])
    [patrol_id] = records.record_patrols(ctx, [Patrol(at("2025-06-11 09:00"), "赵信息员", PatrolRole.INFORMANT,
                                                      village, "二网格", findings="两户因宅基地争吵")])
    result = records.finding_to_case(ctx, patrol_id, category="邻里纠纷", risk=Risk.YELLOW,
                                     parties=[Party("张三", "13800001234")])
    case, _ = case_service.get_case(ctx, result.case_no)
    assert (case.source, case.grid, case.village, case.summary) == (Source.INFORMANT, "二网格", village,
                                                                    "两户因宅基地争吵")
    assert records.patrols(ctx)[0].case_no == result.case_no
    with pytest.raises(ServiceError, match="已转为案件"):
        records.finding_to_case(ctx, patrol_id, category="邻里纠纷", risk=Risk.YELLOW)
    rows = duties.reward_list(ctx, date(2025, 6, 1), date(2025, 6, 30))
    assert rows == [("赵信息员", "治安信息员", 1, 0, 1)]
    by_grid = {row.key: row.received for row in stats.statistics(ctx, by="grid", start=date(2025, 6, 11),
                                                                 end=date(2025, 6, 11))}
    assert by_grid[f"{village}/二网格"] == 1


def test_key_persons_are_hidden_from_village_accounts_and_every_look_is_audited(ctx):
    village = villages(ctx)[0]
    entry_id = records.register_key_person(
        ctx, Citizen("刘某某", phone="138 0000 5678", village=village),
        KeyPerson(0, "", "精神障碍", responsible="村支书", measures="监护人看护", since=date(2025, 6, 1),
                  village=village))
    records.record_visit(ctx, KeyPersonVisit(entry_id, at("2025-06-05 10:00"), "村支书", "情绪稳定"))
    listed = records.key_persons(ctx)
    assert [(p.name, p.type_label) for p in listed] == [("刘某某", "精神障碍")]
    with ctx.session() as session:
        views = [a for a in repository.list_audit(session, limit=20) if a.action == "view"]
    assert views and views[0].entity == "key_person" and views[0].entity_id == str(entry_id)
    ctx.account = Account("村账号", Role.VILLAGE, village)
    with pytest.raises(PermissionDenied):
        records.key_persons(ctx)
    assert not any(d.name == DutyName.KEY_PERSON_VISIT for d in duties.duties(ctx, date(2025, 6, 1)))
    ctx.account = None
    # 14 days after the 06-05 visit is 06-19: still pending at NOW, the name masked in the list.
    [visit_duty] = [d for d in duties.current_duties(ctx) if d.name == DutyName.KEY_PERSON_VISIT]
    assert visit_duty.state == ClockState.PENDING and "刘某" in visit_duty.label and "刘某某" not in visit_duty.label


def test_a_key_person_needs_a_phone_or_id_and_a_responsible_person(ctx):
    with pytest.raises(ServiceError, match="责任人"):
        records.register_key_person(ctx, Citizen("甲", phone="13800000000"), KeyPerson(0, "", "吸毒", responsible=""))
    with pytest.raises(ServiceError, match="身份证号或电话"):
        records.register_key_person(ctx, Citizen("甲"), KeyPerson(0, "", "吸毒", responsible="乙"))


def test_a_case_party_is_matched_to_the_key_person_by_phone(ctx):
    village = villages(ctx)[0]
    records.register_key_person(ctx, Citizen("刘某某", phone="13800005678"),
                                KeyPerson(0, "", "扬言极端", responsible="所长", village=village))
    draft = case_service.Case(received_at=NOW, village=village, summary="x", category="未分类",
                              parties=[Party("刘某某", "+86 138-0000-5678")])
    assert [p.type for p in records.key_persons_of_case(ctx, draft)] == ["extreme_threat"]


def test_the_same_phone_under_another_name_is_offered_for_review_then_merged(ctx):
    records.register_key_person(ctx, Citizen("刘甲", phone="13800005678"), KeyPerson(0, "", "吸毒", responsible="乙"))
    records.register_key_person(ctx, Citizen("刘乙", phone="13800005678"), KeyPerson(0, "", "吸毒", responsible="乙"))
    [(first, second, reason)] = records.review_pairs(ctx)
    assert reason == "电话相同" and {first.name, second.name} == {"刘甲", "刘乙"}
    records.decide_pair(ctx, first.id, second.id, same=True)
    assert records.review_pairs(ctx) == []
    assert {p.citizen_id for p in records.key_persons(ctx)} == {first.id}


def test_a_daily_warning_adds_a_duty_a_day_and_figures_count_them(ctx):
    village = villages(ctx)[0]
    records.save_grids(ctx, [Grid(village, "一网格", since=date(2025, 6, 9))])
    records.add_warning(ctx, Warning(date(2025, 6, 9), date(2025, 6, 15), "端午节前敏感期", villages=(village,),
                                     daily_patrols=True))
    records.record_patrols(ctx, [Patrol(at("2025-06-09 09:00"), "甲", PatrolRole.GRID_WORKER, village, "一网格")])
    daily = [d for d in duties.duties(ctx, date(2025, 6, 9)) if d.daily]
    assert [(d.period_start, d.state) for d in daily] == [
        (date(2025, 6, 9), ClockState.MET), (date(2025, 6, 10), ClockState.OVERDUE),
        (date(2025, 6, 11), ClockState.PENDING)]
    result = duties.figures(ctx, date(2025, 6, 9), date(2025, 6, 15))
    # Done: the 06-09 day and the week (done early counts); due: those and the missed 06-10.
    assert (result.patrol_done, result.patrol_due) == (2, 3)
    assert [(row.key, row.done, row.due) for row in result.grids] == [(f"{village}/一网格", 2, 3)]
    with pytest.raises(ServiceError, match="结束日期早于开始日期"):
        records.add_warning(ctx, Warning(date(2025, 6, 9), date(2025, 6, 1), "x"))


def test_officer_beats_need_two_visits_a_week(ctx):
    village = villages(ctx)[0]
    records.save_beats(ctx, [OfficerBeat("钱民警", village, since=date(2025, 6, 2))])
    records.record_patrols(ctx, [Patrol(at("2025-06-03 10:00"), "钱民警", PatrolRole.VILLAGE_OFFICER, village)])
    week = [d for d in duties.duties(ctx, date(2025, 6, 2)) if d.period_start == date(2025, 6, 2)]
    assert [(d.seq, d.state) for d in week] == [(1, ClockState.MET), (2, ClockState.OVERDUE)]
    assert week[0].owner == "钱民警"


def test_deadlines_lists_the_prevention_clocks_with_their_owner(ctx, capsys):
    import json

    from jingyuan_desktop import cli

    village = villages(ctx)[0]
    records.save_grids(ctx, [Grid(village, "一网格", head="王网格长", since=date(2025, 6, 2))])
    db = ctx.db.url
    assert cli.main(["--db", db, "deadlines", "--at", "2025-06-11 10:00", "--json"]) == 0
    rows = [row for row in json.loads(capsys.readouterr().out) if row["case_no"] == ""]
    assert [(r["clock"], r["owner"], r["state"], r["due_at"][:10]) for r in rows] == [
        ("grid_patrol", "王网格长", "overdue", "2025-06-09"), ("grid_patrol", "王网格长", "pending", "2025-06-16")]
    assert cli.main(["--db", db, "deadlines", "--at", "2025-06-11 10:00"]) == 0
    text = capsys.readouterr().out
    assert "排查走访时限：共 2 项" in text and "王网格长" in text


def test_intake_flags_a_key_person_and_links_the_party_to_the_person_page(ctx):
    village = villages(ctx)[0]
    entry = records.register_key_person(ctx, Citizen("刘某某", id_number="11010519491231002X"),
                                        KeyPerson(0, "", "社区矫正", responsible="司法所"))
    draft = case_service.Case(received_at=NOW, village=village, summary="家庭纠纷", category="未分类",
                              source=Source.WALK_IN,
                              parties=[Party("刘某某", "13800001111", id_number="11010519491231002x")])
    result = case_service.intake(ctx, draft)
    case, _ = case_service.get_case(ctx, result.case_no)
    assert case.key_persons
    person, _, _ = records.key_person_page(ctx, entry)
    citizen, cases, entries = records.citizen_page(ctx, person.citizen_id)
    assert [row[0] for row in cases] == [result.case_no] and [e.id for e in entries] == [entry]
    assert citizen.phone == "13800001111"  # what the record lacked, the case filled in


def test_a_cases_grid_goes_through_the_exchange_file_and_is_left_out_when_unknown(tmp_path):
    from jingyuan_desktop.services import exchange

    known = case_service.Case(received_at=NOW, village=VILLAGE, summary="x", category="未分类", grid="一网格",
                              case_no="FZ-2025-00001", police_incident_no="J1", police_station="房镇派出所")
    unknown = case_service.Case(received_at=NOW, village=VILLAGE, summary="y", category="未分类",
                                case_no="FZ-2025-00002", police_incident_no="J2", police_station="房镇派出所")
    document = exchange.cases_to_document([known, unknown])
    assert document["cases"][0]["grid"] == "一网格" and "grid" not in document["cases"][1]
    exchange.dump_document(document, tmp_path / "x.json")
    back = exchange.document_to_cases(exchange.load_document(tmp_path / "x.json"))
    assert [c.grid for c in back] == ["一网格", ""]


def test_the_weekly_handout_reports_the_prevention_half(ctx, tmp_path):
    import re
    import shutil
    import subprocess

    from jingyuan_desktop.services import paper

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) not installed")
    village = villages(ctx)[0]
    records.save_grids(ctx, [Grid(village, "一网格", since=date(2025, 6, 2))])
    records.add_warning(ctx, Warning(date(2025, 6, 9), date(2025, 6, 15), "端午节前敏感期", villages=(village,),
                                     daily_patrols=True))
    [patrol] = records.record_patrols(ctx, [Patrol(at("2025-06-10 09:00"), "赵信息员", PatrolRole.INFORMANT, village,
                                                   "一网格", findings="宅基地争吵")])
    records.finding_to_case(ctx, patrol, category="邻里纠纷", risk=Risk.BLUE)
    out = tmp_path / "weekly.pdf"
    paper.render_weekly(ctx, "2025-W24", out)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True,
                                             check=True).stdout.decode("utf-8"))
    assert "九、排查预防" in text and "治安信息员1" in text
    assert f"{village}/一网格" in text  # the daily patrol of 06-09 was missed
    assert f"预警：端午节前敏感期（06-09至06-15，{village}，期间每日巡查）" in text


def test_showing_full_names_is_audited_apart_from_a_masked_look(ctx):
    records.register_key_person(ctx, Citizen("刘某某", phone="13800005678"), KeyPerson(0, "", "吸毒", responsible="乙"))
    records.key_persons(ctx)
    records.key_persons(ctx, reveal=True)
    with ctx.session() as session:
        actions = [a.action for a in repository.list_audit(session, limit=5) if a.entity == "key_person"]
    assert actions[:2] == ["reveal", "view"]


def test_an_imported_transfer_list_links_its_callers_to_person_records(tmp_path, capsys):
    from jingyuan_desktop import cli

    db = tmp_path / "t.db"
    assert cli.main(["--db", str(db), "demo", "--cases", "0"]) == 0
    sheet = tmp_path / "t.csv"
    sheet.write_text("警情编号,报警时间,报警人,联系电话,事发地点,所属村（社区）,简要警情,处警民警,转交时间,派出所\n"
                     "J1,2026-11-18 09:50,张三,13812345678,3组,解营村,邻居吵架,李警官,2026-11-18 16:58,房镇派出所\n"
                     "J2,2026-11-19 09:50,张三,138 1234 5678,3组,解营村,又吵,李警官,2026-11-19 10:58,房镇派出所\n",
                     encoding="utf-8")
    assert cli.main(["--db", str(db), "import", "transfers", str(sheet)]) == 0
    capsys.readouterr()
    from jingyuan_desktop.services.context import AppContext

    ctx = AppContext.open(str(db))
    [citizen] = records.find_citizens(ctx, "张三")
    _, cases, _ = records.citizen_page(ctx, citizen.id)
    assert len(cases) == 2 and citizen.phone == "13812345678"
    ctx.db.dispose()


def test_a_finding_about_a_key_person_becomes_a_flagged_case(ctx):
    village = villages(ctx)[0]
    records.register_key_person(ctx, Citizen("刘某某", phone="13800005678"), KeyPerson(0, "", "吸毒", responsible="乙"))
    [patrol] = records.record_patrols(ctx, [Patrol(at("2025-06-11 09:00"), "甲", PatrolRole.GRID_WORKER, village,
                                                   findings="与家人争吵")])
    result = records.finding_to_case(ctx, patrol, category="邻里纠纷", risk=Risk.YELLOW,
                                     parties=[Party("刘某某", "13800005678")])
    assert case_service.get_case(ctx, result.case_no)[0].key_persons

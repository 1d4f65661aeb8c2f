"""The prevention commands end to end on a copy of the demo town (issue 14): imports and exports
of the registers, the patrol log, a finding turned into a case, warnings, the key-person
register, the prevention clocks, the review of persons, and each role's refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jingyuan_desktop import cli
from jingyuan_desktop.services import accounts, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.store import prevention as store
from jingyuan_desktop.store import repository
from tests.services.conftest import NOW

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
PASSWORD = "secret-123"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """Every context the command line opens reads NOW. (Patching ``context.system_now`` would
    not do: ``AppContext`` took it as a default when the class was made.)"""
    opened_at = AppContext.open.__func__

    def open_at_now(cls, db, *, user="治理办", now=None):
        return opened_at(cls, db, user=user, now=lambda: NOW)

    monkeypatch.setattr(AppContext, "open", classmethod(open_at_now))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli_prevention") / "demo.db"
    ctx = AppContext.open(str(path), now=lambda: NOW)
    setup.load_demo(ctx, cases=60, seed=4, prevention=True)
    ctx.db.engine.dispose()
    return path


@pytest.fixture
def db(template, tmp_path):
    path = tmp_path / "t.db"
    shutil.copy(template, path)
    return path


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def opened(db) -> AppContext:
    return AppContext.open(str(db), now=lambda: NOW)


def audit(db, entity: str) -> list[tuple[str, str]]:
    ctx = opened(db)
    try:
        with ctx.session() as session:
            return [(a.action, a.user) for a in repository.list_audit(session, entity=entity, limit=10)]
    finally:
        ctx.db.dispose()


def test_imports_report_bad_rows_on_stderr_and_exit_1_with_nothing_written(db, tmp_path, capsys):
    code, out, err = run(capsys, "--db", db, "import", "grids", SAMPLES / "grids_sample.xlsx")
    assert code == 0 and out.startswith("已导入网格：") and err == ""
    bad = tmp_path / "g.csv"
    bad.write_text("村（社区）,网格名称\n解营村,新网格\n某某村,一片\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "import", "grids", bad)
    assert code == 1 and out == ""
    assert err.splitlines() == ["第3行：未知的村（社区）“某某村”", "有 1 行有问题，未导入任何网格。请改正后重新导入。"]
    code, out, _ = run(capsys, "--db", db, "export", "grids", "--out", tmp_path / "g.xlsx")
    assert code == 0 and "新网格" not in (tmp_path / "g.xlsx").read_bytes().decode("latin-1")
    for what, sample in (("beats", "beats_sample.csv"), ("persons", "persons_sample.csv"),
                         ("key-persons", "key_persons_sample.csv"), ("patrols", "patrols_sample.csv")):
        code, out, err = run(capsys, "--db", db, "import", what, SAMPLES / sample)
        assert code == 0, err
    code, _, err = run(capsys, "--db", db, "import", "patrols", tmp_path / "missing.csv")
    assert code == 1 and "找不到文件" in err


def test_exports_are_masked_unless_asked_and_audited(db, tmp_path, capsys):
    assert run(capsys, "--db", db, "import", "persons", SAMPLES / "persons_sample.csv")[0] == 0
    code, out, _ = run(capsys, "--db", db, "--user", "张科员", "export", "persons", "--out", tmp_path / "p.csv")
    assert code == 0 and out.startswith("已导出 ") and "未打码" not in out
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert "甄某" in text and "甄大勇" not in text and "13900001111" not in text
    code, out, _ = run(capsys, "--db", db, "--user", "张科员", "export", "persons", "--out", tmp_path / "q.csv",
                       "--unmasked")
    assert code == 0 and "未打码，已记入审计日志" in out
    assert "甄大勇,370303198003150019,13900001111" in (tmp_path / "q.csv").read_text(encoding="utf-8-sig")
    assert audit(db, "citizens")[:2] == [("export_unmasked", "张科员"), ("export_citizens", "张科员")]
    code, out, _ = run(capsys, "--db", db, "export", "key-persons", "--out", tmp_path / "k.xlsx")
    assert code == 0 and audit(db, "key_person")[0][0] == "export_key_persons"
    code, out, _ = run(capsys, "--db", db, "export", "patrols", "--out", tmp_path / "w.csv", "--from", "2025-06-09",
                       "--to", "2025-06-11")
    assert code == 0
    lines = (tmp_path / "w.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "走访时间,走访人,类型,村（社区）,网格,走访户数,发现情况,案件编号"
    assert all("2025-06-09" <= line[:10] <= "2025-06-11" for line in lines[1:])


def test_a_patrol_is_added_listed_and_its_finding_turned_into_a_case(db, capsys):
    code, out, err = run(capsys, "--db", db, "patrol", "add", "--worker", "杨军", "--village", "解营村", "--grid",
                         "第一网格", "--at", "2025-06-11 09:30", "--households", 12, "--findings",
                         "两户因排水沟争吵，电话13812345678")
    assert code == 0, err
    number = int(out.split()[-1])
    code, out, _ = run(capsys, "--db", db, "patrol", "list", "--from", "2025-06-11", "--village", "解营村", "--json")
    rows = json.loads(out)
    [mine] = [r for r in rows if r["id"] == number]
    assert set(mine) == {"id", "at", "worker", "role", "role_label", "village", "grid", "households", "findings",
                         "case_no"}
    assert (mine["role"], mine["role_label"], mine["households"], mine["case_no"]) == ("grid_worker", "网格员", 12,
                                                                                        None)
    assert "138****5678" in mine["findings"] and mine["at"].startswith("2025-06-11T09:30")
    code, out, err = run(capsys, "--db", db, "patrol", "case", number, "--category", "邻里纠纷", "--risk", "黄")
    assert code == 0, err
    case_no = out.split()[1]
    assert out.startswith("已转为案件 ") and case_no.startswith("FZ-")
    code, out, _ = run(capsys, "--db", db, "patrol", "list", "--from", "2025-06-11", "--village", "解营村")
    assert out.startswith("走访记录：共 ") and case_no in out
    code, _, err = run(capsys, "--db", db, "patrol", "case", number, "--category", "邻里纠纷", "--risk", "黄")
    assert code == 1 and "已转为案件" in err
    with pytest.raises(SystemExit) as refused:
        run(capsys, "--db", db, "patrol", "case", number, "--category", "x", "--risk", "紫")
    assert refused.value.code == 2 and "无法识别的风险“紫”" in capsys.readouterr().err
    code, _, err = run(capsys, "--db", db, "patrol", "add", "--worker", "甲", "--village", "某某村")
    assert code == 1 and "没有名为“某某村”的村（社区）" in err
    with pytest.raises(SystemExit) as refused:
        run(capsys, "--db", db, "patrol", "add", "--worker", "甲", "--village", "解营村", "--role", "协警")
    assert refused.value.code == 2 and "无法识别的走访人员类型" in capsys.readouterr().err


def test_warnings_are_added_listed_and_withdrawn(db, capsys):
    code, out, err = run(capsys, "--db", db, "warning", "add", "--from", "2025-06-10", "--to", "2025-06-15",
                         "--text", "汛期防汛", "--village", "解营村", "--grid", "高南村/第一网格", "--daily")
    assert code == 0, err
    number = int(out.split()[-1])
    code, out, _ = run(capsys, "--db", db, "warning", "list", "--json")
    mine = next(w for w in json.loads(out) if w["id"] == number)
    assert mine == {"id": number, "starts": "2025-06-10", "ends": "2025-06-15", "text": "汛期防汛",
                    "villages": ["解营村"], "grids": ["高南村/第一网格"], "daily_patrols": True, "current": True}
    assert run(capsys, "--db", db, "warning", "withdraw", number)[1] == f"已撤销预警 {number}\n"
    assert number not in [w["id"] for w in json.loads(run(capsys, "--db", db, "warning", "list", "--json")[1])]
    code, _, err = run(capsys, "--db", db, "warning", "withdraw", number)
    assert code == 1 and "找不到编号为" in err
    code, _, err = run(capsys, "--db", db, "warning", "add", "--from", "2025-06-15", "--to", "2025-06-10",
                       "--text", "x")
    assert code == 1 and "结束日期早于开始日期" in err


def test_the_key_person_register_is_masked_unless_asked_and_every_look_audited(db, capsys):
    code, out, _ = run(capsys, "--db", db, "--user", "张科员", "key-persons", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 15
    assert set(rows[0]) == {"id", "citizen_id", "name", "phone", "id_number", "type", "type_label", "responsible",
                            "measures", "visit_days", "since", "ended", "village", "grid", "last_visit", "due_day",
                            "state", "state_label"}
    assert all(r["name"].endswith("某") and "****" in r["phone"] for r in rows)
    assert {r["state"] for r in rows} == {"pending", "overdue"}
    assert audit(db, "key_person")[0] == ("view", "张科员")
    code, out, _ = run(capsys, "--db", db, "--user", "张科员", "key-persons", "list", "--unmasked")
    assert code == 0 and "未打码" in out.splitlines()[0] and "****" not in out
    assert audit(db, "key_person")[0] == ("view_unmasked", "张科员")
    overdue = next(r for r in rows if r["state"] == "overdue")
    code, out, err = run(capsys, "--db", db, "key-persons", "visit", overdue["id"], "--by", "村支书",
                         "--note", "已见面")
    assert code == 0, err
    again = {r["id"]: r for r in json.loads(run(capsys, "--db", db, "key-persons", "list", "--json")[1])}
    assert again[overdue["id"]]["state"] == "pending" and again[overdue["id"]]["last_visit"].startswith("2025-06-11")
    code, _, err = run(capsys, "--db", db, "key-persons", "visit", 9999, "--by", "甲")
    assert code == 1 and "找不到编号为 9999 的重点人员" in err


def test_duties_list_the_prevention_clocks_with_their_owners(db, capsys):
    code, out, _ = run(capsys, "--db", db, "duties", "--json")
    current = json.loads(out)
    assert code == 0 and current
    assert set(current[0]) == {"name", "name_label", "subject", "label", "owner", "village", "period_start", "due_at",
                               "state", "done_at"}
    assert {r["state"] for r in current} == {"pending", "overdue"}
    assert {r["name"] for r in current} == {"grid_patrol", "officer_visit", "key_person_visit"}
    assert all(r["owner"] for r in current)
    everything = json.loads(run(capsys, "--db", db, "duties", "--all", "--json")[1])
    assert len(everything) > len(current) and "met" in {r["state"] for r in everything}
    code, out, _ = run(capsys, "--db", db, "duties")
    assert out.startswith("排查时限（截至 2025-06-11 10:00）：共 ") and "24:00\t已超时" in out


def test_persons_who_may_be_one_are_reviewed_merged_or_kept_apart(db, tmp_path, capsys):
    sheet = tmp_path / "p.csv"
    sheet.write_text("姓名,电话,村（社区）\n张三,13800001234,解营村\n张叁,13800001234,解营村\n"
                     "李四,13800005678,高南村\n李四,13900005678,高南村\n", encoding="utf-8")
    assert run(capsys, "--db", db, "import", "persons", sheet)[0] == 0
    code, out, _ = run(capsys, "--db", db, "persons", "review", "--json")
    pairs = json.loads(out)
    assert code == 0 and set(pairs[0]) == {"first", "second", "reason"}
    assert set(pairs[0]["first"]) == {"id", "name", "phone", "id_number", "village", "grid"}
    by_reason = {p["reason"]: p for p in pairs}
    same_phone, same_name = by_reason["电话相同"], by_reason["姓名与村相同"]
    assert same_phone["first"]["phone"] == "138****1234"
    a, b = same_phone["first"]["id"], same_phone["second"]["id"]
    assert run(capsys, "--db", db, "persons", "merge", b, a)[1] == f"已将人员记录 {b} 合并到 {a}\n"
    c, d = same_name["first"]["id"], same_name["second"]["id"]
    assert run(capsys, "--db", db, "persons", "distinct", c, d)[0] == 0
    assert json.loads(run(capsys, "--db", db, "persons", "review", "--json")[1]) == []
    ctx = opened(db)
    try:
        with ctx.session() as session:
            assert [c.name for c in store.search_citizens(session, "1380000")] == ["张三", "李四"]
    finally:
        ctx.db.dispose()


@pytest.fixture
def with_accounts(db):
    ctx = opened(db)
    try:
        accounts.add_user(ctx, "管理员甲", "admin", PASSWORD)
        accounts.log_in(ctx, "管理员甲", PASSWORD)
        for name, role, where in (("小王", "staff", ""), ("李镇长", "leader", ""), ("村账号", "village", "解营村")):
            accounts.add_user(ctx, name, role, PASSWORD, where)
    finally:
        ctx.db.dispose()
    return db


@pytest.mark.parametrize("user, argv, message", [
    ("村账号", ["key-persons", "list"], "无权查看或修改重点人员名册"),
    ("村账号", ["duties", "--json"], None),
    ("李镇长", ["export", "persons", "--out", "{tmp}/p.csv", "--unmasked"], "领导账号无权导出未打码的个人信息"),
    ("李镇长", ["key-persons", "list", "--unmasked"], "领导账号无权导出未打码的个人信息"),
    ("小王", ["import", "grids", str(SAMPLES / "grids_sample.csv")], "工作人员账号无权修改基础数据"),
    ("小王", ["persons", "review"], "工作人员账号无权修改基础数据"),
    ("村账号", ["patrol", "add", "--worker", "甲", "--village", "高南村"], "只能记录本村"),
    ("村账号", ["warning", "add", "--from", "2025-06-11", "--to", "2025-06-12", "--text", "x"], "无权发布或撤销预警"),
])
def test_each_role_is_refused_what_it_may_not_do(with_accounts, tmp_path, capsys, monkeypatch, user, argv, message):
    monkeypatch.setenv("JINGYUAN_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "--db", with_accounts, "--user", user, *[a.format(tmp=tmp_path) for a in argv])
    if message is None:  # a village account sees its own village's clocks, and no key person
        rows = json.loads(out)
        assert code == 0 and rows and {r["village"] for r in rows} == {"解营村"}
        assert "key_person_visit" not in {r["name"] for r in rows}
        return
    assert code == 1 and message in err
    assert not (tmp_path / "p.csv").exists()


def test_patrol_stats_and_rewards_count_what_was_found_before_a_call(db, capsys):
    code, out, err = run(capsys, "--db", db, "patrol", "add", "--worker", "赵信息员", "--village", "解营村",
                         "--role", "治安信息员", "--at", "2025-06-11 09:30", "--findings", "两户争水")
    assert code == 0, err
    number = int(out.split()[-1])
    assert run(capsys, "--db", db, "patrol", "case", number, "--category", "邻里纠纷", "--risk", "蓝")[0] == 0
    code, out, err = run(capsys, "--db", db, "patrol", "rewards", "--from", "2025-06-01", "--to", "2025-06-30",
                         "--json")
    assert code == 0, err
    assert {"reporter": "赵信息员", "role": "治安信息员", "cases": 1, "resolved": 0, "open": 1} in json.loads(out)
    code, out, err = run(capsys, "--db", db, "patrol", "stats", "--from", "2025-06-11", "--to", "2025-06-11",
                         "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["by_source"].get("informant", 0) >= 1 and figures["found"] >= 1
    assert figures["found"] == figures["by_source"].get("informant", 0) + figures["by_source"].get("grid_report", 0)
    assert figures["cases"] == sum(figures["by_source"].values())
    code, out, _ = run(capsys, "--db", db, "patrol", "stats", "--from", "2025-06-11", "--to", "2025-06-11")
    assert code == 0 and "主动发现" in out and "网格巡查与民警进村完成" in out
    code, _, err = run(capsys, "--db", db, "patrol", "stats", "--from", "2025-06-11", "--to", "2025-06-01")
    assert code == 1 and "截止日期早于起始日期" in err

"""Accounts and roles (issue 11, item 4): log-in with a lock-out, and each role against the
services it may and may not use, on the demo town."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jingyuan_desktop import cli
from jingyuan_desktop.domain.access import Role
from jingyuan_desktop.domain.enums import EventType, Risk, Source
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.services import accounts, admin, files, queries, setup
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services.context import AppContext, PermissionDenied, ServiceError
from jingyuan_desktop.store.audit import list_audit
from tests.services.conftest import NOW, build_template, context_on_copy

PASSWORD = "secret-123"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = build_template(tmp_path_factory, "accounts", cases=120, seed=5)
    ctx = AppContext.open(str(path), now=lambda: NOW)
    try:
        accounts.add_user(ctx, "管理员甲", "admin", PASSWORD)
        accounts.log_in(ctx, "管理员甲", PASSWORD)
        village = queries.units(ctx)[0].name
        for name, role, where in (("小王", "staff", ""), ("李镇长", "leader", ""), ("陈警官", "police_liaison", ""),
                                  ("村账号", "village", village)):
            accounts.add_user(ctx, name, role, PASSWORD, where)
    finally:
        ctx.db.dispose()
    return path


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


def as_(ctx, name):
    accounts.log_in(ctx, name, PASSWORD)
    return ctx


def test_the_first_account_must_be_an_administrator(tmp_path):
    ctx = AppContext.open(str(tmp_path / "first.db"), now=lambda: NOW)
    try:
        with pytest.raises(ServiceError, match="第一个账号须为管理员"):
            accounts.add_user(ctx, "小王", "staff", PASSWORD)
        with pytest.raises(ServiceError, match="密码至少"):
            accounts.add_user(ctx, "管理员", "admin", "short")
        accounts.add_user(ctx, "管理员", "admin", PASSWORD)
        with pytest.raises(PermissionDenied, match="请先登录"):  # from now on nothing without a log-in
            queries.page_cases(ctx, CaseFilter())
    finally:
        ctx.db.dispose()


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(ctx):
    moment = [NOW]
    ctx.now = lambda: moment[0]
    for remaining in (4, 3, 2, 1):
        with pytest.raises(PermissionDenied, match=f"还可再试{remaining}次"):
            accounts.log_in(ctx, "小王", "wrong-password")
    with pytest.raises(PermissionDenied, match="已锁定15分钟"):
        accounts.log_in(ctx, "小王", "wrong-password")
    with pytest.raises(PermissionDenied, match="已锁定"):
        accounts.log_in(ctx, "小王", PASSWORD)  # even the right one, while locked
    moment[0] = NOW + timedelta(minutes=16)
    assert accounts.log_in(ctx, "小王", PASSWORD).role == Role.STAFF
    with ctx.session() as session:
        actions = [e.action for e in list_audit(session, entity="user", entity_id="小王", limit=20)]
    assert actions.count("login_failed") == 6 and actions[0] == "login"


def test_a_disabled_account_cannot_log_in_and_only_an_administrator_disables(ctx):
    as_(ctx, "小王")
    with pytest.raises(PermissionDenied, match="无权管理账号"):
        accounts.disable_user(ctx, "村账号")
    as_(ctx, "管理员甲")
    accounts.disable_user(ctx, "村账号")
    with pytest.raises(PermissionDenied, match="已停用"):
        accounts.log_in(ctx, "村账号", PASSWORD)


def test_a_clerk_works_on_cases_but_cannot_restore_export_everything_or_change_settings(ctx, tmp_path):
    as_(ctx, "小王")
    assert queries.count_cases(ctx, CaseFilter()) == 120
    new = Case(received_at=NOW, village=queries.units(ctx)[0].name, summary="吵架", category="相邻关系",
               risk=Risk.YELLOW, source=Source.WALK_IN)
    assert case_service.intake(ctx, new).case_no
    for refused in (lambda: setup.restore(ctx, tmp_path / "x.db"), lambda: files.export_cases(ctx, tmp_path / "a.json"),
                    lambda: admin.save_office(ctx, town="别处"), lambda: accounts.list_users(ctx)):
        with pytest.raises(PermissionDenied):
            refused()
    with ctx.session() as session:
        denied = [e for e in list_audit(session, entity="permission", limit=10)]
    assert len(denied) == 4 and {e.user for e in denied} == {"小王"}  # every refusal is audited


def test_a_leader_reads_everything_but_does_not_register_cases(ctx):
    as_(ctx, "李镇长")
    assert queries.count_cases(ctx, CaseFilter()) == 120
    new = Case(received_at=NOW, village=queries.units(ctx)[0].name, summary="吵架", category="相邻关系",
               risk=Risk.YELLOW)
    with pytest.raises(PermissionDenied, match="领导账号无权登记案件"):
        case_service.intake(ctx, new)


def test_a_police_liaison_sees_police_transfers_and_records_only_feedback(ctx):
    as_(ctx, "陈警官")
    rows = queries.page_cases(ctx, CaseFilter(), limit=500)
    assert rows and all(case_service.get_case(ctx, r.case_no)[0].source == Source.POLICE_TRANSFER for r in rows)
    everyone = AppContext(ctx.db, now=ctx.now)
    as_(everyone, "管理员甲")
    seen = {r.case_no for r in rows}
    others = [r for r in queries.page_cases(everyone, CaseFilter(), limit=500) if r.case_no not in seen]
    assert others and all(case_service.get_case(everyone, r.case_no)[0].source != Source.POLICE_TRANSFER
                          for r in others)
    with pytest.raises(PermissionDenied, match="无权查看案件"):
        case_service.get_case(ctx, others[0].case_no)
    case, version = case_service.get_case(ctx, rows[0].case_no)
    with pytest.raises(PermissionDenied, match="派出所联络员账号无权记录处置情况"):
        case_service.record_event(ctx, case.case_no, Event(EventType.PROGRESS, NOW), version)


def test_a_village_account_sees_and_works_on_its_own_village_only(ctx):
    as_(ctx, "村账号")
    village = ctx.account.village
    rows = queries.page_cases(ctx, CaseFilter(), limit=500)
    assert rows and {r.village for r in rows} == {village}
    assert queries.page_cases(ctx, CaseFilter(villages=["别的村"])) == []
    everyone = AppContext(ctx.db, now=ctx.now)
    as_(everyone, "管理员甲")
    other = next(r for r in queries.page_cases(everyone, CaseFilter(), limit=500) if r.village != village)
    with pytest.raises(PermissionDenied, match="无权查看案件"):
        case_service.get_case(ctx, other.case_no)


def test_the_command_line_asks_for_the_account_once_one_exists(ctx, capsys, monkeypatch):
    db = str(ctx.db.sqlite_path)
    ctx.db.dispose()
    monkeypatch.delenv("JINGYUAN_PASSWORD", raising=False)
    assert cli.main(["--db", db, "stats"]) == 1
    assert "请用 --user 给出账号名称" in capsys.readouterr().err
    monkeypatch.setenv("JINGYUAN_PASSWORD", "wrong-password")
    assert cli.main(["--db", db, "--user", "小王", "stats"]) == 1
    assert "账号或密码不正确" in capsys.readouterr().err
    monkeypatch.setenv("JINGYUAN_PASSWORD", PASSWORD)
    assert cli.main(["--db", db, "--user", "小王", "stats", "--json"]) == 0
    capsys.readouterr()
    out = str(ctx.db.sqlite_path.parent / "a.json")
    assert cli.main(["--db", db, "--user", "小王", "export", "cases", "--out", out]) == 1
    assert "工作人员账号无权导出全部案件" in capsys.readouterr().err


def test_a_village_account_s_figures_are_its_village_s(ctx):
    from jingyuan_desktop.services import stats

    everyone = AppContext(ctx.db, now=ctx.now)
    as_(everyone, "管理员甲")
    village = queries.units(everyone)[0].name
    by_village = {r.key: r for r in stats.statistics(everyone, by="village")}
    as_(ctx, "村账号")
    [total] = stats.statistics(ctx)
    assert total.received == by_village[village].received < 120


def test_scripts_create_the_first_account_with_jingyuan_password_and_pipe_the_next(tmp_path, capsys, monkeypatch):
    import io

    db = str(tmp_path / "scripted.db")
    assert cli.main(["--db", db, "demo", "--cases", "0"]) == 0
    monkeypatch.delenv("JINGYUAN_NEW_PASSWORD", raising=False)
    monkeypatch.setenv("JINGYUAN_PASSWORD", "admin-pass-1")
    assert cli.main(["--db", db, "users", "add", "管理员", "--role", "管理员"]) == 0
    monkeypatch.setenv("JINGYUAN_PASSWORD", "admin-pass-1")
    monkeypatch.setattr("sys.stdin", io.StringIO("clerk-pass-1\n"))
    assert cli.main(["--db", db, "--user", "管理员", "users", "add", "小李", "--role", "staff"]) == 0
    monkeypatch.delenv("JINGYUAN_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO("clerk-pass-1\n"))
    capsys.readouterr()
    assert cli.main(["--db", db, "--user", "小李", "stats", "--json"]) == 0

"""The command line end to end on temporary databases, as a clerk or a script would use it."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from jingyuan_desktop import cli
from jingyuan_desktop.domain.calendar import TZ

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """The CLI reads the time through services.context.system_now; pin it."""
    monkeypatch.setattr("jingyuan_desktop.services.context.system_now", lambda: NOW)


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path, capsys):
    db = tmp_path / "demo.db"
    code, _, err = run(capsys, "--db", db, "demo", "--cases", 150, "--seed", 3)
    assert code == 0, err
    return db


TRANSFER_HEADER = "警情编号,报警时间,报警人,联系电话,事发地点,所属村(社区),简要警情,处警民警,转交时间,转交派出所\n"


def write_transfers(path, rows: list[str]):
    path.write_text(TRANSFER_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_demo_refuses_a_database_that_has_cases(demo_db, capsys):
    code, _, err = run(capsys, "--db", demo_db, "demo")
    assert code == 1 and "已有案件" in err
    assert run(capsys, "--db", demo_db, "demo", "--if-empty")[0] == 0


def test_stats_json_and_csv_agree(demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_db, "stats", "--by", "village", "--json")
    assert code == 0
    rows = json.loads(out)
    keys = {"key", "received", "resolved", "resolution_rate", "satisfaction_rate", "return_visit_rate",
            "on_time_arrival_rate", "closure_rate", "mean_hours_to_resolution", "on_site_rate", "repeat_rate",
                "repeat_resolution_rate"}
    assert rows and all(set(r) == keys for r in rows)
    assert sum(r["received"] for r in rows) <= 150
    for r in rows:
        assert r["resolution_rate"] == pytest.approx(r["resolved"] / r["received"])
    code, out, _ = run(capsys, "--db", demo_db, "stats", "--by", "village", "--csv")
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert [p["key"] for p in parsed] == [r["key"] for r in rows]
    assert [int(p["received"]) for p in parsed] == [r["received"] for r in rows]


def test_deadlines_json_lists_open_clocks_and_all_adds_done(demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_db, "deadlines", "--json")
    open_rows = json.loads(out)
    assert code == 0 and open_rows
    assert {r["state"] for r in open_rows} <= {"pending", "overdue"}
    assert set(open_rows[0]) == {"case_no", "clock", "due_at", "state", "done_at", "owner"}
    code, out, _ = run(capsys, "--db", demo_db, "deadlines", "--all", "--json")
    all_rows = json.loads(out)
    assert {"met", "late"} & {r["state"] for r in all_rows}
    assert len(all_rows) > len(open_rows)


def test_deadlines_at_a_past_moment_ignores_later_events(tmp_path, capsys):
    db = tmp_path / "t.db"
    assert run(capsys, "--db", db, "demo", "--cases", 0)[0] == 0
    write_transfers(tmp_path / "t.csv",
                    ["J1,2026-11-18 09:50,张三,13812345678,3组,解营村,邻居吵架,李警官,2026-11-18 16:58,房镇派出所"])
    assert run(capsys, "--db", db, "import", "transfers", tmp_path / "t.csv")[0] == 0
    code, out, _ = run(capsys, "--db", db, "deadlines", "--at", "2026-11-19 08:00", "--json")
    assert code == 0
    [row] = json.loads(out)
    assert row["clock"] == "dispatch" and row["state"] == "pending"
    assert row["due_at"] == "2026-11-19T08:33:00+08:00" and row["done_at"] is None
    code, out, _ = run(capsys, "--db", db, "deadlines", "--at", "2026-11-19 08:34", "--json")
    assert code == 0
    assert json.loads(out)[0]["state"] == "overdue"


def test_deadlines_at_the_moment_of_receipt_already_show_the_dispatch_clock(tmp_path, capsys):
    db = tmp_path / "t.db"
    assert run(capsys, "--db", db, "demo", "--cases", 0)[0] == 0
    write_transfers(tmp_path / "t.csv",
                    ["J1,2026-11-18 09:50,张三,13812345678,3组,解营村,邻居吵架,李警官,2026-11-18 10:00,房镇派出所"])
    assert run(capsys, "--db", db, "import", "transfers", tmp_path / "t.csv")[0] == 0
    code, out, _ = run(capsys, "--db", db, "deadlines", "--at", "2026-11-18 10:00", "--json")
    assert code == 0
    assert [(r["clock"], r["due_at"], r["state"]) for r in json.loads(out)] == [
        ("dispatch", "2026-11-18T10:05:00+08:00", "pending")]
    code, out, _ = run(capsys, "--db", db, "deadlines", "--at", "2026-11-18 09:59", "--json")
    assert code == 0
    assert json.loads(out) == []


def test_exchange_round_trip_through_an_empty_database(demo_db, tmp_path, capsys):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run(capsys, "--db", demo_db, "export", "cases", "--out", first)[0] == 0
    empty = tmp_path / "empty.db"
    assert run(capsys, "--db", empty, "demo", "--cases", 0)[0] == 0  # same town, no cases
    code, _, err = run(capsys, "--db", empty, "import", "cases", first)
    assert code == 0, err
    assert run(capsys, "--db", empty, "export", "cases", "--out", second)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert len(json.loads(first.read_text(encoding="utf-8"))["cases"]) == 150
    # Importing the same cases again is refused whole.
    code, _, err = run(capsys, "--db", empty, "import", "cases", first)
    assert code == 1 and "已在数据库中" in err


def test_bad_transfer_file_imports_nothing_and_names_every_bad_row(tmp_path, capsys):
    db = tmp_path / "t.db"
    assert run(capsys, "--db", db, "demo", "--cases", 0)[0] == 0
    path = write_transfers(tmp_path / "bad.csv", [
        "J1,2026-11-18 09:50,张三,13812345678,3组,解营村,邻居吵架,李警官,2026-11-18 10:00,房镇派出所",
        ",2026-11-18 09:50,李四,13812345679,5组,解营村,无编号,李警官,2026-11-18 10:00,房镇派出所",
        "J3,2026-11-18 09:50,王五,13812345670,1组,不存在村,未知村,李警官,2026-11-18 10:00,房镇派出所",
        "J4,2026-11-18 09:50,赵六,13812345671,2组,高南村,时间错,李警官,昨天下午,房镇派出所",
    ])
    code, out, err = run(capsys, "--db", db, "import", "transfers", path)
    assert code == 1
    for row in ("第3行", "第4行", "第5行"):
        assert row in err
    assert "第2行" not in err
    assert "未导入任何案件" in out
    code, out, _ = run(capsys, "--db", db, "stats", "--json")
    assert json.loads(out)[0]["received"] == 0
    # With --skip-invalid the good row goes in, and the exit code still says rows were rejected.
    code, out, _ = run(capsys, "--db", db, "import", "transfers", path, "--skip-invalid")
    assert code == 1 and "已导入 1 个案件" in out
    # The same list again: the good row is skipped as already imported.
    good = write_transfers(tmp_path / "good.csv", [
        "J1,2026-11-18 09:50,张三,13812345678,3组,解营村,邻居吵架,李警官,2026-11-18 10:00,房镇派出所"])
    code, out, err = run(capsys, "--db", db, "import", "transfers", good)
    assert code == 0 and "已在数据库中" in out + err


def test_ledger_masks_unless_asked_and_audits_unmasked(demo_db, tmp_path, capsys):
    from openpyxl import load_workbook

    masked, plain = tmp_path / "m.xlsx", tmp_path / "p.xlsx"
    assert run(capsys, "--db", demo_db, "export", "ledger", "--out", masked)[0] == 0
    assert run(capsys, "--db", demo_db, "--user", "张科员", "export", "ledger", "--out", plain, "--unmasked")[0] == 0

    def cells(path):
        return [str(c) for row in load_workbook(path).active.iter_rows(values_only=True) for c in row if c]

    import re
    phone = re.compile(r"^1[3-9]\d{9}$")
    assert not any(phone.match(c) for c in cells(masked))
    assert any(phone.match(c) for c in cells(plain))

    from jingyuan_desktop.services.context import AppContext
    from jingyuan_desktop.store import repository

    ctx = AppContext.open(str(demo_db))
    with ctx.session() as session:
        rows = repository.list_audit(session, limit=5)
    assert any(r.action == "export_unmasked" and r.user == "张科员" for r in rows)


def test_backup_and_restore(demo_db, tmp_path, capsys):
    original = run(capsys, "--db", demo_db, "stats", "--by", "village", "--json")[1]
    code, out, _ = run(capsys, "--db", demo_db, "backup", "--to", tmp_path / "bk")
    assert code == 0
    [backup_file] = list((tmp_path / "bk").iterdir())
    empty = tmp_path / "other.db"
    assert run(capsys, "--db", empty, "demo", "--cases", 0)[0] == 0
    code, out, err = run(capsys, "--db", empty, "restore", backup_file)
    assert code == 0, err
    code, out, _ = run(capsys, "--db", empty, "stats", "--by", "village", "--json")
    assert json.loads(out) == json.loads(original) and json.loads(out)
    code, _, err = run(capsys, "--db", empty, "restore", tmp_path / "bad.csv")
    assert code == 1 and err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["stats", "--by", "colour"])
    assert exit_info.value.code == 2


def test_the_command_line_help_and_its_usage_errors_are_in_chinese(capsys):
    with pytest.raises(SystemExit) as shown:
        cli.main(["--help"])
    assert shown.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：jingyuan") and "显示本帮助并退出" in out and "show this help" not in out
    with pytest.raises(SystemExit) as refused:
        cli.main(["stats", "--by", "nope"])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "错误：参数 --by：无效的选择" in err and "error" not in err


def test_the_daily_backup_is_made_once_a_day_and_old_ones_rotate(tmp_path):
    from datetime import datetime, timedelta

    from jingyuan_desktop.domain.calendar import TZ
    from jingyuan_desktop.services import admin, setup
    from jingyuan_desktop.services.context import AppContext

    moment = [datetime(2026, 11, 2, 9, 0, tzinfo=TZ)]
    ctx = AppContext.open(str(tmp_path / "daily.db"), now=lambda: moment[0])
    try:
        setup.load_demo(ctx, cases=3, seed=1)
        admin.save_office(ctx, backup_keep=3)
        folder = tmp_path / "backups"
        made = []
        for day in range(5):
            moment[0] = datetime(2026, 11, 2 + day, 9, 0, tzinfo=TZ)
            made.append(setup.daily_backup(ctx))
            moment[0] += timedelta(hours=3)
            assert setup.daily_backup(ctx) is None  # once a day
        assert all(made)
        kept = sorted(p.name for p in folder.glob("jingyuan-backup-*.db"))
        assert kept == [p.name for p in made[-3:]]  # the newest three
        (folder / "notes.txt").write_text("not ours", encoding="utf-8")
        moment[0] = datetime(2026, 11, 9, 9, 0, tzinfo=TZ)
        setup.daily_backup(ctx)
        assert (folder / "notes.txt").exists()  # only the program's own backups are ever deleted
    finally:
        ctx.db.dispose()


def test_audit_lists_and_verifies_and_a_tampered_row_exits_1(demo_db, capsys):
    import sqlite3
    from contextlib import closing

    code, out, _ = run(capsys, "--db", demo_db, "audit", "--verify")
    assert code == 0 and "校验通过" in out
    code, out, _ = run(capsys, "--db", demo_db, "audit", "--json")
    everyone = json.loads(out)
    who = everyone[-1]["user"]  # with no accounts, the system login name ran the demo
    code, out, _ = run(capsys, "--db", demo_db, "audit", "--json", "--user", who)
    lines = json.loads(out)
    assert code == 0 and lines and {line["user"] for line in lines} == {who} and len(lines) <= len(everyone)
    assert [line["seq"] for line in lines] == sorted(line["seq"] for line in lines)
    with closing(sqlite3.connect(demo_db)) as connection:
        connection.execute("UPDATE audit_log SET entity_id = 'FZ-0000' WHERE seq = 5")
        connection.commit()
    code, _, err = run(capsys, "--db", demo_db, "audit", "--verify")
    assert code == 1 and "第 5 条记录" in err and "改动" in err


def test_check_passes_on_current_copies_and_fails_with_a_sentence_on_a_changed_one(demo_db, capsys, tmp_path):
    import sqlite3
    from contextlib import closing

    code, out, _ = run(capsys, "--db", demo_db, "check")
    assert code == 0 and "一致" in out
    with closing(sqlite3.connect(demo_db)) as connection:  # another tool changes a stored clock
        connection.execute("UPDATE case_clocks SET due_at = '2030-01-01 00:00:00.000000' "
                           "WHERE id = (SELECT min(id) FROM case_clocks)")
        connection.commit()
    code, out, err = run(capsys, "--db", demo_db, "check")
    assert code == 1
    assert "时限" in out and "不一致" in err and "Traceback" not in err
    code, out, _ = run(capsys, "--db", demo_db, "check", "--fix")
    assert code == 0 and "重算" in out
    assert run(capsys, "--db", demo_db, "check")[0] == 0


def test_init_redoes_stale_copies_after_an_upgrade(demo_db, capsys):
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(demo_db)) as connection:  # as the upgrade to 0007 leaves them
        connection.execute("DELETE FROM derived_state")
        connection.execute("DELETE FROM case_clocks")
        connection.commit()
    assert run(capsys, "--db", demo_db, "check")[0] == 1
    code, out, _ = run(capsys, "--db", demo_db, "init")
    assert code == 0 and "已按现行设置重算 150 件" in out
    assert run(capsys, "--db", demo_db, "check")[0] == 0
    code, out, _ = run(capsys, "--db", demo_db, "init")
    assert code == 0 and "重算" not in out

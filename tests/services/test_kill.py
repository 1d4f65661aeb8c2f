"""A PC switched off in the middle of an import or of loading the demo: the database stays
intact, and the work is either all there or not there at all (issue 11)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from jingyuan_desktop import cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
HEADER = "警情编号,报警时间,报警人,联系电话,事发地点,所属村（社区）,简要警情,处警民警,转交时间,转交派出所\n"
ROWS = 1500
RUN = [sys.executable, "-c", "from jingyuan_desktop import cli; import sys; raise SystemExit(cli.main(sys.argv[1:]))"]



def killed_after(argv: list[str], seconds: float, env: dict) -> None:
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(seconds)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def counts(db) -> tuple[str, int, int]:
    with closing(sqlite3.connect(db)) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        cases = connection.execute("SELECT count(*) FROM cases").fetchone()[0]
        units = connection.execute("SELECT count(*) FROM units").fetchone()[0]
    return check, cases, units


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "JINGYUAN_LOG_DIR": str(tmp_path / "log")}


def test_an_import_killed_at_any_moment_leaves_all_or_nothing(tmp_path, env):
    db = tmp_path / "town.db"
    assert cli.main(["--db", str(db), "demo", "--cases", "0"]) == 0
    rows = "".join(f"JK{i:05d},2026-10-01 10:00,张{i},139{i:08d},{i % 40}组,解营村,纠纷{i},李警官,2026-10-01 10:10,"
                   "房镇派出所\n" for i in range(ROWS))
    (tmp_path / "list.csv").write_text(HEADER + rows, encoding="utf-8")
    argv = [*RUN, "--db", str(db), "import", "transfers", str(tmp_path / "list.csv")]
    for seconds in (0.8, 1.6, 2.4):
        before = counts(db)[1]
        killed_after(argv, seconds, env)
        check, after, _ = counts(db)
        assert check == "ok"
        assert after in (before, ROWS)  # whole list, or none of it (a second run skips it as imported)


def test_a_demo_killed_half_way_leaves_nothing_and_can_run_again(tmp_path, env):
    db = tmp_path / "demo.db"
    argv = [*RUN, "--db", str(db), "demo", "--cases", "3000"]
    for seconds in (1.5, 2.5):
        killed_after(argv, seconds, env)
        if db.exists():
            check, cases, units = counts(db)
            assert check == "ok" and (cases, units > 0) in ((0, False), (3000, True))
    assert cli.main(["--db", str(db), "demo", "--cases", "50", "--if-empty"]) == 0

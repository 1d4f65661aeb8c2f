"""A transfer list is checked and linked first, then stored in one short write: real numbers in
a block, repeats inside the list linked by their real numbers, one audit row a case, chained."""

from __future__ import annotations

from datetime import datetime

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import files, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.store.audit import list_audit, verify_audit

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=TZ)
HEADER = "警情编号,报警时间,报警人,联系电话,事发地点,所属村（社区）,简要警情,处警民警,转交时间,转交派出所\n"


@pytest.fixture
def ctx(tmp_path):
    context = AppContext.open(str(tmp_path / "import.db"), now=lambda: NOW)
    setup.load_demo(context, cases=0, seed=1)
    yield context
    context.db.engine.dispose()


def test_repeats_inside_one_list_are_linked_by_their_real_numbers(ctx, tmp_path):
    rows = [f"JW{i},2026-11-2{i} 10:00,张三,1391234567{i % 2},五组{i},解营村,吵架{i},李警官,2026-11-2{i} 10:10,"
            "房镇派出所\n" for i in range(4)]
    path = tmp_path / "list.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    report = files.import_transfers(ctx, path)
    numbers = [r.case_no for r in report.imported]
    assert numbers == [f"FZ-2026-{n:05d}" for n in range(1, 5)]
    # Rows 0 and 2 share a phone, as do rows 1 and 3: each later one repeats the earlier.
    assert [r.repeat_of for r in report.imported] == ["", "", numbers[0], numbers[1]]
    assert case_service.get_case(ctx, numbers[3])[0].repeat_of == numbers[1]
    with ctx.session() as session:
        assert verify_audit(session).ok
        added = [e.entity_id for e in list_audit(session, entity="case", limit=10) if e.action == "add"]
    assert sorted(added) == numbers
    second = files.import_transfers(ctx, path)  # the same list again: every row skipped
    assert second.imported == [] and len(second.duplicates) == 4


def test_an_import_reports_its_progress_and_a_cancel_while_checking_leaves_nothing(ctx, tmp_path):
    from jingyuan_desktop.services.progress import EVERY

    rows = [f"JP{i:04d},2026-11-20 10:00,张{i},139{i:08d},{i}号,解营村,吵架,李警官,2026-11-20 10:10,房镇派出所\n"
            for i in range(EVERY * 2 + 10)]
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    seen = []

    class Stop(Exception):
        pass

    def stop_half_way(done, total):
        seen.append((done, total))
        if done >= EVERY:
            raise Stop

    with pytest.raises(Stop):
        files.import_transfers(ctx, path, progress=stop_half_way)
    assert seen[0] == (0, len(rows)) and seen[-1] == (EVERY, len(rows))
    with ctx.session() as session:
        from jingyuan_desktop.store import repository

        assert repository.count_cases(session) == 0
    report = files.import_transfers(ctx, path, progress=lambda d, t: seen.append((d, t)))
    assert len(report.imported) == len(rows) and seen[-1] == (len(rows), len(rows))

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

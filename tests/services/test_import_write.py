"""A transfer list is checked and linked first, then stored in one short write: real numbers in
a block, repeats inside the list linked by their real numbers, one audit row a case, chained."""

from __future__ import annotations

from datetime import datetime

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.repeats import RepeatIndex
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import files, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.store import repository
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

        assert repository.count_cases(session) == 0
    report = files.import_transfers(ctx, path, progress=lambda d, t: seen.append((d, t)))
    assert len(report.imported) == len(rows) and seen[-1] == (len(rows), len(rows))


def _demo_copies(tmp_path, cases: int) -> tuple[AppContext, AppContext]:
    """Two contexts on the same demo database (the second on a copy of the first's file)."""
    import shutil

    first = AppContext.open(str(tmp_path / "first.db"), now=lambda: NOW)
    setup.load_demo(first, cases=cases, seed=3)
    first.db.engine.dispose()
    shutil.copyfile(tmp_path / "first.db", tmp_path / "second.db")
    return first, AppContext.open(str(tmp_path / "second.db"), now=lambda: NOW)


def _repeating_list(ctx: AppContext, path) -> None:
    """A list whose rows repeat stored cases by the caller's phone written another way, or by
    the village and the place written with other punctuation, among new callers and places."""
    with ctx.session() as session:
        stored = repository.recent_cases_for_repeat(session, NOW, 400)
    rows = []
    for i, case in enumerate(stored[::5]):
        phone = case.caller.phone if case.caller else ""
        if i % 3 == 0 and len(phone) == 11:
            phone, place, village = f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}", f"新{i}号", "解营村"
        elif i % 3 == 1 and case.location:
            phone, place, village = f"1390000{i:04d}", f" {case.location}，", case.village
        else:
            phone, place, village = f"1370000{i % 7:04d}", f"另{i % 4}组", "高南村"  # repeats inside the list
        received = f"2026-11-2{i % 7} {8 + i % 3:02d}:{i % 60:02d}"
        rows.append(f"JR{i:04d},{received},王{i},{phone},{place},{village},吵架{i},李警官,{received},房镇派出所\n")
    path.write_text(HEADER + "".join(rows), encoding="utf-8")


def test_the_stored_cases_an_import_reads_for_repeats_are_those_it_could_link_to(tmp_path):
    """``repository.repeat_candidates`` gives the cases of ``recent_cases_for_repeat`` that its
    filter keeps, in the same order and with the same partial fields."""
    import sqlite3
    from contextlib import closing

    ctx, other = _demo_copies(tmp_path, 300)
    other.db.engine.dispose()
    ctx.db.engine.dispose()
    with closing(sqlite3.connect(tmp_path / "first.db")) as connection, connection:
        # Some cases get a second caller, listed before the first (it is their caller now) or after it.
        connection.execute("INSERT INTO parties (case_id, seq, name, phone, id_number, role) "
                           "SELECT case_id, CASE WHEN case_id % 2 THEN -1 ELSE 9 END, '赵六', '1350000' || case_id, "
                           "'', role FROM parties WHERE role = 'caller' AND case_id % 7 = 0")
    try:
        with ctx.session() as session:
            recent = repository.recent_cases_for_repeat(session, NOW, 500)
            assert any(c.caller and c.caller.name == "赵六" for c in recent)

            def keep(village, location, phone, id_number):
                return phone.endswith(("1", "5", "7")) or "组" in location or village == "高南村"

            kept = repository.repeat_candidates(session, NOW, 500, keep)
        expected = [c for c in recent if keep(c.village, c.location, c.caller.phone if c.caller else "",
                                              c.caller.id_number if c.caller else "")]
        assert len(recent) > len(kept) > 10
        assert kept == expected
    finally:
        ctx.db.engine.dispose()


def test_an_import_links_what_it_linked_when_it_indexed_the_whole_look_back(tmp_path, monkeypatch):
    """The import indexes only the stored cases sharing a key with one of its rows, and reads
    those whole once; it links, numbers and stores exactly as with the whole look-back period
    indexed and each linked case read for its row (``find_repeat_for``)."""
    import sqlite3
    from contextlib import closing

    ctx, whole = _demo_copies(tmp_path, 300)
    path = tmp_path / "repeats.csv"
    _repeating_list(ctx, path)
    try:
        report = files.import_transfers(ctx, path)
        # As before: every stored case of the look-back indexed, and those linked to read per row.
        # (no cases read whole beforehand: ``find_repeat_for`` reads them for each row)
        monkeypatch.setattr(files, "repeat_index", lambda session, cases, settings: (
            RepeatIndex(repository.recent_cases_for_repeat(session, *case_service.repeat_window(cases, settings))),
            None))
        expected = files.import_transfers(whole, path)
    finally:
        ctx.db.engine.dispose()
        whole.db.engine.dispose()
    assert report.imported == expected.imported and not report.errors
    linked = [r for r in report.imported if r.repeat_of]
    assert len(linked) > 10
    assert {r.repeat_reason for r in linked} >= {"报警人电话相同", "同村（社区）同一地点"}
    for table, order in (("cases", "case_no"), ("parties", "case_id, seq"), ("audit_log", "seq")):
        rows = []
        for name in ("first.db", "second.db"):
            with closing(sqlite3.connect(tmp_path / name)) as connection:
                rows.append(connection.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall())
        assert rows[0] == rows[1], table

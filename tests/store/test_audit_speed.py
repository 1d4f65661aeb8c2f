"""Audit rows go in as one Core INSERT and keep the hash chain byte for byte as the mapped
rows wrote it before (the literal rows below were stored by that earlier implementation)."""

import sqlite3
from contextlib import closing
from datetime import datetime

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import Risk
from jingyuan_desktop.store.audit import verify_audit, write_audit, write_audits

AT = datetime(2026, 3, 20, 8, 0, 5, 123456, tzinfo=TZ)
STORED_AT = "2026-03-20 00:00:05.123456"
ADDED = ('{"case_no": "FZ-2026-0000N", "received_at": "2026-03-20T08:00:05.123456+08:00", '
         '"parties": [{"name": "\\u5f20\\u4e09"}]}')
# (seq, at, user, action, entity, entity_id, before, after, typeof(before), typeof(after), row_hash)
WRITTEN_BY_MAPPED_ROWS = [
    (1, STORED_AT, "张科员", "update", "case", "FZ-2026-00001", '{"location": "3\\u7ec4\\u4e1c\\u5934"}',
     '{"location": "4\\u7ec4", "risk": "red", "at": "2026-03-20T08:00:05.123456+08:00"}', "text", "text",
     "b9a0c1ab838fdda0d2fb84a860555e9184c82fcb8d813b3ca8f5d22617ea021d"),
    (2, STORED_AT, "张科员", "add", "case", "FZ-2026-00002", None, ADDED.replace("N", "2"), "null", "text",
     "6b4f40b9eb0b309ff54f06772e62eae5f3d8b6ef000d3b0aff9022e39c56938e"),
    (3, STORED_AT, "张科员", "add", "case", "FZ-2026-00003", None, ADDED.replace("N", "3"), "null", "text",
     "2c92ef5c42104c7bf136e8268ce61e3072145d69d2b9c29613c9e8ca40ea2d52"),
    (4, STORED_AT, "张科员", "add", "case", "FZ-2026-00004", None, ADDED.replace("N", "4"), "null", "text",
     "8fea500ef9d56edfca0a3a73982f3fb4b8023737258bae931309f559e96ba77f"),
    (5, STORED_AT, "李书记", "export", "ledger", "7", '{"rows": []}', None, "text", "null",
     "cd34dbc01626359ce3d010e53751d18c32f6790e04a805d6a843ae20e8b09010"),
]


def _write(session):
    write_audit(session, user="张科员", action="update", entity="case", entity_id="FZ-2026-00001",
                before={"location": "3组东头"}, after={"location": "4组", "risk": Risk.RED, "at": AT}, at=AT)
    write_audits(session, [dict(user="张科员", action="add", entity="case", entity_id=f"FZ-2026-{n:05d}", before=None,
                                after={"case_no": f"FZ-2026-{n:05d}", "received_at": AT, "parties": [{"name": "张三"}]},
                                at=AT) for n in range(2, 5)])
    write_audits(session, [dict(user="李书记", action="export", entity="ledger", entity_id=7, before={"rows": []},
                                after=None, at=AT)])


def test_the_rows_and_the_chain_are_stored_exactly_as_the_mapped_rows_stored_them(db):
    with db.session() as session:
        _write(session)
        assert not session.new and not session.identity_map  # no mapped object per row any more
    with closing(sqlite3.connect(db.sqlite_path)) as connection:
        stored = connection.execute('SELECT seq, at, "user", action, entity, entity_id, before, after, typeof(before), '
                                    "typeof(after), row_hash FROM audit_log ORDER BY seq").fetchall()
        head = connection.execute("SELECT id, seq, head_hash FROM audit_chain").fetchall()
    assert stored == WRITTEN_BY_MAPPED_ROWS
    assert head == [(1, 5, WRITTEN_BY_MAPPED_ROWS[-1][-1])]
    with db.session() as session:
        check = verify_audit(session)
    assert check.ok and check.rows == 5


def test_a_failed_transaction_takes_its_bulk_audit_rows_and_its_step_of_the_head_with_it(db):
    with db.session() as session:
        _write(session)
    try:
        with db.session() as session:
            write_audits(session, [dict(user="张科员", action="add", entity="case", entity_id=f"X{n}", before=None,
                                        after={"n": n}, at=AT) for n in range(3)])
            raise RuntimeError("power cut")
    except RuntimeError:
        pass
    with db.session() as session:
        write_audit(session, user="张科员", action="export", entity="ledger", entity_id="8", before=None, after=None,
                    at=AT)
        check = verify_audit(session)
    assert check.ok and check.rows == 6


def _jsonable_as_written_before(value):
    """``mapping.jsonable`` as it was before it looked its way up by type: the reference."""
    import dataclasses
    from datetime import date
    from enum import Enum

    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(TZ).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable_as_written_before(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable_as_written_before(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable_as_written_before(v) for v in value]
    return value


def test_jsonable_gives_what_the_chain_of_checks_gave(full_case):
    """The audit rows' JSON (and so their hashes) is unchanged by the per-type lookup: the same
    values, the same keys in the same order, for a whole case and for the odd values."""
    import json
    from dataclasses import asdict
    from datetime import date
    from decimal import Decimal
    from enum import IntEnum

    from jingyuan_desktop.domain.enums import Grade, UnitKind
    from jingyuan_desktop.domain.model import Case, Party, Unit
    from jingyuan_desktop.store.mapping import jsonable

    class Level(IntEnum):
        LOW = 1

    values = [
        full_case, asdict(full_case), Case, Risk, None, True, 3, 2.5, "文字", Decimal("1.5"), Level.LOW,
        {Risk.RED: (AT, date(2026, 3, 1)), 7: {1, 2}, "k": frozenset({"a"})}, (Party("张三"), [Grade.SIMPLE]),
        Unit("解营村", UnitKind.VILLAGE), {"nested": [{"at": AT.replace(tzinfo=None)}]},
    ]
    # An import hands its cases over as they are: they give what their ``asdict`` gave.
    assert jsonable(full_case) == _jsonable_as_written_before(asdict(full_case))
    for value in values:
        expected = _jsonable_as_written_before(value)
        assert jsonable(value) == expected
        assert json.dumps(jsonable(value), default=str) == json.dumps(expected, default=str)

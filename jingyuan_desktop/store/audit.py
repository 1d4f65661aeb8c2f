"""The audit log: who changed or exported what, when, and the values before and after.

Rows are written in the same transaction as the change they describe, so a change that is
rolled back leaves no audit row and a change that is kept always has one. The log is a hash
chain (``audit_chain.row_digest``): each row is hashed with the one before, and the head row of
``audit_chain`` is updated under its lock with each new row, so that two PCs take turns and a
row edited, deleted or slipped in afterwards is found by ``verify_audit``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, Table, bindparam, select, update
from sqlalchemy.orm import Session

from jingyuan_desktop.store.audit_chain import GENESIS, row_digest
from jingyuan_desktop.store.bulk import insert_rows
from jingyuan_desktop.store.mapping import jsonable
from jingyuan_desktop.store.models import AuditChainModel, AuditModel

_LOG = cast(Table, AuditModel.__table__)
_CHAIN = cast(Table, AuditChainModel.__table__)
# The head row's two statements, built once: Core on the table, not an ORM update of the mapped
# class, which would look for loaded head rows to bring up to date (none is ever loaded:
# ``_head`` reads it with Core too). A third of the time of writing one audit row.
_STEP = (update(_CHAIN).where(_CHAIN.c.id == 1).values(seq=_CHAIN.c.seq + bindparam("count", type_=Integer))
         .returning(_CHAIN.c.seq, _CHAIN.c.head_hash))
_SET_HEAD = update(_CHAIN).where(_CHAIN.c.id == 1).values(head_hash=bindparam("head"))


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def write_audit(
    session: Session,
    *,
    user: str,
    action: str,
    entity: str,
    entity_id: str,
    before: dict | None,
    after: dict | None,
    at: datetime,
) -> None:
    write_audits(session, [dict(user=user, action=action, entity=entity, entity_id=entity_id, before=before,
                                after=after, at=at)])


def write_change(session: Session, entity: str, entity_id: Any, before: dict | None, after: dict | None, *,
                 user: str, at: datetime, action: str | None = None) -> None:
    """The audit row of a change of an office record from ``before`` to ``after`` (None: it did
    not exist, or no longer does); nothing when nothing changed and no ``action`` is named."""
    if before == after and action is None:
        return
    action = action or ("add" if before is None else "delete" if after is None else "update")
    write_audit(session, user=user, action=action, entity=entity, entity_id=str(entity_id), before=before,
                after=after, at=at)


def write_audits(session: Session, entries: list[dict[str, Any]]) -> None:
    """Several audit rows (keyword arguments of ``write_audit`` each) chained in one step of
    the head row: an import of thousands of cases takes the head's lock once, not per row.
    ``before`` and ``after`` may also be dataclasses (an import's cases): stored as the dict
    ``asdict`` makes of them would be (``mapping.jsonable``).

    The rows go in as one Core INSERT (executemany) in the session's transaction: a mapped
    object per row, flushed, made 10,000 rows take twice as long (1.1 s against 0.57 s), and
    nothing reads them back as objects."""
    if not entries:
        return
    # The session's pending changes go first, as an ORM statement's autoflush would send them:
    # the head row is then locked last and held for the shortest time.
    session.flush()
    last, previous = _next_link(session, len(entries))
    rows = []
    for offset, entry in enumerate(entries):
        seq = last - len(entries) + 1 + offset
        before = jsonable(entry["before"]) if entry["before"] is not None else None
        after = jsonable(entry["after"]) if entry["after"] is not None else None
        entity_id = str(entry["entity_id"])
        digest = row_digest(previous, seq, entry["at"], entry["user"], entry["action"], entry["entity"], entity_id,
                            before, after)
        rows.append({"at": entry["at"], "user": entry["user"], "action": entry["action"], "entity": entry["entity"],
                     "entity_id": entity_id, "before": before, "after": after, "seq": seq, "row_hash": digest})
        previous = digest
    insert_rows(session, _LOG, rows)
    session.connection().execute(_SET_HEAD, {"head": previous})


def _next_link(session: Session, count: int = 1) -> tuple[int, str]:
    """(the last of ``count`` new rows' places, the hash before the first), taken under the
    head row's lock."""
    connection = session.connection()
    found = connection.execute(_STEP, {"count": count}).one_or_none()
    if found is None:  # a database whose chain has not begun: start it (once, whoever is first)
        from jingyuan_desktop.store.database import dialect_insert

        dialect = dialect_insert(session)
        session.execute(dialect(_CHAIN).values(id=1, seq=0, head_hash=GENESIS).on_conflict_do_nothing())
        found = connection.execute(_STEP, {"count": count}).one()
    return int(found[0]), str(found[1])


@dataclass(frozen=True)
class ChainCheck:
    """The result of ``verify_audit``: rows checked, and the first broken row with why."""

    rows: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.reason


def _head(session: Session) -> tuple[int, str]:
    """The committed head (its place and hash; (0, GENESIS) before the first row). A Core read,
    not ``session.get``, which could hand back the session's own older copy of the row."""
    found = session.execute(select(_CHAIN.c.seq, _CHAIN.c.head_hash).where(_CHAIN.c.id == 1)).one_or_none()
    return (int(found[0]), str(found[1])) if found is not None else (0, GENESIS)


def _chain_rows(session: Session, up_to: int, batch: int = 2000) -> Iterator[Any]:
    columns = (_LOG.c.id, _LOG.c.seq, _LOG.c.at, _LOG.c.user, _LOG.c.action, _LOG.c.entity, _LOG.c.entity_id,
               _LOG.c.before, _LOG.c.after, _LOG.c.row_hash)
    last = 0
    while last < up_to:
        rows = session.execute(select(*columns).where(_LOG.c.seq > last, _LOG.c.seq <= up_to).order_by(_LOG.c.seq)
                               .limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify_audit(session: Session) -> ChainCheck:
    """Recompute the whole chain; the first row whose place or hash does not follow is named.

    Another PC (or this one's own backup) may add rows while the chain is read, in batches and
    without one snapshot: SQLite's driver begins no transaction for a SELECT, and PostgreSQL
    reads each statement at its own moment under READ COMMITTED. Holding one read transaction
    instead would, on a shared SQLite file without WAL, block every other PC's save for the
    whole check. So the head is read first and only the rows up to its place are checked: a
    writer moves the head and adds its rows in one transaction under the head's lock, so every
    row up to a committed head was committed with it and reads the same at any later moment,
    and rows added meanwhile lie beyond it. Rows beyond it are then looked at once, before the
    head is read again: a row that was there when looked for is within the head read after it,
    unless it was slipped in without moving the head. This holds on both backends and under
    any isolation level, with no lock taken.
    """
    head_seq, head_hash = _head(session)
    unchained = session.scalar(select(_LOG.c.id).where(_LOG.c.seq.is_(None)).order_by(_LOG.c.id).limit(1))
    if unchained is not None:
        return ChainCheck(0, None, unchained, f"第 {unchained} 号记录不在校验链中（被直接插入）")
    previous, expected, count = GENESIS, 1, 0
    for row in _chain_rows(session, head_seq):
        if row.seq != expected:
            return ChainCheck(count, expected, row.id, f"校验链第 {expected} 条记录缺失（已被删除）")
        digest = row_digest(previous, expected, row.at, row.user, row.action, row.entity, row.entity_id,
                            row.before, row.after)
        if digest != row.row_hash:
            return ChainCheck(count, expected, row.id, f"校验链第 {expected} 条记录（{row.action}，{row.entity} "
                                                       f"{row.entity_id}）的内容已被改动")
        previous, expected, count = digest, expected + 1, count + 1
    if count != head_seq:
        return ChainCheck(count, count + 1, None, f"校验链末尾的记录被删除（应有 {head_seq} 条，实有 {count} 条）")
    if previous != head_hash:
        return ChainCheck(count, head_seq, None, f"校验链第 {head_seq} 条记录与链头的校验值不符（链头或记录被改动）")
    beyond = session.execute(select(_LOG.c.seq, _LOG.c.id).where(_LOG.c.seq > head_seq).order_by(_LOG.c.seq.desc())
                             .limit(1)).first()
    if beyond is not None and beyond.seq > _head(session)[0]:
        return ChainCheck(count, beyond.seq, beyond.id, f"第 {beyond.id} 号记录不在校验链中（被直接插入）")
    return ChainCheck(count)


def list_audit(
    session: Session, *, entity: str | None = None, entity_id: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    """The latest entries first."""
    query = select(AuditModel).order_by(AuditModel.at.desc(), AuditModel.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditModel.entity == entity)
    if entity_id is not None:
        query = query.where(AuditModel.entity_id == str(entity_id))
    return [
        AuditEntry(r.at, r.user, r.action, r.entity, r.entity_id, r.before, r.after)
        for r in session.scalars(query)
    ]

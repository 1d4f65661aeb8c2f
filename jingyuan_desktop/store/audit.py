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
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jingyuan_desktop.store.audit_chain import GENESIS, row_digest
from jingyuan_desktop.store.mapping import jsonable
from jingyuan_desktop.store.models import AuditChainModel, AuditModel


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
    before_json = jsonable(before) if before is not None else None
    after_json = jsonable(after) if after is not None else None
    seq, previous = _next_link(session)
    digest = row_digest(previous, seq, at, user, action, entity, str(entity_id), before_json, after_json)
    session.add(AuditModel(at=at, user=user, action=action, entity=entity, entity_id=str(entity_id),
                           before=before_json, after=after_json, seq=seq, row_hash=digest))
    session.execute(update(AuditChainModel).where(AuditChainModel.id == 1).values(head_hash=digest))


def write_audits(session: Session, entries: list[dict[str, Any]]) -> None:
    """Several audit rows (keyword arguments of ``write_audit`` each) chained in one step of
    the head row: an import of thousands of cases takes the head's lock once, not per row."""
    if not entries:
        return
    last, previous = _next_link(session, len(entries))
    rows = []
    for offset, entry in enumerate(entries):
        seq = last - len(entries) + 1 + offset
        before = jsonable(entry["before"]) if entry["before"] is not None else None
        after = jsonable(entry["after"]) if entry["after"] is not None else None
        entity_id = str(entry["entity_id"])
        digest = row_digest(previous, seq, entry["at"], entry["user"], entry["action"], entry["entity"], entity_id,
                            before, after)
        rows.append(AuditModel(at=entry["at"], user=entry["user"], action=entry["action"], entity=entry["entity"],
                               entity_id=entity_id, before=before, after=after, seq=seq, row_hash=digest))
        previous = digest
    session.add_all(rows)
    session.execute(update(AuditChainModel).where(AuditChainModel.id == 1).values(head_hash=previous))


def _next_link(session: Session, count: int = 1) -> tuple[int, str]:
    """(the last of ``count`` new rows' places, the hash before the first), taken under the
    head row's lock."""
    step = (update(AuditChainModel).where(AuditChainModel.id == 1).values(seq=AuditChainModel.seq + count)
            .returning(AuditChainModel.seq, AuditChainModel.head_hash))
    found = session.execute(step).one_or_none()
    if found is None:  # a database whose chain has not begun: start it (once, whoever is first)
        from jingyuan_desktop.store.database import dialect_insert

        insert = dialect_insert(session)
        session.execute(insert(AuditChainModel.__table__).values(id=1, seq=0, head_hash=GENESIS)
                        .on_conflict_do_nothing())
        found = session.execute(step).one()
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


def _chain_rows(session: Session, batch: int = 2000) -> Iterator[AuditModel]:
    last = 0
    while True:
        rows = list(session.scalars(select(AuditModel).where(AuditModel.seq > last).order_by(AuditModel.seq)
                                    .limit(batch)))
        if not rows:
            return
        yield from rows
        last = rows[-1].seq or last
        session.expunge_all()


def verify_audit(session: Session) -> ChainCheck:
    """Recompute the whole chain; the first row whose place or hash does not follow is named."""
    unchained = session.scalar(select(AuditModel.id).where(AuditModel.seq.is_(None)).order_by(AuditModel.id).limit(1))
    if unchained is not None:
        return ChainCheck(0, None, unchained, f"第 {unchained} 号记录不在校验链中（被直接插入）")
    previous, expected, count = GENESIS, 1, 0
    for row in _chain_rows(session):
        if row.seq != expected:
            return ChainCheck(count, expected, row.id, f"校验链第 {expected} 条记录缺失（已被删除）")
        digest = row_digest(previous, expected, row.at, row.user, row.action, row.entity, row.entity_id,
                            row.before, row.after)
        if digest != row.row_hash:
            return ChainCheck(count, expected, row.id, f"校验链第 {expected} 条记录（{row.action}，{row.entity} "
                                                       f"{row.entity_id}）的内容已被改动")
        previous, expected, count = digest, expected + 1, count + 1
    head = session.get(AuditChainModel, 1)
    if count and (head is None or head.seq != count or head.head_hash != previous):
        return ChainCheck(count, count + 1, None, f"校验链末尾的记录被删除（应有 {head.seq if head else '?'} 条，"
                                                  f"实有 {count} 条）")
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

"""The audit log: who changed or exported what, when, and the values before and after.

Rows are written in the same transaction as the change they describe, so a change that is
rolled back leaves no audit row and a change that is kept always has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingyuan_desktop.store.mapping import jsonable
from jingyuan_desktop.store.models import AuditModel


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
    session.add(
        AuditModel(
            at=at,
            user=user,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=jsonable(before) if before is not None else None,
            after=jsonable(after) if after is not None else None,
        )
    )


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

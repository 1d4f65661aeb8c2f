"""The audit log for the office: reading it by period and user, and verifying its hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.stats import period_bounds
from jingyuan_desktop.store.audit import ChainCheck, verify_audit
from jingyuan_desktop.store.models import AuditModel


@dataclass(frozen=True)
class AuditLine:
    seq: int | None
    at: str  # local time, "2026-11-30 09:15:02"
    user: str
    action: str
    entity: str
    entity_id: str
    before: dict | None
    after: dict | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def audit_lines(ctx: AppContext, *, start: date | None = None, end: date | None = None, user: str | None = None,
                limit: int | None = None) -> list[AuditLine]:
    """Audit rows of [start, end] (local dates), of ``user`` when given, in the order written."""
    ctx.require(Permission.READ_AUDIT)
    low, high = period_bounds(start, end)
    query = select(AuditModel).order_by(AuditModel.seq, AuditModel.id)
    if low is not None:
        query = query.where(AuditModel.at >= low)
    if high is not None:
        query = query.where(AuditModel.at < high)
    if user:
        query = query.where(AuditModel.user == user)
    if limit:
        query = query.limit(limit)
    with ctx.session() as session:
        return [AuditLine(r.seq, f"{r.at:%Y-%m-%d %H:%M:%S}", r.user, r.action, r.entity, r.entity_id, r.before,
                          r.after) for r in session.scalars(query)]


def verify(ctx: AppContext) -> ChainCheck:
    """Recompute the chain of the whole log (``store.audit.verify_audit``)."""
    with ctx.session() as session:
        return verify_audit(session)

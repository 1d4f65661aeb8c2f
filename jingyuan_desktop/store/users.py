"""Accounts in the database: rows of ``users``; hashing and the rules are the services' and
the domain's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingyuan_desktop.store.errors import DuplicateError, NotFoundError
from jingyuan_desktop.store.models import UserModel


@dataclass(frozen=True)
class UserRecord:
    name: str
    role: str
    village: str
    password_hash: str
    active: bool
    failures: int
    locked_until: datetime | None


def _record(row: UserModel) -> UserRecord:
    return UserRecord(row.name, row.role, row.village, row.password_hash, row.active, row.failures,
                      row.locked_until)


def count_users(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(UserModel)) or 0)


def find_user(session: Session, name: str) -> UserRecord | None:
    row = session.scalar(select(UserModel).where(UserModel.name == name))
    return _record(row) if row is not None else None


def list_users(session: Session) -> list[UserRecord]:
    return [_record(r) for r in session.scalars(select(UserModel).order_by(UserModel.name))]


def add_user(session: Session, *, name: str, role: str, village: str, password_hash: str, at: datetime) -> None:
    if session.scalar(select(UserModel.id).where(UserModel.name == name)) is not None:
        raise DuplicateError(f"账号“{name}”已存在")
    session.add(UserModel(name=name, role=role, village=village, password_hash=password_hash, active=True,
                          failures=0, locked_until=None, created_at=at))
    session.flush()


def update_user(session: Session, name: str, **values) -> None:
    row = session.scalar(select(UserModel).where(UserModel.name == name))
    if row is None:
        raise NotFoundError(f"找不到账号“{name}”")
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()

"""Accounts: adding, listing, disabling, new passwords, and logging in with a lock-out.

Passwords are hashed with argon2 and never stored or logged. Five failed log-ins in a row lock
the account for fifteen minutes (``domain.access``); every log-in, failed or not, and every
change to an account is an audit row. The first account of a database must be an 管理员, and
it may be added without logging in; after that only an 管理员 manages accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from jingyuan_desktop.domain.access import LOCK_MINUTES, MAX_FAILURES, Account, Permission, Role
from jingyuan_desktop.domain.enums import DomainError, UnitKind
from jingyuan_desktop.services.context import AppContext, PermissionDenied, ServiceError
from jingyuan_desktop.store import repository, users

_HASHER = PasswordHasher()
MIN_PASSWORD = 8


@dataclass(frozen=True)
class UserLine:
    name: str
    role: Role
    village: str
    active: bool
    locked: bool


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ServiceError(f"密码至少{MIN_PASSWORD}位")


def _role(text: str) -> Role:
    try:
        return Role.parse(text)  # type: ignore[return-value]
    except DomainError as error:
        raise ServiceError(error.message) from None


def _audit(ctx: AppContext, session, action: str, name: str, after: dict | None = None) -> None:
    repository.write_audit(session, user=ctx.account.name if ctx.account else ctx.user, action=action, entity="user",
                           entity_id=name, before=None, after=after, at=ctx.now())


def add_user(ctx: AppContext, name: str, role: str, password: str, village: str = "") -> None:
    """A new account; the first one of a database must be an 管理员 and needs no log-in."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ServiceError("账号名称须为1到100个字")
    chosen = _role(role)
    _check_password(password)
    first = not ctx.accounts_exist()
    if first and chosen != Role.ADMIN:
        raise ServiceError("第一个账号须为管理员（--role admin）")
    if not first:
        ctx.require(Permission.MANAGE_USERS)
    village = (village or "").strip()
    with ctx.session() as session:
        if chosen == Role.VILLAGE:
            known = {u.name for u in repository.list_units(session) if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)}
            if village not in known:
                raise ServiceError(f"村（社区）账号须指定所属村（社区）：未知的“{village}”" if village
                                   else "村（社区）账号须用 --village 指定所属村（社区）")
        elif village:
            raise ServiceError("只有村（社区）账号才指定所属村（社区）")
        users.add_user(session, name=name, role=chosen.value, village=village, password_hash=_HASHER.hash(password),
                       at=ctx.now())
        _audit(ctx, session, "add", name, {"role": chosen.value, "village": village})
    ctx.forget_accounts()


def list_users(ctx: AppContext) -> list[UserLine]:
    if ctx.accounts_exist():
        ctx.require(Permission.MANAGE_USERS)
    now = ctx.now()
    with ctx.session() as session:
        return [UserLine(u.name, Role(u.role), u.village, u.active, bool(u.locked_until and u.locked_until > now))
                for u in users.list_users(session)]


def disable_user(ctx: AppContext, name: str) -> None:
    ctx.require(Permission.MANAGE_USERS)
    if ctx.account is not None and ctx.account.name == name:
        raise ServiceError("不能停用自己正在使用的账号")
    with ctx.session() as session:
        users.update_user(session, name, active=False)
        _audit(ctx, session, "disable", name)


def set_password(ctx: AppContext, name: str, password: str) -> None:
    """A new password: an 管理员 for anyone, anyone for their own account. Unlocks it."""
    _check_password(password)
    if ctx.account is None or ctx.account.name != name:
        ctx.require(Permission.MANAGE_USERS)
    with ctx.session() as session:
        users.update_user(session, name, password_hash=_HASHER.hash(password), failures=0, locked_until=None)
        _audit(ctx, session, "password", name)


def log_in(ctx: AppContext, name: str, password: str) -> Account:
    """The account of ``name`` when ``password`` is right; refused in Chinese otherwise, and
    locked for 15 minutes after 5 failures in a row. The context then acts as that account.
    A refusal's count and audit row are committed before it is raised."""
    now = ctx.now()
    refused: PermissionDenied | None = None
    account: Account | None = None
    with ctx.session() as session:
        found = users.find_user(session, (name or "").strip())
        if found is None:
            _audit(ctx, session, "login_failed", name, {"reason": "unknown"})
            refused = PermissionDenied("账号或密码不正确")
        elif not found.active:
            _audit(ctx, session, "login_failed", name, {"reason": "disabled"})
            refused = PermissionDenied(f"账号“{found.name}”已停用，请联系管理员")
        elif found.locked_until and found.locked_until > now:
            minutes = max(1, int((found.locked_until - now).total_seconds() // 60) + 1)
            _audit(ctx, session, "login_failed", name, {"reason": "locked"})
            refused = PermissionDenied(f"密码连续输错{MAX_FAILURES}次，账号已锁定，请{minutes}分钟后再试")
        elif not _verified(found.password_hash, password):
            failures = found.failures + 1
            lock = now + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
            users.update_user(session, found.name, failures=0 if lock else failures, locked_until=lock)
            _audit(ctx, session, "login_failed", found.name, {"reason": "password", "failures": failures})
            refused = PermissionDenied(f"密码连续输错{MAX_FAILURES}次，账号已锁定{LOCK_MINUTES}分钟" if lock
                                       else f"账号或密码不正确（还可再试{MAX_FAILURES - failures}次）")
        else:
            users.update_user(session, found.name, failures=0, locked_until=None)
            account = Account(found.name, Role(found.role), found.village)
            repository.write_audit(session, user=found.name, action="login", entity="user", entity_id=found.name,
                                   before=None, after=None, at=now)
    if refused is not None or account is None:
        raise refused or PermissionDenied("账号或密码不正确")
    ctx.account, ctx.user = account, account.name
    return account


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False

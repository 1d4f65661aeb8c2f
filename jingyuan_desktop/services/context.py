"""What every use case needs: the database, who is working, the time, the calendar and the settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from jingyuan_desktop.domain.access import Account, Permission, account_text, case_scope, refusal, sees_case
from jingyuan_desktop.domain.calendar import TZ, WorkCalendar
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import DomainError
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.store.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from jingyuan_desktop.store.database import Database

# The store (SQLAlchemy, the mapped models) is imported by the methods that use it, not with
# this module: the window's start shows its first rows before importing it (services.start).
OFFICE_SETTINGS_KEY = "office"
CLOCK_SETTINGS_KEY = "clocks"  # as store.derived.CLOCK_SETTINGS_KEY (a test holds them equal)


@dataclass(frozen=True)
class OfficeSettings:
    """The office's own settings, declared once: the settings tab, the services and the
    stored JSON all go by these fields."""

    town: str = ""
    case_no_prefix: str = "FZ"
    archive_no_prefix: str = "DA"
    require_leader_for_red: bool = True  # a red case gets its 包案领导 before anything else
    paper_font: str = ""  # a font file for the PDFs; empty: the platform's usual CJK fonts
    meeting_weekday: int = 1  # the weekly meeting's day, 1 = Monday; decides the week it reviews
    backup_keep: int = 30  # automatic daily backups kept in the backups folder; older ones go

    @classmethod
    def from_dict(cls, stored: dict[str, Any] | None) -> OfficeSettings:
        """From the stored JSON: unknown keys ignored, missing ones at their defaults."""
        stored = stored or {}
        defaults = cls()
        return cls(
            town=str(stored.get("town") or defaults.town),
            case_no_prefix=str(stored.get("case_no_prefix") or defaults.case_no_prefix),
            archive_no_prefix=str(stored.get("archive_no_prefix") or defaults.archive_no_prefix),
            require_leader_for_red=bool(stored.get("require_leader_for_red", defaults.require_leader_for_red)),
            paper_font=str(stored.get("paper_font") or defaults.paper_font),
            meeting_weekday=_weekday(stored.get("meeting_weekday"), defaults.meeting_weekday),
            backup_keep=_bounded(stored.get("backup_keep"), defaults.backup_keep, BACKUP_KEEP_RANGE),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


OFFICE_FIELDS = tuple(f.name for f in fields(OfficeSettings))


BACKUP_KEEP_RANGE = (1, 366)


def _bounded(value: Any, default: int, bounds: tuple[int, int]) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if bounds[0] <= number <= bounds[1] else default


def _weekday(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 1 <= number <= 7 else default


class PermissionDenied(DomainError):
    """The account's role may not do this (a refusal: exit 1 on the command line)."""


class ServiceError(DomainError):
    """A use case refused; ``message`` is Chinese and meant for the user."""


# What a use case raises when it refuses: each carries a Chinese ``message`` to show as is.
# Callers (the CLI, the window's operations) catch these and nothing more; anything else is a
# fault of the program and goes to the log with its traceback.
REFUSALS: tuple[type[Exception], ...] = (DomainError, StoreError)


def system_now() -> datetime:
    return datetime.now(TZ)


@dataclass
class AppContext:
    """Passed to every service function; the CLI and the window each build one."""

    db: Database
    user: str = "治理办"
    now: Callable[[], datetime] = system_now
    _calendar: WorkCalendar | None = field(default=None, repr=False)
    # The logged-in account; None while the office has no accounts (one PC, one clerk).
    account: Account | None = None
    _accounts_exist: bool | None = field(default=None, repr=False)

    @classmethod
    def open(cls, db: str | None, *, user: str = "治理办", now: Callable[[], datetime] = system_now) -> AppContext:
        from jingyuan_desktop.store.database import open_database

        return cls(open_database(db), user=user, now=now)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.db.session() as session:
            yield session

    def accounts_exist(self) -> bool:
        if self._accounts_exist is None:
            from jingyuan_desktop.store import repository

            with self.session() as session:
                self._accounts_exist = repository.count_users(session) > 0
        return self._accounts_exist

    def forget_accounts(self) -> None:
        self._accounts_exist = None

    def require(self, permission: Permission) -> None:
        """Refuse, in Chinese and audited, what the logged-in account's role may not do.

        With no account in the database nothing is checked; once one exists, a context
        without a logged-in account may do nothing.
        """
        if self.account is None:
            if self.accounts_exist():
                raise PermissionDenied("本数据库已启用账号，请先登录")
            return
        if self.account.may(permission):
            return
        message = refusal(self.account.role, permission)
        from jingyuan_desktop.store import repository

        with self.session() as session:
            repository.write_audit(session, user=self.account.name, action="denied", entity="permission",
                                   entity_id=permission.value, before=None, after={"reason": message},
                                   at=self.now())
        raise PermissionDenied(message)

    def scoped(self, filters: CaseFilter) -> CaseFilter:
        """``filters`` narrowed to the cases the logged-in account may see (its village for a
        village account, police transfers for a police liaison)."""
        if self.account is None:
            return filters
        village, source = case_scope(self.account.role, self.account.village)
        if village is not None:
            wanted = [village] if filters.villages is None else [v for v in filters.villages if v == village]
            filters = replace(filters, villages=wanted)
        if source is not None:
            wanted = [source.value] if filters.sources is None else [s for s in filters.sources if s == source]
            filters = replace(filters, sources=wanted)
        return filters

    def sees(self, case: Case) -> bool:
        return self.account is None or sees_case(self.account.role, self.account.village, case.village, case.source)

    def require_case(self, case: Case) -> None:
        """Refuse a case outside the account's scope, as if it were not there for it."""
        if self.account is not None and not sees_case(self.account.role, self.account.village, case.village,
                                                      case.source):
            raise PermissionDenied(f"{account_text(self.account.role)}无权查看案件 {case.case_no}")

    def calendar(self) -> WorkCalendar:
        """The statutory calendar with the office's own dates; rebuilt after they change."""
        if self._calendar is None:
            from jingyuan_desktop.store import repository

            with self.session() as session:
                self._calendar = WorkCalendar(repository.calendar_overrides(session))
        return self._calendar

    def calendar_warning(self) -> str | None:
        """The calendar's warning about years it does not cover, if this context used it."""
        return self._calendar.uncovered_warning() if self._calendar is not None else None

    def forget_calendar(self) -> None:
        self._calendar = None

    def clock_settings(self, session: Session | None = None) -> ClockSettings:
        """The clock settings as stored now (read each time: another PC may change them), in
        ``session`` when one is open already."""
        return ClockSettings.from_dict(self._setting(CLOCK_SETTINGS_KEY, session) or {})

    def office(self, session: Session | None = None) -> OfficeSettings:
        """The office's settings as stored now, in ``session`` when one is open already."""
        return OfficeSettings.from_dict(self._setting(OFFICE_SETTINGS_KEY, session))

    def _setting(self, key: str, session: Session | None) -> Any:
        from jingyuan_desktop.store import repository

        if session is not None:
            return repository.get_setting(session, key, {})
        with self.session() as own:
            return repository.get_setting(own, key, {})

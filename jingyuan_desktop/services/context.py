"""What every use case needs: the database, who is working, the time, the calendar and the settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from jingyuan_desktop.domain.calendar import TZ, WorkCalendar
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import DomainError
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.database import Database, open_database
from jingyuan_desktop.store.errors import StoreError

CLOCK_SETTINGS_KEY = "clocks"
OFFICE_SETTINGS_KEY = "office"

DEFAULT_OFFICE = {
    "town": "",
    "case_no_prefix": "FZ",
    "archive_no_prefix": "DA",
    "require_leader_for_red": True,
}


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

    @classmethod
    def open(cls, db: str | None, *, user: str = "治理办", now: Callable[[], datetime] = system_now) -> AppContext:
        return cls(open_database(db), user=user, now=now)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.db.session() as session:
            yield session

    def calendar(self) -> WorkCalendar:
        """The statutory calendar with the office's own dates; rebuilt after they change."""
        if self._calendar is None:
            with self.session() as session:
                self._calendar = WorkCalendar(repository.calendar_overrides(session))
        return self._calendar

    def calendar_warning(self) -> str | None:
        """The calendar's warning about years it does not cover, if this context used it."""
        return self._calendar.uncovered_warning() if self._calendar is not None else None

    def forget_calendar(self) -> None:
        self._calendar = None

    def clock_settings(self) -> ClockSettings:
        with self.session() as session:
            stored = repository.get_setting(session, CLOCK_SETTINGS_KEY, {})
        return ClockSettings.from_dict(stored or {})

    def office(self) -> dict:
        with self.session() as session:
            stored = repository.get_setting(session, OFFICE_SETTINGS_KEY, {})
        return {**DEFAULT_OFFICE, **(stored or {})}

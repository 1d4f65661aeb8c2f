"""The declarative base and the column type every table shares, apart from the tables so
that the tables of the prevention half (``prevention_models``) and of the cases (``models``)
can each import it without importing each other."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from jingyuan_desktop.domain.calendar import TZ

# Deterministic constraint names, so that later migrations can name what they alter on both
# backends (SQLite otherwise leaves constraints unnamed).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, naive UTC in the column, aware Asia/Shanghai datetimes out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            # A naive time is ambiguous between the PC's zone and UTC; refuse rather than guess.
            raise ValueError(f"naive datetime cannot be stored: {value!r}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else from_stored(value)


def from_stored(value: datetime) -> datetime:
    """A moment as a column keeps it (naive UTC) as the program uses it (aware, Asia/Shanghai)."""
    return value.replace(tzinfo=UTC).astimezone(TZ)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

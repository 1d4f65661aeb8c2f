"""Minutes of the weekly meeting (周例会): one row per ISO week, with optimistic locking.

The decisions of a meeting are not stored here: each is a ``meeting_decision`` event on its
case, so that it shows in the case's own timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from jingyuan_desktop.store.errors import StoreError
from jingyuan_desktop.store.models import Base, UTCDateTime


class StaleMeetingError(StoreError):
    default_message = "例会纪要已被其他人修改，请刷新后重试"


class MeetingModel(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str] = mapped_column(String(10), unique=True)  # ISO week, "2026-W47"
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


@dataclass(frozen=True)
class MeetingRecord:
    """The minutes of one week; ``version`` 0 means nothing has been saved yet."""

    week: str
    held_at: datetime | None = None
    minutes: str = ""
    attendees: str = ""
    updated_by: str = ""
    version: int = 0


def _record(row: MeetingModel) -> MeetingRecord:
    return MeetingRecord(row.week, row.held_at, row.minutes, row.attendees, row.updated_by, row.version)


def get_meeting(session: Session, week: str) -> MeetingRecord:
    row = session.scalars(select(MeetingModel).where(MeetingModel.week == week)).one_or_none()
    return _record(row) if row is not None else MeetingRecord(week)


def list_meetings(session: Session) -> list[MeetingRecord]:
    return [_record(row) for row in session.scalars(select(MeetingModel).order_by(MeetingModel.week.desc()))]


def save_meeting(
    session: Session, week: str, *, minutes: str, attendees: str, expected_version: int, user: str, at: datetime
) -> int:
    """Store the minutes of ``week``; returns the new version.

    Raises StaleMeetingError when the stored version is not ``expected_version`` (0 for a week
    nobody has saved yet), so two PCs typing minutes at once cannot overwrite each other.
    """
    row = session.scalars(select(MeetingModel).where(MeetingModel.week == week)).one_or_none()
    current = row.version if row is not None else 0
    if current != expected_version:
        raise StaleMeetingError()
    before = None if row is None else {"minutes": row.minutes, "attendees": row.attendees}
    if row is None:
        # The first save is taken as the time the meeting was held.
        row = MeetingModel(week=week, held_at=at)
        session.add(row)
    row.minutes, row.attendees = minutes, attendees
    row.updated_at, row.updated_by = at, user
    try:
        session.flush()
    except StaleDataError as error:
        raise StaleMeetingError() from error
    # Imported here: the audit module imports models.py, which imports this module last.
    from jingyuan_desktop.store.audit import write_audit

    write_audit(session, user=user, action="add" if before is None else "update", entity="meeting",
                entity_id=week, before=before, after={"minutes": minutes, "attendees": attendees}, at=at)
    return row.version

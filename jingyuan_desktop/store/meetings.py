"""Minutes of the weekly meeting (周例会): one row per ISO week, with optimistic locking.

The decisions of a meeting are not stored here: each is a ``meeting_decision`` event on its
case, so that it shows in the case's own timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jingyuan_desktop.store.audit import write_audit
from jingyuan_desktop.store.errors import StoreError
from jingyuan_desktop.store.models import MeetingModel

__all__ = ["MeetingModel", "MeetingRecord", "StaleMeetingError", "get_meeting", "list_meetings", "save_meeting"]


class StaleMeetingError(StoreError):
    default_message = "例会纪要已被其他人修改，请刷新后重试"


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
    write_audit(session, user=user, action="add" if before is None else "update", entity="meeting",
                entity_id=week, before=before, after={"minutes": minutes, "attendees": attendees}, at=at)
    return row.version

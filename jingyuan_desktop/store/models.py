"""Tables of the database, as SQLAlchemy typed ORM classes.

The schema is the same on SQLite and PostgreSQL: no backend-specific types, JSON through
``sqlalchemy.JSON``, and every instant stored as naive UTC so that the two backends (and PCs
in different zones) agree on what a stored time means.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jingyuan_desktop.store.base import NAMING, Base, UTCDateTime  # noqa: F401  (re-exported)


class UnitModel(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class PersonModel(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("name", "unit_id", name="uq_people_name_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    phone: Mapped[str] = mapped_column(String(50), default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer)

    unit: Mapped[UnitModel | None] = relationship()

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class CategoryModel(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer)

    parent: Mapped[CategoryModel | None] = relationship(remote_side=[id])

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class CaseModel(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(40), unique=True)
    source: Mapped[str] = mapped_column(String(32))
    # NULL, never "", when there is none: NULLs do not collide under the unique constraint.
    police_incident_no: Mapped[str | None] = mapped_column(String(64), unique=True)
    police_station: Mapped[str] = mapped_column(String(100), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    officer: Mapped[str] = mapped_column(String(100), default="")
    village: Mapped[str] = mapped_column(String(100), index=True)
    # The grid (网格) of the village where the dispute arose, when known (issue 14).
    grid: Mapped[str] = mapped_column(String(100), default="")
    location: Mapped[str] = mapped_column(String, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    # Current classification and status: copies derived from the timeline, kept for filtering.
    category: Mapped[str] = mapped_column(String(100))
    grade: Mapped[str] = mapped_column(String(32))
    risk: Mapped[str] = mapped_column(String(32), index=True)
    criminal_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    key_persons: Mapped[bool] = mapped_column(Boolean, default=False)
    repeat_of: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(32), index=True)
    intake_category: Mapped[str] = mapped_column(String(100))
    intake_grade: Mapped[str] = mapped_column(String(32))
    intake_risk: Mapped[str] = mapped_column(String(32))
    intake_criminal_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    # Derived from the timeline with the case (``store.derived``, ``domain.derived``): the moment
    # its stored clocks are as of, the progress clocks that follow while nothing is recorded...
    clocks_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    progress_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    progress_next_due: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    progress_seq: Mapped[int] = mapped_column(Integer, default=0)
    progress_owner: Mapped[str] = mapped_column(String(100), default="")
    # ...and what the figures need (``domain.statistics.CaseFigures``), summed by the database.
    void: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    on_site: Mapped[bool] = mapped_column(Boolean, default=False)
    return_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    satisfaction: Mapped[str] = mapped_column(String(32), default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    arrive_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    handler: Mapped[str] = mapped_column(String(100), default="")
    received_month: Mapped[str] = mapped_column(String(7), default="")
    received_week: Mapped[str] = mapped_column(String(8), default="")
    refusals: Mapped[int] = mapped_column(Integer, default=0)
    # ``statistics.figure_counts``: 0 or 1 each, summed as they are.
    n_positive: Mapped[int] = mapped_column(Integer, default=0)
    n_answered: Mapped[int] = mapped_column(Integer, default=0)
    n_visited: Mapped[int] = mapped_column(Integer, default=0)
    n_on_site: Mapped[int] = mapped_column(Integer, default=0)
    n_repeats: Mapped[int] = mapped_column(Integer, default=0)
    n_repeats_resolved: Mapped[int] = mapped_column(Integer, default=0)
    # Done clocks of each kind, met and late (a done clock's state never changes): the
    # statistics screen's on-time rates sum these instead of reading every clock row.
    met_dispatch: Mapped[int] = mapped_column(Integer, default=0)
    late_dispatch: Mapped[int] = mapped_column(Integer, default=0)
    met_arrive: Mapped[int] = mapped_column(Integer, default=0)
    late_arrive: Mapped[int] = mapped_column(Integer, default=0)
    met_result: Mapped[int] = mapped_column(Integer, default=0)
    late_result: Mapped[int] = mapped_column(Integer, default=0)
    met_progress: Mapped[int] = mapped_column(Integer, default=0)
    late_progress: Mapped[int] = mapped_column(Integer, default=0)
    met_follow_up: Mapped[int] = mapped_column(Integer, default=0)
    late_follow_up: Mapped[int] = mapped_column(Integer, default=0)
    met_return_visit: Mapped[int] = mapped_column(Integer, default=0)
    late_return_visit: Mapped[int] = mapped_column(Integer, default=0)
    met_police_feedback: Mapped[int] = mapped_column(Integer, default=0)
    late_police_feedback: Mapped[int] = mapped_column(Integer, default=0)
    met_leader: Mapped[int] = mapped_column(Integer, default=0)
    late_leader: Mapped[int] = mapped_column(Integer, default=0)
    met_supervision: Mapped[int] = mapped_column(Integer, default=0)
    late_supervision: Mapped[int] = mapped_column(Integer, default=0)
    met_follow_visit: Mapped[int] = mapped_column(Integer, default=0)
    late_follow_visit: Mapped[int] = mapped_column(Integer, default=0)
    # The same by owner: the office's (治理办) and the team's (the case's village), for the assessment.
    office_met: Mapped[int] = mapped_column(Integer, default=0)
    office_late: Mapped[int] = mapped_column(Integer, default=0)
    team_met: Mapped[int] = mapped_column(Integer, default=0)
    team_late: Mapped[int] = mapped_column(Integer, default=0)
    # On one of the weekly agenda's case lists (``meeting.on_watch``): the few cases it reads.
    agenda_watch: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # The timeline part of its agenda line (``meeting.AgendaLine`` as a dict): the weekly agenda
    # of now reads it instead of the whole timeline (NULL only until first recomputed).
    agenda_line: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # What the search box looks in, one text (``listing.search_text``): a search is one LIKE.
    search_text: Mapped[str] = mapped_column(Text, default="")

    parties: Mapped[list[PartyModel]] = relationship(
        back_populates="case", order_by="PartyModel.seq", cascade="all, delete-orphan", passive_deletes=True
    )
    events: Mapped[list[EventModel]] = relationship(
        back_populates="case", order_by="EventModel.seq", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


# The period's figures served from one index in the order the statistics group them (the
# month received, then village, category and colour), carrying every column they sum: SQLite
# adds the sums up as it walks the index, without sorting the period's cases or visiting the
# table (a year's statistics screen at 100,000 cases: 150 ms of CPU to 90; issue 12). SQLite
# only (``ddl_if``, migration 0011): PostgreSQL allows 32 columns in an index, and groups by
# hashing, without the sort this index saves.
FIGURE_INDEX_COLUMNS = (
    "void", "received_month", "village", "category", "risk", "received_at",
    "resolved_at", "resolution_ms", "arrive_due_at", "arrived_at", "archived_at",
    "n_positive", "n_answered", "n_visited", "n_on_site", "n_repeats", "n_repeats_resolved",
    *(f"{state}_{name}" for name in ("dispatch", "arrive", "result", "progress", "follow_up", "return_visit",
                                     "police_feedback", "leader", "supervision", "follow_visit")
      for state in ("met", "late")),
    "refusals", "office_met", "office_late", "team_met", "team_late",  # the assessment's
)
Index("ix_cases_figures", *(CaseModel.__table__.c[name] for name in FIGURE_INDEX_COLUMNS)).ddl_if(dialect="sqlite")


class PartyModel(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    id_number: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[str] = mapped_column(String(32))

    case: Mapped[CaseModel] = relationship(back_populates="parties")


class EventModel(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_case_id_seq", "case_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")

    case: Mapped[CaseModel] = relationship(back_populates="events")


class CaseClockModel(Base):
    """One clock of a case as the domain computed it at the case's ``clocks_as_of``: open while
    ``done_at`` is NULL (pending or overdue is a comparison of ``due_at`` with now), else met or
    late as ``state`` says. Replaced as a whole with every change of the case."""

    __tablename__ = "case_clocks"
    __table_args__ = (
        Index("ix_case_clocks_case_id", "case_id"),
        # Open clocks only, by due time, with what their readers need (the timer panel, "只看超时",
        # the alerts, the overdue counts): those reads stay in this small index (migration 0011).
        # done_at leads although it is always NULL here: SQLite's planner then sees the
        # query's "done_at IS NULL" as an equality on the index and knows it is selective.
        # The case number rides along (migration 0012): the timer panel needs no join with the cases.
        Index("ix_case_clocks_open", "done_at", "due_at", "case_id", "case_no", "name", "owner", "seq", "opened_at",
              sqlite_where=text("done_at IS NULL"), postgresql_where=text("done_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    # A copy of the case's number, which never changes: written with every clock row.
    case_no: Mapped[str] = mapped_column(String(40), server_default=text("''"))
    name: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    state: Mapped[str] = mapped_column(String(16))


class DerivedStateModel(Base):
    """One row: the fingerprint of the rules every case's stored clocks and figures were
    computed with (``domain.derived.fingerprint``); stored copies are trusted only while it
    matches the rules in force."""

    __tablename__ = "derived_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    fingerprint: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SettingModel(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class CaseCounterModel(Base):
    """The last serial drawn for each case-number prefix and year.

    Drawn with one UPDATE inside the transaction that stores the case: the row lock (the write
    lock on SQLite) makes two PCs wait for each other instead of both taking the same number.
    """

    __tablename__ = "case_counters"

    prefix: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class CalendarOverrideModel(Base):
    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String, default="")


class AuditModel(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    # The hash chain (``store.audit``): the row's place in it and the hash over the row and
    # the previous row's hash, so a row changed, removed or slipped in is found.
    seq: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    row_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class UserModel(Base):
    """An account (issue 11): its role, its village for a village account, and its password
    as an argon2 hash; never the password itself."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    village: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class AuditChainModel(Base):
    """The head of the audit chain: one row, updated with every audit row under its lock, so
    that two PCs writing at once take turns and the chain never forks."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))


class MeetingModel(Base):
    """Minutes of the weekly meeting (周例会), one row per ISO week; see ``store.meetings``."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str] = mapped_column(String(10), unique=True)  # ISO week, "2026-W47"
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


# Tables every revision since 0001 has: a file with these and an alembic revision is ours.
# Written out rather than taken from the metadata, so that a table added later does not
# make older backups look foreign.
REQUIRED_TABLES = frozenset({"units", "people", "categories", "cases", "parties", "events", "settings", "audit_log"})

# The prevention half's tables (issue 14) live in their own module; importing it here puts
# them in ``Base.metadata`` for every reader of the schema.
from jingyuan_desktop.store import prevention_models as _prevention_models  # noqa: E402,F401

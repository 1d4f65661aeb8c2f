"""Tables of the prevention half (issue 14): grids, joint-defence points, officers' beats,
citizens and their links to cases, the key-person register and its visits, the patrol log and
warnings. Same conventions as ``store.models``: naive UTC instants, JSON lists, version columns
where two PCs may edit the same row."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jingyuan_desktop.store.base import Base, UTCDateTime


class GridModel(Base):
    __tablename__ = "grids"
    __table_args__ = (UniqueConstraint("village", "name", name="uq_grids_village_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    head: Mapped[str] = mapped_column(String(100), default="")
    workers: Mapped[list[str]] = mapped_column(JSON, default=list)
    since: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class JointPointModel(Base):
    __tablename__ = "joint_points"
    __table_args__ = (UniqueConstraint("village", "name", name="uq_joint_points_village_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    grid: Mapped[str] = mapped_column(String(100), default="")
    head: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OfficerBeatModel(Base):
    """A village police officer (包村民警) and a village of his beat."""

    __tablename__ = "officer_beats"
    __table_args__ = (UniqueConstraint("officer", "village", name="uq_officer_beats_officer_village"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer: Mapped[str] = mapped_column(String(100))
    village: Mapped[str] = mapped_column(String(100))
    since: Mapped[date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CitizenModel(Base):
    """A person met in cases and visits (not one of the office's people: those are ``people``)."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # Normalised (``domain.persons``); "" when unknown.
    id_number: Mapped[str] = mapped_column(String(40), default="", index=True)
    phone: Mapped[str] = mapped_column(String(50), default="", index=True)
    village: Mapped[str] = mapped_column(String(100), default="")
    grid: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class CaseCitizenModel(Base):
    """Which citizen a case's party is: the party's place in the case and the citizen."""

    __tablename__ = "case_citizens"
    __table_args__ = (
        UniqueConstraint("case_id", "party_seq", name="uq_case_citizens_case_party"),
        Index("ix_case_citizens_citizen_id", "citizen_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    party_seq: Mapped[int] = mapped_column(Integer)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))


class CitizenReviewModel(Base):
    """A decision on two citizen records that may be one person: ``distinct`` keeps both and
    stops the pair from being offered again (a merge removes the second record instead)."""

    __tablename__ = "citizen_reviews"
    __table_args__ = (UniqueConstraint("first_id", "second_id", name="uq_citizen_reviews_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(ForeignKey("citizens.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str] = mapped_column(String(100), default="")


class KeyPersonModel(Base):
    __tablename__ = "key_persons"
    __table_args__ = (Index("ix_key_persons_citizen_id", "citizen_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    type: Mapped[str] = mapped_column(String(32))
    responsible: Mapped[str] = mapped_column(String(100))
    measures: Mapped[str] = mapped_column(Text, default="")
    visit_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    since: Mapped[date | None] = mapped_column(Date, nullable=True)
    ended: Mapped[date | None] = mapped_column(Date, nullable=True)
    village: Mapped[str] = mapped_column(String(100), default="")
    grid: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__: Mapping[str, Any] = {"version_id_col": version}


class KeyPersonVisitModel(Base):
    __tablename__ = "key_person_visits"
    __table_args__ = (Index("ix_key_person_visits_key_person_id", "key_person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_person_id: Mapped[int] = mapped_column(ForeignKey("key_persons.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class PatrolModel(Base):
    """One entry of the patrol log (排查走访), or an information officer's report."""

    __tablename__ = "patrols"
    __table_args__ = (
        Index("ix_patrols_at", "at"),
        Index("ix_patrols_place", "village", "grid", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    worker: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    village: Mapped[str] = mapped_column(String(100))
    grid: Mapped[str] = mapped_column(String(100), default="")
    households: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[str] = mapped_column(Text, default="")
    # The case a finding became (``services.prevention.finding_to_case``).
    case_no: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class WarningModel(Base):
    __tablename__ = "warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    villages: Mapped[list[str]] = mapped_column(JSON, default=list)
    grids: Mapped[list[str]] = mapped_column(JSON, default=list)
    daily_patrols: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100), default="")

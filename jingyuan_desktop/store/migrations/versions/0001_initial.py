"""The first schema: units, people, categories, cases with parties and events, settings,
calendar overrides and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-01-01

Written by hand to match ``store/models.py``; ``tests/store/test_migrations.py`` compares
the two. Instants are naive UTC (the models' ``UTCDateTime`` is a plain DateTime here).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_units"),
        sa.UniqueConstraint("name", name="uq_units_name"),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_people_unit_id_units"),
        sa.UniqueConstraint("name", "unit_id", name="uq_people_name_unit"),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_categories"),
        sa.ForeignKeyConstraint(["parent_id"], ["categories.id"], name="fk_categories_parent_id_categories"),
        sa.UniqueConstraint("name", name="uq_categories_name"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(40), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("police_incident_no", sa.String(64), nullable=True),
        sa.Column("police_station", sa.String(100), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=True),
        sa.Column("officer", sa.String(100), nullable=False),
        sa.Column("village", sa.String(100), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("grade", sa.String(32), nullable=False),
        sa.Column("risk", sa.String(32), nullable=False),
        sa.Column("criminal_risk", sa.Boolean(), nullable=False),
        sa.Column("key_persons", sa.Boolean(), nullable=False),
        sa.Column("repeat_of", sa.String(40), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("intake_category", sa.String(100), nullable=False),
        sa.Column("intake_grade", sa.String(32), nullable=False),
        sa.Column("intake_risk", sa.String(32), nullable=False),
        sa.Column("intake_criminal_risk", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("case_no", name="uq_cases_case_no"),
        sa.UniqueConstraint("police_incident_no", name="uq_cases_police_incident_no"),
    )
    op.create_index("ix_cases_received_at", "cases", ["received_at"])
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_index("ix_cases_village", "cases", ["village"])
    op.create_index("ix_cases_risk", "cases", ["risk"])
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("id_number", sa.String(40), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_parties"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_parties_case_id_cases", ondelete="CASCADE"),
    )
    op.create_index("ix_parties_case_id", "parties", ["case_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_events_case_id_cases", ondelete="CASCADE"),
    )
    op.create_index("ix_events_case_id_seq", "events", ["case_id", "seq"], unique=True)
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    op.create_table(
        "calendar_overrides",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_calendar_overrides"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("calendar_overrides")
    op.drop_table("settings")
    op.drop_table("events")
    op.drop_table("parties")
    op.drop_table("cases")
    op.drop_table("categories")
    op.drop_table("people")
    op.drop_table("units")

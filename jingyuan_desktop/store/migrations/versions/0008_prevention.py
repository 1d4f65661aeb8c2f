"""The prevention half (issue 14): grids, joint-defence points, officers' beats, citizens and
their links to cases, the key-person register and its visits, the patrol log, warnings, and the
grid of a case.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _text(name: str, length: int | None = 100) -> sa.Column:
    return sa.Column(name, sa.String(length) if length else sa.String(), nullable=False)


def upgrade() -> None:
    op.add_column("cases", sa.Column("grid", sa.String(100), nullable=False, server_default=""))
    op.create_table(
        "grids",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("village"), _text("name"), _text("head"),
        sa.Column("workers", sa.JSON(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_grids"),
        sa.UniqueConstraint("village", "name", name="uq_grids_village_name"),
    )
    op.create_table(
        "joint_points",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("village"), _text("name"), _text("grid"), _text("head"), _text("phone", 50),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_joint_points"),
        sa.UniqueConstraint("village", "name", name="uq_joint_points_village_name"),
    )
    op.create_table(
        "officer_beats",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("officer"), _text("village"),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_officer_beats"),
        sa.UniqueConstraint("officer", "village", name="uq_officer_beats_officer_village"),
    )
    op.create_table(
        "citizens",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("name"), _text("id_number", 40), _text("phone", 50), _text("village"), _text("grid"),
        _text("address", None),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_citizens"),
    )
    op.create_index("ix_citizens_id_number", "citizens", ["id_number"])
    op.create_index("ix_citizens_phone", "citizens", ["phone"])
    op.create_table(
        "case_citizens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_seq", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_citizens_case_id_cases", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], name="fk_case_citizens_citizen_id_citizens",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_case_citizens"),
        sa.UniqueConstraint("case_id", "party_seq", name="uq_case_citizens_case_party"),
    )
    op.create_index("ix_case_citizens_citizen_id", "case_citizens", ["citizen_id"])
    op.create_table(
        "citizen_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        _text("decision", 16),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        _text("decided_by"),
        sa.ForeignKeyConstraint(["first_id"], ["citizens.id"], name="fk_citizen_reviews_first_id_citizens",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["second_id"], ["citizens.id"], name="fk_citizen_reviews_second_id_citizens",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_citizen_reviews"),
        sa.UniqueConstraint("first_id", "second_id", name="uq_citizen_reviews_pair"),
    )
    op.create_table(
        "key_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        _text("type", 32), _text("responsible"),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("visit_days", sa.Integer(), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("ended", sa.Date(), nullable=True),
        _text("village"), _text("grid"),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], name="fk_key_persons_citizen_id_citizens"),
        sa.PrimaryKeyConstraint("id", name="pk_key_persons"),
    )
    op.create_index("ix_key_persons_citizen_id", "key_persons", ["citizen_id"])
    op.create_table(
        "key_person_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        _text("by"),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _text("recorded_by"),
        sa.ForeignKeyConstraint(["key_person_id"], ["key_persons.id"],
                                name="fk_key_person_visits_key_person_id_key_persons", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_key_person_visits"),
    )
    op.create_index("ix_key_person_visits_key_person_id", "key_person_visits", ["key_person_id", "at"])
    op.create_table(
        "patrols",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        _text("worker"), _text("role", 32), _text("village"), _text("grid"),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("case_no", sa.String(40), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _text("recorded_by"),
        sa.PrimaryKeyConstraint("id", name="pk_patrols"),
    )
    op.create_index("ix_patrols_at", "patrols", ["at"])
    op.create_index("ix_patrols_place", "patrols", ["village", "grid", "at"])
    op.create_index("ix_patrols_case_no", "patrols", ["case_no"])
    op.create_table(
        "warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("villages", sa.JSON(), nullable=False),
        sa.Column("grids", sa.JSON(), nullable=False),
        sa.Column("daily_patrols", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _text("created_by"),
        sa.PrimaryKeyConstraint("id", name="pk_warnings"),
    )
    op.create_index("ix_warnings_ends", "warnings", ["ends"])


def downgrade() -> None:
    for table in ("warnings", "patrols", "key_person_visits", "key_persons", "citizen_reviews", "case_citizens",
                  "citizens", "officer_beats", "joint_points", "grids"):
        op.drop_table(table)
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("grid")

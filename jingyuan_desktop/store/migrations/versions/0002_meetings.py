"""Minutes of the weekly meeting.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Written by hand to match ``store/meetings.py``; ``tests/store/test_migrations.py`` compares
the two. Instants are naive UTC, as in 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(10), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
        sa.UniqueConstraint("week", name="uq_meetings_week"),
    )


def downgrade() -> None:
    op.drop_table("meetings")

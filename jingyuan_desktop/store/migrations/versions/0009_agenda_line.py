"""The weekly agenda's line stored with each case (issue 12): the meeting's latest decision,
the 包案领导, who the case waits on and the agenda lists it is on, so that the agenda of now
reads a few columns instead of whole timelines.

The column starts empty; the rules version rose with it (``domain.derived.RULES_VERSION``), so
the program treats every stored copy as stale and recomputes them all, reading the timelines
meanwhile.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("agenda_line", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("agenda_line")

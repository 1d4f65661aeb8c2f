"""The search text of a case (issue 12): its number, summary, place and parties' names and
phones in one column, so that the case table's search is one LIKE.

The column starts empty and the rules version moves to 4, so the program treats every case's
stored copies as stale and redoes them (``services.derived.ensure_fresh``); until then the
search looks in each column and the parties as before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("search_text")

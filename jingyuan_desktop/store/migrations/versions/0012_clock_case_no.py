"""Each stored clock carries its case's number, and the open clocks' index holds it.

The timer panel reads every open clock with its case number: through the case table that was
a join of ten thousand open clocks with 100,000 cases, which PostgreSQL answered by reading
every case (a hash join, 40 ms where the clock rows alone take 1). A case's number never
changes (it is not among the fields a correction may edit), so the clock row keeps a copy,
written with it by ``store.derived.clock_row`` and checked by ``jingyuan check`` like every
other stored clock field. The copy is filled in here from the cases.

The column is added with an empty default so that SQLite need not rebuild the table (1.2
million clock rows at 100,000 cases); every row is then given its number.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OPEN = sa.text("done_at IS NULL")


def upgrade() -> None:
    op.add_column("case_clocks", sa.Column("case_no", sa.String(40), nullable=False, server_default=sa.text("''")))
    op.execute("UPDATE case_clocks SET case_no = "
               "(SELECT cases.case_no FROM cases WHERE cases.id = case_clocks.case_id)")
    op.drop_index("ix_case_clocks_open", table_name="case_clocks")
    # As in 0011, with the case number beside the case's id: the timer panel's read stays in it.
    op.create_index("ix_case_clocks_open", "case_clocks",
                    ["done_at", "due_at", "case_id", "case_no", "name", "owner", "seq", "opened_at"],
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index("ix_case_clocks_open", table_name="case_clocks")
    op.create_index("ix_case_clocks_open", "case_clocks",
                    ["done_at", "due_at", "case_id", "name", "owner", "seq", "opened_at"],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    with op.batch_alter_table("case_clocks") as batch:
        batch.drop_column("case_no")

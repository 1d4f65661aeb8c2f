"""Stored clocks and figure columns (issue 12): a case's clocks and figures derived from its
timeline, stored with it so that reads at 100,000 cases do not rebuild timelines.

The new columns start empty and no rules fingerprint is stored, so the program treats every
case's copy as stale and recomputes them all (``services.derived.ensure_fresh``), reading the
timelines meanwhile.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TEXT_COLUMNS = {"progress_owner": 100, "satisfaction": 32, "handler": 100, "received_month": 7, "received_week": 8}
CLOCK_NAMES = ("dispatch", "arrive", "result", "progress", "follow_up", "return_visit", "police_feedback", "leader",
               "supervision", "follow_visit")
COUNT_COLUMNS = (*(f"{state}_{name}" for name in CLOCK_NAMES for state in ("met", "late")),
                 "office_met", "office_late", "team_met", "team_late",
                 "n_positive", "n_answered", "n_visited", "n_on_site", "n_repeats", "n_repeats_resolved")
TIME_COLUMNS = ("clocks_as_of", "progress_next_due", "resolved_at", "return_visit_at", "archived_at",
                "arrive_due_at", "arrived_at")


def upgrade() -> None:
    # Plain ADD COLUMN on both backends: every new column is nullable or has a default.
    for name in TIME_COLUMNS:
        op.add_column("cases", sa.Column(name, sa.DateTime(), nullable=True))
    op.add_column("cases", sa.Column("progress_from", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("progress_seq", sa.Integer(), nullable=False, server_default="0"))
    for name, length in TEXT_COLUMNS.items():
        op.add_column("cases", sa.Column(name, sa.String(length), nullable=False, server_default=""))
    op.add_column("cases", sa.Column("void", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("cases", sa.Column("on_site", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("cases", sa.Column("resolution_ms", sa.BigInteger(), nullable=True))
    op.add_column("cases", sa.Column("refusals", sa.Integer(), nullable=False, server_default="0"))
    for name in COUNT_COLUMNS:
        op.add_column("cases", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("cases", sa.Column("agenda_watch", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_cases_progress_next_due", "cases", ["progress_next_due"])
    op.create_index("ix_cases_agenda_watch", "cases", ["agenda_watch"])
    op.create_index("ix_cases_clocks_as_of", "cases", ["clocks_as_of"])
    op.create_table(
        "case_clocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_clocks_case_id_cases", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_case_clocks"),
    )
    op.create_index("ix_case_clocks_case_id", "case_clocks", ["case_id"])
    op.create_index("ix_case_clocks_open", "case_clocks", ["done_at", "due_at"])
    op.create_table(
        "derived_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_derived_state"),
    )


def downgrade() -> None:
    op.drop_table("derived_state")
    op.drop_index("ix_case_clocks_open", table_name="case_clocks")
    op.drop_index("ix_case_clocks_case_id", table_name="case_clocks")
    op.drop_table("case_clocks")
    op.drop_index("ix_cases_progress_next_due", table_name="cases")
    op.drop_index("ix_cases_agenda_watch", table_name="cases")
    op.drop_index("ix_cases_clocks_as_of", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        for name in (*TIME_COLUMNS, "progress_from", "progress_seq", *TEXT_COLUMNS, "void", "on_site",
                     "resolution_ms", "refusals", "agenda_watch", *COUNT_COLUMNS):
            batch.drop_column(name)

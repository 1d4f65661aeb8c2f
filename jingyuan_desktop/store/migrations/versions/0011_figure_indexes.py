"""Indexes for the figures of issue 12: the open clocks' index holds only the open clocks,
with the columns their readers need, and on SQLite the statistics read their sums from an
index in the order they group them.

``ix_case_clocks_open`` was on (done_at, due_at) over every clock row: at 100,000 cases 1.2
million entries (85 MB), of which the readers (the timer panel, "只看超时", the overdue counts
of the statistics and the agenda) only ever want the ten thousand open ones, and then went to
the table for the owner and name. It becomes a partial index over the open rows (done_at IS
NULL, on SQLite and PostgreSQL alike) by due time, carrying the case, name, owner, sequence and
opening time, so these reads never touch the clock table and a write of a done clock has no
index entry to keep.

``ix_cases_figures`` (SQLite only: PostgreSQL allows 32 columns in an index and aggregates by
hashing) holds the columns the statistics sum, ordered by month received, village, category
and colour: a year's statistics screen walks it in order instead of sorting 50,000 wide rows.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OPEN = sa.text("done_at IS NULL")
# As written here on 2026-12-01 (store.models.FIGURE_INDEX_COLUMNS may move on).
FIGURE_COLUMNS = (
    "void", "received_month", "village", "category", "risk", "received_at",
    "resolved_at", "resolution_ms", "arrive_due_at", "arrived_at", "archived_at",
    "n_positive", "n_answered", "n_visited", "n_on_site", "n_repeats", "n_repeats_resolved",
    "met_dispatch", "late_dispatch", "met_arrive", "late_arrive", "met_result", "late_result",
    "met_progress", "late_progress", "met_follow_up", "late_follow_up", "met_return_visit", "late_return_visit",
    "met_police_feedback", "late_police_feedback", "met_leader", "late_leader", "met_supervision",
    "late_supervision", "met_follow_visit", "late_follow_visit",
    "refusals", "office_met", "office_late", "team_met", "team_late",
)


def upgrade() -> None:
    op.drop_index("ix_case_clocks_open", table_name="case_clocks")
    # done_at leads although it is always NULL in this index: SQLite's planner then takes the
    # readers' "done_at IS NULL" for an equality on the index, and so for a selective one.
    op.create_index("ix_case_clocks_open", "case_clocks",
                    ["done_at", "due_at", "case_id", "name", "owner", "seq", "opened_at"],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_cases_figures", "cases", list(FIGURE_COLUMNS))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_cases_figures", table_name="cases")
    op.drop_index("ix_case_clocks_open", table_name="case_clocks")
    op.create_index("ix_case_clocks_open", "case_clocks", ["done_at", "due_at"])

"""Case numbers drawn from a counter inside the write transaction (two PCs never share one).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

The counter of each prefix and year starts at the highest serial already used, so numbers
continue where the database left off.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NUMBER = re.compile(r"^(.+)-(\d{4})-(\d+)$")


def upgrade() -> None:
    counters = op.create_table(
        "case_counters",
        sa.Column("prefix", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name="pk_case_counters"),
    )
    highest: dict[tuple[str, int], int] = {}
    for (case_no,) in op.get_bind().execute(sa.text("SELECT case_no FROM cases")):
        match = _NUMBER.match(case_no or "")
        if match:
            key = (match.group(1), int(match.group(2)))
            highest[key] = max(highest.get(key, 0), int(match.group(3)))
    if highest:
        op.bulk_insert(counters, [{"prefix": p, "year": y, "last": n} for (p, y), n in sorted(highest.items())])


def downgrade() -> None:
    op.drop_table("case_counters")

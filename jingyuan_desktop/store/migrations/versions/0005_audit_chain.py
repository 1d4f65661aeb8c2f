"""The audit log becomes a hash chain: each row carries its place and a hash over itself and
the row before, and one head row holds the newest hash.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

Existing rows are chained in the order they were written (by id), so a database from before
this version is verifiable from here on, and its old rows as they stand at the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from jingyuan_desktop.store.audit_chain import GENESIS, row_digest

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_audit_log_seq", ["seq"])
    chain = op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_chain"),
    )
    bind = op.get_bind()
    log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                   sa.column("user", sa.String), sa.column("action", sa.String), sa.column("entity", sa.String),
                   sa.column("entity_id", sa.String), sa.column("before", sa.JSON), sa.column("after", sa.JSON),
                   sa.column("seq", sa.Integer), sa.column("row_hash", sa.String))
    previous, seq = GENESIS, 0
    rows = bind.execute(sa.select(log.c.id, log.c.at, log.c.user, log.c.action, log.c.entity, log.c.entity_id,
                                  log.c.before, log.c.after).order_by(log.c.id)).all()
    for row in rows:
        seq += 1
        digest = row_digest(previous, seq, row.at, row.user, row.action, row.entity, row.entity_id, row.before,
                            row.after, naive_utc=True)
        bind.execute(log.update().where(log.c.id == row.id).values(seq=seq, row_hash=digest))
        previous = digest
    op.bulk_insert(chain, [{"id": 1, "seq": seq, "head_hash": previous}])


def downgrade() -> None:
    op.drop_table("audit_chain")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint("uq_audit_log_seq", type_="unique")
        batch.drop_column("row_hash")
        batch.drop_column("seq")

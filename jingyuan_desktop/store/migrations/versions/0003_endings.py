"""Version 2 of the rules (endings, owners, colours): stored events and derived columns follow.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

No table changes. Events written under the first rules are rewritten to the second:

- ``resolved`` kept ``on_site`` (true/false); it now keeps ``outcome``. ``on_site: true``
  becomes outcome ``on_site``; ``false`` leaves no outcome (the way was not recorded).
- ``arrived`` kept ``handlers``; it now keeps ``present``.
- ``cancelled`` kept a free-text ``reason``; it now keeps a code, and the text moves to the
  note: after a dispatch the case was not the office's remit (``not_our_remit``), before one
  it was entered in error (``entered_in_error``), as the exchange format reads version 1.
- The stored colour of a resolved case is blue (seed 003); its status is read again from the
  events, since a cancellation that is not void now owes the police its feedback.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CODES = {"duplicate", "entered_in_error", "not_our_remit"}
RESOLVED_STATUSES = ("resolved", "visited", "fed_back", "archived")


def _data(value):
    if value is None:
        return {}
    return dict(json.loads(value) if isinstance(value, str) else value)


def upgrade() -> None:
    bind = op.get_bind()
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
                      sa.column("seq", sa.Integer), sa.column("type", sa.String), sa.column("data", sa.JSON),
                      sa.column("note", sa.Text))
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("risk", sa.String),
                     sa.column("status", sa.String))
    dispatched_first = {
        row.case_id: row.seq
        for row in bind.execute(sa.select(events.c.case_id, sa.func.min(events.c.seq).label("seq"))
                                .where(events.c.type == "dispatched").group_by(events.c.case_id))
    }
    rows = bind.execute(sa.select(events.c.id, events.c.case_id, events.c.seq, events.c.type, events.c.data,
                                  events.c.note)
                        .where(events.c.type.in_(("resolved", "arrived", "cancelled")))).all()
    declined: set[int] = set()
    for row in rows:
        data, note = _data(row.data), row.note or ""
        if row.type == "resolved" and "on_site" in data:
            on_site = data.pop("on_site")
            if on_site is True:
                data["outcome"] = "on_site"
        elif row.type == "arrived" and "handlers" in data:
            data["present"] = data.pop("handlers")
        elif row.type == "cancelled" and data.get("reason") not in CODES:
            text = str(data.get("reason") or "").strip()
            after_dispatch = row.case_id in dispatched_first and dispatched_first[row.case_id] < row.seq
            data["reason"] = "not_our_remit" if after_dispatch else "entered_in_error"
            if text and text not in note:
                note = f"{text}；{note}" if note else text
            if after_dispatch:
                declined.add(row.case_id)
        else:
            continue
        bind.execute(events.update().where(events.c.id == row.id).values(data=data, note=note))
    bind.execute(cases.update().where(cases.c.status.in_(RESOLVED_STATUSES)).values(risk="blue"))
    if declined:
        ids = sorted(declined)
        for start in range(0, len(ids), 500):
            bind.execute(cases.update().where(cases.c.id.in_(ids[start:start + 500]), cases.c.status == "cancelled")
                         .values(status="declined"))


def downgrade() -> None:
    """The old rules cannot hold the new endings; a downgrade leaves the events as they are."""

"""The hash over one audit row, the same at write time, in the migration and at verification.

SHA-256 over the previous row's hash, the row's place in the chain and its content as
canonical JSON (sorted keys, instants as UTC ISO text). Anyone who edits, deletes or inserts a
row with an SQLite tool breaks the chain at that row; ``jingyuan audit --verify`` names it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

GENESIS = "0" * 64


@lru_cache(maxsize=64)  # an import's rows share one moment; equal instants give equal text
def _instant(moment: datetime, naive_utc: bool) -> str:
    if moment.tzinfo is None:
        if not naive_utc:
            raise ValueError("an audit time must be aware")
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json(value: Any) -> Any:
    if isinstance(value, str):  # a JSON column read by a raw query on SQLite
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# ``json.dumps`` with these options, made once: dumps builds an encoder per call otherwise.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_digest(previous: str, seq: int, at: datetime, user: str, action: str, entity: str, entity_id: str,
               before: Any, after: Any, *, naive_utc: bool = False) -> str:
    body = _CANONICAL.encode({"seq": seq, "at": _instant(at, naive_utc), "user": user, "action": action,
                              "entity": entity, "entity_id": entity_id, "before": _json(before),
                              "after": _json(after)})
    return hashlib.sha256(f"{previous}\n{body}".encode()).hexdigest()

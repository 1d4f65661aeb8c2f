"""The case table's count and first page read straight through SQLite's DB-API, for the start.

At start the clerk waits for the case table's rows; SQLAlchemy (its Core and ORM, the mapped
models) takes longer to import than a bare window takes to open. So the window's first page
and count are read here, over ``sqlite3`` alone, and the rest of the program is imported once
they are on screen. The rows are the ones ``case_queries.page_case_rows`` returns for the same
filter and order (a test holds them equal); what this module cannot answer (a search, 只看超时,
another database than a local file) it leaves to the usual path by answering None.

The sort keys and the filter's columns are declared once here and used by ``case_queries`` too.
Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.categories import CategoryTree
from jingyuan_desktop.domain.enums import EventType, Grade, Risk, Status
from jingyuan_desktop.domain.listing import CaseFilter, CaseRow
from jingyuan_desktop.store.revision import HEAD

# Sort keys that order codes by their meaning (simple < general < difficult), not their spelling.
RANKED_ORDERS: dict[str, list[str]] = {
    "grade": [g.value for g in Grade],
    "risk": [Risk.BLUE.value, Risk.YELLOW.value, Risk.RED.value],
    "status": [s.value for s in Status],
}
# Sort keys that are a column of ``cases`` as it is.
PLAIN_ORDERS = ("case_no", "received_at", "village", "category", "location")
# ``CaseFilter`` fields that are lists of codes, and the column of ``cases`` each restricts.
LIST_FILTERS = (("statuses", "status"), ("villages", "village"), ("categories", "category"), ("grades", "grade"),
                ("risks", "risk"), ("sources", "source"), ("case_nos", "case_no"))

# The columns of a line of the table, in ``page_case_rows``'s order.
_LINE = ("id", "case_no", "received_at", "village", "category", "grade", "risk", "status", "summary", "location",
         "version")


@dataclass(frozen=True)
class FirstPage:
    count: int
    rows: list[CaseRow]


def codes(values: Iterable) -> list[str]:
    return [getattr(v, "value", v) for v in values]


def answerable(filters: CaseFilter) -> bool:
    """Whether this module can read ``filters`` as the services would: a search or 只看超时
    depends on the stored copies being fresh, which only the services know."""
    return not (filters.text or "").strip() and filters.overdue_at is None


def _stored_moment(moment: datetime) -> str:
    """An aware moment as the database keeps it: naive UTC text (``base.UTCDateTime`` over
    SQLAlchemy's SQLite DATETIME)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime cannot be compared: {moment!r}")
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _read_moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone(TZ)


def _where(filters: CaseFilter) -> tuple[str, list]:
    conditions: list[str] = []
    params: list = []
    for name, column in LIST_FILTERS:
        values = getattr(filters, name)
        if values is None:
            continue
        wanted = codes(values)
        if not wanted:
            conditions.append("1 = 0")  # an empty list matches nothing
            continue
        conditions.append(f"{column} IN ({', '.join('?' * len(wanted))})")
        params += wanted
    if filters.received_from is not None:
        conditions.append("received_at >= ?")
        params.append(_stored_moment(filters.received_from))
    if filters.received_to is not None:
        conditions.append("received_at < ?")
        params.append(_stored_moment(filters.received_to))
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


def _order(order_by: str, descending: bool) -> tuple[str, list]:
    direction = "DESC" if descending else "ASC"
    if order_by in PLAIN_ORDERS:
        return f" ORDER BY {order_by} {direction}, id {direction}", []
    if order_by in RANKED_ORDERS:
        order = RANKED_ORDERS[order_by]
        whens = " ".join("WHEN ? THEN ?" for _ in order)
        params: list = [value for rank, code in enumerate(order) for value in (code, rank)]
        return f" ORDER BY CASE {order_by} {whens} ELSE ? END {direction}, id {direction}", [*params, len(order)]
    raise ValueError(f"cannot sort cases by {order_by!r}")


class QuickReader:
    """A read-only connection to a SQLite file, for the few questions asked before the window."""

    def __init__(self, path: Path, *, timeout_s: float = 2.0):
        # mode=ro: nothing is created or changed; a missing file is an error, not a new file.
        self.connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=timeout_s,
                                          check_same_thread=False)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> QuickReader:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _all(self, sql: str, params: Sequence = ()) -> list:
        with closing(self.connection.execute(sql, params)) as cursor:
            return cursor.fetchall()

    def revision_current(self) -> bool:
        """Whether the file is at this program's schema (else the usual path upgrades it)."""
        try:
            return HEAD is not None and [r[0] for r in self._all("SELECT version_num FROM alembic_version")] == [HEAD]
        except sqlite3.DatabaseError:
            return False

    def user_count(self) -> int:
        return int(self._all("SELECT count(*) FROM users")[0][0])

    def has_active_units(self, kinds: Iterable[str]) -> bool:
        wanted = codes(kinds)
        sql = f"SELECT 1 FROM units WHERE kind IN ({', '.join('?' * len(wanted))}) AND active = 1 LIMIT 1"
        return bool(self._all(sql, wanted))

    def unit_names(self, kinds: Iterable[str]) -> list[str]:
        """The active units of these kinds, in their order (as ``reference.list_units``)."""
        wanted = codes(kinds)
        sql = (f"SELECT name FROM units WHERE active = 1 AND kind IN ({', '.join('?' * len(wanted))}) "
               "ORDER BY sort_order, id")
        return [r[0] for r in self._all(sql, wanted)]

    def category_tree(self) -> CategoryTree:
        """The active categories (as ``reference.category_tree``)."""
        rows = self._all("SELECT id, name, parent_id FROM categories WHERE active = 1 ORDER BY sort_order, id")
        majors = {row_id: name for row_id, name, parent in rows if parent is None}
        tree: dict[str, list[str]] = {name: [] for name in majors.values()}
        for _row_id, name, parent in rows:
            if parent in majors:
                tree[majors[parent]].append(name)
        return CategoryTree(tree)

    def count(self, filters: CaseFilter) -> int:
        where, params = _where(filters)
        return int(self._all(f"SELECT count(id) FROM cases{where}", params)[0][0])

    def page(self, filters: CaseFilter, *, order_by: str, descending: bool, offset: int, limit: int) -> list[CaseRow]:
        """Rows ``offset`` to ``offset + limit`` of the filtered, sorted table (as
        ``case_queries.page_case_rows``)."""
        where, params = _where(filters)
        order, order_params = _order(order_by, descending)
        rows = self._all(f"SELECT {', '.join(_LINE)} FROM cases{where}{order} LIMIT ? OFFSET ?",
                         [*params, *order_params, limit, offset])
        dispatches = self._dispatches([r[0] for r in rows])
        result = []
        for (case_id, case_no, received_at, village, category, grade, risk, status, summary, location,
             version) in rows:
            data = dispatches.get(case_id, {})
            result.append(CaseRow(
                case_no=case_no, received_at=_read_moment(received_at), village=village, category=category,
                grade=Grade(grade), risk=Risk(risk) if risk else None, status=Status(status), summary=summary,
                location=location, handlers=tuple(data.get("handlers") or ()), leader=data.get("leader") or "",
                version=version,
            ))
        return result

    def _dispatches(self, case_ids: list[int]) -> dict[int, dict]:
        """The data of the dispatch event of each case (as ``case_queries._dispatches``)."""
        if not case_ids:
            return {}
        sql = (f"SELECT case_id, data FROM events WHERE case_id IN ({', '.join('?' * len(case_ids))}) "
               "AND type = ? ORDER BY seq")
        found: dict[int, dict] = {}
        for case_id, data in self._all(sql, [*case_ids, EventType.DISPATCHED.value]):
            if case_id not in found:
                found[case_id] = (json.loads(data) if data is not None else None) or {}
        return found

    def first_page(self, filters: CaseFilter, *, order_by: str, descending: bool, limit: int) -> FirstPage:
        return FirstPage(self.count(filters), self.page(filters, order_by=order_by, descending=descending,
                                                         offset=0, limit=limit))

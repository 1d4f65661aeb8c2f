"""Many rows into one table in one statement, as an import writes its cases and audit rows."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Column, Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from jingyuan_desktop.store.base import UTCDateTime

# Types whose conversion depends on the value alone, equal values converting alike: an instant
# to naive UTC text (equal instants are one instant; a naive time equals no aware one), a flag
# to 0 or 1. The moment of an import is in three columns of every case, and most are empty.
_BY_VALUE = (UTCDateTime, Boolean)


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """``session.execute(insert(table), rows)`` in the session's transaction, storing the same
    values: every row holds the same keys, the columns left out get what they would get there.

    On SQLite the statement is compiled once, each column's values are converted by that
    column type's own bind processor (as SQLAlchemy converts them), column by column, and the
    rows go to the driver's ``executemany``. SQLAlchemy's own executemany builds each row's
    parameters value by value, which at 10,000 cases of a hundred columns was half of the time
    of writing them. Other backends, and a column left out that has a default of SQLAlchemy's
    to fill in, take SQLAlchemy's executemany."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    plan = _plan(table, tuple(rows[0]), dialect) if dialect.name == "sqlite" else None
    if plan is None:
        session.execute(insert(table), rows)
        return
    sql, order, processors = plan
    params = list(map(itemgetter(*order), rows)) if len(order) > 1 else [(row[order[0]],) for row in rows]
    if processors:
        columns = list(zip(*params, strict=True))
        for index, process, by_value in processors:
            if by_value:  # each distinct value converted once
                converted = {value: process(value) for value in set(columns[index])}
                columns[index] = tuple(map(converted.__getitem__, columns[index]))
            else:
                columns[index] = tuple(map(process, columns[index]))
        params = list(zip(*columns, strict=True))
    session.connection().exec_driver_sql(sql, params)


_Plan = tuple[str, tuple[str, ...], tuple[tuple[int, Callable[[Any], Any], bool], ...]]


@lru_cache(maxsize=64)
def _plan(table: Table, keys: tuple[str, ...], dialect: Dialect) -> _Plan | None:
    """The INSERT of ``keys`` into ``table`` compiled for ``dialect``, the order of its
    parameters and each column's converter: made once per table and set of keys (compiling
    it each time was a quarter of the time of writing one audit row). None when SQLAlchemy's
    own executemany must do it (a default of SQLAlchemy's to fill in, escaped names)."""
    if any(_filled_in(column) for column in table.columns if column.key not in keys):
        return None
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    order = compiled.positiontup
    if order is None or sorted(order) != sorted(keys) or compiled.escaped_bind_names:
        return None
    processors = tuple((index, process, isinstance(table.c[key].type, _BY_VALUE)) for index, key in enumerate(order)
                       if (process := table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) is not None)
    return compiled.string, tuple(order), processors


def _filled_in(column: Column) -> bool:
    """Whether SQLAlchemy supplies a value for ``column`` when an INSERT leaves it out."""
    return column.default is not None or column.onupdate is not None

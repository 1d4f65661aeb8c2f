"""The window's start: when its first page of cases may be read before SQLAlchemy is imported.

What the clerk waits for at start is the case table with its rows. Importing SQLAlchemy, the
mapped models and the services takes longer than a bare window takes to open, so when it is
safe the window shows its first page read through SQLite's DB-API (``store.case_rows``) and
the rest is imported and opened right after (``open_context``). It is safe when nothing has
to come before the table:

- the database is a file on this PC's own disk, already at this program's schema (a network
  file is shared, and wants accounts; another revision is upgraded first, with a copy);
- it holds no accounts (with accounts the login dialog comes first, then the usual reads);
- it holds villages (an empty database goes to the first-run dialog);
- the table's filter is one the plain read answers the same way (no search, no 只看超时).

Otherwise ``quick_start`` answers None and the window starts as before. This module imports
neither SQLAlchemy nor the mapped models.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jingyuan_desktop.domain.categories import CategoryTree
from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.store.case_rows import FirstPage, QuickReader, answerable
from jingyuan_desktop.store.location import local_sqlite_file

if TYPE_CHECKING:
    from jingyuan_desktop.services.context import AppContext

logger = logging.getLogger(__name__)

# The units a first run creates; without any, the window starts with the first-run dialog.
VILLAGE_KINDS = (UnitKind.VILLAGE, UnitKind.COMMUNITY)


class QuickStart:
    """The window's first page of cases, read once without SQLAlchemy (see the module)."""

    def __init__(self, path: Path):
        self.path = path

    def first_page(self, filters: CaseFilter, *, order_by: str, descending: bool, limit: int) -> FirstPage | None:
        """The count and first page for ``filters``, as ``queries.count_cases`` and
        ``queries.page_cases`` answer while no account exists; None when the plain read
        cannot answer this filter, or the file cannot be read now (the usual path then does)."""
        if not answerable(filters):
            return None
        try:
            with QuickReader(self.path) as reader:
                return reader.first_page(filters, order_by=order_by, descending=descending, limit=limit)
        except (sqlite3.Error, ValueError) as error:
            logger.info("the first page was not read before the database layer: %s", error)
            return None


    def choices(self) -> tuple[list[str], CategoryTree] | None:
        """The filter bar's villages and category tree, as ``queries.units`` and
        ``queries.category_tree`` answer; None when the file cannot be read now."""
        try:
            with QuickReader(self.path) as reader:
                return reader.unit_names(VILLAGE_KINDS), reader.category_tree()
        except sqlite3.Error as error:
            logger.info("the filter's choices were not read before the database layer: %s", error)
            return None


def quick_start(db: str | None) -> QuickStart | None:
    """A ``QuickStart`` when the window may show its first rows before the database layer is
    imported; None when something must come first (see the module)."""
    path = local_sqlite_file(db)
    if path is None or not path.is_file():
        return None
    try:
        with QuickReader(path) as reader:
            if not reader.revision_current():
                return None
            if reader.user_count() > 0:
                return None  # the login dialog comes first
            if not reader.has_active_units(VILLAGE_KINDS):
                return None  # the first-run dialog comes first
    except sqlite3.Error as error:  # locked, not a database, another schema: the usual path says so
        logger.info("the window starts the usual way: %s", error)
        return None
    return QuickStart(path)


def open_context(db: str | None, *, user: str, now: Callable[[], datetime] | None = None) -> AppContext:
    """The context every service needs, opened as ``AppContext.open`` does (the schema's version
    checked), with the mappers configured by a first question: for the worker thread that opens
    it while the window already shows its rows."""
    from jingyuan_desktop.services.context import AppContext, system_now

    ctx = AppContext.open(db, user=user, now=now or system_now)
    try:
        ctx.accounts_exist()
    except BaseException:
        ctx.db.dispose()
        raise
    return ctx

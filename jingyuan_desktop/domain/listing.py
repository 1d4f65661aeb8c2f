"""What the case list asks for and what one of its lines holds.

Plain values shared by every layer: the window builds a ``CaseFilter``, the services pass it
on, the store turns it into SQL and answers with ``CaseRow``s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from jingyuan_desktop.domain.enums import Grade, Risk, Status


@dataclass(frozen=True)
class CaseFilter:
    """What the case table shows. None means no restriction; an empty list matches nothing.

    ``received_to`` is exclusive. ``text`` is a substring of the case number, summary,
    location, or a party's name or phone.
    """

    statuses: Iterable[str] | None = None
    villages: Iterable[str] | None = None
    categories: Iterable[str] | None = None
    grades: Iterable[str] | None = None
    risks: Iterable[str] | None = None
    sources: Iterable[str] | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    text: str | None = None
    # Only cases with a clock overdue at this moment ("只看超时"), read off the stored clocks.
    overdue_at: datetime | None = None
    # Only these case numbers (what "只看超时" narrows to while stored clocks are being redone).
    case_nos: Iterable[str] | None = None
    # ``text`` looked for in the stored ``search_text`` (``search_text`` below) rather than in
    # each column and the parties: set by the services while the stored copies are fresh.
    text_stored: bool = False


# Between the fields of ``search_text``: no one types it, so no match spans two fields.
SEARCH_SEPARATOR = "\x1f"


# Latin capitals to small letters, and nothing else: what both databases' plain lower() does
# alike (SQLite's knows only ASCII), so that a migration can fold stored texts the same way.
_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def search_key(text: str) -> str:
    """``text`` as the stored search text is kept: Latin letters in small (a case number typed
    as fz-2026 finds FZ-2026), Chinese as it is."""
    return text.translate(_ASCII_FOLD)


def search_text(case_no: str, summary: str, location: str, parties: Iterable[tuple[str, str]]) -> str:
    """What the search box looks in, as one text: the case number, summary, place, and each
    party's name and phone (``CaseFilter.text``), kept on the case row so a search is one
    case-sensitive LIKE of ``search_key(typed)`` (PostgreSQL's ILIKE took twice as long)."""
    fields = [case_no, summary, location]
    for name, phone in parties:
        fields += [name, phone]
    return search_key(SEARCH_SEPARATOR.join(fields))


@dataclass(frozen=True)
class CaseRow:
    """One line of the case table; grade, risk and status are the current ones."""

    case_no: str
    received_at: datetime
    village: str
    category: str
    grade: Grade
    risk: Risk | None
    status: Status
    summary: str
    location: str
    handlers: tuple[str, ...]  # from the dispatch, leader first as entered
    leader: str
    version: int

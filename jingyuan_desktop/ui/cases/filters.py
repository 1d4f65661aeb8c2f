"""What the filter bar asks for, kept apart from the store's CaseFilter so it can be saved
in QSettings as JSON and turned into a CaseFilter for a given day (本周 moves with the date)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from jingyuan_desktop.domain.listing import CaseFilter

if TYPE_CHECKING:
    from jingyuan_desktop.domain.categories import CategoryTree

# The risk filter's value for cases not yet classified (no colour, 未定); the store keeps "".
NO_RISK = "none"
PERIODS = {"all": "全部", "week": "本周", "month": "本月", "year": "本年", "custom": "自定义"}


@dataclass
class TableFilter:
    statuses: list[str] = field(default_factory=list)
    village: str = ""
    category: str = ""
    grade: str = ""
    risk: str = ""
    period: str = "all"
    date_from: str = ""  # ISO dates, only for the custom period
    date_to: str = ""
    text: str = ""
    overdue_only: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> TableFilter:
        known = cls.__dataclass_fields__
        try:
            return cls(**{k: v for k, v in (data or {}).items() if k in known})
        except TypeError:  # a settings file from another version: start clean
            return cls()

    def dates(self, today: date) -> tuple[date | None, date | None]:
        """The local dates [first, last] of the chosen period."""
        if self.period == "week":
            return today - timedelta(days=today.weekday()), today
        if self.period == "month":
            return today.replace(day=1), today
        if self.period == "year":
            return today.replace(month=1, day=1), today
        if self.period == "custom":
            first = date.fromisoformat(self.date_from) if self.date_from else None
            last = date.fromisoformat(self.date_to) if self.date_to else None
            return first, last
        return None, None

    def to_case_filter(self, today: date, tree: CategoryTree | None = None) -> CaseFilter:
        """The store's filter for ``today``; a major category also matches its minor classes."""
        first, last = self.dates(today)
        low, high = None, None
        if first is not None or last is not None:
            from jingyuan_desktop.services.stats import period_bounds  # the database layer: not at start

            low, high = period_bounds(first, last)
        categories = None
        if self.category:
            minors = tree.tree.get(self.category, ()) if tree else ()
            categories = [self.category, *minors]
        return CaseFilter(
            statuses=list(self.statuses) or None,
            villages=[self.village] if self.village else None,
            categories=categories,
            grades=[self.grade] if self.grade else None,
            risks=([""] if self.risk == NO_RISK else [self.risk]) if self.risk else None,
            received_from=low,
            received_to=high,
            text=self.text.strip() or None,
        )

"""Working days: China's statutory calendar with make-up days, plus the office's own dates.

The statutory part comes from the ``chinesecalendar`` package, which only knows the years
the State Council has announced. For a date it does not cover and the office has not entered,
Monday to Friday count as working days, and the year is remembered in ``uncovered_years`` so
that the window and the command line can say so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")

StatutoryLookup = Callable[[date], "bool | None"]


def chinese_statutory(day: date) -> bool | None:
    """Working day per the statutory calendar, or None where the package has no data."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def statutory_version() -> str:
    """Which edition of the statutory calendar is in use: a new one may move holidays."""
    import chinese_calendar

    return str(getattr(chinese_calendar, "__version__", "unknown"))


class WorkCalendar:
    """Answers whether a date is a working day; the office's overrides win over the law."""

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        statutory: StatutoryLookup = chinese_statutory,
    ):
        self.overrides = dict(overrides or {})
        self._statutory = statutory
        self._cache: dict[date, bool] = {}
        self.uncovered_years: set[int] = set()

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        answer = self._statutory(day)
        if answer is None:
            self.uncovered_years.add(day.year)
            answer = day.weekday() < 5
        self._cache[day] = answer
        return answer

    def is_covered(self, day: date) -> bool:
        return day in self.overrides or self._statutory(day) is not None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        candidate = day + timedelta(days=1)
        for _ in range(366):
            if self.is_working_day(candidate):
                return candidate
            candidate += timedelta(days=1)
        raise ValueError("一年内没有任何工作日，请检查节假日设置")

    def nth_working_day_after(self, day: date, n: int) -> date:
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, first: date, last: date) -> list[date]:
        """Working days d with first <= d <= last."""
        days = []
        day = first
        while day <= last:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def uncovered_warning(self) -> str | None:
        if not self.uncovered_years:
            return None
        years = "、".join(str(y) for y in sorted(self.uncovered_years))
        return (
            f"注意：{years}年的法定节假日安排尚未载入，暂按周一至周五为工作日计算；"
            "请在“基础数据与设置—节假日与调休”中补录。"
        )


def local(moment: datetime) -> datetime:
    """The same instant in Asia/Shanghai; naive datetimes are taken as already local."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def at_local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=TZ)


def end_of_day(day: date) -> datetime:
    """24:00 of ``day``, i.e. 00:00 of the next day."""
    return at_local(day + timedelta(days=1), time(0, 0))

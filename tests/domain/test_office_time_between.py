"""Office time between two moments: what the intake form's dispatch clock counts down.

2026 facts: Friday 18 September, then the make-up working Sunday 20 September; 1-7 October is
the National Day holiday and Saturday 10 October a make-up working day.
"""

from datetime import timedelta

import pytest

from jingyuan_desktop.domain.calendar import WorkCalendar
from jingyuan_desktop.domain.clocks import ClockSettings, add_office_minutes, office_time_between

from .conftest import t

SETTINGS = ClockSettings()
CALENDAR = WorkCalendar()


@pytest.mark.parametrize("start, end, minutes", [
    ("2026-11-18 10:00", "2026-11-18 10:05", 5),  # a Wednesday, in hours
    ("2026-11-18 16:58", "2026-11-18 17:00", 2),  # up to 17:00 exactly
    ("2026-11-18 16:58", "2026-11-19 08:33", 5),  # the night does not count
    ("2026-11-18 17:00", "2026-11-19 08:30", 0),  # closed from 17:00 sharp to the opening
    ("2026-11-18 22:00", "2026-11-19 08:35", 5),
    ("2026-11-20 16:58", "2026-11-23 08:33", 5),  # Friday to Monday: the weekend does not count
    ("2026-09-18 16:58", "2026-09-20 08:33", 5),  # Friday to the make-up Sunday
    ("2026-09-30 16:58", "2026-10-08 08:33", 5),  # across the National Day holiday
    ("2026-10-09 16:58", "2026-10-10 08:33", 5),  # to the make-up Saturday
])
def test_only_office_minutes_count(start, end, minutes):
    assert office_time_between(t(start), t(end), CALENDAR, SETTINGS) == timedelta(minutes=minutes)


def test_time_past_the_limit_is_negative_office_time():
    assert office_time_between(t("2026-11-19 08:40"), t("2026-11-18 16:58"), CALENDAR, SETTINGS) == \
        -timedelta(minutes=12)


@pytest.mark.parametrize("received", ["2026-11-18 16:58", "2026-11-20 16:59", "2026-09-30 16:57",
                                      "2026-11-21 11:00", "2026-11-18 17:00"])
def test_it_agrees_with_the_dispatch_deadline(received):
    due = add_office_minutes(t(received), SETTINGS.dispatch_office_minutes, CALENDAR, SETTINGS)
    assert office_time_between(t(received), due, CALENDAR, SETTINGS) == timedelta(minutes=5)

"""Office time at its edges, on the real statutory calendar of 2026.

2026 facts used here: 1-7 October is the National Day holiday; Sunday 20 September and
Saturday 10 October are make-up working days.
"""

from datetime import UTC, date, datetime, time

import pytest

from jingyuan_desktop.domain.calendar import WorkCalendar
from jingyuan_desktop.domain.clocks import ClockSettings, add_office_minutes, in_office_time

from .conftest import t

SETTINGS = ClockSettings()


@pytest.mark.parametrize(
    "moment, inside",
    [
        ("2026-11-18 10:00", True),  # a plain Wednesday morning
        ("2026-11-18 08:30", True),  # opening time belongs to the office day
        ("2026-11-18 08:29:59", False),
        ("2026-11-18 16:59:59", True),
        ("2026-11-18 17:00", False),  # at 17:00 sharp the office is already closed
        ("2026-11-18 02:00", False),  # night before a working day
        ("2026-11-18 23:40", False),  # late evening
        ("2026-11-21 10:00", False),  # Saturday
        ("2026-11-22 10:00", False),  # Sunday
        ("2026-10-03 10:00", False),  # National Day holiday, though a Saturday anyway
        ("2026-10-05 10:00", False),  # National Day holiday on a Monday
        ("2026-10-10 09:00", True),  # make-up Saturday
        ("2026-09-20 16:59", True),  # make-up Sunday
        ("2026-09-20 17:00", False),  # its closing time is the usual one
    ],
)
def test_office_time_at_its_edges(moment, inside):
    calendar = WorkCalendar()
    assert in_office_time(t(moment), calendar, SETTINGS) is inside
    # The same office time the dispatch clock counts: inside it, zero office minutes move nothing.
    assert (add_office_minutes(t(moment), 0, calendar, SETTINGS) == t(moment)) is inside
    assert not calendar.uncovered_years


def test_a_time_given_in_another_zone_is_judged_in_beijing_time():
    calendar = WorkCalendar()
    assert in_office_time(datetime(2026, 11, 18, 1, 0, tzinfo=UTC), calendar, SETTINGS)  # 09:00 in Beijing
    assert not in_office_time(datetime(2026, 11, 18, 9, 0, tzinfo=UTC), calendar, SETTINGS)  # 17:00 in Beijing


def test_office_dates_and_hours_are_the_office_s_own():
    calendar = WorkCalendar(overrides={date(2026, 11, 19): False, date(2026, 11, 21): True})
    assert not in_office_time(t("2026-11-19 10:00"), calendar, SETTINGS)  # a Thursday the office closed
    assert in_office_time(t("2026-11-21 10:00"), calendar, SETTINGS)  # a Saturday the office opened
    late = ClockSettings(office_start=time(9, 0), office_end=time(17, 30))
    assert not in_office_time(t("2026-11-18 08:45"), calendar, late)
    assert in_office_time(t("2026-11-18 17:15"), calendar, late)

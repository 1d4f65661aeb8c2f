"""Base data and settings the office edits: units, people, categories, clocks, calendar, office.

Each function checks what it is given, refuses in Chinese, and writes through the repository
in one transaction, so that every change leaves its audit row. Names that cases carry as text
(the village, the category) are never changed under existing cases: a rename that would cut
cases off from their unit or category is refused with the way round it.
"""

from jingyuan_desktop.services.admin.calendar import calendar_entries, set_calendar_override
from jingyuan_desktop.services.admin.categories import save_category_tree
from jingyuan_desktop.services.admin.clocks import (
    CLOCK_LABELS,
    CLOCK_LIMITS,
    CLOCK_SETTING_LABELS,
    MAY_BE_ZERO,
    ClockSettingLabel,
    check_clock_settings,
    save_clock_settings,
)
from jingyuan_desktop.services.admin.names import NAME_LIMIT, VILLAGE_KINDS
from jingyuan_desktop.services.admin.office import FONT_SUFFIXES, OFFICE_FIELDS, save_office
from jingyuan_desktop.services.admin.people import PersonEntry, person_entries, record_reveal, save_person
from jingyuan_desktop.services.admin.units import UnitEntry, save_unit, unit_entries
from jingyuan_desktop.services.admin.village_sheet import (
    KIND_WORDS,
    SHEET_HEADERS,
    UnitSheet,
    import_units_sheet,
    read_units_sheet,
)

__all__ = [
    "CLOCK_LABELS", "CLOCK_LIMITS", "CLOCK_SETTING_LABELS", "FONT_SUFFIXES", "KIND_WORDS", "MAY_BE_ZERO",
    "NAME_LIMIT", "OFFICE_FIELDS", "SHEET_HEADERS", "VILLAGE_KINDS", "ClockSettingLabel", "PersonEntry",
    "UnitEntry", "UnitSheet", "calendar_entries", "check_clock_settings", "import_units_sheet", "person_entries",
    "read_units_sheet", "record_reveal", "save_category_tree", "save_clock_settings", "save_office",
    "save_person", "save_unit", "set_calendar_override", "unit_entries",
]

"""The moment every demo database is built at and every measure is taken at.

Kept apart from the operations so that the window's child processes (benchmarks/gui.py) can
read it without importing the services they do not use: their import time is measured.
"""

from __future__ import annotations

from datetime import datetime

from jingyuan_desktop.domain.calendar import TZ

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)

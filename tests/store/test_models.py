"""Every table is declared where the migrations look for it."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(statement: str) -> set[str]:
    """The program's modules a fresh interpreter holds after running ``statement``."""
    code = f"import sys\n{statement}\nprint('\\n'.join(m for m in sys.modules if m.startswith('jingyuan_desktop')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_models_module_alone_declares_every_table_the_migrations_compare():
    statement = ("from jingyuan_desktop.store.models import Base\n"
                 "assert {'meetings', 'grids', 'key_persons', 'patrols'} <= set(Base.metadata.tables)")
    store_modules = {m for m in loaded_after(statement) if m.startswith("jingyuan_desktop.store.")}
    # The prevention half's tables and the shared base come with it; no query module does.
    assert store_modules == {"jingyuan_desktop.store.models", "jingyuan_desktop.store.base",
                             "jingyuan_desktop.store.prevention_models"}


def test_the_meeting_minutes_module_uses_the_table_of_the_models_module():
    from jingyuan_desktop.store import meetings, models

    assert meetings.MeetingModel is models.MeetingModel

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc
import itertools
import shutil
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QSettings, QThreadPool

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import EventType, Grade, PartyRole, Risk, UnitKind
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import queries, setup
from jingyuan_desktop.services.context import AppContext


@pytest.fixture(scope="session", autouse=True)
def collect_in_the_ui_thread(qapp):
    """As the program does (ui/gc_guard.py): no garbage collection in a worker thread."""
    from jingyuan_desktop.ui import gc_guard

    gc_guard.install(qapp)


# A Wednesday, inside office hours, in a year the statutory calendar covers.
FIXED = datetime(2025, 6, 11, 10, 0, tzinfo=TZ)


def fixed_now() -> datetime:
    return FIXED


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """A message box nobody expected is recorded, never shown: a modal box in a test would wait
    for a click forever. Tests that look at the boxes patch them again, and theirs win."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def box(answer):
        return lambda _parent, title, text, *_args, **_kwargs: shown.append((title, text)) or answer

    monkeypatch.setattr(QMessageBox, "warning", box(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", box(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", box(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", box(QMessageBox.StandardButton.No))
    return shown


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """One demo database per test run; each test works on its own copy of the file."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    ctx = AppContext.open(str(path), now=fixed_now)
    setup.load_demo(ctx, cases=200, seed=1)
    ctx.db.engine.dispose()
    return path


@pytest.fixture
def ctx(demo_template, tmp_path):
    path = tmp_path / "t.db"
    shutil.copy(demo_template, path)
    context = AppContext.open(str(path), now=fixed_now)
    yield context
    QThreadPool.globalInstance().waitForDone(10_000)
    context.db.engine.dispose()


@pytest.fixture
def ops(ctx, qtbot):
    from jingyuan_desktop.ui.ops import Operations

    operations = Operations(ctx)
    yield operations
    QThreadPool.globalInstance().waitForDone(10_000)
    gc.collect()  # this test's widgets and relays go now, in this thread


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


_made = itertools.count(1)


def new_case(ctx, *, risk=Risk.BLUE, minutes_ago=30, phone=None, summary="测试纠纷", location=None,
             category=None) -> str:
    """A fresh case received ``minutes_ago`` before FIXED; returns its number.

    Its caller's phone and its place are its own unless given: two cases with the same phone,
    or the same place in the same village, make the later one a repeat call, which must go
    through the office's 研判 before it is dispatched (seed 002).
    """
    number = next(_made)
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    station = queries.units(ctx, UnitKind.POLICE_STATION)[0].name
    category = category or queries.category_tree(ctx).names()[1]
    case = Case(received_at=FIXED - timedelta(minutes=minutes_ago), village=village, summary=summary,
                category=category, grade=Grade.GENERAL, risk=risk, police_incident_no=f"JQ-T-{minutes_ago}-{risk}",
                police_station=station, location=location or f"测试地点{number}号",
                parties=[Party("王小明", phone or f"166{number:08d}", role=PartyRole.CALLER)])
    return case_service.intake(ctx, case).case_no


def record(ctx, case_no: str, kind: EventType, minutes_ago: int, **data) -> None:
    _case, version = case_service.get_case(ctx, case_no)
    case_service.record_event(ctx, case_no, Event(kind, FIXED - timedelta(minutes=minutes_ago), by="测试", data=data),
                              version)


def dispatch(ctx, case_no: str, minutes_ago: int = 25, handlers=("甲", "乙")) -> None:
    record(ctx, case_no, EventType.DISPATCHED, minutes_ago, handlers=list(handlers), leader=handlers[0])

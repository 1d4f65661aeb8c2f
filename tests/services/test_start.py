"""The window's start reads its first page before the database layer (services.start): the same
rows, count and choices as the services' own reads, and only when nothing must come first."""

import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import Grade, Risk, Status, UnitKind
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.services import accounts, queries, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.start import quick_start
from jingyuan_desktop.store.case_rows import QuickReader

NOW = datetime(2025, 6, 11, 10, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("start") / "demo.db"
    ctx = AppContext.open(str(path), now=lambda: NOW)
    setup.load_demo(ctx, cases=150, seed=3)
    ctx.db.dispose()
    return path


@pytest.fixture
def ctx(demo_file):
    context = AppContext.open(str(demo_file), now=lambda: NOW)
    yield context
    context.db.dispose()


def filters_to_try(ctx):
    villages = [u.name for u in queries.units(ctx, UnitKind.VILLAGE, UnitKind.COMMUNITY)]
    yield CaseFilter()
    yield CaseFilter(villages=villages[:1])
    yield CaseFilter(statuses=[s.value for s in Status if s.is_open])
    yield CaseFilter(grades=[Grade.DIFFICULT.value], risks=[Risk.RED.value, ""])
    yield CaseFilter(received_from=NOW - timedelta(days=90), received_to=NOW - timedelta(days=10))
    yield CaseFilter(villages=[])  # an empty list matches nothing


@pytest.mark.parametrize("order_by", ["received_at", "case_no", "village", "grade", "risk", "status", "location"])
@pytest.mark.parametrize("descending", [True, False])
def test_the_first_page_is_the_services_page(ctx, demo_file, order_by, descending):
    quick = quick_start(str(demo_file))
    assert quick is not None
    for filters in filters_to_try(ctx):
        first = quick.first_page(filters, order_by=order_by, descending=descending, limit=40)
        assert first is not None
        assert first.count == queries.count_cases(ctx, filters)
        assert first.rows == queries.page_cases(ctx, filters, order_by=order_by, descending=descending, limit=40)


def test_later_pages_read_the_same_rows_too(ctx, demo_file):
    with QuickReader(demo_file) as reader:
        for offset in (0, 40, 120):
            assert reader.page(CaseFilter(), order_by="received_at", descending=True, offset=offset, limit=40) == \
                queries.page_cases(ctx, CaseFilter(), offset=offset, limit=40)


def test_the_filter_s_choices_are_the_services_choices(ctx, demo_file):
    villages, tree = quick_start(str(demo_file)).choices()
    assert villages == [u.name for u in queries.units(ctx, UnitKind.VILLAGE, UnitKind.COMMUNITY)]
    assert tree.tree == queries.category_tree(ctx).tree


def test_a_search_or_overdue_only_is_left_to_the_services(demo_file):
    quick = quick_start(str(demo_file))
    assert quick.first_page(CaseFilter(text="纠纷"), order_by="received_at", descending=True, limit=40) is None
    assert quick.first_page(CaseFilter(overdue_at=NOW), order_by="received_at", descending=True, limit=40) is None


def test_accounts_mean_the_login_comes_first(demo_file, tmp_path):
    path = tmp_path / "accounts.db"
    shutil.copy(demo_file, path)
    assert quick_start(str(path)) is not None
    ctx = AppContext.open(str(path), now=lambda: NOW)
    accounts.add_user(ctx, "管理员甲", "admin", "secret-123")
    ctx.db.dispose()
    assert quick_start(str(path)) is None


def test_a_first_run_an_upgrade_a_url_or_no_file_start_the_usual_way(demo_file, tmp_path):
    empty = tmp_path / "empty.db"
    AppContext.open(str(empty), now=lambda: NOW).db.dispose()  # the schema, no villages
    assert quick_start(str(empty)) is None
    older = tmp_path / "older.db"
    shutil.copy(demo_file, older)
    import sqlite3

    with sqlite3.connect(older) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert quick_start(str(older)) is None
    assert quick_start(f"sqlite:///{demo_file}") is None
    assert quick_start(str(tmp_path / "missing.db")) is None
    assert not (tmp_path / "missing.db").exists()  # nothing created


def test_the_copies_kept_without_the_database_layer_match_their_sources():
    from jingyuan_desktop.services import case_list, context, deadlines
    from jingyuan_desktop.store import derived

    assert set(deadlines.LIVE_STATUSES) == case_list.LIVE_STATUSES
    assert context.CLOCK_SETTINGS_KEY == derived.CLOCK_SETTINGS_KEY


def test_the_window_shows_its_first_rows_before_sqlalchemy_is_imported(demo_file, tmp_path):
    code = ("import sys\n"
            "from jingyuan_desktop.ui.app import make_application, open_window\n"
            "from PySide6.QtCore import QSettings\n"
            "app = make_application()\n"
            f"window = open_window({str(demo_file)!r}, settings=QSettings({str(tmp_path / 'w.ini')!r}, "
            "QSettings.Format.IniFormat), backup=False)\n"
            "print(window.model.loaded, window.model.rowCount() > 0, window.filter_bar.choices_loaded, "
            "'sqlalchemy' in sys.modules)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JINGYUAN_LOG_DIR": str(tmp_path / "logs")}
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                           timeout=120).stdout.strip()
    assert found == "True True True False"

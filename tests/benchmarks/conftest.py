"""One small demo database for the harness's tests, built by the harness's own builder so that
``run.main`` with the same ``--folder`` reuses it instead of building again."""

import pytest

from benchmarks.databases import demo_database
from benchmarks.moment import NOW
from benchmarks.operations import Bench
from jingyuan_desktop.services.context import AppContext

CASES = 200


@pytest.fixture(scope="session")
def bench_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    demo_database(folder, cases=CASES, seed=1, now=NOW)
    return folder


@pytest.fixture(scope="session")
def bench_db(bench_folder):
    return str(next(bench_folder.glob("bench-*.db")))


@pytest.fixture
def ctx(bench_db):
    context = AppContext.open(bench_db, now=lambda: NOW, user="benchmark")
    yield context
    context.db.dispose()


@pytest.fixture
def bench(ctx, bench_db, bench_folder):
    harness = Bench(ctx, bench_db, bench_folder, import_rows=40)
    yield harness
    harness.close()

"""The benchmark harness runs end to end at a tiny size and reports every operation as ratios.
(No time is asserted: speed is read from the harness's report, not from tests.)"""

import json

from benchmarks import run
from benchmarks.operations import SEARCHES, SORT_COLUMNS


def test_the_harness_measures_every_operation_at_two_sizes(tmp_path):
    out = tmp_path / "out"
    assert run.main(["--cases", "120", "--baseline-cases", "40", "--repeat", "1",
                     "--folder", str(tmp_path / "dbs"), "--out", str(out)]) == 0
    result = json.loads((out / "results-120.json").read_text(encoding="utf-8"))
    names = [row["operation"] for row in result["rows"]]
    expected = {"open_and_count", "table_overdue_only", "timer_panel_load", "stats_year_by_village", "ledger_month"}
    expected |= {f"table_search_{where}" for where in SEARCHES} | {f"table_sort_{c}" for c in SORT_COLUMNS}
    assert expected <= set(names)
    for row in result["rows"]:
        assert row["ms"] > 0 and row["baseline_ms"] > 0 and row["x_sql"] > 0
    assert result["process_peak_mb"] > 0
    assert "| table_search_party |" in (out / "results-120.md").read_text(encoding="utf-8")
    # The databases are kept: a second run reuses them instead of building again.
    assert len(list((tmp_path / "dbs").glob("bench-*.db"))) == 2


def test_a_database_given_by_url_is_filled_once_and_measured_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'given.db'}"
    out = tmp_path / "out"
    for _ in range(2):  # the second run finds the cases there and does not add more
        assert run.main(["--db", url, "--cases", "60", "--repeat", "1", "--quick", "--only", "table_count",
                         "--out", str(out)]) == 0
    result = json.loads((out / "results-60-db.json").read_text(encoding="utf-8"))
    rows = {row["operation"]: row for row in result["rows"]}
    assert set(rows) == {"sql_count", "sql_newest_page", "table_count"}
    assert rows["table_count"]["baseline_ms"] is None and rows["table_count"]["x_sql"] > 0

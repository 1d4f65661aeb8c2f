"""The benchmark harness runs end to end at a tiny size and reports every operation as ratios.
(No time is asserted: speed is read from the harness's report, not from tests.)"""

import json

from benchmarks import run


def test_the_harness_measures_every_operation_at_two_sizes(tmp_path):
    out = tmp_path / "out"
    assert run.main(["--cases", "120", "--baseline-cases", "40", "--repeat", "1",
                     "--folder", str(tmp_path / "dbs"), "--out", str(out)]) == 0
    result = json.loads((out / "results-120.json").read_text(encoding="utf-8"))
    names = [row["operation"] for row in result["rows"]]
    assert {"table_search_text", "table_overdue_only", "timer_panel_load", "stats_year_by_village"} <= set(names)
    for row in result["rows"]:
        assert row["ms"] > 0 and row["baseline_ms"] > 0 and row["x_sql"] > 0
    assert "| table_search_text |" in (out / "results-120.md").read_text(encoding="utf-8")
    # The databases are kept: a second run reuses them instead of building again.
    assert len(list((tmp_path / "dbs").glob("bench-*.db"))) == 2

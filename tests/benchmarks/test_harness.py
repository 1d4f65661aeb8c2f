"""``python -m benchmarks.run`` keeps its contract: with ``--jsonl`` one JSON object per measure
on stdout and nothing else, with exactly the issue's keys and ``ratio = ms / baseline_ms``;
without it a table saying whether each line is within its target. The window measures run
in their child processes end to end. (No time is asserted: speed is read from the report.)"""

import json

from benchmarks import run
from benchmarks.operations import SPEC

from .conftest import CASES

KEYS = {"name", "ms", "baseline_name", "baseline_ms", "ratio", "target", "peak_mb"}


def jsonl(capsys, bench_folder, tmp_path, *only: str) -> tuple[list[dict], str]:
    code = run.main(["--cases", str(CASES), "--jsonl", "--repeat", "1", "--import-rows", "30",
                     "--folder", str(bench_folder), "--out", str(tmp_path / "out"), "--only", *only])
    assert code == 0
    out, err = capsys.readouterr()
    return [json.loads(text) for text in out.splitlines()], err


def check_lines(lines: list[dict]) -> None:
    for line in lines:
        assert set(line) == KEYS
        assert line["ratio"] == line["ms"] / line["baseline_ms"]
        spec = SPEC[line["name"]]
        assert (line["baseline_name"], line["target"]) == (spec.baseline, spec.target)
        assert isinstance(line["target"], (int, float)) and line["ms"] > 0 and line["baseline_ms"] > 0
        assert line["peak_mb"] is None or line["peak_mb"] >= 0


def test_jsonl_prints_one_contract_line_per_measure_and_nothing_else(capsys, bench_folder, tmp_path):
    lines, err = jsonl(capsys, bench_folder, tmp_path, "timer", "table", "stats", "slip", "import")
    assert [line["name"] for line in lines] == ["timer_panel_load", "table_overdue_only", "stats_year_by_village",
                                                "table_search_text", "slip_pdf", "import_10k_xlsx"]
    check_lines(lines)
    assert all(line["peak_mb"] is not None for line in lines)  # in-process: tracemalloc's peak
    assert "reusing bench-" in err and "timer_panel_load" in err  # progress went to stderr
    saved = json.loads((tmp_path / "out" / f"results-{CASES}.json").read_text(encoding="utf-8"))
    assert [{k: row[k] for k in KEYS} for row in saved["rows"]] == lines
    assert not list(bench_folder.glob("run-*"))  # scratch copies and PDFs gone


def test_the_window_measures_run_in_child_processes(capsys, bench_folder, tmp_path):
    lines, err = jsonl(capsys, bench_folder, tmp_path, "cold_start", "ui_stall")
    assert [line["name"] for line in lines] == ["cold_start_to_painted_table", "ui_stall_max"]
    check_lines(lines)
    assert lines[1]["baseline_ms"] == 100.0
    saved = json.loads((tmp_path / "out" / f"results-{CASES}.json").read_text(encoding="utf-8"))
    steps = saved["rows"][1]["details"]["steps"]
    assert set(steps) == {"scroll_table", "filter_village", "filter_overdue_only", "filter_search", "open_case",
                          "statistics_open", "statistics_redraw"}
    assert lines[1]["ms"] == max(steps.values())
    assert set(saved["rows"][1]["details"]["ticks"]) == set(steps)  # the watchdog ticked in every step
    assert "largest stall of each step" in err


def test_without_jsonl_a_table_says_whether_each_line_is_within_its_target(capsys, bench_folder, tmp_path):
    out_dir = tmp_path / "out"
    assert run.main(["--cases", str(CASES), "--repeat", "1", "--folder", str(bench_folder), "--out", str(out_dir),
                     "--only", "table_search", "timer"]) == 0
    out = capsys.readouterr().out
    assert "| name | ms | baseline | baseline ms | ratio | target | within | peak MB |" in out
    rows = [line for line in out.splitlines() if line.startswith("| timer_panel_load") or
            line.startswith("| table_search_text")]
    assert len(rows) == 2 and all(row.split("|")[7].strip() in ("yes", "NO") for row in rows)
    assert (out_dir / f"results-{CASES}.md").read_text(encoding="utf-8").count("\n") == 4


def test_a_line_is_within_its_target_up_to_and_including_it():
    spec = SPEC["timer_panel_load"]
    assert run.within(run.line(spec, 30.0, 10.0, 1.0))
    assert not run.within(run.line(spec, 30.1, 10.0, 1.0))


def test_stored_clocks_made_under_other_rules_are_redone_before_anything_is_measured(bench, capsys):
    """Else every measure would time the readers' slow path over the timelines."""
    from sqlalchemy import text

    from jingyuan_desktop.services.derived import fresh_rules

    url = bench.scratch.make()
    try:
        stale = run.AppContext.open(url, now=lambda: run.NOW)
        with stale.db.engine.begin() as connection:
            connection.execute(text("UPDATE derived_state SET fingerprint = 'rules of another version'"))
        assert fresh_rules(stale) is None
        stale.db.dispose()
        harness = run.Harness(url, bench.work, repeat=1, import_rows=10)
        try:
            assert fresh_rules(harness.ctx) is not None
        finally:
            harness.close()
        assert f"recomputed the stored clocks and figures of {CASES:,} cases" in capsys.readouterr().err
    finally:
        bench.scratch.drop(url)


def test_a_failing_measure_is_told_and_left_out_and_the_others_still_run(monkeypatch, capsys, bench_folder,
                                                                            tmp_path):
    real = run.Bench.operation

    def broken(self, name):
        if name == "timer_panel_load":
            raise RuntimeError("broken on purpose")
        return real(self, name)

    monkeypatch.setattr(run.Bench, "operation", broken)
    code = run.main(["--cases", str(CASES), "--jsonl", "--repeat", "1", "--folder", str(bench_folder),
                     "--out", str(tmp_path / "out"), "--only", "timer", "table_search"])
    out, err = capsys.readouterr()
    assert code == 2
    assert [json.loads(text)["name"] for text in out.splitlines()] == ["table_search_text"]
    assert "timer_panel_load FAILED" in err and "broken on purpose" in err

"""Issue 10's contract through the command line: hand-built cases in an exchange file, then
`deadlines --json` with owners and rolling visits, `stats` with the new groupings and figures,
and a version 1 file that comes back out as version 2."""

from __future__ import annotations

import json

import pytest

from jingyuan_desktop import cli


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def town_db(tmp_path, capsys):
    db = tmp_path / "town.db"
    code, _, err = run(capsys, "--db", db, "demo", "--cases", 0)
    assert code == 0, err
    return db


def case(number: str, received: str, *events: dict, village: str = "高南村", **fields) -> dict:
    return {"case_no": number, "source": "police_transfer", "police_incident_no": f"J{number}",
            "police_station": "房镇派出所", "received_at": f"2026-{received}:00+08:00", "village": village,
            "summary": "纠纷", "category": fields.pop("category", "相邻关系"), "grade": fields.pop("grade", "general"),
            "risk": fields.pop("risk", "yellow"), "criminal_risk": False, "key_persons": False,
            "events": list(events), **fields}


def ev(kind: str, at: str, **data) -> dict:
    return {"type": kind, "at": f"2026-{at}:00+08:00", **data}


TEAM = {"handlers": ["甲", "乙"], "leader": "甲"}


def write(path, version: int, *cases: dict):
    path.write_text(json.dumps({"format": "jingyuan-cases", "version": version, "cases": list(cases)},
                               ensure_ascii=False), encoding="utf-8")
    return path


def test_deadlines_json_names_each_owner_and_lists_rolling_visits(town_db, tmp_path, capsys):
    source = write(tmp_path / "cases.json", 2,
                   # Returned to the police on Friday 27 November: feedback due Monday 17:00, the office's.
                   case("FZ-2026-00001", "11-27 10:00", ev("dispatched", "11-27 10:02", **TEAM),
                        ev("returned_to_police", "11-27 16:00", reason="互殴致伤")),
                   # A 疑难 case resolved on 31 August: the first rolling visit due 30 September 17:00.
                   case("FZ-2026-00002", "08-24 10:00", ev("dispatched", "08-24 10:02", **TEAM),
                        ev("arrived", "08-24 10:10", present=["甲", "乙"]),
                        ev("resolved", "08-31 10:00", outcome="agreement", agreement_no="XY-1"),
                        ev("return_visit", "09-01 10:00", satisfaction="satisfied"),
                        ev("police_feedback", "09-01 11:00"), grade="difficult"),
                   # Dispatched at 10:02 on Monday 30 November and not yet on site: the village's clock.
                   case("FZ-2026-00003", "11-30 10:00", ev("dispatched", "11-30 10:02", **TEAM)))
    code, _, err = run(capsys, "--db", town_db, "import", "cases", source)
    assert code == 0, err

    code, out, _ = run(capsys, "--db", town_db, "deadlines", "--json", "--at", "2026-11-30 10:05")
    rows = {(r["case_no"], r["clock"]): r for r in json.loads(out)}
    assert code == 0
    feedback = rows[("FZ-2026-00001", "police_feedback")]
    assert (feedback["owner"], feedback["due_at"], feedback["state"]) == (
        "office", "2026-11-30T17:00:00+08:00", "pending")
    arrive = rows[("FZ-2026-00003", "arrive")]
    assert (arrive["owner"], arrive["due_at"]) == ("高南村", "2026-11-30T10:17:00+08:00")
    visit = rows[("FZ-2026-00002", "follow_visit")]
    # 30 September, 31 October (a Saturday: Monday 2 November) and 30 November were all missed:
    # only the first undone visit runs, overdue since 30 September.
    assert (visit["owner"], visit["due_at"], visit["state"]) == ("office", "2026-09-30T17:00:00+08:00", "overdue")
    assert ("FZ-2026-00001", "progress") not in rows  # the handling ended


def test_stats_by_the_new_groupings_with_the_new_figures(town_db, tmp_path, capsys):
    source = write(tmp_path / "cases.json", 2,
                   case("FZ-2026-00001", "11-02 10:00", ev("dispatched", "11-02 10:02", **TEAM),
                        ev("resolved", "11-02 11:00", outcome="on_site")),
                   case("FZ-2026-00002", "11-03 10:00",
                        ev("dispatched", "11-03 10:02", handlers=["丙", "丁"], leader="丙"),
                        ev("resolved", "11-03 11:00", outcome="explained"), category="婚恋纠纷"),
                   case("FZ-2026-00003", "11-04 10:00", ev("analysis", "11-04 10:01", plan="民警参与"),
                        ev("dispatched", "11-04 10:02", **TEAM), repeat_of="FZ-2026-00001"),
                   case("FZ-2026-00004", "11-05 10:00", ev("cancelled", "11-05 10:01", reason="duplicate")))
    assert run(capsys, "--db", town_db, "import", "cases", source)[0] == 0

    def stats(by):
        code, out, err = run(capsys, "--db", town_db, "stats", "--by", by, "--from", "2026-11-01", "--to",
                             "2026-11-30", "--json")
        assert code == 0, err
        return {r["key"]: r for r in json.loads(out)}

    by_major = stats("major_category")
    assert {k: r["received"] for k, r in by_major.items()} == {"邻里纠纷": 2, "婚姻家庭": 1}  # the duplicate left out
    neighbours = by_major["邻里纠纷"]
    assert (neighbours["on_site_rate"], neighbours["repeat_rate"], neighbours["repeat_resolution_rate"]) == (
        1.0, 0.5, 0.0)
    assert by_major["婚姻家庭"]["repeat_resolution_rate"] is None  # no repeats: no denominator
    assert {k: r["received"] for k, r in stats("handler").items()} == {"甲": 2, "丙": 1}
    assert {k: r["received"] for k, r in stats("source").items()} == {"派出所转交": 3}
    code, out, _ = run(capsys, "--db", town_db, "stats", "--by", "handler", "--csv")
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert header[-3:] == ["on_site_rate", "repeat_rate", "repeat_resolution_rate"]


def test_a_version_1_file_imports_and_exports_as_version_2(town_db, tmp_path, capsys):
    old = write(tmp_path / "v1.json", 1,
                case("FZ-2026-00001", "11-02 10:00", ev("dispatched", "11-02 10:02", **TEAM),
                     ev("arrived", "11-02 10:10", handlers=["甲", "乙"]), ev("resolved", "11-02 11:00", on_site=True)),
                case("FZ-2026-00002", "11-03 10:00", ev("dispatched", "11-03 10:02", **TEAM),
                     ev("cancelled", "11-03 10:30", reason="当事人已自行离开")))
    assert run(capsys, "--db", town_db, "import", "cases", old)[0] == 0
    out = tmp_path / "v2.json"
    assert run(capsys, "--db", town_db, "export", "cases", "--out", out)[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["version"] == 2
    first, second = doc["cases"]
    assert first["events"][1]["present"] == ["甲", "乙"]
    assert first["events"][2]["outcome"] == "on_site" and "on_site" not in first["events"][2]
    cancelled = second["events"][1]
    assert (cancelled["reason"], cancelled["note"]) == ("not_our_remit", "当事人已自行离开")

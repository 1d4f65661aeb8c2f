"""`jingyuan print slip|archive|weekly`: PDFs from the command line, refusals in Chinese."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from jingyuan_desktop import cli
from jingyuan_desktop.store.audit import list_audit
from tests.services.test_cli import run

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("print") / "demo.db"
    assert cli.main(["--db", str(path), "demo", "--cases", "120", "--seed", "3"]) == 0
    return path


@pytest.fixture
def db(template, tmp_path):
    copy = tmp_path / "t.db"
    shutil.copy(template, copy)
    return copy


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def exported_cases(capsys, db, tmp_path):
    import json

    out = tmp_path / "all.json"
    assert run(capsys, "--db", db, "export", "cases", "--out", out)[0] == 0
    return json.loads(out.read_text(encoding="utf-8"))["cases"]


def test_slips_of_several_cases_one_page_each(db, tmp_path, capsys):
    cases = exported_cases(capsys, db, tmp_path)[:3]
    out = tmp_path / "slips.pdf"
    code, stdout, err = run(capsys, "--db", db, "print", "slip", *[c["case_no"] for c in cases], "--out", out)
    assert code == 0, err
    assert "交办单 3 份" in stdout
    pages = [p for p in text_of(out).split("\f") if p.strip()]
    assert len(pages) == 3
    for case, page in zip(cases, pages, strict=True):
        assert case["case_no"] in page and case["village"] in page


def test_archive_form_holds_the_case(db, tmp_path, capsys):
    case = next(c for c in exported_cases(capsys, db, tmp_path) if any(e["type"] == "archived" for e in c["events"]))
    out = tmp_path / "archive.pdf"
    code, _, err = run(capsys, "--db", db, "print", "archive", case["case_no"], "--out", out)
    assert code == 0, err
    text = text_of(out)
    assert case["case_no"] in text
    pages = [p for p in text.split("\f") if p.strip()]
    numbers = [re.search(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", p).groups() for p in pages]
    assert numbers == [(str(i), str(len(pages))) for i in range(1, len(pages) + 1)]
    archived = next(e for e in case["events"] if e["type"] == "archived")
    assert archived["archive_no"] in text


def test_weekly_handout_of_a_named_week(db, tmp_path, capsys):
    out = tmp_path / "weekly.pdf"
    code, _, err = run(capsys, "--db", db, "print", "weekly", "--week", "2026-W46", "--out", out)
    assert code == 0, err
    assert "2026-W46" in text_of(out) or "11月9日" in text_of(out) or "11-09" in text_of(out)


def test_prints_are_audited(db, tmp_path, capsys):
    case_no = exported_cases(capsys, db, tmp_path)[0]["case_no"]
    assert run(capsys, "--db", db, "print", "slip", case_no, "--out", tmp_path / "s.pdf")[0] == 0
    from jingyuan_desktop.services.context import AppContext

    ctx = AppContext.open(str(db))
    with ctx.session() as session:
        actions = [(a.action, a.entity_id) for a in list_audit(session)]
    ctx.db.engine.dispose()
    assert ("print_slip", case_no) in actions


@pytest.mark.parametrize("argv, message", [
    (["print", "slip", "FZ-0000-99999"], "找不到案件"),
    (["print", "archive", "FZ-0000-99999"], "找不到案件"),
    (["print", "weekly", "--week", "2026-47"], "2026-W47"),
    (["print", "weekly", "--week", "2026-W60"], "第60周"),
])
def test_refusals_exit_1_with_a_chinese_reason_and_no_file(db, tmp_path, capsys, argv, message):
    out = tmp_path / "x.pdf"
    code, _stdout, err = run(capsys, "--db", db, *argv, "--out", out)
    assert code == 1 and message in err
    assert not out.exists()


def test_a_file_that_cannot_be_written_is_refused_in_chinese(db, tmp_path, capsys):
    case_no = exported_cases(capsys, db, tmp_path)[0]["case_no"]
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    code, _stdout, err = run(capsys, "--db", db, "print", "slip", case_no, "--out", blocker / "s.pdf")
    assert code == 1 and "无法写入文件" in err


def test_missing_out_is_a_usage_error(db, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--db", str(db), "print", "slip", "X"])
    assert stop.value.code == 2

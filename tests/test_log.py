"""A failure anywhere leaves its traceback in the log file; the user gets a Chinese sentence."""

from __future__ import annotations

import logging

import pytest

from jingyuan_desktop import cli, log
from jingyuan_desktop.services import stats


@pytest.fixture
def log_dir(tmp_path, monkeypatch):
    folder = tmp_path / "logs"
    monkeypatch.setenv("JINGYUAN_LOG_DIR", str(folder))
    yield folder
    logging.getLogger("jingyuan_desktop").handlers.clear()


def test_a_fault_in_a_command_is_logged_with_its_traceback_and_told_in_chinese(log_dir, tmp_path, monkeypatch,
                                                                             capsys):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero in a figure")

    monkeypatch.setattr(stats, "statistics", broken)
    code = cli.main(["--db", str(tmp_path / "t.db"), "stats"])
    assert code == 1
    err = capsys.readouterr().err
    assert "程序出错" in err and str(log_dir / "jingyuan.log") in err
    assert "Traceback" not in err
    text = (log_dir / "jingyuan.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "ZeroDivisionError: division by zero in a figure" in text


def test_a_refusal_is_a_sentence_on_stderr_and_an_info_line_in_the_log(log_dir, tmp_path, capsys):
    code = cli.main(["--db", str(tmp_path / "t.db"), "print", "archive", "FZ-1999-00001",
                     "--out", str(tmp_path / "a.pdf")])
    assert code == 1
    err = capsys.readouterr().err
    assert "FZ-1999-00001" in err and "Traceback" not in err
    text = (log_dir / "jingyuan.log").read_text(encoding="utf-8")
    assert "refused" in text and "Traceback" not in text


def test_verbose_also_writes_the_log_to_the_terminal(log_dir, tmp_path, capsys):
    assert cli.main(["--verbose", "--db", str(tmp_path / "t.db"), "init"]) == 0
    assert "command" in capsys.readouterr().err


def test_an_unwritable_log_folder_does_not_stop_the_program(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("JINGYUAN_LOG_DIR", str(blocker / "logs"))
    try:
        assert log.setup_logging() is None
        logging.getLogger("jingyuan_desktop.test").warning("still goes somewhere")
    finally:
        logging.getLogger("jingyuan_desktop").handlers.clear()

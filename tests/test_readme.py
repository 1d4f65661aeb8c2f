"""The README's two commands are what a new user and CI run; keep CI honest to them."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(.+?)\n```", text)[:2]


def test_readme_opens_with_install_and_test_commands():
    start, test = readme_commands()
    assert "jingyuan demo" in start and start.rstrip().endswith("jingyuan")
    assert "pytest" in test


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    _, test = readme_commands()
    assert test in ci.splitlines()

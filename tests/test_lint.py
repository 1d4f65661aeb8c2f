"""ruff and mypy as tests, so the README's test command (and so CI) fails on a lint or type regression.

Both read their settings from pyproject.toml; the tool's own report is the failure message.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")


def test_ruff_finds_nothing():
    result = run_tool("ruff", "check", "--output-format", "concise", "jingyuan_desktop", "tests", "benchmarks")
    assert result.returncode == 0, f"ruff check failed:\n{result.stdout}{result.stderr}"


def test_mypy_finds_nothing():
    result = run_tool("mypy")  # the packages to check are in [tool.mypy]
    assert result.returncode == 0, f"mypy failed:\n{result.stdout}{result.stderr}"

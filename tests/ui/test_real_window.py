"""The real program on the real X11 platform plugin (xcb), as a clerk's Linux PC starts it.

The other window tests run offscreen, which needs none of the X libraries the xcb plugin
loads; a machine that lacks one of them aborts at start (seen on a fresh Debian with the
README's old package list). This starts `python -m jingyuan_desktop` under Xvfb and waits for
its main window to be mapped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TITLE = "警源治理"
WAIT_S = 60

needs_x = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")),
                             reason="Xvfb and xdotool are not installed (.ci/run installs them)")


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start")
    return server, f":{number}"


def window_names(env: dict) -> dict[str, str]:
    """Every visible window's id and name (compared in Python: xdotool's regular expressions
    do not match Chinese text under every locale)."""
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "."], env=env,
                           capture_output=True, text=True, check=False)
    names = {}
    for window in found.stdout.split():
        name = subprocess.run(["xdotool", "getwindowname", window], env=env, capture_output=True, text=True,
                              check=False).stdout.strip()
        names[window] = name
    return names


@needs_x
def test_the_program_opens_its_main_window_on_x11(tmp_path: Path):
    server, display = start_xvfb()
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "JINGYUAN_LOG_DIR": str(tmp_path / "logs"),
           "XDG_RUNTIME_DIR": str(tmp_path), "HOME": str(tmp_path)}
    db = tmp_path / "office.db"
    program = None
    try:
        subprocess.run([sys.executable, "-m", "jingyuan_desktop", "--db", str(db), "demo", "--cases", "50"],
                       env=env, check=True, capture_output=True, timeout=120)
        program = subprocess.Popen([sys.executable, "-m", "jingyuan_desktop", "--db", str(db)], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WAIT_S
        shown: list[str] = []
        while time.monotonic() < deadline and program.poll() is None and not shown:
            time.sleep(0.5)
            shown = [name for name in window_names(env).values() if TITLE in name]
        if program.poll() is not None:
            output = program.stdout.read().decode(errors="replace") if program.stdout else ""
            pytest.fail(f"the program ended with code {program.returncode} before showing a window:\n{output}")
        assert shown, f"no window titled {TITLE} appeared within {WAIT_S} s; windows: {window_names(env)}"
        # The title arrives with the town's name once it is read; the program's name only once.
        while time.monotonic() < deadline and shown != [f"房镇镇综治中心 — {TITLE}"]:
            time.sleep(0.5)
            shown = [name for name in window_names(env).values() if TITLE in name]
        assert shown == [f"房镇镇综治中心 — {TITLE}"]
    finally:
        if program is not None and program.poll() is None:
            program.terminate()
            try:
                program.wait(10)
            except subprocess.TimeoutExpired:
                program.kill()
        server.terminate()
        server.wait(10)

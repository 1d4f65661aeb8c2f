"""One rotating log file per user, so the office's IT person can send a single file.

``setup_logging`` is called once at start by the command line and the window. Every caught
failure goes through ``logger.exception``; a message shown to the user never replaces the log
line. ``JINGYUAN_LOG_DIR`` moves the folder (the tests point it at a temporary one).
"""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

APP_NAME = "jingyuan_desktop"
LOG_FILE_NAME = "jingyuan.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5  # jingyuan.log.1 … .5: about two weeks of an office's ordinary use
FORMAT = "%(asctime)s %(levelname)-7s %(process)d %(threadName)s %(name)s: %(message)s"

logger = logging.getLogger("jingyuan_desktop")


def log_folder() -> Path:
    configured = os.environ.get("JINGYUAN_LOG_DIR")
    return Path(configured) if configured else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_path() -> Path:
    """Where the log file is (or will be): shown in every error dialog."""
    return log_folder() / LOG_FILE_NAME


def setup_logging(*, verbose: bool = False) -> Path | None:
    """Send the program's log records to the rotating file, and to stderr when ``verbose``.

    Returns the file's path, or None when the folder cannot be written (a locked-down PC):
    the program still runs, logging to stderr only.
    """
    root = logging.getLogger("jingyuan_desktop")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):  # called again (tests, a second window): start clean
        root.removeHandler(handler)
        handler.close()
    file = log_path()
    written: Path | None = file
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8",
                                           delay=True)
    except OSError:
        written = None
    else:
        file_handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(file_handler)
    if verbose or written is None:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream.setLevel(logging.DEBUG if verbose else logging.WARNING)
        root.addHandler(stream)
    root.propagate = False
    return written

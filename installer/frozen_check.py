"""Checks run inside the frozen program by the build's smoke test (installer/build.py --smoke).

entry.py calls ``run_checks`` when JINGYUAN_FROZEN_CHECK names a work folder. The window opens
on the default database as a clerk's double click opens it, and closes itself once its title
shows the town and the day's backup is written. Then the parts of the bundle that only the
window or a rarely used command loads: Qt's Chinese texts, the icon, printing, the PDF viewer,
saving a chart as PDF and PNG, the PostgreSQL driver, the time-zone data, password hashing, UTF-8 mode.

The results go to ``frozen-check.txt`` in the work folder, one line a check and ``ALL PASSED``
last when every one passed: the window program has no console to print to on Windows.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from pathlib import Path

WINDOW_WAIT_S = 180
REPORT = "frozen-check.txt"


def run_checks(work_dir: str) -> int:
    work = Path(work_dir)
    lines: list[str] = []
    failed = False

    def check(name: str, test: Callable[[], str]) -> None:
        nonlocal failed
        try:
            lines.append(f"ok      {name}: {test()}")
        except Exception as error:
            failed = True
            lines.append(f"FAILED  {name}: {type(error).__name__}: {error}")
            lines.extend("        " + line for line in traceback.format_exc().splitlines()[-6:])

    check("window", lambda: open_window_and_close_it())
    check("qt chinese", qt_chinese)
    check("window icon", window_icon)
    check("image formats", image_formats)
    check("printing to pdf", lambda: qt_printer(work / "printer.pdf"))
    check("pdf viewer", lambda: pdf_document(work / "slip.pdf"))
    check("chart as pdf and png", lambda: chart_files(work))
    check("postgresql driver", postgresql_driver)
    check("time zone data", time_zone)
    check("password hashing", password_hashing)
    check("utf-8 mode", utf8_mode)
    lines.append("SOME FAILED" if failed else "ALL PASSED")
    (work / REPORT).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for line in lines:
        print(line)
    return 1 if failed else 0


def open_window_and_close_it() -> str:
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QMainWindow

    from jingyuan_desktop.cli import main
    from jingyuan_desktop.store.database import default_db_path
    from jingyuan_desktop.ui.app import make_application

    app = make_application()
    backups = default_db_path().parent / "backups"
    deadline = time.monotonic() + WINDOW_WAIT_S
    seen: dict[str, str] = {}

    def poll() -> None:
        shown = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
        titled = [w.windowTitle() for w in shown if "综治中心" in w.windowTitle()]
        backed_up = sorted(backups.glob("*.db")) if backups.is_dir() else []
        idle = QThreadPool.globalInstance().activeThreadCount() == 0
        if titled and backed_up and idle:
            seen.update(title=titled[0], backup=backed_up[0].name)
            timer.stop()
            app.closeAllWindows()  # as the clerk closes it: the window saves its layout
            app.quit()
        elif time.monotonic() > deadline:
            seen["timeout"] = f"windows {[w.windowTitle() for w in shown]}, backups {backed_up}, idle {idle}"
            timer.stop()
            app.exit(3)

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(250)
    code = main([])  # the window on the default database, the program's own start
    if "timeout" in seen:
        raise RuntimeError(f"the main window was not ready within {WINDOW_WAIT_S} s: {seen['timeout']}")
    if code != 0 or "title" not in seen:
        raise RuntimeError(f"the window program returned {code}")
    return f"title {seen['title']!r}, backup {seen['backup']}"


def qt_chinese() -> str:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None or not app.property("jingyuan_chinese"):
        raise RuntimeError("Qt's Chinese translations (qtbase_zh_CN) were not loaded")
    return "qtbase_zh_CN loaded"


def window_icon() -> str:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    icon = app.windowIcon() if isinstance(app, QApplication) else None
    if icon is None or icon.isNull():
        raise RuntimeError("the window has no icon (resources/icon missing from the bundle)")
    return f"sizes {[size.width() for size in icon.availableSizes()]}"


def image_formats() -> str:
    from PySide6.QtGui import QImageReader

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"png", "jpg", "ico", "svg"} - formats
    if missing:
        raise RuntimeError(f"Qt cannot read {sorted(missing)}")
    return ", ".join(sorted(formats))


def qt_printer(out: Path) -> str:
    from PySide6.QtGui import QPainter
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("QPainter could not start on a QPrinter")
    painter.drawText(100, 100, "交办单")
    painter.end()
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError("QPrinter wrote no file")
    return f"{out.stat().st_size} bytes"


def pdf_document(slip: Path) -> str:
    from PySide6.QtPdf import QPdfDocument

    if not slip.is_file():
        raise RuntimeError(f"{slip} is missing (the slip step comes first)")
    document = QPdfDocument()
    error = document.load(str(slip))
    if error != QPdfDocument.Error.None_ or document.pageCount() < 1:
        raise RuntimeError(f"QtPdf could not open the slip: {error}")
    image = document.render(0, document.pagePointSize(0).toSize())
    if image.isNull():
        raise RuntimeError("QtPdf could not render the slip's first page")
    return f"{document.pageCount()} page(s) rendered"


def chart_files(work: Path) -> str:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 3))
    axes = figure.add_subplot()
    axes.bar(["A", "B"], [3, 5])
    sizes = []
    for suffix in ("pdf", "png"):
        out = work / f"chart.{suffix}"
        figure.savefig(out, dpi=72)
        sizes.append(f"{suffix} {out.stat().st_size} bytes")
    return ", ".join(sizes)


def postgresql_driver() -> str:
    import psycopg
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://smoke@127.0.0.1:1/smoke")  # no connection is made
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}), libpq {psycopg.pq.version()}, {engine.dialect.name}"


def time_zone() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import tzdata

    moment = datetime(2026, 1, 1, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    if moment.utcoffset() is None or moment.utcoffset().total_seconds() != 8 * 3600:  # type: ignore[union-attr]
        raise RuntimeError(f"Asia/Shanghai has the offset {moment.utcoffset()}")
    return f"Asia/Shanghai +08:00 (tzdata {tzdata.IANA_VERSION})"


def password_hashing() -> str:
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    if not hasher.verify(hasher.hash("冒烟测试"), "冒烟测试"):
        raise RuntimeError("argon2 could not verify its own hash")
    return "argon2 ok"


def utf8_mode() -> str:
    import sys

    if not sys.flags.utf8_mode:
        raise RuntimeError("the frozen program is not in UTF-8 mode (jingyuan.spec OPTIONS)")
    return f"stdout {sys.stdout.encoding if sys.stdout else 'none (window program)'}"

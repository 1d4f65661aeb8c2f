"""Starting the window: the application, a font that shows Chinese, the database, first run.

What the clerk waits for at start is the case table with its rows; everything else comes
after it. So this module imports only Qt at the top; when nothing has to come before the
table (no login, no first run, no upgrade) its first page is read without the database layer
and painted, and the database layer is imported and opened in the pool after that
(``open_window``); the checks that need no one waiting for them (the audit chain, stale
stored clocks, the daily backup) start once the table has painted its rows and the database
is open.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QSize,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from jingyuan_desktop.resources import resources_dir
from jingyuan_desktop.ui import crash, gc_guard

if TYPE_CHECKING:
    from jingyuan_desktop.services.context import AppContext
    from jingyuan_desktop.ui.main_window import MainWindow
    from jingyuan_desktop.ui.ops import Change, Operations

logger = logging.getLogger(__name__)

ORGANISATION = "jingyuan"  # QSettings keys live under these names
APPLICATION = "jingyuan-desktop"
DEMO_CASES = 2000
# Office PCs run Windows (YaHei); the others cover a Mac and Linux with a CJK font installed.
CJK_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "SimHei"]


# The interpreter's switch interval in the window's process (see ``make_application``).
UI_SWITCH_INTERVAL_S = 0.001


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):  # instance() is typed as the QCoreApplication base
        app = QApplication(sys.argv)
    # Every call Qt makes into Python (a cell's data, a paint) first takes the interpreter's
    # lock from the worker holding it, which gives it up only every switch interval: 5 ms by
    # default, paid again at each of the hundreds of calls of a repaint while the pool reads.
    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("警源治理")
    app.setWindowIcon(program_icon())
    install_chinese(app)
    family = cjk_family()
    if family:
        app.setFont(QFont(family, 10))
    return app


def program_icon() -> QIcon:
    """The icon of every window, one picture per size (resources/icon, drawn by its make_icon.py)."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        path = resources_dir() / "icon" / f"jingyuan-{size}.png"
        if path.is_file():  # a missing picture costs the icon, never the start
            icon.addFile(str(path), QSize(size, size))
    return icon


def install_chinese(app: QApplication) -> bool:
    """Qt's own texts in Chinese: text-box menus (复制、粘贴), standard buttons and dialogs.

    The translations ship with PySide6; True when they were found and installed.
    """
    if app.property("jingyuan_chinese"):  # once per application, however often it is asked
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed = True
    if installed:
        app.setProperty("jingyuan_chinese", True)
    else:
        logger.warning("Qt's Chinese translations were not found in %s", folder)
    return installed


def cjk_family() -> str | None:
    available = set(QFontDatabase.families())
    return next((name for name in CJK_FAMILIES if name in available), None)


def run(db: str | None, user: str = "治理办") -> int:
    gc_guard.pause()
    app = make_application()
    crash.install()
    gc_guard.install(app)
    logger.info("window starting, database %s", db or "(default)")
    window = open_window(db, user=user)
    if isinstance(window, int):
        return window
    code = app.exec()
    logger.info("window closed")
    return code


def open_window(db: str | None, *, user: str = "治理办", now: Callable[[], datetime] | None = None,
                settings: QSettings | None = None, backup: bool = True) -> MainWindow | int:
    """The main window on ``db``, shown, as the program starts it (the benchmarks start it
    through here too); or the exit code when the start ended before it (0: the clerk left at
    the login or the first-run dialog; 1: the database could not be opened).

    When ``services.start`` allows it (a local file at this schema, no accounts, villages
    present), the window is built and shown with its first page of cases read without the
    database layer, which is then imported and opened in the pool once those rows are painted
    (``finish_start``). Otherwise the database is opened first, the login and the first-run
    dialog come when they must, then the window."""
    from jingyuan_desktop.services.start import quick_start

    quick = quick_start(db)
    if quick is None:
        return _open_window_usual(db, user=user, now=now, settings=settings, backup=backup)
    from jingyuan_desktop.services.context import system_now
    from jingyuan_desktop.ui.main_window import MainWindow
    from jingyuan_desktop.ui.ops import Operations

    ops = Operations(None)

    def first_page(filters, order_by: str, descending: bool, size: int):
        return quick.first_page(filters, order_by=order_by, descending=descending, limit=size)

    window = MainWindow(ops, settings=settings, now=now or system_now, quick_read=first_page,
                        quick_choices=quick.choices)
    window.model.read_now()  # the rows are there for the window's first paint
    window.show_initial()
    finish_start(ops, window, db, user=user, now=now, backup=backup)
    return window


def finish_start(ops: Operations, window: MainWindow, db: str | None, *, user: str,
                 now: Callable[[], datetime] | None, backup: bool) -> None:
    """Once the window has been painted: import the database layer and the services, open the
    context in the pool (the schema's version checked as always), then build the rest of the
    window and start the work that waited for the context, then the checks at start."""
    from jingyuan_desktop.ui.main_window import SERVICE_WIDGETS

    started: list[bool] = []

    def opener() -> AppContext:
        from jingyuan_desktop.services.start import open_context

        ctx = open_context(db, user=user, now=now)
        for name in SERVICE_WIDGETS:  # class definitions only: built by ``finish`` on this thread
            importlib.import_module(name)
        return ctx

    def opened(_ctx: AppContext) -> None:
        window.finish(stepwise=True)
        gc_guard.settle()  # the database layer and the services live as long as the program
        start_background_work(ops, window, backup=backup, painted=window.model.loaded)

    def failed(message: str) -> None:
        logger.warning("cannot open database %s: %s", db, message)
        QMessageBox.critical(window, "无法打开数据库",
                             f"无法打开数据库：\n{message}\n\n请检查数据库文件路径与权限。")
        window.close()
        QApplication.exit(1)

    def start() -> None:
        if not started:
            started.append(True)
            ops.open(opener, on_done=opened, on_error=failed)

    FirstPaint(window.table.viewport(), lambda: True, start)
    QTimer.singleShot(OPEN_DELAY_MS, window, start)  # a window never painted (minimised) opens too


# The database is opened once the window has been painted, but no later than this.
OPEN_DELAY_MS = 500


def _open_window_usual(db: str | None, *, user: str, now: Callable[[], datetime] | None,
                       settings: QSettings | None, backup: bool) -> MainWindow | int:
    """The start that opens the database first: accounts, a shared file, an upgrade, a first run."""
    from jingyuan_desktop.domain.enums import UnitKind
    from jingyuan_desktop.services import queries
    from jingyuan_desktop.services.context import REFUSALS, AppContext, system_now
    from jingyuan_desktop.ui.ops import Operations

    try:
        ctx = AppContext.open(db, user=user, now=now or system_now)
    except REFUSALS as error:
        logger.warning("cannot open database %s: %s", db, getattr(error, "message", error))
        QMessageBox.critical(None, "无法打开数据库",
                             f"无法打开数据库：\n{getattr(error, 'message', error)}\n\n请检查数据库文件路径与权限。")
        return 1
    except Exception:  # a fault, not a refusal: keep the traceback for the IT person
        logger.exception("opening database %s failed", db)
        QMessageBox.critical(None, "无法打开数据库", f"无法打开数据库。\n\n{crash.crash_text()}")
        return 1
    ops = Operations(ctx)
    ok, has_accounts = wait_for(ops, lambda c: c.accounts_exist())
    if ok and not has_accounts and ctx.db.is_shared:
        QMessageBox.critical(None, "须先建立账号",
                             "这是多台电脑共用的数据库（数据库服务器或网络路径），须由管理员先建立账号"
                             "（命令行：jingyuan --db 同一数据库 users add 姓名 --role admin），再用账号登录。")
        return 1
    if ok and has_accounts:
        from jingyuan_desktop.ui.login import LoginDialog

        if LoginDialog(ops, name="").exec() != LoginDialog.DialogCode.Accepted:
            return 0
    ok, villages = wait_for(ops, lambda c: queries.units(c, UnitKind.VILLAGE, UnitKind.COMMUNITY))
    if not ok:
        QMessageBox.critical(None, "无法读取数据库", str(villages))
        return 1
    if not villages and not first_run(ops):
        return 0
    return show_window(ops, settings=settings, now=now, backup=backup)


def show_window(ops: Operations, *, settings: QSettings | None, now: Callable[[], datetime] | None,
                backup: bool) -> MainWindow:
    """The main window on an open context (after the login, when there is one), shown, with the
    checks at start to follow its first rows."""
    from jingyuan_desktop.ui.main_window import MainWindow

    window = MainWindow(ops, settings=settings, now=now)
    window.show_initial()
    start_background_work(ops, window, backup=backup)
    return window


# The checks at start wait for the case table's first rows on screen, but no longer than this.
BACKGROUND_DELAY_MS = 3000


def start_background_work(ops: Operations, window, *, backup: bool = True, painted: bool = False) -> None:
    """The day's backup, the audit check and the refresh of stale stored clocks, in the pool
    at low priority, once the case table has painted its first rows (or after a few seconds if
    they do not come; at once with ``painted``, when they are on screen already): nobody waits
    for these, and the clerk waits for the rows.

    Until the refresh is done the reads that depend on stored clocks read the timelines (see
    ``refresh_derived``), so nothing shown in between is stale."""
    started: list[bool] = []

    def start() -> None:
        if started:
            return
        started.append(True)
        # The backup writes an audit row: made after the chain was read, not while it is.
        start_audit_check(ops, window, then=(lambda: start_daily_backup(ops, window)) if backup else None)
        refresh_derived(ops, window)
        link_parties(ops, window)

    if painted:
        QTimer.singleShot(0, window, start)
        return
    FirstPaint(window.table.viewport(), lambda: window.model.loaded, start)  # owned by the viewport
    QTimer.singleShot(BACKGROUND_DELAY_MS, window, start)


class FirstPaint(QObject):
    """Calls ``then`` once, after the first paint of ``widget`` for which ``ready()`` held."""

    def __init__(self, widget: QWidget, ready: Callable[[], bool], then: Callable[[], None]):
        super().__init__(widget)
        self.ready, self.then = ready, then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.ready():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.then)  # once this paint is on screen
        return False


def start_daily_backup(ops: Operations, window) -> None:
    """The day's automatic backup, in the pool while the clerk starts work; said in the status bar."""
    from jingyuan_desktop.services import setup
    from jingyuan_desktop.ui.ops import BACKGROUND

    def done(path) -> None:
        if path is not None:
            window.statusBar().showMessage(f"已自动备份：{path}", 8000)

    ops.run(setup.daily_backup, owner=window, key="daily_backup", on_done=done, priority=BACKGROUND,
            on_error=lambda message: window.statusBar().showMessage(f"今天的自动备份未完成：{message}", 15000))


def start_audit_check(ops: Operations, window, *, then: Callable[[], None] | None = None) -> None:
    """The audit log's hash chain, recomputed at each start in the pool; a break is told at once.
    ``then`` runs once the check is over, whatever it found."""
    from jingyuan_desktop.services import audit_log
    from jingyuan_desktop.ui.ops import BACKGROUND

    def over() -> None:
        if then is not None:
            then()

    def failed(message: str) -> None:
        logger.warning("audit check failed: %s", message)
        over()

    def done(check) -> None:
        over()
        if not check.ok:
            logger.error("audit chain broken: %s", check.reason)
            QMessageBox.warning(window, "审计日志校验未通过",
                                f"审计日志校验未通过：{check.reason}。\n\n审计日志可能被人用其他工具改动过，"
                                "请通知管理员核查（命令行：jingyuan audit --verify）。")

    ops.run(audit_log.verify, owner=window, key="audit_check", on_done=done, priority=BACKGROUND, on_error=failed)


def link_parties(ops: Operations, window) -> None:
    """Cases stored before the person records existed (an upgrade), or by a PC that stopped
    before linking, get their parties' person records, a batch a transaction (issue 14)."""
    from jingyuan_desktop.services.prevention.records import link_unlinked
    from jingyuan_desktop.ui.ops import BACKGROUND

    # Small batches with a pause: after an upgrade this is every case, beside the clerk's work.
    ops.run(lambda ctx: link_unlinked(ctx, 50, pause=0.1), owner=window, key="link_parties", priority=BACKGROUND,
            on_error=lambda message: logger.warning("linking parties to persons failed: %s", message))


def refresh_derived(ops: Operations, window) -> None:
    """Bring every case's stored clocks and figures up to the rules in force, in the pool, with
    a bar in the status bar while the window stays usable (after an upgrade, or a change of
    the clock settings or the calendar here or on another PC). Meanwhile the timer panel and
    the figures read the timelines, slower but right."""
    from PySide6.QtWidgets import QProgressBar

    from jingyuan_desktop.services import derived
    from jingyuan_desktop.ui.ops import BACKGROUND, Change

    bar = QProgressBar()
    bar.setMaximumWidth(220)
    bar.setFormat("重算时限 %p%")
    bar.hide()

    def step(done: int, total: int) -> None:
        if total and done < total:
            bar.setMaximum(total)
            bar.setValue(done)
            bar.show()

    def finished(count: int) -> None:
        window.statusBar().removeWidget(bar)
        bar.deleteLater()
        if count:
            window.statusBar().showMessage(f"已按现行设置重算 {count} 件案件的时限与统计", 8000)
            ops.announce(Change(all_cases=True))

    def failed(message: str) -> None:
        window.statusBar().removeWidget(bar)
        bar.deleteLater()
        window.statusBar().showMessage(f"时限重算未完成：{message}", 15000)

    window.statusBar().addPermanentWidget(bar)
    ops.run(derived.ensure_fresh, owner=window, key="derived", on_step=step, on_done=finished, on_error=failed,
            priority=BACKGROUND)


def wait_for(ops: Operations, fn: Callable[..., Any], *, changed: Change | None = None,
             progress: str | None = None, cancellable: bool = True) -> tuple[bool, Any]:
    """Run ``fn`` in the pool and wait for it with the event loop running (no window frozen).

    For the steps before the main window exists; (True, result) or (False, the Chinese
    message). With ``progress`` it is ``fn(ctx, progress)`` under a progress dialog.
    """
    loop = QEventLoop()
    outcome: list[Any] = [False, None]

    def settle(ok: bool, value: Any) -> None:
        outcome[:] = [ok, value]
        loop.quit()

    ops.run(fn, changed=changed, progress=progress, cancellable=cancellable,
            on_done=lambda result: settle(True, result), on_error=lambda message: settle(False, message),
            on_cancelled=lambda: settle(False, "已取消"))
    if ops.running:
        loop.exec()
    return outcome[0], outcome[1]


def first_run(ops: Operations) -> bool:
    """Offer demo data or a clean start; False when the user chose to leave."""
    from jingyuan_desktop.services import setup
    from jingyuan_desktop.ui.ops import Change
    from jingyuan_desktop.ui.widgets.first_run import FirstRunDialog

    dialog = FirstRunDialog()
    if not dialog.exec():
        return False
    if dialog.wants_demo():
        return load_demo_with_progress(ops, DEMO_CASES)
    town = dialog.town_entered()

    def start(ctx: AppContext) -> None:
        setup.ensure_defaults(ctx)
        setup.install_town(ctx, town)

    ok, message = wait_for(ops, start, changed=Change.everything())
    if not ok:
        QMessageBox.critical(None, "未能保存", str(message))
    return ok


def load_demo_with_progress(ops: Operations, cases: int) -> bool:
    """The demo town with a progress dialog (not cancellable: it is written in batches)."""
    from jingyuan_desktop.services import setup
    from jingyuan_desktop.ui.ops import Change

    ok, message = wait_for(ops, lambda ctx, progress: setup.load_demo(ctx, cases=cases, progress=progress,
                                                                      prevention=True),
                           changed=Change.everything(), progress="正在装入演示数据…", cancellable=False)
    if not ok:
        QMessageBox.critical(None, "装入演示数据失败", str(message))
    return ok

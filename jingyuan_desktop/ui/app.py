"""Starting the window: the application, a font that shows Chinese, the database, first run."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.services import queries, setup
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.ui.ops import Operations

ORGANISATION = "jingyuan"  # QSettings keys live under these names
APPLICATION = "jingyuan-desktop"
DEMO_CASES = 2000
# Office PCs run Windows (YaHei); the others cover a Mac and Linux with a CJK font installed.
CJK_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "SimHei"]


def make_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("警源治理")
    family = cjk_family()
    if family:
        app.setFont(QFont(family, 10))
    return app


def cjk_family() -> str | None:
    available = set(QFontDatabase.families())
    return next((name for name in CJK_FAMILIES if name in available), None)


def run(db: str | None, user: str = "治理办") -> int:
    app = make_application()
    try:
        ctx = AppContext.open(db, user=user)
        ops = Operations(ctx)
        empty = not ops.call(lambda c: queries.units(c, UnitKind.VILLAGE, UnitKind.COMMUNITY))
    except Exception as error:  # any failure here means there is no database to work on
        message = getattr(error, "message", None) or str(error)
        QMessageBox.critical(None, "无法打开数据库", f"无法打开数据库：\n{message}\n\n请检查数据库文件路径与权限。")
        return 1
    if empty and not first_run(ops):
        return 0
    from jingyuan_desktop.ui.main_window import MainWindow

    window = MainWindow(ops)
    window.show()
    return app.exec()


class _Progress(QObject):
    # Emitted from the worker thread; Qt queues it to the dialog in the UI thread.
    sig_progress = Signal(int, int)


def first_run(ops: Operations) -> bool:
    """Offer demo data or a clean start; False when the user chose to leave."""
    from jingyuan_desktop.ui.widgets.first_run import FirstRunDialog

    dialog = FirstRunDialog()
    if not dialog.exec():
        return False
    if dialog.wants_demo():
        return load_demo_with_progress(ops, DEMO_CASES)
    town = dialog.town_entered()
    ops.call(setup.ensure_defaults)
    ops.call(lambda ctx: setup.install_town(ctx, town), changed="*")
    return True


def load_demo_with_progress(ops: Operations, cases: int) -> bool:
    progress = QProgressDialog("正在装入演示数据…", None, 0, cases)
    progress.setWindowTitle("演示数据")
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    relay = _Progress()
    relay.sig_progress.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
    loop = QEventLoop()
    outcome = {"ok": False}

    def done(_count) -> None:
        outcome["ok"] = True
        loop.quit()

    def failed(message: str) -> None:
        QMessageBox.critical(None, "装入演示数据失败", message)
        loop.quit()

    ops.run(lambda ctx: setup.load_demo(ctx, cases=cases, progress=relay.sig_progress.emit),
            changed="*", on_done=done, on_error=failed)
    progress.show()
    loop.exec()
    progress.close()
    return outcome["ok"]

"""Nothing fails silently in the window: uncaught exceptions and Qt's own warnings go to the log,
and the user sees a Chinese dialog that says where the log is."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from jingyuan_desktop.log import log_path

logger = logging.getLogger(__name__)
qt_logger = logging.getLogger("jingyuan_desktop.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

_showing = False  # one dialog at a time: an error inside the dialog must not open another


def crash_text() -> str:
    return ("程序出现了一个意外错误，刚才的操作可能没有完成。\n"
            "已保存的数据不受影响；请关闭本窗口后重试。\n\n"
            f"详细信息已写入日志文件：\n{log_path()}\n"
            "如问题重复出现，请把该文件发给技术人员。")


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logger.critical("uncaught exception", exc_info=(kind, value, tb))
    show_crash_dialog()


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    logger.critical("uncaught exception in thread %s", args.thread.name if args.thread else "?",
                    exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


def show_crash_dialog() -> None:
    global _showing
    if _showing or QApplication.instance() is None or threading.current_thread() is not threading.main_thread():
        return
    _showing = True
    try:
        QMessageBox.critical(None, "程序错误", crash_text())
    finally:
        _showing = False


def _qt_message(kind: QtMsgType, context, message: str) -> None:
    where = f" ({context.file}:{context.line})" if getattr(context, "file", None) else ""
    qt_logger.log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def install() -> None:
    """Route uncaught exceptions (UI thread and Python threads) and Qt messages to the log."""
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    qInstallMessageHandler(_qt_message)

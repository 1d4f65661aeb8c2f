"""Telling the clerk a clock has just run out: a tray balloon and a beep, each switchable.

Without a system tray (some offices' Windows set-ups, a bare X server) the balloon's text is
shown inside the window instead: in the main window's status bar and as ``sig_in_window`` for
the panel's banner. Never a modal box: the clerk may be typing a case in.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QStyle, QSystemTrayIcon

from jingyuan_desktop.domain.clocks import Clock

TRAY_KEY = "timers/tray_notify"
SOUND_KEY = "timers/sound"
TITLE = "时限已到"
STATUS_MS = 30_000  # the status bar's other widgets come back after this
SHOWN = 5


def alert_text(clocks: list[Clock]) -> str:
    """The balloon's text: the first few clocks one a line, how many in all, what to do."""
    lines = [f"{c.case_no} {c.name.label}" for c in clocks[:SHOWN]]
    if len(clocks) > SHOWN:
        lines.append(f"等共{len(clocks)}项")
    return "\n".join(lines) + "\n已超时，请尽快处理"


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()


def _flag(settings: QSettings, key: str) -> bool:
    # QSettings in INI files hands booleans back as the strings "true"/"false".
    value = settings.value(key, True)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1")


class OverdueAlerts(QObject):
    """Raises the alert for a clock; the panel decides that it is the first time."""

    # The text of an alert that had no tray to go to (title, text), for a banner in the window.
    sig_in_window = Signal(str, str)

    def __init__(self, settings: QSettings, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self._tray: QSystemTrayIcon | None = None

    @property
    def tray_enabled(self) -> bool:
        return _flag(self.settings, TRAY_KEY)

    @property
    def sound_enabled(self) -> bool:
        return _flag(self.settings, SOUND_KEY)

    def set_tray_enabled(self, on: bool) -> None:
        self.settings.setValue(TRAY_KEY, bool(on))

    def set_sound_enabled(self, on: bool) -> None:
        self.settings.setValue(SOUND_KEY, bool(on))

    def alert(self, clocks: list[Clock]) -> None:
        """One balloon and one beep for all clocks that ran out in the same second."""
        if not clocks:
            return
        if self.sound_enabled:
            QApplication.beep()
        if not self.tray_enabled:
            return
        text = alert_text(clocks)
        if tray_available():
            self._show_tray(text)
        else:
            self._show_in_window(text)

    def _main_window(self) -> QMainWindow | None:
        """The main window the alerts' panel sits in (also when its dock floats), if any."""
        widget = self.parent()
        while widget is not None and not isinstance(widget, QMainWindow):
            widget = widget.parent()
        return widget if isinstance(widget, QMainWindow) else None

    def _show_in_window(self, text: str) -> None:
        window = self._main_window()
        if window is not None:
            *items, advice = text.split("\n")  # the balloon's lines, on one line
            window.statusBar().showMessage(f"{TITLE}：{'、'.join(items)}，{advice}", STATUS_MS)
        self.sig_in_window.emit(TITLE, text)

    def _show_tray(self, text: str) -> None:
        if self._tray is None:
            icon = QApplication.windowIcon()  # both static: the running application's
            if icon.isNull():
                icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self._tray = QSystemTrayIcon(icon, self)
            self._tray.setToolTip("警源治理：时限提醒")
        self._tray.show()
        self._tray.showMessage(TITLE, text, QSystemTrayIcon.MessageIcon.Warning, 10_000)

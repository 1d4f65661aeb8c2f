"""Telling the clerk a clock has just run out: a tray balloon and a beep, each switchable."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from jingyuan_desktop.domain.clocks import Clock

TRAY_KEY = "timers/tray_notify"
SOUND_KEY = "timers/sound"


def _flag(settings: QSettings, key: str) -> bool:
    # QSettings in INI files hands booleans back as the strings "true"/"false".
    value = settings.value(key, True)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1")


class OverdueAlerts(QObject):
    """Raises the alert for a clock; the panel decides that it is the first time."""

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
        if self.tray_enabled:
            self._show_tray(clocks)

    def _show_tray(self, clocks: list[Clock]) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable() or not QSystemTrayIcon.supportsMessages():
            return
        if self._tray is None:
            icon = QApplication.windowIcon()  # both static: the running application's
            if icon.isNull():
                icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self._tray = QSystemTrayIcon(icon, self)
            self._tray.setToolTip("警源治理：时限提醒")
        self._tray.show()
        lines = [f"{c.case_no} {c.name.label}" for c in clocks[:5]]
        if len(clocks) > 5:
            lines.append(f"等共{len(clocks)}项")
        self._tray.showMessage("时限已到", "\n".join(lines) + "\n已超时，请尽快处理",
                               QSystemTrayIcon.MessageIcon.Warning, 10_000)

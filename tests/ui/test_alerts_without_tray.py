"""Issue 13: with no system tray the overdue alert is shown inside the window, never in a box."""

from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QPushButton, QSystemTrayIcon

from jingyuan_desktop.domain.enums import ClockName
from jingyuan_desktop.ui.timers import alerts as alerts_module
from jingyuan_desktop.ui.timers.panel import TimerPanel
from tests.ui.conftest import FIXED, new_case


class MovableNow:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@pytest.fixture
def beeps(monkeypatch):
    calls = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: calls.append(1)))
    return calls


@pytest.fixture
def no_tray(monkeypatch):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    shown = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda _self, *args: shown.append(args))
    return shown


def docked_panel(ops, qtbot, qsettings, now):
    """As in the program: the panel in a dock of a main window."""
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = TimerPanel(ops, window, now=now, settings=qsettings)
    dock = QDockWidget("时限", window)
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: not panel._loading, timeout=10_000)
    return window, panel


def test_an_overdue_clock_is_shown_in_the_window_when_there_is_no_tray(ops, ctx, qtbot, qsettings, beeps,
                                                                        no_tray, no_modal_boxes):
    case_no = new_case(ctx, minutes_ago=0)
    now = MovableNow(FIXED + timedelta(minutes=1))
    window, panel = docked_panel(ops, qtbot, qsettings, now)
    assert not panel.banner.isVisible()
    received = []
    panel.alerts.sig_in_window.connect(lambda title, text: received.append((title, text)))
    overdue = []
    panel.sig_clock_overdue.connect(overdue.append)

    now.moment = FIXED + timedelta(minutes=6)  # the 5-minute dispatch clock ran out
    panel.tick()

    clocks = [c for c in overdue if c.case_no == case_no and c.name == ClockName.DISPATCH]
    assert clocks
    expected = alerts_module.alert_text(overdue)  # what the balloon would have said
    assert f"{case_no} 交办时限" in expected and expected.endswith("已超时，请尽快处理")
    assert received == [("时限已到", expected)]
    assert panel.banner.isVisible()
    shown = panel.banner_text.text()
    assert "时限已到" in shown and f"{case_no} 交办时限" in shown and "已超时，请尽快处理" in shown
    status = window.statusBar().currentMessage()
    assert status.startswith("时限已到：") and f"{case_no} 交办时限" in status and "已超时，请尽快处理" in status
    assert beeps == [1]  # the sound setting as before
    assert no_tray == [] and no_modal_boxes == []  # no balloon, no box
    assert QApplication.activeModalWidget() is None

    # 知道了 puts the banner away (non-modal: the window was usable all along).
    panel.banner.findChild(QPushButton).click()
    assert not panel.banner.isVisible()


def test_switched_off_popups_stay_out_of_the_window_too(ops, ctx, qtbot, qsettings, beeps, no_tray):
    new_case(ctx, minutes_ago=0)
    now = MovableNow(FIXED + timedelta(minutes=1))
    window, panel = docked_panel(ops, qtbot, qsettings, now)
    panel.tray_box.setChecked(False)
    now.moment = FIXED + timedelta(minutes=6)
    panel.tick()
    assert beeps == [1]
    assert not panel.banner.isVisible() and window.statusBar().currentMessage() == ""


def test_with_a_tray_the_balloon_carries_the_alert(ops, ctx, qtbot, beeps, monkeypatch, tmp_path):
    monkeypatch.setattr(alerts_module, "tray_available", lambda: True)
    balloons = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda _self, *args: balloons.append(args))
    monkeypatch.setattr(QSystemTrayIcon, "show", lambda _self: None)
    settings = QSettings(str(tmp_path / "tray.ini"), QSettings.Format.IniFormat)
    new_case(ctx, minutes_ago=0)
    now = MovableNow(FIXED + timedelta(minutes=1))
    window, panel = docked_panel(ops, qtbot, settings, now)
    now.moment = FIXED + timedelta(minutes=6)
    panel.tick()
    assert balloons and balloons[0][0] == "时限已到" and "已超时，请尽快处理" in balloons[0][1]
    assert not panel.banner.isVisible() and window.statusBar().currentMessage() == ""

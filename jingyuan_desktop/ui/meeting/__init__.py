"""The weekly meeting screen: agenda, decisions, minutes."""

from jingyuan_desktop.ui.meeting.widget import MeetingWidget

__all__ = ["MeetingWidget"]

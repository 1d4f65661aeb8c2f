"""An event's data fields as one readable Chinese line for the timeline."""

from __future__ import annotations

from jingyuan_desktop.domain.event_text import event_details
from jingyuan_desktop.domain.model import Event
from jingyuan_desktop.ui.widgets.text import format_moment


def _moment(value) -> str:
    return format_moment(value, with_year=True)


def describe(event: Event) -> str:
    """字段：值；…, then the note, then the evidence references."""
    parts = [f"{label}：{text}" for label, text in event_details(event, _moment)]
    if event.note:
        parts.append(event.note)
    if event.evidence:
        parts.append("证据：" + "、".join(event.evidence))
    return "；".join(parts)

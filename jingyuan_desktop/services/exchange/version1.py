"""Reading version 1 of the exchange file: its events become version 2's.

Version 1 was written under the first rules. A case read from it is converted here, then
checked with ``check_timeline(case, legacy=True)``, which accepts a resolution without its
outcome and an arrival without the names of those present, and nothing else the rules refuse.
The conversion is the one the database went through (migration 0003):

* ``resolved``: ``on_site: true`` becomes outcome ``on_site``. ``on_site: false``, or no
  ``on_site``, leaves the resolution without an outcome: version 1 did not record how a case
  not resolved on site was resolved, and a guess would put a wrong 化解方式 into the figures;
* ``arrived``: ``handlers`` becomes ``present``;
* ``cancelled``: the free-text ``reason`` becomes a ``CancelReason`` code: ``not_our_remit``
  when the case had been dispatched before it was cancelled (the team went and found it was
  not the office's matter), else ``entered_in_error``. The text is kept: it moves to the front
  of the event's note, joined to a note already there by "；" (unless the note already holds
  it). A reason that already is a code is kept as it is;
* a case without ``risk`` keeps none (version 1 always wrote one; a file that left it out
  gives a case not yet classified).
"""

from __future__ import annotations

from dataclasses import replace

from jingyuan_desktop.domain.enums import CancelReason, EventType, Outcome
from jingyuan_desktop.domain.model import Case, Event

E = EventType
_CANCEL_CODES = frozenset(reason.value for reason in CancelReason)


def upgrade_case(case: Case) -> Case:
    """``case`` as read from a version 1 file, with its events in version 2's form."""
    events: list[Event] = []
    for event in case.events:
        events.append(upgrade_event(event, dispatched=any(e.type == E.DISPATCHED for e in events)))
    return replace(case, events=events)


def upgrade_event(event: Event, *, dispatched: bool) -> Event:
    """One version 1 event in version 2's form; ``dispatched``: the case was dispatched before it."""
    data, note = dict(event.data), event.note
    if event.type == E.RESOLVED:
        if data.pop("on_site", None) is True:
            data["outcome"] = Outcome.ON_SITE.value
    elif event.type == E.ARRIVED:
        if "handlers" in data:
            data["present"] = data.pop("handlers")
    elif event.type == E.CANCELLED and data.get("reason") not in _CANCEL_CODES:
        text = str(data.get("reason") or "").strip()
        data["reason"] = (CancelReason.NOT_OUR_REMIT if dispatched else CancelReason.ENTERED_IN_ERROR).value
        if text and text not in note:
            note = f"{text}；{note}" if note else text
    else:
        return event
    return replace(event, data=data, note=note)

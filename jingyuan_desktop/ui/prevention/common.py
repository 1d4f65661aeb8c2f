"""What the prevention tabs share: who may do what, a message line, the lists the forms offer,
and small read-only tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QWidget

from jingyuan_desktop.domain.access import Permission, refusal
from jingyuan_desktop.domain.calendar import TZ, local
from jingyuan_desktop.domain.enums import PersonRole, UnitKind
from jingyuan_desktop.domain.prevention import Grid, OfficerBeat
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.palette import ALARM, INFO, INFO_TINT, OK

ALL_VILLAGES = "全部村（社区）"


def may(ops: Operations, permission: Permission) -> bool:
    """Whether the account may do it (no account: one PC, one clerk, everything)."""
    account = ops.ctx.account
    return account is None or account.may(permission)


def why_not(ops: Operations, permission: Permission) -> str:
    account = ops.ctx.account
    return refusal(account.role, permission) if account is not None else ""


def own_village(ops: Operations) -> str:
    account = ops.ctx.account
    return account.village if account is not None and account.village else ""


class MessageLine(QLabel):
    """One line under a form: what was saved (green) or the service's refusal (red)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def say(self, text: str, *, error: bool = False) -> None:
        self.setStyleSheet(f"color: {ALARM if error else OK};" + (" font-weight: bold;" if error else ""))
        self.setText(text)
        self.setVisible(bool(text))


def hint(text: str, parent: QWidget | None = None) -> QLabel:
    """A blue line saying what the tab is for and what to do next."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {INFO}; background: {INFO_TINT}; padding: 4px;")
    return label


def no_right(text: str, parent: QWidget | None = None) -> QLabel:
    """What a role without the right sees in place of a register: a sentence, not an empty table."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(f"color: {ALARM}; font-size: 15px; padding: 40px;")
    return label


@dataclass(frozen=True)
class Choices:
    """What the forms offer: villages, their grids, the officers' beats and the village people."""

    villages: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    beats: list[OfficerBeat] = field(default_factory=list)
    grid_workers: dict[str, list[str]] = field(default_factory=dict)  # village -> people listed as 网格员

    def grids_of(self, village: str) -> list[Grid]:
        return [g for g in self.grids if g.village == village]

    def workers(self, village: str, grid: str = "") -> list[str]:
        """Names to complete the 走访人 field with: the grid's people first, then the village's."""
        names: list[str] = []
        for item in self.grids_of(village):
            if not grid or item.name == grid:
                names += [item.head, *item.workers]
        names += self.grid_workers.get(village, [])
        names += [b.officer for b in self.beats if b.village == village]
        return list(dict.fromkeys(n for n in names if n))


def read_choices(ctx: AppContext) -> Choices:
    """Read in the worker thread."""
    villages = [u.name for u in queries.units(ctx, UnitKind.VILLAGE, UnitKind.COMMUNITY)]
    workers: dict[str, list[str]] = {}
    for person in queries.people(ctx):
        if person.role == PersonRole.GRID_WORKER and person.unit:
            workers.setdefault(person.unit, []).append(person.name)
    return Choices(villages, records.grids(ctx), records.beats(ctx), workers)


def to_moment(value: QDateTime) -> datetime:
    """A date-time typed on screen, as the town's local time."""
    moment = value.toPython()
    assert isinstance(moment, datetime)
    return moment.replace(tzinfo=TZ)


def shortcut(keys: str, parent: QWidget, slot: Callable[[], object], *,
             context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QShortcut:
    """A keyboard shortcut for ``slot`` while ``parent`` (or, by context, its window) has focus."""
    made = QShortcut(QKeySequence(keys), parent)
    made.setContext(context)
    made.activated.connect(slot)
    return made


def from_moment(moment: datetime) -> QDateTime:
    return QDateTime(local(moment).replace(tzinfo=None))


def day_text(day) -> str:
    return f"{day.year}-{day.month:02d}-{day.day:02d}" if day else ""

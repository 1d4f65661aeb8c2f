"""The key-person notice of the intake form: looked up shortly after a party's phone or ID
number changes; a party on the register ticks 涉及重点人员 (seed 001)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.privacy import mask_name
from jingyuan_desktop.services.prevention.records import key_persons_of_case
from jingyuan_desktop.ui.intake.notice import LookupNotice
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.palette import ALARM, WARN_TINT


class KeyPersonNotice(LookupNotice):
    """Hidden until a party matches the register; then names the entries (masked) and their
    responsible persons. Roles that may not see the register never get a match."""

    sig_checked = Signal(int)
    """The lookup answered; carries how many register entries matched."""

    def __init__(self, ops: Operations, draft: Callable[[], Case], parent: QWidget | None = None):
        super().__init__(ops, draft, f"background:{WARN_TINT}; color:{ALARM}; padding:6px; border-radius:4px;", parent)
        self.entries: list = []

    def check_now(self) -> None:
        self._timer.stop()
        draft = self.draft()
        if not any(p.phone.strip() or p.id_number.strip() for p in draft.parties):
            self.ops.drop(self, "lookup")
            self._show([])
            return
        self.ops.run(lambda ctx: key_persons_of_case(ctx, draft), owner=self, key="lookup",
                     on_done=self._show, on_error=lambda _message: self._show([]))

    def _show(self, entries) -> None:
        self.entries = list(entries)
        if not self.entries:
            self.clear()
            self.hide()
        else:
            names = "；".join(f"{mask_name(e.name)}（{e.type_label}，责任人：{e.responsible}）" for e in self.entries)
            self.setText(f"⚠ 当事人在重点人员名册中：{names}。已勾选“涉及重点人员”，交办单上将注明。")
            self.show()
        self.sig_checked.emit(len(self.entries))

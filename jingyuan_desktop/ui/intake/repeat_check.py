"""The repeat-call warning: looked up shortly after the caller's phone or the place changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.privacy import is_valid_phone
from jingyuan_desktop.domain.repeats import normalise_place
from jingyuan_desktop.services.intake import find_repeat
from jingyuan_desktop.ui.intake.notice import LookupNotice
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.palette import WARN, WARN_TINT
from jingyuan_desktop.ui.widgets.text import format_moment


class RepeatWarning(LookupNotice):
    """Empty and hidden until a match is found; the case number is a link that opens it."""

    sig_open_case = Signal(str)
    sig_checked = Signal(str)  # the matched case number, "" for none; for tests and the status line

    def __init__(self, ops: Operations, draft: Callable[[], Case], parent: QWidget | None = None):
        super().__init__(ops, draft, f"background:{WARN_TINT}; color:{WARN}; padding:6px; border-radius:4px;", parent)
        self.window_days = 90
        self.match = ""
        self.setTextFormat(Qt.TextFormat.RichText)
        self.linkActivated.connect(self.sig_open_case.emit)

    def check_now(self) -> None:
        self._timer.stop()
        draft = self.draft()
        caller = draft.caller
        phone_ok = caller is not None and is_valid_phone(caller.phone)
        place_ok = bool(draft.village and normalise_place(draft.location))
        if not (phone_ok or place_ok):
            self.ops.drop(self, "lookup")  # an older lookup answering late must not show
            self._show(None)
            return
        window = self.window_days
        self.ops.run(lambda ctx: find_repeat(ctx, draft, window), owner=self, key="lookup",
                     on_done=self._show, on_error=lambda _message: self._show(None))

    def _show(self, found) -> None:
        if found is None:
            self.match = ""
            self.clear()
            self.hide()
        else:
            case_no, reason, earlier = found
            self.match = case_no
            self.setText(
                f"⚠ 疑似重复报警：与 <a href='{case_no}'>{case_no}</a>"
                f"（{format_moment(earlier.received_at)} 接收，{earlier.village}）{reason}。"
                "保存后将自动关联为二次处置；单击编号查看原案件。"
            )
            self.show()
        self.sig_checked.emit(self.match)

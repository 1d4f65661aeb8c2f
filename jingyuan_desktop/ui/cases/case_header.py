"""The key fields of a case, with the parties' phone numbers masked until asked for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QMessageBox, QPushButton, QWidget

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.clocks import Clock
from jingyuan_desktop.domain.enums import colour_text
from jingyuan_desktop.domain.event_text import ending_text
from jingyuan_desktop.domain.model import Case, Party
from jingyuan_desktop.domain.privacy import mask_id_number, mask_numbers_in_text, mask_phone
from jingyuan_desktop.ui.palette import ALARM
from jingyuan_desktop.ui.widgets.text import format_moment, format_remaining


class CaseHeader(QWidget):
    # (case_no, party index), once the numbers are on screen.
    sig_phone_revealed = Signal(str, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(14)
        self.case: Case | None = None
        self.revealed: set[int] = set()
        # recorder(case_no, party index, show): writes the audit row, then calls show(). The
        # numbers appear only once it is written; without a recorder they are shown at once.
        self.reveal_recorder: Callable[[str, int, Callable[[], None]], None] | None = None

    def show_case(self, case: Case, now: datetime, clock: Clock | None = None) -> None:
        if self.case is None or self.case.case_no != case.case_no:
            self.revealed = set()
        self.case, self._now, self._clock = case, now, clock
        _clear(self.grid)
        current = lifecycle.classification_at(case)
        status = lifecycle.derive_status(case, now)
        flags = [text for on, text in ((current.criminal_risk, "民转刑风险"), (case.key_persons, "涉及重点人员"))
                 if on]
        if case.repeat_of:
            flags.append(f"重复报警（前案 {case.repeat_of}）")
        colour = colour_text(lifecycle.current_risk(case))  # 未定 until classified, 蓝色 once resolved
        fields = [
            ("编号", case.case_no), ("状态", status.label),
            ("接收时间", format_moment(case.received_at, with_year=True)), ("来源", case.source.label),
            ("村（社区）", case.village), ("地点", case.location),
            ("类别", current.category), ("等级 / 风险", f"{current.grade.label} / {colour}"),
            ("警情编号", case.police_incident_no),
            ("派出所 / 民警", " ".join(filter(None, (case.police_station, case.officer)))),
            ("报警时间", format_moment(case.called_at, with_year=True)), ("提示", "；".join(flags) or "无"),
        ]
        ended = ending_text(case)
        if ended:
            fields.insert(2, ("办结", ended))
            fields.insert(3, ("", ""))
        if clock is not None:
            fields.insert(2, ("当前时限", f"{clock.name.label}　{format_remaining(clock.due_at - now)}"
                                          f"（{format_moment(clock.due_at)} 到期）"))
            fields.insert(3, ("", ""))
        for index, (label, value) in enumerate(fields):
            row, column = divmod(index, 2)
            if not label:  # keeps 当前时限 and 办结 alone on their rows
                continue
            self.grid.addWidget(_caption(label), row, column * 2)
            value_label = _value(value, bold=label in ("编号", "当前时限"))
            if label == "当前时限" and clock is not None and clock.due_at < now:
                value_label.setStyleSheet(f"font-weight: bold; color: {ALARM};")
            self.grid.addWidget(value_label, row, column * 2 + 1)
        row = len(fields) // 2
        self.grid.addWidget(_caption("简要情况"), row, 0)
        summary = _value(mask_numbers_in_text(case.summary))
        summary.setWordWrap(True)
        self.grid.addWidget(summary, row, 1, 1, 3)
        for offset, party in enumerate(case.parties):
            self._party_row(row + 1 + offset, offset, party)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)

    def _party_row(self, row: int, index: int, party: Party) -> None:
        shown = index in self.revealed
        phone = party.phone if shown else mask_phone(party.phone)
        id_text = (party.id_number if shown else mask_id_number(party.id_number)) if party.id_number else ""
        text = "　".join(filter(None, (party.name, phone, f"身份证 {id_text}" if id_text else "")))
        self.grid.addWidget(_caption(party.role.label), row, 0)
        self.grid.addWidget(_value(text), row, 1, 1, 2)
        if (party.phone or party.id_number) and not shown:
            button = QPushButton("显示", self)
            button.setToolTip("显示完整电话和证件号码")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, i=index: self.reveal(i))
            self.grid.addWidget(button, row, 3, alignment=Qt.AlignmentFlag.AlignLeft)

    def reveal(self, index: int, *, confirm: bool = True) -> None:
        if confirm:
            answer = QMessageBox.question(
                self, "显示个人信息",
                "完整号码仅供工作联系使用，请勿在投影或共享屏幕上显示。\n确定显示吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        if self.case is None:  # no case shown: nothing to reveal
            return
        case_no = self.case.case_no

        def show() -> None:
            if self.case is None or self.case.case_no != case_no:
                return
            self.revealed.add(index)
            self.sig_phone_revealed.emit(case_no, index)
            self.show_case(self.case, self._now, self._clock)

        if self.reveal_recorder is None:
            show()
        else:
            self.reveal_recorder(case_no, index, show)

    def party_texts(self) -> list[str]:
        """What is shown for each party; the tests read it."""
        return [self._cell_text(r, 1) for r in range(self.grid.rowCount())
                if self._cell_text(r, 0) in {"报警人", "当事人", "其他"}]

    def _cell_text(self, row: int, column: int) -> str:
        item = self.grid.itemAtPosition(row, column)
        widget = item.widget() if item is not None else None
        return widget.text() if isinstance(widget, QLabel) else ""


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("color: #666;")
    return label


def _value(text: str, bold: bool = False) -> QLabel:
    label = QLabel(text or "—")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        label.setStyleSheet("font-weight: bold;")
    return label


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()

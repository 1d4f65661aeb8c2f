"""人员核对: pairs of person records that may be one person (the same phone or ID number, or
the same name in the same village), each answered 是同一人（合并） or 不是同一人."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.prevention import Citizen
from jingyuan_desktop.domain.privacy import mask_id_number, mask_phone
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.prevention.changes import PreventionChange, touches_prevention
from jingyuan_desktop.ui.prevention.common import MessageLine, hint, may, no_right, why_not
from jingyuan_desktop.ui.settings.base import fill_table, make_table

HEADERS = ["原因", "记录一", "电话", "身份证号", "村（社区）", "记录二", "电话", "身份证号", "村（社区）"]

Pair = tuple[Citizen, Citizen, str]


def citizen_cells(citizen: Citizen) -> tuple[str, str, str, str]:
    # The last four digits are enough to compare; the name is what the review is about.
    return (citizen.name, mask_phone(citizen.phone) if citizen.phone else "—",
            mask_id_number(citizen.id_number) if citizen.id_number else "—", citizen.village or "—")


class ReviewTab(QWidget):
    sig_loaded = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.pairs: list[Pair] = []
        self.allowed = may(ops, Permission.EDIT_REFERENCE)
        layout = QVBoxLayout(self)
        if not self.allowed:
            layout.addWidget(no_right(f"{why_not(ops, Permission.EDIT_REFERENCE)}，人员核对由管理员完成。", self))
            return
        layout.addWidget(hint("下列两条记录可能是同一个人（来自案件当事人和重点人员名册）。核对后选择："
                              "是同一人则合并为一条，案件和走访都归到合并后的记录；不是同一人则以后不再列出。", self))
        self.count = QLabel(self)
        self.table = make_table(HEADERS)
        self.same_button = QPushButton("是同一人（合并）", self)
        self.same_button.setToolTip("把两条记录合并为较早的一条（Ctrl+M）")
        self.same_button.setShortcut("Ctrl+M")
        self.same_button.clicked.connect(lambda: self.decide(same=True))
        self.distinct_button = QPushButton("不是同一人", self)
        self.distinct_button.setToolTip("记为两个人，以后不再列出这一对（Ctrl+D）")
        self.distinct_button.setShortcut("Ctrl+D")
        self.distinct_button.clicked.connect(lambda: self.decide(same=False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.same_button)
        buttons.addWidget(self.distinct_button)
        buttons.addStretch(1)
        self.message = MessageLine(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        ops.sig_changed.connect(self._changed)
        self.reload()

    def reload(self) -> None:
        if self.allowed:
            self.ops.run(records.review_pairs, owner=self, key="pairs", on_done=self._loaded,
                         on_error=lambda text: self.message.say(text, error=True))

    def _loaded(self, pairs: list[Pair]) -> None:
        self.pairs = pairs
        fill_table(self.table, [(reason, *citizen_cells(a), *citizen_cells(b)) for a, b, reason in pairs])
        self.count.setText(f"待核对 {len(pairs)} 对" if pairs else "没有待核对的记录")
        for button in (self.same_button, self.distinct_button):
            button.setEnabled(bool(pairs))
        if pairs:
            self.table.selectRow(0)
        self.sig_loaded.emit()

    def _changed(self, change: Change) -> None:
        if touches_prevention(change):
            self.reload()

    def selected(self) -> Pair | None:
        row = self.table.currentRow()
        return self.pairs[row] if 0 <= row < len(self.pairs) else None

    def decide(self, *, same: bool) -> None:
        pair = self.selected()
        if pair is None:
            self.message.say("请先在列表中选择一对记录", error=True)
            return
        first, second, _reason = pair
        if same and QMessageBox.question(
                self, "合并记录", f"确认“{first.name}”和“{second.name}”是同一个人，合并为一条记录？合并后不能拆开。") \
                != QMessageBox.StandardButton.Yes:
            return
        done = f"已合并：{first.name}、{second.name}" if same else f"已记为两个人：{first.name}、{second.name}"
        self.ops.run(lambda ctx: records.decide_pair(ctx, first.id or 0, second.id or 0, same=same),
                     changed=PreventionChange(), owner=self, on_done=lambda _r: self.message.say(done),
                     on_error=lambda text: self.message.say(text, error=True))



"""人员查询: find a person by name, phone or ID number and see every case they were in and
whether they are on the key-person register (issue 14: persons across cases). Names and
numbers are masked in the list; a person's page is a look at personal data and is audited."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.enums import PartyRole, Status
from jingyuan_desktop.domain.prevention import Citizen
from jingyuan_desktop.domain.privacy import mask_id_number, mask_name, mask_numbers_in_text, mask_phone
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.prevention.common import MessageLine, hint, may, no_right, why_not
from jingyuan_desktop.ui.settings.base import fill_table, make_table

HEADERS = ["姓名", "电话", "身份证号", "村（社区）", "网格"]
CASE_HEADERS = ["案件编号", "身份", "接收时间", "状态", "简要情况"]


def _role_text(code: str) -> str:
    try:
        return PartyRole(code).label
    except ValueError:
        return code


def _status_text(code: str) -> str:
    try:
        return Status(code).label
    except ValueError:
        return code


class PeopleTab(QWidget):
    sig_open_case = Signal(str)
    sig_found = Signal(int)
    """A search answered; carries how many persons were found."""
    sig_page = Signal()
    """A person's page is on screen."""

    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.found: list[Citizen] = []
        self.cases: list[tuple] = []
        layout = QVBoxLayout(self)
        self.allowed = may(ops, Permission.READ_CASES)
        if not self.allowed:
            layout.addWidget(no_right(why_not(ops, Permission.READ_CASES), self))
            return
        layout.addWidget(hint("按姓名、电话或身份证号查找案件当事人和重点人员；同一人（同一身份证号或电话）的历次"
                              "案件列在一起。查看某人详情会记入审计日志。", self))
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("姓名、电话或身份证号（回车查找）")
        self.query.returnPressed.connect(self.search)
        find = QPushButton("查找", self)
        find.clicked.connect(self.search)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(find)
        self.table = make_table(HEADERS)
        self.table.currentCellChanged.connect(lambda r, *_a: self.open_person(r))
        self.page = QLabel(self)
        self.page.setWordWrap(True)
        self.page.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.case_table = make_table(CASE_HEADERS)
        self.case_table.cellDoubleClicked.connect(self._open_case)
        self.message = MessageLine(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.page)
        layout.addWidget(self.case_table, 3)
        layout.addWidget(QLabel("双击案件一行打开该案件", self))
        layout.addWidget(self.message)

    def search(self) -> None:
        text = self.query.text().strip()
        if not text:
            self.message.say("请输入姓名、电话或身份证号", error=True)
            return
        self.message.say("")
        self.ops.run(lambda ctx: records.find_citizens(ctx, text), owner=self, key="search", on_done=self._found,
                     on_error=lambda message: self.message.say(message, error=True))

    def _found(self, found: list[Citizen]) -> None:
        self.found = found
        fill_table(self.table, [(mask_name(c.name), mask_phone(c.phone) if c.phone else "—",
                                 mask_id_number(c.id_number) if c.id_number else "—", c.village or "—", c.grid or "—")
                                for c in found])
        self.page.clear()
        fill_table(self.case_table, [])
        if not found:
            self.message.say("没有找到，请换一个写法（姓名或电话可只写其中一部分，身份证号须写全）")
        self.sig_found.emit(len(found))

    def open_person(self, row: int) -> None:
        citizen_id = self.found[row].id if 0 <= row < len(self.found) else None
        if citizen_id is None:
            return
        self.ops.run(lambda ctx: records.citizen_page(ctx, citizen_id), owner=self, key="page",
                     on_done=self._show_page, on_error=lambda message: self.message.say(message, error=True))

    def _show_page(self, result) -> None:
        citizen, cases, entries = result
        self.cases = list(cases)
        register = "；".join(f"重点人员（{e.type_label}，责任人：{e.responsible}）" for e in entries)
        self.page.setText(f"<b>{mask_name(citizen.name)}</b>　{citizen.village or ''} {citizen.grid or ''}　"
                          f"涉及案件 {len(cases)} 件" + (f"　<span style='color:#b3261e'>{register}</span>"
                                                     if register else ""))
        fill_table(self.case_table, [(no, _role_text(role), f"{received:%Y-%m-%d %H:%M}", _status_text(status),
                                      mask_numbers_in_text(summary)[:60])
                                     for no, role, received, status, summary in cases])
        self.sig_page.emit()

    def _open_case(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.cases):
            self.sig_open_case.emit(self.cases[row][0])

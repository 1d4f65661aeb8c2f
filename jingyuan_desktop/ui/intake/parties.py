"""More parties beyond the caller: name, phone and role, each row with its own error line."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.enums import PartyRole
from jingyuan_desktop.domain.model import Party
from jingyuan_desktop.ui.palette import ALARM

ERROR_STYLE = f"color: {ALARM};"


class PartyRow:
    def __init__(self, parent: QWidget):
        self.name = QLineEdit(parent)
        self.name.setPlaceholderText("姓名")
        self.phone = QLineEdit(parent)
        self.phone.setPlaceholderText("电话")
        self.role = QComboBox(parent)
        for role in (PartyRole.PARTY, PartyRole.OTHER):
            self.role.addItem(role.label, role)
        self.remove = QPushButton("删除", parent)
        self.remove.setAutoDefault(False)
        self.remove.setToolTip("删除这一位当事人")
        self.error = QLabel(parent)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

    def is_blank(self) -> bool:
        return not self.name.text().strip() and not self.phone.text().strip()

    def party(self) -> Party:
        return Party(self.name.text().strip(), self.phone.text().strip(), PartyRole(self.role.currentData()))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def widgets(self) -> list[QWidget]:
        return [self.name, self.phone, self.role, self.remove, self.error]


class PartiesEditor(QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[PartyRow] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 3)
        self.add_button = QPushButton("＋ 添加当事人", self)
        self.add_button.setToolTip("报警人以外的其他当事人（对方当事人等）")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        # Enter belongs to the field being typed in (the category search takes its first match),
        # never to this button.
        self.add_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def add_row(self, party: Party | None = None, *, focus: bool = False) -> PartyRow:
        row = PartyRow(self)
        if party is not None:
            row.name.setText(party.name)
            row.phone.setText(party.phone)
            row.role.setCurrentIndex(max(row.role.findData(party.role), 0))
        for signal in (row.name.textChanged, row.phone.textChanged, row.role.currentIndexChanged):
            signal.connect(lambda *_args: self.sig_changed.emit())
        row.remove.clicked.connect(lambda: self.remove_row(row))
        self.rows.append(row)
        self._relayout()
        if focus:
            row.name.setFocus()
        self.sig_changed.emit()
        return row

    def remove_row(self, row: PartyRow) -> None:
        self.rows.remove(row)
        for widget in row.widgets():
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._relayout()
        self.sig_changed.emit()

    def _relayout(self) -> None:
        for index, row in enumerate(self.rows):
            line = index * 2
            self.grid.addWidget(row.name, line, 0)
            self.grid.addWidget(row.phone, line, 1)
            self.grid.addWidget(row.role, line, 2)
            self.grid.addWidget(row.remove, line, 3)
            self.grid.addWidget(row.error, line + 1, 0, 1, 4)

    def filled_rows(self) -> list[PartyRow]:
        """Rows with something typed in; a row left blank is simply not a party."""
        return [row for row in self.rows if not row.is_blank()]

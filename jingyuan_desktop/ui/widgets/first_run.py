"""The first start on an empty database: the demo town, or the office's own town typed in."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.domain.model import Person, Unit
from jingyuan_desktop.services.context import OfficeSettings, ServiceError
from jingyuan_desktop.ui.palette import ALARM
from jingyuan_desktop.ui.widgets.files import open_path

DEFAULT_PREFIX = OfficeSettings().case_no_prefix


@dataclass
class NewTown:
    """What ``services.setup.install_town`` reads: the town, its units and people."""

    town: str
    case_no_prefix: str
    units: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def build_town(name: str, prefix: str, stations_text: str, villages_text: str) -> NewTown:
    units = [Unit(v, UnitKind.COMMUNITY if v.endswith("社区") else UnitKind.VILLAGE) for v in _lines(villages_text)]
    units += [Unit(s, UnitKind.POLICE_STATION) for s in _lines(stations_text)]
    return NewTown(name.strip(), prefix.strip().upper() or DEFAULT_PREFIX, units)


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("欢迎使用警源治理")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel("数据库是空的。请选择如何开始：", self)
        layout.addWidget(intro)
        self.demo = QRadioButton("装入演示数据（房镇镇，虚构的案件与人员，用于熟悉操作）", self)
        self.fresh = QRadioButton("全新开始：填写本镇名称和村（社区）", self)
        self.demo.setChecked(True)
        layout.addWidget(self.demo)
        layout.addWidget(self.fresh)

        self.form_box = QWidget(self)
        form = QFormLayout(self.form_box)
        self.town = QLineEdit(self.form_box)
        self.town.setPlaceholderText("例如：房镇镇")
        self.prefix = QLineEdit(DEFAULT_PREFIX, self.form_box)
        self.prefix.setToolTip("案件编号的字母前缀，如 FZ2024-0001")
        self.stations = QPlainTextEdit(self.form_box)
        self.stations.setPlaceholderText("每行一个，例如：\n房镇派出所")
        self.stations.setFixedHeight(60)
        self.villages = QPlainTextEdit(self.form_box)
        self.villages.setPlaceholderText("每行一个，例如：\n解营村\n橡树湾社区")
        form.addRow("镇（街道）名称", self.town)
        form.addRow("案件编号前缀", self.prefix)
        form.addRow("派出所", self.stations)
        form.addRow("村（社区）", self.villages)
        self.import_button = QPushButton("从表格导入村（社区）…", self.form_box)
        self.import_button.setToolTip("从 .xlsx 或 .csv 读取，表头：名称、类型（村/社区），可选 书记、电话")
        self.import_button.clicked.connect(lambda: self.import_sheet())
        form.addRow("", self.import_button)
        self.sheet_people: list[Person] = []
        note = QLabel("人员、部门和类别可在“基础数据与设置”中补充。", self.form_box)
        note.setStyleSheet("color: #666;")
        form.addRow(note)
        layout.addWidget(self.form_box)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {ALARM};")
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开始")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fresh.toggled.connect(self.form_box.setEnabled)
        self.form_box.setEnabled(False)

    def wants_demo(self) -> bool:
        return self.demo.isChecked()

    def import_sheet(self, path: str | None = None) -> bool:
        """Fill the villages from a sheet; its secretaries come along. Problems are listed by row."""
        from jingyuan_desktop.services.admin import read_units_sheet

        if not path:
            path = open_path(self, "导入村（社区）", "表格 (*.xlsx *.csv)")
            if not path:
                return False
        try:
            sheet = read_units_sheet(path)
        except ServiceError as error:
            self.error.setText(error.message)
            return False
        self.villages.setPlainText("\n".join(unit.name for unit in sheet.units))
        self.sheet_people = list(sheet.people)
        self.error.setText("")
        return True

    def town_entered(self) -> NewTown:
        town = build_town(self.town.text(), self.prefix.text(), self.stations.toPlainText(),
                          self.villages.toPlainText())
        names = {unit.name for unit in town.units}
        town.people = [person for person in self.sheet_people if person.unit in names]
        return town

    def _accept(self) -> None:
        if self.fresh.isChecked():
            town = self.town_entered()
            if not town.town:
                self.error.setText("请填写镇（街道）名称")
                return
            if not any(u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY) for u in town.units):
                self.error.setText("请至少填写一个村（社区）")
                return
        self.accept()

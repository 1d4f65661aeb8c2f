"""The office itself: town name, number prefixes, the red-case rule, the PDF font; and the clocks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.services import admin
from jingyuan_desktop.services.context import BACKUP_KEEP_RANGE
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.settings.base import EditorTab
from jingyuan_desktop.ui.settings.clock_form import ClockForm
from jingyuan_desktop.ui.widgets.files import open_path


class OfficeTab(EditorTab):
    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(ops, parent)
        self.town = QLineEdit(self)
        self.case_prefix = QLineEdit(self)
        self.case_prefix.setToolTip("新案件编号的前缀，如 FZ → FZ-2026-00001")
        self.archive_prefix = QLineEdit(self)
        self.leader_rule = QCheckBox("红色案件须先确定包案领导，才能进行其他处置", self)
        self.meeting_day = QComboBox(self)
        for number, name in enumerate("一二三四五六日", start=1):
            self.meeting_day.addItem(f"每周{name}", number)
        self.meeting_day.setToolTip("例会页、投影和例会材料默认显示的周次由此而定：本周过半（周五起）且已到例会日前，显示上一整周")
        self.backup_keep = QSpinBox(self)
        self.backup_keep.setRange(*BACKUP_KEEP_RANGE)
        self.backup_keep.setSuffix(" 份")
        self.backup_keep.setToolTip("每天第一次打开程序时自动备份到数据库旁的 backups 文件夹，"
                                    "超出份数的最早备份自动删除")
        self.font_path = QLineEdit(self)
        self.font_path.setPlaceholderText("留空则自动查找（微软雅黑、宋体、黑体、文泉驿…）")
        browse = QPushButton("选择…", self)
        browse.clicked.connect(self._browse_font)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_path, 1)
        font_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("镇（街道）名称", self.town)
        form.addRow("案件编号前缀", self.case_prefix)
        form.addRow("档案编号前缀", self.archive_prefix)
        form.addRow("", self.leader_rule)
        form.addRow("周例会", self.meeting_day)
        form.addRow("每日自动备份保留", self.backup_keep)
        form.addRow("打印字体文件", font_row)
        self.save_button = QPushButton("保存单位信息", self)
        self.save_button.clicked.connect(self.save_office)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.save_button)
        self.layout_.addStretch(1)
        self.finish_layout()
        self.reload()

    CHANGES = Change(settings=True)

    def read(self, ctx):
        return ctx.office()

    def show_data(self, office) -> None:
        self.town.setText(office.town)
        self.case_prefix.setText(office.case_no_prefix)
        self.archive_prefix.setText(office.archive_no_prefix)
        self.leader_rule.setChecked(office.require_leader_for_red)
        self.font_path.setText(office.paper_font)
        self.meeting_day.setCurrentIndex(self.meeting_day.findData(office.meeting_weekday))
        self.backup_keep.setValue(office.backup_keep)

    def _browse_font(self) -> None:
        path = open_path(self, "选择字体文件", "字体 (*.ttf *.ttc *.otf)")
        if path:
            self.font_path.setText(path)

    def save_office(self) -> None:
        changes = {"town": self.town.text(), "case_no_prefix": self.case_prefix.text(),
                   "archive_no_prefix": self.archive_prefix.text(),
                   "require_leader_for_red": self.leader_rule.isChecked(), "paper_font": self.font_path.text(),
                   "meeting_weekday": self.meeting_day.currentData(), "backup_keep": self.backup_keep.value()}
        self.save(lambda ctx: admin.save_office(ctx, **changes), "单位信息已保存")


class ClocksTab(EditorTab):
    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(ops, parent)
        self.form = ClockForm(ClockSettings(), self, read_only=False)
        self.form.setEnabled(False)  # until the office's own settings have been read
        self.save_button = QPushButton("保存时限设置", self)
        self.save_button.setToolTip("保存后，所有案件的时限按新数字重新计算")
        self.save_button.clicked.connect(self.save_clocks)
        self.layout_.addWidget(self.form)
        self.layout_.addWidget(self.save_button)
        self.layout_.addStretch(1)
        self.finish_layout()
        self.reload()

    CHANGES = Change(settings=True)

    def read(self, ctx):
        return ctx.clock_settings()

    def show_data(self, settings) -> None:
        self.form.set_value(settings)
        self.form.setEnabled(True)

    def save_clocks(self) -> None:
        settings = self.form.value()
        self.save(lambda ctx: admin.save_clock_settings(ctx, settings), "时限设置已保存")

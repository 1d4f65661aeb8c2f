"""预警: the warnings in force and past, a form to declare one (dates, villages or grids, text,
daily patrols) and withdrawing one. Declaring and withdrawing need the WARNINGS right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.prevention import Warning
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import MUTED, WARN
from jingyuan_desktop.ui.prevention.banner import places_text
from jingyuan_desktop.ui.prevention.changes import PreventionChange, touches_prevention
from jingyuan_desktop.ui.prevention.common import (
    Choices,
    MessageLine,
    day_text,
    hint,
    may,
    read_choices,
    shortcut,
    why_not,
)
from jingyuan_desktop.ui.settings.base import fill_table, make_table

HEADERS = ["状态", "开始", "结束", "范围", "内容", "每日巡查"]


@dataclass(frozen=True)
class WarningData:
    warnings: list[Warning]
    choices: Choices


def state_text(warning: Warning, today: date) -> str:
    if warning.covers_day(today):
        return "生效中"
    return "未开始" if warning.starts > today else "已结束"


def checked(widget: QListWidget) -> tuple[str, ...]:
    items = (widget.item(i) for i in range(widget.count()))
    return tuple(item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked)


class WarningsTab(QWidget):
    sig_loaded = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.now = now or ops.ctx.now
        self.allowed = may(ops, Permission.WARNINGS)
        self.data = WarningData([], Choices())
        self.table = make_table(HEADERS)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(HEADERS.index("内容"), QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.count = QLabel(self)
        self.message = MessageLine(self)
        self.withdraw_button = QPushButton("撤销预警", self)
        self.withdraw_button.setToolTip("撤销选中的预警（发布错误或险情已解除）")
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        left_layout.addLayout(row)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(self._make_form())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        if not self.allowed:
            layout.addWidget(hint(f"只能查看：{why_not(ops, Permission.WARNINGS)}", self))
            self.withdraw_button.setEnabled(False)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        ops.sig_changed.connect(self._changed)
        self.reload()

    def _make_form(self) -> QGroupBox:
        box = QGroupBox("发布预警（Ctrl+S 发布）", self)
        today = local(self.now()).date()
        self.starts = QDateEdit(QDate(today), box)
        self.ends = QDateEdit(QDate(today + timedelta(days=6)), box)
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.villages = QListWidget(box)
        self.villages.setToolTip("勾选预警涉及的村（社区）；村和网格都不勾选表示全镇")
        self.grids = QListWidget(box)
        self.grids.setToolTip("只涉及某个网格时勾选网格")
        for widget in (self.villages, self.grids):
            widget.setMinimumHeight(110)
        self.text = QPlainTextEdit(box)
        self.text.setPlaceholderText("如：汛期降雨，注意河道沿线；春节前后返乡人员矛盾排查")
        self.text.setFixedHeight(64)
        self.daily = QCheckBox("期间每日巡查（网格巡查和民警走访改为每天一次）", box)
        self.save_button = QPushButton("发布预警", box)
        self.save_button.clicked.connect(self.submit)
        shortcut("Ctrl+S", box, self.submit, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        dates = QHBoxLayout()
        dates.addWidget(self.starts)
        dates.addWidget(QLabel("至", box))
        dates.addWidget(self.ends)
        dates.addStretch(1)
        places = QHBoxLayout()
        places.addWidget(self.villages)
        places.addWidget(self.grids)
        form = QFormLayout(box)
        form.addRow("日期", dates)
        form.addRow("范围", places)
        form.addRow("", QLabel("都不勾选表示全镇", box))
        form.addRow("内容", self.text)
        form.addRow("", self.daily)
        form.addRow("", self.save_button)
        if not self.allowed:
            box.setEnabled(False)
            box.setToolTip(why_not(self.ops, Permission.WARNINGS))
        box.setMinimumWidth(380)
        return box

    # ---- reading ------------------------------------------------------------------
    def reload(self) -> None:
        self.ops.run(lambda ctx: WarningData(records.warnings(ctx), read_choices(ctx)), owner=self, key="warnings",
                     on_done=self._loaded, on_error=lambda text: self.message.say(f"读取失败：{text}", error=True))

    def _loaded(self, data: WarningData) -> None:
        today = local(self.now()).date()
        order = {"生效中": 0, "未开始": 1, "已结束": 2}
        warnings = sorted(data.warnings, key=lambda w: (order[state_text(w, today)], -w.starts.toordinal()))
        self.data = WarningData(warnings, data.choices)
        fill_table(self.table, [(state_text(w, today), day_text(w.starts), day_text(w.ends), places_text(w),
                                 w.text, "是" if w.daily_patrols else "否") for w in warnings],
                   grey=[state_text(w, today) == "已结束" for w in warnings])
        for row, warning in enumerate(warnings):
            content = self.table.item(row, HEADERS.index("内容"))
            if content is not None:
                content.setToolTip(warning.text)
            if state_text(warning, today) == "生效中":
                item = self.table.item(row, 0)
                if item is not None:
                    item.setForeground(QBrush(QColor(WARN)))
        current = sum(state_text(w, today) == "生效中" for w in warnings)
        self.count.setText(f"生效中 {current} 条，共 {len(warnings)} 条（已撤销的不列出）")
        self._fill_places(data.choices)
        self.sig_loaded.emit()

    def _fill_places(self, choices: Choices) -> None:
        for widget, names in ((self.villages, choices.villages), (self.grids, [g.key for g in choices.grids])):
            kept = set(checked(widget))
            widget.clear()
            for name in names:
                item = QListWidgetItem(name, widget)
                item.setData(Qt.ItemDataRole.UserRole, name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name in kept else Qt.CheckState.Unchecked)
            if not names:
                empty = QListWidgetItem("（尚未划分网格）" if widget is self.grids else "（无）", widget)
                empty.setForeground(QBrush(QColor(MUTED)))
                empty.setFlags(Qt.ItemFlag.NoItemFlags)

    def _changed(self, change: Change) -> None:
        if touches_prevention(change):
            self.reload()

    # ---- writing ------------------------------------------------------------------
    def typed(self) -> Warning:
        starts: date = self.starts.date().toPython()  # type: ignore[assignment]
        ends: date = self.ends.date().toPython()  # type: ignore[assignment]
        return Warning(starts, ends, self.text.toPlainText().strip(), villages=checked(self.villages),
                       grids=checked(self.grids), daily_patrols=self.daily.isChecked())

    def submit(self) -> None:
        if not self.allowed:
            return
        warning = self.typed()
        self.message.say("")

        def done(_id) -> None:
            self.message.say(f"已发布预警：{warning.text}")
            self.text.clear()
            self.daily.setChecked(False)

        self.ops.run(lambda ctx: records.add_warning(ctx, warning), changed=PreventionChange(), owner=self,
                     on_done=done, on_error=lambda text: self.message.say(text, error=True))

    def selected(self) -> Warning | None:
        row = self.table.currentRow()
        return self.data.warnings[row] if 0 <= row < len(self.data.warnings) else None

    def withdraw_selected(self) -> None:
        warning = self.selected()
        if warning is None or warning.id is None:
            self.message.say("请先在列表中选择要撤销的预警", error=True)
            return
        if QMessageBox.question(self, "撤销预警", f"撤销预警“{warning.text}”？撤销后不再显示，也不再要求每日巡查。") \
                != QMessageBox.StandardButton.Yes:
            return
        warning_id = warning.id
        self.ops.run(lambda ctx: records.withdraw_warning(ctx, warning_id), changed=PreventionChange(), owner=self,
                     on_done=lambda _r: self.message.say(f"已撤销预警：{warning.text}"),
                     on_error=lambda text: self.message.say(text, error=True))

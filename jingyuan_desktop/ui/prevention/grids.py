"""网格: the grids below each village with their head and workers, the joint-defence points and
the village police officers' beats. Editable by roles that edit the reference data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.prevention import Grid, JointPoint, OfficerBeat
from jingyuan_desktop.services.prevention import records, sheets
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.prevention.changes import PreventionChange, touches_prevention
from jingyuan_desktop.ui.prevention.common import (
    ALL_VILLAGES,
    Choices,
    MessageLine,
    hint,
    may,
    read_choices,
    shortcut,
    why_not,
)
from jingyuan_desktop.ui.prevention.sheet_import import SheetImportButton
from jingyuan_desktop.ui.settings.base import fill_table, make_table

HEADERS = ["村（社区）", "网格", "网格长", "网格员", "联防联控点", "包村民警", "巡查起算"]
NAME_SPLIT = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class GridData:
    choices: Choices
    points: list[JointPoint]


def names_of(text: str) -> tuple[str, ...]:
    return tuple(n for n in NAME_SPLIT.split(text.strip()) if n)


class GridsTab(QWidget):
    sig_loaded = Signal()
    sig_saved = Signal(str)

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.now = now or ops.ctx.now
        self.data = GridData(Choices(), [])
        self.shown: list[Grid] = []
        self.editable = may(ops, Permission.EDIT_REFERENCE)
        self.village_filter = QComboBox(self)
        self.village_filter.addItem(ALL_VILLAGES, "")
        self.village_filter.currentIndexChanged.connect(lambda _i: self._fill())
        self.count = QLabel(self)
        self.table = make_table(HEADERS)
        self.table.currentCellChanged.connect(lambda row, *_: self._pick(row))
        self.message = MessageLine(self)
        self.import_grids = SheetImportButton(ops, "从表格导入网格…", "网格", sheets.import_grids, self.message, self,
                                              reference=True)
        self.import_beats = SheetImportButton(ops, "从表格导入包村民警…", "包村民警", sheets.import_beats, self.message,
                                              self, reference=True)

        top = QHBoxLayout()
        top.addWidget(QLabel("村（社区）", self))
        top.addWidget(self.village_filter)
        top.addWidget(self.count)
        top.addStretch(1)
        if self.editable:
            top.addWidget(self.import_grids)
            top.addWidget(self.import_beats)
        else:
            self.import_grids.hide()
            self.import_beats.hide()
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(self._make_forms())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        if not self.editable:
            layout.addWidget(hint(f"只读：{why_not(ops, Permission.EDIT_REFERENCE)}，如需调整网格请联系管理员", self))
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        ops.sig_changed.connect(self._changed)
        self.reload()

    # ---- building -----------------------------------------------------------------
    def _make_forms(self) -> QWidget:
        side = QWidget(self)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("网格（选中左侧一行可修改）", side)
        self.grid_village = QComboBox(box)
        self.grid_name = QLineEdit(box)
        self.grid_name.setPlaceholderText("如：第一网格")
        self.grid_head = QLineEdit(box)
        self.grid_workers = QLineEdit(box)
        self.grid_workers.setPlaceholderText("多人用顿号分隔，如：李明、王芳")
        self.grid_since = QDateEdit(QDate(local(self.now()).date()), box)
        self.grid_since.setCalendarPopup(True)
        self.grid_since.setDisplayFormat("yyyy-MM-dd")
        self.grid_since.setToolTip("从这一天所在的周起计算每周巡查时限")
        self.grid_note = QLineEdit(box)
        self.save_grid_button = QPushButton("保存网格", box)
        self.save_grid_button.setToolTip("按村（社区）和网格名称新增或修改；改名等于新增一个网格（Ctrl+S）")
        self.save_grid_button.clicked.connect(self.save_grid)
        self.stop_grid_button = QPushButton("停用网格", box)
        self.stop_grid_button.setToolTip("网格撤并后停用：不再计算巡查时限，已有记录保留")
        self.stop_grid_button.clicked.connect(self.stop_grid)
        form = QFormLayout(box)
        form.addRow("村（社区）", self.grid_village)
        form.addRow("网格名称", self.grid_name)
        form.addRow("网格长", self.grid_head)
        form.addRow("网格员", self.grid_workers)
        form.addRow("巡查起算", self.grid_since)
        form.addRow("备注", self.grid_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_grid_button)
        buttons.addWidget(self.stop_grid_button)
        form.addRow("", buttons)
        shortcut("Ctrl+S", box, self.save_grid, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        column.addWidget(box)

        point_box = QGroupBox("联防联控点", side)
        self.point_village = QComboBox(point_box)
        self.point_grid = QLineEdit(point_box)
        self.point_grid.setPlaceholderText("可不填")
        self.point_name = QLineEdit(point_box)
        self.point_head = QLineEdit(point_box)
        self.point_phone = QLineEdit(point_box)
        self.save_point_button = QPushButton("保存联防联控点", point_box)
        self.save_point_button.clicked.connect(self.save_point)
        point_form = QFormLayout(point_box)
        point_form.addRow("村（社区）", self.point_village)
        point_form.addRow("所在网格", self.point_grid)
        point_form.addRow("名称", self.point_name)
        point_form.addRow("负责人", self.point_head)
        point_form.addRow("电话", self.point_phone)
        point_form.addRow("", self.save_point_button)
        column.addWidget(point_box)

        beat_box = QGroupBox("包村民警", side)
        self.beat_officer = QLineEdit(beat_box)
        self.beat_village = QComboBox(beat_box)
        self.save_beat_button = QPushButton("保存包村民警", beat_box)
        self.save_beat_button.setToolTip("每周进村走访的次数在设置中调整")
        self.save_beat_button.clicked.connect(self.save_beat)
        beat_form = QFormLayout(beat_box)
        beat_form.addRow("民警姓名", self.beat_officer)
        beat_form.addRow("包村", self.beat_village)
        beat_form.addRow("", self.save_beat_button)
        column.addWidget(beat_box)
        column.addStretch(1)
        if not self.editable:
            for group in (box, point_box, beat_box):
                group.setEnabled(False)
                group.setToolTip(why_not(self.ops, Permission.EDIT_REFERENCE))
        side.setMinimumWidth(320)
        return side

    # ---- reading ------------------------------------------------------------------
    def reload(self) -> None:
        self.ops.run(lambda ctx: GridData(read_choices(ctx), records.joint_points(ctx)), owner=self, key="grids",
                     on_done=self._loaded, on_error=lambda text: self.message.say(f"读取失败：{text}", error=True))

    def _loaded(self, data: GridData) -> None:
        self.data = data
        villages = data.choices.villages
        for combo, extra in ((self.village_filter, True), (self.grid_village, False), (self.point_village, False),
                             (self.beat_village, False)):
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if extra:
                combo.addItem(ALL_VILLAGES, "")
            for name in villages:
                combo.addItem(name, name)
            found = combo.findData(kept)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)
        self._fill()
        self.sig_loaded.emit()

    def _fill(self) -> None:
        village = self.village_filter.currentData() or ""
        choices = self.data.choices
        self.shown = [g for g in choices.grids if not village or g.village == village]
        rows = []
        for grid in self.shown:
            points = [p.name for p in self.data.points if p.village == grid.village and p.grid in ("", grid.name)]
            officers = [b.officer for b in choices.beats if b.village == grid.village]
            rows.append((grid.village, grid.name, grid.head, "、".join(grid.workers), "、".join(points),
                         "、".join(officers), grid.since.isoformat() if grid.since else ""))
        fill_table(self.table, rows)
        without = [v for v in choices.villages if not any(g.village == v for g in choices.grids)]
        text = f"共 {len(self.shown)} 个网格"
        if not village and without:
            text += f"；{len(without)} 个村（社区）尚未划分网格"
        self.count.setText(text)

    def _changed(self, change: Change) -> None:
        if touches_prevention(change):
            self.reload()

    def _pick(self, row: int) -> None:
        if not 0 <= row < len(self.shown):
            return
        grid = self.shown[row]
        self.grid_village.setCurrentIndex(self.grid_village.findData(grid.village))
        self.grid_name.setText(grid.name)
        self.grid_head.setText(grid.head)
        self.grid_workers.setText("、".join(grid.workers))
        if grid.since:
            self.grid_since.setDate(QDate(grid.since))
        self.grid_note.setText(grid.note)
        self.point_village.setCurrentIndex(self.point_village.findData(grid.village))
        self.point_grid.setText(grid.name)
        self.beat_village.setCurrentIndex(self.beat_village.findData(grid.village))

    # ---- writing ------------------------------------------------------------------
    def typed_grid(self) -> Grid:
        since: date = self.grid_since.date().toPython()  # type: ignore[assignment]
        return Grid(self.grid_village.currentData() or "", self.grid_name.text().strip(),
                    head=self.grid_head.text().strip(), workers=names_of(self.grid_workers.text()), since=since,
                    note=self.grid_note.text().strip())

    def _save(self, work, done: str) -> None:
        self.message.say("")
        self.ops.run(work, changed=PreventionChange(reference=True), owner=self,
                     on_done=lambda _r: self._saved(done),
                     on_error=lambda text: self.message.say(text, error=True))

    def _saved(self, done: str) -> None:
        self.message.say(done)
        self.sig_saved.emit(done)

    def save_grid(self) -> None:
        if not self.editable:
            return
        grid = self.typed_grid()
        self._save(lambda ctx: records.save_grids(ctx, [grid]), f"已保存网格“{grid.key}”")

    def stop_grid(self) -> None:
        grid = self.typed_grid()
        known = next((g for g in self.data.choices.grids if g.key == grid.key), None)
        if known is None:
            self.message.say("请先在列表中选择要停用的网格", error=True)
            return
        if QMessageBox.question(self, "停用网格", f"停用网格“{grid.key}”？停用后不再计算它的巡查时限。") \
                != QMessageBox.StandardButton.Yes:
            return
        self._save(lambda ctx: records.save_grids(ctx, [replace(known, id=None)], active=False),
                   f"已停用网格“{grid.key}”")

    def save_point(self) -> None:
        point = JointPoint(self.point_village.currentData() or "", self.point_name.text().strip(),
                           grid=self.point_grid.text().strip(), head=self.point_head.text().strip(),
                           phone=self.point_phone.text().strip())
        self._save(lambda ctx: records.save_joint_points(ctx, [point]), f"已保存联防联控点“{point.name}”")

    def save_beat(self) -> None:
        officer, village = self.beat_officer.text().strip(), self.beat_village.currentData() or ""
        known = next((b for b in self.data.choices.beats if (b.officer, b.village) == (officer, village)), None)
        # An officer saved again keeps the day his clock started; a new beat starts today.
        beat = OfficerBeat(officer, village, since=known.since if known else local(self.now()).date())
        self._save(lambda ctx: records.save_beats(ctx, [beat]), f"已保存：{beat.officer} 包 {beat.village}")

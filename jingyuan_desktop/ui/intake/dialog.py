"""新建案件: the police transfer slip, the classification, and the dispatch clock running."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.enums import Grade, PartyRole, Risk, colour_text
from jingyuan_desktop.domain.model import Case, Party
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services.intake import IntakeChoices, load_choices
from jingyuan_desktop.ui.intake.category_picker import CategoryPicker
from jingyuan_desktop.ui.intake.dispatch_clock import DispatchClockLabel
from jingyuan_desktop.ui.intake.key_person_check import KeyPersonNotice
from jingyuan_desktop.ui.intake.parties import ERROR_STYLE, PartiesEditor
from jingyuan_desktop.ui.intake.repeat_check import RepeatWarning
from jingyuan_desktop.ui.intake.slip_form import SlipForm
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import ALARM, OK

# Fields whose problem shows only once the clerk leaves them: a phone is wrong until its last digit.
CHECK_ON_LEAVE = {"caller_phone"}
RISK_PLACEHOLDER = "—请选择—"


class IntakeDialog(QDialog):
    sig_open_case = Signal(str)
    sig_saved = Signal(str)
    sig_ready = Signal()  # the villages, stations and categories have been read

    def __init__(self, ops: Operations, parent: QWidget | None = None, *, now: Callable[[], datetime] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.now = now or ops.ctx.now
        self.created_case_no: str | None = None
        self.choices: IntakeChoices | None = None
        self.problems: dict[str, str] = {}
        self._touched: set[str] = set()
        self._show_all = False
        self._dirty = False
        self._saving = False
        self._filling = False
        self.setWindowTitle("新建案件（登记转交警情）")
        self.resize(1040, 700)

        self.clock = DispatchClockLabel(self.now, self)
        self.slip = SlipForm(self.now(), self)
        self.parties = PartiesEditor(self)
        self.category = CategoryPicker(self)
        self.category_error = QLabel(self)
        self.category_error.setStyleSheet(ERROR_STYLE)
        self.category_error.hide()
        self.grade = QComboBox(self)
        for grade in Grade:
            self.grade.addItem(grade.label, grade)
        self.grade.setCurrentIndex(self.grade.findData(Case.grade))
        # No colour in advance: it is chosen with the category (seed 003), and a default would
        # be recorded as if someone had judged it.
        self.risk = QComboBox(self)
        self.risk.addItem(RISK_PLACEHOLDER, None)
        for risk in Risk:
            self.risk.addItem(colour_text(risk), risk)
        self.risk.setCurrentIndex(0)
        self.risk_error = QLabel(self)
        self.risk_error.setStyleSheet(ERROR_STYLE)
        self.risk_error.setWordWrap(True)
        self.risk_error.hide()
        self.criminal_risk = QCheckBox("民转刑风险", self)
        self.key_persons = QCheckBox("涉及重点人员", self)
        self.grid = QComboBox(self)
        self.grid.setToolTip("纠纷发生地所属网格（在“排查预防—网格”中维护）；不清楚可不选")
        self.repeat = RepeatWarning(ops, self.draft_case, self)
        self.key_person_notice = KeyPersonNotice(ops, self.draft_case, self)
        self.outstanding = QLabel(self)
        self.outstanding.setWordWrap(True)
        self.save_button = QPushButton("保存 (Ctrl+Enter)", self)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.setEnabled(False)
        self.cancel_button = QPushButton("取消 (Esc)", self)
        self.cancel_button.setAutoDefault(False)
        self._layout()

        self.slip.sig_edited.connect(self._edited)
        self.parties.sig_changed.connect(lambda: self._edited("parties"))
        self.category.sig_changed.connect(self._category_changed)
        self.grade.currentIndexChanged.connect(lambda *_a: self._edited("classification"))
        self.risk.currentIndexChanged.connect(lambda *_a: self._edited("risk"))
        for box in (self.criminal_risk, self.key_persons):
            box.toggled.connect(lambda *_a: self._edited("classification"))
        for key, field in self.slip.inputs.items():
            field.installEventFilter(self)
            field.setProperty("intake_key", key)
        self.repeat.sig_open_case.connect(self._open_case)
        self.key_person_notice.sig_checked.connect(self._key_persons_checked)
        self.grid.currentIndexChanged.connect(lambda *_a: self._edited("grid"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)

        self.validate()
        ops.run(load_choices, owner=self, on_done=self._choices_loaded, on_error=self._choices_failed)

    def _layout(self) -> None:
        slip_box = QGroupBox("转交单", self)
        QVBoxLayout(slip_box).addWidget(self.slip)
        parties_box = QGroupBox("其他当事人", self)
        QVBoxLayout(parties_box).addWidget(self.parties)
        class_box = QGroupBox("分类", self)
        class_form = QFormLayout(class_box)
        category = QVBoxLayout()
        category.addWidget(self.category, 1)
        category.addWidget(self.category_error)
        class_form.addRow("类别 *", category)
        class_form.addRow("难易等级", self.grade)
        risk = QVBoxLayout()
        risk.addWidget(self.risk)
        risk.addWidget(self.risk_error)
        class_form.addRow("风险颜色 *", risk)
        flags = QHBoxLayout()
        flags.addWidget(self.criminal_risk)
        flags.addWidget(self.key_persons)
        flags.addStretch(1)
        class_form.addRow("标记", flags)
        class_form.addRow("网格", self.grid)
        left = QVBoxLayout()
        left.addWidget(slip_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(class_box, 1)
        right.addWidget(parties_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.outstanding, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.clock)
        layout.addLayout(columns, 1)
        layout.addWidget(self.repeat)
        layout.addWidget(self.key_person_notice)
        layout.addLayout(buttons)

    # ---- reference data -----------------------------------------------------------
    def _choices_loaded(self, choices: IntakeChoices) -> None:
        self.choices = choices
        self._filling = True  # filling the drop-downs is not the clerk editing
        try:
            self.slip.set_choices(choices.villages, choices.stations)
            self.category.set_tree(choices.tree)
            self._fill_grids()
        finally:
            self._filling = False
        self.repeat.window_days = choices.settings.repeat_window_days
        self._restart_clock()
        self.validate()
        self.sig_ready.emit()

    def _choices_failed(self, message: str) -> None:
        self.outstanding.setText(f"<span style='color:{ALARM}'>读取村（社区）与类别失败：{message}</span>")

    def _restart_clock(self) -> None:
        if self.choices is not None:
            self.clock.set_basis(self.slip.received_value(), self.choices.calendar, self.choices.settings)

    # ---- the draft and its problems -----------------------------------------------
    def draft_case(self) -> Case:
        slip = self.slip
        parties: list[Party] = []
        caller = Party(slip.caller_name.text().strip(), slip.caller_phone.text().strip(), PartyRole.CALLER)
        if caller.name or caller.phone:
            parties.append(caller)
        parties += [row.party() for row in self.parties.filled_rows()]
        return Case(
            received_at=slip.received_value(), village=slip.village_value(),
            summary=slip.summary.toPlainText().strip(), category=self.category.current(),
            grade=Grade(self.grade.currentData()), risk=self.risk_value(), source=slip.source_value(),
            police_incident_no=slip.police_incident_no.text().strip(), police_station=slip.station_value(),
            location=slip.location.text().strip(), criminal_risk=self.criminal_risk.isChecked(),
            key_persons=self.key_persons.isChecked(), called_at=slip.called_value(),
            officer=slip.officer.text().strip(), parties=parties, grid=self.grid.currentData() or "",
        )

    def _fill_grids(self) -> None:
        """The grids of the chosen village; the choice kept when the village keeps it."""
        chosen = self.grid.currentData()
        village = self.slip.village_value()
        grids = [g for g in (self.choices.grids if self.choices else []) if g.village == village]
        filling, self._filling = self._filling, True
        try:
            self.grid.clear()
            self.grid.addItem("（未定）" if grids else "（该村未建网格）", "")
            for grid in grids:
                self.grid.addItem(grid.name, grid.name)
            index = self.grid.findData(chosen)
            self.grid.setCurrentIndex(max(index, 0))
            self.grid.setEnabled(bool(grids))
        finally:
            self._filling = filling

    def _key_persons_checked(self, count: int) -> None:
        if count and not self.key_persons.isChecked():
            self.key_persons.setChecked(True)

    def risk_value(self) -> Risk | None:
        """The colour chosen, or None: none chosen yet, or an unclassified (未分类) transfer."""
        if self.category.current() == UNCLASSIFIED or self.risk.currentData() is None:
            return None
        return Risk(self.risk.currentData())

    def _category_changed(self, name: str) -> None:
        # An unclassified transfer has no colour: it gets one when it is classified.
        unclassified = name == UNCLASSIFIED
        if unclassified:
            self.risk.setCurrentIndex(0)
        self.risk.setEnabled(not unclassified)
        self._edited("category")

    def validate(self) -> bool:
        """Check the draft with the service's own rules and show each problem by its field."""
        case = self.draft_case()
        if self.choices is None:
            self.problems = {"_loading": "正在读取村（社区）与类别…"}
        else:
            self.problems = case_service.validate_intake(case, self.choices.refs)
        self._place_problems(case)
        if "_loading" in self.problems:
            self.outstanding.setText(self.problems["_loading"])
        elif self.problems:
            names = "、".join(dict.fromkeys(self._field_name(k) for k in self.problems))
            self.outstanding.setText(f"<span style='color:{ALARM}'>还需填写或更正：{names}</span>")
        else:
            self.outstanding.setText(f"<span style='color:{OK}'>信息完整，可以保存。保存后请立即交办。</span>")
        self.save_button.setEnabled(not self.problems and not self._saving)
        return not self.problems

    def _field_name(self, key: str) -> str:
        if key in self.slip.labels:
            return self.slip.labels[key].text().rstrip(" *")
        if key.startswith("parties."):
            has_caller = bool(self.slip.caller_name.text().strip() or self.slip.caller_phone.text().strip())
            return "联系电话" if has_caller and key.startswith("parties.0.") else "其他当事人"
        return {"category": "类别", "risk": "风险颜色"}.get(key, key)

    def _place_problems(self, case: Case) -> None:
        by_field: dict[str, str] = {}
        rows = self.parties.filled_rows()
        has_caller = bool(case.parties) and case.parties[0].role == PartyRole.CALLER
        row_errors = {id(row): "" for row in self.parties.rows}
        for key, message in self.problems.items():
            if not key.startswith("parties."):
                by_field[key] = message
                continue
            index = int(key.split(".")[1])
            if has_caller and index == 0:
                by_field["caller_phone"] = message
            else:
                row = rows[index - 1 if has_caller else index]
                row_errors[id(row)] = row_errors[id(row)] or message
        for key in self.slip.errors:
            visible = self._show_all or key in self._touched
            self.slip.show_error(key, by_field.get(key, "") if visible else "")
        message = by_field.get("category", "") if self._show_all or "category" in self._touched else ""
        self.category_error.setText(message)
        self.category_error.setVisible(bool(message))
        # The colour is asked for once a category is chosen: the two are decided together.
        shown = self._show_all or bool({"category", "risk"} & self._touched)
        message = by_field.get("risk", "") if shown else ""
        self.risk_error.setText(message)
        self.risk_error.setVisible(bool(message))
        for row in self.parties.rows:
            row.show_error(row_errors.get(id(row), ""))

    def _edited(self, key: str) -> None:
        if self._filling:
            return
        self._dirty = True
        if key not in CHECK_ON_LEAVE:
            self._touched.add(key)
        if key == "received_at":
            self._restart_clock()
        if key in ("caller_phone", "village", "location", "received_at"):
            self.repeat.schedule()
        if key in ("caller_phone", "parties"):
            self.key_person_notice.schedule()
        if key == "village":
            self._fill_grids()
        self.validate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            key = watched.property("intake_key")
            if key and key not in self._touched:
                self._touched.add(key)
                self.validate()
        return super().eventFilter(watched, event)

    # ---- saving and leaving -------------------------------------------------------
    def save(self) -> None:
        if self._saving:
            return
        if not self.validate():
            self._show_all = True  # a save attempt reveals every problem, not only those touched
            self.validate()
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.outstanding.setText("正在保存…")
        case = self.draft_case()
        self.ops.run(lambda ctx: case_service.intake(ctx, case), on_done=self._saved, on_error=self._save_failed)

    def _saved(self, result: case_service.IntakeResult) -> None:
        self._saving = False
        self.created_case_no = result.case_no
        self._dirty = False
        # The number exists only now, so the change is announced here rather than through ``changed=``.
        self.ops.announce(Change.case(result.case_no))
        self.sig_saved.emit(result.case_no)
        self.accept()

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self.validate()
        QMessageBox.warning(self, "未能保存", message)

    def reject(self) -> None:
        if self._dirty and not self._saving and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(self, "放弃登记？", "已填写的内容尚未保存，确定放弃吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _open_case(self, case_no: str) -> None:
        if self.isSignalConnected(self.metaObject().method(self.metaObject().indexOfSignal("sig_open_case(QString)"))):
            self.sig_open_case.emit(case_no)
            return
        # Nobody outside listens: show the earlier case over this form so the clerk can compare.
        from jingyuan_desktop.ui.cases.case_view import CaseView

        CaseView(self.ops, case_no, self).show()

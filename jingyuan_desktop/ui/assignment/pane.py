"""交办: choose the village team (>= 2, led by the secretary), departments and experts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.enums import PersonRole, Status
from jingyuan_desktop.domain.lifecycle import MIN_HANDLERS, dispatch_team_problem
from jingyuan_desktop.domain.model import Case, Person
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.dispatch import AssignmentData, dispatch, load_assignment
from jingyuan_desktop.ui.assignment.checklist import CheckList
from jingyuan_desktop.ui.assignment.summary import case_header, dispatched_text
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, OK

EMPTY, FORM, DONE = range(3)
PersonDataRole = Qt.ItemDataRole.UserRole + 2
TextRole = Qt.ItemDataRole.UserRole + 3


REDISPATCH = "重新交办"
SECOND_HANDLING = "二次处置（须有社区民警或治理办工作人员参加）"


def round_heading(case: Case) -> str:
    """What this dispatch is, when it is not the first plain one: a second handling after the
    office's 研判 (seed 002), or a new team after the first one refused; "" otherwise."""
    if lifecycle.ending(case) is not None:
        return ""
    if lifecycle.second_handling_due(case):
        return SECOND_HANDLING
    if lifecycle.refused(case):
        return REDISPATCH
    return ""


def load_pane(ctx: AppContext, case_no: str) -> tuple[AssignmentData, list[Person]]:
    """The service's assignment data and, for a second handling, who may join it."""
    data = load_assignment(ctx, case_no)
    return data, data.second_handlers if round_heading(data.case) == SECOND_HANDLING else []


def person_text(person: Person, village: str) -> str:
    where = f"·{person.unit}" if person.unit and person.unit != village else ""
    return f"{person.name}（{person.role.label}{where}）"


class AssignmentPane(QWidget):
    sig_dispatched = Signal(str)
    sig_refused = Signal(str)
    sig_loaded = Signal(str)  # the case number now shown

    def __init__(self, ops: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops = ops
        self.case_no: str | None = None
        self.data: AssignmentData | None = None
        self.seniors: list[Person] = []
        self._saving = False

        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(f"background:{ALARM_TINT}; color:{ALARM}; padding:6px; border-radius:4px;")
        self.banner.hide()
        # 重新交办 or 二次处置: this dispatch is not the case's first plain one.
        self.round = QLabel(self)
        self.round.setWordWrap(True)
        self.round.setStyleSheet(f"color:{ALARM}; font-weight:bold; font-size:12pt; padding:4px 0;")
        self.round.hide()
        self.pages = QStackedWidget(self)
        self.empty = QLabel("请在案件列表中选择一件待交办的案件。", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color:#777;")
        self.done = QLabel(self)
        self.done.setWordWrap(True)
        self.done.setTextFormat(Qt.TextFormat.RichText)
        self.done.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self._make_form())
        self.pages.addWidget(self.done)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget(scroll)
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.header)
        inner_layout.addWidget(self.round)
        inner_layout.addWidget(self.banner)
        inner_layout.addWidget(self.pages, 1)
        scroll.setWidget(inner)
        # The hint and the button stay in view however long the lists grow.
        self.action_bar = QWidget(self)
        bar = QVBoxLayout(self.action_bar)
        bar.setContentsMargins(9, 4, 9, 9)
        bar.addWidget(self.hint)
        bar.addWidget(self.dispatch_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.action_bar)
        self.setMinimumWidth(320)
        self.pages.currentChanged.connect(lambda index: self.action_bar.setVisible(index == FORM))
        self.action_bar.hide()
        ops.sig_changed.connect(self._changed)
        self.set_case(None)

    def _make_form(self) -> QWidget:
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.leader = QComboBox(form_widget)
        self.leader.setToolTip("一般由村（社区）书记带队")
        self.handlers = CheckList(form_widget, rows_shown=6)
        self.seniors_list = CheckList(form_widget, rows_shown=4)
        self.seniors_list.setToolTip("二次处置须至少勾选一位社区民警、治理办工作人员或镇领导")
        self.suggestions = QListWidget(form_widget)
        self.suggestions.setWordWrap(True)
        self.suggestions.setAlternatingRowColors(True)
        self.suggestions.setMaximumHeight(5 * 40 + 6)
        self.suggestions.setToolTip("单击一位推荐人选，即勾选为处置人员")
        self.departments = CheckList(form_widget, rows_shown=4)
        self.experts = CheckList(form_widget, rows_shown=3)
        self.note = QLineEdit(form_widget)
        self.note.setPlaceholderText("可选，如：注意安抚老人情绪")
        self.hint = QLabel(form_widget)
        self.hint.setWordWrap(True)
        self.dispatch_button = QPushButton("交办", form_widget)
        self.dispatch_button.setToolTip("记录交办，到场时限从此刻起算")
        self.dispatch_button.setStyleSheet("font-weight:bold; padding:6px;")
        form.addRow("带队负责人", self.leader)
        form.addRow(f"处置人员（至少{MIN_HANDLERS}人，含带队负责人）", self.handlers)
        self.seniors_label = QLabel("社区民警、治理办工作人员（二次处置须至少一人）", form_widget)
        form.addRow(self.seniors_label, self.seniors_list)
        form.addRow("推荐人选（单击即勾选）", self.suggestions)
        form.addRow("协同部门（可选）", self.departments)
        form.addRow("外聘律师、专家（可选）", self.experts)
        form.addRow("交办说明", self.note)
        self.handlers.sig_changed.connect(self._update_state)
        self.seniors_list.sig_changed.connect(self._update_state)
        self.experts.sig_changed.connect(self._update_state)
        self.leader.currentIndexChanged.connect(self._leader_chosen)
        self.suggestions.itemClicked.connect(self._suggestion_clicked)
        self.dispatch_button.clicked.connect(self.dispatch)
        return form_widget

    # ---- loading ------------------------------------------------------------------
    def set_case(self, case_no: str | None) -> None:
        if case_no != self.case_no:
            self.data = None
        self.case_no = case_no or None
        self.reload()

    def _changed(self, change: Change) -> None:
        if self.case_no and (change.touches(self.case_no) or change.reference):
            self.reload()

    def reload(self) -> None:
        case_no = self.case_no
        if case_no is None:
            self.header.clear()
            self.banner.hide()
            self.round.hide()
            self.pages.setCurrentIndex(EMPTY)
            return
        # Only the newest load is delivered: the clerk may have moved on to another case.
        self.ops.run(lambda ctx: load_pane(ctx, case_no), owner=self, key="load",
                     on_done=lambda result: self._loaded(*result), on_error=self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.header.setText(message)
        self.pages.setCurrentIndex(EMPTY)

    def _loaded(self, data: AssignmentData, seniors: list[Person] | None = None) -> None:
        # What the clerk ticked survives a refresh of the same case's form, and only that.
        same = self.data is not None and self.data.case.case_no == data.case.case_no
        keep = self._selection() if same and self.pages.currentIndex() == FORM else None
        self.data, self.seniors = data, list(seniors or [])
        self.dispatch_button.setToolTip(f"记录交办，到场时限（{data.arrive_minutes}分钟）从此刻起算")
        self.header.setText(case_header(data.case, data.status))
        heading = round_heading(data.case)
        self.round.setText(heading)
        self.round.setVisible(bool(heading))
        if heading:  # 重新交办 or 二次处置: the form again, whatever was sent before
            self._fill(data, keep)
            self.pages.setCurrentIndex(FORM)
        elif data.dispatched is not None:
            self.banner.hide()
            self.done.setText(dispatched_text(data.dispatched))
            self.pages.setCurrentIndex(DONE)
        elif data.status != Status.AWAITING_DISPATCH:
            self.banner.hide()
            self.done.setText(f"该案件{data.status.label}，无需交办。")
            self.pages.setCurrentIndex(DONE)
        else:
            self._fill(data, keep)
            self.pages.setCurrentIndex(FORM)
        self.sig_loaded.emit(data.case.case_no)

    def _fill(self, data: AssignmentData, keep: dict | None) -> None:
        village = data.case.village
        team = ([data.secretary] if data.secretary else []) + data.team
        entries = [(p.name, person_text(p, village), p.phone) for p in team]
        default_checked = {data.secretary.name} if data.secretary else set()
        if keep:  # people added from the suggestions stay on the list across a refresh
            names = {p.name for p in team}
            entries += [entry for entry in keep["entries"] if entry[0] not in names]
        self.handlers.set_entries(entries, set(keep["handlers"]) if keep else default_checked)
        self.departments.set_entries([(d, d, "") for d in data.departments],
                                     set(keep["departments"]) if keep else set())
        self.experts.set_entries([(p.name, person_text(p, village), p.phone) for p in data.experts],
                                 set(keep["experts"]) if keep else set())
        self.seniors_list.set_entries([(p.name, person_text(p, village), p.phone) for p in self.seniors],
                                      set(keep["seniors"]) if keep else set())
        self.seniors_label.setVisible(bool(self.seniors))
        self.seniors_list.setVisible(bool(self.seniors))
        self.suggestions.clear()
        for suggestion in data.suggestions:
            person = suggestion.person
            item = QListWidgetItem(self.suggestions)
            item.setData(PersonDataRole, person)
            item.setData(TextRole, f"{person_text(person, village)}\n　{suggestion.reason}")
        leader = keep["leader"] if keep else (data.secretary.name if data.secretary else "")
        self._fill_leaders(leader)
        if keep:
            self.note.setText(keep["note"])
        else:
            self.note.clear()
        self.banner.setText(data.blocker)
        self.banner.setVisible(bool(data.blocker))
        # While something else blocks the dispatch the team may not have been read at all.
        if not team and not data.blocker:
            self.banner.setText(f"{village}尚未录入处置队伍：请从推荐人选中添加，或在基础数据中录入人员。")
            self.banner.show()
        self._update_state()

    def _fill_leaders(self, wanted: str) -> None:
        self.leader.blockSignals(True)
        self.leader.clear()
        for name, text, _tip in self.handlers.entries():
            self.leader.addItem(text, name)
        self.leader.setCurrentIndex(self.leader.findData(wanted))
        self.leader.blockSignals(False)

    def _selection(self) -> dict:
        return {"entries": self.handlers.entries(), "handlers": self.handlers.checked(),
                "seniors": self.seniors_list.checked(),
                "leader": self.leader.currentData() or "",
                "departments": self.departments.checked(), "experts": self.experts.checked(),
                "note": self.note.text()}

    # ---- choosing -----------------------------------------------------------------
    def _leader_chosen(self) -> None:
        # The leader goes to the site too: choosing one ticks them.
        name = self.leader.currentData()
        if name:
            self.handlers.set_checked(name, True)
        self._update_state()

    def _suggestion_clicked(self, item: QListWidgetItem) -> None:
        person: Person = item.data(PersonDataRole)
        village = self.data.case.village if self.data else ""
        if self.experts.item_for(person.name) is not None:
            self.experts.set_checked(person.name, True)
            return
        if self.handlers.item_for(person.name) is None:
            self.handlers.add_entry(person.name, person_text(person, village), person.phone, checked=True)
            self._fill_leaders(self.leader.currentData() or "")
        self.handlers.set_checked(person.name, True)

    def problem(self) -> str:
        """What still stops the 交办, in Chinese; empty when it can go."""
        if self.data is None:
            return "正在读取…"
        if self.data.blocker:
            return self.data.blocker
        chosen = self.chosen_handlers()
        problem = dispatch_team_problem(chosen, self.leader.currentData() or "")
        if not problem and round_heading(self.data.case) == SECOND_HANDLING:
            problem = lifecycle.second_handling_team_problem(chosen, self._roles())
        return problem or ""

    def chosen_handlers(self) -> list[str]:
        """The village team ticked, then the officers or office staff of a second handling."""
        return list(dict.fromkeys(self.handlers.checked() + self.seniors_list.checked()))

    def _roles(self) -> dict[str, PersonRole]:
        data = self.data
        if data is None:
            return {}
        people = ([data.secretary] if data.secretary else []) + data.team + data.experts + self.seniors
        people += [s.person for s in data.suggestions]
        return {p.name: p.role for p in people}

    def _update_state(self) -> None:
        problem = self.problem()
        self.hint.setText(problem or
                          f"将交办给 {len(self.chosen_handlers())} 人，由 {self.leader.currentData()} 带队。")
        self.hint.setStyleSheet(f"color:{ALARM};" if problem else f"color:{OK};")
        self.dispatch_button.setEnabled(not problem and not self._saving)
        chosen = set(self.handlers.checked()) | set(self.experts.checked())
        for row in range(self.suggestions.count()):
            item = self.suggestions.item(row)
            ticked = item.data(PersonDataRole).name in chosen
            item.setText(("✓ " if ticked else "　 ") + item.data(TextRole))

    # ---- recording ----------------------------------------------------------------
    def dispatch(self) -> None:
        if self.data is None or self.problem() or self._saving:
            return
        case_no, version = self.data.case.case_no, self.data.version
        chosen = self._selection()
        handlers = self.chosen_handlers()
        self._saving = True
        self._update_state()
        self.ops.run(
            lambda ctx: dispatch(ctx, case_no, version, handlers=handlers, leader=chosen["leader"],
                                 departments=chosen["departments"], experts=chosen["experts"], note=chosen["note"]),
            changed=Change.case(case_no), on_done=lambda _v: self._dispatched(case_no), on_error=self._refused)

    def _dispatched(self, case_no: str) -> None:
        self._saving = False
        self.sig_dispatched.emit(case_no)

    def _refused(self, message: str) -> None:
        self._saving = False
        self._update_state()
        self.sig_refused.emit(message)
        QMessageBox.warning(self, "未能交办", message)
        self.reload()

"""A small form for one action on a case: when, the fields of its type, a note, evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.calendar import TZ, local
from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.enums import (
    CancelReason,
    CourtResult,
    EventType,
    Grade,
    Outcome,
    Risk,
    Satisfaction,
)
from jingyuan_desktop.domain.event_text import field_label
from jingyuan_desktop.domain.lifecycle import arrival_problem, classification_at
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.services.case_detail import ActionChoices
from jingyuan_desktop.ui.assignment.checklist import CheckList
from jingyuan_desktop.ui.palette import ALARM

E = EventType


def to_qt(moment: datetime) -> QDateTime:
    # Wall-clock time in the office's zone, whatever zone the PC itself is set to.
    wall = local(moment)
    return QDateTime(QDate(wall.year, wall.month, wall.day), QTime(wall.hour, wall.minute, wall.second))


def from_qt(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), tzinfo=TZ)


def _split(text: str) -> list[str]:
    """One name a line, or separated by 、 ， , as people type them."""
    for sep in ("、", "，", ","):
        text = text.replace(sep, "\n")
    return [part.strip() for part in text.splitlines() if part.strip()]


class EventForm(QDialog):
    def __init__(self, kind: EventType, case: Case, now: datetime, user: str, choices: ActionChoices,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.kind, self.case, self.user = kind, case, user
        self.setWindowTitle(f"{case.case_no}　{kind.label}")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self._now = now
        self.at = QDateTimeEdit(to_qt(now), self)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setCalendarPopup(True)
        self.form.addRow("时间", self.at)
        self._getters: dict = {}
        self.widgets: dict[str, QWidget] = {}
        # Field name -> the Chinese message when it is left empty; then checks of the whole event.
        self._required: dict[str, str] = {}
        self._checks: list[Callable[[Event], str | None]] = []
        self.note_hint = "情况说明"
        self.result_event: Event | None = None
        self._build_fields(choices, now)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText(self.note_hint)
        self.note.setFixedHeight(70)
        self.form.addRow("说明", self.note)
        self.evidence = QPlainTextEdit(self)
        self.evidence.setPlaceholderText("执法记录仪文件名或路径，每行一个")
        self.evidence.setFixedHeight(54)
        self.form.addRow("证据", self.evidence)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {ALARM};")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(f"记录{kind.label}")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _row(self, name: str, widget: QWidget, getter) -> None:
        self.form.addRow(field_label(self.kind, name), widget)
        self.widgets[name] = widget
        self._getters[name] = getter

    def _text(self, name: str, value: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setPlaceholderText(placeholder)
        self._row(name, edit, lambda: edit.text().strip())
        return edit

    def _build_fields(self, choices: ActionChoices, now: datetime) -> None:
        kind, case = self.kind, self.case
        if kind == E.ARRIVED:
            self._build_arrival()
        elif kind == E.FOLLOW_UP_SCHEDULED:
            agreed = QDateTimeEdit(to_qt(local(now) + timedelta(days=1)), self)
            agreed.setDisplayFormat("yyyy-MM-dd HH:mm")
            agreed.setCalendarPopup(True)
            self._row("agreed_at", agreed, lambda: from_qt(agreed.dateTime()))
        elif kind == E.JOINT_HANDLING:
            departments = QListWidget(self)
            departments.setFixedHeight(110)
            for name in choices.departments:
                item = QListWidgetItem(name, departments)
                item.setCheckState(Qt.CheckState.Unchecked)
            self._row("departments", departments, lambda: [
                departments.item(i).text() for i in range(departments.count())
                if departments.item(i).checkState() == Qt.CheckState.Checked])
            experts = QPlainTextEdit(self)
            experts.setPlaceholderText("律师、专业人士，每行一个")
            experts.setFixedHeight(50)
            self._row("experts", experts, lambda: _split(experts.toPlainText()))
        elif kind == E.REFERRED_TO_COURT:
            self._text("court", "智慧法庭")
        elif kind == E.COURT_OUTCOME:
            self._code_combo("result", CourtResult, "请选择法庭的处理结果", "请选择法庭结果")
        elif kind == E.RESOLVED:
            self._build_resolution()
        elif kind == E.RETURN_VISIT:
            self._build_return_visit()
        elif kind == E.POLICE_FEEDBACK:
            self._text("officer", case.officer, "接收反馈的民警")
        elif kind == E.ARCHIVED:
            self._text("archive_no", choices.archive_no)
            self._required["archive_no"] = "请填写档案编号"
        elif kind == E.CANCELLED:
            self._code_combo("reason", CancelReason, "请选择撤销原因", "请选择撤销原因")
            self.note_hint = "补充说明，如重复的是哪一件、误录了什么、已如何告知当事人"
        elif kind == E.RETURNED_TO_POLICE:
            self._long_text("reason", "必填：为何须由公安机关处理，如涉嫌违法犯罪、需启动处罚程序",
                            "请填写移交公安机关的理由")
        elif kind == E.DISPATCH_REFUSED:
            self.note_hint = "拒不处置或未到场的情况：哪些人员、何时联系、如何答复"
        elif kind == E.ANALYSIS:
            self._long_text("plan", "必填：研判意见和二次处置方案，如由社区民警、治理办工作人员参加处置",
                            "请填写研判意见和二次处置方案")
        elif kind == E.LEADER_ASSIGNED:
            leader = QComboBox(self)
            leader.setEditable(True)
            leader.addItems(choices.leaders)
            self._row("leader", leader, lambda: leader.currentText().strip())
            self._required["leader"] = "请填写包案领导"
        elif kind == E.CLASSIFIED:
            self._build_classification(choices)

    def _long_text(self, name: str, placeholder: str, required: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.setFixedHeight(70)
        self._row(name, edit, lambda: edit.toPlainText().strip())
        self._required[name] = required
        return edit

    def _code_combo(self, name: str, enum_cls, placeholder: str, required: str) -> QComboBox:
        """A required choice among an enum's labels, nothing chosen in advance; the event keeps
        the code as plain text (these fields are codes, not enums, in ``Event.data``)."""
        combo, get = self._enum_combo(enum_cls, None, placeholder=placeholder)
        self._row(name, combo, lambda: get().value if get() is not None else None)
        self._required[name] = required
        return combo

    def _build_arrival(self) -> None:
        # Those sent with the latest dispatch, all ticked: the clerk unticks who did not go.
        dispatches = [e for e in self.case.events if e.type == E.DISPATCHED]
        latest = dispatches[-1] if dispatches else None
        names = list(dict.fromkeys(latest.get("handlers") or [])) if latest else []
        leader = latest.get("leader") if latest else ""
        if leader in names:
            names.remove(leader)
            names.insert(0, leader)
        present = CheckList(self, rows_shown=5)
        present.set_entries([(n, f"{n}（带队）" if n == leader else n, "") for n in names], set(names))
        self._row("present", present, present.checked)
        self.present_name = QLineEdit(self)
        self.present_name.setPlaceholderText("其他到场人员姓名，回车添加")
        self.present_name.installEventFilter(self)
        add = QPushButton("添加", self)
        add.setAutoDefault(False)
        add.clicked.connect(self.add_present)
        line = QHBoxLayout()
        line.addWidget(self.present_name, 1)
        line.addWidget(add)
        self.form.addRow("", line)
        self._checks.append(lambda event: arrival_problem(list(event.get("present") or [])))

    def add_present(self) -> None:
        """Add the names typed in the field below the list, ticked, and clear it."""
        present = self.widgets.get("present")
        if not isinstance(present, CheckList):
            return
        for name in _split(self.present_name.text()):
            present.add_entry(name, name, "", checked=True)
            present.set_checked(name, True)
        self.present_name.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the name field adds the name; it must not save the form half filled in.
        if (watched is getattr(self, "present_name", None) and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.add_present()
            return True
        return super().eventFilter(watched, event)

    def _build_resolution(self) -> None:
        outcome = self._code_combo("outcome", Outcome, "请选择化解方式", "请选择化解方式")
        number = QLineEdit(self)
        number.setPlaceholderText("可选：调解协议书编号")
        self._row("agreement_no", number,
                  lambda: number.text().strip() if outcome.currentData() == Outcome.AGREEMENT else "")

        def show_number() -> None:
            self.form.setRowVisible(number, outcome.currentData() == Outcome.AGREEMENT)

        outcome.currentIndexChanged.connect(show_number)
        show_number()

    def _build_return_visit(self) -> None:
        case = self.case
        rolling = case.first(E.RETURN_VISIT) is not None
        if rolling:
            # A rolling visit (定期回访) asks whether the agreement holds; satisfaction may be left out.
            kept = QComboBox(self)
            for text, value in (("—请选择—", None), ("是，协议正在履行", True), ("否，协议未履行", False)):
                kept.addItem(text, value)
            self._row("agreement_kept", kept, kept.currentData)
            self._required["agreement_kept"] = "请选择调解协议是否履行"
            self._row("satisfaction", *self._enum_combo(Satisfaction, None, placeholder="可不填"))
        else:
            # No answer chosen in advance: a preselected 满意 inflates the satisfaction rate.
            self._row("satisfaction", *self._enum_combo(Satisfaction, None, placeholder="请选择当事人的回答"))
            self._required["satisfaction"] = "请选择当事人的满意度"
        caller = case.caller
        self._text("party", caller.name if caller else "", "回访对象姓名")

    def _enum_combo(self, enum_cls, current, *, placeholder: str = ""):
        combo = QComboBox(self)
        if placeholder:
            combo.addItem(f"—{placeholder}—", None)
        for member in enum_cls:
            combo.addItem(member.label, member)
        combo.setCurrentIndex(combo.findData(current))
        # Qt hands a StrEnum back as a plain str: turn it into the member again.
        return combo, lambda: enum_cls(combo.currentData()) if combo.currentData() is not None else None

    def _build_classification(self, choices: ActionChoices) -> None:
        now = classification_at(self.case)
        category = QComboBox(self)
        names = choices.tree.names() if choices.tree else []
        category.addItems(names if now.category in names else [now.category, *names])
        category.setCurrentText(now.category)
        grade, get_grade = self._enum_combo(Grade, now.grade)
        # An unclassified case has no colour yet: it is chosen now, nothing in advance (seed 003).
        risk, get_risk = self._enum_combo(Risk, now.risk, placeholder="请选择风险颜色" if now.risk is None else "")
        criminal = QCheckBox("有民转刑风险", self)
        criminal.setChecked(now.criminal_risk)
        # Only what changed is recorded, so the timeline says what the change was.
        self._row("category", category,
                  lambda: category.currentText() if category.currentText() != now.category else None)
        self._row("grade", grade, lambda: get_grade() if get_grade() != now.grade else None)
        self._row("risk", risk, lambda: get_risk() if get_risk() != now.risk else None)
        self._row("criminal_risk", criminal,
                  lambda: criminal.isChecked() if criminal.isChecked() != now.criminal_risk else None)

        def colour_missing(event: Event) -> str | None:
            if now.risk is None and event.get("risk") is None and category.currentText() != UNCLASSIFIED:
                return "分类时须选择风险颜色（红、黄、蓝）"
            return None

        self._checks.append(colour_missing)

    def build_event(self) -> Event:
        data = {name: getter() for name, getter in self._getters.items()}
        if self.kind == E.CLASSIFIED:
            data = {k: v for k, v in data.items() if v is not None}
        else:
            # False is an answer (协议未履行) and stays; empty text, lists and no choice go.
            data = {k: v for k, v in data.items() if v is False or v not in ("", [], None)}
        return Event(self.kind, self.moment(), by=self.user, note=self.note.toPlainText().strip(),
                     data=data, evidence=_split_lines(self.evidence.toPlainText()))

    def moment(self) -> datetime:
        # The editor shows minutes only; untouched, it means "now" to the second, so an action
        # recorded right after another is never refused as earlier than it.
        chosen = from_qt(self.at.dateTime())
        if chosen.strftime("%Y%m%d%H%M") == local(self._now).strftime("%Y%m%d%H%M"):
            return self._now
        return chosen

    def _accept(self) -> None:
        # Required fields are checked here for a quick answer; the service checks everything.
        if self.kind == E.ARRIVED and self.present_name.text().strip():
            self.add_present()  # a name typed but not yet added was there too
        event = self.build_event()
        for name, message in self._required.items():
            if event.get(name) is None or event.get(name) in ("", []):
                self.error.setText(message)
                return
        for check in self._checks:
            problem = check(event)
            if problem:
                self.error.setText(problem)
                return
        if self.kind == E.CLASSIFIED and not event.data:
            self.error.setText("没有改变任何分类")
            return
        self.result_event = event
        self.accept()


def _split_lines(text: str) -> list[str]:
    # Paths may contain commas, so evidence is split by lines only.
    return [line.strip() for line in text.splitlines() if line.strip()]

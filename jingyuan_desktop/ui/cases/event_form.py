"""A small form for one action on a case: when, the fields of its type, a note, evidence."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.calendar import TZ, local
from jingyuan_desktop.domain.enums import EventType, Grade, Risk, Satisfaction
from jingyuan_desktop.domain.event_text import field_label
from jingyuan_desktop.domain.lifecycle import classification_at
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.services.case_detail import ActionChoices
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
        self.result_event: Event | None = None
        self._build_fields(choices, now)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("情况说明")
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
            dispatched = case.first(E.DISPATCHED)
            names = "、".join(dispatched.get("handlers") or []) if dispatched else ""
            edit = self._text("handlers", names, "到场人员，用顿号分隔")
            self._getters["handlers"] = lambda: _split(edit.text())
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
        elif kind == E.RESOLVED:
            on_site = QCheckBox("是，当场化解", self)
            self._row("on_site", on_site, on_site.isChecked)
        elif kind == E.RETURN_VISIT:
            # No answer chosen in advance: a preselected 满意 inflates the satisfaction rate.
            self._row("satisfaction", *self._enum_combo(Satisfaction, None, placeholder="请选择当事人的回答"))
            caller = case.caller
            self._text("party", caller.name if caller else "", "回访对象姓名")
        elif kind == E.POLICE_FEEDBACK:
            self._text("officer", case.officer, "接收反馈的民警")
        elif kind == E.ARCHIVED:
            self._text("archive_no", choices.archive_no)
        elif kind == E.CANCELLED:
            self._text("reason", "", "必填：为何撤销")
        elif kind == E.LEADER_ASSIGNED:
            leader = QComboBox(self)
            leader.setEditable(True)
            leader.addItems(choices.leaders)
            self._row("leader", leader, lambda: leader.currentText().strip())
        elif kind == E.CLASSIFIED:
            self._build_classification(choices)

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
        risk, get_risk = self._enum_combo(Risk, now.risk)
        criminal = QCheckBox("有民转刑风险", self)
        criminal.setChecked(now.criminal_risk)
        # Only what changed is recorded, so the timeline says what the change was.
        self._row("category", category,
                  lambda: category.currentText() if category.currentText() != now.category else None)
        self._row("grade", grade, lambda: get_grade() if get_grade() != now.grade else None)
        self._row("risk", risk, lambda: get_risk() if get_risk() != now.risk else None)
        self._row("criminal_risk", criminal,
                  lambda: criminal.isChecked() if criminal.isChecked() != now.criminal_risk else None)

    def build_event(self) -> Event:
        data = {name: getter() for name, getter in self._getters.items()}
        if self.kind == E.CLASSIFIED:
            data = {k: v for k, v in data.items() if v is not None}
        else:
            data = {k: v for k, v in data.items() if v not in ("", [], None) or k == "on_site"}
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
        event = self.build_event()
        for name, message in (("reason", "请填写撤销原因"), ("archive_no", "请填写档案编号"),
                              ("leader", "请填写包案领导"), ("satisfaction", "请选择当事人的满意度")):
            if name in self._getters and not event.get(name):
                self.error.setText(message)
                return
        if self.kind == E.CLASSIFIED and not event.data:
            self.error.setText("没有改变任何分类")
            return
        self.result_event = event
        self.accept()


def _split_lines(text: str) -> list[str]:
    # Paths may contain commas, so evidence is split by lines only.
    return [line.strip() for line in text.splitlines() if line.strip()]

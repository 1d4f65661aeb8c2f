"""One case: its key fields, its timeline, and buttons for exactly the actions now allowed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QGridLayout, QHeaderView, QLabel, QMessageBox, QPushButton,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.clocks import case_clocks, nearest_open_clock
from jingyuan_desktop.domain.enums import EventType, PersonRole, Risk, Status, UnitKind
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.domain.privacy import mask_phones_in_text
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import admin, queries
from jingyuan_desktop.ui.cases.case_header import CaseHeader
from jingyuan_desktop.ui.cases.event_form import EventForm, FormChoices
from jingyuan_desktop.ui.cases.event_text import describe
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.widgets.text import format_moment

E = EventType
# The usual path first, the office's own acts after; 交办 lives in the assignment pane.
MAIN_ACTIONS = [E.ARRIVED, E.PROGRESS, E.MEDIATION_FAILED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.JOINT_HANDLING,
                E.REFERRED_TO_COURT, E.RESOLVED, E.RETURN_VISIT, E.POLICE_FEEDBACK, E.ARCHIVED]
OFFICE_ACTIONS = [E.LEADER_ASSIGNED, E.SUPERVISED, E.CLASSIFIED, E.CANCELLED]
# Fixed keys, so a hand learns them: the usual path on the digits, the office's acts on letters.
ACTION_KEYS = {E.ARRIVED: "Alt+1", E.PROGRESS: "Alt+2", E.MEDIATION_FAILED: "Alt+3", E.FOLLOW_UP_SCHEDULED: "Alt+4",
               E.ESCALATED: "Alt+5", E.JOINT_HANDLING: "Alt+6", E.REFERRED_TO_COURT: "Alt+7", E.RESOLVED: "Alt+8",
               E.RETURN_VISIT: "Alt+9", E.POLICE_FEEDBACK: "Alt+0", E.ARCHIVED: "Alt+G", E.LEADER_ASSIGNED: "Alt+L",
               E.SUPERVISED: "Alt+D", E.CLASSIFIED: "Alt+F", E.CANCELLED: "Alt+X"}
# The step a newcomer most likely wants next, drawn as the default button.
NEXT_STEP = {Status.DISPATCHED: E.ARRIVED, Status.HANDLING: E.RESOLVED, Status.FOLLOW_UP: E.RESOLVED,
             Status.ESCALATED: E.RESOLVED, Status.REFERRED: E.RESOLVED, Status.RESOLVED: E.RETURN_VISIT,
             Status.VISITED: E.POLICE_FEEDBACK, Status.FED_BACK: E.ARCHIVED}


class CaseView(QDialog):
    sig_recorded = Signal(str)  # the event type just recorded
    sig_refused = Signal(str)  # the Chinese reason a record was refused

    def __init__(self, ops: Operations, case_no: str, parent: QWidget | None = None, now=None):
        super().__init__(parent)
        self.ops, self.case_no = ops, case_no
        self.now = now or ops.ctx.now
        self.case: Case | None = None
        self.version = 0
        self.setWindowTitle(f"案件 {case_no}")
        self.resize(920, 680)
        layout = QVBoxLayout(self)
        self.banners = QVBoxLayout()
        layout.addLayout(self.banners)
        self.header = CaseHeader(self)
        self.header.reveal_recorder = self._record_reveal
        layout.addWidget(self.header)
        layout.addWidget(_section("处置记录"))
        self.timeline = QTreeWidget(self)
        self.timeline.setHeaderLabels(["时间", "事项", "经办", "内容"])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        header = self.timeline.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(_section("可办理的事项"))
        self.actions_row = QGridLayout()
        layout.addLayout(self.actions_row)
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #555;")
        layout.addWidget(self.hint)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.action_buttons: dict[EventType, QPushButton] = {}
        ops.sig_changed.connect(self._on_changed)
        self.reload()

    # ---- reading ------------------------------------------------------------------
    def _on_changed(self, what: str) -> None:
        if what in (self.case_no, "*"):
            self.reload()

    def reload(self) -> None:
        self.case, self.version = self.ops.call(lambda ctx: case_service.get_case(ctx, self.case_no))
        self.header.show_case(self.case, self.now(), self._nearest_clock())
        self._fill_banners()
        self._fill_timeline()
        self._fill_actions()

    def _nearest_clock(self):
        ctx = self.ops.ctx
        return nearest_open_clock(case_clocks(self.case, self.now(), ctx.calendar(), ctx.clock_settings()))

    def _fill_banners(self) -> None:
        _clear(self.banners)
        self.banner_texts: list[str] = []
        case = self.case
        current = lifecycle.classification_at(case)
        leaderless = current.risk == Risk.RED and case.first(E.LEADER_ASSIGNED) is None
        self.leaderless_red = leaderless and self._leader_rule() and lifecycle.derive_status(case).is_open
        if self.leaderless_red:
            self._add_banner("红色风险案件须先指定包案领导", "#b3261e", "#fbe3e1")
        threshold = self.ops.ctx.clock_settings().escalation_failures
        if lifecycle.escalation_suggested(case, threshold):
            self._add_banner(f"建议升级疑难：已有{threshold}次以上调解未成", "#7a5300", "#fdf3d0")
        if lifecycle.derive_status(case) == Status.AWAITING_DISPATCH:
            self._add_banner("待交办：请在主窗口右侧“交办”面板安排处置人员（至少2人）",
                             "#1d4f91", "#e4eefb")

    def _add_banner(self, text: str, colour: str, background: str) -> None:
        self.banner_texts.append(text)
        self.banners.addWidget(_banner(text, colour, background))

    def _fill_timeline(self) -> None:
        self.timeline.clear()
        received = QTreeWidgetItem([format_moment(self.case.received_at, with_year=True), "接收",
                                    self.case.police_station or "", mask_phones_in_text(self.case.summary)])
        self.timeline.addTopLevelItem(received)
        for event in self.case.events:
            item = QTreeWidgetItem([format_moment(event.at, with_year=True), event.type.label, event.by,
                                    mask_phones_in_text(describe(event))])
            item.setToolTip(3, item.text(3))
            self.timeline.addTopLevelItem(item)

    def _fill_actions(self) -> None:
        _clear(self.actions_row)
        self.action_buttons.clear()
        allowed = set(lifecycle.allowed_events(self.case, self.now(), require_leader_for_red=self._leader_rule()))
        status = lifecycle.derive_status(self.case)
        for line, kinds in enumerate((MAIN_ACTIONS, OFFICE_ACTIONS)):
            column = 0
            for kind in kinds:
                if kind not in allowed:
                    continue
                button = QPushButton(kind.label, self)
                button.setAutoDefault(False)
                if kind in ACTION_KEYS:
                    button.setShortcut(QKeySequence(ACTION_KEYS[kind]))
                    button.setToolTip(f"{kind.label}（{ACTION_KEYS[kind]}）")
                button.clicked.connect(lambda _checked=False, k=kind: self.open_action(k))
                self.actions_row.addWidget(button, line, column)
                self.action_buttons[kind] = button
                column += 1
        preferred = E.LEADER_ASSIGNED if self.leaderless_red else NEXT_STEP.get(status)
        if preferred in self.action_buttons:
            self.action_buttons[preferred].setDefault(True)
            self.action_buttons[preferred].setStyleSheet("font-weight: bold;")
        if E.DISPATCHED in allowed:
            self.hint.setText("交办请在主窗口右侧“交办”面板完成。")
        elif not self.action_buttons:
            self.hint.setText("本案件已办结，无可办理的事项。")
        else:
            self.hint.setText("")

    def _leader_rule(self) -> bool:
        return bool(self.ops.ctx.office()["require_leader_for_red"])

    # ---- recording ----------------------------------------------------------------
    def open_action(self, kind: EventType) -> None:
        form = EventForm(kind, self.case, self.now(), self.ops.ctx.user, self._choices(kind), self)
        if form.exec() == QDialog.DialogCode.Accepted and form.result_event is not None:
            self.record(form.result_event)

    def _choices(self, kind: EventType) -> FormChoices:
        choices = FormChoices()
        if kind == E.JOINT_HANDLING:
            choices.departments = [u.name for u in self.ops.call(lambda ctx: queries.units(ctx, UnitKind.DEPARTMENT))]
        elif kind == E.LEADER_ASSIGNED:
            choices.leaders = [p.name for p in self.ops.call(queries.people) if p.role == PersonRole.LEADER]
        elif kind == E.CLASSIFIED:
            choices.tree = self.ops.call(queries.category_tree)
        elif kind == E.ARCHIVED:
            prefix = self.ops.ctx.office()["archive_no_prefix"]
            choices.archive_no = f"{prefix}-{self.case_no}"
        return choices

    def record(self, event: Event) -> None:
        """Send ``event`` to the service off the UI thread; refusals come back in Chinese."""
        version = self.version
        self.ops.run(
            lambda ctx: case_service.record_event(ctx, self.case_no, event, version),
            changed=self.case_no,
            on_done=lambda _v: self.sig_recorded.emit(event.type.value),
            on_error=self._refused,
        )

    def _record_reveal(self, case_no: str, index: int, show) -> None:
        """Write who saw which party's numbers; the numbers appear only once that is logged."""
        party = self.case.parties[index] if self.case and index < len(self.case.parties) else None
        what = f"{party.role.label}{party.name}的电话和证件号码" if party else "当事人电话和证件号码"
        self.ops.run(lambda ctx: admin.record_reveal(ctx, case_no, what), on_done=lambda _r: show(),
                     on_error=lambda message: QMessageBox.warning(self, "未能显示", message))

    def _refused(self, message: str) -> None:
        self.sig_refused.emit(message)
        _case, latest = self.ops.call(lambda ctx: case_service.get_case(ctx, self.case_no))
        if latest != self.version:
            answer = QMessageBox.question(self, "案件已被修改",
                                          f"{message}\n\n他人刚刚修改了这个案件。是否重新载入后再办理？")
            if answer == QMessageBox.StandardButton.Yes:
                self.reload()
            return
        QMessageBox.warning(self, "未能记录", message)


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setStyleSheet("font-weight: bold; margin-top: 6px;")
    return label


def _banner(text: str, colour: str, background: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("banner")
    label.setStyleSheet(f"color: {colour}; background: {background}; padding: 6px 10px; "
                        "border-radius: 4px; font-weight: bold;")
    return label


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()

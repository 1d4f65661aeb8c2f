"""One case: its key fields, its timeline, and buttons for exactly the actions now allowed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain import lifecycle
from jingyuan_desktop.domain.enums import EventType, Source, Status
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.domain.privacy import mask_numbers_in_text
from jingyuan_desktop.services import admin
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services.case_detail import (
    ActionChoices,
    CaseDetail,
    action_choices,
    current_version,
    load_case_detail,
)
from jingyuan_desktop.ui.cases.case_header import CaseHeader
from jingyuan_desktop.ui.cases.event_form import EventForm
from jingyuan_desktop.ui.cases.event_text import describe
from jingyuan_desktop.ui.ops import Change, Operations
from jingyuan_desktop.ui.palette import ALARM, ALARM_TINT, INFO, INFO_TINT, WARN, WARN_TINT
from jingyuan_desktop.ui.widgets.text import format_moment

E = EventType
# The team's path first, the office's own acts after; 交办 lives in the assignment pane.
MAIN_ACTIONS = [E.ARRIVED, E.PROGRESS, E.MEDIATION_FAILED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.JOINT_HANDLING,
                E.REFERRED_TO_COURT, E.COURT_OUTCOME, E.RESOLVED, E.RETURN_VISIT, E.POLICE_FEEDBACK, E.ARCHIVED]
OFFICE_ACTIONS = [E.LEADER_ASSIGNED, E.SUPERVISED, E.CLASSIFIED, E.ANALYSIS, E.DISPATCH_REFUSED,
                  E.RETURNED_TO_POLICE, E.CANCELLED]
# Fixed keys, so a hand learns them: the usual path on the digits, the office's acts on letters.
ACTION_KEYS = {E.ARRIVED: "Alt+1", E.PROGRESS: "Alt+2", E.MEDIATION_FAILED: "Alt+3", E.FOLLOW_UP_SCHEDULED: "Alt+4",
               E.ESCALATED: "Alt+5", E.JOINT_HANDLING: "Alt+6", E.REFERRED_TO_COURT: "Alt+7", E.RESOLVED: "Alt+8",
               E.RETURN_VISIT: "Alt+9", E.POLICE_FEEDBACK: "Alt+0", E.ARCHIVED: "Alt+G", E.LEADER_ASSIGNED: "Alt+L",
               E.SUPERVISED: "Alt+D", E.CLASSIFIED: "Alt+F", E.CANCELLED: "Alt+X",
               # 判决 (Pan Jue), 研判 (Yan Pan), Refused, Police.
               E.COURT_OUTCOME: "Alt+J", E.ANALYSIS: "Alt+Y", E.DISPATCH_REFUSED: "Alt+R",
               E.RETURNED_TO_POLICE: "Alt+P"}
# The step a newcomer most likely wants next, drawn as the default button.
NEXT_STEP = {Status.DISPATCHED: E.ARRIVED, Status.HANDLING: E.RESOLVED, Status.FOLLOW_UP: E.RESOLVED,
             Status.ESCALATED: E.RESOLVED, Status.REFERRED: E.COURT_OUTCOME, Status.RESOLVED: E.RETURN_VISIT,
             Status.VISITED: E.POLICE_FEEDBACK, Status.FED_BACK: E.ARCHIVED,
             # Handed back to the police, or not the office's remit: the police hear of it first.
             Status.RETURNED: E.POLICE_FEEDBACK, Status.DECLINED: E.POLICE_FEEDBACK}


def next_step(case: Case, status: Status, allowed: set[EventType]) -> EventType | None:
    """The action to draw as the default: 研判 for a case awaiting a second handling (then 交办
    in the pane), else the usual next step of its status."""
    if lifecycle.second_handling_due(case) and E.ANALYSIS in allowed:
        return E.ANALYSIS
    return NEXT_STEP.get(status)


class CaseView(QDialog):
    sig_recorded = Signal(str)  # the event type just recorded
    sig_refused = Signal(str)  # the Chinese reason a record was refused
    sig_loaded = Signal()
    """The case was read (first opening, or after a change) and is on screen."""

    def __init__(self, ops: Operations, case_no: str, parent: QWidget | None = None, now=None):
        super().__init__(parent)
        self.ops, self.case_no = ops, case_no
        self.now = now or ops.ctx.now
        self.case: Case | None = None
        self.detail: CaseDetail | None = None
        self.version = 0
        self.leaderless_red = False
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
    def _on_changed(self, change: Change) -> None:
        if change.touches(self.case_no):
            self.reload()

    def reload(self) -> None:
        """Read the case again off the UI thread; the view is redrawn when it arrives."""
        now = self.now()
        self.ops.run(lambda ctx: load_case_detail(ctx, self.case_no, now), owner=self, key="load",
                     on_done=self._show, on_error=self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.hint.setText(f"无法读取案件：{message}")

    def _show(self, detail: CaseDetail) -> None:
        self.detail, self.case, self.version = detail, detail.case, detail.version
        self.leaderless_red = detail.leaderless_red
        self.header.show_case(detail.case, self.now(), detail.nearest_clock)
        self._fill_banners(detail)
        self._fill_timeline()
        self._fill_actions(detail)
        self.sig_loaded.emit()

    def _fill_banners(self, detail: CaseDetail) -> None:
        _clear(self.banners)
        self.banner_texts: list[str] = []
        if detail.leaderless_red:
            self._add_banner("红色风险案件须先指定包案领导", ALARM, ALARM_TINT)
        if detail.escalation_suggested:
            self._add_banner(f"建议升级疑难：已有{detail.escalation_failures}次以上调解未成", WARN, WARN_TINT)
        case = detail.case
        if lifecycle.second_handling_due(case) and lifecycle.ending(case) is None:
            if lifecycle.analysed(case):
                self._add_banner("已研判：请单击“交办…”（或在主窗口右侧“交办”面板）交办二次处置"
                                 "（须有社区民警或治理办工作人员参加）", INFO, INFO_TINT)
            else:
                self._add_banner("须二次处置：请先记录治理办的研判意见和方案，再在“交办”面板交办"
                                 "（须有社区民警或治理办工作人员参加）", WARN, WARN_TINT)
        elif lifecycle.refused(case) and lifecycle.ending(case) is None:
            self._add_banner("原处置人员拒不处置：请单击“交办…”（或在主窗口右侧“交办”面板）重新交办",
                             WARN, WARN_TINT)
        elif detail.status == Status.AWAITING_DISPATCH:
            self._add_banner(f"待交办：请单击“交办…”（或在主窗口右侧“交办”面板）安排处置人员"
                             f"（至少{detail.min_handlers}人）", INFO, INFO_TINT)
        if (detail.status in (Status.RETURNED, Status.DECLINED) and case.source == Source.POLICE_TRANSFER
                and E.POLICE_FEEDBACK in detail.allowed):
            self._add_banner(f"{detail.status.label}：请将处理情况反馈派出所", INFO, INFO_TINT)

    def _add_banner(self, text: str, colour: str, background: str) -> None:
        self.banner_texts.append(text)
        self.banners.addWidget(_banner(text, colour, background))

    def _fill_timeline(self) -> None:
        assert self.case is not None
        self.timeline.clear()
        received = QTreeWidgetItem([format_moment(self.case.received_at, with_year=True), "接收",
                                    self.case.police_station or "", mask_numbers_in_text(self.case.summary)])
        self.timeline.addTopLevelItem(received)
        for event in self.case.events:
            item = QTreeWidgetItem([format_moment(event.at, with_year=True), event.type.label, event.by,
                                    mask_numbers_in_text(describe(event))])
            item.setToolTip(3, item.text(3))
            self.timeline.addTopLevelItem(item)

    def _fill_actions(self, detail: CaseDetail) -> None:
        _clear(self.actions_row)
        self.action_buttons.clear()
        allowed = set(detail.allowed)
        status = detail.status
        for line, kinds in enumerate((MAIN_ACTIONS, OFFICE_ACTIONS)):
            column = 0
            if line == 0 and E.DISPATCHED in allowed:
                button = QPushButton("交办…", self)
                button.setAutoDefault(False)
                button.setShortcut(QKeySequence("Alt+A"))
                button.setToolTip("安排处置人员并交办（Alt+A）")
                button.clicked.connect(self.open_dispatch)
                self.actions_row.addWidget(button, line, column)
                self.action_buttons[E.DISPATCHED] = button
                column += 1
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
        preferred = E.LEADER_ASSIGNED if self.leaderless_red else next_step(detail.case, status, allowed)
        if preferred in self.action_buttons:
            self.action_buttons[preferred].setDefault(True)
            self.action_buttons[preferred].setStyleSheet("font-weight: bold;")
        if E.DISPATCHED in allowed:
            self.action_buttons[E.DISPATCHED].setDefault(True)
            self.action_buttons[E.DISPATCHED].setStyleSheet("font-weight: bold;")
            self.hint.setText("交办：单击“交办…”安排处置人员（主窗口右侧的“交办”面板也可以）。")
        elif not self.action_buttons:
            self.hint.setText("本案件已办结，无可办理的事项。")
        else:
            self.hint.setText("")

    # ---- recording ----------------------------------------------------------------
    def open_dispatch(self) -> None:
        """The same 交办 pane as the main window's dock, for this case, in a dialog of its own."""
        from jingyuan_desktop.ui.assignment.pane import AssignmentPane

        dialog = QDialog(self)
        dialog.setWindowTitle(f"交办 {self.case_no}")
        dialog.resize(460, 640)
        pane = AssignmentPane(self.ops, dialog)
        layout = QVBoxLayout(dialog)
        layout.addWidget(pane)
        pane.sig_dispatched.connect(lambda _no: dialog.accept())
        pane.set_case(self.case_no)
        self.dispatch_dialog = dialog
        dialog.open()

    def open_action(self, kind: EventType) -> None:
        """Read what the form offers off the UI thread, then open the form for ``kind``."""
        self.ops.run(lambda ctx: action_choices(ctx, self.case_no, kind), owner=self, key="choices",
                     on_done=lambda choices: self._open_form(kind, choices),
                     on_error=lambda message: QMessageBox.warning(self, "无法打开", message))

    def _open_form(self, kind: EventType, choices: ActionChoices) -> None:
        if self.case is None:
            return
        form = EventForm(kind, self.case, self.now(), self.ops.ctx.user, choices, self)
        if form.exec() == QDialog.DialogCode.Accepted and form.result_event is not None:
            self.record(form.result_event)

    def record(self, event: Event) -> None:
        """Send ``event`` to the service off the UI thread; refusals come back in Chinese."""
        version = self.version
        self.ops.run(
            lambda ctx: case_service.record_event(ctx, self.case_no, event, version),
            changed=Change.case(self.case_no),
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
        version = self.version
        self.ops.run(lambda ctx: current_version(ctx, self.case_no), owner=self,
                     on_done=lambda latest: self._explain_refusal(message, latest != version),
                     on_error=lambda _m: self._explain_refusal(message, False))

    def _explain_refusal(self, message: str, changed_by_others: bool) -> None:
        if changed_by_others:
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

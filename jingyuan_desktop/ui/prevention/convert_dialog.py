"""转为案件: a patrol's finding becomes a case in one step (records.finding_to_case), after the
clerk has chosen its category and risk colour as at intake."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from jingyuan_desktop.domain.enums import Risk, colour_text
from jingyuan_desktop.domain.prevention import Patrol
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.ui.intake.category_picker import CategoryPicker
from jingyuan_desktop.ui.ops import Operations
from jingyuan_desktop.ui.prevention.changes import PreventionChange
from jingyuan_desktop.ui.prevention.common import MessageLine, shortcut
from jingyuan_desktop.ui.widgets.text import format_moment

RISK_PLACEHOLDER = "—请选择—"


class FindingToCaseDialog(QDialog):
    """Asks the category and colour; on OK the case is made, and ``case_no`` holds its number."""

    def __init__(self, ops: Operations, patrol: Patrol, parent: QWidget | None = None):
        super().__init__(parent)
        self.ops, self.patrol = ops, patrol
        self.case_no: str | None = None
        self.setWindowTitle("走访发现转为案件")
        self.resize(560, 560)
        where = patrol.village + (f"/{patrol.grid}" if patrol.grid else "")
        facts = QLabel(f"{format_moment(patrol.at)}　{patrol.role.label} {patrol.worker}　{where}", self)
        self.summary = QPlainTextEdit(patrol.findings, self)
        self.summary.setFixedHeight(70)
        self.summary.setToolTip("案件的简要情况，默认为走访发现的情况，可修改")
        self.category = CategoryPicker(self)
        self.risk = QComboBox(self)
        self.risk.addItem(RISK_PLACEHOLDER, None)
        for risk in Risk:
            self.risk.addItem(colour_text(risk), risk)
        self.message = MessageLine(self)
        form = QFormLayout()
        form.addRow("走访", facts)
        form.addRow("简要情况", self.summary)
        form.addRow("类别", self.category)
        form.addRow("风险颜色", self.risk)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("登记为案件")
        self.ok.setToolTip("来源记为网格员摸排（治安信息员的报告记为治安信息员），接收时间为走访时间（Ctrl+Enter）")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        shortcut("Ctrl+Return", self, self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.ok.setEnabled(False)
        ops.run(queries.category_tree, owner=self, key="tree", on_done=self._tree_loaded,
                on_error=lambda text: self.message.say(f"读取类别失败：{text}", error=True))

    def _tree_loaded(self, tree) -> None:
        self.category.set_tree(tree)
        self.ok.setEnabled(True)
        self.category.search.setFocus()

    def submit(self) -> None:
        category = self.category.current()
        chosen = self.risk.currentData()
        risk = Risk(chosen) if chosen else None  # Qt hands the enum back as its plain string
        if not category:
            self.message.say("请选择案件类别", error=True)
            return
        patrol_id, summary = self.patrol.id or 0, self.summary.toPlainText().strip()
        self.ok.setEnabled(False)
        self.message.say("")

        def done(result) -> None:
            self.case_no = result.case_no
            announce_case(self.ops, result.case_no)
            self.accept()

        def refused(text: str) -> None:
            self.ok.setEnabled(True)
            self.message.say(text, error=True)  # what was chosen stays chosen

        self.ops.run(lambda ctx: records.finding_to_case(ctx, patrol_id, category=category, risk=risk,
                                                         summary=summary),
                     owner=self, on_done=done, on_error=refused)


def announce_case(ops: Operations, case_no: str) -> None:
    """The new case for the case list and the clocks, the patrol's case number for the log."""
    ops.announce(PreventionChange(cases=frozenset({case_no})))

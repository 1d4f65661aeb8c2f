"""The agenda's lists as small read-only tables; names in summaries masked (the screen is shared)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from jingyuan_desktop.domain.enums import colour_text
from jingyuan_desktop.domain.meeting import AgendaItem
from jingyuan_desktop.domain.privacy import mask_people_in_text

CaseNoRole = Qt.ItemDataRole.UserRole + 1


def summary_of(item: AgendaItem, limit: int = 40) -> str:
    text = mask_people_in_text(item.summary, item.parties).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


SECTIONS = {
    "transfers": (["编号", "接收时间", "村（社区）", "类别", "等级/风险", "状态", "简要情况"],
                  lambda i: [i.case_no, f"{i.received_at:%m-%d %H:%M}", i.village, i.category,
                             f"{i.grade.label}/{colour_text(i.risk)}", i.status.label, summary_of(i)]),
    "difficult": (["编号", "村（社区）", "类别", "已历", "责任人", "化解方案", "完成期限", "状态"],
                  lambda i: [i.case_no, i.village, i.category, f"{i.age_days}天", i.owner, i.plan or "（待研究）",
                             i.due_date, i.status.label]),
    "red": (["编号", "村（社区）", "类别", "包案领导", "已历", "状态"],
            lambda i: [i.case_no, i.village, i.category, i.leader or "（未确定）", f"{i.age_days}天", i.status.label]),
    "waiting": (["编号", "村（社区）", "等待", "已历", "状态"],
                lambda i: [i.case_no, i.village, i.waiting_on, f"{i.age_days}天", i.status.label]),
    # Repeats, relapses and failed 疑难 cases (seed 002 二次处置), with what happened last.
    "second_handling": (["编号", "村（社区）", "类别", "状态", "责任人", "已历", "简要情况"],
                        lambda i: [i.case_no, i.village, i.category, i.status.label, i.owner or "（未交办）",
                                   f"{i.age_days}天", summary_of(i)]),
    "broken_agreements": (["编号", "村（社区）", "类别", "责任人", "状态"],
                          lambda i: [i.case_no, i.village, i.category, i.owner or "—", i.status.label]),
}


def make_table(key: str) -> QTableWidget:
    headers, _row = SECTIONS[key]
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, key: str, items: list[AgendaItem]) -> None:
    _headers, row_of = SECTIONS[key]
    table.setRowCount(len(items))
    for r, item in enumerate(items):
        for c, value in enumerate(row_of(item)):
            cell = QTableWidgetItem(str(value))
            cell.setData(CaseNoRole, item.case_no)
            table.setItem(r, c, cell)

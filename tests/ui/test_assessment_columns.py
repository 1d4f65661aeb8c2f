"""Issue 13 on the assessment page: the adjustments' 分值 and 理由 are wide enough to read, and
the ranking's 说明 takes the room the figures leave."""

import pytest
from PySide6.QtWidgets import QHeaderView

from jingyuan_desktop.services import assessment as service
from jingyuan_desktop.ui.assessment import AssessmentWidget

REASON = "获评县级矛盾纠纷化解工作先进集体荣誉称号"  # a typical reason: 20 characters


@pytest.fixture
def page(ops, qtbot):
    widget = AssessmentWidget(ops)
    qtbot.addWidget(widget)
    widget.year.blockSignals(True)
    widget.year.setValue(2024)
    widget.year.blockSignals(False)
    widget.resize(1366, 768)
    with qtbot.waitSignal(widget.sig_loaded, timeout=30_000):
        widget.show()
        widget.reload()
    return widget


def test_points_and_a_typical_reason_fit_their_columns(page, qtbot):
    assert len(REASON) == 20
    page.adjust_village.setCurrentIndex(0)
    page.adjust_points.setValue(2.5)
    page.adjust_reason.setText(REASON)
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.add_adjustment()
    page.adjust_points.setValue(-12.5)
    page.adjust_reason.setText("被通报批评")
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.add_adjustment()
    table = page.adjustments
    assert [table.item(r, 1).text() for r in range(2)] == ["+2.5", "-12.5"]
    metrics = table.fontMetrics()
    assert table.columnWidth(1) >= metrics.horizontalAdvance("+2.5")
    assert table.columnWidth(1) >= metrics.horizontalAdvance("-12.5")
    assert table.columnWidth(1) >= table.horizontalHeader().fontMetrics().horizontalAdvance("分值")
    assert table.columnWidth(2) >= metrics.horizontalAdvance(REASON)
    # And the reason is on screen, not scrolled away: the table shows the column whole.
    assert table.columnViewportPosition(2) + table.columnWidth(2) <= table.viewport().width()
    assert REASON in table.item(0, 2).toolTip()


def test_the_ranking_note_stretches(page):
    header = page.table.horizontalHeader()
    note = service.HEADERS.index("说明")
    assert header.sectionResizeMode(note) == QHeaderView.ResizeMode.Stretch
    last = header.sectionViewportPosition(note) + header.sectionSize(note)
    assert last == pytest.approx(page.table.viewport().width(), abs=2)  # to the table's right edge

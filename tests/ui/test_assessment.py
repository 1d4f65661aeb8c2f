"""The assessment page: the ranked table, an adjustment that needs a reason, an export."""

import pytest

from jingyuan_desktop.services import assessment as service
from jingyuan_desktop.ui.assessment import AssessmentWidget


@pytest.fixture
def page(ops, qtbot):
    widget = AssessmentWidget(ops)
    qtbot.addWidget(widget)
    widget.year.blockSignals(True)
    widget.year.setValue(2024)
    widget.year.blockSignals(False)
    with qtbot.waitSignal(widget.sig_loaded, timeout=30_000):
        widget.show()  # a shown page follows sig_changed, as in the window
        widget.reload()
    return widget


def test_the_table_is_the_service_s_ranking(page, ctx):
    result = service.assess(ctx, 2024)
    shown = [(page.table.item(r, 0).text(), page.table.item(r, 1).text(), page.table.item(r, 11).text())
             for r in range(page.table.rowCount())]
    assert shown == [(str(r.rank), r.facts.village, f"{r.score:.2f}") for r in result.rows]


def test_an_adjustment_without_a_reason_is_refused_then_added(page, ctx, qtbot):
    page.adjust_points.setValue(5)
    page.add_adjustment()
    qtbot.waitUntil(lambda: "须写明理由" in page.message.text(), timeout=10_000)
    page.adjust_reason.setText("县级表彰")
    with qtbot.waitSignal(page.sig_loaded, timeout=10_000):
        page.add_adjustment()
    assert page.adjustments.rowCount() == 1 and page.adjustments.item(0, 2).text() == "县级表彰"
    assert service.get_adjustments(ctx, 2024)[0].points == 5


def test_weights_that_do_not_add_up_are_refused(page, qtbot):
    page.setting_edits["weight_resolution"].setValue(90)
    page.save_settings()
    qtbot.waitUntil(lambda: "之和须为100" in page.message.text(), timeout=10_000)


def test_export_to_excel(page, tmp_path, qtbot):
    target = tmp_path / "a.xlsx"
    page.export("xlsx", str(target))
    qtbot.waitUntil(lambda: "已导出到" in page.message.text(), timeout=10_000)
    assert target.exists()

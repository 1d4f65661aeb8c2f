"""The case table model with no window: what the database says, in the order it says."""

from PySide6.QtCore import Qt

from jingyuan_desktop.domain.enums import ClockState, Risk, Status, UnitKind
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.deadlines import deadlines
from jingyuan_desktop.services.queries import CaseFilter
from jingyuan_desktop.ui.cases.filters import TableFilter
from jingyuan_desktop.ui.cases.table_model import COLUMN, OVERDUE_COLOUR, CaseNoRole, CaseTableModel
from tests.ui.conftest import FIXED, dispatch, new_case

BG = Qt.ItemDataRole.BackgroundRole
FG = Qt.ItemDataRole.ForegroundRole


def make_model(ops, qtbot, page_size=50):
    model = CaseTableModel(ops, page_size=page_size, max_pages=2)
    loaded(qtbot, model, lambda: model.refresh(reset=True))
    return model


def loaded(qtbot, model, action):
    """Count and first page come from a worker: wait for them."""
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        action()


def each_row(model, qtbot, read):
    """``read(row)`` for every row, waiting for each page the way a scrolling view would."""
    values = []
    for row in range(model.rowCount()):
        if not model.has_page_of(row):
            assert model.row_at(row) is None  # not on the UI thread: asked for, not read
            qtbot.waitUntil(lambda row=row: model.has_page_of(row), timeout=10_000)
        values.append(read(row))
    return values


def column_values(model, key, qtbot):
    return each_row(model, qtbot, lambda r: model.index(r, COLUMN[key]).data())


def case_nos(model, qtbot):
    return each_row(model, qtbot, lambda r: model.index(r, 0).data(CaseNoRole))


def test_row_count_is_the_database_count_and_every_row_reads(ops, ctx, qtbot):
    model = make_model(ops, qtbot)
    total = queries.count_cases(ctx, CaseFilter())
    assert total >= 200
    assert model.rowCount() == total
    # Reading every row crosses pages beyond the small LRU: nothing repeats, nothing is lost.
    numbers = case_nos(model, qtbot)
    assert len(set(numbers)) == total
    assert len(model._pages) <= 2


def test_sorting_by_village_is_done_by_the_database(ops, ctx, qtbot):
    model = make_model(ops, qtbot)
    newest_first = model.index(0, 0).data(CaseNoRole)
    loaded(qtbot, model, lambda: model.sort(COLUMN["village"], Qt.SortOrder.AscendingOrder))
    expected = queries.page_cases(ctx, CaseFilter(), order_by="village", descending=False, offset=0, limit=1)[0]
    assert model.index(0, 0).data(CaseNoRole) == expected.case_no
    assert model.index(0, COLUMN["village"]).data() == expected.village
    assert model.index(0, 0).data(CaseNoRole) != newest_first
    loaded(qtbot, model, lambda: model.sort(COLUMN["village"], Qt.SortOrder.DescendingOrder))
    villages = column_values(model, "village", qtbot)
    assert villages[0] >= villages[-1] and villages[0] != villages[-1]


def test_filter_by_village_and_status(ops, ctx, qtbot):
    model = make_model(ops, qtbot)
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    wanted = TableFilter(village=village, statuses=[Status.ARCHIVED.value])
    loaded(qtbot, model, lambda: model.set_filter(wanted.to_case_filter(FIXED.date())))
    assert 0 < model.rowCount() < queries.count_cases(ctx, CaseFilter())
    assert set(column_values(model, "village", qtbot)) == {village}
    assert set(column_values(model, "status", qtbot)) == {Status.ARCHIVED.label}


def test_search_finds_a_chinese_substring_of_the_summary(ops, ctx, qtbot):
    case_no = new_case(ctx, summary="因楼上漏水淹了橱柜引发争吵")
    model = make_model(ops, qtbot)
    loaded(qtbot, model, lambda: model.set_filter(TableFilter(text="漏水淹了").to_case_filter(FIXED.date())))
    assert case_nos(model, qtbot) == [case_no]
    loaded(qtbot, model, lambda: model.set_filter(TableFilter(text="没有这种纠纷吧").to_case_filter(FIXED.date())))
    assert model.rowCount() == 0


def test_risk_colours_differ(ops, ctx, qtbot):
    red, blue = new_case(ctx, risk=Risk.RED, minutes_ago=40), new_case(ctx, risk=Risk.BLUE, minutes_ago=50)
    model = make_model(ops, qtbot, page_size=1000)  # one page: every row stays readable
    rows = {no: r for r, no in enumerate(case_nos(model, qtbot))}
    red_brush = model.index(rows[red], 0).data(BG)
    blue_brush = model.index(rows[blue], 0).data(BG)
    assert red_brush is not None and blue_brush is not None
    assert red_brush.color() != blue_brush.color()
    assert model.index(rows[red], COLUMN["risk"]).data() == "红色"


def test_an_overdue_row_is_marked_and_a_running_one_is_not(ops, ctx, qtbot):
    late = new_case(ctx, minutes_ago=120)  # 5 minutes to dispatch, long gone
    fresh = new_case(ctx, minutes_ago=1)
    model = CaseTableModel(ops, page_size=50)
    with qtbot.waitSignal(model.sig_clocks_loaded, timeout=10_000):
        model.set_filter(TableFilter(text="测试纠纷").to_case_filter(FIXED.date()))  # count, first page, clocks
    rows = {no: r for r, no in enumerate(case_nos(model, qtbot))}
    overdue = model.index(rows[late], COLUMN["clock"])
    assert overdue.data(FG).color() == OVERDUE_COLOUR
    assert overdue.data(Qt.ItemDataRole.FontRole).bold()
    assert overdue.data().startswith("交办时限 超时")
    running = model.index(rows[fresh], COLUMN["clock"])
    assert running.data(FG) is None
    assert running.data().startswith("交办时限 剩余")


def test_overdue_only_shows_exactly_the_cases_with_an_overdue_clock(ops, ctx, qtbot):
    late = new_case(ctx, minutes_ago=120)
    on_time = new_case(ctx, minutes_ago=90)
    dispatch(ctx, on_time, minutes_ago=88)  # dispatched in time, on site clock then also lapsed
    model = make_model(ops, qtbot)
    # Paged like any filter (from the stored clocks): the rows, then the 当前时限 of the page.
    with qtbot.waitSignals([model.sig_loaded, model.sig_clocks_loaded], timeout=10_000):
        model.set_filter(CaseFilter(), overdue_only=True)
    expected = {c.case_no for c in deadlines(ctx, FIXED) if c.state == ClockState.OVERDUE}
    shown = set(case_nos(model, qtbot))
    assert late in shown
    assert shown == expected
    for row in range(model.rowCount()):
        assert model.index(row, COLUMN["clock"]).data(FG).color() == OVERDUE_COLOUR


def test_a_case_without_colour_reads_undecided_and_can_be_filtered(ops, ctx, qtbot):
    from jingyuan_desktop.domain.categories import UNCLASSIFIED
    from jingyuan_desktop.ui.cases.filters import NO_RISK

    none = new_case(ctx, risk=None, category=UNCLASSIFIED, minutes_ago=40, summary="尚未分类的转交")
    model = make_model(ops, qtbot)
    loaded(qtbot, model, lambda: model.set_filter(TableFilter(risk=NO_RISK).to_case_filter(FIXED.date())))
    assert none in case_nos(model, qtbot)
    assert set(column_values(model, "risk", qtbot)) == {"未定"}
    row = case_nos(model, qtbot).index(none)
    assert model.index(row, 0).data(BG) is None  # no tint: no colour yet
    loaded(qtbot, model, lambda: model.set_filter(TableFilter(risk=Risk.RED.value).to_case_filter(FIXED.date())))
    assert none not in case_nos(model, qtbot)

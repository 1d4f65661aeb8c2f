"""The meeting screen: the agenda's lists, a decision recorded on a case, minutes that a second
PC cannot overwrite (the typed text stays)."""

from datetime import timedelta

import pytest

from jingyuan_desktop.domain.enums import EventType, Grade, Risk
from jingyuan_desktop.domain.model import Event
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import meeting as meeting_service
from jingyuan_desktop.ui.meeting import MeetingWidget
from tests.ui.conftest import dispatch, new_case


@pytest.fixture
def screen(ops, ctx, qtbot):
    case_no = new_case(ctx, risk=Risk.YELLOW, summary="王小明与邻居因宅基地争执")
    case, version = case_service.get_case(ctx, case_no)
    case_service.record_event(ctx, case_no, Event(EventType.CLASSIFIED, case.received_at, by="测试",
                                                  data={"grade": Grade.DIFFICULT}), version)
    dispatch(ctx, case_no)
    widget = MeetingWidget(ops, week=meeting_service.current_week(ctx))  # the week of the case made above
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    with qtbot.waitSignal(widget.sig_loaded, timeout=30_000):
        widget.show()
    return widget, case_no


def row_of(table, case_no):
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == case_no)


def test_the_lists_are_the_agenda_s(screen, ctx):
    widget, case_no = screen
    agenda = meeting_service.build_agenda(ctx, widget.current_week())
    for key in ("transfers", "difficult", "red", "waiting"):
        table = widget.tables[key]
        assert [table.item(r, 0).text() for r in range(table.rowCount())] == [i.case_no for i in getattr(agenda, key)]
    transfers = widget.tables["transfers"]
    summary = transfers.item(row_of(transfers, case_no), 6).text()
    assert "王某" in summary and "王小明" not in summary
    assert transfers.item(row_of(transfers, case_no), 4).text() == "疑难/黄色"


def test_a_case_without_colour_reads_undecided_in_the_lists(qtbot):
    from jingyuan_desktop.domain.meeting import agenda_item
    from jingyuan_desktop.domain.model import Case
    from jingyuan_desktop.ui.meeting.tables import fill, make_table
    from tests.ui.conftest import FIXED

    case = Case(received_at=FIXED, village="某村", summary="尚未分类", category="未分类", case_no="T-1")
    table = make_table("transfers")
    qtbot.addWidget(table)
    fill(table, "transfers", [agenda_item(case, FIXED)])
    assert table.item(0, 4).text() == "一般/未定"


def test_a_decision_is_recorded_in_the_case_timeline(screen, ctx, qtbot):
    widget, case_no = screen
    table = widget.tables["difficult"]
    widget.tabs.setCurrentWidget(table)
    table.setCurrentCell(row_of(table, case_no), 0)
    assert widget.decision_case.text() == case_no
    widget.owner.setText("王主任")
    widget.plan.setPlainText("联合司法所调解")
    with qtbot.waitSignal(widget.ops.sig_changed, timeout=10_000):
        widget.decide_button.click()
    case, _ = case_service.get_case(ctx, case_no)
    assert case.events[-1].type == EventType.MEETING_DECISION
    assert case.events[-1].get("owner") == "王主任" and case.events[-1].get("meeting") == widget.current_week()
    qtbot.waitUntil(lambda: table.rowCount() and table.item(row_of(table, case_no), 5).text() == "联合司法所调解",
                    timeout=10_000)


def test_stale_minutes_are_refused_and_the_text_kept(screen, ctx, qtbot):
    widget, _case_no = screen
    meeting_service.save_minutes(ctx, widget.current_week(), "另一台电脑先存的纪要", "", 0)
    widget.minutes.setPlainText("本机输入的纪要")
    widget.save_minutes_button.click()
    qtbot.waitUntil(lambda: "已被其他人修改" in widget.minutes_message.text(), timeout=10_000)
    assert widget.minutes.toPlainText() == "本机输入的纪要"



def test_the_meeting_opens_on_the_week_it_reviews(ops, ctx, qtbot):
    from jingyuan_desktop.domain.meeting import meeting_week, week_of

    widget = MeetingWidget(ops)  # FIXED is a Wednesday: last week, not this week's three days
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.sig_loaded, timeout=30_000):
        widget.show()
    today = ctx.now().date()
    assert widget.current_week() == meeting_week(today) == week_of(today - timedelta(days=7))


def test_the_prevention_tab_lists_grids_that_missed_their_patrol(ops, ctx, qtbot):
    from datetime import timedelta

    from jingyuan_desktop.domain.meeting import week_of
    from jingyuan_desktop.domain.prevention import Grid
    from jingyuan_desktop.services.prevention import records
    from jingyuan_desktop.ui.meeting.widget import MeetingWidget

    last_week = (ctx.now() - timedelta(days=7)).date()
    records.save_grids(ctx, [Grid("解营村", "一网格", since=last_week - timedelta(days=7))])
    widget = MeetingWidget(ops, week=week_of(last_week))
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.agenda is not None, timeout=30_000)
    assert "主动发现" in widget.prevention.text() and "重点人员按时走访" in widget.prevention.text()
    assert widget.missed.rowCount() == 1 and widget.missed.item(0, 0).text() == "解营村/一网格"
    assert widget.missed.item(0, 1).text() == "0/1"

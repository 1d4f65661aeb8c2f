"""Projection mode: every slide's text is free of citizens' names and phone numbers, and a
presenter's clicker (arrows, PageUp/PageDown, space) pages through; Esc leaves."""

import re

import pytest
from PySide6.QtCore import Qt

from jingyuan_desktop.domain.enums import EventType, Grade, Risk
from jingyuan_desktop.services import meeting as meeting_service
from jingyuan_desktop.store import repository
from jingyuan_desktop.ui.projection import ProjectionWindow
from tests.ui.conftest import dispatch, new_case, record

PHONE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def window(ops, ctx, qtbot):
    # A red, difficult case of this week whose summary names its caller and gives his phone.
    case_no = new_case(ctx, risk=Risk.RED, phone="13812345678", summary="王小明（13812345678）称邻居欧阳娜娜占道")
    record(ctx, case_no, EventType.LEADER_ASSIGNED, 29, leader="赵镇长")  # a red case needs its leader first
    record(ctx, case_no, EventType.CLASSIFIED, 28, grade=Grade.DIFFICULT)
    dispatch(ctx, case_no)
    screen = ProjectionWindow(ops, meeting_service.current_week(ctx))  # the week of the case made above
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    with qtbot.waitSignal(screen.sig_loaded, timeout=30_000):
        screen.show()
    return screen, case_no


def party_names(ctx):
    with ctx.session() as session:
        return {p.name for c in repository.iter_cases(session) for p in c.parties if len(p.name) >= 2}


def test_no_slide_shows_a_party_name_or_a_phone_number(window, ctx):
    screen, case_no = window
    texts = screen.texts()
    joined = "\n".join(texts)
    assert case_no in joined  # the case is on the lists...
    names = party_names(ctx)
    assert "王小明" in names
    leaks = [name for name in names if name in joined]
    assert leaks == []  # ...but not who called
    assert PHONE.search(joined) is None
    assert screen.stack.count() == len(screen.slides) >= 8


def test_a_clicker_pages_through_and_escape_leaves(window, qtbot):
    screen, _case_no = window
    assert screen.stack.currentIndex() == 0
    for key, expected in ((Qt.Key.Key_Right, 1), (Qt.Key.Key_PageDown, 2), (Qt.Key.Key_Space, 3),
                          (Qt.Key.Key_PageUp, 2), (Qt.Key.Key_Left, 1), (Qt.Key.Key_End, screen.stack.count() - 1),
                          (Qt.Key.Key_Right, screen.stack.count() - 1), (Qt.Key.Key_Home, 0), (Qt.Key.Key_Left, 0)):
        qtbot.keyClick(screen, key)
        assert screen.stack.currentIndex() == expected
    assert screen.counter.text().startswith("1 / ")
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert not screen.isVisible()


def test_the_headline_slide_shows_the_week_s_figures(window, ctx):
    screen, _case_no = window
    figures = dict(screen.slides[1].figures)
    assert figures["接收"] == f"{screen.agenda.stats.received} 件"
    assert figures["红色案件"] == f"{len(screen.agenda.red)} 件" and len(screen.agenda.red) >= 1


def test_the_prevention_slide_counts_disputes_found_before_a_call(ops, ctx, qtbot):
    from datetime import timedelta

    from jingyuan_desktop.domain.enums import Risk as R
    from jingyuan_desktop.domain.prevention import Citizen, Grid, KeyPerson, Patrol, PatrolRole, Warning
    from jingyuan_desktop.services.prevention import records

    now = ctx.now()
    village = "解营村"  # a village of the demo town
    records.save_grids(ctx, [Grid(village, "一网格", since=(now - timedelta(days=30)).date())])
    records.register_key_person(ctx, Citizen("欧阳娜娜", phone="13912340000"),
                                KeyPerson(0, "", "吸毒", responsible="所长"))
    records.add_warning(ctx, Warning(now.date(), now.date() + timedelta(days=3), "汛期", villages=(village,)))
    [patrol] = records.record_patrols(ctx, [Patrol(now - timedelta(hours=1), "钱网格员", PatrolRole.GRID_WORKER,
                                                   village, "一网格", findings="两户争水")])
    records.finding_to_case(ctx, patrol, category="邻里纠纷", risk=R.BLUE)
    screen = ProjectionWindow(ops, meeting_service.current_week(ctx))
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    with qtbot.waitSignal(screen.sig_loaded, timeout=30_000):
        screen.show()
    [slide] = [s for s in screen.slides if s.title.startswith("排查预防")]
    figures = dict(slide.figures)
    assert figures["主动发现"] == "1 件" and figures["主动发现率"] != "—"
    assert any(s.title.startswith("预警") and s.rows[0][0] == "汛期" for s in screen.slides)
    assert "欧阳娜娜" not in "\n".join(screen.texts())

"""The weekly meeting through its service: agenda figures as `jingyuan stats`, minutes that two
PCs cannot overwrite, decisions that land in the case's timeline."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from jingyuan_desktop.domain.enums import EventType, Grade
from jingyuan_desktop.domain.lifecycle import classification_at, derive_status
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import meeting, stats
from jingyuan_desktop.services.context import ServiceError
from jingyuan_desktop.services.deadlines import LIVE_STATUSES
from jingyuan_desktop.store import repository
from tests.services.conftest import NOW, build_template, context_on_copy


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory, "meeting", cases=300, seed=5)


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


def test_the_agenda_s_figures_are_those_of_jingyuan_stats_for_the_week(ctx):
    agenda = meeting.build_agenda(ctx, "2025-W23")
    assert agenda.stats == stats.statistics(ctx, start=date(2025, 6, 2), end=date(2025, 6, 8))[0]
    assert len(agenda.transfers) == agenda.stats.received + sum(
        1 for item in agenda.transfers if item.status.value == "cancelled")


def test_the_open_difficult_cases_are_all_there(ctx):
    agenda = meeting.build_agenda(ctx, "2025-W24")
    with ctx.session() as session:
        expected = sorted(c.case_no for c in repository.iter_cases(session, statuses=LIVE_STATUSES)
                          if derive_status(c, NOW).is_open and classification_at(c, NOW).grade == Grade.DIFFICULT)
    assert expected and sorted(i.case_no for i in agenda.difficult) == expected


def test_minutes_refuse_a_stale_version(ctx):
    first = meeting.get_minutes(ctx, "2025-W24")
    assert first.version == 0
    version = meeting.save_minutes(ctx, "2025-W24", "一、通报本周情况", "张主任、李书记", 0)
    # A second PC still holding version 0 must not overwrite it.
    with pytest.raises(ServiceError, match="已被其他人修改"):
        meeting.save_minutes(ctx, "2025-W24", "另一台电脑的纪要", "", 0)
    assert meeting.save_minutes(ctx, "2025-W24", "一、通报本周情况\n二、研究疑难案件", "张主任", version) == version + 1
    assert meeting.get_minutes(ctx, "2025-W24").minutes.endswith("研究疑难案件")


def test_a_decision_shows_in_the_case_timeline(ctx):
    item = meeting.build_agenda(ctx, "2025-W24").difficult[0]
    meeting.record_decision(ctx, item.case_no, "2025-W24", "王主任", "联合司法所调解", "2025-06-20")
    case, _version = case_service.get_case(ctx, item.case_no)
    decision = case.events[-1]
    assert decision.type == EventType.MEETING_DECISION
    assert decision.data == {"meeting": "2025-W24", "owner": "王主任", "plan": "联合司法所调解",
                             "due_date": "2025-06-20"}
    again = next(i for i in meeting.build_agenda(ctx, "2025-W24").difficult if i.case_no == item.case_no)
    assert (again.owner, again.plan, again.due_date) == ("王主任", "联合司法所调解", "2025-06-20")


def test_a_bad_week_or_date_is_refused_in_chinese(ctx):
    with pytest.raises(ServiceError, match="2026-W47 这样的写法"):
        meeting.build_agenda(ctx, "第24周")
    item = meeting.build_agenda(ctx, "2025-W24").difficult[0]
    with pytest.raises(ServiceError, match="不是有效日期"):
        meeting.record_decision(ctx, item.case_no, "2025-W24", "王主任", "方案", "下周五")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_handout_carries_the_agenda_and_its_decisions(ctx, tmp_path):
    import subprocess

    from jingyuan_desktop.services import paper

    agenda = meeting.build_agenda(ctx, "2025-W24")
    meeting.record_decision(ctx, agenda.difficult[0].case_no, "2025-W24", "王主任", "联合司法所调解", "2025-06-20")
    agenda = meeting.build_agenda(ctx, "2025-W24")
    out = tmp_path / "weekly.pdf"
    paper.render_weekly(ctx, "2025-W24", out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    section = text[text.index("四、未化解疑难案件"):text.index("五、红色风险案件")]
    assert [no for no in section.split() if no.startswith("FZ-")] == [i.case_no for i in agenda.difficult]
    assert "联合司法所调解" in section and "王主任" in section
    assert f"（{len(agenda.red)}件）" in text and f"（{len(agenda.waiting)}件）" in text

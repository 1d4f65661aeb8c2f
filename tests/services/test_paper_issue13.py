"""Issue 13, the printed forms: a long case's clocks summed up on the archive form, the handout's
list of the week's cases agreeing with its figures, experts' names hidden on the handout, and
no PDF that needs a font it does not carry."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest

from jingyuan_desktop.domain.clocks import case_clocks
from jingyuan_desktop.domain.enums import ClockName, ClockState
from jingyuan_desktop.domain.statistics import FIGURE_LABELS
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import paper
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.paper import weekly as weekly_form
from jingyuan_desktop.services.paper.archive import CLOCK_LIST_LIMIT
from tests.services.conftest import build_template
from tests.services.test_paper import NOW, E, dispatch, intake, needs_pdftotext, page_count, record, text_of

needs_pdffonts = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler) not installed")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory, "paper13", cases=120, seed=2)


@pytest.fixture
def ctx(template, tmp_path):
    path = tmp_path / "paper.db"
    shutil.copy(template, path)
    context = AppContext.open(str(path), now=lambda: NOW, user="王科员")
    yield context
    context.db.engine.dispose()


def long_case(ctx, days: int = 90) -> str:
    """An escalated case dispatched ``days`` ago, with progress recorded on odd days only and
    nothing in the last four days: about 60 daily progress clocks, many late, a few overdue."""
    start = NOW - timedelta(days=days)
    case_no = intake(ctx, minutes_ago=days * 24 * 60 + 10, incident="J-L-1")
    dispatch(ctx, case_no, start)
    record(ctx, case_no, E.ARRIVED, start + timedelta(minutes=12), present=["李建霞", "赵调解员"])
    record(ctx, case_no, E.ESCALATED, start + timedelta(hours=3), note="多次调解未果")
    for day in range(1, days - 4, 2):
        record(ctx, case_no, E.PROGRESS, (start + timedelta(days=day)).replace(hour=10), note=f"第{day}天进展")
    return case_no


# ---- 1. the archive form of a long case ---------------------------------------------------------
@needs_pdftotext
def test_a_long_case_s_daily_clocks_are_summed_up_with_only_the_late_ones_listed(ctx, tmp_path):
    case_no = long_case(ctx)
    case, _ = case_service.get_case(ctx, case_no)
    progress = [c for c in case_clocks(case, NOW, ctx.calendar(), ctx.clock_settings())
                if c.name == ClockName.PROGRESS]
    count = {state: sum(1 for c in progress if c.state == state) for state in ClockState}
    late = count[ClockState.LATE] + count[ClockState.OVERDUE]
    assert len(progress) >= 55 and late > CLOCK_LIST_LIMIT and count[ClockState.OVERDUE] >= 1
    out = tmp_path / "archive.pdf"

    result = paper.render_archive(ctx, case_no, out)

    assert result.pages == page_count(out) <= 4
    text = text_of(out)
    section = text[text.index("八、时限情况"):text.index("九、归档")]
    summary = (f"每日进展时限{len(progress)}次，按时{count[ClockState.MET]}次，超时完成{count[ClockState.LATE]}次，"
               f"已超时{count[ClockState.OVERDUE]}次")
    assert summary in section
    assert section.count("每日进展时限（第") == CLOCK_LIST_LIMIT  # the late and overdue ones only, capped
    assert f"另有{late - CLOCK_LIST_LIMIT}次超时未逐一列出" in section
    met = next(c for c in progress if c.state == ClockState.MET)
    assert f"每日进展时限（第{met.seq}次）" not in section
    overdue = [c for c in progress if c.state == ClockState.OVERDUE]
    assert all(f"每日进展时限（第{c.seq}次）" in section for c in overdue)  # kept first when capping
    for single in ("交办时限", "到场时限", "当日反馈时限"):  # clocks of a kind with few stay one a line
        assert single in section


# ---- 2. the handout's list of the week's cases agrees with its figures ---------------------------
@needs_pdftotext
def test_the_handout_says_which_listed_cases_its_figures_leave_out(ctx, tmp_path):
    kept = intake(ctx, minutes_ago=90, incident="J-V-1")
    duplicate = intake(ctx, minutes_ago=60, incident="J-V-2", phone="13700002222", location="高南村")
    record(ctx, duplicate, E.CANCELLED, NOW - timedelta(minutes=50), note="与前案重复", reason="duplicate")
    span = weekly_form.week_span("2025-W24", NOW)
    content = weekly_form.gather(ctx, span)
    assert duplicate in content.void and kept not in content.void
    received = len(content.transfers)
    assert content.total.received == received - len(content.void)  # the figures leave the void ones out
    out = tmp_path / "weekly.pdf"

    paper.render_weekly(ctx, "2025-W24", out)

    text = text_of(out)
    first = text_of(out, 1)
    assert all(label in first for label in FIGURE_LABELS.values())  # the figures fit the page's width
    assert f"三、本周接收案件（{received}件，其中重复录入或误录{len(content.void)}件不计入统计）" in text
    section = text[text.index("三、本周接收案件"):text.index("四、未化解疑难案件")]
    row = section[section.index(duplicate):]
    assert row.index("（重复录入，不计入统计）") < 120  # on the duplicate's own row, in its status cell
    assert section.count("不计入统计）") == len(content.void) + 1  # the heading and each void row


def test_without_void_cases_the_heading_is_the_plain_count():
    assert weekly_form.transfers_heading(17, 0) == "三、本周接收案件（17件）"
    assert weekly_form.transfers_heading(17, 1) == "三、本周接收案件（17件，其中重复录入或误录 1 件不计入统计）"


# ---- 3. experts are people: their names are masked on the handout -------------------------------
@needs_pdftotext
def test_the_handout_masks_experts_waited_for_but_names_departments_and_courts(ctx, tmp_path):
    case_no = intake(ctx, minutes_ago=60 * 24 * 10, incident="J-X-1")
    dispatch(ctx, case_no, NOW - timedelta(days=10) + timedelta(minutes=3))
    record(ctx, case_no, E.ESCALATED, NOW - timedelta(days=9), note="多次调解未果")
    record(ctx, case_no, E.JOINT_HANDLING, NOW - timedelta(days=8), departments=["县自然资源局"],
           experts=["诸葛文清", "黄晓东"])
    out = tmp_path / "weekly.pdf"

    paper.render_weekly(ctx, "2025-W24", out)

    text = text_of(out)
    assert "诸葛文清" not in text and "黄晓东" not in text
    section = text[text.index("六、等待上级部门或法庭"):text.index("七、二次处置")]
    assert case_no in section
    assert "县自然资源局、诸葛某、黄某" in section


def test_waiting_text_masks_experts_only(ctx):
    case_no = intake(ctx, minutes_ago=60 * 24 * 3, incident="J-X-2")
    dispatch(ctx, case_no, NOW - timedelta(days=3) + timedelta(minutes=3))
    record(ctx, case_no, E.JOINT_HANDLING, NOW - timedelta(days=2), departments=["司法所"], experts=["欧阳振华"])
    case, _ = case_service.get_case(ctx, case_no)
    assert weekly_form.waiting_text(case, NOW) == "司法所、欧阳某"


# ---- 4. only the embedded font ---------------------------------------------------------------
def pdf_fonts(pdf) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout
    return [line for line in out.splitlines()[2:] if line.strip()]


@needs_pdffonts
def test_slips_archives_and_handouts_use_only_the_embedded_font(ctx, tmp_path):
    case_no = long_case(ctx, days=20)
    slip, archive, weekly = tmp_path / "slip.pdf", tmp_path / "archive.pdf", tmp_path / "weekly.pdf"
    result = paper.render_slip(ctx, case_no, slip)
    if not result.font.embedded:
        pytest.skip("no embeddable TrueType CJK font on this machine")
    paper.render_archive(ctx, case_no, archive)
    paper.render_weekly(ctx, "2025-W24", weekly)
    for pdf in (slip, archive, weekly):
        fonts = pdf_fonts(pdf)
        assert fonts, pdf.name
        assert not [line for line in fonts if re.search("helvetica", line, re.IGNORECASE)], (pdf.name, fonts)
        # name type encoding emb sub uni ...: every font is embedded.
        assert all(line.split()[-5] == "yes" for line in fonts), (pdf.name, fonts)

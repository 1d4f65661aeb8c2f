"""The assessment through its service: the same rates as `jingyuan stats`, adjustments and
settings stored with an audit row, exports that hold the ranking."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from jingyuan_desktop.domain.assessment import AssessmentSettings
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.services import assessment, stats
from jingyuan_desktop.services.context import ServiceError
from jingyuan_desktop.store.audit import list_audit
from tests.services.conftest import build_template, context_on_copy


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory, "assessment", cases=300, seed=7)


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


def test_the_rates_are_those_of_jingyuan_stats(ctx):
    result = assessment.assess(ctx, 2024)
    expected = {r.key: r for r in stats.statistics(ctx, by="village", start=date(2024, 1, 1), end=date(2024, 12, 31))}
    assert expected
    for row in result.rows:
        facts = row.facts
        if facts.village in expected:
            assert facts.resolution_rate == expected[facts.village].resolution_rate
            assert facts.satisfaction_rate == expected[facts.village].satisfaction_rate
            assert facts.received == expected[facts.village].received
        else:
            assert facts.received == 0 and facts.resolution_rate is None
    assert [r.rank for r in result.rows] == list(range(1, len(result.rows) + 1))
    assert result.as_of == datetime(2025, 1, 1, tzinfo=TZ)  # a past year is read as of its end


def test_an_adjustment_moves_a_village_and_is_audited(ctx):
    before = assessment.assess(ctx, 2024)
    last = before.rows[-1].facts.village
    assessment.add_adjustment(ctx, 2024, last, 100, "年度调解工作突出，县里通报表扬")
    after = assessment.assess(ctx, 2024)
    assert after.rows[0].facts.village == last and after.rows[0].adjustment == 100
    with ctx.session() as session:
        assert any(a.entity_id == "assessment_adjustments:2024" for a in list_audit(session))
    with pytest.raises(ServiceError, match="须写明理由"):
        assessment.add_adjustment(ctx, 2024, last, 5, "")
    with pytest.raises(ServiceError, match="未知的村"):
        assessment.add_adjustment(ctx, 2024, "不存在村", 5, "理由")
    assessment.remove_adjustment(ctx, 2024, 0)
    assert assessment.assess(ctx, 2024).rows == before.rows


def test_weights_are_saved_and_checked(ctx):
    assessment.save_settings(ctx, AssessmentSettings(weight_timeliness=20, weight_resolution=60,
                                                     weight_satisfaction=20))
    assert assessment.get_settings(ctx).weight_resolution == 60
    with pytest.raises(ServiceError, match="之和须为100"):
        assessment.save_settings(ctx, AssessmentSettings(weight_timeliness=50, weight_resolution=60,
                                                         weight_satisfaction=20))


def test_excel_and_pdf_hold_the_ranking(ctx, tmp_path):
    result = assessment.assess(ctx, 2024)
    book = load_workbook(assessment.export_excel(ctx, 2024, tmp_path / "考核.xlsx"))
    sheet = book.active
    assert sheet.cell(3, 1).value == assessment.office_text(result)  # the office's own figure, apart
    assert [c.value for c in sheet[4]] == assessment.HEADERS
    assert [(sheet.cell(5 + i, 1).value, sheet.cell(5 + i, 2).value) for i in range(len(result.rows))] == [
        (r.rank, r.facts.village) for r in result.rows]
    pdf = assessment.export_pdf(ctx, 2024, tmp_path / "考核.pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "2024年度村（社区）警源治理考核" in text and result.rows[0].facts.village in text
        assert "治理办自身时限" in text
        assert "加减分明细" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")
def test_the_pdf_lists_each_adjustment_under_the_table(ctx, tmp_path):
    village = assessment.assess(ctx, 2024).rows[-1].facts.village
    assessment.add_adjustment(ctx, 2024, village, -2.5, "推诿上级交办事项")
    pdf = assessment.export_pdf(ctx, 2024, tmp_path / "考核.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    notes = text[text.index("加减分明细"):]
    assert village in notes and "-2.5 分" in notes and "推诿上级交办事项" in notes


def test_the_screen_loads_no_pdf_drawing_and_the_drawing_needs_no_screen_service():
    def loaded_after(module: str) -> set[str]:
        code = f"import sys, {module}\nprint('\\n'.join(sys.modules))"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return set(run.stdout.split())

    assert not {"reportlab", "jingyuan_desktop.services.paper.assessment"} & loaded_after(
        "jingyuan_desktop.services.assessment")
    assert "jingyuan_desktop.services.assessment" not in loaded_after("jingyuan_desktop.services.paper.assessment")


def test_a_long_read_reports_its_progress_up_to_every_case_of_the_year(ctx):
    from jingyuan_desktop.services import figures

    reports: list[tuple[int, int]] = []
    with_progress = assessment.assess(ctx, 2024, progress=lambda done, total: reports.append((done, total)))
    total = reports[0][1]
    assert reports[0] == (0, total) and reports[-1] == (total, total) and total > 0
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)
    assert with_progress.rows == assessment.assess(ctx, 2024).rows  # reporting changes nothing
    seen: list[int] = []
    figures.figures(ctx, date(2024, 1, 1), date(2024, 12, 31), progress=lambda done, _total: seen.append(done))
    assert seen[0] == 0 and seen[-1] == total

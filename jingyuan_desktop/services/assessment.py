"""The year-end assessment: facts per village from the same statistics as `jingyuan stats`,
the office's weights and manual adjustments as settings (audited), exports to Excel and PDF."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.assessment import (
    Adjustment,
    AssessmentSettings,
    VillageFacts,
    VillageScore,
    score_villages,
)
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.clocks import case_clocks
from jingyuan_desktop.domain.enums import OFFICE, OFFICE_LABEL, ClockState, DomainError, EventType, UnitKind
from jingyuan_desktop.domain.lifecycle import is_void
from jingyuan_desktop.domain.listing import CaseFilter
from jingyuan_desktop.domain.statistics import TOTAL_KEY, FigureTally, StatsAccumulator, StatsRow
from jingyuan_desktop.os_errors import write_refusal
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.deadlines import NOW_TOLERANCE
from jingyuan_desktop.services.derived import fresh_rules
from jingyuan_desktop.services.progress import ProgressCallback, Tally
from jingyuan_desktop.services.stats import period_bounds, received_months
from jingyuan_desktop.store import derived as store_derived
from jingyuan_desktop.store import figure_queries, repository
from jingyuan_desktop.store.case_queries import case_conditions
from jingyuan_desktop.store.models import CaseModel

SETTINGS_KEY = "assessment"
JUDGED = (ClockState.MET, ClockState.LATE, ClockState.OVERDUE)


def _adjustments_key(year: int) -> str:
    return f"assessment_adjustments:{year}"


@dataclass
class Assessment:
    year: int
    as_of: datetime
    settings: AssessmentSettings
    adjustments: list[Adjustment]
    town: VillageFacts
    rows: list[VillageScore]
    office: VillageFacts | None = None  # the office's own clocks: a figure of its own, not ranked


def office_text(result: Assessment) -> str:
    """The office's timeliness, shown beside the villages' table (seed 000 gives it its own clocks)."""
    office = result.office
    if office is None:
        return ""
    rate = "—" if office.timeliness_rate is None else f"{office.timeliness_rate:.1%}"
    return (f"治理办自身时限（交办、回访、反馈派出所、包案领导、督办、定期回访及接手疑难后的进展）："
            f"及时率 {rate}（按时 {office.clocks_met} / 应计 {office.clocks_judged}），当前超时 {office.overdue} 项")


def get_settings(ctx: AppContext) -> AssessmentSettings:
    with ctx.session() as session:
        stored = repository.get_setting(session, SETTINGS_KEY, {})
    try:
        return AssessmentSettings.from_dict(stored)
    except DomainError:
        return AssessmentSettings()  # a broken stored value must not stop the screen


def save_settings(ctx: AppContext, settings: AssessmentSettings) -> None:
    ctx.require(Permission.ASSESSMENT)
    try:
        settings.check()
    except DomainError as error:
        raise ServiceError(error.message) from None
    with ctx.session() as session:
        repository.set_setting(session, SETTINGS_KEY, settings.to_dict(), user=ctx.user, at=ctx.now())


def get_adjustments(ctx: AppContext, year: int) -> list[Adjustment]:
    with ctx.session() as session:
        stored = repository.get_setting(session, _adjustments_key(year), []) or []
    return [Adjustment(**item) for item in stored]


def add_adjustment(ctx: AppContext, year: int, village: str, points: float, reason: str) -> None:
    ctx.require(Permission.ASSESSMENT)
    adjustment = Adjustment(village.strip(), float(points), reason.strip(), ctx.user, ctx.now().isoformat())
    try:
        adjustment.check()
    except DomainError as error:
        raise ServiceError(error.message) from None
    with ctx.session() as session:
        villages = {u.name for u in repository.list_units(session) if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)}
        if adjustment.village not in villages:
            raise ServiceError(f"未知的村（社区）“{adjustment.village}”")
        stored = list(repository.get_setting(session, _adjustments_key(year), []) or [])
        stored.append(dict(adjustment.__dict__))
        repository.set_setting(session, _adjustments_key(year), stored, user=ctx.user, at=ctx.now())


def remove_adjustment(ctx: AppContext, year: int, index: int) -> None:
    ctx.require(Permission.ASSESSMENT)
    with ctx.session() as session:
        stored = list(repository.get_setting(session, _adjustments_key(year), []) or [])
        if not 0 <= index < len(stored):
            raise ServiceError("该加减分已不存在，请刷新后重试")
        stored.pop(index)
        repository.set_setting(session, _adjustments_key(year), stored, user=ctx.user, at=ctx.now())


OFFICE_NAME = OFFICE_LABEL


def village_facts(ctx: AppContext, year: int, progress: ProgressCallback | None = None,
                  ) -> tuple[list[VillageFacts], VillageFacts, VillageFacts, datetime]:
    """Facts of every active village, of the town (the villages together) and of the office
    (治理办), for cases received in ``year``, as of min(now, the year's end).

    Each clock counts for its owner only (seed 000): a village answers for the arrivals, the
    same-day results, the daily progress and follow-ups of its team; the office for dispatch,
    return visits, police feedback, leaders and supervision, and for the progress of the
    cases it took over. Shirking (推诿) is the explicit ``dispatch_refused`` of a team.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    moment = min(ctx.now(), datetime.combine(end + timedelta(days=1), time(0), tzinfo=TZ))
    if moment >= ctx.now() - NOW_TOLERANCE:
        rules = fresh_rules(ctx)
        if rules is not None:
            return _summed_facts(ctx, start, end, moment, rules, progress)
    calendar, clock_settings = ctx.calendar(), ctx.clock_settings()
    met: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    shirked: Counter[str] = Counter()
    low, high = period_bounds(start, end)
    # The rates exactly as `jingyuan stats` computes them, tallied while the cases stream by once.
    accumulator = StatsAccumulator(now=ctx.now(), groupings=(None, "village"), start=start, end=end,
                                   settings=clock_settings)
    with ctx.session() as session:
        villages = [u.name for u in repository.list_units(session) if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)]
        tally = Tally(progress, repository.count_cases(session, CaseFilter(received_from=low, received_to=high)))
        for case in repository.iter_cases(session, received_from=low, received_to=high):
            tally.step()
            accumulator.add(case)
            if is_void(case, moment):
                continue  # never a real case: nobody answers for it
            shirked[case.village] += sum(1 for e in case.events_until(moment) if e.type == EventType.DISPATCH_REFUSED)
            for clock in case_clocks(case, moment, calendar, clock_settings):
                if clock.state in JUDGED:
                    judged[clock.owner] += 1
                    met[clock.owner] += clock.state == ClockState.MET
                if clock.state == ClockState.OVERDUE:
                    overdue[clock.owner] += 1
    tally.finish()
    by_village = {row.key: row for row in accumulator.rows("village")}
    return (*_facts(villages, by_village, accumulator.rows(None)[0], met, judged, overdue, shirked), moment)


def _facts(villages: list[str], by_village: dict[str, StatsRow], total: StatsRow, met: Counter[str],
           judged: Counter[str], overdue: Counter[str], shirked: Counter[str],
           ) -> tuple[list[VillageFacts], VillageFacts, VillageFacts]:
    """The facts of each village, of the town (every team together) and of the office, from the
    figures by village and the clocks and refusals counted per owner."""

    def facts(name: str, row: StatsRow | None) -> VillageFacts:
        return VillageFacts(name, row.received if row else 0, row.resolution_rate if row else None,
                            row.satisfaction_rate if row else None, met[name], judged[name], overdue[name],
                            shirked[name])

    teams = [name for name in judged.keys() | shirked.keys() if name != OFFICE]
    town = VillageFacts("全镇", total.received, total.resolution_rate, total.satisfaction_rate,
                        sum(met[n] for n in teams), sum(judged[n] for n in teams), sum(overdue[n] for n in teams),
                        sum(shirked[n] for n in teams))
    office = VillageFacts(OFFICE_NAME, total.received, None, None, met[OFFICE], judged[OFFICE], overdue[OFFICE], 0)
    return [facts(name, by_village.get(name)) for name in villages], town, office


def _summed_facts(ctx: AppContext, start: date, end: date, moment: datetime, rules,
                  progress: ProgressCallback | None) -> tuple[list[VillageFacts], VillageFacts, VillageFacts, datetime]:
    """``village_facts`` of a year still running, summed by the database over the stored figure
    columns and clock rows (each clock counted for its owner), with the progress clocks grown
    since each case's last change."""
    low, high = period_bounds(start, end)
    period = case_conditions(CaseFilter(received_from=low, received_to=high))
    met: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    with ctx.session() as session:
        bar = Tally(progress, repository.count_cases(session, CaseFilter(received_from=low, received_to=high)))
        villages = [u.name for u in repository.list_units(session) if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)]
        shirked: Counter[str] = Counter()
        by_village: dict[str, FigureTally] = {}
        # One pass over the year's rows: the figures with the refusals and the done clocks by owner.
        owned = (CaseModel.refusals, CaseModel.office_met, CaseModel.office_late, CaseModel.team_met,
                 CaseModel.team_late)
        # The months too, for the rows' sums (through ix_cases_figures on SQLite), not for the
        # open clocks below: those are found from the few open ones, not from the year's cases.
        for (village,), tally, sums in figure_queries.tallies_with(session, [*period, *received_months(start, end)],
                                                                     [CaseModel.village], ctx.now(),
                                                                     [func.sum(column) for column in owned]):
            refusals, office_met, office_late, team_met, team_late = sums
            by_village[village] = tally
            shirked[village] += refusals
            met[OFFICE] += office_met
            judged[OFFICE] += office_met + office_late
            met[village] += team_met
            judged[village] += team_met + team_late
        # Open clocks by owner (the done ones are summed off the case rows just above): an
        # overdue one is judged, and not met; a pending one is not judged yet.
        open_counts = figure_queries.open_clock_counts(session, period, moment, by_owner=True)
        open_counts.update((clock.owner, clock.state) for clock in
                           store_derived.grown_clocks(session, [CaseModel.void.is_(False), *period], moment, rules))
    bar.finish()
    for (owner, state), number in open_counts.items():
        if state == ClockState.OVERDUE:
            judged[owner] += number
            overdue[owner] += number
    total = FigureTally()
    for tally in by_village.values():
        total.merge(tally)
    rows = {name: tally.row(name) for name, tally in by_village.items()}
    return (*_facts(villages, rows, total.row(TOTAL_KEY), met, judged, overdue, shirked), moment)


def assess(ctx: AppContext, year: int, progress: ProgressCallback | None = None) -> Assessment:
    villages, town, office, moment = village_facts(ctx, year, progress)
    settings, adjustments = get_settings(ctx), get_adjustments(ctx, year)
    return Assessment(year, moment, settings, adjustments, town, score_villages(villages, town, settings, adjustments),
                      office)


HEADERS = ["名次", "村（社区）", "案件数", "及时率", "化解率", "满意率", "基础得分", "超时项", "推诿件", "扣分",
           "加减分", "总分", "说明"]


def table_rows(result: Assessment) -> list[list]:
    """The ranked table as the screen and the exports show it."""
    rows = []
    for row in result.rows:
        f = row.facts
        note = f"无数据的{'、'.join(row.substituted)}按全镇计" if row.substituted else ""
        rows.append([row.rank, f.village, f.received, f"{row.timeliness:.1%}", f"{row.resolution:.1%}",
                     f"{row.satisfaction:.1%}", f"{row.components:.2f}", f.overdue, f.shirked, f"{row.deduction:.2f}",
                     f"{row.adjustment:+.2f}" if row.adjustment else "", f"{row.score:.2f}", note])
    return rows


def settings_text(settings: AssessmentSettings) -> str:
    return (f"权重：及时率 {settings.weight_timeliness:g}、化解率 {settings.weight_resolution:g}、"
            f"满意率 {settings.weight_satisfaction:g}；每项超时扣 {settings.overdue_points:g} 分，"
            f"每件推诿扣 {settings.shirked_points:g} 分，扣分上限 {settings.deduction_cap:g} 分")


def title_text(ctx: AppContext, year: int) -> str:
    town = ctx.office().town
    return f"{town}{year}年度村（社区）警源治理考核"


def adjustment_lines(result: Assessment) -> list[str]:
    """One line per manual adjustment, as the PDF lists them under the table."""
    return [f"{a.village}　{a.points:+g} 分　{a.reason}（{a.by}，{a.at[:10]}）" for a in result.adjustments]


def export_excel(ctx: AppContext, year: int, path: Path | str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    result = assess(ctx, year)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = f"{year}年考核"
    sheet.append([title_text(ctx, year)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"截至 {result.as_of:%Y-%m-%d %H:%M}；{settings_text(result.settings)}"])
    if result.office is not None:
        sheet.append([office_text(result)])
    sheet.append(HEADERS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in table_rows(result):
        sheet.append(row)
    if result.adjustments:
        sheet.append([])
        sheet.append(["加减分明细"])
        for item in result.adjustments:
            sheet.append(["", item.village, item.points, item.reason, item.by, item.at[:16].replace("T", " ")])
    for column, width in zip("ABCDEFGHIJKLM", (6, 16, 8, 9, 9, 9, 10, 8, 8, 8, 8, 9, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5" if result.office is not None else "A4"
    target = Path(path)
    try:
        book.save(target)
    except OSError as error:
        raise ServiceError(write_refusal(target, error)) from None
    return target


def export_pdf(ctx: AppContext, year: int, path: Path | str) -> Path:
    # Imported here so that reportlab loads only when a PDF is asked for, not with the screen.
    from jingyuan_desktop.services.paper.assessment import build_pdf
    from jingyuan_desktop.services.paper.fonts import font_for

    result = assess(ctx, year)
    subtitle = f"截至 {result.as_of:%Y-%m-%d %H:%M}　{settings_text(result.settings)}　{office_text(result)}"
    return build_pdf(Path(path), font_for(ctx), title=title_text(ctx, year), subtitle=subtitle, headers=HEADERS,
                     rows=table_rows(result), notes=adjustment_lines(result))

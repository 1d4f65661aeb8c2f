"""周例会材料: the weekly meeting handout — the week's figures, its transfers, every open
difficult case with its owner, and the red cases with their leaders.

The handout leaves the meeting room, so citizens appear as 张某 and no phone number is
printed; officials (handlers, leaders) are named, since the meeting asks who owns what.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, PageTemplate, Spacer, Table, TableStyle

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.enums import NO_COLOUR, EventType
from jingyuan_desktop.domain.lifecycle import cancel_reason, is_void
from jingyuan_desktop.domain.meeting import Agenda, AgendaItem
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.privacy import mask_name, mask_people_in_text
from jingyuan_desktop.domain.statistics import FIGURE_LABELS, StatsRow, figure_text
from jingyuan_desktop.services import meeting, stats
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.paper.fonts import PaperFont
from jingyuan_desktop.services.paper.layout import (
    Styles,
    cell_font,
    counting_canvas,
    draw_font_warning,
    fmt_moment,
    grid_table,
    para,
    shorten,
)
from jingyuan_desktop.services.prevention import duties as prevention
from jingyuan_desktop.services.prevention import records as prevention_records

E = EventType
PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 14 * mm, 16 * mm, 16 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
ALARM = colors.HexColor("#C00000")
_WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\s*$")


@dataclass(frozen=True)
class WeekSpan:
    label: str  # "2026-W47"
    monday: date
    sunday: date

    @property
    def title(self) -> str:
        year, number = self.label.split("-W")
        return (f"{year}年第{int(number)}周（{self.monday.month}月{self.monday.day}日—"
                f"{self.sunday.month}月{self.sunday.day}日）")


def week_span(week: str | None, now: datetime) -> WeekSpan:
    """The ISO week named ``week`` ("2026-W47"), or the week of ``now`` when None."""
    if week is None or not week.strip():
        year, number, _ = local(now).isocalendar()
    else:
        match = _WEEK.match(week)
        if not match:
            raise ServiceError(f"周的格式应为“2026-W47”：{week}")
        year, number = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ServiceError(f"{year}年没有第{number}周") from None
    return WeekSpan(f"{year}-W{number:02d}", monday, monday + timedelta(days=6))


@dataclass(frozen=True)
class WeeklyContent:
    """The handout's content: the meeting's agenda (services.meeting), so paper and screen agree."""

    span: WeekSpan
    now: datetime
    total: StatsRow
    by_village: list[StatsRow]
    agenda: Agenda
    # The week's transfers cancelled as duplicates or entries in error (domain.lifecycle.is_void),
    # by case number with the reason: listed, but left out of the figures.
    void: dict[str, str] = field(default_factory=dict)
    # What each waiting case waits for, with experts' names masked (see ``waiting_text``).
    waiting_on: dict[str, str] = field(default_factory=dict)
    # The prevention half (issue 14): the week's patrols, visits and cases found first, and
    # the warnings reaching into the week.
    prevention: prevention.PreventionFigures | None = None
    warnings: list = field(default_factory=list)

    @property
    def transfers(self) -> list[AgendaItem]:
        return self.agenda.transfers


def waiting_text(case: Case, moment: datetime) -> str:
    """Who the case waits for at ``moment``: departments and courts by name, experts as 张某.

    The agenda's ``waiting_on`` joins departments and experts into one text; the handout,
    which leaves the room, needs them apart, as the ``joint_handling`` events keep them.
    """
    names: list[str] = []
    for event in case.events_until(moment):
        if event.type == E.JOINT_HANDLING:
            names += list(event.get("departments") or [])
            names += [mask_name(name) for name in event.get("experts") or []]
            names = names or ["联席处理"]
        elif event.type == E.REFERRED_TO_COURT:
            names.append(event.get("court") or "法庭")
    return "、".join(dict.fromkeys(n for n in names if n))


def gather(ctx: AppContext, span: WeekSpan) -> WeeklyContent:
    """The week's agenda (as of the week's end, or now during the week) and its figures."""
    from jingyuan_desktop.store import repository

    agenda = meeting.build_agenda(ctx, span.label)
    by_village = stats.statistics(ctx, by="village", start=span.monday, end=span.sunday)
    wanted = [i.case_no for i in agenda.transfers] + [i.case_no for i in agenda.waiting]
    with ctx.session() as session:
        cases = {no: case for no, (case, _version) in repository.get_cases(session, wanted).items()}
    void: dict[str, str] = {}
    for item in agenda.transfers:
        case = cases.get(item.case_no)
        if case is not None and is_void(case, agenda.as_of):
            cancelled = case.first(E.CANCELLED, agenda.as_of)
            reason = cancel_reason(cancelled) if cancelled is not None else None
            void[item.case_no] = reason.label if reason is not None else "撤销"
    waiting_on = {i.case_no: waiting_text(cases[i.case_no], agenda.as_of) for i in agenda.waiting
                  if i.case_no in cases}
    figures = prevention.figures(ctx, span.monday, span.sunday, now=agenda.as_of)
    warnings = prevention_records.warnings_in(ctx, span.monday, span.sunday)
    return WeeklyContent(span, agenda.as_of, agenda.stats, by_village, agenda, void, waiting_on, figures, warnings)




FIGURE_HEADER = [label + ("（小时）" if name == "mean_hours_to_resolution" else "")
                 for name, label in FIGURE_LABELS.items()]


def _figures(row: StatsRow) -> list[str]:
    return [figure_text(name, getattr(row, name)) for name in FIGURE_LABELS]


def _table(header: list[str], rows: list[list[str]], widths: list[float], styles: Styles, empty: str,
           *, total_row: bool = False, alarms: Iterable[tuple[int, int]] = ()):
    """A dense ruled list; ``alarms`` are (row, column) cells printed in red."""
    if not rows:
        return para(empty, styles.body)
    cell = styles.sized(styles.cell, 8.5)
    label = styles.sized(styles.label, 8.5)
    head = [para(text, label) for text in header]
    body = [[para(text, cell) for text in row] for row in rows]
    extra = [("BACKGROUND", (0, len(body)), (-1, len(body)), colors.HexColor("#F4F4F4"))] if total_row else []
    for row, col in alarms:
        body[row][col] = para(rows[row][col], cell.clone("alarm", textColor=ALARM))
    return grid_table([head, *body], widths, header=True, repeat=True, extra=extra, padding=2)


def _last_event(item: AgendaItem) -> str:
    event = item.last_event
    if event is None:
        return "尚无处置记录"
    note = shorten(mask_people_in_text(event.note, item.parties), 30)
    return f"{local(event.at).month}月{local(event.at).day}日 {event.type.label}" + (f"：{note}" if note else "")


def _summary(item: AgendaItem) -> str:
    return shorten(mask_people_in_text(item.summary, item.parties), 40)


def transfers_heading(received: int, void: int) -> str:
    """The heading of the week's transfers, which agrees with the figures' 接收 count: cases
    cancelled as duplicates or entries in error are listed but not counted, and it says so."""
    if not void:
        return f"三、本周接收案件（{received}件）"
    return f"三、本周接收案件（{received}件，其中重复录入或误录 {void} 件不计入统计）"


def weekly_story(content: WeeklyContent, town: str, styles: Styles, printed_at: datetime) -> list:
    small = styles.sized(styles.cell, 8.5)
    agenda = content.agenda
    columns = len(FIGURE_HEADER)  # as many as the figures, so the table fits the page's width
    fig_widths = [CONTENT_W / columns] * columns
    village_rows = [[row.key, *_figures(row)] for row in content.by_village]
    if village_rows:
        village_rows.append(["合计", *_figures(content.total)])
    story = [
        para(f"{town}警源治理周例会材料", styles.title),
        para(f"{content.span.title}　　截至 {fmt_moment(agenda.as_of)}　　打印 {fmt_moment(printed_at)}",
             styles.subtitle),
        Spacer(1, 3 * mm),
        para("一、本周数据", styles.section),
        _table(FIGURE_HEADER, [_figures(content.total)], fig_widths, styles, ""),
        para("注：按接收时间统计本周案件，重复录入和误录的案件不计；满意率按首次回访计；"
             "超时时限按责任方（村或治理办）统计。", styles.small),
        CondPageBreak(40 * mm),
        para("二、分村（社区）情况", styles.section),
        _table(["村（社区）", *FIGURE_HEADER], village_rows, [22 * mm] + [(CONTENT_W - 22 * mm) / columns] * columns,
               styles, "本周没有接收案件。", total_row=True),
    ]
    overdue = "、".join(f"{village} {count} 项" for village, count in agenda.overdue_by_village)
    story.append(para(f"超时时限：{overdue}" if overdue else "超时时限：无", styles.small))
    transfer_rows = [[i.case_no, fmt_moment(i.received_at)[5:], i.village, i.category,
                      f"{i.grade.label}/{i.risk.label if i.risk else NO_COLOUR}", _summary(i),
                      i.status.label + (f"（{content.void[i.case_no]}，不计入统计）" if i.case_no in content.void
                                        else "")]
                     for i in agenda.transfers]
    story += [
        CondPageBreak(40 * mm),
        para(transfers_heading(len(agenda.transfers), len(content.void)), styles.section),
        _table(["案件编号", "接收时间", "村（社区）", "类别", "等级/风险", "简要情况", "状态"], transfer_rows,
               [25 * mm, 20 * mm, 22 * mm, 18 * mm, 15 * mm, CONTENT_W - 122 * mm, 22 * mm], styles,
               "本周没有接收案件。"),
    ]
    difficult_rows = [[i.case_no, i.village, i.category, f"{i.age_days}天", i.owner or "未交办", _last_event(i),
                       i.plan, i.due_date] for i in agenda.difficult]
    story += [
        CondPageBreak(40 * mm),
        para(f"四、未化解疑难案件（{len(agenda.difficult)}件）", styles.section),
        _table(["案件编号", "村（社区）", "类别", "已历", "责任人", "最近进展", "化解方案/下步措施", "完成期限"],
               difficult_rows, [25 * mm, 22 * mm, 17 * mm, 11 * mm, 15 * mm, 44 * mm, CONTENT_W - 154 * mm, 20 * mm],
               styles, "目前没有未化解的疑难案件。"),
    ]
    red_rows = [[i.case_no, i.village, i.category, i.status.label, i.leader or "未指定", i.owner or "未交办",
                 f"{i.age_days}天"] for i in agenda.red]
    # Never the agenda's own waiting_on: it names experts, who are people, in full.
    waiting_rows = [[i.case_no, i.village, i.category, content.waiting_on.get(i.case_no, ""), f"{i.age_days}天",
                     i.status.label] for i in agenda.waiting]
    story += [
        CondPageBreak(40 * mm),
        para(f"五、红色风险案件（{len(agenda.red)}件）", styles.section),
        _table(["案件编号", "村（社区）", "类别", "状态", "包案领导", "责任人", "已历"], red_rows,
               [25 * mm, 22 * mm, 18 * mm, 22 * mm, 20 * mm, 20 * mm, CONTENT_W - 127 * mm], styles,
               "目前没有未化解的红色风险案件。",
               alarms=[(r, 4) for r, row in enumerate(red_rows) if row[4] == "未指定"]),
        CondPageBreak(40 * mm),
        para(f"六、等待上级部门或法庭（{len(agenda.waiting)}件）", styles.section),
        _table(["案件编号", "村（社区）", "类别", "等待", "已历", "状态"], waiting_rows,
               [25 * mm, 22 * mm, 18 * mm, CONTENT_W - 107 * mm, 14 * mm, 28 * mm], styles, "没有等待上级部门的案件。"),
    ]
    second_rows = [[i.case_no, i.village, i.category, i.status.label, i.owner or "未交办", _last_event(i),
                    f"{i.age_days}天"] for i in agenda.second_handling]
    broken_rows = [[i.case_no, i.village, i.category, _last_event(i), i.owner or "—"] for i in agenda.broken_agreements]
    story += [
        CondPageBreak(40 * mm),
        para(f"七、二次处置：重复报警、化解后复发、调解未成的疑难案件（{len(agenda.second_handling)}件）",
             styles.section),
        _table(["案件编号", "村（社区）", "类别", "状态", "责任人", "最近进展", "已历"], second_rows,
               [25 * mm, 22 * mm, 18 * mm, 24 * mm, 18 * mm, CONTENT_W - 121 * mm, 14 * mm], styles,
               "没有需要二次处置的案件。"),
        CondPageBreak(40 * mm),
        para(f"八、定期回访发现协议未履行（{len(agenda.broken_agreements)}件）", styles.section),
        _table(["案件编号", "村（社区）", "类别", "最近回访", "责任人"], broken_rows,
               [25 * mm, 22 * mm, 18 * mm, CONTENT_W - 85 * mm, 20 * mm], styles, "没有协议未履行的案件。"),
    ]
    story += prevention_story(content, styles)
    story += [
        CondPageBreak(60 * mm),
        para("十、会议决定事项", styles.section),
        _writing_lines(8, small),
    ]
    return story


def prevention_story(content: WeeklyContent, styles: Styles) -> list:
    """九、排查预防: found first, patrols and visits, the grids that missed, the warnings."""
    fig = content.prevention
    if fig is None:
        return []
    story: list = [CondPageBreak(40 * mm), para("九、排查预防", styles.section)]
    for line in (prevention.found_first_text(fig), prevention.patrol_text(fig), prevention.visits_text(fig)):
        story.append(para(line, styles.body))
    missed = [list(row.cells) for row in fig.missed]
    story.append(_table(["网格或包村民警", "完成/应完成", "完成率"], missed, [60 * mm, 30 * mm, 30 * mm], styles,
                        "本周各网格巡查、民警进村均已按时完成。",
                        alarms=[(r, 2) for r in range(len(missed))]))
    for warning in content.warnings:
        story.append(para(prevention.warning_text(warning), styles.body))
    return story


def _writing_lines(count: int, style) -> Table:
    table = Table([[""] for _ in range(count)], colWidths=[CONTENT_W], rowHeights=[8 * mm] * count)
    table.setStyle(TableStyle([cell_font(style.fontName),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999"))]))
    return table


def build_weekly(content: WeeklyContent, town: str, font: PaperFont, buffer, *, printed_at: datetime,
                 printed_by: str) -> int:
    styles = Styles(font)
    pages = {"total": 0}

    def decorate(canvas, _doc):
        draw_font_warning(canvas, font, PAGE_W, PAGE_H)

    def footer(canvas, page, total):
        pages["total"] = total
        canvas.saveState()
        canvas.setFont(font.name, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        y = MARGIN_BOTTOM - 8 * mm
        canvas.drawString(MARGIN_X, y, f"内部会议材料，当事人信息已隐去　{printed_by} 打印")
        canvas.drawRightString(PAGE_W - MARGIN_X, y, f"第 {page} 页 共 {total} 页")
        canvas.restoreState()

    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, 0, 0, 0, 0)
    doc = BaseDocTemplate(buffer, pagesize=A4, title=f"周例会材料 {content.span.label}", author=f"{town}治理办",
                          creator="jingyuan_desktop", initialFontName=font.name,
                          pageTemplates=[PageTemplate("weekly", [frame], onPage=decorate)])
    doc.build(weekly_story(content, town, styles, printed_at), canvasmaker=counting_canvas(footer))
    return pages["total"]

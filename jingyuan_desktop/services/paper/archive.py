"""档案: the archive form of one case, the whole record for the folder it is kept in for years.

Long tables (the timeline, the evidence, the clocks) continue over as many pages as needed
with their header row repeated; every page carries the case number and “第 x 页 共 y 页”,
which needs the page count before the first page is written (see ``counting_canvas``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate, Spacer

from jingyuan_desktop.domain.calendar import WorkCalendar
from jingyuan_desktop.domain.clocks import Clock, ClockSettings, case_clocks
from jingyuan_desktop.domain.enums import ClockName, ClockState, EventType, Source, colour_text
from jingyuan_desktop.domain.event_text import ending_text
from jingyuan_desktop.domain.lifecycle import (
    classification_at,
    current_risk,
    derive_status,
    ending,
    follow_visits,
    follow_visits_apply,
    resolution,
)
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services.paper.facts import event_details, flags_of, team_of, value_text
from jingyuan_desktop.services.paper.fonts import PaperFont
from jingyuan_desktop.services.paper.layout import (
    LABEL_BG,
    Styles,
    counting_canvas,
    draw_font_warning,
    fmt_due,
    fmt_moment,
    grid_table,
    para,
)

E = EventType
PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 16 * mm, 20 * mm, 18 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
LABEL_W = 27 * mm
VALUE_W = (CONTENT_W - 2 * LABEL_W) / 2
PAGE_NUMBER_FORMAT = "第 {page} 页 共 {total} 页"


@dataclass(frozen=True)
class ArchiveFacts:
    town: str
    printed_at: datetime
    printed_by: str
    calendar: WorkCalendar
    settings: ClockSettings


def _pairs_table(pairs: list[tuple[str, str]], styles: Styles, *, wide: tuple[str, ...] = ()) -> object:
    """Label/value pairs two to a row; labels in ``wide`` take a whole row for long text."""
    rows, spans, cell = [], [], styles.cell
    pending: list = []
    for label, value in pairs:
        if label in wide:
            if pending:
                rows.append([*pending, "", ""])
                pending = []
            spans.append(("SPAN", (1, len(rows)), (3, len(rows))))
            rows.append([para(label, styles.label), para(value or "—", cell), "", ""])
            continue
        pending += [para(label, styles.label), para(value or "—", cell)]
        if len(pending) == 4:
            rows.append(pending)
            pending = []
    if pending:
        rows.append([*pending, "", ""])
    shading = [("BACKGROUND", (2, r), (2, r), LABEL_BG) for r, row in enumerate(rows) if row[2] != ""]
    return grid_table(rows, [LABEL_W, VALUE_W, LABEL_W, VALUE_W], label_cols=(0,), extra=spans + shading)


def _list_table(header: list[str], rows: list[list[str]], widths: list[float], styles: Styles, empty: str):
    if not rows:
        return para(empty, styles.body)
    head = [para(text, styles.label) for text in header]
    body = [[para(text, styles.cell) for text in row] for row in rows]
    return grid_table([head, *body], widths, header=True, repeat=True)


def _basic(case: Case, styles: Styles) -> object:
    current = classification_at(case)
    team = team_of(case)
    first = f"{case.category} / {case.grade.label} / {colour_text(case.risk)}"
    now = f"{current.category} / {current.grade.label} / {colour_text(current_risk(case))}"
    pairs = [
        ("案件编号", case.case_no), ("来源", case.source.label),
        ("警情编号", case.police_incident_no), ("转交派出所", case.police_station),
        ("报警时间", fmt_moment(case.called_at)), ("处警民警", case.officer),
        ("接收时间", fmt_moment(case.received_at)), ("交办时间", fmt_moment(team.dispatched_at)),
        ("村（社区）", case.village), ("事发地点", case.location),
        ("类别/等级/风险", now), ("受理时分类", first if first != now else "同左"),
        ("风险提示", "；".join(flags_of(case)) or "无"),
        ("简要情况", case.summary),
    ]
    return _pairs_table(pairs, styles, wide=("风险提示", "简要情况"))


def _parties(case: Case, styles: Styles):
    rows = [[str(i), p.name, p.role.label, p.phone, p.id_number] for i, p in enumerate(case.parties, start=1)]
    widths = [10 * mm, 32 * mm, 22 * mm, 36 * mm, CONTENT_W - 100 * mm]
    return _list_table(["序号", "姓名", "身份", "联系电话", "身份证号"], rows, widths, styles, "未登记当事人。")


def _timeline(case: Case, styles: Styles):
    rows = [[str(i), fmt_moment(e.at), e.type.label, e.by, event_details(e)]
            for i, e in enumerate(case.events, start=1)]
    widths = [10 * mm, 29 * mm, 22 * mm, 20 * mm, CONTENT_W - 81 * mm]
    return _list_table(["序号", "时间", "事项", "经办人", "说明"], rows, widths, styles, "尚无处置记录。")


def _evidence(case: Case, styles: Styles):
    rows: list[list[str]] = []
    for event in case.events:
        for item in event.evidence:
            rows.append([str(len(rows) + 1), item, event.type.label, fmt_moment(event.at), event.by])
    widths = [10 * mm, CONTENT_W - 91 * mm, 22 * mm, 29 * mm, 20 * mm]
    return _list_table(["序号", "证据（记录仪文件、照片、材料）", "所属事项", "时间", "记录人"], rows, widths,
                       styles, "无证据记录。")


def _outcome(case: Case, styles: Styles):
    team = team_of(case)
    arrived = case.first(E.ARRIVED)
    resolved = resolution(case)
    ended = ending(case)
    escalated = case.first(E.ESCALATED)
    court = case.first(E.REFERRED_TO_COURT)
    leader = case.first(E.LEADER_ASSIGNED)
    follow_ups = [e for e in case.events if e.type == E.FOLLOW_UP_SCHEDULED]
    took = _duration(resolved.at - case.received_at) if resolved else ""
    pairs = [
        ("处置人员", team.names()), ("协调部门/专家", "、".join(team.departments + team.experts)),
        ("到场时间", fmt_moment(arrived.at) if arrived else "未到场记录"),
        ("化解时间", fmt_moment(resolved.at) if resolved else "尚未化解"),
        ("办结方式", ending_text(case) or "尚未办结"), ("接收至化解", took),
        ("办结时间", fmt_moment(ended.at) if ended else "—"),
        ("定期回访", _follow_visit_text(case)),
        ("约定后续", "；".join(value_text("agreed_at", e.get("agreed_at")) for e in follow_ups) or "无"),
        ("升级疑难", fmt_moment(escalated.at) if escalated else "否"),
        ("移送法庭", f"{fmt_moment(court.at)} {court.get('court') or ''}".strip() if court else "否"),
        ("包案领导", leader.get("leader") if leader else "无"),
        ("现状", derive_status(case).label),
    ]
    return _pairs_table(pairs, styles)


def _follow_visit_text(case: Case) -> str:
    """The rolling return visits (定期回访) in one line: how many, and whether the agreement holds."""
    if not follow_visits_apply(case):
        return "不适用"
    visits = follow_visits(case)
    if not visits:
        return "已安排，尚未回访"
    broken = sum(1 for e in visits if e.get("agreement_kept") is False)
    return f"已回访 {len(visits)} 次" + (f"，其中 {broken} 次发现协议未履行" if broken else "，协议均在履行")


def _duration(span) -> str:
    hours = span.total_seconds() / 3600
    if hours < 48:
        return f"{hours:.1f} 小时"
    return f"{int(hours // 24)} 天 {int(hours % 24)} 小时"


def _return_visits(case: Case, styles: Styles):
    rows = [[str(i), fmt_moment(e.at), e.by, e.get("party") or "",
             value_text("satisfaction", e.get("satisfaction")) or value_text("agreement_kept", e.get("agreement_kept")),
             e.note] for i, e in enumerate((e for e in case.events if e.type == E.RETURN_VISIT), start=1)]
    widths = [10 * mm, 29 * mm, 20 * mm, 22 * mm, 20 * mm, CONTENT_W - 101 * mm]
    return _list_table(["序号", "回访时间", "回访人", "回访对象", "满意度", "说明"], rows, widths, styles,
                       "尚无回访记录。")


def _police_feedback(case: Case, styles: Styles):
    rows = [[fmt_moment(e.at), e.by, e.get("officer") or "", e.note]
            for e in case.events if e.type == E.POLICE_FEEDBACK]
    if case.source == Source.POLICE_TRANSFER:
        empty = "尚未反馈派出所。"
    else:
        empty = f"本案来源为{case.source.label}，无需反馈派出所。"
    widths = [29 * mm, 20 * mm, 22 * mm, CONTENT_W - 71 * mm]
    return _list_table(["反馈时间", "经办人", "接收民警", "说明"], rows, widths, styles, empty)


# A kind of clock with more than this many instances (the daily progress clock of a long case:
# one per working day) is summed up in one line, listing only its late and overdue ones.
CLOCK_SUMMARY_FROM = 6
CLOCK_LIST_LIMIT = 20
_LATE_STATES = (ClockState.LATE, ClockState.OVERDUE)


def clock_summary(name: ClockName, clocks: list[Clock]) -> str:
    """“每日进展时限 402 次，按时 380 次，超时完成 15 次，已超时 7 次” (and 进行中, when any)."""
    count = {state: sum(1 for c in clocks if c.state == state) for state in ClockState}
    text = (f"{name.label} {len(clocks)} 次，按时 {count[ClockState.MET]} 次，"
            f"超时完成 {count[ClockState.LATE]} 次，已超时 {count[ClockState.OVERDUE]} 次")
    return text + (f"，进行中 {count[ClockState.PENDING]} 次" if count[ClockState.PENDING] else "")


def _shown_exceptions(clocks: list[Clock]) -> tuple[list[Clock], int]:
    """The late and overdue clocks of one kind to list, in order, overdue ones first to keep
    when there are more than ``CLOCK_LIST_LIMIT``; and how many are left out."""
    overdue = [c for c in clocks if c.state == ClockState.OVERDUE]
    late = [c for c in clocks if c.state == ClockState.LATE]
    kept = (overdue + late)[:CLOCK_LIST_LIMIT]
    return sorted(kept, key=lambda c: c.seq), len(overdue) + len(late) - len(kept)


def _clocks(case: Case, facts: ArchiveFacts, styles: Styles):
    """Every clock in a line, except that a kind with many (see ``CLOCK_SUMMARY_FROM``) has a
    summary line and only its late and overdue clocks after it."""
    clocks = case_clocks(case, facts.printed_at, facts.calendar, facts.settings)
    if not clocks:
        return para("无时限记录。", styles.body)
    by_name: dict[ClockName, list[Clock]] = {}
    for clock in clocks:
        by_name.setdefault(clock.name, []).append(clock)
    cell, red = styles.cell, styles.cell.clone("clock-late", textColor=colors.HexColor("#C00000"))
    rows: list[list] = [[para(text, styles.label) for text in ("时限", "起算", "应完成", "完成时间", "状态")]]
    spans: list[tuple] = []

    def clock_row(clock: Clock, several: bool) -> list:
        name = clock.name.label + (f"（第{clock.seq}次）" if several else "")
        state = para(clock.state.label, red if clock.state in _LATE_STATES else cell)
        return [para(name, cell), para(fmt_moment(clock.started_at), cell), para(fmt_due(clock.due_at), cell),
                para(fmt_moment(clock.done_at), cell), state]

    done: set[ClockName] = set()
    for clock in clocks:
        same = by_name[clock.name]
        if len(same) < CLOCK_SUMMARY_FROM:
            rows.append(clock_row(clock, len(same) > 1))
            continue
        if clock.name in done:
            continue
        done.add(clock.name)
        shown, left_out = _shown_exceptions(same)
        spans.append(("SPAN", (0, len(rows)), (-1, len(rows))))
        rows.append([para(clock_summary(clock.name, same) + ("，逐次列出如下：" if shown else "。"), cell),
                     "", "", "", ""])
        rows += [clock_row(c, True) for c in shown]
        if left_out:
            spans.append(("SPAN", (0, len(rows)), (-1, len(rows))))
            rows.append([para(f"另有 {left_out} 次超时未逐一列出（详见系统）。", cell), "", "", "", ""])
    widths = [CONTENT_W - 107 * mm, 29 * mm, 29 * mm, 29 * mm, 20 * mm]
    return grid_table(rows, widths, header=True, repeat=True, extra=spans)


def _filing(case: Case, styles: Styles):
    archived = case.first(E.ARCHIVED)
    if archived is None:
        return para("尚未归档（本表为处置过程记录）。", styles.body)
    pairs = [("档案编号", archived.get("archive_no") or ""), ("归档时间", fmt_moment(archived.at)),
             ("归档人", archived.by), ("说明", archived.note)]
    return _pairs_table(pairs, styles)


def archive_story(case: Case, facts: ArchiveFacts, styles: Styles) -> list:
    archived = case.first(E.ARCHIVED)
    archive_no = archived.get("archive_no") if archived else "（未归档）"
    story = [
        para(f"{facts.town}警源治理事件档案", styles.title),
        para(f"案件编号：{case.case_no}　　档案编号：{archive_no}　　状态：{derive_status(case).label}",
             styles.subtitle),
        Spacer(1, 4 * mm),
    ]
    sections = [
        ("一、基本情况", _basic(case, styles)),
        ("二、当事人", _parties(case, styles)),
        ("三、处置经过", _timeline(case, styles)),
        ("四、证据清单", _evidence(case, styles)),
        ("五、处置结果", _outcome(case, styles)),
        ("六、回访情况", _return_visits(case, styles)),
        ("七、反馈派出所", _police_feedback(case, styles)),
        ("八、时限情况", _clocks(case, facts, styles)),
        ("九、归档", _filing(case, styles)),
    ]
    for heading, body in sections:
        # A heading never stays alone at the foot of a page: a short section moves whole, and a
        # long table (which must split) starts on a new page when little room is left.
        if _is_long(body):
            story += [CondPageBreak(35 * mm), para(heading, styles.section), body]
        else:
            story.append(KeepTogether([para(heading, styles.section), body]))
    story += [Spacer(1, 8 * mm),
              para("立卷人：＿＿＿＿＿＿＿＿　　　审核人：＿＿＿＿＿＿＿＿　　　"
                   "日期：＿＿＿＿年＿＿月＿＿日", styles.body)]
    return story


def _is_long(body) -> bool:
    return len(getattr(body, "_cellvalues", ())) > 12


def build_archive(case: Case, facts: ArchiveFacts, font: PaperFont, buffer) -> int:
    """Write the archive form into ``buffer``; returns the number of pages."""
    styles = Styles(font)
    pages = {"total": 0}

    def decorate(canvas, _doc):
        canvas.saveState()
        canvas.setFont(font.name, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        top = PAGE_H - MARGIN_TOP + 6 * mm
        canvas.drawString(MARGIN_X, top, f"{facts.town}警源治理事件档案")
        canvas.drawRightString(PAGE_W - MARGIN_X, top, f"案件编号 {case.case_no}")
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 2 * mm, PAGE_W - MARGIN_X, top - 2 * mm)
        canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 9 * mm,
                          "内部档案，含当事人个人信息，注意保密　"
                          f"打印：{fmt_moment(facts.printed_at)} {facts.printed_by}")
        canvas.restoreState()
        draw_font_warning(canvas, font, PAGE_W, PAGE_H)

    def page_number(canvas, page, total):
        pages["total"] = total
        canvas.saveState()
        canvas.setFont(font.name, 9)
        canvas.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 9 * mm,
                               PAGE_NUMBER_FORMAT.format(page=page, total=total))
        canvas.restoreState()

    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, 0, 0, 0, 0)
    doc = BaseDocTemplate(buffer, pagesize=A4, title=f"档案 {case.case_no}", author=f"{facts.town}治理办",
                          creator="jingyuan_desktop", initialFontName=font.name,
                          pageTemplates=[PageTemplate("archive", [frame], onPage=decorate)])
    doc.build(archive_story(case, facts, styles), canvasmaker=counting_canvas(page_number))
    return pages["total"]

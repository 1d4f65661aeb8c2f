"""What the projection shows, as plain data: a list of slides built from the week's agenda and
the year's figures. No personal data of citizens is ever put on a slide: no summary, no party
name, no phone; only case numbers, villages, categories and the office's own people."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from jingyuan_desktop.domain.meeting import Agenda, AgendaItem
from jingyuan_desktop.domain.statistics import FIGURE_LABELS, figure_text

ROWS_PER_SLIDE = 7  # read from the back of the room at 1024x768


@dataclass
class Slide:
    kind: str  # "title", "figures", "chart", "list"
    title: str
    lines: list[str] = field(default_factory=list)  # title slide
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    chart: str = ""  # "resolution", "satisfaction", "overdue"
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _list_slides(title: str, header: list[str], rows: list[list[str]], empty: str) -> list[Slide]:
    if not rows:
        return [Slide("list", title, lines=[empty])]
    pages = [rows[i:i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)]
    return [Slide("list", f"{title}（{n}/{len(pages)}）" if len(pages) > 1 else title, header=header, rows=page)
            for n, page in enumerate(pages, start=1)]


def _difficult(item: AgendaItem) -> list[str]:
    return [item.case_no, item.village, item.category, f"{item.age_days}天", item.owner or "—", item.plan or "待研究"]


def build_slides(town: str, agenda: Agenda, year_label: str) -> list[Slide]:
    stats = agenda.stats
    overdue = sum(count for _village, count in agenda.overdue_by_village)
    last_day = agenda.end - timedelta(days=1)
    slides = [
        Slide("title", f"{town}综治中心 周例会", lines=[
            f"{agenda.week}　{agenda.start:%Y年%m月%d日} — {last_day:%m月%d日}",
            "警源治理工作通报"]),
        Slide("figures", "本周数字", figures=[
            *[(FIGURE_LABELS[name], figure_text(name, getattr(stats, name), unit=True))
              for name in ("received", "resolved", "resolution_rate", "satisfaction_rate", "on_time_arrival_rate")],
            ("超时时限", f"{overdue} 项"),
            ("在办疑难", f"{len(agenda.difficult)} 件"), ("红色案件", f"{len(agenda.red)} 件")]),
        Slide("chart", f"各村（社区）化解率（{year_label}）", chart="resolution"),
        Slide("chart", f"各村（社区）满意率（{year_label}）", chart="satisfaction"),
        Slide("chart", "超时时限（按责任方）", chart="overdue"),
    ]
    slides += _list_slides("疑难案件", ["编号", "村（社区）", "类别", "已历", "责任人", "化解方案"],
                           [_difficult(i) for i in agenda.difficult], "本周没有在办的疑难案件")
    slides += _list_slides("红色案件", ["编号", "村（社区）", "类别", "包案领导", "已历"],
                           [[i.case_no, i.village, i.category, i.leader or "未确定", f"{i.age_days}天"]
                            for i in agenda.red], "没有在办的红色案件")
    slides += _list_slides("待上级部门", ["编号", "村（社区）", "等待", "已历"],
                           [[i.case_no, i.village, i.waiting_on, f"{i.age_days}天"] for i in agenda.waiting],
                           "没有等待上级部门的案件")
    slides += _list_slides("二次处置", ["编号", "村（社区）", "状态", "责任人", "已历"],
                           [[i.case_no, i.village, i.status.label, i.owner or "未交办", f"{i.age_days}天"]
                            for i in agenda.second_handling], "没有需要二次处置的案件")
    if agenda.broken_agreements:
        slides += _list_slides("协议未履行", ["编号", "村（社区）", "类别", "责任人"],
                               [[i.case_no, i.village, i.category, i.owner or "—"] for i in agenda.broken_agreements],
                               "")
    return slides

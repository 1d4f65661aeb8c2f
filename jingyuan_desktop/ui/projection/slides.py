"""What the projection shows, as plain data: a list of slides built from the week's agenda and
the year's figures. No personal data of citizens is ever put on a slide: no summary, no party
name, no phone; only case numbers, villages, categories and the office's own people. Free text
typed at a meeting (a 化解方案) has the case's parties masked as in the agenda's summaries.

How many rows a table slide holds and how many bars a chart slide holds is the window's to say
(it knows the slide's height and the type size); here they are only counted out into slides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from jingyuan_desktop.domain.meeting import Agenda, AgendaItem
from jingyuan_desktop.domain.prevention import Warning
from jingyuan_desktop.domain.prevention_clocks import rate_text
from jingyuan_desktop.domain.privacy import mask_people_in_text
from jingyuan_desktop.domain.statistics import FIGURE_LABELS, StatsRow, figure_text
from jingyuan_desktop.services.prevention.duties import PreventionFigures

CHARTS = {"resolution": "化解率", "satisfaction": "满意率"}


@dataclass
class Slide:
    kind: str  # "title", "figures", "chart", "list"
    title: str
    lines: list[str] = field(default_factory=list)  # title slide; an empty list's sentence
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    chart: str = ""  # "resolution", "satisfaction", "overdue"
    keys: list[str] = field(default_factory=list)  # the villages (owners) a chart slide shows
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    wide: tuple[int, ...] = ()  # columns whose long texts are cut short (…) rather than overflow
    section: str = ""  # slides of one list or chart share it: paging keeps the presenter's place
    first: int = 0  # the index, in its section, of the slide's first row or bar


def week_span(start: datetime, end: datetime) -> str:
    """The week's days as people say them: 2026年11月23日—11月29日 (``end`` is exclusive)."""
    last = end - timedelta(days=1)
    if last.year != start.year:
        return f"{start.year}年{start.month}月{start.day}日—{last.year}年{last.month}月{last.day}日"
    return f"{start.year}年{start.month}月{start.day}日—{last.month}月{last.day}日"


def _pages(count: int, per_slide: int, *, balanced: bool = False) -> list[tuple[int, int]]:
    """(first, end) of each slide's share of ``count`` things, at most ``per_slide`` a slide.
    Tables fill each slide but the last; charts share out evenly so all bars are alike."""
    per_slide = max(per_slide, 1)
    slides = max(-(-count // per_slide), 1)
    if balanced:
        per_slide = max(-(-count // slides), 1)
    return [(i, min(i + per_slide, count)) for i in range(0, max(count, 1), per_slide)]


def _numbered(title: str, n: int, total: int) -> str:
    return f"{title}（{n}/{total}）" if total > 1 else title


def _list_slides(title: str, header: list[str], rows: list[list[str]], empty: str, per_slide: int,
                 wide: tuple[int, ...] = ()) -> list[Slide]:
    if not rows:
        return [Slide("list", title, lines=[empty], section=title)]
    pages = _pages(len(rows), per_slide)
    return [Slide("list", _numbered(title, n, len(pages)), header=header, rows=rows[first:end], wide=wide,
                  section=title, first=first)
            for n, (first, end) in enumerate(pages, start=1)]


def _chart_slides(chart: str, title: str, keys: list[str], per_slide: int,
                  trailing: Sequence[str] = ()) -> list[Slide]:
    """Chart slides of ``keys`` (top of the chart first); ``trailing`` (villages without a figure,
    named in a note under the chart) go with the last."""
    pages = _pages(len(keys), per_slide, balanced=True)
    return [Slide("chart", _numbered(title, n, len(pages)), chart=chart,
                  keys=keys[first:end] + (list(trailing) if n == len(pages) else []), section=chart, first=first)
            for n, (first, end) in enumerate(pages, start=1)]


def _rate_order(rows: list[StatsRow], field_name: str) -> tuple[list[str], list[str]]:
    """The villages with a figure, highest first as the chart shows them top down (ties as
    ui.charts.draw orders them), and those without one."""
    known = sorted((r for r in rows if getattr(r, field_name) is not None),
                   key=lambda r: (getattr(r, field_name), r.key), reverse=True)
    return [r.key for r in known], [r.key for r in rows if getattr(r, field_name) is None]


def _difficult(item: AgendaItem) -> list[str]:
    plan = mask_people_in_text(item.plan, item.parties).replace("\n", " ") if item.plan else "待研究"
    return [item.case_no, item.village, item.category, f"{item.age_days}天", item.owner or "—", plan]


def prevention_slides(fig: PreventionFigures, warnings: Sequence[Warning], short_span: str,
                      rows_per_slide: int) -> list[Slide]:
    """排查预防: how many disputes were found before anyone called the police (seed 003's measure),
    patrols and key-person visits done, the places that missed, the warnings. Counts and
    places only: no key person is named."""
    police = fig.by_source.get("police_transfer", 0)
    slides = [Slide("figures", f"排查预防（{short_span}）", figures=[
        ("主动发现率", rate_text(fig.found, fig.cases)), ("主动发现", f"{fig.found} 件"),
        ("派出所转交", f"{police} 件"),
        ("巡查走访完成率", rate_text(fig.patrol_done, fig.patrol_due)),
        ("重点人员按时走访率", rate_text(fig.visits_met, fig.visits_due)),
        ("超时未完成排查", f"{fig.overdue_now} 项")], section="prevention")]
    missed = [list(row.cells) for row in fig.missed]
    slides += _list_slides("未按时巡查走访", ["网格或包村民警", "完成/应完成", "完成率"], missed,
                           "本周各网格巡查、民警进村均已按时完成", rows_per_slide, wide=(0,))
    if warnings:
        rows = [[w.text, f"{w.starts:%m-%d}至{w.ends:%m-%d}", "、".join([*w.villages, *w.grids]) or "全镇",
                 "每日" if w.daily_patrols else "每周"] for w in warnings]
        slides += _list_slides("预警", ["内容", "期间", "范围", "巡查"], rows, "", rows_per_slide, wide=(0, 2))
    return slides


def build_slides(town: str, agenda: Agenda, villages: list[StatsRow], year_label: str, *,
                 rows_per_slide: int, bars_per_chart: int, prevention: PreventionFigures | None = None,
                 warnings: Sequence[Warning] = ()) -> list[Slide]:
    """Every slide of the meeting; ``villages`` are the year's figures by village (the charts),
    ``rows_per_slide`` and ``bars_per_chart`` what fits on one slide at the projection's type;
    ``prevention`` the week's prevention figures and ``warnings`` those reaching into the week."""
    stats = agenda.stats
    overdue = sum(count for _village, count in agenda.overdue_by_village)
    span = week_span(agenda.start, agenda.end)
    short_span = span.removeprefix(f"{agenda.start.year}年")
    slides = [
        Slide("title", f"{town}综治中心 周例会", lines=[span, "警源治理工作通报"], section="title"),
        Slide("figures", f"本周数字（{short_span}）", figures=[
            *[(FIGURE_LABELS[name], figure_text(name, getattr(stats, name), unit=True))
              for name in ("received", "resolved", "resolution_rate", "satisfaction_rate", "on_time_arrival_rate")],
            ("超时时限", f"{overdue} 项"),
            ("在办疑难", f"{len(agenda.difficult)} 件"), ("红色案件", f"{len(agenda.red)} 件")], section="figures"),
    ]
    for chart, label in CHARTS.items():
        known, missing = _rate_order(villages, f"{chart}_rate")
        slides += _chart_slides(chart, f"各村（社区）{label}（{year_label}）", known, bars_per_chart, missing)
    slides += _chart_slides("overdue", "超时时限（按责任方）", [owner for owner, _count in agenda.overdue_by_village],
                            bars_per_chart)
    slides += _list_slides("疑难案件", ["编号", "村（社区）", "类别", "已历", "责任人", "化解方案"],
                           [_difficult(i) for i in agenda.difficult], "本周没有在办的疑难案件", rows_per_slide,
                           wide=(2, 4, 5))
    slides += _list_slides("红色案件", ["编号", "村（社区）", "类别", "包案领导", "已历"],
                           [[i.case_no, i.village, i.category, i.leader or "未确定", f"{i.age_days}天"]
                            for i in agenda.red], "没有在办的红色案件", rows_per_slide, wide=(2, 3))
    slides += _list_slides("待上级部门", ["编号", "村（社区）", "等待", "已历"],
                           [[i.case_no, i.village, i.waiting_on, f"{i.age_days}天"] for i in agenda.waiting],
                           "没有等待上级部门的案件", rows_per_slide, wide=(2,))
    slides += _list_slides("二次处置", ["编号", "村（社区）", "状态", "责任人", "已历"],
                           [[i.case_no, i.village, i.status.label, i.owner or "未交办", f"{i.age_days}天"]
                            for i in agenda.second_handling], "没有需要二次处置的案件", rows_per_slide, wide=(2, 3))
    if agenda.broken_agreements:
        slides += _list_slides("协议未履行", ["编号", "村（社区）", "类别", "责任人"],
                               [[i.case_no, i.village, i.category, i.owner or "—"] for i in agenda.broken_agreements],
                               "", rows_per_slide, wide=(2, 3))
    if prevention is not None:
        slides += prevention_slides(prevention, warnings, short_span, rows_per_slide)
    return slides

"""The charts of the statistics screen and the projection, each drawn onto a given Axes, so
both show the same picture of the same figures (services.figures, i.e. `jingyuan stats`)."""

from __future__ import annotations

from jingyuan_desktop.domain.enums import Risk
from jingyuan_desktop.domain.statistics import StatsRow, percent
from jingyuan_desktop.ui.palette import BELOW_TARGET, RISK_FILL

BAR = "#2f6db5"
BELOW = BELOW_TARGET
AVERAGE = "#333333"
RISK_COLOURS = {risk: RISK_FILL[risk.value] for risk in Risk}


def village_rates(ax, rows: list[StatsRow], total: StatsRow, field: str, title: str) -> list[str]:
    """Sorted horizontal bars of one rate by village, the town's figure as a line.

    Villages without a figure (no denominator) are left out of the bars and named below.
    Returns the villages in the order drawn, bottom to top, so a click can be mapped back.
    """
    known = sorted((r for r in rows if getattr(r, field) is not None), key=lambda r: (getattr(r, field), r.key))
    names = [r.key for r in known]
    values = [getattr(r, field) * 100 for r in known]
    town = getattr(total, field)
    colours = [BELOW if town is not None and v < town * 100 else BAR for v in values]
    bars = ax.barh(range(len(names)), values, color=colours, picker=True)
    for index, bar in enumerate(bars):
        bar.set_gid(names[index])
    for index, value in enumerate(values):  # the figure itself, readable without the axis
        ax.text(value + 0.8, index, f"{value:.1f}%", va="center", fontsize=8)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlim(0, 112)
    ax.set_xlabel("%")
    if town is not None:
        ax.axvline(town * 100, color=AVERAGE, linestyle="--", linewidth=1.2)
        ax.text(town * 100, len(names) - 0.4, f" 全镇 {percent(town)}", va="bottom", fontsize=9, color=AVERAGE)
    missing = [r.key for r in rows if getattr(r, field) is None]
    note = f"（无数据：{'、'.join(missing[:6])}{'等' if len(missing) > 6 else ''}）" if missing else ""
    ax.set_title(f"{title}{note}", fontsize=11)
    return names


LEGEND_BELOW = "低于全镇"
LEGEND_AT_OR_ABOVE = "不低于全镇"
LEGEND_TOWN = "全镇平均"


def village_legend(ax, fontsize: float = 9):
    """What the colours of ``village_rates`` mean, in one row under the chart."""
    # Imported here: the statistics page imports this module on the UI thread, and matplotlib
    # is imported, the first time, by the worker that draws the charts (ui.charts.render).
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color=BELOW, label=LEGEND_BELOW), Patch(color=BAR, label=LEGEND_AT_OR_ABOVE),
               Line2D([], [], color=AVERAGE, linestyle="--", linewidth=1.2, label=LEGEND_TOWN)]
    # Under the axes (below the % label), so it never covers a bar or its value.
    return ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=3, fontsize=fontsize,
                     frameon=False, handlelength=1.8, columnspacing=1.6)


def clock_rates(ax, clocks, title: str = "各时限按时完成率") -> None:
    names = [c.name.label for c in clocks]
    values = [(c.rate or 0) * 100 for c in clocks]
    bars = ax.bar(range(len(names)), values, color=BAR)
    for bar, clock in zip(bars, clocks, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 1, percent(clock.rate), ha="center", fontsize=8)
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_ylim(0, 110)
    ax.set_ylabel("%")
    ax.set_title(title, fontsize=11)


OTHER = "其他"


def ranked_counts(rows: list[StatsRow], limit: int = 12) -> list[tuple[str, int]]:
    """(name, cases) most first; past ``limit`` the rest are summed into one 其他 bar instead of
    being dropped, so the bars always add up to the cases received."""
    ranked = sorted(((r.key, r.received) for r in rows if r.received), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) <= limit:
        return ranked
    head, tail = ranked[:limit - 1], ranked[limit - 1:]
    return [*head, (f"{OTHER}（{len(tail)}类）", sum(count for _, count in tail))]


def categories(ax, rows: list[StatsRow], title: str = "各类别案件数", limit: int = 12) -> None:
    ranked = ranked_counts(rows, limit)[::-1]
    ax.barh([name for name, _ in ranked], [count for _, count in ranked], color=BAR)
    for index, (_name, count) in enumerate(ranked):
        ax.text(count, index, f" {count}", va="center", fontsize=8)
    ax.set_title(title, fontsize=11)


def trend(ax, rows: list[StatsRow], by: str) -> None:
    keys = [r.key for r in rows]
    ax.bar(keys, [r.received for r in rows], color="#9bbbe0", label="接收")
    ax.bar(keys, [r.resolved for r in rows], color=BAR, width=0.5, label="化解")
    ax.set_ylabel("件")
    twin = ax.twinx()
    twin.plot(keys, [None if r.satisfaction_rate is None else r.satisfaction_rate * 100 for r in rows],
              color="#2e7d32", marker="o", label="满意率")
    twin.set_ylim(0, 105)
    twin.set_ylabel("满意率 %")
    ax.tick_params(axis="x", rotation=45, labelsize=8)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title("按周趋势" if by == "week" else "按月趋势", fontsize=11)


def risks(ax, counts: dict, title: str = "风险等级") -> None:
    labels = [risk.label for risk in counts]
    values = list(counts.values())
    bars = ax.bar(labels, values, color=[RISK_COLOURS[risk] for risk in counts])
    for bar, value in zip(bars, values, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), str(value), ha="center", va="bottom")
    ax.set_title(title, fontsize=11)

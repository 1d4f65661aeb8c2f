"""The case line at the top of the pane and the read-only team of a case already dispatched."""

from __future__ import annotations

from html import escape

from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.enums import Risk, Status, colour_text
from jingyuan_desktop.domain.lifecycle import classification_at, current_risk
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.domain.privacy import mask_numbers_in_text
from jingyuan_desktop.ui.palette import ALARM, OK, RISK_TEXT
from jingyuan_desktop.ui.widgets.text import format_moment

RISK_COLOUR = {risk: RISK_TEXT[risk.value] for risk in Risk}


def case_header(case: Case, status: Status) -> str:
    current = classification_at(case)
    category = current.category if current.category != UNCLASSIFIED else f"<span style='color:{ALARM}'>未分类</span>"
    colour = current_risk(case)  # None until classified: 未定, in grey
    risk = f"<span style='color:{RISK_COLOUR[colour] if colour else '#777'}'>●{colour_text(colour)}</span>"
    summary = escape(mask_numbers_in_text(case.summary))
    if len(summary) > 60:
        summary = summary[:60] + "…"
    return (f"<b style='font-size:13pt'>{escape(case.case_no)}</b>　{escape(status.label)}<br>"
            f"{escape(case.village)}　{escape(case.location)}<br>"
            f"{category}　{current.grade.label}　{risk}<br>"
            f"<span style='color:#555'>{summary}</span>")


def dispatched_text(event: Event) -> str:
    def names(key: str) -> str:
        return "、".join(escape(n) for n in (event.get(key) or [])) or "—"

    rows = [
        ("交办时间", format_moment(event.at, with_year=True)),
        ("经办人", escape(event.by) or "—"),
        ("带队负责人", escape(event.get("leader") or "—")),
        ("处置人员", names("handlers")),
        ("协同部门", names("departments")),
        ("外聘律师、专家", names("experts")),
    ]
    if event.note:
        rows.append(("交办说明", escape(event.note)))
    body = "".join(f"<tr><td style='color:#555;padding-right:8px'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    return (f"<p style='color:{OK};font-weight:bold'>已交办（只读）</p>"
            f"<table>{body}</table>"
            "<p style='color:#555'>到场、进展、化解等请在案件窗口中记录。</p>")

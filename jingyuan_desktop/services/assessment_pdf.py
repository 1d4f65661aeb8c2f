"""The assessment as an A4 landscape PDF with the office's embedded Chinese font."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from jingyuan_desktop.services.assessment import HEADERS, Assessment, settings_text, table_rows
from jingyuan_desktop.services.paper.fonts import font_for
from jingyuan_desktop.services.paper.layout import Styles, grid_table, para, write_output

WIDTHS = [12, 30, 14, 17, 17, 17, 18, 14, 14, 15, 15, 17, 55]


def build_pdf(ctx, result: Assessment, path: Path) -> Path:
    import io

    font = font_for(ctx)
    styles = Styles(font)
    town = ctx.office().get("town") or ""
    cell = styles.sized(styles.cell, 8.5)
    label = styles.sized(styles.label, 8.5)
    rows = [[para(text, label) for text in HEADERS]]
    rows += [[para(str(value), cell) for value in row] for row in table_rows(result)]
    story = [
        para(f"{town}{result.year}年度村（社区）警源治理考核", styles.title),
        para(f"截至 {result.as_of:%Y-%m-%d %H:%M}　{settings_text(result.settings)}", styles.subtitle),
        Spacer(1, 3 * mm),
        grid_table(rows, [w * mm for w in WIDTHS], header=True, repeat=True, padding=2,
                   extra=[("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE"))]),
    ]
    if result.adjustments:
        story += [Spacer(1, 4 * mm), para("加减分明细", styles.section)]
        story += [para(f"{a.village}　{a.points:+g} 分　{a.reason}（{a.by}，{a.at[:10]}）", styles.body)
                  for a in result.adjustments]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=f"{result.year}年度考核")
    doc.build(story)
    write_output(path, buffer.getvalue())
    return path

"""The year-end assessment as an A4 landscape PDF with the office's embedded Chinese font.

Only the drawing is here: the figures arrive as text, already ranked and worded by
``services.assessment``, so this module needs nothing from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from jingyuan_desktop.services.paper.fonts import PaperFont
from jingyuan_desktop.services.paper.layout import Styles, grid_table, new_buffer, para, write_output

# Column widths in mm, in the order of ``services.assessment.HEADERS``.
WIDTHS = (12, 30, 14, 17, 17, 17, 18, 14, 14, 15, 15, 17, 55)
NOTES_HEADING = "加减分明细"


def build_pdf(path: Path, font: PaperFont, *, title: str, subtitle: str, headers: Sequence[str],
              rows: Sequence[Sequence[object]], notes: Sequence[str] = ()) -> Path:
    """Write the ranked table under ``title`` and ``subtitle`` to ``path``, one line per note
    (the manual adjustments) after it; the table's header row repeats on every page."""
    styles = Styles(font)
    cell = styles.sized(styles.cell, 8.5)
    label = styles.sized(styles.label, 8.5)
    table = [[para(text, label) for text in headers]]
    table += [[para(str(value), cell) for value in row] for row in rows]
    story: list[Flowable] = [
        para(title, styles.title),
        para(subtitle, styles.subtitle),
        Spacer(1, 3 * mm),
        grid_table(table, [width * mm for width in WIDTHS], header=True, repeat=True, padding=2),
    ]
    if notes:
        story += [Spacer(1, 4 * mm), para(NOTES_HEADING, styles.section)]
        story += [para(line, styles.body) for line in notes]
    buffer = new_buffer()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title, initialFontName=font.name)
    doc.build(story)
    write_output(path, buffer.getvalue())
    return path

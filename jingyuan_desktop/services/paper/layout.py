"""What every paper form shares: styles, paragraphs, page decoration, output and the audit row."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.os_errors import write_refusal
from jingyuan_desktop.services.paper.fonts import NOT_EMBEDDED_WARNING_LATIN, QUICK_FLATE, PaperFont
from jingyuan_desktop.store.audit import write_audit
from jingyuan_desktop.store.sqlite_files import make_private

GRID = colors.HexColor("#444444")
LABEL_BG = colors.HexColor("#EEEEEE")
WARNING_RED = colors.HexColor("#C00000")
TRUNCATED = "……（详见系统）"
Output = str | Path | BinaryIO


@dataclass(frozen=True)
class PaperResult:
    """What a render produced: the page count, the font, and a warning for the caller to show."""

    pages: int
    font: PaperFont
    case_nos: tuple[str, ...] = ()

    @property
    def warning(self) -> str | None:
        return self.font.warning


class PrintCancelled(Exception):
    """The user cancelled a batch while it was being produced; nothing was written."""


@dataclass
class Styles:
    """Paragraph styles in one font; every one wraps Chinese between any two characters."""

    font: PaperFont
    title: ParagraphStyle = field(init=False)
    subtitle: ParagraphStyle = field(init=False)
    section: ParagraphStyle = field(init=False)
    body: ParagraphStyle = field(init=False)
    cell: ParagraphStyle = field(init=False)
    label: ParagraphStyle = field(init=False)
    small: ParagraphStyle = field(init=False)
    right: ParagraphStyle = field(init=False)

    def __post_init__(self) -> None:
        base = ParagraphStyle("base", fontName=self.font.name, fontSize=10, leading=14, wordWrap="CJK")
        self.title = ParagraphStyle("title", base, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", base, fontSize=10, leading=14, alignment=TA_CENTER)
        self.section = ParagraphStyle("section", base, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
        self.body = base
        self.cell = ParagraphStyle("cell", base, fontSize=9.5, leading=12.5)
        self.label = ParagraphStyle("label", self.cell, alignment=TA_CENTER)
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10.5)
        self.right = ParagraphStyle("right", self.small, alignment=TA_RIGHT)

    def sized(self, style: ParagraphStyle, size: float) -> ParagraphStyle:
        leading = size * style.leading / style.fontSize
        return ParagraphStyle(f"{style.name}-{size}", style, fontSize=size, leading=leading)


class FormParagraph(Paragraph):
    """A paragraph that remembers its last wrap: a table wraps each cell to measure the rows
    and again to draw it, at the same width, and breaking Chinese lines is reportlab's
    costliest step in a form. ``Paragraph.wrap`` reads nothing but the width and the
    paragraph's own text and style, so the same width gives the same lines."""

    _last_wrap: tuple[float, tuple[float, float], object] | None = None

    def wrap(self, availWidth, availHeight):
        last = self._last_wrap
        # The lines must still be the ones that wrap made (nothing broke them anew since).
        if last is not None and last[0] == availWidth and last[2] is getattr(self, "blPara", None):
            return last[1]
        size = super().wrap(availWidth, availHeight)
        self._last_wrap = (availWidth, size, getattr(self, "blPara", None))
        return size


def para(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters escaped, line breaks kept.

    reportlab folds the ideographic space (U+3000) into one narrow space like any other
    whitespace, so it becomes no-break spaces that keep the gap a Chinese form expects; a
    check box glyph is set larger, since in most Chinese fonts it is drawn small for ticking.
    """
    safe = escape(str(text or "")).replace("\r\n", "\n").replace("\n", "<br/>")
    safe = safe.replace("\u3000", "\u00a0" * 3)
    return FormParagraph(safe, style)


def shorten(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fmt_moment(moment: datetime | None) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def fmt_due(moment: datetime | None) -> str:
    """A deadline at midnight reads as 24:00 of the day before, the way the procedure says it."""
    if not moment:
        return ""
    value = local(moment)
    if value.hour == 0 and value.minute == 0:
        return f"{(value - timedelta(days=1)):%Y-%m-%d} 24:00"
    return value.strftime("%Y-%m-%d %H:%M")


def fmt_day(moment: datetime | None) -> str:
    if not moment:
        return ""
    value = local(moment)
    return f"{value.year}年{value.month}月{value.day}日"


def yes_no(value) -> str:
    return "是" if value else "否"


def cell_font(font_name: str) -> tuple:
    """The table style command that sets every cell's font.

    reportlab sets a table's cell font before it draws the first cell, flowable or not, and
    that font is Helvetica unless the style says otherwise: a PDF whose text is all in the
    embedded Chinese font would still list Helvetica as a font it needs but does not carry.
    """
    return ("FONTNAME", (0, 0), (-1, -1), font_name)


def _font_of(rows: list[list]) -> str | None:
    """The font of the first paragraph among ``rows``' cells (the form's font)."""
    for row in rows:
        for cell in row:
            if isinstance(cell, Paragraph):
                return cell.style.fontName
    return None


def grid_table(rows: list[list], widths: list[float], *, header: bool = False, label_cols: tuple[int, ...] = (),
               extra: list[tuple] | None = None, repeat: bool = False, padding: float = 3,
               heights: list[float | None] | None = None) -> Table:
    """A ruled table; ``label_cols`` and a ``header`` row are shaded like a printed form.
    Its cells are set in the font of its paragraphs (see ``cell_font``)."""
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1 if repeat else 0)
    font_name = _font_of(rows)
    commands = [*([cell_font(font_name)] if font_name else []),
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), LABEL_BG))
    for col in label_cols:
        commands.append(("BACKGROUND", (col, 0), (col, -1), LABEL_BG))
    table.setStyle(TableStyle(commands + (extra or [])))
    return table


def draw_font_warning(canvas, font: PaperFont, page_width: float, page_height: float) -> None:
    """The not-embedded warning in red in the top margin, on every page it applies to."""
    if not font.warning:
        return
    canvas.saveState()
    canvas.setFillColor(WARNING_RED)
    canvas.setFont(font.name, 8)
    canvas.drawCentredString(page_width / 2, page_height - 4.5 * mm, font.warning)
    canvas.setFont("Helvetica", 6.5)
    canvas.drawCentredString(page_width / 2, page_height - 7.5 * mm, NOT_EMBEDDED_WARNING_LATIN)
    canvas.restoreState()


class DeflatedCanvas(pdf_canvas.Canvas):
    """A canvas whose pages are only deflated, at zlib's fastest level (``QuickFlate``), not
    also spelt out in ASCII85 as reportlab's default has it: the same page, a smaller file,
    and no pure-Python encoding pass."""

    def showPage(self):
        super().showPage()
        page = self._doc.Pages.pages[-1]  # type: ignore[attr-defined]  # the stubs leave out _doc
        if page.compression and not page.Contents:
            page.Contents = pdfdoc.PDFStream(content=page.stream, filters=[QUICK_FLATE])


def counting_canvas(draw_total):
    """A canvas class that holds every page back until the end, when the page count is known,
    then calls ``draw_total(canvas, page, total)`` on each page before writing it."""

    class CountingCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            # reportlab's own recipe for "page x of y"; the stubs leave out this private method.
            self._startPage()  # type: ignore[attr-defined]

        def save(self):
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                draw_total(self, number, total)
                super().showPage()
            super().save()

    return CountingCanvas


def write_output(out: Output, data: bytes) -> None:
    """Write the finished PDF at once, so a failed render never leaves half a file behind."""
    if isinstance(out, (str, Path)):
        path = Path(out)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            make_private(path)  # slips and archive forms carry phones and ID numbers in full
        except OSError as error:
            # On Windows the usual cause is the previous copy still open in a PDF reader.
            from jingyuan_desktop.services.context import ServiceError

            raise ServiceError(write_refusal(path, error)) from None
    else:
        out.write(data)


def new_buffer() -> io.BytesIO:
    return io.BytesIO()


def output_name(out: Output) -> str:
    return Path(out).name if isinstance(out, (str, Path)) else ""


def record_print(ctx, action: str, entity: str, entity_ids: list[str], details: dict) -> None:
    """One audit row per printed record, in one transaction: prints of personal data are logged."""
    at = ctx.now()
    with ctx.session() as session:
        for entity_id in entity_ids:
            write_audit(session, user=ctx.user, action=action, entity=entity, entity_id=entity_id,
                        before=None, after=details, at=at)

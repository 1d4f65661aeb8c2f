"""A ruled form drawn straight onto the canvas: rows of cells, text broken between Chinese
characters, shaded label cells, grid lines.

platypus lays out any document, and a one-page form pays for that generality on every print:
each cell's text is parsed as markup, measured, broken and wrapped again when the table is
drawn, and a dozen objects stand behind every cell. A form whose shape is fixed needs only the
widths of its characters. This module measures and breaks the text itself, with the rules a
Chinese form wants (a break between any two characters, never before closing punctuation,
never inside a number or a case number) and draws everything with the canvas's own calls,
the text of a whole form in one text object.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics

from jingyuan_desktop.services.paper.layout import GRID, LABEL_BG, TRUNCATED

# Characters a line may not begin with (closing punctuation): the character before them goes
# down with them instead.
CANNOT_START = frozenset("，。、；：！？）》」』】〉”’…—,.;:!?)]}%")
# A run of these is one word: a phone number, a case number, a time, never split across lines
# unless it is wider than the line itself.
_TOKEN = re.compile(r"[0-9A-Za-z@._:/#+\-]+|.", re.DOTALL)
# Where the first baseline sits in a line of text: a line box of ``leading`` points holds a
# CJK glyph (about 0.88 em above the baseline, 0.12 below) centred in it.
GLYPH_MIDDLE = 0.38


class Face:
    """A registered font's widths, character by character, at one point (kept once per font)."""

    def __init__(self, name: str):
        self.name = name
        self._widths: dict[str, float] = {}
        font = pdfmetrics.getFont(name)
        glyphs = getattr(getattr(font, "face", None), "charToGlyph", None)  # a TrueType font's map
        # U+3000 (the ideographic space) where the font has it; three no-break spaces where not.
        self.gap = "\u3000" if glyphs is None or 0x3000 in glyphs else "\u00a0" * 3

    def width(self, text: str) -> float:
        """``text``'s width at one point."""
        widths = self._widths
        total = 0.0
        for char in text:
            found = widths.get(char)
            if found is None:
                found = widths[char] = pdfmetrics.stringWidth(char, self.name, 1.0)
            total += found
        return total

    def clean(self, text: str | None) -> str:
        return str(text or "").replace("\r\n", "\n").replace("\t", " ").replace("\u3000", self.gap)


_faces: dict[str, Face] = {}


def face_of(font_name: str) -> Face:
    found = _faces.get(font_name)
    if found is None:
        found = _faces[font_name] = Face(font_name)
    return found


def wrap(text: str, face: Face, size: float, width: float) -> list[str]:
    """``text`` (cleaned by ``face.clean``) broken into lines no wider than ``width`` at ``size``."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, face, width / size))
    return lines


def _wrap_paragraph(text: str, face: Face, limit: float) -> list[str]:
    if face.width(text) <= limit:  # most cells of a form: one line as it stands
        return [text.strip(" ")]
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if len(token) > 1 and face.width(token) > limit:
            tokens.extend(token)  # a word wider than the line is broken like Chinese
        else:
            tokens.append(token)
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for token in tokens:
        if not line and token == " ":
            continue  # no line begins with a space
        width = face.width(token)
        if line and used + width > limit:
            carry: list[str] = []
            if token[0] in CANNOT_START and len(line) > 1:
                carry = [line.pop()]
            lines.append("".join(line).rstrip(" "))
            line, used = carry, face.width("".join(carry))
            if not line and token == " ":
                continue
        line.append(token)
        used += width
    lines.append("".join(line).rstrip(" "))
    return lines


@dataclass(frozen=True)
class Fitted:
    """Lines of text set at ``size`` with ``leading``; ``height`` is what they take."""

    lines: tuple[str, ...]
    size: float
    leading: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


def set_text(text: str, face: Face, size: float, leading: float, width: float) -> Fitted:
    """``text`` broken into lines of ``width`` at ``size``, however many it takes."""
    return Fitted(tuple(wrap(face.clean(text), face, size, width)), size, leading)


def fit(text: str, face: Face, size: float, leading: float, width: float, height: float, *,
        min_size: float = 7.5) -> Fitted:
    """``text`` at the largest size from ``size`` down to ``min_size`` (half a point at a time)
    that fits ``width`` x ``height``; if even that overflows, cut it and end it with
    “……（详见系统）” so the reader knows there is more."""
    text = face.clean(text)
    current = size
    while True:
        line_h = current * leading / size
        lines = wrap(text, face, current, width)
        if len(lines) * line_h <= height:
            return Fitted(tuple(lines), current, line_h)
        if current - 0.5 < min_size:
            break
        current -= 0.5
    rows = max(1, int(height // line_h))
    low, high = 0, len(text)
    while low < high:  # the longest beginning that fits together with the marker
        middle = (low + high + 1) // 2
        if len(wrap(text[:middle].rstrip() + TRUNCATED, face, current, width)) <= rows:
            low = middle
        else:
            high = middle - 1
    return Fitted(tuple(wrap(text[:low].rstrip() + TRUNCATED, face, current, width)), current, line_h)


class Painter:
    """Draws onto ``canvas`` in one font; the text is gathered and written as one text object
    by ``flush`` (so it lies above the shading and the lines drawn meanwhile)."""

    def __init__(self, canvas, face: Face):
        self.canvas = canvas
        self.face = face
        self._runs: list[tuple[float, float, float, str]] = []

    def text(self, x: float, baseline: float, size: float, text: str) -> None:
        if text:
            self._runs.append((x, baseline, size, text))

    def lines(self, x: float, top: float, width: float, fitted: Fitted, align: str = "left") -> None:
        """``fitted``'s lines from ``top`` down, left-aligned at ``x`` or centred in ``width``."""
        baseline = top - fitted.leading / 2 - GLYPH_MIDDLE * fitted.size
        for line in fitted.lines:
            left = x if align == "left" else x + (width - self.face.width(line) * fitted.size) / 2
            self.text(left, baseline, fitted.size, line)
            baseline -= fitted.leading

    def flush(self) -> None:
        if not self._runs:
            return
        font = pdfmetrics.getFont(self.face.name)
        if getattr(font, "_dynamicFont", False):  # an embedded TrueType font, cut into subsets
            self._flush_subsets(font)
            return
        text = self.canvas.beginText()
        size = None
        for x, baseline, run_size, run in self._runs:
            if run_size != size:
                text.setFont(self.face.name, run_size)
                size = run_size
            text.setTextOrigin(x, baseline)
            text.textOut(run)
        self.canvas.drawText(text)
        self._runs.clear()

    def _flush_subsets(self, font) -> None:
        """The runs as one text object written here: each run placed by its own text matrix,
        the font set only when the subset or the size changes. reportlab's text object does
        the same through a general path (word and character spacing, the cursor carried from
        run to run, a width measured for each run) that was a third of drawing a slip."""
        doc = self.canvas._doc
        code = ["BT"]
        current: tuple[int, float] | None = None
        for x, baseline, size, run in self._runs:
            code.append(f"1 0 0 1 {fp_str(x, baseline)} Tm")
            for subset, chunk in font.splitString(run, doc):
                if (subset, size) != current:
                    code.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf")
                    current = (subset, size)
                code.append(f"({escapePDF(chunk)}) Tj")
        code.append("ET")
        self.canvas.addLiteral("\n".join(code))
        self._runs.clear()


@dataclass(frozen=True)
class Text:
    """A cell's text at ``size`` (line height ``leading``); ``fitted`` when already fitted."""

    text: str = ""
    size: float = 9.5
    leading: float = 12.5
    align: str = "left"
    fitted: Fitted | None = None


@dataclass(frozen=True)
class Drawn:
    """Something drawn into a cell by ``draw(painter, x, bottom, width, height)``, ``height`` tall."""

    height: float
    draw: Callable[[Painter, float, float, float, float], None]


@dataclass(frozen=True)
class Cell:
    content: Text | Drawn | None = None
    span: int = 1
    shaded: bool = False
    valign: str = "middle"  # middle, top or bottom


@dataclass
class Row:
    cells: list[Cell]
    height: float | None = None  # None: as tall as the tallest content and the padding


@dataclass
class Grid:
    """A ruled table of ``rows`` over columns ``widths``, cells padded by ``pad_x`` / ``pad_y``."""

    widths: list[float]
    rows: list[Row]
    face: Face
    pad_x: float = 4
    pad_y: float = 3
    line_width: float = 0.6
    _laid: list[tuple[float, list[tuple[Cell, float, float, Fitted | None]]]] = field(default_factory=list)

    def layout(self) -> float:
        """Break every cell's text and settle the rows' heights; the grid's height."""
        self._laid = []
        for row in self.rows:
            column, x, cells, tallest = 0, 0.0, [], 0.0
            for cell in row.cells:
                width = sum(self.widths[column:column + cell.span])
                fitted = None
                content = cell.content
                if isinstance(content, Text):
                    fitted = content.fitted or set_text(content.text, self.face, content.size, content.leading,
                                                        width - 2 * self.pad_x)
                    tallest = max(tallest, fitted.height)
                elif isinstance(content, Drawn):
                    tallest = max(tallest, content.height)
                cells.append((cell, x, width, fitted))
                column += cell.span
                x += width
            self._laid.append((row.height if row.height is not None else tallest + 2 * self.pad_y, cells))
        return self.height

    @property
    def height(self) -> float:
        return sum(height for height, _cells in self._laid)

    def draw(self, painter: Painter, left: float, top: float) -> None:
        canvas = painter.canvas
        if not self._laid:
            self.layout()
        total_w = sum(self.widths)
        y = top
        canvas.saveState()
        canvas.setFillColor(LABEL_BG)
        for height, cells in self._laid:
            for cell, x, width, _fitted in cells:
                if cell.shaded:
                    canvas.rect(left + x, y - height, width, height, stroke=0, fill=1)
            y -= height
        canvas.restoreState()
        y, bottom = top, top - self.height
        dividers: list[tuple[float, float, float, float]] = []
        for height, cells in self._laid:
            for cell, x, width, fitted in cells:
                content = cell.content
                inner_h = fitted.height if fitted is not None else content.height if isinstance(content, Drawn) else 0
                if cell.valign == "top":
                    content_top = y - self.pad_y
                elif cell.valign == "bottom":
                    content_top = y - height + self.pad_y + inner_h
                else:
                    content_top = y - (height - inner_h) / 2
                if fitted is not None and isinstance(content, Text):
                    painter.lines(left + x + self.pad_x, content_top, width - 2 * self.pad_x, fitted, content.align)
                elif isinstance(content, Drawn):
                    content.draw(painter, left + x + self.pad_x, content_top - inner_h, width - 2 * self.pad_x, inner_h)
                if x > 0:
                    dividers.append((left + x, y, left + x, y - height))
            y -= height
            if y > bottom + 0.01:
                dividers.append((left, y, left + total_w, y))
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(self.line_width)
        canvas.lines(dividers)
        canvas.rect(left, bottom, total_w, top - bottom, stroke=1, fill=0)
        canvas.restoreState()


def check_boxes(painter: Painter, x: float, bottom: float, height: float, choices: list[str], *, size: float,
                leading: float, lead: str = "", box: float = 10.2) -> None:
    """[lead] □ choice □ choice … on one line: boxes drawn (the □ of most Chinese fonts is
    small) and their words, vertically centred in ``height`` above ``bottom``."""
    face = painter.face
    middle = bottom + height / 2
    top = middle + leading / 2
    canvas = painter.canvas
    canvas.saveState()
    canvas.setLineWidth(0.8)
    if lead:
        lead = face.clean(lead)
        painter.lines(x, top, 0, Fitted((lead,), size, leading))
        x += face.width(lead) * size + 2.83
    for choice in choices:
        canvas.rect(x, middle - box / 2, box, box, stroke=1, fill=0)
        x += box + 5.4
        choice = face.clean(choice)
        painter.lines(x, top, 0, Fitted((choice,), size, leading))
        x += face.width(choice) * size + 17
    canvas.restoreState()

"""交办单: the dispatch slip the village team carries, fills in by hand and brings back signed.

One A4 page per case, always: the slip above a cut line, the office's stub below it. Each
half lives in a fixed frame and is shrunk to fit, and the summary has its own fixed box in
which long text is set smaller and then cut with “……（详见系统）”, so nothing a clerk types
can push the stub onto a second page.

Deadlines: after dispatch they are printed as clock times. Before dispatch the slip leaves
the dispatch time to be written in and states the rule (“交办后15分钟内”, “交办当日24:00前”)
instead of a time computed from the moment of printing, which would be wrong as soon as the
dispatch happened a little later than the print.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, groupby, pairwise, repeat

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import Grade, PartyRole, Risk, Source, Status, colour_text
from jingyuan_desktop.domain.lifecycle import classification_at, derive_status
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services.paper.drawn import (
    Cell,
    Drawn,
    Face,
    Fitted,
    Grid,
    Painter,
    Row,
    Text,
    check_boxes,
    face_of,
    fit,
    set_text,
)
from jingyuan_desktop.services.paper.facts import flags_of, party_line, team_of
from jingyuan_desktop.services.paper.fonts import EmbeddedFont, PaperFont
from jingyuan_desktop.services.paper.layout import DeflatedCanvas, draw_font_warning, fmt_moment, shorten

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 13 * mm, 11 * mm, 9 * mm
CUT_Y = 70 * mm  # the cut line; the stub is everything below it
CONTENT_W = PAGE_W - 2 * MARGIN_X
LABEL_W = 24 * mm
VALUE_W = (CONTENT_W - 2 * LABEL_W) / 2
SUMMARY_H = 25 * mm
FILL = "＿＿＿＿"
SHORT = "＿＿＿"
# The slip's fixed wording and the words its fields take from a short list, given their codes
# in the embedded font before anything is drawn (``EmbeddedFont.seed``): the font's first subset
# is then the same for every slip and its file is made once per process, not once per print.
FORM_WORDING = "".join((
    "警源治理事件交办单编号：状态：打印（）",
    "案件编号来源警情编号处警民警接收时间交办时间到场时限反馈时限村（社区）事发地点类别等级 / 风险风险提示"
    "当事人及电话简要情况处置人员",
    "交办后分钟内到场前交办当日24:00前反馈结果月日时分带队：成员：协调；、无—（未登记）（未留姓名）",
    "民转刑风险重复报警（前案），二次处置涉及重点人员……（详见系统）",
    "到场人数：人与民警交接：是否处置情况处置结果当场化解约定后续（约定再处置）需升级（报镇治理办）",
    "处置人员签字当事人签字书记签字日期年",
    "本单载有当事人联系方式，仅限处置使用，请妥善保管；处置完毕后签字，当日交回镇治理办。沿此线剪下",
    "交办单存根（治理办留存）领单人签字领单时间交回时间核收人　",
    "".join(status.label for status in Status), "".join(source.label for source in Source),
    "".join(grade.label for grade in Grade), "".join(colour_text(risk) for risk in Risk),
    "".join(role.label for role in PartyRole),
))


@dataclass(frozen=True)
class SlipFacts:
    """What the slip needs besides the case: the town, the printing moment and the settings."""

    town: str
    printed_at: datetime
    printed_by: str
    settings: ClockSettings


QR_BORDER = 4  # modules of quiet zone around the code, as reportlab's QrCodeWidget leaves
_FINDER_LIKE = b"\x01\x00\x01\x01\x01\x00\x01\x00\x00\x00\x00"  # the one pattern reportlab's score seeks
_RUN_OF_FIVE = re.compile(rb"\x00{5,}|\x01{5,}")


def mask_penalty(modules: list[list]) -> int:
    """reportlab's ``QRUtil.getLostPoint`` of ``modules``, computed on bytes and bit masks
    instead of lists of booleans: the same number (the tests compare them), several times
    faster. It picks the mask, so it keeps reportlab's own quirks: the finder-like pattern
    counts in rows only, one way round, never at a row's last possible place."""
    return _penalty([bytes(map(bool, row)) for row in modules])


def _penalty(rows: list[bytes]) -> int:
    """``mask_penalty`` of the code whose rows are ``rows``, one byte a module, 1 dark."""
    size = len(rows)
    columns = [bytes(column) for column in zip(*rows, strict=True)]
    # Rule 1: each run of five or more alike in a row or a column, its length less two (the
    # lines joined by a byte that is neither colour, so that no run goes on into the next).
    runs = _RUN_OF_FIVE.findall(b"\x02".join((*rows, *columns)))
    score = sum(map(len, runs)) - 2 * len(runs)
    # Rule 2: each 2x2 block of one colour, three.
    bits = [int.from_bytes(row, "little") for row in rows]  # byte c (so bit 8c) is column c
    ones = int.from_bytes(b"\x01" * size, "little")
    inner = int.from_bytes(b"\x01" * (size - 1), "little")
    for upper, lower in pairwise(bits):
        same_down = (upper ^ lower ^ ones) & ones
        same_right = (upper ^ (upper >> 8) ^ inner) & inner
        score += 3 * (same_down & (same_down >> 8) & same_right).bit_count()
    # Rule 3: 1011101 0000 in a row, forty, the search going on after it.
    last = size - len(_FINDER_LIKE)
    for row in rows:
        place = row.find(_FINDER_LIKE)
        while 0 <= place < last:
            score += 40
            place = row.find(_FINDER_LIKE, place + len(_FINDER_LIKE))
    # Rule 4: ten for each five per cent the dark share is off one half.
    dark = sum(row.count(1) for row in rows)
    return score + 10 * (abs(100 * dark // (size * size) - 50) // 5)


# Which data modules each mask pattern turns, in the order the data is placed: a function of
# the code's size and the pattern only, so made once per size and pattern in a process.
_MASK_FLIPS: dict[tuple[int, int], tuple[bool, ...]] = {}
# The same turns laid out as the code's rows (one byte a module, row after row) and read as
# one number, so that a code under another mask is one XOR away.
_MASK_PLANES: dict[tuple[int, int], int] = {}


class _QrEncoder(qrencoder.QRCode):
    """reportlab's encoder with ``mask_penalty`` in place of its slow score, the data placed
    with each mask's flips looked up instead of computed module by module, and the eight
    trial codes made from one: the same modules."""

    def _flips(self, pattern: int) -> tuple[bool, ...]:
        key = (self.moduleCount, pattern)
        flips = _MASK_FLIPS.get(key)
        if flips is None:
            mask = qrencoder.QRUtil.getMask(pattern)
            flips = _MASK_FLIPS[key] = tuple(bool(mask(row, column)) for column, row in self.dataPosIterator())
        return flips

    def _plane(self, pattern: int) -> int:
        key = (self.moduleCount, pattern)
        plane = _MASK_PLANES.get(key)
        if plane is None:
            size = self.moduleCount
            cells = bytearray(size * size)
            for (column, row), flip in zip(self.dataPosIterator(), self._flips(pattern), strict=True):
                cells[row * size + column] = flip
            plane = _MASK_PLANES[key] = int.from_bytes(cells, "big")
        return plane

    def mapData(self, data, maskPattern):
        positions = self.dataPosIterator()  # (column, row) of each data module, kept per code
        # Modules beyond the data's last bit take a light bit, as reportlab's own placing has it.
        bits = chain(self.dataBitIterator(data), repeat(False))
        modules = self.modules
        for (column, row), dark, flip in zip(positions, bits, self._flips(maskPattern), strict=False):  # bits run on
            modules[row][column] = dark ^ flip

    def getBestMaskPattern(self):
        # A trial code's format modules are all light, whatever its mask: the eight trials
        # differ only where a mask turns a data module. One is made; the others are its
        # modules with the first mask's turns undone and their own made.
        self.makeImpl(True, 0)
        size = self.moduleCount
        unmasked = int.from_bytes(b"".join(bytes(map(bool, row)) for row in self.modules), "big") ^ self._plane(0)
        best, pattern = 0, 0
        for candidate in range(8):
            cells = (unmasked ^ self._plane(candidate)).to_bytes(size * size, "big")
            penalty = _penalty([cells[start:start + size] for start in range(0, size * size, size)])
            if candidate == 0 or penalty < best:
                best, pattern = penalty, candidate
        return pattern


class QrCode:
    """The QR code of ``value`` as a ``size`` square, drawn as reportlab's ``QrCodeWidget`` draws
    it (a four-module quiet zone, each run of dark modules in a row one filled rectangle) but
    straight onto the canvas: the widget goes through a graphics Drawing that encodes the
    value twice (once for its bounds) and sets every rectangle as a validated shape, which
    took a third of a slip's time. No font is set, so none is listed in the PDF."""

    def __init__(self, value: str, size: float, level: str = "M"):
        self.size = size
        code = _QrEncoder(None, getattr(qrencoder.QRErrorCorrectLevel, level))
        code.addData(value)
        code.make()
        self.modules = code.getModuleCount()
        # (row, first column, length) of each run of dark modules, top row first.
        self.runs: list[tuple[int, int, int]] = []
        for row, cells in enumerate(code.modules):
            column = 0
            for dark, run in groupby(cells, key=bool):
                length = len(list(run))
                if dark:
                    self.runs.append((row, column, length))
                column += length

    def draw_on(self, canvas, x: float, y: float) -> None:
        """The code with its lower left corner at (``x``, ``y``)."""
        side = self.modules + 2 * QR_BORDER
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(self.size / side, self.size / side)  # one unit per module from here
        canvas.setFillColor(colors.black)
        top = side - QR_BORDER - 1
        canvas.addLiteral("\n".join(f"{column + QR_BORDER} {top - row} {length} 1 re f"
                                     for row, column, length in self.runs))
        canvas.restoreState()


def deadline_texts(case: Case, settings: ClockSettings) -> tuple[str, str, str]:
    """(交办时间, 到场时限, 反馈时限) as printed: clock times after dispatch, rules before."""
    team = team_of(case)
    minutes = settings.arrive_minutes
    if team.dispatched_at is None:
        return (f"{SHORT}月{SHORT}日{SHORT}时{SHORT}分",  # one line: room for two digits each
                f"交办后{minutes}分钟内到场",
                "交办当日24:00前反馈结果")
    dispatched = local(team.dispatched_at)
    arrive = dispatched + timedelta(minutes=minutes)
    arrive_text = arrive.strftime("%H:%M") if arrive.date() == dispatched.date() else \
        f"{arrive.month}月{arrive.day}日 {arrive:%H:%M}"
    return (fmt_moment(dispatched),
            f"{arrive_text} 前（交办后{minutes}分钟）",
            f"当日24:00（{dispatched.month}月{dispatched.day}日）")


STRONG = 10.5  # the case number, the deadlines and the village: read first
CELL, CELL_LEADING = 9.5, 12.5  # layout.Styles.cell
TITLE, TITLE_LEADING = 18, 24
SUBTITLE, SUBTITLE_LEADING = 10, 14
NOTE, NOTE_LEADING = 8, 10.5
HEADING, HEADING_LEADING = 11.5, 11.5 * 16 / 12
QR_SIZE = 23 * mm
WIDTHS = [LABEL_W, VALUE_W, LABEL_W, VALUE_W]
TEXT_W = CONTENT_W - LABEL_W - 8  # a value spanning the three columns right of its label


def _label(text: str, valign: str = "middle") -> Cell:
    return Cell(Text(text, align="center"), shaded=True, valign=valign)


def _value(text: str, size: float = CELL, span: int = 1, **kwargs) -> Cell:
    return Cell(Text(text, size, CELL_LEADING * size / CELL), span=span, **kwargs)


def _fitted(fitted: Fitted, **kwargs) -> Cell:
    return Cell(Text(fitted=fitted, size=fitted.size, leading=fitted.leading), span=3, **kwargs)


def _info_grid(case: Case, facts: SlipFacts, face: Face) -> Grid:
    current = classification_at(case)
    team = team_of(case)
    dispatched_text, arrive_text, result_text = deadline_texts(case, facts.settings)
    source = case.source.label + (f"（{case.police_station}）" if case.police_station else "")
    flags = "；".join(flags_of(case)) or "无"
    # Many parties would otherwise crowd the form; at most four lines, then 详见系统.
    parties = fit("；".join(party_line(p, masked=False, show_id=False) for p in case.parties) or "（未登记）",
                  face, CELL, CELL_LEADING, TEXT_W, 4 * CELL_LEADING)
    summary = fit(case.summary, face, CELL, CELL_LEADING, TEXT_W, SUMMARY_H - 6)
    if team.handlers:
        handlers = team.names()
        if team.departments or team.experts:
            handlers += "；协调：" + "、".join(team.departments + team.experts)
    else:
        handlers = f"带队：{FILL}{FILL}　成员：{FILL}{FILL}{FILL}{FILL}"
    village = f"{case.village}　{case.grid}" if case.grid else case.village
    rows = [
        Row([_label("案件编号"), _value(case.case_no, STRONG), _label("来源"), _value(source)]),
        Row([_label("警情编号"), _value(case.police_incident_no or "—"), _label("处警民警"),
             _value(case.officer or "—")]),
        Row([_label("接收时间"), _value(fmt_moment(case.received_at)), _label("交办时间"), _value(dispatched_text)]),
        Row([_label("到场时限"), _value(arrive_text, STRONG), _label("反馈时限"), _value(result_text, STRONG)]),
        Row([_label("村（社区）"), _value(village, STRONG), _label("事发地点"), _value(case.location or "—")]),
        Row([_label("类别"), _value(current.category), _label("等级 / 风险"),
             _value(f"{current.grade.label} / {colour_text(current.risk)}")]),
        Row([_label("风险提示"), _value(flags, STRONG if flags != "无" else CELL, span=3)]),
        Row([_label("当事人及电话"), _fitted(parties)]),
        # A fixed height: a long summary is fitted into it, never grows it.
        Row([_label("简要情况"), _fitted(summary, valign="top")], height=SUMMARY_H),
        Row([_label("处置人员"), _value(handlers, span=3)]),
    ]
    return Grid(WIDTHS, rows, face, pad_y=2.6)


def _lined_box(lines: int, line_h: float) -> Drawn:
    """Ruled writing lines, like the 处置情况 box of a paper form."""

    def draw(painter: Painter, x: float, bottom: float, width: float, height: float) -> None:
        canvas = painter.canvas
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.4)
        canvas.lines([(x, bottom + k * line_h, x + width, bottom + k * line_h) for k in range(1, lines)])
        canvas.restoreState()

    return Drawn(lines * line_h, draw)


def _boxes(choices: list[str], lead: str = "") -> Drawn:
    def draw(painter: Painter, x: float, bottom: float, width: float, height: float) -> None:
        check_boxes(painter, x, bottom, height, choices, size=CELL, leading=CELL_LEADING, lead=lead)

    return Drawn(CELL_LEADING, draw)


def _fill_in_grid(face: Face) -> Grid:
    blank = "＿" * 7
    rows = [
        Row([_label("到场时间"),
             Cell(_boxes(["是", "否"], lead=f"{FILL}月{FILL}日{FILL}时{FILL}分　到场人数：{SHORT}人　与民警交接："),
                  span=3)], height=9 * mm),
        Row([_label("处置情况"), Cell(_lined_box(5, 7.2 * mm), span=3)]),
        Row([_label("处置结果"),
             Cell(_boxes(["当场化解", f"约定后续（约定{SHORT}月{SHORT}日{SHORT}时再处置）", "需升级（报镇治理办）"]),
                  span=3)], height=9 * mm),
        Row([_label("处置人员签字", valign="bottom"),
             _value(f"1.{blank}　　2.{blank}　　3.{blank}", span=3, valign="bottom")], height=11 * mm),
        Row([_label("当事人签字", valign="bottom"),
             _value(f"{blank}{blank}　　{blank}{blank}", span=3, valign="bottom")], height=11 * mm),
        Row([_label("书记签字"), _value(""), _label("日期"), _value(f"{FILL}年{FILL}月{FILL}日")], height=11 * mm),
    ]
    return Grid(WIDTHS, rows, face)


def _stub_grid(case: Case, facts: SlipFacts, face: Face) -> Grid:
    team = team_of(case)
    dispatched_text, arrive_text, _result = deadline_texts(case, facts.settings)
    summary = fit(shorten(case.summary, 90), face, CELL, CELL_LEADING, TEXT_W, 2 * CELL_LEADING)
    handlers = team.names() or f"带队：{FILL}{FILL}　成员：{FILL}{FILL}{FILL}"
    when = f"{SHORT}月{SHORT}日{SHORT}时{SHORT}分"
    rows = [
        Row([_label("案件编号"), _value(case.case_no, STRONG), _label("村（社区）"), _value(case.village)]),
        Row([_label("交办时间"), _value(dispatched_text), _label("到场时限"), _value(arrive_text)]),
        Row([_label("简要情况"), _fitted(summary)]),
        Row([_label("处置人员"), _value(handlers, span=3)]),
        Row([_label("领单人签字"), _value(""), _label("领单时间"), _value(when)], height=9 * mm),
        Row([_label("交回时间"), _value(when), _label("核收人"), _value("")]),
    ]
    return Grid(WIDTHS, rows, face, pad_y=2.4)


def _draw_top(painter: Painter, case: Case, facts: SlipFacts) -> None:
    """The slip: title and QR code, the case's facts, the team's fill-in part and the note,
    from the top margin down; shrunk as a whole if a case's text would reach the cut line."""
    face, canvas = painter.face, painter.canvas
    title_w = CONTENT_W - 2 * (QR_SIZE + 2 * mm)  # centred on the page, clear of the QR code
    title = set_text(f"{facts.town}警源治理事件交办单", face, TITLE, TITLE_LEADING, title_w)
    subtitle = set_text(f"编号：{case.case_no}　　状态：{derive_status(case).label}　　"
                        f"打印：{fmt_moment(facts.printed_at)}（{facts.printed_by}）",
                        face, SUBTITLE, SUBTITLE_LEADING, title_w)
    header_h = max(QR_SIZE, title.height + 2 + subtitle.height) + 6
    info, fill_in = _info_grid(case, facts, face), _fill_in_grid(face)
    note = set_text("本单载有当事人联系方式，仅限处置使用，请妥善保管；处置完毕后签字，当日交回镇治理办。",
                    face, NOTE, NOTE_LEADING, CONTENT_W)
    height = header_h + 3 * mm + info.layout() + 2.5 * mm + fill_in.layout() + 1.5 * mm + note.height
    room = _top_frame_height()
    canvas.saveState()
    canvas.translate(MARGIN_X, PAGE_H - MARGIN_TOP)
    if height > room:
        canvas.scale(room / height, room / height)
    block_top = -(header_h - title.height - 2 - subtitle.height) / 2
    left = QR_SIZE + 2 * mm
    painter.lines(left, block_top, title_w, title, "center")
    painter.lines(left, block_top - title.height - 2, title_w, subtitle, "center")
    QrCode(case.case_no, QR_SIZE).draw_on(canvas, CONTENT_W - QR_SIZE - 2 * mm, -header_h + (header_h - QR_SIZE) / 2)
    y = -header_h - 3 * mm
    info.draw(painter, 0, y)
    y -= info.height + 2.5 * mm
    fill_in.draw(painter, 0, y)
    y -= fill_in.height + 1.5 * mm
    painter.lines(0, y, CONTENT_W, note)
    painter.flush()
    canvas.restoreState()


def _draw_stub(painter: Painter, case: Case, facts: SlipFacts) -> None:
    """The office's stub below the cut line, shrunk like the slip if it would not fit."""
    face, canvas = painter.face, painter.canvas
    heading = set_text(f"交办单存根（{facts.town}治理办留存）", face, HEADING, HEADING_LEADING, CONTENT_W)
    grid = _stub_grid(case, facts, face)
    height = heading.height + 4 + grid.layout()
    room = _stub_frame_height()
    canvas.saveState()
    canvas.translate(MARGIN_X, CUT_Y - 5 * mm)
    if height > room:
        canvas.scale(room / height, room / height)
    painter.lines(0, 0, CONTENT_W, heading)
    grid.draw(painter, 0, -heading.height - 4)
    painter.flush()
    canvas.restoreState()


def draw_slip(canvas, case: Case, facts: SlipFacts, font: PaperFont) -> None:
    """One slip onto ``canvas``'s current page: the slip, the cut line and the stub."""
    painter = Painter(canvas, face_of(font.name))
    _draw_top(painter, case, facts)
    _draw_cut_line(canvas, font)
    _draw_stub(painter, case, facts)
    draw_font_warning(canvas, font, PAGE_W, PAGE_H)


def _top_frame_height() -> float:
    return PAGE_H - MARGIN_TOP - (CUT_Y + 5 * mm)


def _stub_frame_height() -> float:
    return CUT_Y - 5 * mm - MARGIN_BOTTOM


def _draw_cut_line(canvas, font: PaperFont) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#555555"))
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.7)
    gap_left, gap_right = PAGE_W / 2 - 24 * mm, PAGE_W / 2 + 24 * mm
    canvas.line(MARGIN_X - 4 * mm, CUT_Y, gap_left, CUT_Y)
    canvas.line(gap_right, CUT_Y, PAGE_W - MARGIN_X + 4 * mm, CUT_Y)
    canvas.setDash()
    _draw_scissors(canvas, gap_left + 3 * mm, CUT_Y)
    canvas.setFillColor(colors.HexColor("#333333"))
    canvas.setFont(font.name, 9)
    canvas.drawString(gap_left + 9 * mm, CUT_Y - 3.2, "沿此线剪下")
    canvas.restoreState()


def _draw_scissors(canvas, x: float, y: float) -> None:
    """Drawn rather than typed: few Chinese fonts carry the ✂ glyph."""
    canvas.setLineWidth(0.8)
    canvas.circle(x - 2.2 * mm, y + 1.2 * mm, 0.9 * mm, stroke=1, fill=0)
    canvas.circle(x - 2.2 * mm, y - 1.2 * mm, 0.9 * mm, stroke=1, fill=0)
    canvas.line(x - 1.4 * mm, y + 0.8 * mm, x + 2.4 * mm, y - 1.0 * mm)
    canvas.line(x - 1.4 * mm, y - 0.8 * mm, x + 2.4 * mm, y + 1.0 * mm)


def build_slips(cases: list[Case], facts: SlipFacts, font: PaperFont, buffer, *, title: str,
                on_page: Callable[[int], object] | None = None) -> int:
    """Write one page per case into ``buffer``; ``on_page(n)`` is told as each page is finished."""
    # The form's font from the start: a canvas begins each page in its initial font, which
    # would otherwise be a Helvetica the PDF lists but does not carry. (The stubs say float.)
    canvas = DeflatedCanvas(buffer, pagesize=A4, initialFontName=font.name)  # type: ignore[arg-type]
    canvas.setTitle(title)
    canvas.setAuthor(f"{facts.town}治理办")
    canvas.setCreator("jingyuan_desktop")
    embedded = pdfmetrics.getFont(font.name)
    if isinstance(embedded, EmbeddedFont):
        embedded.seed(canvas._doc, FORM_WORDING)  # type: ignore[attr-defined]  # the stubs leave out _doc
    for page, case in enumerate(cases, start=1):
        draw_slip(canvas, case, facts, font)
        canvas.showPage()
        if on_page is not None:
            on_page(page)
    canvas.save()
    return len(cases)

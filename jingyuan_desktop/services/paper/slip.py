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
from itertools import groupby, pairwise

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepInFrame,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import Grade, PartyRole, Risk, Source, Status, colour_text
from jingyuan_desktop.domain.lifecycle import classification_at, derive_status
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services.paper.facts import flags_of, party_line, team_of
from jingyuan_desktop.services.paper.fonts import EmbeddedFont, PaperFont
from jingyuan_desktop.services.paper.layout import (
    GRID,
    LABEL_BG,
    DeflatedCanvas,
    Styles,
    cell_font,
    check_row,
    draw_font_warning,
    fit_text,
    fmt_moment,
    grid_table,
    para,
    shorten,
)

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
    "交办单存根（治理办留存）领单人签字领单时间交回时间核收人",
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
    size = len(modules)
    rows = [bytes(map(bool, row)) for row in modules]  # one byte a module, 1 dark
    columns = [bytes(column) for column in zip(*rows, strict=True)]
    # Rule 1: each run of five or more alike in a row or a column, its length less two.
    score = sum(len(run.group()) - 2 for line in (*rows, *columns) for run in _RUN_OF_FIVE.finditer(line))
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


class _QrEncoder(qrencoder.QRCode):
    """reportlab's encoder with ``mask_penalty`` in place of its slow score: the same modules."""

    def getBestMaskPattern(self):
        best, pattern = 0, 0
        for candidate in range(8):
            self.makeImpl(True, candidate)
            penalty = mask_penalty(self.modules)
            if candidate == 0 or penalty < best:
                best, pattern = penalty, candidate
        return pattern


class QrCode(Flowable):
    """The QR code of ``value`` as a ``size`` square, drawn as reportlab's ``QrCodeWidget`` draws
    it (a four-module quiet zone, each run of dark modules in a row one filled rectangle) but
    straight onto the canvas: the widget goes through a graphics Drawing that encodes the
    value twice (once for its bounds) and sets every rectangle as a validated shape, which
    took a third of a slip's time. No font is set, so none is listed in the PDF."""

    def __init__(self, value: str, size: float, level: str = "M"):
        super().__init__()
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

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        canvas = self.canv
        side = self.modules + 2 * QR_BORDER
        canvas.saveState()
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
        return (f"{FILL}月{FILL}日{FILL}时{FILL}分",
                f"交办后{minutes}分钟内到场",
                "交办当日24:00前反馈结果")
    dispatched = local(team.dispatched_at)
    arrive = dispatched + timedelta(minutes=minutes)
    arrive_text = arrive.strftime("%H:%M") if arrive.date() == dispatched.date() else \
        f"{arrive.month}月{arrive.day}日 {arrive:%H:%M}"
    return (fmt_moment(dispatched),
            f"{arrive_text} 前（交办后{minutes}分钟）",
            f"当日24:00（{dispatched.month}月{dispatched.day}日）")


def _label(text: str, styles: Styles):
    return para(text, styles.label)


def _info_table(case: Case, facts: SlipFacts, styles: Styles) -> Table:
    current = classification_at(case)
    team = team_of(case)
    dispatched_text, arrive_text, result_text = deadline_texts(case, facts.settings)
    source = case.source.label + (f"（{case.police_station}）" if case.police_station else "")
    flags = "；".join(flags_of(case)) or "无"
    summary_width = CONTENT_W - LABEL_W - 8
    # Many parties would otherwise shrink the whole slip; at most four lines, then 详见系统.
    parties = fit_text("；".join(party_line(p, masked=False, show_id=False) for p in case.parties) or "（未登记）",
                       styles.cell, summary_width, 4 * styles.cell.leading)
    summary = fit_text(case.summary, styles.cell, summary_width, SUMMARY_H - 6)
    if team.handlers:
        handlers = team.names()
        if team.departments or team.experts:
            handlers += "；协调：" + "、".join(team.departments + team.experts)
    else:
        handlers = f"带队：{FILL}{FILL}　成员：{FILL}{FILL}{FILL}{FILL}"
    cell, strong = styles.cell, styles.sized(styles.cell, 10.5)
    rows = [
        [_label("案件编号", styles), para(case.case_no, strong), _label("来源", styles), para(source, cell)],
        [_label("警情编号", styles), para(case.police_incident_no or "—", cell), _label("处警民警", styles),
         para(case.officer or "—", cell)],
        [_label("接收时间", styles), para(fmt_moment(case.received_at), cell), _label("交办时间", styles),
         para(dispatched_text, cell)],
        [_label("到场时限", styles), para(arrive_text, strong), _label("反馈时限", styles), para(result_text, strong)],
        [_label("村（社区）", styles), para(f"{case.village}　{case.grid}" if case.grid else case.village, strong),
         _label("事发地点", styles), para(case.location or "—", cell)],
        [_label("类别", styles), para(current.category, cell), _label("等级 / 风险", styles),
         para(f"{current.grade.label} / {colour_text(current.risk)}", cell)],
        [_label("风险提示", styles), para(flags, strong if flags != "无" else cell), "", ""],
        [_label("当事人及电话", styles), parties, "", ""],
        [_label("简要情况", styles), summary, "", ""],
        [_label("处置人员", styles), para(handlers, cell), "", ""],
    ]
    spans = [("SPAN", (1, r), (3, r)) for r in range(6, 10)]
    # The summary row has a fixed height: a long summary is fitted into it, never grows it.
    heights = [None] * 8 + [SUMMARY_H, None]
    return grid_table(rows, [LABEL_W, VALUE_W, LABEL_W, VALUE_W], label_cols=(0,), heights=heights,
                      extra=[*spans, ("BACKGROUND", (2, 0), (2, 5), LABEL_BG),
                             ("VALIGN", (1, 8), (1, 8), "TOP")], padding=2.6)


def _lined_box(lines: int, width: float, line_h: float, font_name: str) -> Table:
    """Ruled writing lines, like the 处置情况 box of a paper form."""
    table = Table([[""] for _ in range(lines)], colWidths=[width], rowHeights=[line_h] * lines)
    table.setStyle(TableStyle([cell_font(font_name),
                               ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor("#999999"))]))
    return table


def _fill_in_table(styles: Styles) -> Table:
    cell = styles.cell
    inner_w = CONTENT_W - LABEL_W
    blank = "＿" * 7
    rows = [
        [_label("到场时间", styles),
         check_row(["是", "否"], cell, lead=f"{FILL}月{FILL}日{FILL}时{FILL}分　到场人数：{SHORT}人　与民警交接："),
         "", ""],
        [_label("处置情况", styles), _lined_box(5, inner_w - 8, 7.2 * mm, styles.font.name), "", ""],
        [_label("处置结果", styles),
         check_row(["当场化解", f"约定后续（约定{SHORT}月{SHORT}日{SHORT}时再处置）", "需升级（报镇治理办）"], cell),
         "", ""],
        [_label("处置人员签字", styles), para(f"1.{blank}　　2.{blank}　　3.{blank}", cell), "", ""],
        [_label("当事人签字", styles), para(f"{blank}{blank}　　{blank}{blank}", cell), "", ""],
        [_label("书记签字", styles), para("", cell), _label("日期", styles), para(f"{FILL}年{FILL}月{FILL}日", cell)],
    ]
    spans = [("SPAN", (1, r), (3, r)) for r in range(5)]
    widths = [LABEL_W, VALUE_W, LABEL_W, VALUE_W]
    heights = [9 * mm, None, 9 * mm, 11 * mm, 11 * mm, 11 * mm]
    table = Table(rows, colWidths=widths, rowHeights=heights)
    table.setStyle(TableStyle([
        cell_font(styles.font.name),
        *spans,
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("BACKGROUND", (2, 5), (2, 5), LABEL_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (0, 3), (-1, 4), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _header(case: Case, facts: SlipFacts, styles: Styles) -> Table:
    status = derive_status(case).label
    title = para(f"{facts.town}警源治理事件交办单", styles.title)
    line = para(f"编号：{case.case_no}　　状态：{status}　　打印：{fmt_moment(facts.printed_at)}（{facts.printed_by}）",
                styles.subtitle)
    qr_size = 23 * mm
    table = Table([[[title, Spacer(1, 2), line], QrCode(case.case_no, qr_size)]],
                  colWidths=[CONTENT_W - qr_size - 2 * mm, qr_size + 2 * mm])
    table.setStyle(TableStyle([cell_font(styles.font.name), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("LEFTPADDING", (0, 0), (0, 0), qr_size + 2 * mm)]))
    return table


def _stub(case: Case, facts: SlipFacts, styles: Styles) -> list:
    team = team_of(case)
    dispatched_text, arrive_text, _result = deadline_texts(case, facts.settings)
    cell = styles.cell
    summary = fit_text(shorten(case.summary, 90), cell, CONTENT_W - LABEL_W - 8, 2 * cell.leading)
    handlers = team.names() or f"带队：{FILL}{FILL}　成员：{FILL}{FILL}{FILL}"
    rows = [
        [_label("案件编号", styles), para(case.case_no, styles.sized(cell, 10.5)), _label("村（社区）", styles),
         para(case.village, cell)],
        [_label("交办时间", styles), para(dispatched_text, cell), _label("到场时限", styles), para(arrive_text, cell)],
        [_label("简要情况", styles), summary, "", ""],
        [_label("处置人员", styles), para(handlers, cell), "", ""],
        [_label("领单人签字", styles), para("", cell), _label("领单时间", styles),
         para(f"{SHORT}月{SHORT}日{SHORT}时{SHORT}分", cell)],
        [_label("交回时间", styles), para(f"{SHORT}月{SHORT}日{SHORT}时{SHORT}分", cell), _label("核收人", styles),
         para("", cell)],
    ]
    table = grid_table(rows, [LABEL_W, VALUE_W, LABEL_W, VALUE_W], label_cols=(0,), padding=2.4,
                       heights=[None, None, None, None, 9 * mm, None],
                       extra=[("SPAN", (1, 2), (3, 2)), ("SPAN", (1, 3), (3, 3)),
                              ("BACKGROUND", (2, 0), (2, 1), LABEL_BG), ("BACKGROUND", (2, 4), (2, 5), LABEL_BG)])
    heading = para(f"交办单存根（{facts.town}治理办留存）", styles.sized(styles.section, 11.5))
    return [heading, table]


def slip_story(case: Case, facts: SlipFacts, styles: Styles) -> list:
    """The flowables of one slip: the slip frame, then the stub frame of the same page."""
    note = para("本单载有当事人联系方式，仅限处置使用，请妥善保管；处置完毕后签字，当日交回镇治理办。", styles.small)
    top = [_header(case, facts, styles), Spacer(1, 3 * mm), _info_table(case, facts, styles),
           Spacer(1, 2.5 * mm), _fill_in_table(styles), Spacer(1, 1.5 * mm), note]
    return [KeepInFrame(CONTENT_W, _top_frame_height(), top, mode="shrink"), FrameBreak(),
            KeepInFrame(CONTENT_W, _stub_frame_height(), _stub(case, facts, styles), mode="shrink")]


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


class _SlipDoc(BaseDocTemplate):
    """The slips' document, telling ``on_page(n)`` as each page is finished."""

    def __init__(self, buffer, on_page: Callable[[int], object] | None, font: PaperFont, **kwargs):
        self._page_done = on_page
        self._font = font
        super().__init__(buffer, initialFontName=font.name, **kwargs)

    def beforeDocument(self) -> None:
        font = pdfmetrics.getFont(self._font.name)
        if isinstance(font, EmbeddedFont):
            font.seed(self.canv._doc, FORM_WORDING)  # type: ignore[attr-defined]  # the stubs leave out _doc

    def afterPage(self) -> None:
        if self._page_done is not None:
            self._page_done(self.page)


def build_slips(cases: list[Case], facts: SlipFacts, font: PaperFont, buffer, *, title: str,
                on_page: Callable[[int], object] | None = None) -> int:
    """Write one page per case into ``buffer``; ``on_page(n)`` is told as each page is finished."""
    styles = Styles(font)
    top = Frame(MARGIN_X, CUT_Y + 5 * mm, CONTENT_W, _top_frame_height(), 0, 0, 0, 0, id="slip")
    bottom = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, _stub_frame_height(), 0, 0, 0, 0, id="stub")

    def decorate(canvas, _doc):
        _draw_cut_line(canvas, font)
        draw_font_warning(canvas, font, PAGE_W, PAGE_H)

    doc = _SlipDoc(buffer, on_page, font, pagesize=A4, title=title, author=f"{facts.town}治理办",
                   creator="jingyuan_desktop", pageTemplates=[PageTemplate("slip", [top, bottom], onPage=decorate)])
    story: list = []
    for index, case in enumerate(cases):
        if index:
            story.append(PageBreak())
        story.extend(slip_story(case, facts, styles))
    doc.build(story, canvasmaker=DeflatedCanvas)
    return doc.page

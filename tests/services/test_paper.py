"""The paper forms, read back from the PDFs the way a printer or another computer would see them."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import EventType, Grade, PartyRole, Risk, Satisfaction
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services import paper, setup
from jingyuan_desktop.services.context import OFFICE_SETTINGS_KEY, AppContext, ServiceError
from jingyuan_desktop.services.paper import drawn, fonts
from jingyuan_desktop.services.paper.layout import TRUNCATED, Styles, para
from jingyuan_desktop.services.paper.weekly import week_span
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.audit import list_audit

E = EventType
# A Wednesday inside office hours, in a year the statutory calendar covers.
NOW = datetime(2025, 6, 11, 10, 0, tzinfo=TZ)
PHONE = "13912345678"
OTHER_PHONE = "13787654321"
OFFICER = "顾国生"  # a community police officer of the demo town
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("paper") / "demo.db"
    context = AppContext.open(str(path), now=lambda: NOW)
    setup.load_demo(context, cases=120, seed=2)
    context.db.engine.dispose()
    return path


@pytest.fixture
def ctx(template, tmp_path):
    path = tmp_path / "paper.db"
    shutil.copy(template, path)
    context = AppContext.open(str(path), now=lambda: NOW, user="王科员")
    yield context
    context.db.engine.dispose()


def text_of(pdf: Path, page: int | None = None) -> str:
    """The PDF's text with all whitespace removed, so wrapped lines and cell gaps don't matter."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    return re.sub(r"\s+", "", out)


def raw_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def page_count(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def intake(ctx, *, minutes_ago=30, summary="欧阳明辉与邻居因排水沟堵塞发生争吵，双方情绪激动", phone=PHONE,
           risk=Risk.YELLOW, criminal_risk=False, key_persons=False, parties=None, incident="J-T-1",
           location="解营村三组东头") -> str:
    case = Case(received_at=NOW - timedelta(minutes=minutes_ago), village="解营村", summary=summary,
                category="邻里纠纷", grade=Grade.GENERAL, risk=risk, police_incident_no=incident,
                police_station="房镇派出所", location=location, criminal_risk=criminal_risk,
                key_persons=key_persons, officer="孙警官",
                parties=parties or [Party("欧阳明辉", phone, PartyRole.CALLER), Party("路大海", OTHER_PHONE)])
    return case_service.intake(ctx, case).case_no


def record(ctx, case_no: str, kind: EventType, at: datetime, by: str = "刘干事", note: str = "",
           evidence=(), **data) -> None:
    _case, version = case_service.get_case(ctx, case_no)
    case_service.record_event(ctx, case_no, Event(kind, at, by=by, note=note, data=data, evidence=list(evidence)),
                              version)


def dispatch(ctx, case_no: str, at: datetime) -> None:
    record(ctx, case_no, E.DISPATCHED, at, handlers=["赵调解员", "李建霞"], leader="李建霞",
           departments=["司法所"], experts=[])


def audit_actions(ctx, case_no: str) -> list[str]:
    with ctx.session() as session:
        return [entry.action for entry in list_audit(session, entity="case", entity_id=case_no)]


# ---- the dispatch slip -------------------------------------------------------------------------
@needs_pdftotext
def test_slip_prints_every_field_the_team_needs_with_phones_in_full(ctx, tmp_path):
    earlier = intake(ctx, minutes_ago=600, incident="J-T-0")
    case_no = intake(ctx, criminal_risk=True, key_persons=True)
    # 民转刑: a leader first (seed 001); a repeat call: the office's 研判 and an officer in the team.
    record(ctx, case_no, E.LEADER_ASSIGNED, NOW - timedelta(minutes=28), leader="王镇长")
    record(ctx, case_no, E.ANALYSIS, NOW - timedelta(minutes=27), plan="前案未根治，请社区民警一同上门")
    record(ctx, case_no, E.DISPATCHED, NOW - timedelta(minutes=26), handlers=["赵调解员", "李建霞", OFFICER],
           leader="李建霞", departments=["司法所"], experts=[])  # 09:34, so on site by 09:49
    out = tmp_path / "slip.pdf"

    result = paper.render_slip(ctx, case_no, out)

    text = text_of(out)
    assert result.pages == 1 and page_count(out) == 1
    for value in ("房镇镇警源治理事件交办单", case_no, "J-T-1", "房镇派出所", "孙警官", "解营村", "解营村三组东头",
                  "欧阳明辉", PHONE, "路大海", OTHER_PHONE, "排水沟堵塞", "邻里纠纷", "一般", "黄色",
                  "民转刑风险", f"重复报警（前案{earlier}），二次处置", "涉及重点人员", "李建霞（带队）、赵调解员",
                  "2025-06-1109:30", "2025-06-1109:34", "09:49前", "当日24:00（6月11日）",
                  "到场时间", "处置情况", "当场化解", "约定后续", "需升级", "处置人员签字", "当事人签字", "书记签字",
                  "沿此线剪下", "交办单存根", "领单人签字"):
        assert value in text, value
    assert "print_slip" in audit_actions(ctx, case_no)


@needs_pdftotext
def test_slip_before_dispatch_leaves_the_times_to_be_written_in(ctx, tmp_path):
    case_no = intake(ctx)
    out = tmp_path / "slip.pdf"
    paper.render_slip(ctx, case_no, out)
    text = text_of(out)
    assert "交办后15分钟内到场" in text and "交办当日24:00前反馈结果" in text
    # No clock time computed from the moment of printing: 10:00 + 15 minutes must not appear.
    assert "10:15" not in text


@needs_pdftotext
def test_a_thousand_character_summary_and_many_parties_keep_the_slip_on_one_page(ctx, tmp_path):
    summary = "开头标记" + "村民反映邻居长期占用公共通道堆放杂物并多次发生口角，" * 40
    summary = summary[:1000]
    parties = [Party(f"当事人{i}号", f"1390000{i:04d}", PartyRole.PARTY) for i in range(8)]
    case_no = intake(ctx, summary=summary, parties=parties)
    dispatch(ctx, case_no, NOW - timedelta(minutes=20))
    out = tmp_path / "long.pdf"

    result = paper.render_slip(ctx, case_no, out)

    text = text_of(out)
    assert len(summary) == 1000
    assert result.pages == 1 and page_count(out) == 1
    assert "开头标记" in text and TRUNCATED in text
    assert "交办单存根" in text and "领单人签字" in text  # the stub is still on the page
    assert "当事人7号" in text and "13900000007" in text


@needs_pdftotext
def test_batch_puts_one_slip_per_page_in_the_order_given_and_audits_each(ctx, tmp_path):
    # Different callers and places, so none is linked to another as a repeat call.
    numbers = [intake(ctx, minutes_ago=m, incident=f"J-B-{m}", phone=f"1370000{m:04d}", location=f"{m}号院",
                      parties=[Party(f"报警人{m}", f"1370000{m:04d}", PartyRole.CALLER)]) for m in (50, 40, 30)]
    wanted = [numbers[2], numbers[0], numbers[1]]
    seen = []
    out = tmp_path / "batch.pdf"

    result = paper.render_slips(ctx, wanted, out, progress=lambda done, total: seen.append((done, total)))

    assert result.pages == 3 and page_count(out) == 3
    for page, case_no in enumerate(wanted, start=1):
        text = text_of(out, page)
        assert case_no in text
        assert all(other not in text for other in wanted if other != case_no)
        assert "print_slip" in audit_actions(ctx, case_no)
    assert seen[-1] == (3, 3)


def test_a_cancelled_batch_writes_nothing_and_logs_nothing(ctx, tmp_path):
    numbers = [intake(ctx, minutes_ago=m, incident=f"J-C-{m}", phone=f"1360000{m:04d}") for m in (50, 40, 30)]
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(paper.PrintCancelled):
        paper.render_slips(ctx, numbers, out, progress=lambda done, total: done < 2)
    assert not out.exists()
    assert all("print_slip" not in audit_actions(ctx, n) for n in numbers)


def test_an_unknown_case_is_refused_in_chinese(ctx, tmp_path):
    with pytest.raises(ServiceError, match="找不到案件：FZ-1999-99999"):
        paper.render_slip(ctx, "FZ-1999-99999", tmp_path / "x.pdf")


# ---- fonts -------------------------------------------------------------------------------------
def test_the_font_is_embedded_when_a_truetype_cjk_font_exists(ctx, tmp_path):
    out = tmp_path / "slip.pdf"
    result = paper.render_slip(ctx, intake(ctx), out)
    if not result.font.embedded:
        pytest.skip("no embeddable TrueType CJK font on this machine")
    assert b"/FontFile2" in out.read_bytes()
    assert result.warning is None


@needs_pdftotext
def test_without_any_font_the_pdf_says_so_on_the_page_and_to_the_caller(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "candidate_paths", lambda configured=None, platform=None: [])
    out = tmp_path / "fallback.pdf"
    result = paper.render_slip(ctx, intake(ctx), out)
    assert result.font.name == fonts.FALLBACK_FONT and not result.font.embedded
    assert result.warning == fonts.NOT_EMBEDDED_WARNING
    assert b"/FontFile2" not in out.read_bytes() and b"STSong-Light" in out.read_bytes()
    # The Latin line is what still shows where the Chinese font (and so the Chinese warning) is missing.
    assert re.sub(r"\s+", "", fonts.NOT_EMBEDDED_WARNING_LATIN) in text_of(out)


def test_the_office_font_setting_comes_first(ctx, tmp_path):
    system = fonts.candidate_paths()
    usable = next((p for p in system if fonts.paper_font(candidates=[p]).embedded), None)
    if usable is None:
        pytest.skip("no embeddable TrueType CJK font on this machine")
    mine = tmp_path / ("office" + usable.suffix)
    shutil.copy(usable, mine)
    with ctx.session() as session:
        office = repository.get_setting(session, OFFICE_SETTINGS_KEY, {}) or {}
        office[fonts.FONT_SETTING_KEY] = str(mine)
        repository.set_setting(session, OFFICE_SETTINGS_KEY, office, user="测试", at=NOW)
    assert fonts.font_for(ctx).path == str(mine)


def test_cff_outline_fonts_are_recognised_and_skipped(tmp_path):
    otf = tmp_path / "NotoSansCJK.otf"
    otf.write_bytes(b"OTTO" + bytes(60))
    collection = tmp_path / "NotoSansCJK.ttc"
    collection.write_bytes(b"ttcf" + bytes([0, 1, 0, 0]) + bytes([0, 0, 0, 1]) + (16).to_bytes(4, "big") + b"OTTO"
                           + bytes(40))
    assert not fonts.has_truetype_outlines(otf)
    assert not fonts.has_truetype_outlines(collection)
    font = fonts.paper_font(candidates=[otf, collection])
    assert font.name == fonts.FALLBACK_FONT and font.warning


def test_a_latin_only_font_is_not_taken_for_chinese(tmp_path):
    latin = next(iter(sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))), None)
    if latin is None:
        pytest.skip("no Latin TrueType font to try")
    assert fonts.paper_font(candidates=[latin]).name == fonts.FALLBACK_FONT


def test_fit_shrinks_then_cuts_with_a_marker():
    face = drawn.face_of(fonts.paper_font(candidates=[]).name)
    short = drawn.fit("短文本", face, 9.5, 12.5, 200, 40)
    assert short.lines == ("短文本",) and short.size == 9.5
    smaller = drawn.fit("较长的内容" * 14, face, 9.5, 12.5, 200, 40)
    assert TRUNCATED not in "".join(smaller.lines) and smaller.size < 9.5 and smaller.height <= 40
    long = drawn.fit("很长的内容" * 300, face, 9.5, 12.5, 200, 40)
    assert long.lines[-1].endswith(TRUNCATED) and long.height <= 40 and long.size == 7.5
    assert all(face.width(line) * long.size <= 200 for line in long.lines)
    assert "".join(long.lines).startswith("很长的内容很长的内容")


# ---- the archive form --------------------------------------------------------------------------
def archived_case_with(ctx, events: int) -> str:
    """A case whose timeline has exactly ``events`` events, from dispatch to archive."""
    start = NOW - timedelta(days=40)
    case_no = intake(ctx, minutes_ago=40 * 24 * 60 + 5, incident="J-A-1")
    dispatch(ctx, case_no, start)
    record(ctx, case_no, E.ARRIVED, start + timedelta(minutes=12), evidence=["VID_0001.mp4"],
           present=["李建霞", "赵调解员"])
    progress_count = events - 6
    for i in range(progress_count):
        record(ctx, case_no, E.PROGRESS, start + timedelta(hours=1 + 12 * i), note=f"第{i + 1}次进展：继续做双方工作")
    end = start + timedelta(hours=12 * progress_count + 2)
    record(ctx, case_no, E.RESOLVED, end, outcome="agreement", agreement_no="XY-2025-031", evidence=["调解协议书.pdf"])
    record(ctx, case_no, E.RETURN_VISIT, end + timedelta(days=1), satisfaction=Satisfaction.BASICALLY_SATISFIED,
           party="欧阳明辉", note="电话回访")
    record(ctx, case_no, E.POLICE_FEEDBACK, end + timedelta(days=2), officer="孙警官")
    record(ctx, case_no, E.ARCHIVED, end + timedelta(days=3), by="常档案员", archive_no="DA-2025-0099")
    return case_no


@needs_pdftotext
def test_an_archive_of_sixty_events_runs_over_pages_numbered_x_of_y(ctx, tmp_path):
    case_no = archived_case_with(ctx, 60)
    case, _ = case_service.get_case(ctx, case_no)
    assert len(case.events) == 60
    out = tmp_path / "archive.pdf"

    result = paper.render_archive(ctx, case_no, out)

    total = page_count(out)
    assert total >= 3 and result.pages == total
    for page in range(1, total + 1):
        text = text_of(out, page)
        assert f"第{page}页共{total}页" in text
        assert case_no in text
    text = text_of(out)
    for value in ("房镇镇警源治理事件档案", "第1次进展", "第54次进展", "VID_0001.mp4", "调解协议书.pdf",
                  "基本满意", "回访对象：欧阳明辉", "孙警官", "DA-2025-0099", "常档案员", PHONE, OTHER_PHONE,
                  "处置人员：赵调解员、李建霞", "化解方式：达成调解协议",
                  "办结方式达成调解协议（XY-2025-031）", "到场时限", "回访时限", "反馈派出所时限", "按时"):
        assert value in text, value
    assert "print_archive" in audit_actions(ctx, case_no)


# ---- the weekly handout ------------------------------------------------------------------------
@needs_pdftotext
def test_the_weekly_handout_masks_names_and_prints_no_phone(ctx, tmp_path):
    case_no = intake(ctx, summary=f"欧阳明辉（电话{PHONE}）称路大海占道堆放杂物")
    id_case = intake(ctx, summary="370102199001011234的车被划", incident="J-T-9", phone="13700001111",
                     location="高南村")
    out = tmp_path / "weekly.pdf"

    result = paper.render_weekly(ctx, None, out)

    text, raw = text_of(out), raw_text(out)
    assert id_case in text and "370102********1234的车被划" in text  # an ID typed into a summary
    assert "370102199001011234" not in text
    assert "房镇镇警源治理周例会材料" in text and "2025年第24周（6月9日—6月15日）" in text
    assert case_no in text and "欧阳某" in text and "路某" in text and "139****5678" in text
    assert not FULL_PHONE.search(raw)
    listed = [c for c in _cases(ctx) if c.case_no in text]
    assert case_no in result.case_nos and len(listed) > 3  # the week's cases and the open difficult/red ones
    for case in listed:
        for party in case.parties:
            if len(party.name) >= 2:
                assert party.name not in text, (case.case_no, party.name)
            if party.phone:
                assert party.phone not in text
    with ctx.session() as session:
        assert [e.action for e in list_audit(session, entity="report")] == ["print_weekly"]


@needs_pdftotext
def test_the_weekly_handout_lists_open_difficult_cases_with_their_owner(ctx, tmp_path):
    case_no = intake(ctx, minutes_ago=60 * 24 * 20, incident="J-D-1")
    dispatch(ctx, case_no, NOW - timedelta(days=20) + timedelta(minutes=3))
    record(ctx, case_no, E.ESCALATED, NOW - timedelta(days=19), note="多次调解未果")
    out = tmp_path / "weekly.pdf"
    paper.render_weekly(ctx, "2025-W24", out)
    text = text_of(out)
    section = text[text.index("四、未化解疑难案件"):text.index("五、红色风险案件")]
    assert case_no in section and "李建霞" in section and "20天" in section and "升级疑难：多次调解未果" in section


def test_weeks_are_read_as_iso_weeks():
    span = week_span("2026-W47", NOW)
    assert (span.monday.isoformat(), span.sunday.isoformat(), span.label) == ("2026-11-16", "2026-11-22", "2026-W47")
    assert week_span(None, NOW).label == "2025-W24"
    for bad in ("2026-47", "2026-W54", "下周"):
        with pytest.raises(ServiceError):
            week_span(bad, NOW)


def _cases(ctx) -> list[Case]:
    with ctx.session() as session:
        return list(repository.iter_cases(session))


# ---- the slip made quickly, looking the same (issue 12) ---------------------------------------
def _font_files(pdf: Path) -> list[bytes]:
    """The embedded font files' streams (still deflated), in the order the subsets were written."""
    data = pdf.read_bytes()
    found = []
    for match in re.finditer(rb"<<([^<>]*?/Length1[^<>]*?)>>\s*stream\r?\n", data):
        length = int(re.search(rb"/Length (\d+)", match.group(1)).group(1))
        found.append(data[match.end():match.end() + length])
    return found


def test_the_faster_mask_score_is_reportlab_s_own():
    from reportlab.graphics.barcode import qrencoder

    from jingyuan_desktop.services.paper.slip import mask_penalty

    for value in ("FZ-2026-00001", "FZ-2025-48342", "DA-2024-123", "x" * 60, "交办单" * 20, "FZ-2026-" + "9" * 150):
        for level in ("L", "M", "H"):
            code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
            code.addData(value)
            code.version = code.calculate_version()
            for mask in range(8):
                code.makeImpl(True, mask)
                assert mask_penalty(code.modules) == qrencoder.QRUtil.getLostPoint(code), (value, level, mask)


def test_the_slip_s_qr_code_has_the_modules_reportlab_s_widget_draws():
    from reportlab.graphics.barcode.qr import QrCodeWidget

    from jingyuan_desktop.services.paper.slip import QR_BORDER, QrCode

    for value in ("FZ-2026-00001", "FZ-2025-48342", "FZ-2026-" + "7" * 90):
        widget = QrCodeWidget(value, barLevel="M")
        group = widget.draw()
        count = widget.qr.getModuleCount()
        box = widget.barWidth / (count + 2 * QR_BORDER)
        # The widget's first rectangle is its empty frame; each other one is a run of dark modules.
        expected = sorted((round((widget.barHeight - rect.y) / box) - QR_BORDER - 1, round(rect.x / box) - QR_BORDER,
                           round(rect.width / box)) for rect in group.contents[1:])
        mine = QrCode(value, 23 * 2.834645669)
        assert mine.modules == count
        assert sorted(mine.runs) == expected, value


def test_a_paragraph_wrapped_again_at_the_same_width_keeps_its_lines():
    styles = Styles(fonts.paper_font())
    text = "村民反映邻居长期占用公共通道堆放杂物并多次发生口角，" * 4
    paragraph = para(text, styles.cell)
    narrow = paragraph.wrap(120, 1000)
    wide = paragraph.wrap(400, 5)
    assert narrow[1] > wide[1]
    assert paragraph.wrap(120, 5) == narrow and len(paragraph.blPara.lines) == len(
        para(text, styles.cell).breakLinesCJK([120, 120]).lines)


@needs_pdftotext
def test_slips_share_the_first_font_subset_and_still_read_as_their_own_text(ctx, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    one = intake(ctx, summary="甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥")
    other = intake(ctx, minutes_ago=20, incident="J-T-2", summary="鼋鼍蛟龙麒麟凤凰饕餮貔貅", location="渤海湾畔")
    result = paper.render_slip(ctx, one, first)
    if not result.font.embedded:
        pytest.skip("no embeddable TrueType CJK font on this machine")
    paper.render_slip(ctx, other, second)
    files_a, files_b = _font_files(first), _font_files(second)
    assert len(files_a) >= 2 and len(files_b) >= 2
    # The form's own wording fills the first subset, the same in both; each case's words follow it.
    assert files_a[0] == files_b[0]
    assert files_a[1:] != files_b[1:]
    assert "甲乙丙丁戊己庚辛壬癸" in text_of(first) and "鼋鼍蛟龙麒麟凤凰饕餮貔貅" in text_of(second)
    assert "渤海湾畔" in text_of(second) and "沿此线剪下" in text_of(second)
    # The page is deflated only, not also written out in ASCII85.
    assert b"ASCII85Decode" not in first.read_bytes()


def test_a_subset_with_a_case_s_own_characters_is_made_afresh(ctx, tmp_path):
    font = fonts.font_for(ctx)
    if not font.embedded:
        pytest.skip("no embeddable TrueType CJK font on this machine")
    embedded = fonts.pdfmetrics.getFont(font.name)
    seeded_only = [0, *range(32, 127), ord("交"), ord("办")]
    assert embedded.face.makeSubset(seeded_only) == embedded.face.makeSubset(list(seeded_only))
    assert embedded._kept([0, ord("鼋")]) is None  # never seeded: not kept


def test_a_changed_font_setting_is_followed_after_a_first_print(ctx, tmp_path):
    before = paper.render_slip(ctx, intake(ctx), tmp_path / "before.pdf")
    if not before.font.embedded:
        pytest.skip("no embeddable TrueType CJK font on this machine")
    mine = tmp_path / ("office" + Path(before.font.path).suffix)
    shutil.copy(before.font.path, mine)
    with ctx.session() as session:
        office = repository.get_setting(session, OFFICE_SETTINGS_KEY, {}) or {}
        office[fonts.FONT_SETTING_KEY] = str(mine)
        repository.set_setting(session, OFFICE_SETTINGS_KEY, office, user="测试", at=NOW)
    after = paper.render_slip(ctx, intake(ctx, minutes_ago=10, incident="J-T-9"), tmp_path / "after.pdf")
    assert after.font.path == str(mine) and after.font.name != before.font.name
    assert b"/FontFile2" in (tmp_path / "after.pdf").read_bytes()

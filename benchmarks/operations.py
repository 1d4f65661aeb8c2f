"""What the harness times (issue 12): the office's everyday work through the program's own
services, each set against a baseline measured in the same run on the same database.

A measure's figure is ``ratio = ms / baseline_ms``: how much the program adds over the least
the same answer can cost on this database (a raw SQL statement, a bare PDF page, a bare read
of the same spreadsheet), so that it does not depend on how fast the machine happens to be.
``target`` is the largest ratio the issue allows. The two window measures (cold start,
stalls) run in child processes (``benchmarks/gui.py``); everything here runs in the harness's
process.

An ``Operation`` is timed around ``run`` only: ``prepare`` and ``cleanup`` (a scratch copy of
the database for the measures that write, so that the kept one stays as built) are not. The
slip and the bare page both have their font file read and registered before they are timed,
as the program does once per process at its first print: what is timed is laying out the
page and writing it with the font's subset embedded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, bindparam, text

from benchmarks.databases import Scratch
from benchmarks.moment import NOW
from jingyuan_desktop.domain.enums import Status, UnitKind
from jingyuan_desktop.domain.meeting import week_of
from jingyuan_desktop.services import assessment, figures, files, meeting, paper, queries, stats
from jingyuan_desktop.services import deadlines as deadline_service
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.paper import fonts
from jingyuan_desktop.services.queries import CaseFilter

YEAR = NOW.year
YEAR_START, YEAR_END = date(YEAR, 1, 1), date(YEAR, 12, 31)
WEEK = week_of(NOW.date())
PAGE = 200  # the case table's page (ui/cases/table_model.CaseTableModel.page_size)
# A Chinese word the demo generator writes into summaries only (never into a place, a name or
# a case number), so that a LIKE on the summary finds what the table's search finds.
SEARCH_WORD = "彩礼"
IMPORT_ROWS = 10_000
SLIP_LINE = "交办单：解营村 邻里纠纷，请于规定时限内到场处置并反馈结果。"
# Every column of case_clocks (store/models.CaseClockModel), as the open-clock baseline reads them.
CLOCK_COLUMNS = ("id", "case_id", "case_no", "name", "seq", "owner", "opened_at", "due_at", "done_at", "state")
# The columns of a page of the case table (store/case_queries.page_case_rows).
PAGE_COLUMNS = ("id", "case_no", "received_at", "village", "category", "grade", "risk", "status", "summary",
                "location", "version")


@dataclass(frozen=True)
class Spec:
    """One line of the report: the measure, its baseline and the largest ratio allowed."""

    name: str
    baseline: str
    target: float
    about: str
    in_process: bool = True


SPECS: tuple[Spec, ...] = (
    Spec("timer_panel_load", "sql_open_clocks", 3, "every open clock: deadlines(ctx, NOW)"),
    Spec("table_overdue_only", "table_filter_village", 3, "the case table with 只看超时 ticked"),
    Spec("stats_year_by_village", "sql_year_by_village", 3, "statistics(by='village') over the year"),
    Spec("statistics_screen_year", "sql_year_by_village", 6, "figures(): the statistics screen for the year"),
    Spec("assessment_year", "sql_year_by_village", 6, "assess(): the year-end assessment"),
    Spec("meeting_agenda_week", "sql_year_by_village", 6, "build_agenda() for NOW's ISO week"),
    Spec("table_search_text", "sql_like_summary", 2, f"count + first page of a search for {SEARCH_WORD}"),
    Spec("slip_pdf", "reportlab_bare_page", 3, "one dispatch slip to PDF"),
    Spec("import_10k_xlsx", "openpyxl_read_only", 3, "importing a police transfer sheet"),
    Spec("cold_start_to_painted_table", "bare_table_window", 2.5,
         "process start to the case table painted with rows", in_process=False),
    Spec("ui_stall_max", "fixed_100ms", 1, "largest gap of a GUI-thread watchdog while working",
         in_process=False),
)
SPEC = {spec.name: spec for spec in SPECS}
FIXED_BASELINES = {"fixed_100ms": 100.0}  # not measured: a stall of 100 ms is what a clerk notices


@dataclass
class Operation:
    """``run`` is timed; ``prepare`` before and ``cleanup`` after each run are not. ``check``
    is given the result of the first run and raises when the operation did not do its work."""

    run: Callable[[], Any]
    prepare: Callable[[], None] = lambda: None
    cleanup: Callable[[], None] = lambda: None
    check: Callable[[Any], None] = lambda _result: None


def year_bounds_utc() -> tuple[datetime, datetime]:
    """The year's [start, end) as the store keeps instants: naive UTC (store/models.UTCDateTime),
    from the same local bounds as the statistics (services/stats.period_bounds)."""
    low, high = stats.period_bounds(YEAR_START, YEAR_END)
    assert low is not None and high is not None
    return low.astimezone(UTC).replace(tzinfo=None), high.astimezone(UTC).replace(tzinfo=None)


# ---- the program's operations ---------------------------------------------------------------


def timer_panel_load(ctx: AppContext) -> object:
    return deadline_service.deadlines(ctx, NOW)


def overdue_only(ctx: AppContext) -> object:
    """What the case table reads when 只看超时 is ticked (CaseTableModel.refresh): a count and
    the first page of the cases with a clock overdue now, as for any other filter."""
    return count_and_page(ctx, CaseFilter(overdue_at=NOW))


def count_and_page(ctx: AppContext, filters: CaseFilter) -> tuple[int, list]:
    """What the case table does on a new filter (CaseTableModel.refresh): count, first page."""
    return queries.count_cases(ctx, filters), queries.page_cases(ctx, filters, limit=PAGE)


def stats_year_by_village(ctx: AppContext) -> object:
    return stats.statistics(ctx, by="village", start=YEAR_START, end=YEAR_END)


def statistics_screen_year(ctx: AppContext) -> object:
    return figures.figures(ctx, YEAR_START, YEAR_END)


def assessment_year(ctx: AppContext) -> object:
    return assessment.assess(ctx, YEAR)


def meeting_agenda_week(ctx: AppContext) -> object:
    return meeting.build_agenda(ctx, WEEK)


def search_text(ctx: AppContext) -> tuple[int, list]:
    return count_and_page(ctx, CaseFilter(text=SEARCH_WORD))


def first_village(ctx: AppContext) -> str:
    return queries.units(ctx, UnitKind.VILLAGE, UnitKind.COMMUNITY)[0].name


# ---- the baselines --------------------------------------------------------------------------


def sql_open_clocks(ctx: AppContext) -> list:
    """The stored open clocks, every column, and nothing else."""
    with ctx.db.engine.connect() as connection:
        return list(connection.execute(text(f"SELECT {', '.join(CLOCK_COLUMNS)} FROM case_clocks "
                                            "WHERE done_at IS NULL")).fetchall())


def sql_year_by_village(ctx: AppContext) -> dict[str, int]:
    """The year's cases counted by village in one GROUP BY."""
    low, high = year_bounds_utc()
    statement = text("SELECT village, count(*) FROM cases WHERE received_at >= :a AND received_at < :b "
                     "GROUP BY village").bindparams(bindparam("a", type_=DateTime()), bindparam("b", type_=DateTime()))
    with ctx.db.engine.connect() as connection:
        return {village: count for village, count in connection.execute(statement, {"a": low, "b": high})}


def sql_like_summary(ctx: AppContext, word: str = SEARCH_WORD) -> tuple[int, list]:
    """The search's count and first page as a plain LIKE on the summary, in the table's order."""
    pattern = {"p": f"%{word}%"}
    with ctx.db.engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM cases WHERE summary LIKE :p"), pattern).scalar_one()
        page = list(connection.execute(text(f"SELECT {', '.join(PAGE_COLUMNS)} FROM cases WHERE summary LIKE :p "
                                            f"ORDER BY received_at DESC, id DESC LIMIT {PAGE}"), pattern).fetchall())
    return count, page


def bare_pdf_page(font_name: str, out: Path) -> None:
    """One A4 page with one line of Chinese in ``font_name``, saved (the font subset embedded)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(out), pagesize=A4)
    page.setFont(font_name, 14)
    page.drawString(72, 760, SLIP_LINE)
    page.save()


def register_bare_font(font: fonts.PaperFont) -> str:
    """The program's paper font file as a plain reportlab ``TTFont`` under the baseline's own
    name; the fallback CID font when the program has no file to embed.

    Not through ``pdfmetrics.registerFont``: it hands back the first font registered for a
    face, which is the program's own ``EmbeddedFont`` (its kept subsets, its cutter, its quick
    deflating), and a baseline drawn with the program's machinery is no bare page. Until
    2026-12-01 the baseline went that way and got faster with every change to the program's
    font (1.6 ms then 1.1, where a plain reportlab page takes 1.4)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not font.embedded or not font.path:
        return font.name
    name = "BenchmarkCJK-" + hashlib.sha1(font.path.encode()).hexdigest()[:8]
    registry = vars(pdfmetrics)["_fonts"]  # reportlab's registry by name (the stubs leave it out)
    if type(registry.get(name)) is not TTFont:
        registry[name] = TTFont(name, font.path, subfontIndex=0)  # see above: by name only
    return name


def openpyxl_read(path: Path) -> int:
    """Every cell value of the sheet through openpyxl's read-only mode; the rows read."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


# ---- the transfer sheet ---------------------------------------------------------------------

HEADER = ["警情编号", "报警时间", "报警人", "联系电话", "事发地点", "所属村（社区）", "简要警情", "处警民警",
          "转交时间", "转交派出所"]
SUMMARIES = ("报警人称与邻居因排水沟堵塞发生口角，要求协调。", "楼上漏水渗到楼下，双方就维修费用争执。",
             "两户因地界石被挪动争吵，未动手。", "报警人称儿子儿媳不支付赡养费。", "装修噪音扰民，双方发生争执。")
CALLERS = ("甄大勇", "贾秀兰", "柏小红", "蒋一鸣", "韩冬梅", "杨春生")


def transfer_sheet(folder: Path, villages: list[str], stations: list[str], rows: int = IMPORT_ROWS) -> Path:
    """A police transfer list of ``rows`` sound, distinct rows in the station's format
    (resources/samples/transfers_sample.xlsx: a title row, the header, Excel date-time cells),
    written once and kept next to the databases; received over the 30 days before NOW."""
    key = hashlib.sha1("|".join([*villages, "/", *stations, str(NOW), *HEADER, *SUMMARIES, *CALLERS]).encode()
                       ).hexdigest()[:8]
    path = folder / f"transfers-{rows}-{key}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("转交清单")
    sheet.append([f"{stations[0]}非警务警情转交清单"])
    sheet.append(HEADER)
    span = timedelta(days=30).total_seconds()
    for i in range(rows):
        received = (NOW - timedelta(seconds=span * (rows - i) / rows + 60)).replace(tzinfo=None, microsecond=0)
        received = received.replace(second=0)
        village = villages[i % len(villages)]
        sheet.append([f"JB{NOW:%Y%m%d}{i:06d}", received - timedelta(minutes=20), CALLERS[i % len(CALLERS)],
                      f"13{i:09d}", f"{village}{i}号", village, SUMMARIES[i % len(SUMMARIES)], "李警官", received,
                      stations[i % len(stations)]])
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    workbook.save(partial)
    partial.replace(path)
    return path


# ---- everything on one database -------------------------------------------------------------


class Bench:
    """The operations and baselines on one open database, by name; ``close`` drops the scratch
    copies still there."""

    def __init__(self, ctx: AppContext, url: str, folder: Path, *, import_rows: int = IMPORT_ROWS):
        self.ctx, self.url, self.folder, self.import_rows = ctx, url, folder, import_rows
        # This run's scratch copies and PDFs, beside the kept databases (a copy stays on one disk).
        self.work = folder / f"run-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.work.mkdir(parents=True)
        self.scratch = Scratch(url, self.work, release=ctx.db.dispose)
        self._open: list[tuple[str, AppContext]] = []

    def operation(self, name: str) -> Operation:
        ctx = self.ctx
        simple: dict[str, Callable[[], object]] = {
            "timer_panel_load": lambda: timer_panel_load(ctx),
            "table_overdue_only": lambda: overdue_only(ctx),
            "stats_year_by_village": lambda: stats_year_by_village(ctx),
            "statistics_screen_year": lambda: statistics_screen_year(ctx),
            "assessment_year": lambda: assessment_year(ctx),
            "meeting_agenda_week": lambda: meeting_agenda_week(ctx),
            "table_search_text": lambda: search_text(ctx),
            "sql_open_clocks": lambda: sql_open_clocks(ctx),
            "sql_year_by_village": lambda: sql_year_by_village(ctx),
            "sql_like_summary": lambda: sql_like_summary(ctx),
        }
        if name in simple:
            return Operation(simple[name])
        if name == "table_filter_village":
            wanted = CaseFilter(villages=[first_village(ctx)])
            return Operation(lambda: count_and_page(ctx, wanted))
        if name == "slip_pdf":
            return self._slip()
        if name == "reportlab_bare_page":
            font_name = register_bare_font(fonts.font_for(ctx))
            out = self.work / "baseline-page.pdf"
            return Operation(lambda: bare_pdf_page(font_name, out))
        if name == "import_10k_xlsx":
            return self._import()
        if name == "openpyxl_read_only":
            sheet = self.sheet()
            return Operation(lambda: openpyxl_read(sheet), check=_expect_rows(self.import_rows + 2))
        raise KeyError(f"no in-process operation named {name!r}")

    def sheet(self) -> Path:
        villages = [u.name for u in queries.units(self.ctx, UnitKind.VILLAGE, UnitKind.COMMUNITY)]
        stations = [u.name for u in queries.units(self.ctx, UnitKind.POLICE_STATION)]
        return transfer_sheet(self.folder, villages, stations, self.import_rows)

    def _context(self) -> AppContext:
        url = self.scratch.make()
        ctx = AppContext.open(url, now=lambda: NOW, user="benchmark")
        self._open.append((url, ctx))
        return ctx

    def _drop_last(self) -> None:
        url, ctx = self._open.pop()
        ctx.db.dispose()
        self.scratch.drop(url)

    def _slip(self) -> Operation:
        """The slip of one dispatched case, as `jingyuan print slip` makes it, on a scratch copy
        (every print is audited: a write)."""
        dispatched = queries.page_cases(self.ctx, CaseFilter(statuses=[Status.DISPATCHED.value]), limit=1)
        case_no = (dispatched or queries.page_cases(self.ctx, CaseFilter(), limit=1))[0].case_no
        ctx = self._context()
        fonts.font_for(ctx)  # the font file is read once per process, at the first print: done here
        out = self.work / "slip.pdf"
        return Operation(lambda: paper.render_slip(ctx, case_no, out))

    def _import(self) -> Operation:
        """The transfer sheet imported into a fresh scratch copy each run; only the import timed."""
        sheet = self.sheet()
        contexts: list[AppContext] = []

        def prepare() -> None:
            contexts.append(self._context())

        def run() -> object:
            return files.import_transfers(contexts[-1], sheet)

        def cleanup() -> None:
            contexts.pop()
            self._drop_last()

        def check(report) -> None:
            if len(report.imported) != self.import_rows:
                raise RuntimeError(f"the import took {len(report.imported)} of {self.import_rows} rows: "
                                   + "; ".join(report.lines()[:3]))

        return Operation(run, prepare, cleanup, check)

    def close(self) -> None:
        while self._open:
            self._drop_last()
        shutil.rmtree(self.work, ignore_errors=True)


def _expect_rows(rows: int) -> Callable[[Any], None]:
    def check(found: Any) -> None:
        if found != rows:
            raise RuntimeError(f"read {found} rows of the sheet, expected {rows}")
    return check

"""The use cases: read the records, build the PDF, write it out, log the print.

Slips and archive forms print personal data unmasked (the team must call the parties; the
archive is the internal record), so every one of them leaves an audit row per case. The
weekly handout leaves the meeting room and is masked; it is logged too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.paper import archive as archive_form
from jingyuan_desktop.services.paper import slip as slip_form
from jingyuan_desktop.services.paper import weekly as weekly_form
from jingyuan_desktop.services.paper.fonts import font_for
from jingyuan_desktop.services.paper.layout import (
    Output,
    PaperResult,
    PrintCancelled,
    new_buffer,
    output_name,
    record_print,
    write_output,
)
from jingyuan_desktop.store import repository

# progress(done, total) -> False to cancel; anything else (None included) carries on.
Progress = Callable[[int, int], object]


def _town(ctx: AppContext) -> str:
    return ctx.office().town


def _read_cases(session, case_nos: list[str]):
    found = repository.get_cases(session, case_nos)
    missing = [no for no in case_nos if no not in found]
    if missing:
        raise ServiceError("找不到案件：" + "、".join(missing))
    return [found[no][0] for no in case_nos]


def _load_cases(ctx: AppContext, case_nos: list[str]):
    with ctx.session() as session:
        return _read_cases(session, case_nos)


def render_slip(ctx: AppContext, case_no: str, out: Output) -> PaperResult:
    """The dispatch slip (交办单) of one case, one A4 page with its stub, written to ``out``."""
    return render_slips(ctx, [case_no], out)


def render_slips(ctx: AppContext, case_nos: Iterable[str], out: Output,
                 progress: Progress | None = None) -> PaperResult:
    """The slips of several cases in one PDF, one page each, in the order given.

    ``progress(done, total)`` is called as each page is finished, from the calling thread;
    when it returns False the build stops, nothing is written or logged, and
    ``PrintCancelled`` is raised.
    """
    ctx.require(Permission.PRINT)
    wanted = list(dict.fromkeys(no.strip() for no in case_nos if no and no.strip()))
    if not wanted:
        raise ServiceError("请先选择要打印交办单的案件")
    with ctx.session() as session:  # one read: the cases, the office and the clock settings
        cases = _read_cases(session, wanted)
        office = ctx.office(session)  # the font and the town both come from it
        facts = slip_form.SlipFacts(town=office.town, printed_at=ctx.now(), printed_by=ctx.user,
                                    settings=ctx.clock_settings(session))
    font = font_for(ctx, office)

    def page_done(page: int) -> None:
        if progress is not None and progress(page, len(cases)) is False:
            raise PrintCancelled()

    if progress is not None and progress(0, len(cases)) is False:
        raise PrintCancelled()
    buffer = new_buffer()
    title = f"交办单 {wanted[0]}" if len(wanted) == 1 else f"交办单 {len(wanted)} 份"
    pages = slip_form.build_slips(cases, facts, font, buffer, title=title, on_page=page_done)
    # Recorded before the file exists: a printout of citizens' data never leaves unaudited.
    record_print(ctx, "print_slip", "case", wanted,
                 {"unmasked": True, "pages": 1, "batch": len(wanted), "file": output_name(out)})
    write_output(out, buffer.getvalue())
    return PaperResult(pages=pages, font=font, case_nos=tuple(wanted))


def render_archive(ctx: AppContext, case_no: str, out: Output) -> PaperResult:
    """The archive form (档案) of one case: the whole record over as many pages as it needs."""
    ctx.require(Permission.PRINT)
    case = _load_cases(ctx, [case_no.strip()])[0]
    font = font_for(ctx)
    buffer = new_buffer()
    facts = archive_form.ArchiveFacts(town=_town(ctx), printed_at=ctx.now(), printed_by=ctx.user,
                                      calendar=ctx.calendar(), settings=ctx.clock_settings())
    pages = archive_form.build_archive(case, facts, font, buffer)
    # Recorded before the file exists: a printout of citizens' data never leaves unaudited.
    record_print(ctx, "print_archive", "case", [case.case_no],
                 {"unmasked": True, "pages": pages, "file": output_name(out)})
    write_output(out, buffer.getvalue())
    return PaperResult(pages=pages, font=font, case_nos=(case.case_no,))


def render_weekly(ctx: AppContext, week: str | None, out: Output) -> PaperResult:
    """The weekly meeting handout (周例会材料) for ISO week ``week`` ("2026-W47"; None: this week).

    Citizens' names are masked and no phone number is printed: the handout leaves the room.
    """
    ctx.require(Permission.PRINT)
    span = weekly_form.week_span(week, ctx.now())
    font = font_for(ctx)
    content = weekly_form.gather(ctx, span)
    buffer = new_buffer()
    pages = weekly_form.build_weekly(content, _town(ctx), font, buffer, printed_at=ctx.now(), printed_by=ctx.user)
    # Recorded before the file exists: a printout of citizens' data never leaves unaudited.
    record_print(ctx, "print_weekly", "report", [span.label],
                 {"unmasked": False, "pages": pages, "cases": len(content.transfers), "file": output_name(out)})
    write_output(out, buffer.getvalue())
    return PaperResult(pages=pages, font=font, case_nos=tuple(c.case_no for c in content.transfers))

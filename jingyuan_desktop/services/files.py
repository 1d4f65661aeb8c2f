"""Import and export against the database: police transfer lists, exchange files, the ledger."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.repeats import Link
from jingyuan_desktop.os_errors import write_refusal
from jingyuan_desktop.services import exchange, ledger, transfers
from jingyuan_desktop.services.cases import (
    IntakeResult,
    find_repeat_for,
    reference_data,
    repeat_index,
    validate_intake,
)
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.progress import ProgressCallback, Tally
from jingyuan_desktop.services.stats import period_bounds
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.sqlite_files import make_private


@dataclass
class TransferReport:
    """What became of each row of a police transfer list."""

    imported: list[IntakeResult] = field(default_factory=list)
    errors: list[transfers.RowError] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (row, 警情编号)
    skipped_invalid: bool = False

    @property
    def rejected(self) -> bool:
        return bool(self.errors)

    def lines(self) -> list[str]:
        out = transfers.format_errors(self.errors)
        out += [f"第{row}行：警情编号 {no} 已在数据库中，跳过" for row, no in self.duplicates]
        out += [f"{r.case_no} 与 {r.repeat_of} 重复报警（{r.repeat_reason}）" for r in self.imported if r.repeat_of]
        return out

    def summary(self) -> str:
        if self.errors and not self.skipped_invalid:
            return (f"有 {len(self.errors)} 行有问题，未导入任何案件。"
                    "改正后重新导入，或加 --skip-invalid 只导入没有问题的行。")
        text = f"已导入 {len(self.imported)} 个案件"
        if self.duplicates:
            text += f"，跳过已存在的 {len(self.duplicates)} 个"
        if self.errors:
            text += f"，另有 {len(self.errors)} 行有问题未导入"
        return text + "。新案件为“未分类”，请尽快分类交办。"


# A number a case of an import carries until the write draws its real one.
PROVISIONAL = "待编号-"


def import_transfers(ctx: AppContext, path: Path, *, skip_invalid: bool = False,
                     progress: ProgressCallback | None = None) -> TransferReport:
    """Import a police transfer list; all or nothing unless ``skip_invalid``.

    Incident numbers already in the database are skipped and reported, not rejected, so the
    same day's list can be imported again safely. Everything is read, checked and linked to
    earlier cases first, without holding the database's write lock; then one short write
    draws the numbers as a block and stores every case with its audit row. Other PCs see all
    of the list or none of it, and can keep saving while it is being checked.
    ``progress(done, total)`` follows the checking, where a cancel still leaves nothing behind.
    """
    ctx.require(Permission.IMPORT)
    with _cycle_collection_paused():
        return _import_transfers(ctx, Path(path), skip_invalid=skip_invalid, progress=progress)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's collector of reference cycles paused for the length of an import, and resumed
    as it was after (nothing is collected then: it runs again as usual).

    An import keeps every row it builds until it is written, so the collector's full passes,
    which walk every live object each time, grew with it: at 10,000 rows against 100,000
    stored cases they were eight, about 0.7 s of a 4 s import. What the import builds and
    drops is freed by reference counting all the same; cycles (none are made on purpose) wait
    the few seconds."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import_transfers(ctx: AppContext, path: Path, *, skip_invalid: bool,
                      progress: ProgressCallback | None) -> TransferReport:
    office = ctx.office()
    settings = ctx.clock_settings()
    report = TransferReport(skipped_invalid=skip_invalid)
    ready: list[tuple[Case, Link | None]] = []
    with ctx.session() as session:  # reads only
        refs = reference_data(session)
        batch = transfers.read_transfers(
            path, villages=set(refs.villages), stations=set(refs.stations), default_category=UNCLASSIFIED
        )
        report.errors = list(batch.errors)
        if report.errors and not skip_invalid:
            return report
        known = repository.police_incident_exists(session, [c.police_incident_no for _, c in batch.cases])
        index, whole = repeat_index(session, [c for _, c in batch.cases], settings)
        tally = Tally(progress, len(batch.cases))
        for number, (row, case) in enumerate(batch.cases):
            tally.step()
            if case.police_incident_no in known:
                report.duplicates.append((row, case.police_incident_no))
                continue
            problems = validate_intake(case, refs)
            if problems:
                report.errors.append(transfers.RowError(row, "；".join(problems.values())))
                continue
            case.case_no = f"{PROVISIONAL}{number}"
            link = find_repeat_for(session, case, settings, index, whole)
            if link:
                case.repeat_of = link.earlier.case_no
                case.risk = link.raised(case.risk)
            index.add(case)
            ready.append((case, link))
        tally.finish()
    if report.errors and not skip_invalid:
        return report
    with ctx.session() as session:  # the one short write
        numbers: dict[str, str] = {}
        years: dict[int, list[Case]] = {}
        for case, _link in ready:
            years.setdefault(local(case.received_at).year, []).append(case)
        for year, cases in sorted(years.items()):
            drawn = repository.reserve_case_nos(session, office.case_no_prefix, year, len(cases))
            numbers.update((case.case_no, no) for case, no in zip(cases, drawn, strict=True))
        for case, _link in ready:
            case.case_no = numbers[case.case_no]
            case.repeat_of = numbers.get(case.repeat_of, case.repeat_of)
        repository.add_new_cases(session, [case for case, _link in ready], user=ctx.user, at=ctx.now())
    report.imported = [IntakeResult(case.case_no, case.repeat_of, link.reason if link else "",
                                    link.relapse if link else False) for case, link in ready]
    return report


def import_cases(ctx: AppContext, path: Path) -> int:
    """Import an exchange file into the database; nothing is imported if any case is refused."""
    ctx.require(Permission.IMPORT)
    document = exchange.load_document(Path(path))
    office = ctx.office()
    with ctx.session() as session:
        refs = reference_data(session)
        cases = exchange.document_to_cases(
            document, villages=set(refs.villages), categories=set(refs.categories) | {UNCLASSIFIED},
            stations=set(refs.stations),
        )
        problems = []
        numbers = [c.case_no for c in cases if c.case_no]
        incidents = [c.police_incident_no for c in cases if c.police_incident_no]
        for no in repository.existing_case_nos(session, numbers):
            problems.append(f"案件编号 {no} 已在数据库中")
        for no in repository.police_incident_exists(session, incidents):
            problems.append(f"警情编号 {no} 已在数据库中")
        if problems:
            raise exchange.ExchangeError(problems)
        for case in cases:
            if not case.case_no:
                year = local(case.received_at).year
                case.case_no = repository.next_case_no(session, office.case_no_prefix, year)
            repository.add_case(session, case, user=ctx.user, at=ctx.now())
    return len(cases)


def output_file(path: Path | str) -> Path:
    """The file an export is written to, refused in Chinese when it cannot be one: a folder
    given instead of a file name, or a folder that does not exist."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ServiceError(f"“{target}”是一个文件夹，请在后面写上要保存的文件名")
    if not target.parent.is_dir():
        raise ServiceError(f"文件夹“{target.parent}”不存在，请先建立它，或换一个保存位置")
    return target


def _write_failed(target: Path, error: OSError) -> ServiceError:
    return ServiceError(write_refusal(target, error))


def export_cases(ctx: AppContext, out: Path) -> int:
    """Write every case with its timeline to an exchange file; returns the number of cases."""
    ctx.require(Permission.EXPORT_CASES)
    target = output_file(out)
    counter = _Counter()
    with ctx.session() as session:  # every phone and ID number leaves: recorded before the file is
        repository.write_audit(session, user=ctx.user, action="export_cases", entity="cases", entity_id=str(target),
                               before=None, after=None, at=ctx.now())
    with ctx.session() as session:
        document = exchange.cases_to_document(counter.wrap(repository.iter_cases(session)))
        try:
            exchange.dump_document(document, target)
        except OSError as error:
            raise _write_failed(target, error) from None
    make_private(target)
    return counter.count


def export_ledger(ctx: AppContext, out: Path, *, start: date | None = None, end: date | None = None,
                  unmasked: bool = False) -> int:
    """The 台账 of cases received in [start, end].

    The export is written to the audit log first, in its own transaction (an unmasked one as
    such): if that cannot be recorded (a read-only database, say), no file is written.
    """
    ctx.require(Permission.EXPORT_UNMASKED if unmasked else Permission.EXPORT_LEDGER)
    target = output_file(out)
    low, high = period_bounds(start, end)
    counter = _Counter()
    period = f"{start or '最早'} 至 {end or '今'}"
    with ctx.session() as session:  # every export is recorded, before its file exists
        repository.write_audit(
            session, user=ctx.user, action="export_unmasked" if unmasked else "export_ledger", entity="ledger",
            entity_id=str(target), before=None, after={"from": str(start or ""), "to": str(end or "")}, at=ctx.now(),
        )
    with ctx.session() as session:
        cases = counter.wrap(repository.iter_cases(session, received_from=low, received_to=high))
        try:
            ledger.write_ledger(target, cases, masked=not unmasked, period=period)
        except OSError as error:
            raise _write_failed(target, error) from None
    if unmasked:
        make_private(target)
    return counter.count


class _Counter:
    def __init__(self):
        self.count = 0

    def wrap(self, items):
        for item in items:
            self.count += 1
            yield item

"""The prevention registers written out as sheets (issue 14): grids, persons, key persons and
the patrol log, as .xlsx or .csv with the column names ``sheets`` reads, so an exported file can
be imported again. Persons are masked unless the account may export unmasked data; every export
is audited before its file exists, and files with personal data are made private.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import local
from jingyuan_desktop.domain.prevention import (
    Citizen,
    KeyPerson,
    KeyPersonVisit,
    type_label,
)
from jingyuan_desktop.domain.privacy import (
    mask_id_number,
    mask_name,
    mask_people_in_text,
    mask_phone,
)
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.files import _write_failed, output_file
from jingyuan_desktop.services.prevention import records
from jingyuan_desktop.services.prevention.sheets import (
    GRID_COLUMNS,
    KEY_PERSON_COLUMNS,
    PATROL_COLUMNS,
    PERSON_COLUMNS,
    Column,
)
from jingyuan_desktop.store import prevention as store
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.prevention_models import CitizenModel
from jingyuan_desktop.store.sqlite_files import make_private


def _target(out: Path | str) -> Path:
    target = output_file(out)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        raise ServiceError(f"只能导出为.xlsx或.csv文件：{target.name}")
    return target


def _audit_export(ctx: AppContext, entity: str, target: Path, unmasked: bool, after: dict | None = None) -> None:
    """Every export is recorded before its file is written: if that fails, no file."""
    with ctx.session() as session:
        repository.write_audit(session, user=ctx.user, action="export_unmasked" if unmasked else f"export_{entity}",
                               entity=entity, entity_id=str(target), before=None,
                               after={"masked": not unmasked, **(after or {})}, at=ctx.now())


def write_table(target: Path, columns: Iterable[Column], rows: Iterable[list[Any]]) -> int:
    """Write a header and rows as .xlsx or .csv (UTF-8 with BOM, which Excel opens as is);
    dates and times as Excel dates in .xlsx, as text in .csv. Returns the rows written."""
    headers = [c.label for c in columns]
    count = 0
    try:
        if target.suffix.lower() == ".csv":
            with open(target, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out, lineterminator="\r\n")
                writer.writerow(headers)
                for row in rows:
                    writer.writerow([_csv_cell(v) for v in row])
                    count += 1
            return count
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.utils import get_column_letter

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(header) + 2)
        sheet.append(headers)
        for row in rows:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, datetime):
                    cell = WriteOnlyCell(sheet, value=local(value).replace(tzinfo=None))
                    cell.number_format = "yyyy-mm-dd hh:mm"
                    cells.append(cell)
                elif isinstance(value, date):
                    cell = WriteOnlyCell(sheet, value=datetime.combine(value, time(0, 0)))
                    cell.number_format = "yyyy-mm-dd"
                    cells.append(cell)
                else:
                    cells.append(ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)
            sheet.append(cells)
            count += 1
        workbook.save(target)
    except OSError as error:
        raise _write_failed(target, error) from None
    return count


def _csv_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def export_grids(ctx: AppContext, out: Path | str) -> int:
    """The grids with heads, workers and joint-defence points, as the grid sheet is imported."""
    ctx.require(Permission.EXPORT_LEDGER)
    target = _target(out)
    _audit_export(ctx, "grids", target, unmasked=False)
    with ctx.session() as session:
        grids = store.list_grids(session)
        points: dict[tuple[str, str], list[str]] = {}
        for point in store.list_joint_points(session):
            points.setdefault((point.village, point.grid), []).append(point.name)
    rows = ([g.village, g.name, g.head, "、".join(g.workers), "、".join(points.get((g.village, g.name), [])),
             g.since] for g in grids)
    return write_table(target, GRID_COLUMNS.values(), rows)


def export_persons(ctx: AppContext, out: Path | str, *, unmasked: bool = False) -> int:
    """Every person on record; names, phones and ID numbers masked (addresses left out) unless
    ``unmasked``, which needs the permission to export unmasked data."""
    ctx.require(Permission.EXPORT_UNMASKED if unmasked else Permission.EXPORT_LEDGER)
    target = _target(out)
    _audit_export(ctx, "citizens", target, unmasked)
    with ctx.session() as session:
        citizens = [store.citizen_from_row(row) for row in session.scalars(
            select(CitizenModel).order_by(CitizenModel.village, CitizenModel.name, CitizenModel.id))]
    rows = ([*_person_cells(c, unmasked), c.village, c.grid, c.address if unmasked else ""] for c in citizens)
    count = write_table(target, PERSON_COLUMNS.values(), rows)
    make_private(target)
    return count


def _person_cells(citizen: Citizen, unmasked: bool) -> list[str]:
    if unmasked:
        return [citizen.name, citizen.id_number, citizen.phone]
    return [mask_name(citizen.name), mask_id_number(citizen.id_number), mask_phone(citizen.phone)]


@dataclass(frozen=True)
class RegisterLine:
    """A key person as the register's list and export show it: the entry, the person's record,
    and the last visit."""

    entry: KeyPerson
    citizen: Citizen
    last_visit: KeyPersonVisit | None


def register_lines(ctx: AppContext, *, unmasked: bool = False, include_ended: bool = False,
                   target: Path | None = None) -> list[RegisterLine]:
    """The key-person register with each person's record, for roles allowed to see it; an
    unmasked look needs the permission to see unmasked data. Audited as every look at the
    register is (a look, or an export to ``target``), in the transaction that reads it."""
    ctx.require(Permission.KEY_PERSONS)
    if unmasked:
        ctx.require(Permission.EXPORT_UNMASKED)
    today = local(ctx.now()).date()
    with ctx.session() as session:
        entries = store.list_key_persons(session, include_ended=include_ended, on=today)
        last: dict[int, KeyPersonVisit] = {}
        for visit in store.list_visits(session, [e.id for e in entries if e.id is not None]):
            last[visit.key_person_id] = visit  # ordered by time: the last one stays
        lines = [RegisterLine(e, store.get_citizen(session, e.citizen_id), last.get(e.id or 0)) for e in entries]
        if target is None:
            action, after = ("view_unmasked" if unmasked else "view"), {}
        else:
            action, after = ("export_unmasked" if unmasked else "export_key_persons"), {"file": str(target)}
        repository.write_audit(session, user=ctx.user, action=action, entity="key_person",
                               entity_id=",".join(str(e.id) for e in entries)[:2000] or "（空）", before=None,
                               after={"count": len(entries), "masked": not unmasked, **after}, at=ctx.now())
    return lines


def export_key_persons(ctx: AppContext, out: Path | str, *, unmasked: bool = False) -> int:
    """The register in force, in the columns it is imported by; masked unless ``unmasked``.
    Needs the register's permission; audited in every case, before the file is written."""
    ctx.require(Permission.KEY_PERSONS)
    ctx.require(Permission.EXPORT_UNMASKED if unmasked else Permission.EXPORT_LEDGER)
    target = _target(out)
    lines = register_lines(ctx, unmasked=unmasked, target=target)
    rows = ([*_person_cells(line.citizen, unmasked), line.entry.village, line.entry.grid,
             type_label(line.entry.type), line.entry.responsible,
             line.entry.measures if unmasked else mask_people_in_text(line.entry.measures, [line.citizen.name]),
             line.entry.visit_days, line.entry.since,
             line.entry.note if unmasked else mask_people_in_text(line.entry.note, [line.citizen.name])]
            for line in lines)
    count = write_table(target, KEY_PERSON_COLUMNS.values(), rows)
    make_private(target)
    return count


def export_patrols(ctx: AppContext, out: Path | str, *, start: date | None = None, end: date | None = None,
                   unmasked: bool = False) -> int:
    """The patrol log from ``start`` to ``end`` (days included), oldest first; ID and mobile
    numbers in the findings masked unless ``unmasked``."""
    ctx.require(Permission.EXPORT_UNMASKED if unmasked else Permission.EXPORT_LEDGER)
    target = _target(out)
    _audit_export(ctx, "patrols", target, unmasked, {"from": str(start or ""), "to": str(end or "")})
    found = records.patrols(ctx, start, end)
    rows = ([p.at, p.worker, p.role.label, p.village, p.grid, p.households,
             p.findings if unmasked else mask_people_in_text(p.findings, []), p.case_no or ""] for p in found)
    count = write_table(target, PATROL_COLUMNS.values(), rows)
    if unmasked:
        make_private(target)
    return count

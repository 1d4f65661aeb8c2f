"""Villages and communities, with their secretaries, from a sheet the office keeps in Excel."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.enums import PersonRole, UnitKind
from jingyuan_desktop.domain.model import Person, Unit
from jingyuan_desktop.domain.privacy import is_valid_phone
from jingyuan_desktop.services.admin.names import VILLAGE_KINDS
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.sheets import SheetError, cell_text, find_header, read_rows
from jingyuan_desktop.store import repository

# Header spellings (as ``sheets.header_key``s) -> column.
SHEET_HEADERS = {"名称": "name", "村(社区)": "name", "村(社区)名称": "name", "单位名称": "name",
                 "类型": "kind", "书记": "secretary", "书记姓名": "secretary",
                 "电话": "phone", "书记电话": "phone", "联系电话": "phone"}
KIND_WORDS = {"村": UnitKind.VILLAGE, "行政村": UnitKind.VILLAGE, "村委会": UnitKind.VILLAGE,
              "社区": UnitKind.COMMUNITY, "居委会": UnitKind.COMMUNITY}
HEADER_SEARCH_ROWS = 10
PROBLEMS_SHOWN = 20


@dataclass
class UnitSheet:
    """What a villages sheet holds: the units, and the secretaries given with them."""

    units: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def read_units_sheet(path: Path | str) -> UnitSheet:
    """Read villages and communities from an .xlsx or .csv with the headers 名称, 类型 (村/社区)
    and optionally 书记, 电话; every problem is reported with its row, and nothing is kept."""
    path = Path(path)
    try:
        rows = read_rows(path)
    except SheetError as error:
        raise ServiceError(error.message) from None
    found = find_header(rows, SHEET_HEADERS, within=HEADER_SEARCH_ROWS, needs=("name",))
    if found is None:
        raise ServiceError(f"“{path.name}”中找不到表头：前{HEADER_SEARCH_ROWS}行里没有“名称”一列。"
                           "请使用 名称、类型、书记、电话 作表头。")
    header_row, columns = found
    sheet, problems, seen = UnitSheet(), [], set()
    for number, cells in rows:
        if number <= header_row:
            continue
        values = _values(cells, columns)
        name = values.get("name", "")
        if not name:
            if any(values.values()):
                problems.append(f"第{number}行：缺少名称")
            continue
        kind_text = values.get("kind", "")
        kind = KIND_WORDS.get(kind_text) if kind_text else (
            UnitKind.COMMUNITY if name.endswith("社区") else UnitKind.VILLAGE)
        if kind is None:
            problems.append(f"第{number}行：类型“{kind_text}”应为“村”或“社区”")
            continue
        if name in seen:
            problems.append(f"第{number}行：“{name}”重复")
            continue
        seen.add(name)
        sheet.units.append(Unit(name, kind))
        secretary, phone = values.get("secretary", ""), values.get("phone", "")
        if phone and not is_valid_phone(phone):
            problems.append(f"第{number}行：“{phone}”不是有效的电话号码")
        elif secretary:
            sheet.people.append(Person(secretary, PersonRole.SECRETARY, name, phone))
        elif phone:
            problems.append(f"第{number}行：填写了电话但没有书记姓名")
    if problems:
        shown = "\n".join(problems[:PROBLEMS_SHOWN]) + ("\n……" if len(problems) > PROBLEMS_SHOWN else "")
        raise ServiceError(f"“{path.name}”有{len(problems)}处问题，未导入：\n{shown}")
    if not sheet.units:
        raise ServiceError(f"“{path.name}”中没有村（社区）")
    return sheet


def _values(cells: list[Any], columns: dict[str, int]) -> dict[str, str]:
    """The text of each known column of one row; a short row lacks its last cells."""
    return {key: cell_text(cells[index]) if index < len(cells) else "" for key, index in columns.items()}


def import_units_sheet(ctx: AppContext, path: Path | str) -> int:
    """Enter the villages and communities of a sheet (see ``read_units_sheet``) with their
    secretaries; returns how many units it held. All of it or, on any problem, none of it."""
    ctx.require(Permission.EDIT_REFERENCE)
    sheet = read_units_sheet(path)
    now = ctx.now()
    with ctx.session() as session:
        existing = {u.name: u for u in repository.list_units(session, include_inactive=True)}
        order = len(existing)
        for unit in sheet.units:
            known = existing.get(unit.name)
            if known is not None and known.kind not in VILLAGE_KINDS:
                raise ServiceError(f"“{unit.name}”已作为{known.kind.label}登记，不能再作为村（社区）导入")
            repository.upsert_unit(session, unit, sort_order=None if known else order, user=ctx.user, at=now)
            order += 0 if known else 1
        session.flush()
        for person in sheet.people:
            repository.upsert_person(session, person, user=ctx.user, at=now)
    return len(sheet.units)

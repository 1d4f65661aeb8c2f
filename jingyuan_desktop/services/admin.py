"""Base data and settings the office edits: units, people, categories, clocks, calendar, office.

Each function checks what it is given, refuses in Chinese, and writes through the repository
in one transaction, so that every change leaves its audit row. Names that cases carry as text
(the village, the category) are never changed under existing cases: a rename that would cut
cases off from their unit or category is refused with the way round it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, time
from pathlib import Path

from jingyuan_desktop.domain.categories import UNCLASSIFIED, CategoryTree
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import DomainError, PersonRole, UnitKind
from jingyuan_desktop.domain.model import Person, Unit
from jingyuan_desktop.domain.privacy import is_valid_phone
from jingyuan_desktop.services import transfers
from jingyuan_desktop.services.context import (
    CLOCK_SETTINGS_KEY, DEFAULT_OFFICE, OFFICE_SETTINGS_KEY, AppContext, ServiceError,
)
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.repository import CaseFilter

VILLAGE_KINDS = (UnitKind.VILLAGE, UnitKind.COMMUNITY)
NAME_LIMIT = 100  # the width of the name columns
OFFICE_FIELDS = ("town", "case_no_prefix", "archive_no_prefix", "require_leader_for_red", "paper_font")
FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
# Numbers of ClockSettings that may be 0: no grace after an agreed time, a same-day visit or feedback.
MAY_BE_ZERO = frozenset({"follow_up_grace_minutes", "return_visit_working_days", "police_feedback_working_days"})
CLOCK_LIMITS = {"minutes": 7 * 24 * 60, "days": 366, "other": 100}


def _name(text: str | None, what: str) -> str:
    name = (text or "").strip()
    if not name:
        raise ServiceError(f"请填写{what}")
    if len(name) > NAME_LIMIT:
        raise ServiceError(f"{what}“{name[:20]}…”太长（最多{NAME_LIMIT}字）")
    return name


# ---- units --------------------------------------------------------------------------------
def save_unit(ctx: AppContext, unit: Unit, *, active: bool = True, old_name: str | None = None) -> None:
    """Add a unit (``old_name`` None), or change the unit now called ``old_name``.

    A rename adds the unit under its new name, moves its people there and deactivates the
    old name, so nothing is deleted. It is refused when cases carry the old name: a
    village's cases name it (the repository can count those); a police station's or a
    department's use cannot be counted, so those are renamed only while there are no cases.
    """
    name = _name(unit.name, "名称")
    kind = UnitKind(unit.kind)
    old = (old_name or "").strip() or None
    now = ctx.now()
    with ctx.session() as session:
        existing = {u.name: u for u in repository.list_units(session, include_inactive=True)}
        active_names = {u.name for u in repository.list_units(session)}
        if old is None and name in active_names:
            raise ServiceError(f"“{name}”已存在，请勿重复添加")
        if old is not None and old not in existing:
            raise ServiceError(f"找不到单位“{old}”，请刷新后重试")
        if old is not None and old != name:
            if name in existing:
                hint = "（已停用，可直接启用原记录）" if name not in active_names else ""
                raise ServiceError(f"“{name}”已存在{hint}，不能改成这个名称")
            _refuse_rename(session, existing[old], name)
            _rename_unit(session, existing[old], Unit(name, kind), list(existing).index(old), active,
                         user=ctx.user, at=now)
            return
        previous = existing.get(name)
        if previous is not None and previous.kind in VILLAGE_KINDS and kind not in VILLAGE_KINDS:
            used = _village_cases(session, name)
            if used:
                raise ServiceError(f"“{name}”名下已有{used}件案件，不能改为{kind.label}")
        order = None if previous is not None else len(existing)
        repository.upsert_unit(session, Unit(name, kind), sort_order=order, active=active, user=ctx.user, at=now)


def _village_cases(session, name: str) -> int:
    return repository.count_cases(session, filters=CaseFilter(villages=[name]))


def _refuse_rename(session, old: Unit, new_name: str) -> None:
    if old.kind in VILLAGE_KINDS:
        used = _village_cases(session, old.name)
        if used:
            raise ServiceError(
                f"“{old.name}”名下已有{used}件案件，不能改名：改名后这些案件将与统计脱节。"
                f"如确已更名，请新增“{new_name}”，再停用“{old.name}”（原案件仍按原名保留）。")
    elif repository.count_cases(session):
        raise ServiceError(
            f"{old.kind.label}的名称记录在各案件中，有案件后不能直接改名。"
            f"请新增“{new_name}”，再停用“{old.name}”。")


def _rename_unit(session, old: Unit, new: Unit, position: int, active: bool, *, user: str, at) -> None:
    # Placed where the old name stood, so the lists keep the office's order.
    repository.upsert_unit(session, new, sort_order=position, active=active, user=user, at=at)
    working = {p.name for p in repository.list_people(session, unit=old.name)}
    for person in repository.list_people(session, unit=old.name, include_inactive=True):
        moved = Person(person.name, person.role, new.name, person.phone, person.skills)
        repository.upsert_person(session, moved, active=person.name in working, user=user, at=at)
        repository.upsert_person(session, person, active=False, user=user, at=at)
    repository.upsert_unit(session, old, active=False, user=user, at=at)


# ---- people -------------------------------------------------------------------------------
def save_person(ctx: AppContext, person: Person, *, active: bool = True, previous: Person | None = None) -> None:
    """Add or update a person (one per name within a unit).

    ``previous`` is the record being edited: when the name or unit changed, that record is
    deactivated in the same transaction, since past dispatches name the person as they were.
    """
    name = _name(person.name, "姓名")
    role = PersonRole(person.role)
    unit = (person.unit or "").strip() or None
    phone = (person.phone or "").strip()
    if phone and not is_valid_phone(phone):
        raise ServiceError(f"“{phone}”不是有效的电话号码")
    skills = tuple(dict.fromkeys(s.strip() for s in person.skills if s and s.strip()))
    now = ctx.now()
    with ctx.session() as session:
        units = {u.name for u in repository.list_units(session)}
        if unit is not None and unit not in units:
            raise ServiceError(f"未知的单位“{unit}”，请先在单位中添加")
        known = set(repository.category_tree(session).names())
        unknown = [s for s in skills if s not in known]
        if unknown:
            raise ServiceError(f"擅长类别中有未知的类别：{'、'.join(unknown)}")
        clean = Person(name, role, unit, phone, skills)
        repository.upsert_person(session, clean, active=active, user=ctx.user, at=now)
        if previous is not None and (previous.name, previous.unit) != (name, unit):
            repository.upsert_person(session, previous, active=False, user=ctx.user, at=now)


# ---- categories ---------------------------------------------------------------------------
def save_category_tree(ctx: AppContext, tree: dict[str, list[str]]) -> None:
    """Make ``tree`` (major class -> minor classes) the office's category tree.

    Names must be unique across both levels. A class that cases are filed under cannot be
    removed or renamed; the refusal names each such class and how many cases use it.
    """
    clean: dict[str, list[str]] = {}
    for major, minors in tree.items():
        major_name = _name(major, "大类名称")
        clean[major_name] = [_name(minor, f"“{major_name}”下的小类名称") for minor in minors]
    if not clean:
        raise ServiceError("类别不能全部删除，请至少保留一个大类")
    names = [n for major, minors in clean.items() for n in (major, *minors)]
    if UNCLASSIFIED in names:
        raise ServiceError(f"“{UNCLASSIFIED}”是系统保留的名称，请换一个")
    repeated = [n for n, count in Counter(names).items() if count > 1]
    if repeated:
        raise ServiceError(f"类别名称不能重复（大类与小类之间也不能重名）：{'、'.join(repeated)}")
    try:
        CategoryTree(clean)
    except DomainError as error:
        raise ServiceError(error.message) from None
    now = ctx.now()
    with ctx.session() as session:
        removed = [n for n in repository.category_tree(session).names() if n not in set(names)]
        used = [(n, repository.count_cases(session, filters=CaseFilter(categories=[n]))) for n in removed]
        used = [(n, count) for n, count in used if count]
        if used:
            listed = "、".join(f"“{n}”（{count}件）" for n, count in used)
            raise ServiceError(f"以下类别已有案件使用，不能删除或改名：{listed}。"
                               "可以保留原名称，另加新类别供今后使用。")
        repository.replace_category_tree(session, clean, user=ctx.user, at=now)


# ---- clocks, calendar, office -------------------------------------------------------------
# The same words the settings form shows next to each number.
CLOCK_LABELS = {
    "dispatch_office_minutes": "分类交办时限", "arrive_minutes": "到场时限", "follow_up_grace_minutes": "约定后续宽限",
    "return_visit_working_days": "回访时限", "police_feedback_working_days": "反馈派出所时限",
    "supervision_days": "红色案件督办周期", "escalation_failures": "建议升级疑难的调解未成次数",
    "repeat_window_days": "重复报警识别范围",
}


def check_clock_settings(settings: ClockSettings) -> None:
    """Refuse numbers that would make the clocks meaningless; the form calls it before saving."""
    if settings.office_start >= settings.office_end:
        raise ServiceError("上班时间须早于下班时间")
    for item in fields(ClockSettings):
        value = getattr(settings, item.name)
        if isinstance(value, time):
            continue
        lowest = 0 if item.name in MAY_BE_ZERO else 1
        unit = "minutes" if item.name.endswith("minutes") else "days" if item.name.endswith("days") else "other"
        if not lowest <= int(value) <= CLOCK_LIMITS[unit]:
            raise ServiceError(f"{CLOCK_LABELS.get(item.name, item.name)}须在{lowest}到{CLOCK_LIMITS[unit]}之间")


def save_clock_settings(ctx: AppContext, settings: ClockSettings) -> None:
    """Store office hours and every clock's numbers; the clocks use them from the next read."""
    check_clock_settings(settings)
    with ctx.session() as session:
        repository.set_setting(session, CLOCK_SETTINGS_KEY, settings.to_dict(), user=ctx.user, at=ctx.now())


def set_calendar_override(ctx: AppContext, day: date, working: bool | None, note: str = "") -> None:
    """Mark ``day`` a rest day (False) or a make-up working day (True); None removes the entry."""
    if not isinstance(day, date):
        raise ServiceError("请选择日期")
    with ctx.session() as session:
        repository.set_calendar_override(session, day, working, (note or "").strip(), user=ctx.user, at=ctx.now())
    ctx.forget_calendar()


def save_office(ctx: AppContext, **changes) -> dict:
    """Change office settings (town, prefixes, the red-case leader rule, the PDF font); returns them all."""
    unknown = set(changes) - set(OFFICE_FIELDS)
    if unknown:
        raise ServiceError(f"未知的设置项：{'、'.join(sorted(unknown))}")
    clean = dict(changes)
    if "town" in clean:
        clean["town"] = _name(clean["town"], "镇（街道）名称")
    for key, what in (("case_no_prefix", "案件编号前缀"), ("archive_no_prefix", "档案编号前缀")):
        if key in clean:
            prefix = (clean[key] or "").strip().upper()
            if not re.fullmatch(r"[A-Z0-9]{1,10}", prefix):
                raise ServiceError(f"{what}须为1到10位字母或数字，如 {DEFAULT_OFFICE[key]}")
            clean[key] = prefix
    if "require_leader_for_red" in clean:
        clean["require_leader_for_red"] = bool(clean["require_leader_for_red"])
    if "paper_font" in clean:
        clean["paper_font"] = _font_path(clean["paper_font"])
    with ctx.session() as session:
        office = {**DEFAULT_OFFICE, **(repository.get_setting(session, OFFICE_SETTINGS_KEY, {}) or {})}
        office.update(clean)
        repository.set_setting(session, OFFICE_SETTINGS_KEY, office, user=ctx.user, at=ctx.now())
    return office


def _font_path(text: str | None) -> str:
    path = (text or "").strip().strip('"')
    if not path:
        return ""  # the usual fonts of the platform are tried
    if Path(path).suffix.lower() not in FONT_SUFFIXES:
        raise ServiceError("PDF字体须为 .ttf、.ttc 或 .otf 字体文件")
    if not Path(path).is_file():
        raise ServiceError(f"找不到字体文件：{path}")
    return path


# ---- personal data ------------------------------------------------------------------------
def record_reveal(ctx: AppContext, case_no: str, what: str) -> None:
    """Log that the current user was shown ``what`` personal data of case ``case_no`` in full."""
    what = (what or "").strip()
    if not what:
        raise ServiceError("请说明显示了哪项个人信息")
    with ctx.session() as session:
        if not repository.existing_case_nos(session, [case_no]):
            raise ServiceError(f"找不到案件 {case_no}")
        repository.write_audit(session, user=ctx.user, action="reveal", entity="case", entity_id=case_no,
                               before=None, after={"what": what}, at=ctx.now())


# ---- villages from a sheet ----------------------------------------------------------------
SHEET_HEADERS = {"名称": "name", "村(社区)": "name", "村(社区)名称": "name", "单位名称": "name",
                 "类型": "kind", "书记": "secretary", "书记姓名": "secretary",
                 "电话": "phone", "书记电话": "phone", "联系电话": "phone"}
KIND_WORDS = {"村": UnitKind.VILLAGE, "行政村": UnitKind.VILLAGE, "村委会": UnitKind.VILLAGE,
              "社区": UnitKind.COMMUNITY, "居委会": UnitKind.COMMUNITY}


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
        rows = transfers._read_rows(path)
    except DomainError as error:
        raise ServiceError(error.message) from None
    header_row, columns = _sheet_header(rows, path.name)
    sheet, problems, seen = UnitSheet(), [], set()
    for number, cells in rows:
        if number <= header_row:
            continue
        value = lambda key: _cell(cells, columns.get(key))  # noqa: E731
        name = value("name")
        if not name:
            if any(_cell(cells, i) for i in columns.values()):
                problems.append(f"第{number}行：缺少名称")
            continue
        kind_text = value("kind")
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
        secretary, phone = value("secretary"), value("phone")
        if phone and not is_valid_phone(phone):
            problems.append(f"第{number}行：“{phone}”不是有效的电话号码")
        elif secretary:
            sheet.people.append(Person(secretary, PersonRole.SECRETARY, name, phone))
        elif phone:
            problems.append(f"第{number}行：填写了电话但没有书记姓名")
    if problems:
        shown = "\n".join(problems[:20]) + ("\n……" if len(problems) > 20 else "")
        raise ServiceError(f"“{path.name}”有{len(problems)}处问题，未导入：\n{shown}")
    if not sheet.units:
        raise ServiceError(f"“{path.name}”中没有村（社区）")
    return sheet


def _sheet_header(rows, name: str) -> tuple[int, dict[str, int]]:
    for number, cells in rows[:10]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = SHEET_HEADERS.get(_header_text(cell))
            if key and key not in columns:
                columns[key] = index
        if "name" in columns:
            return number, columns
    raise ServiceError(f"“{name}”中找不到表头：前10行里没有“名称”一列。请使用 名称、类型、书记、电话 作表头。")


def _header_text(value) -> str:
    text = unicodedata.normalize("NFKC", _cell([value], 0))
    return re.sub(r"\s+", "", text).rstrip("*:：")


def _cell(cells: list, index: int | None) -> str:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():  # a phone typed into Excel as a number
        value = int(value)
    return str(value).strip()


def import_units_sheet(ctx: AppContext, path: Path | str) -> int:
    """Enter the villages and communities of a sheet (see ``read_units_sheet``) with their
    secretaries; returns how many units it held. All of it or, on any problem, none of it."""
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


# ---- what the settings screens list -------------------------------------------------------
@dataclass(frozen=True)
class UnitEntry:
    unit: Unit
    active: bool
    people: int


@dataclass(frozen=True)
class PersonEntry:
    person: Person
    active: bool


def unit_entries(ctx: AppContext) -> list[UnitEntry]:
    """Every unit, stopped ones included, with the number of its active people."""
    with ctx.session() as session:
        active = {u.name for u in repository.list_units(session)}
        counts = Counter(p.unit for p in repository.list_people(session))
        return [UnitEntry(u, u.name in active, counts.get(u.name, 0))
                for u in repository.list_units(session, include_inactive=True)]


def person_entries(ctx: AppContext) -> list[PersonEntry]:
    """Every person, stopped ones included, in the order they were entered."""
    with ctx.session() as session:
        active = {(p.unit, p.name) for p in repository.list_people(session)}
        return [PersonEntry(p, (p.unit, p.name) in active)
                for p in repository.list_people(session, include_inactive=True)]


def calendar_entries(ctx: AppContext) -> list[tuple[date, bool, bool | None]]:
    """The office's own dates: (day, working, what the statutory calendar says or None)."""
    from jingyuan_desktop.domain.calendar import WorkCalendar

    with ctx.session() as session:
        overrides = repository.calendar_overrides(session)
    statutory = WorkCalendar()
    return [(day, working, statutory.is_working_day(day) if statutory.is_covered(day) else None)
            for day, working in sorted(overrides.items())]

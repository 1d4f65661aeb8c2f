"""The prevention registers as sheets (issue 14): the grids, officers' beats, persons, key
persons and the patrol log the town keeps in Excel, imported and exported as .xlsx or .csv.

Columns are found by their Chinese names (with the spellings offices use) and an export writes
the same names, so an exported file can be imported again. An import is all or nothing: every
bad row is reported as 第N行：…, and nothing is written while any row is bad; the writing is one
transaction through the store, whose functions audit each change. Exports of persons are masked
unless the account may export unmasked data, and every export is audited before its file exists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import at_local, local
from jingyuan_desktop.domain.enums import DomainError, UnitKind
from jingyuan_desktop.domain.persons import id_number_valid, normalize_id_number, normalize_name, normalize_phone
from jingyuan_desktop.domain.prevention import (
    Citizen,
    Grid,
    JointPoint,
    KeyPerson,
    OfficerBeat,
    Patrol,
    PatrolRole,
    grid_key,
    type_code,
)
from jingyuan_desktop.domain.privacy import (
    is_valid_phone,
)
from jingyuan_desktop.domain.text import text_problem
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.prevention.records import MAX_HOUSEHOLDS
from jingyuan_desktop.services.sheets import SheetError, cell_text, find_header, header_key, read_rows, serial_time
from jingyuan_desktop.services.transfers import RowError, format_errors, parse_time
from jingyuan_desktop.store import prevention as store
from jingyuan_desktop.store import repository

HEADER_SEARCH_ROWS = 30
NAME_MAX = 100  # the name columns of the registers
# A date alone in the patrol log: the patrol is taken to be at noon of that day.
DATE_ONLY_AT = time(12, 0)
_SEPARATORS = re.compile(r"[、，,;；/\s]+")
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_PLAUSIBLE_DAYS = (30_000, 100_000)  # Excel serial days of the years 1982..2173


@dataclass(frozen=True)
class Column:
    label: str  # the header an export writes
    spellings: tuple[str, ...] = ()


VILLAGE = Column("村（社区）", ("所属村（社区）", "村(居)", "所属村", "所属村居", "村居", "所属村(居)", "所属社区",
                           "村", "社区", "村名"))
GRID = Column("网格", ("网格名称", "所属网格", "网格名"))
NAME = Column("姓名", ("人员姓名", "名字"))
ID_NUMBER = Column("身份证号", ("身份证号码", "公民身份号码", "身份证", "证件号码"))
PHONE = Column("电话", ("联系电话", "手机号", "手机号码", "联系方式", "手机"))
SINCE = Column("起始日期", ("开始日期", "启用日期", "起始时间", "开始时间"))

GRID_COLUMNS = {
    "village": VILLAGE,
    "name": Column("网格名称", ("网格", "网格名", "所属网格")),
    "head": Column("网格长", ("网格长姓名",)),
    "workers": Column("网格员", ("网格员姓名", "专职网格员", "网格员名单")),
    "points": Column("联防联控点", ("联防点", "联防联控点名称")),
    "since": SINCE,
}
BEAT_COLUMNS = {
    "officer": Column("包村民警", ("包村民警姓名", "民警", "责任民警", "社区民警", "驻村民警")),
    "village": VILLAGE,
    "since": SINCE,
}
PERSON_COLUMNS = {
    "name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "village": VILLAGE, "grid": GRID,
    "address": Column("住址", ("现住址", "家庭住址", "居住地址", "地址")),
}
KEY_PERSON_COLUMNS = {
    "name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "village": VILLAGE, "grid": GRID,
    "type": Column("类型", ("人员类型", "重点人员类型", "类别")),
    "responsible": Column("责任人", ("管控责任人", "包保责任人", "稳控责任人")),
    "measures": Column("管控措施", ("稳控措施", "包保措施", "措施")),
    "visit_days": Column("走访周期（天）", ("走访周期", "走访周期(天)", "走访间隔(天)", "走访间隔")),
    "since": Column("列管日期", ("列管时间", "纳入日期", "登记日期")),
    "note": Column("备注"),
}
PATROL_COLUMNS = {
    "at": Column("走访时间", ("日期", "时间", "走访日期", "巡查时间", "巡查日期", "排查时间", "排查日期", "日期时间")),
    "worker": Column("走访人", ("走访人员", "巡查人", "排查人", "网格员", "姓名")),
    "role": Column("类型", ("人员类型", "走访人类型", "身份")),
    "village": VILLAGE, "grid": GRID,
    "households": Column("走访户数", ("户数", "入户数", "走访农户数", "走访户")),
    "findings": Column("发现情况", ("发现问题", "排查情况", "走访情况", "情况", "发现的情况")),
    "case_no": Column("案件编号", ("转为案件",)),
}


@dataclass
class ImportReport:
    """What became of an import: written (added, updated) or refused with every bad row."""

    what: str
    added: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why): already there
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.errors)

    def lines(self) -> list[str]:
        return format_errors(self.errors) + [f"第{row}行：{why}，跳过" for row, why in self.skipped]

    def summary(self) -> str:
        if self.errors:
            return f"有 {len(self.errors)} 行有问题，未导入任何{self.what}。请改正后重新导入。"
        text = f"已导入{self.what}：新增 {self.added} 条"
        if self.updated:
            text += f"，更新 {self.updated} 条"
        if self.skipped:
            text += f"，跳过已有的 {len(self.skipped)} 条"
        return "；".join([text, *self.notes]) + "。"


# ---- reading ------------------------------------------------------------------------------
def _read(path: Path, columns: dict[str, Column], needs: tuple[str, ...]
          ) -> tuple[list[tuple[int, dict[str, Any]]], set[str]]:
    """The data rows (Excel's row number, cell by column key) under the header, and the columns
    the header has. Rows that hold nothing in any known column are skipped."""
    path = Path(path)
    rows = read_rows(path)
    aliases = {header_key(s): key for key, col in columns.items() for s in (col.label, *col.spellings)}
    found = find_header(rows, aliases, within=HEADER_SEARCH_ROWS, needs=needs)
    if found is None:
        wanted = "”“".join(columns[k].label for k in needs)
        raise SheetError(f"“{path.name}”中找不到表头：前{HEADER_SEARCH_ROWS}行里没有同时含“{wanted}”的一行")
    number, index = found
    out = []
    for row_no, cells in rows:
        if row_no <= number:
            continue
        values = {key: cells[i] if i < len(cells) else None for key, i in index.items()}
        if any(cell_text(v) for v in values.values()):
            out.append((row_no, values))
    return out, set(index)


def split_names(value: Any) -> list[str]:
    """Names in one cell, separated by 、，, ; or spaces; each once, in order."""
    seen: list[str] = []
    for part in _SEPARATORS.split(unicodedata.normalize("NFKC", cell_text(value))):
        if part and part not in seen:
            seen.append(part)
    return seen


def parse_day(value: Any) -> date | None:
    """A day from a date cell, an Excel serial day or text such as 2025-06-01, 2025/6/1,
    2025.6.1 or 2025年6月1日; None when it is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _PLAUSIBLE_DAYS[0] <= value <= _PLAUSIBLE_DAYS[1]:
            from openpyxl.utils.datetime import from_excel

            return from_excel(int(value)).date()
        return None
    match = _DATE_RE.fullmatch(unicodedata.normalize("NFKC", cell_text(value)))
    if not match:
        return None
    try:
        return date(*(int(p) for p in match.groups()))
    except ValueError:
        return None


def parse_moment(value: Any) -> datetime | None:
    """A patrol's time: a date-time (cell, serial or text, as ``transfers.parse_time`` reads
    them), or a date alone, taken as 12:00 that day. A date cell at exactly 00:00 is a date
    alone (Excel gives a typed date that time)."""
    if isinstance(value, datetime):
        if value.time() == time(0, 0) and value.tzinfo is None:
            return at_local(value.date(), DATE_ONLY_AT)
        return parse_time(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not float(value).is_integer():
        moment = serial_time(value)
        return parse_time(moment) if moment is not None else None
    if not isinstance(value, (date, int, float)):
        moment = parse_time(value)
        if moment is not None:
            return moment
    day = parse_day(value)
    return at_local(day, DATE_ONLY_AT) if day is not None else None


class _Row:
    """One row's cells and the problems found in it, in the order they were found."""

    def __init__(self, values: dict[str, Any], columns: dict[str, Column]):
        self.values, self.columns = values, columns
        self.problems: list[str] = []

    def text(self, key: str, *, required: bool = False, limit: int | None = NAME_MAX) -> str:
        value = cell_text(self.values.get(key))
        label = self.columns[key].label
        if required and not value:
            self.problems.append(f"缺少{label}")
        elif limit is not None and len(value) > limit:
            self.problems.append(f"{label}太长（{len(value)}字，最多{limit}字）")
        elif problem := text_problem(value):
            self.problems.append(f"{label}{problem}")
        return value

    def day(self, key: str) -> date | None:
        raw = self.values.get(key)
        if cell_text(raw) == "":
            return None
        found = parse_day(raw)
        if found is None:
            self.problems.append(f"{self.columns[key].label}无法识别（“{cell_text(raw)}”）")
        return found

    def id_number(self) -> str:
        raw = self.values.get("id_number")
        text = normalize_id_number(cell_text(raw)) if cell_text(raw) else ""
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and abs(raw) >= 1e15:
            self.problems.append("身份证号存成了数字，末几位已被Excel改动，请将该列设为文本后重新填写")
        elif "*" in text:
            self.problems.append("身份证号已打码，不能导入（请用未打码的导出文件）")
        elif text and not id_number_valid(text):
            self.problems.append(f"身份证号“{text}”无效（位数或校验位不对）")
        return text

    def phone(self) -> str:
        text = cell_text(self.values.get("phone"))
        if "*" in text:
            self.problems.append("电话已打码，不能导入（请用未打码的导出文件）")
        elif text and not is_valid_phone(text):
            self.problems.append(f"电话“{text}”不是有效的电话号码")
        elif len(text) > 50:
            self.problems.append("电话太长")
        return text

    def place(self, places: _Places, *, required: bool) -> tuple[str, str]:
        village, grid = self.text("village", required=required), self.text("grid")
        if village and village not in places.villages:
            self.problems.append(f"未知的村（社区）“{village}”")
        elif grid and not village:
            self.problems.append(f"填了网格“{grid}”，但没有填村（社区）")
        elif grid and grid_key(village, grid) not in places.grids:
            self.problems.append(f"{village}没有名为“{grid}”的网格（请先导入网格）")
        return village, grid


@dataclass(frozen=True)
class _Places:
    villages: set[str]
    grids: set[str]  # 「村/网格」


def _places(ctx: AppContext) -> _Places:
    with ctx.session() as session:
        villages = {u.name for u in repository.list_units(session) if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)}
        grids = {g.key for g in store.list_grids(session)}
    return _Places(villages, grids)


def _check_rows(report: ImportReport, rows: list[tuple[int, dict[str, Any]]], columns: dict[str, Column],
                parse: Callable[[_Row], Any], key: Callable[[Any], Any] | None = None,
                duplicate: str = "与第{row}行重复") -> list[tuple[int, Any]]:
    """Each row parsed (its problems into ``report.errors``), and a row whose ``key`` an earlier
    row already had refused as a duplicate."""
    ready: list[tuple[int, Any]] = []
    seen: dict[Any, int] = {}
    for number, values in rows:
        row = _Row(values, columns)
        item = parse(row)
        if not row.problems and key is not None:
            identity = key(item)
            if identity in seen:
                row.problems.append(duplicate.format(row=seen[identity]))
            else:
                seen[identity] = number
        if row.problems:
            report.errors.append(RowError(number, "；".join(row.problems)))
        else:
            ready.append((number, item))
    return ready


# ---- grids and beats ----------------------------------------------------------------------
def import_grids(ctx: AppContext, path: Path) -> ImportReport:
    """The town's grid sheet: 村（社区）, 网格名称, 网格长, 网格员 (several names in one cell),
    optionally 联防联控点 (each a joint-defence point of that village and grid) and 起始日期.
    A grid already there (same village and name) is updated, keeping its note; grids not in
    the file are left as they are."""
    ctx.require(Permission.EDIT_REFERENCE)
    report = ImportReport("网格")
    rows, _ = _read(path, GRID_COLUMNS, ("village", "name"))
    places = _places(ctx)

    def parse(row: _Row) -> tuple[Grid, list[str]]:
        village = row.text("village", required=True)
        name = row.text("name", required=True)
        if village and village not in places.villages:
            row.problems.append(f"未知的村（社区）“{village}”")
        if "/" in name:
            row.problems.append(f"网格名称不能含“/”：{name}")
        head = row.text("head")
        workers = tuple(split_names(row.values.get("workers")))
        points = split_names(row.values.get("points"))
        if any(len(n) > NAME_MAX for n in (*workers, *points)):
            row.problems.append(f"网格员或联防联控点名称太长（最多{NAME_MAX}字）")
        return Grid(village, name, head=head, workers=workers, since=row.day("since")), points

    ready = _check_rows(report, rows, GRID_COLUMNS, parse, key=lambda item: item[0].key,
                        duplicate="网格与第{row}行重复")
    if report.rejected:
        return report
    now = ctx.now()
    with ctx.session() as session:
        existing = {g.key: g for g in store.list_grids(session, include_inactive=True)}
        old_points = {(p.village, p.name): p for p in store.list_joint_points(session)}
        points = 0
        for _number, (grid, names) in ready:
            old = existing.get(grid.key)
            store.upsert_grid(session, replace(grid, note=old.note if old else ""), user=ctx.user, at=now)
            report.updated += old is not None
            report.added += old is None
            for name in names:
                kept = old_points.get((grid.village, name))
                store.upsert_joint_point(session, JointPoint(grid.village, name, grid=grid.name,
                                                             head=kept.head if kept else "",
                                                             phone=kept.phone if kept else ""), user=ctx.user, at=now)
                points += 1
    if points:
        report.notes.append(f"联防联控点 {points} 个")
    return report


def import_beats(ctx: AppContext, path: Path) -> ImportReport:
    """Village police officers' beats: 包村民警, 村（社区） (several villages may share a cell),
    optionally 起始日期; an officer and village already there gets the new date."""
    ctx.require(Permission.EDIT_REFERENCE)
    report = ImportReport("包村民警")
    rows, _ = _read(path, BEAT_COLUMNS, ("officer", "village"))
    places = _places(ctx)
    seen: dict[tuple[str, str], int] = {}
    ready: list[OfficerBeat] = []
    for number, values in rows:
        row = _Row(values, BEAT_COLUMNS)
        officer = row.text("officer", required=True)
        villages = split_names(values.get("village"))
        if not villages:
            row.problems.append(f"缺少{VILLAGE.label}")
        since = row.day("since")
        for village in villages:
            if village not in places.villages:
                row.problems.append(f"未知的村（社区）“{village}”")
            elif (officer, village) in seen:
                row.problems.append(f"{officer}包{village}与第{seen[officer, village]}行重复")
            else:
                seen[officer, village] = number
        if row.problems:
            report.errors.append(RowError(number, "；".join(row.problems)))
        else:
            ready += [OfficerBeat(officer, village, since) for village in villages]
    if report.rejected:
        return report
    with ctx.session() as session:
        existing = {(b.officer, b.village) for b in store.list_beats(session)}
        for beat in ready:
            store.upsert_beat(session, beat, user=ctx.user, at=ctx.now())
            report.updated += (beat.officer, beat.village) in existing
            report.added += (beat.officer, beat.village) not in existing
    return report


# ---- persons and key persons --------------------------------------------------------------
def _citizen(row: _Row, places: _Places) -> Citizen:
    name = row.text("name", required=True)
    id_number, phone = row.id_number(), row.phone()
    if not row.problems and not (id_number or normalize_phone(phone)):
        row.problems.append("请至少填写身份证号或电话之一，以便与案件当事人对应")
    village, grid = row.place(places, required=False)
    address = row.text("address", limit=500) if "address" in row.columns else ""
    return Citizen(name, id_number=id_number, phone=phone, village=village, grid=grid, address=address)


def _person_key(citizen: Citizen) -> str:
    return citizen.id_number or f"{normalize_phone(citizen.phone)}|{normalize_name(citizen.name)}"


def import_persons(ctx: AppContext, path: Path) -> ImportReport:
    """Persons (citizens): 姓名, 身份证号, 电话, 村（社区）, 网格, 住址. Each is matched to the
    record already there as everywhere (same ID number; or same phone and name), which takes
    what it lacked; otherwise added."""
    ctx.require(Permission.IMPORT)
    report = ImportReport("人员")
    rows, _ = _read(path, PERSON_COLUMNS, ("name",))
    places = _places(ctx)
    ready = _check_rows(report, rows, PERSON_COLUMNS, lambda row: _citizen(row, places), key=_person_key,
                        duplicate="与第{row}行是同一人（身份证号或电话与姓名相同）")
    if report.rejected:
        return report
    with ctx.session() as session:
        for _number, citizen in ready:
            known = {c.id for c in store.candidates(session, normalize_phone(citizen.phone), citizen.id_number)}
            found = store.find_or_add_citizen(session, citizen, at=ctx.now())
            report.updated += found in known
            report.added += found not in known
    return report


def import_key_persons(ctx: AppContext, path: Path) -> ImportReport:
    """The key-person register: 姓名, 身份证号, 电话, 村（社区）, 网格, 类型 (a type of the seeds
    by its name, or the office's own), 责任人, 管控措施, optionally 走访周期（天） (blank: by type),
    列管日期 (blank: today for a new entry) and 备注. A person already on the register with the
    same type is updated, not entered twice."""
    ctx.require(Permission.KEY_PERSONS)
    ctx.require(Permission.IMPORT)
    report = ImportReport("重点人员")
    rows, present = _read(path, KEY_PERSON_COLUMNS, ("name", "type", "responsible"))
    places = _places(ctx)

    def parse(row: _Row) -> tuple[Citizen, KeyPerson]:
        citizen = _citizen(row, places)
        kind = row.text("type", required=True)
        try:
            kind = type_code(kind) if kind else ""
        except DomainError as error:
            row.problems.append(error.message)
        responsible = row.text("responsible", required=True)
        days = _visit_days(row)
        entry = KeyPerson(0, citizen.name, kind, responsible, measures=row.text("measures", limit=2000),
                          visit_days=days, since=row.day("since"), village=citizen.village, grid=citizen.grid,
                          note=row.text("note", limit=2000))
        return citizen, entry

    ready = _check_rows(report, rows, KEY_PERSON_COLUMNS, parse,
                        key=lambda item: (_person_key(item[0]), item[1].type),
                        duplicate="与第{row}行是同一人的同一类型")
    if report.rejected:
        return report
    now = ctx.now()
    today = local(now).date()
    with ctx.session() as session:
        for _number, (citizen, entry) in ready:
            citizen_id = store.find_or_add_citizen(session, citizen, at=now)
            same = [p for p in store.key_person_citizens(session, [citizen_id], today).get(citizen_id, [])
                    if p.type == entry.type]
            if same:
                old = same[0]
                entry = replace(old, responsible=entry.responsible, measures=entry.measures,
                                visit_days=entry.visit_days if "visit_days" in present else old.visit_days,
                                since=entry.since or old.since, village=entry.village or old.village,
                                grid=entry.grid or old.grid, note=entry.note if "note" in present else old.note)
                report.updated += 1
            else:
                entry = replace(entry, citizen_id=citizen_id, since=entry.since or today)
                report.added += 1
            store.save_key_person(session, entry, user=ctx.user, at=now)
    return report


def _visit_days(row: _Row) -> int | None:
    raw = row.values.get("visit_days")
    text = cell_text(raw)
    if not text:
        return None
    try:
        days = int(float(text))
        if days != float(text):
            raise ValueError
    except ValueError:
        row.problems.append(f"走访周期应为天数（整数）：“{text}”")
        return None
    if not 1 <= days <= 366:
        row.problems.append("走访周期应在 1 到 366 天之间")
        return None
    return days


# ---- patrols ------------------------------------------------------------------------------
def import_patrols(ctx: AppContext, path: Path) -> ImportReport:
    """The patrol log: 走访时间 (or 日期; a date alone is 12:00 that day), 走访人, 类型 (网格员,
    包村民警 or 治安信息员; blank: 网格员), 村（社区）, 网格, 走访户数, 发现情况. An entry already in
    the database (same time, person, village and grid) is skipped, so a log can be imported
    again. A village account imports its own village's entries only."""
    ctx.require(Permission.PATROL)
    report = ImportReport("走访记录")
    rows, _ = _read(path, PATROL_COLUMNS, ("at", "worker", "village"))
    places = _places(ctx)
    now = ctx.now()
    own = ctx.account.village if ctx.account is not None and ctx.account.village else ""

    def parse(row: _Row) -> Patrol:
        raw = row.values.get("at")
        at = parse_moment(raw)
        if cell_text(raw) == "":
            row.problems.append("缺少走访时间")
        elif at is None:
            row.problems.append(f"走访时间无法识别（“{cell_text(raw)}”）")
        elif at > now:
            row.problems.append(f"走访时间 {at:%Y-%m-%d %H:%M} 晚于现在，不能预先登记")
        worker = row.text("worker", required=True)
        role = PatrolRole.GRID_WORKER
        if cell_text(row.values.get("role")):
            try:
                role = PatrolRole(PatrolRole.parse(cell_text(row.values.get("role"))))
            except DomainError as error:
                row.problems.append(error.message)
        village, grid = row.place(places, required=True)
        if own and village and village != own:
            row.problems.append(f"村（社区）账号只能导入本村（{own}）的走访")
        households = _households(row)
        findings = row.text("findings", limit=5000)
        return Patrol(at or now, worker, role, village, grid, households=households, findings=findings)

    ready = _check_rows(report, rows, PATROL_COLUMNS, parse, key=_patrol_key, duplicate="与第{row}行是同一次走访")
    if report.rejected or not ready:
        return report
    first = min(p.at for _, p in ready)
    last = max(p.at for _, p in ready)
    with ctx.session() as session:
        there = {_patrol_key(p) for p in store.list_patrols(session, first - timedelta(minutes=1),
                                                            last + timedelta(minutes=1))}
        new = []
        for number, patrol in ready:
            if _patrol_key(patrol) in there:
                report.skipped.append((number, "该次走访已在数据库中"))
            else:
                new.append(patrol)
        report.added = len(store.add_patrols(session, new, user=ctx.user, at=now))
    return report


def _patrol_key(patrol: Patrol) -> tuple:
    return local(patrol.at).replace(second=0, microsecond=0), patrol.worker, patrol.village, patrol.grid


def _households(row: _Row) -> int:
    text = cell_text(row.values.get("households"))
    if not text:
        return 0
    try:
        count = int(float(text))
        if count != float(text):
            raise ValueError
    except ValueError:
        row.problems.append(f"走访户数应为整数：“{text}”")
        return 0
    if not 0 <= count <= MAX_HOUSEHOLDS:
        row.problems.append(f"走访户数应在 0 到 {MAX_HOUSEHOLDS} 之间")
    return count

"""Reading the police station's transfer list (.xlsx or .csv) into new, unclassified cases.

Only the file is read here. Whether an incident number is already in the database, and
whether a file with bad rows is imported at all, is decided by the service that calls this.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import Grade, PartyRole, Source
from jingyuan_desktop.domain.model import Case, Party
from jingyuan_desktop.domain.privacy import is_valid_phone
from jingyuan_desktop.services.limits import text_problems
from jingyuan_desktop.services.sheets import SheetError, cell_text, find_header, read_rows, serial_time

# Canonical column -> (label shown to the user, header spellings seen in the wild).
# Spellings are compared as ``sheets.header_key``s, so brackets and spaces do not matter here.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "incident_no": ("警情编号", ("警情编号", "警情号", "警情单号", "接警编号", "警情编码")),
    "called_at": ("报警时间", ("报警时间", "接警时间", "报警日期时间")),
    "caller": ("报警人", ("报警人", "报警人姓名", "报警人员", "报警人名称")),
    "phone": ("联系电话", ("联系电话", "报警电话", "电话", "联系方式", "报警人电话", "报警人联系电话", "手机号码")),
    "location": ("事发地点", ("事发地点", "事发地址", "发生地点", "案发地点", "地点", "地址")),
    "village": ("所属村（社区）", ("所属村(社区)", "所属村居", "所属村", "村(社区)", "所属社区", "村居",
                              "所属村(居)", "所属村(居委会)", "村(居)")),
    "summary": ("简要警情", ("简要警情", "警情简要", "简要案情", "警情摘要", "简要情况", "警情内容", "简要内容")),
    "officer": ("处警民警", ("处警民警", "处警人", "处警人员", "民警", "出警民警")),
    "received_at": ("转交时间", ("转交时间", "移交时间", "转办时间")),
    "station": ("转交派出所", ("转交派出所", "转交单位", "派出所", "所属派出所", "移交单位")),
}
REQUIRED = ("incident_no", "received_at", "village", "summary")
# The header is looked for among the first rows only, so a file with no header fails fast.
HEADER_SEARCH_ROWS = 30

_ALIASES = {spelling: key for key, (_, spellings) in COLUMNS.items() for spelling in spellings}

# The file as a whole cannot be read as a transfer list.
TransferFileError = SheetError


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str


@dataclass
class TransferBatch:
    cases: list[tuple[int, Case]] = field(default_factory=list)  # (spreadsheet row, case)
    errors: list[RowError] = field(default_factory=list)


def format_errors(errors: list[RowError]) -> list[str]:
    """One line a bad row, as the user would look it up in Excel: 第5行：…"""
    return [f"第{e.row}行：{e.reason}" for e in errors]


def read_transfers(
    path: str | Path,
    *,
    villages: set[str] | None = None,
    stations: set[str] | None = None,
    default_category: str,
) -> TransferBatch:
    """Read a transfer list; each sound row becomes a case, each bad row a ``RowError``.

    Rows are numbered as Excel shows them. ``villages``/``stations``, when given, are the
    units the office knows; a row naming another is refused. New cases get
    ``default_category`` (normally 未分类), grade 一般 and no colour
    until the office classifies (seed 003: the colour is chosen then).
    """
    path = Path(path)
    rows = read_rows(path)
    header_row, columns = _find_header(rows, path.name)
    batch = TransferBatch()
    seen: dict[str, int] = {}
    for number, cells in rows:
        if number <= header_row:
            continue
        values = {key: cells[i] if i < len(cells) else None for key, i in columns.items()}
        if all(cell_text(v) == "" for v in values.values()):
            continue
        case, problems = _row_to_case(values, villages, stations, default_category)
        incident = case.police_incident_no if case else cell_text(values.get("incident_no"))
        if incident and incident in seen:
            problems.append(f"警情编号“{incident}”与第{seen[incident]}行重复")
        elif incident:
            seen[incident] = number
        if problems:
            batch.errors.append(RowError(number, "；".join(problems)))
        else:
            batch.cases.append((number, case))
    return batch


# ------------------------------------------------------------------------------ one row


def _row_to_case(values: dict[str, Any], villages, stations, default_category: str):
    problems: list[str] = []
    raw_incident = values.get("incident_no")
    incident = cell_text(raw_incident)
    if not incident:
        problems.append("缺少警情编号")
    elif isinstance(raw_incident, (int, float)) and abs(raw_incident) >= 1e15:
        # Excel keeps 15 significant digits; a longer number typed into a number cell has
        # already lost its last digits, and a wrong incident number cannot be fed back.
        problems.append(f"警情编号“{incident}”超过15位且存成了数字，末几位已被Excel改动，请将该列设为文本后重新填写")
    received = _time_field(values.get("received_at"), "转交时间", problems, required=True)
    called = _time_field(values.get("called_at"), "报警时间", problems, required=False)
    if received and called and received < called:
        problems.append(f"转交时间（{received:%Y-%m-%d %H:%M}）早于报警时间（{called:%Y-%m-%d %H:%M}）")
    village = cell_text(values.get("village"))
    if not village:
        problems.append("缺少所属村（社区）")
    elif villages is not None and village not in villages:
        problems.append(f"未知的村（社区）“{village}”")
    station = cell_text(values.get("station"))
    if not station:
        problems.append("缺少转交派出所")
    elif stations is not None and station not in stations:
        problems.append(f"未知的派出所“{station}”")
    summary = cell_text(values.get("summary"))
    if not summary:
        problems.append("缺少简要警情")
    caller, phone = cell_text(values.get("caller")), cell_text(values.get("phone"))
    if phone and not is_valid_phone(phone):
        problems.append(f"联系电话“{phone}”不是有效的电话号码")
    officer, location = cell_text(values.get("officer")), cell_text(values.get("location"))
    problems += text_problems({"police_incident_no": incident, "police_station": station, "village": village,
                               "officer": officer, "summary": summary, "location": location, "name": caller,
                               "phone": phone}, _PARTY_LABELS).values()
    if problems or received is None:  # a missing time is among the problems
        return None, problems
    case = Case(
        received_at=received, village=village, summary=summary, category=default_category,
        grade=Grade.GENERAL, risk=None, source=Source.POLICE_TRANSFER, police_incident_no=incident,
        police_station=station, location=location, called_at=called, officer=officer,
        parties=[Party(name=caller, phone=phone, role=PartyRole.CALLER)] if caller or phone else [],
    )
    return case, problems


_PARTY_LABELS = {"name": "报警人", "phone": "联系电话"}


def _time_field(value: Any, label: str, problems: list[str], *, required: bool) -> datetime | None:
    # A date-time cell (the usual) is never blank: spared turning it into text to see.
    if value is None or (not isinstance(value, datetime) and cell_text(value) == ""):
        if required:
            problems.append(f"缺少{label}")
        return None
    moment = parse_time(value)
    if moment is None:
        problems.append(f"{label}无法识别（“{cell_text(value)}”）")
    return moment


# ------------------------------------------------------------------------------ times

_TIME_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T\s]\s*|(?<=日))"
    r"(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*分?"
    r"(?:\s*(?::|(?<=分))\s*(\d{1,2})\s*秒?)?"
)


def parse_time(value: Any) -> datetime | None:
    """A cell's time in Asia/Shanghai, or None if it cannot be read.

    Accepts Excel date-time cells and serial numbers, ISO 8601 (with T, with or without an
    offset) and the ways clerks type times: 2026/10/3 10:00, 2026.10.3 10:00,
    2026年10月3日 10:00, 2026年10月3日10时00分. A time without an offset is local.
    A date without a time of day is not accepted: the office clocks start at the minute.
    """
    if isinstance(value, datetime):
        return _local(_whole_second(value))
    if isinstance(value, date):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        return None
    if "T" in text or "+" in text or text.endswith("Z"):
        try:
            return _local(datetime.fromisoformat(text))
        except (ValueError, OverflowError):  # 0001-01-01T00:00+14:00 is before the year 1 in UTC
            return None
    match = _TIME_RE.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=TZ)
    except ValueError:
        return None


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


def _whole_second(moment: datetime) -> datetime:
    # Excel stores times as fractions of a day; 10:00 may come back as 09:59:59.999999.
    rounded = moment.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if moment.microsecond >= 500_000 else rounded


def _from_serial(serial: float) -> datetime | None:
    moment = serial_time(serial)
    return _local(_whole_second(moment)) if moment is not None else None


# ------------------------------------------------------------------------------ header


def _find_header(rows: list[tuple[int, list[Any]]], name: str) -> tuple[int, dict[str, int]]:
    found = find_header(rows, _ALIASES, within=HEADER_SEARCH_ROWS, needs=("incident_no", "received_at"))
    if found is None:
        raise TransferFileError(
            f"“{name}”中找不到表头：前{HEADER_SEARCH_ROWS}行里没有同时含“警情编号”和“转交时间”的一行。"
            "请确认这是派出所的转交清单。"
        )
    number, columns = found
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in columns]
    if missing:
        raise TransferFileError(f"第{number}行表头缺少必需的列：{'、'.join(missing)}")
    return number, columns

"""Reading the police station's transfer list (.xlsx or .csv) into new, unclassified cases.

Only the file is read here. Whether an incident number is already in the database, and
whether a file with bad rows is imported at all, is decided by the service that calls this.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import DomainError, Grade, PartyRole, Risk, Source
from jingyuan_desktop.domain.model import Case, Party
from jingyuan_desktop.domain.privacy import is_valid_phone

# Canonical column -> (label shown to the user, header spellings seen in the wild).
# Spellings are compared after _normalise_header, so brackets and spaces do not matter here.
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
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})


class TransferFileError(DomainError):
    """The file as a whole cannot be read as a transfer list."""


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
    ``default_category`` (normally 未分类), grade 一般 and risk 蓝 until the office classifies.
    """
    path = Path(path)
    rows = _read_rows(path)
    header_row, columns = _find_header(rows, path.name)
    batch = TransferBatch()
    seen: dict[str, int] = {}
    for number, cells in rows:
        if number <= header_row:
            continue
        values = {key: cells[i] if i < len(cells) else None for key, i in columns.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        case, problems = _row_to_case(values, villages, stations, default_category)
        incident = case.police_incident_no if case else _text(values.get("incident_no"))
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
    incident = _text(raw_incident)
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
    village = _text(values.get("village"))
    if not village:
        problems.append("缺少所属村（社区）")
    elif villages is not None and village not in villages:
        problems.append(f"未知的村（社区）“{village}”")
    station = _text(values.get("station"))
    if station and stations is not None and station not in stations:
        problems.append(f"未知的派出所“{station}”")
    summary = _text(values.get("summary"))
    if not summary:
        problems.append("缺少简要警情")
    caller, phone = _text(values.get("caller")), _text(values.get("phone"))
    if phone and not is_valid_phone(phone):
        problems.append(f"联系电话“{phone}”不是有效的电话号码")
    if problems:
        return None, problems
    case = Case(
        received_at=received, village=village, summary=summary, category=default_category,
        grade=Grade.GENERAL, risk=Risk.BLUE, source=Source.POLICE_TRANSFER, police_incident_no=incident,
        police_station=station, location=_text(values.get("location")), called_at=called,
        officer=_text(values.get("officer")),
        parties=[Party(name=caller, phone=phone, role=PartyRole.CALLER)] if caller or phone else [],
    )
    return case, problems


def _time_field(value: Any, label: str, problems: list[str], *, required: bool) -> datetime | None:
    if _text(value) == "":
        if required:
            problems.append(f"缺少{label}")
        return None
    moment = parse_time(value)
    if moment is None:
        problems.append(f"{label}无法识别（“{_text(value)}”）")
    return moment


def _text(value: Any) -> str:
    """Cell text; numbers typed into Excel (incident numbers, phones) lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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
    text = unicodedata.normalize("NFKC", _text(value))
    if not text:
        return None
    if "T" in text or "+" in text or text.endswith("Z"):
        try:
            return _local(datetime.fromisoformat(text))
        except ValueError:
            return None
    match = _TIME_RE.fullmatch(text)
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return datetime(*parts, tzinfo=TZ)
    except ValueError:
        return None


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


def _whole_second(moment: datetime) -> datetime:
    # Excel stores times as fractions of a day; 10:00 may come back as 09:59:59.999999.
    rounded = moment.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if moment.microsecond >= 500_000 else rounded


def _from_serial(serial: float) -> datetime | None:
    # Only plausible dates (1982..2173); a bare number like 10 is not a time.
    if not 30_000 <= serial <= 100_000 or float(serial).is_integer():
        return None
    return _local(_whole_second(datetime(1899, 12, 30) + timedelta(days=serial)))


# ------------------------------------------------------------------------------ files


def _read_rows(path: Path) -> list[tuple[int, list[Any]]]:
    if not path.exists():
        raise TransferFileError(f"找不到文件“{path.name}”")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return list(_xlsx_rows(path))
    if suffix == ".csv":
        return list(_csv_rows(path))
    if suffix == ".xls":
        raise TransferFileError("不支持旧版Excel（.xls）文件，请在Excel中“另存为”.xlsx或.csv后再导入")
    raise TransferFileError(f"无法导入“{path.name}”：只支持.xlsx和.csv文件")


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TransferFileError(f"无法打开Excel文件“{path.name}”，文件可能已损坏或并非Excel文件（{type(error).__name__}）") from None
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; without this, read-only mode stops early.
        sheet.reset_dimensions()
        number = 0
        for row in sheet.iter_rows():
            number += 1
            for cell in row:
                if getattr(cell, "row", None):
                    number = cell.row  # read-only mode may skip rows that hold nothing
                    break
            yield number, [cell.value for cell in row]
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    text = _decode(raw, path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    # Excel numbers rows by record, and a quoted cell may span lines, so count records.
    for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        yield number, record


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    # Excel on Chinese Windows saves "CSV" in the ANSI code page, i.e. GBK.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TransferFileError(f"无法识别“{name}”的文字编码，请用Excel另存为“CSV UTF-8”后再导入")


def _normalise_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", _text(value)).translate(_BRACKETS)
    return re.sub(r"\s+", "", text).rstrip("*:：")


def _find_header(rows: list[tuple[int, list[Any]]], name: str) -> tuple[int, dict[str, int]]:
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = _ALIASES.get(_normalise_header(cell))
            if key and key not in columns:
                columns[key] = index
        if "incident_no" in columns and "received_at" in columns:
            missing = [COLUMNS[k][0] for k in REQUIRED if k not in columns]
            if missing:
                raise TransferFileError(f"第{number}行表头缺少必需的列：{'、'.join(missing)}")
            return number, columns
    raise TransferFileError(
        f"“{name}”中找不到表头：前{HEADER_SEARCH_ROWS}行里没有同时含“警情编号”和“转交时间”的一行。"
        "请确认这是派出所的转交清单。"
    )

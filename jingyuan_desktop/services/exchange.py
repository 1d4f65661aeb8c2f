"""The case exchange file (``jingyuan-cases`` version 1): cases with their timelines as JSON.

Writing rule, so that export -> import -> export gives the same bytes:

* keys always come in the fixed order of ``_CASE_KEYS``, ``_PARTY_KEYS`` and, for events,
  ``type, at, by, <the type's fields in EVENT_FIELDS order>, note, evidence``;
* times are written in Asia/Shanghai (``+08:00``), to the second, microseconds only if nonzero;
* enum values are written as their English codes;
* a key is left out when it holds nothing: empty text, empty list or None. The intake
  classification (source, grade, risk, criminal_risk, key_persons) and ``parties``/``events``
  are always written; a boolean inside an event is always written, because there ``false``
  is a statement (not on site, no criminal risk) and only None means "not given";
* event data keys that the event type does not define are not part of the format and are
  dropped.

Reading is the mirror image: a missing key takes the value that would have caused it to be
left out, so the two directions agree.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import (
    Coded,
    DomainError,
    EventType,
    Grade,
    PartyRole,
    Risk,
    Satisfaction,
    Source,
)
from jingyuan_desktop.domain.lifecycle import check_timeline
from jingyuan_desktop.domain.model import EVENT_FIELDS, Case, Event, Party

FORMAT = "jingyuan-cases"
VERSION = 1

_CASE_KEYS = (
    "case_no", "source", "police_incident_no", "police_station", "received_at", "called_at",
    "officer", "village", "location", "summary", "category", "grade", "risk", "criminal_risk",
    "key_persons", "repeat_of", "parties", "events",
)
_CASE_ALWAYS = frozenset({"source", "received_at", "village", "summary", "category", "grade", "risk",
                          "criminal_risk", "key_persons", "parties", "events"})
_CASE_REQUIRED = ("received_at", "village", "summary", "category")
_PARTY_KEYS = ("name", "phone", "role", "id_number")
_EVENT_COMMON = ("type", "at", "by", "note", "evidence")

_ENUM_FIELDS: dict[str, type[Coded]] = {"grade": Grade, "risk": Risk, "satisfaction": Satisfaction}
_LIST_FIELDS = frozenset({"handlers", "departments", "experts"})
_BOOL_FIELDS = frozenset({"criminal_risk", "on_site"})
_TIME_FIELDS = frozenset({"agreed_at"})

# Field names as the office knows them, for the problem list.
LABELS = {
    "case_no": "案件编号", "source": "来源", "police_incident_no": "警情编号",
    "police_station": "派出所", "received_at": "接收时间", "called_at": "报警时间",
    "officer": "民警", "village": "村（社区）", "location": "事发地点", "summary": "简要情况",
    "category": "类别", "grade": "等级", "risk": "风险", "criminal_risk": "民转刑风险",
    "key_persons": "涉及重点人员", "repeat_of": "重复报警所涉案件", "parties": "当事人",
    "events": "处置记录", "name": "姓名", "phone": "电话", "role": "身份", "id_number": "身份证号",
    "type": "类型", "at": "时间", "by": "记录人", "note": "说明", "evidence": "证据",
    "handlers": "处置人员", "leader": "负责人", "departments": "部门", "experts": "专家",
    "agreed_at": "约定时间", "court": "法庭", "on_site": "是否当场化解", "satisfaction": "满意度",
    "party": "回访对象", "archive_no": "档案编号", "reason": "原因",
}


class ExchangeError(DomainError):
    """Every problem found in an exchange file, one Chinese sentence each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# ---------------------------------------------------------------------------------- writing


def format_time(moment: datetime) -> str:
    """ISO 8601 in Asia/Shanghai; a naive time is taken as already local."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ).isoformat()


def _plain(value: Any) -> Any:
    if isinstance(value, Coded):
        return value.value
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple)) and not value)


def party_to_dict(party: Party) -> dict:
    """One party in exchange form."""
    values = {"name": party.name, "phone": party.phone, "role": party.role, "id_number": party.id_number}
    return {k: _plain(values[k]) for k in _PARTY_KEYS if k in ("name", "role") or not _empty(values[k])}


def event_to_dict(event: Event) -> dict:
    """One timeline entry in exchange form."""
    out: dict[str, Any] = {"type": event.type.value, "at": format_time(event.at)}
    if event.by:
        out["by"] = event.by
    for name in EVENT_FIELDS[event.type]:
        value = event.data.get(name)
        if not _empty(value):
            out[name] = _plain(value)
    if event.note:
        out["note"] = event.note
    if event.evidence:
        out["evidence"] = list(event.evidence)
    return out


def case_to_dict(case: Case) -> dict:
    """One case with its parties and timeline in exchange form."""
    values = {
        **{k: getattr(case, k) for k in _CASE_KEYS if k not in ("parties", "events")},
        "parties": [party_to_dict(p) for p in case.parties],
        "events": [event_to_dict(e) for e in case.events],
    }
    return {k: _plain(values[k]) for k in _CASE_KEYS if k in _CASE_ALWAYS or not _empty(values[k])}


def cases_to_document(cases: Iterable[Case]) -> dict:
    """The exchange document for ``cases``.

    A list or tuple gives a list of case dicts. Any other iterable (a generator over the
    database, say) is converted lazily: ``document["cases"]`` is then a one-shot iterator
    that ``dump_document`` consumes case by case, so a large export never sits in memory.
    """
    converted: Iterable[dict]
    if isinstance(cases, Sequence):
        converted = [case_to_dict(c) for c in cases]
    else:
        converted = map(case_to_dict, cases)
    return {"format": FORMAT, "version": VERSION, "cases": converted}


def dump_document(doc: dict, fp_or_path: IO[str] | str | os.PathLike) -> None:
    """Write ``doc`` as UTF-8 JSON, indented by 2, with a trailing newline.

    The bytes equal ``json.dumps(doc, ensure_ascii=False, indent=2) + "\\n"``; the case list
    is written one case at a time. A path is written through a temporary file so that a
    failed export never leaves half a file under the real name.
    """
    if hasattr(fp_or_path, "write"):
        _write_document(doc, fp_or_path)  # type: ignore[arg-type]
        return
    path = Path(fp_or_path)
    temporary = path.with_name(path.name + ".part")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as out:
            _write_document(doc, out)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def _write_document(doc: dict, out: IO[str]) -> None:
    out.write("{")
    for index, (key, value) in enumerate(doc.items()):
        out.write("," if index else "")
        out.write(f"\n  {json.dumps(key, ensure_ascii=False)}: ")
        if key == "cases":
            _write_list(value, out)
        else:
            out.write(_indented(value, 2))
    out.write("\n}\n" if doc else "}\n")


def _write_list(items: Iterable[Any], out: IO[str]) -> None:
    out.write("[")
    wrote = False
    for item in items:
        out.write(",\n    " if wrote else "\n    ")
        out.write(_indented(item, 4))
        wrote = True
    out.write("\n  ]" if wrote else "]")


def _indented(value: Any, level: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * level)


# ---------------------------------------------------------------------------------- reading

_JSON_MESSAGES = {
    "Expecting value": "此处应有一个值",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Expecting property name enclosed in double quotes": "键名须用英文双引号括起",
    "Unterminated string starting at": "字符串缺少结尾的引号",
    "Invalid control character at": "字符串中有非法控制字符",
    "Extra data": "文件末尾有多余内容",
    "Invalid \\escape": "无效的转义符",
}


def load_document(path: str | os.PathLike) -> dict:
    """Read an exchange file; unreadable files and bad JSON are refused in Chinese."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ExchangeError([f"无法读取文件“{path.name}”：{error.strerror or error}"]) from None
    except UnicodeDecodeError:
        raise ExchangeError([f"文件“{path.name}”不是UTF-8编码的交换文件"]) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        reason = _JSON_MESSAGES.get(error.msg, "格式错误")
        raise ExchangeError(
            [f"文件“{path.name}”不是有效的JSON：第{error.lineno}行第{error.colno}列，{reason}"]
        ) from None
    if not isinstance(doc, dict):
        raise ExchangeError([f"文件“{path.name}”不是案件交换文件（最外层应为对象）"])
    return doc


def parse_time(value: Any) -> datetime:
    """An ISO 8601 time with any offset or ``Z``, in Asia/Shanghai; naive means local."""
    if not isinstance(value, str):
        raise ValueError(value)
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def document_to_cases(
    doc: dict,
    *,
    villages: set[str] | None = None,
    categories: set[str] | None = None,
    stations: set[str] | None = None,
) -> list[Case]:
    """The cases of an exchange document, checked whole.

    Every problem in the document is collected (unknown units, bad codes and times, missing
    fields, timelines the lifecycle refuses, duplicates inside the file) and raised together
    as one ``ExchangeError``; nothing is returned unless the whole document is sound.
    ``case_no`` may be missing, in which case it is "" and the caller numbers the case.
    """
    if not isinstance(doc, dict):
        raise ExchangeError(["不是案件交换文件（最外层应为对象）"])
    header = []
    if doc.get("format") != FORMAT:
        header.append(f"不是案件交换文件：format 应为“{FORMAT}”，实为“{doc.get('format')}”")
    elif doc.get("version") != VERSION:
        header.append(f"不支持的交换文件版本“{doc.get('version')}”，本程序只能读取版本{VERSION}")
    items = doc.get("cases", [])
    if not isinstance(items, list):
        header.append("cases 应为案件列表")
    if header:
        raise ExchangeError(header)

    reader = _Reader(villages, categories, stations)
    cases = [reader.case(index, item) for index, item in enumerate(items, start=1)]
    if reader.problems:
        raise ExchangeError(reader.problems)
    return cases  # type: ignore[return-value]


class _Reader:
    """Builds cases while collecting problems; a case with problems comes back as None."""

    def __init__(self, villages, categories, stations):
        self.villages, self.categories, self.stations = villages, categories, stations
        self.problems: list[str] = []
        self.case_nos: dict[str, int] = {}
        self.incidents: dict[str, int] = {}
        self._where = ""

    def fail(self, text: str) -> None:
        self.problems.append(f"{self._where}：{text}")

    # -- whole case

    def case(self, index: int, item: Any) -> Case | None:
        case_no = item.get("case_no") if isinstance(item, dict) else None
        shown = f"（{case_no}）" if isinstance(case_no, str) and case_no else ""
        self._where = f"第{index}个案件{shown}"
        if not isinstance(item, dict):
            self.fail("应为一个对象")
            return None
        before = len(self.problems)
        self._unknown_keys(item, _CASE_KEYS, "")
        for key in _CASE_REQUIRED:
            if _empty(item.get(key)):
                self.fail(f"缺少{LABELS[key]}（{key}）")
        text = {k: self.text(item, k) for k in ("case_no", "police_incident_no", "police_station", "officer",
                                                "village", "location", "summary", "category", "repeat_of")}
        received = self.time(item, "received_at", "")
        called = self.time(item, "called_at", "")
        source = self.code(item, "source", Source, "", Source.POLICE_TRANSFER)
        grade = self.code(item, "grade", Grade, "", Grade.GENERAL)
        risk = self.code(item, "risk", Risk, "", Risk.BLUE)
        criminal = self.flag(item, "criminal_risk", "", False)
        key_persons = self.flag(item, "key_persons", "", False)
        self.known(text["village"], self.villages, "村（社区）")
        self.known(text["category"], self.categories, "类别")
        self.known(text["police_station"], self.stations, "派出所")
        self.unique(text["case_no"], self.case_nos, index, "案件编号")
        self.unique(text["police_incident_no"], self.incidents, index, "警情编号")
        parties = [self.party(i, p) for i, p in enumerate(self.listing(item, "parties"), start=1)]
        events = [self.event(i, e) for i, e in enumerate(self.listing(item, "events"), start=1)]
        if len(self.problems) > before:
            return None
        case = Case(
            received_at=received, village=text["village"], summary=text["summary"], category=text["category"],
            grade=grade, risk=risk, source=source, case_no=text["case_no"],
            police_incident_no=text["police_incident_no"], police_station=text["police_station"],
            location=text["location"], criminal_risk=criminal, key_persons=key_persons, called_at=called,
            officer=text["officer"], parties=parties, events=events, repeat_of=text["repeat_of"],
        )
        try:
            check_timeline(case)
        except DomainError as error:
            self.fail(error.message)
            return None
        return case

    def party(self, index: int, item: Any) -> Party | None:
        where = f"第{index}个当事人的"
        if not isinstance(item, dict):
            self.fail(f"第{index}个当事人应为一个对象")
            return None
        self._unknown_keys(item, _PARTY_KEYS, f"第{index}个当事人")
        return Party(
            name=self.text(item, "name", where), phone=self.text(item, "phone", where),
            role=self.code(item, "role", PartyRole, where, PartyRole.PARTY),
            id_number=self.text(item, "id_number", where),
        )

    def event(self, index: int, item: Any) -> Event | None:
        where = f"第{index}条记录的"
        if not isinstance(item, dict):
            self.fail(f"第{index}条记录应为一个对象")
            return None
        raw_type = item.get("type")
        try:
            kind = EventType(raw_type)
        except ValueError:
            self.fail(f"第{index}条记录的类型“{raw_type}”无法识别")
            return None
        allowed = _EVENT_COMMON + EVENT_FIELDS[kind]
        self._unknown_keys(item, allowed, f"第{index}条记录（{kind.label}）")
        if _empty(item.get("at")):
            self.fail(f"第{index}条记录缺少时间（at）")
        at = self.time(item, "at", where)
        data: dict[str, Any] = {}
        for name in EVENT_FIELDS[kind]:
            if item.get(name) is None:
                continue
            if name in _ENUM_FIELDS:
                data[name] = self.code(item, name, _ENUM_FIELDS[name], where, None)
            elif name in _TIME_FIELDS:
                data[name] = self.time(item, name, where)
            elif name in _BOOL_FIELDS:
                data[name] = self.flag(item, name, where, None)
            elif name in _LIST_FIELDS:
                data[name] = self.strings(item, name, where)
            else:
                data[name] = self.text(item, name, where)
        if kind == EventType.CLASSIFIED and data.get("category"):
            self.known(data["category"], self.categories, "类别")
        return Event(
            kind, at, by=self.text(item, "by", where), note=self.text(item, "note", where),
            data=data, evidence=self.strings(item, "evidence", where),
        )

    # -- single fields; each reports its own problem and returns a harmless default

    def _unknown_keys(self, item: dict, allowed: Sequence[str], owner: str) -> None:
        for key in item:
            if key not in allowed:
                self.fail(f"{owner}有无法识别的字段“{key}”")

    def text(self, item: dict, key: str, where: str = "") -> str:
        value = item.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(f"{where}{LABELS.get(key, key)}（{key}）应为文字")
            return ""
        return value

    def strings(self, item: dict, key: str, where: str) -> list[str]:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{where}{LABELS.get(key, key)}（{key}）应为文字列表")
            return []
        return list(value)

    def listing(self, item: dict, key: str) -> list:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{LABELS[key]}（{key}）应为列表")
            return []
        return value

    def time(self, item: dict, key: str, where: str) -> Any:
        value = item.get(key)
        if _empty(value):
            return None
        try:
            return parse_time(value)
        except (TypeError, ValueError):
            self.fail(f"{where}{LABELS.get(key, key)}（{key}）无法识别：“{value}”")
            return None

    def code(self, item: dict, key: str, kind: type[Coded], where: str, default: Any) -> Any:
        value = item.get(key)
        if value is None:
            return default
        for member in kind:
            if value == member.value:
                return member
        codes = "、".join(f"{m.value}（{m.label}）" for m in kind)
        self.fail(f"{where}{LABELS.get(key, key)}（{key}）“{value}”无法识别，可选：{codes}")
        return default

    def flag(self, item: dict, key: str, where: str, default: bool | None) -> bool | None:
        value = item.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(f"{where}{LABELS.get(key, key)}（{key}）应为 true 或 false")
            return default
        return value

    def known(self, name: str, names: set[str] | None, label: str) -> None:
        if name and names is not None and name not in names:
            self.fail(f"未知的{label}“{name}”")

    def unique(self, value: str, seen: dict[str, int], index: int, label: str) -> None:
        if not value:
            return
        if value in seen:
            self.fail(f"{label} {value} 与第{seen[value]}个案件重复")
        else:
            seen[value] = index

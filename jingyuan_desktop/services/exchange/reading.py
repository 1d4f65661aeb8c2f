"""Reading an exchange file back into cases, every problem of the whole file at once.

Reading is the mirror image of writing: a missing key takes the value that would have caused
it to be left out (empty text, an empty list, no time), and a missing code or flag takes the
domain's own default (``Case``, ``Party``; a case without ``risk`` has no colour yet).

Files of version 2 are checked against the rules as they are (``check_timeline``). Files of
version 1 are read with version 1's event fields, converted by ``version1.upgrade_case`` and
checked with ``check_timeline(case, legacy=True)``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jingyuan_desktop import os_errors
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import DomainError, EventType
from jingyuan_desktop.domain.lifecycle import check_timeline
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.domain.text import text_problem
from jingyuan_desktop.services.exchange.schema import (
    CASE_FIELDS,
    EVENT_HEAD,
    EVENT_TAIL,
    FORMAT,
    PARTY_FIELDS,
    VERSIONS,
    ExchangeError,
    Field,
    Kind,
    Known,
    data_fields,
    is_empty,
)
from jingyuan_desktop.services.exchange.version1 import upgrade_case

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
_EVENT_TYPES = {kind.value: kind for kind in EventType}
# What a missing key reads as; a missing code or flag is left to the domain's default.
_EMPTY: dict[Kind, Any] = {Kind.TEXT: "", Kind.TIME: None}
_LISTS = (Kind.TEXTS, Kind.LIST)
_OMIT = object()  # no value to pass on: the key is missing, or its value was refused


def load_document(path: str | os.PathLike) -> dict:
    """Read an exchange file; unreadable files and bad JSON are refused in Chinese."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ExchangeError([f"无法读取文件“{path.name}”：{os_errors.reason(error)}"]) from None
    except UnicodeDecodeError:
        raise ExchangeError([f"文件“{path.name}”不是UTF-8编码的交换文件"]) from None
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ExchangeError([f"文件“{path.name}”不是案件交换文件（嵌套层数过多）"]) from None
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
    """The cases of an exchange document of version 1 or 2, checked whole; version 1's
    events come back in version 2's form (``version1``).

    Every problem in the document is collected (unknown units, bad codes and times, missing
    fields, text longer than the database keeps, timelines the lifecycle refuses, duplicates
    inside the file) and raised together as one ``ExchangeError``; nothing is returned unless
    the whole document is sound. ``case_no`` may be missing, in which case it is "" and the
    caller numbers the case.
    """
    if not isinstance(doc, dict):
        raise ExchangeError(["不是案件交换文件（最外层应为对象）"])
    header = []
    if doc.get("format") != FORMAT:
        header.append(f"不是案件交换文件：format 应为“{FORMAT}”，实为“{doc.get('format')}”")
    elif not _readable(doc.get("version")):
        known = "和".join(str(v) for v in VERSIONS)
        header.append(f"不支持的交换文件版本“{doc.get('version')}”，本程序只能读取版本{known}")
    items = doc.get("cases", [])
    if not isinstance(items, list):
        header.append("cases 应为案件列表")
    if header:
        raise ExchangeError(header)

    reader = _Reader({Known.VILLAGE: villages, Known.CATEGORY: categories, Known.STATION: stations},
                     doc["version"])
    cases = [reader.case(index, item) for index, item in enumerate(items, start=1)]
    if reader.problems:
        raise ExchangeError(reader.problems)
    return [case for case in cases if case is not None]


def _readable(version: Any) -> bool:
    return isinstance(version, int) and not isinstance(version, bool) and version in VERSIONS


class _Reader:
    """Builds cases while collecting problems; a case with problems comes back as None.

    ``owner`` names where a field sits inside the current case ("第2条记录"), "" for the
    case's own fields; every problem starts with the case ("第3个案件（FZ-2026-00003）").
    """

    def __init__(self, known: dict[Known, set[str] | None], version: int):
        self.known = known
        self.version = version
        self.problems: list[str] = []
        self.seen: dict[str, dict[str, int]] = {f.key: {} for f in CASE_FIELDS if f.unique}
        self._where = ""
        self._index = 0

    def fail(self, text: str) -> None:
        self.problems.append(f"{self._where}：{text}")

    def case(self, index: int, item: Any) -> Case | None:
        case_no = item.get("case_no") if isinstance(item, dict) else None
        shown = f"（{case_no}）" if isinstance(case_no, str) and case_no else ""
        self._where, self._index = f"第{index}个案件{shown}", index
        if not isinstance(item, dict):
            self.fail("应为一个对象")
            return None
        before = len(self.problems)
        values = self.fields(item, CASE_FIELDS, "")
        for f in CASE_FIELDS:
            if f.unique:
                self._unique(f, values.get(f.key))
        values["parties"] = [self.party(i, p) for i, p in enumerate(values.get("parties", []), start=1)]
        values["events"] = [self.event(i, e) for i, e in enumerate(values.get("events", []), start=1)]
        if len(self.problems) > before:
            return None
        case = Case(**values)
        legacy = self.version == 1
        if legacy:
            case = upgrade_case(case)
        try:
            check_timeline(case, legacy=legacy)
        except DomainError as error:
            self.fail(error.message)
            return None
        return case

    def party(self, index: int, item: Any) -> Party | None:
        owner = f"第{index}个当事人"
        if not isinstance(item, dict):
            self.fail(f"{owner}应为一个对象")
            return None
        before = len(self.problems)
        values = self.fields(item, PARTY_FIELDS, owner)
        return Party(**values) if len(self.problems) == before else None

    def event(self, index: int, item: Any) -> Event | None:
        owner = f"第{index}条记录"
        if not isinstance(item, dict):
            self.fail(f"{owner}应为一个对象")
            return None
        raw_type = item.get("type")
        kind = _EVENT_TYPES.get(raw_type) if isinstance(raw_type, str) else None
        if kind is None:
            self.fail(f"{owner}的类型“{raw_type}”无法识别")
            return None
        fields = data_fields(kind, self.version)
        if fields is None:
            self.fail(f"{owner}的类型“{raw_type}”（{kind.label}）不属于版本{self.version}的交换文件")
            return None
        before = len(self.problems)
        values = self.fields(item, (*EVENT_HEAD, *fields, *EVENT_TAIL), owner, f"{owner}（{kind.label}）")
        if len(self.problems) > before:
            return None
        # An event field that is not given is left out of the data, not stored empty.
        data = {f.key: values[f.key] for f in fields if item.get(f.key) is not None}
        return Event(kind, values["at"], by=values["by"], note=values["note"], data=data,
                     evidence=values["evidence"])

    # -- fields: each reports its own problem

    def fields(self, item: dict, fields: Sequence[Field], owner: str, named: str | None = None) -> dict[str, Any]:
        """The values of ``fields`` in ``item``; keys that are missing, or whose value was
        refused, are left out. ``named`` is how an unknown key's owner is called."""
        allowed = {f.key for f in fields}
        for key in item:
            if key not in allowed:
                self.fail(f"{owner if named is None else named}有无法识别的字段“{key}”")
        for f in fields:
            if f.required and is_empty(item.get(f.key)):
                self.fail(f"{owner}缺少{f.label}（{f.key}）")
        values = {}
        for f in fields:
            value = self.value(item.get(f.key), f, f"{owner}的" if owner else "")
            if value is not _OMIT:
                values[f.key] = value
        return values

    def value(self, value: Any, f: Field, of: str) -> Any:
        """``value`` as the field's kind; ``_OMIT`` when missing without an empty form, or refused."""
        name = f"{of}{f.label}（{f.key}）"
        if f.kind in _LISTS and value is None:
            return []
        if value is None or (f.kind == Kind.TIME and is_empty(value)):
            return _EMPTY.get(f.kind, _OMIT)
        if f.kind == Kind.TEXT:
            return self._text(value, f, name)
        if f.kind == Kind.TIME:
            try:
                return parse_time(value)
            except (TypeError, ValueError, OverflowError):
                self.fail(f"{name}无法识别：“{value}”")
                return _OMIT
        if f.kind == Kind.CODE and f.codes is not None:
            for member in f.codes:
                if value == member.value:
                    return member.value if f.as_text else member
            codes = "、".join(f"{m.value}（{m.label}）" for m in f.codes)
            self.fail(f"{name}“{value}”无法识别，可选：{codes}")
            return _OMIT
        if f.kind == Kind.FLAG:
            if isinstance(value, bool):
                return value
            self.fail(f"{name}应为 true 或 false")
            return _OMIT
        if f.kind == Kind.TEXTS:
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                problems = [p for p in (text_problem(v) for v in value) if p]
                if problems:
                    self.fail(f"{name}{problems[0]}")
                    return _OMIT
                return list(value)
            self.fail(f"{name}应为文字列表")
            return _OMIT
        if isinstance(value, list):
            return value
        self.fail(f"{name}应为列表")
        return _OMIT

    def _text(self, value: Any, f: Field, name: str) -> Any:
        if not isinstance(value, str):
            self.fail(f"{name}应为文字")
            return _OMIT
        problem = text_problem(value)
        if problem:
            self.fail(f"{name}{problem}")
            return _OMIT
        if f.max_length is not None and len(value) > f.max_length:
            self.fail(f"{name}太长（最多{f.max_length}字）")
            return _OMIT
        known = self.known.get(f.known) if f.known is not None else None
        if value and known is not None and value not in known:
            self.fail(f"未知的{f.label}“{value}”")
        return value

    def _unique(self, f: Field, value: Any) -> None:
        if not isinstance(value, str) or not value:
            return
        seen = self.seen[f.key]
        if value in seen:
            self.fail(f"{f.label} {value} 与第{seen[value]}个案件重复")
        else:
            seen[value] = self._index

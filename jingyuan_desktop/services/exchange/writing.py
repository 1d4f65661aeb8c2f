"""Writing cases to an exchange file, so that export -> import -> export gives the same bytes.

* keys come in the order of the schema: ``CASE_FIELDS``, ``PARTY_FIELDS`` and, for events,
  ``EVENT_HEAD``, the type's fields in ``EVENT_FIELDS`` order, ``EVENT_TAIL``;
* times are written in Asia/Shanghai (``+08:00``), to the second, microseconds only if nonzero;
* enum values are written as their English codes;
* the version written is ``VERSION`` (2), whatever version the cases were read from;
* a key is left out when it holds nothing (empty text, empty list or None) unless its field
  is ``always`` written; so a case not yet classified has no ``risk``. A boolean inside an
  event is written whenever it is given, because there ``false`` is a statement (no criminal
  risk, the agreement not kept) and only None means "not given";
* event data keys that the event type does not define are not part of the format and are
  dropped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import Coded
from jingyuan_desktop.domain.model import EVENT_FIELDS, Case, Event, Party
from jingyuan_desktop.services.exchange.schema import (
    CASE_FIELDS,
    EVENT_HEAD,
    EVENT_TAIL,
    FORMAT,
    PARTY_FIELDS,
    VERSION,
    Field,
    is_empty,
)


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


def _written(fields: Sequence[Field], values: dict[str, Any]) -> dict[str, Any]:
    return {f.key: _plain(values[f.key]) for f in fields if f.always or not is_empty(values[f.key])}


def party_to_dict(party: Party) -> dict:
    """One party in exchange form."""
    return _written(PARTY_FIELDS, {f.key: getattr(party, f.key) for f in PARTY_FIELDS})


def event_to_dict(event: Event) -> dict:
    """One timeline entry in exchange form."""
    values = {"type": event.type, "at": event.at, "by": event.by, "note": event.note, "evidence": event.evidence}
    data = {name: event.data.get(name) for name in EVENT_FIELDS[event.type]}
    return {**_written(EVENT_HEAD, values),
            **{name: _plain(value) for name, value in data.items() if not is_empty(value)},
            **_written(EVENT_TAIL, values)}


def case_to_dict(case: Case) -> dict:
    """One case with its parties and timeline in exchange form."""
    values = {f.key: getattr(case, f.key) for f in CASE_FIELDS}
    values["parties"] = [party_to_dict(p) for p in case.parties]
    values["events"] = [event_to_dict(e) for e in case.events]
    return _written(CASE_FIELDS, values)


def cases_to_document(cases: Iterable[Case]) -> dict:
    """The exchange document for ``cases``.

    A list or tuple gives a list of case dicts. Any other iterable (a generator over the
    database, say) is converted lazily: ``document["cases"]`` is then a one-shot iterator
    that ``dump_document`` consumes case by case, so a large export never sits in memory.
    """
    converted: Iterable[dict] = (
        [case_to_dict(c) for c in cases] if isinstance(cases, Sequence) else map(case_to_dict, cases)
    )
    return {"format": FORMAT, "version": VERSION, "cases": converted}


def dump_document(doc: dict, fp_or_path: IO[str] | str | os.PathLike) -> None:
    """Write ``doc`` as UTF-8 JSON, indented by 2, with a trailing newline.

    The bytes equal ``json.dumps(doc, ensure_ascii=False, indent=2) + "\\n"``; the case list
    is written one case at a time. A path is written through a temporary file so that a
    failed export never leaves half a file under the real name.
    """
    if not isinstance(fp_or_path, (str, os.PathLike)):
        _write_document(doc, fp_or_path)
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

"""The limits every way in (the window, a transfer list, an exchange file) holds a text to:
as long as its database column allows, and nothing a database cannot store
(``domain.text.text_problem``); the same on SQLite and PostgreSQL."""

from __future__ import annotations

from jingyuan_desktop.domain.text import text_problem
from jingyuan_desktop.services.exchange.schema import CASE_FIELDS, PARTY_FIELDS

_FIELDS = {f.key: f for f in (*CASE_FIELDS, *PARTY_FIELDS)}
_PARTY_LABELS = {"name": "姓名", "phone": "电话", "id_number": "身份证号"}


def text_problems(texts: dict[str, str], labels: dict[str, str] | None = None) -> dict[str, str]:
    """Field key -> Chinese message for each text that may not be stored; ``labels`` renames
    fields where the form calls them otherwise (报警人 for a party's name, say)."""
    problems = {}
    for key, text in texts.items():
        field = _FIELDS[key]
        label = (labels or {}).get(key) or _PARTY_LABELS.get(key) or field.label
        if field.max_length is not None and len(text) > field.max_length:
            problems[key] = f"{label}太长（{len(text)}字，最多{field.max_length}字）"
        elif problem := text_problem(text):
            problems[key] = f"{label}{problem}"
    return problems

"""What every kind of base data shares: the names the office types, checked the same way."""

from __future__ import annotations

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.services.context import ServiceError

VILLAGE_KINDS = (UnitKind.VILLAGE, UnitKind.COMMUNITY)
NAME_LIMIT = 100  # the width of the name columns


def clean_name(text: str | None, what: str) -> str:
    """``text`` stripped; refused when empty or wider than the name columns."""
    name = (text or "").strip()
    if not name:
        raise ServiceError(f"请填写{what}")
    if len(name) > NAME_LIMIT:
        raise ServiceError(f"{what}“{name[:20]}…”太长（最多{NAME_LIMIT}字）")
    return name

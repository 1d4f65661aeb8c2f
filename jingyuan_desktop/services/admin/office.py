"""The office's own settings: the town, the numbering prefixes, the red-case rule, the PDF font."""

from __future__ import annotations

import re
from pathlib import Path

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.services.admin.names import clean_name
from jingyuan_desktop.services.context import (
    BACKUP_KEEP_RANGE,
    OFFICE_FIELDS,
    OFFICE_SETTINGS_KEY,
    AppContext,
    OfficeSettings,
    ServiceError,
)
from jingyuan_desktop.store import repository

FONT_SUFFIXES = (".ttf", ".ttc", ".otf")


def save_office(ctx: AppContext, **changes) -> OfficeSettings:
    """Change office settings (town, prefixes, the red-case leader rule, the PDF font); returns them all."""
    ctx.require(Permission.EDIT_SETTINGS)
    unknown = set(changes) - set(OFFICE_FIELDS)
    if unknown:
        raise ServiceError(f"未知的设置项：{'、'.join(sorted(unknown))}")
    clean = dict(changes)
    if "town" in clean:
        clean["town"] = clean_name(clean["town"], "镇（街道）名称")
    for key, what in (("case_no_prefix", "案件编号前缀"), ("archive_no_prefix", "档案编号前缀")):
        if key in clean:
            prefix = (clean[key] or "").strip().upper()
            if not re.fullmatch(r"[A-Z0-9]{1,10}", prefix):
                raise ServiceError(f"{what}须为1到10位字母或数字，如 {getattr(OfficeSettings(), key)}")
            clean[key] = prefix
    if "require_leader_for_red" in clean:
        clean["require_leader_for_red"] = bool(clean["require_leader_for_red"])
    if "meeting_weekday" in clean:
        try:
            weekday = int(clean["meeting_weekday"])
        except (TypeError, ValueError):
            weekday = 0
        if not 1 <= weekday <= 7:
            raise ServiceError("周例会的星期应为 1（周一）到 7（周日）")
        clean["meeting_weekday"] = weekday
    if "backup_keep" in clean:
        try:
            keep = int(clean["backup_keep"])
        except (TypeError, ValueError):
            keep = 0
        low, high = BACKUP_KEEP_RANGE
        if not low <= keep <= high:
            raise ServiceError(f"自动备份保留份数须在{low}到{high}之间")
        clean["backup_keep"] = keep
    if "paper_font" in clean:
        clean["paper_font"] = _font_path(clean["paper_font"])
    with ctx.session() as session:
        stored = OfficeSettings.from_dict(repository.get_setting(session, OFFICE_SETTINGS_KEY, {})).to_dict()
        office = OfficeSettings.from_dict({**stored, **clean})
        repository.set_setting(session, OFFICE_SETTINGS_KEY, office.to_dict(), user=ctx.user, at=ctx.now())
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

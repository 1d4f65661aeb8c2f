"""Office hours and the numbers of every clock (``ClockSettings``), with the words for each."""

from __future__ import annotations

from dataclasses import fields
from datetime import time
from typing import NamedTuple

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.services.context import CLOCK_SETTINGS_KEY, AppContext, ServiceError
from jingyuan_desktop.store import repository


class ClockSettingLabel(NamedTuple):
    label: str  # next to the field on the settings page, and in refusals
    unit: str = ""  # after the number on the settings page


# Each number of ``ClockSettings`` as the procedure states it, in the order the settings page
# shows them; one entry for every field.
CLOCK_SETTING_LABELS: dict[str, ClockSettingLabel] = {
    "office_start": ClockSettingLabel("上班时间"),
    "office_end": ClockSettingLabel("下班时间"),
    "dispatch_office_minutes": ClockSettingLabel("分类交办时限", "分钟（办公时间内计）"),
    "arrive_minutes": ClockSettingLabel("到场时限", "分钟（自交办起）"),
    "progress_due": ClockSettingLabel("每日进展报送截止"),
    "follow_up_grace_minutes": ClockSettingLabel("约定后续宽限", "分钟"),
    "return_visit_working_days": ClockSettingLabel("回访时限", "个工作日（自化解起）"),
    "return_visit_due": ClockSettingLabel("回访截止时刻"),
    "police_feedback_working_days": ClockSettingLabel("反馈派出所时限", "个工作日（自回访起）"),
    "police_feedback_due": ClockSettingLabel("反馈截止时刻"),
    "supervision_days": ClockSettingLabel("红色案件督办周期", "天"),
    "escalation_failures": ClockSettingLabel("建议升级疑难的调解未成次数", "次"),
    "repeat_window_days": ClockSettingLabel("重复报警识别范围", "天内"),
    "relapse_watch_days": ClockSettingLabel("化解后防反复关注期", "天（蓝色关注，期内再报警即关联）"),
    "follow_visit_interval_months": ClockSettingLabel("疑难、红色案件定期回访间隔", "个月"),
    "follow_visit_months": ClockSettingLabel("定期回访持续", "个月（0为不定期回访）"),
    "follow_visit_due": ClockSettingLabel("定期回访截止时刻"),
}
# The labels alone, as earlier versions offered them.
CLOCK_LABELS = {name: entry.label for name, entry in CLOCK_SETTING_LABELS.items()}

# Numbers of ClockSettings that may be 0: no grace after an agreed time, a same-day visit or feedback.
MAY_BE_ZERO = frozenset({"follow_up_grace_minutes", "return_visit_working_days", "police_feedback_working_days",
                         "follow_visit_months"})
CLOCK_LIMITS = {"minutes": 7 * 24 * 60, "days": 366, "months": 36, "other": 100}


def check_clock_settings(settings: ClockSettings) -> None:
    """Refuse numbers that would make the clocks meaningless; the form calls it before saving."""
    if settings.office_start >= settings.office_end:
        raise ServiceError(f"{CLOCK_LABELS['office_start']}须早于{CLOCK_LABELS['office_end']}")
    for item in fields(ClockSettings):
        value = getattr(settings, item.name)
        if isinstance(value, time):
            continue
        lowest = 0 if item.name in MAY_BE_ZERO else 1
        unit = next((u for u in ("minutes", "days", "months") if item.name.endswith(u)), "other")
        if not lowest <= int(value) <= CLOCK_LIMITS[unit]:
            raise ServiceError(f"{CLOCK_LABELS[item.name]}须在{lowest}到{CLOCK_LIMITS[unit]}之间")


def save_clock_settings(ctx: AppContext, settings: ClockSettings) -> None:
    """Store office hours and every clock's numbers; the clocks use them from the next read."""
    ctx.require(Permission.EDIT_SETTINGS)
    check_clock_settings(settings)
    with ctx.session() as session:
        repository.set_setting(session, CLOCK_SETTINGS_KEY, settings.to_dict(), user=ctx.user, at=ctx.now())

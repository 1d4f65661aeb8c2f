"""The prevention half of the seeds: grids, key persons, patrols and warnings (issue 14).

Finding disputes before they reach the police: each grid is patrolled at least weekly by its
grid worker (seed 000), each village is visited at least twice a week by its village police
officer (seed 001), key persons are visited on a cycle set by their type with a named person
responsible (seed 001), and the office can declare a warning period in which patrols are
daily (seed 001's 敏感时期每日报告). These are the records those rules read; the clocks are in
``domain.prevention_clocks`` and person matching in ``domain.persons``. No Qt, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from jingyuan_desktop.domain.enums import Coded, DomainError, _labelled

_KEY_PERSON_TYPE = {
    "community_correction": "社区矫正",
    "released": "刑满释放",
    "mental_disorder": "精神障碍",
    "drug_user": "吸毒",
    "extreme_threat": "扬言极端",
    "repeat_caller": "多次报警",
}


@_labelled("重点人员类型", _KEY_PERSON_TYPE)
class KeyPersonType(Coded):
    """The types the seeds name. The office may add its own: a key person's ``type`` is then
    the office's own Chinese label, stored as written (see ``type_label``)."""

    COMMUNITY_CORRECTION = "community_correction"
    RELEASED = "released"
    MENTAL_DISORDER = "mental_disorder"
    DRUG_USER = "drug_user"
    EXTREME_THREAT = "extreme_threat"
    REPEAT_CALLER = "repeat_caller"


def type_code(text: str) -> str:
    """A key-person type as stored: the code of a seed type (given by code or label), else the
    office's own label as written. Empty is refused."""
    value = (text or "").strip()
    if not value:
        raise DomainError("重点人员类型不能为空")
    for member in KeyPersonType:
        if value in (member.value, member.label):
            return member.value
    if len(value) > 32:
        raise DomainError(f"重点人员类型过长（最多32字）：{value}")
    return value


def type_label(code: str) -> str:
    for member in KeyPersonType:
        if code == member.value:
            return member.label
    return code


@_labelled("走访人员类型", {"grid_worker": "网格员", "village_officer": "包村民警", "informant": "治安信息员"})
class PatrolRole(Coded):
    """Who wrote a patrol entry: a grid worker patrolling his grid, the village police officer
    visiting his village, or an information officer's report (seed 003)."""

    GRID_WORKER = "grid_worker"
    VILLAGE_OFFICER = "village_officer"
    INFORMANT = "informant"


@_labelled("排查时限", {"grid_patrol": "网格巡查", "officer_visit": "民警进村走访",
                      "key_person_visit": "重点人员走访"})
class DutyName(Coded):
    """The prevention clocks. They belong to a person or a grid, not to a case."""

    GRID_PATROL = "grid_patrol"
    OFFICER_VISIT = "officer_visit"
    KEY_PERSON_VISIT = "key_person_visit"


# Days between visits of a key person, by type (seed 001 names the types, not the cycle: these
# are the defaults an office starts from and changes in the settings).
DEFAULT_VISIT_DAYS: dict[str, int] = {
    KeyPersonType.COMMUNITY_CORRECTION.value: 7,
    KeyPersonType.RELEASED.value: 30,
    KeyPersonType.MENTAL_DISORDER.value: 14,
    KeyPersonType.DRUG_USER.value: 14,
    KeyPersonType.EXTREME_THREAT.value: 3,
    KeyPersonType.REPEAT_CALLER.value: 7,
}


@dataclass(frozen=True)
class PreventionSettings:
    """The numbers of the prevention rules; the office can change each one."""

    grid_patrols_per_week: int = 1  # seed 000: 每周至少巡查一次
    officer_visits_per_week: int = 2  # seed 001: 每周至少两次进村
    visit_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_VISIT_DAYS))
    other_visit_days: int = 30  # the office's own types
    # Past periods still shown as overdue in the timer panel; older misses stay in the figures.
    overdue_lookback_weeks: int = 4

    def days_for(self, type_: str) -> int:
        return int(self.visit_days.get(type_, self.other_visit_days))

    def to_dict(self) -> dict[str, Any]:
        return {
            "grid_patrols_per_week": self.grid_patrols_per_week,
            "officer_visits_per_week": self.officer_visits_per_week,
            "visit_days": dict(self.visit_days),
            "other_visit_days": self.other_visit_days,
            "overdue_lookback_weeks": self.overdue_lookback_weeks,
        }

    @classmethod
    def from_dict(cls, stored: dict[str, Any] | None) -> PreventionSettings:
        """From the stored JSON: unknown keys ignored, missing or unusable ones at defaults."""
        stored = stored or {}
        base = cls()

        def number(key: str, default: int, low: int, high: int) -> int:
            try:
                value = int(stored.get(key, default))
            except (TypeError, ValueError):
                return default
            return value if low <= value <= high else default

        days = dict(base.visit_days)
        for key, value in (stored.get("visit_days") or {}).items():
            try:
                n = int(value)
            except (TypeError, ValueError):
                continue
            if 1 <= n <= 366:
                days[str(key)] = n
        return cls(
            grid_patrols_per_week=number("grid_patrols_per_week", base.grid_patrols_per_week, 1, 7),
            officer_visits_per_week=number("officer_visits_per_week", base.officer_visits_per_week, 1, 7),
            visit_days=days,
            other_visit_days=number("other_visit_days", base.other_visit_days, 1, 366),
            overdue_lookback_weeks=number("overdue_lookback_weeks", base.overdue_lookback_weeks, 0, 52),
        )


@dataclass(frozen=True)
class Grid:
    """A grid (网格) below a village, with its grid head and grid workers (names from the
    office's people list where known). ``since`` is the day its weekly patrol clock starts."""

    village: str
    name: str
    head: str = ""
    workers: tuple[str, ...] = ()
    since: date | None = None
    note: str = ""
    id: int | None = None

    @property
    def key(self) -> str:
        return grid_key(self.village, self.name)


def grid_key(village: str, grid: str) -> str:
    """How a grid is named across the program: 「村/网格」, unique in the town."""
    return f"{village}/{grid}"


@dataclass(frozen=True)
class JointPoint:
    """A joint-defence point (联防联控点, seed 004) in a village, optionally in a grid."""

    village: str
    name: str
    grid: str = ""
    head: str = ""
    phone: str = ""
    id: int | None = None


@dataclass(frozen=True)
class OfficerBeat:
    """A village police officer (包村民警) and a village he visits; ``since`` starts his clock."""

    officer: str
    village: str
    since: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class Citizen:
    """A person met in cases, visits and the key-person register, matched across them by ID
    number or phone (``domain.persons``)."""

    name: str
    id_number: str = ""
    phone: str = ""
    village: str = ""
    grid: str = ""
    address: str = ""
    id: int | None = None


@dataclass(frozen=True)
class KeyPerson:
    """An entry of the key-person register (重点人员): who, which type, who answers for him,
    what control measures, and every how many days he is visited (None: by type)."""

    citizen_id: int
    name: str
    type: str
    responsible: str
    measures: str = ""
    visit_days: int | None = None
    since: date | None = None
    ended: date | None = None
    village: str = ""
    grid: str = ""
    note: str = ""
    id: int | None = None

    @property
    def type_label(self) -> str:
        return type_label(self.type)


@dataclass(frozen=True)
class KeyPersonVisit:
    key_person_id: int
    at: datetime
    by: str
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Patrol:
    """One entry of the patrol log (排查走访): who went where when, households visited and what
    was found; ``case_no`` once a finding was turned into a case."""

    at: datetime
    worker: str
    role: PatrolRole
    village: str
    grid: str = ""
    households: int = 0
    findings: str = ""
    case_no: str | None = None
    id: int | None = None

    @property
    def grid_key(self) -> str:
        return grid_key(self.village, self.grid) if self.grid else ""


@dataclass(frozen=True)
class Warning:
    """A hazard or sensitive period (预警): from ``starts`` to ``ends`` (both days included), for
    the listed villages and grids (none listed: the whole town); ``daily_patrols`` makes the
    patrol clocks of what it covers daily for the period."""

    starts: date
    ends: date
    text: str
    villages: tuple[str, ...] = ()
    grids: tuple[str, ...] = ()  # grid keys, 「村/网格」
    daily_patrols: bool = False
    id: int | None = None

    def covers_day(self, day: date) -> bool:
        return self.starts <= day <= self.ends

    def covers_place(self, village: str, grid: str = "") -> bool:
        """Whether the warning reaches a village (and, when given, a grid of it)."""
        if not self.villages and not self.grids:
            return True
        if village in self.villages:
            return True
        return bool(grid) and grid_key(village, grid) in self.grids

    def covers_village(self, village: str) -> bool:
        """Whether any part of a village is under the warning."""
        if not self.villages and not self.grids:
            return True
        return village in self.villages or any(key.split("/", 1)[0] == village for key in self.grids)


def in_force(warnings: Iterable[Warning], first: date, last: date) -> list[Warning]:
    """The warnings that reach into the days [first, last], the earliest first."""
    return sorted((w for w in warnings if w.starts <= last and w.ends >= first), key=lambda w: (w.starts, w.id or 0))


def check_warning(warning: Warning) -> None:
    if warning.ends < warning.starts:
        raise DomainError("预警的结束日期早于开始日期")
    if not warning.text.strip():
        raise DomainError("预警内容不能为空")

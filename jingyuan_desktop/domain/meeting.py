"""The agenda of the weekly meeting (周例会), read off the cases as they stood at a moment.

Pure rules: the cases, the moment and the calendar are arguments. The agenda of week W is
taken as of ``min(now, end of W)``, so the agenda of a past week shows what was open then.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from jingyuan_desktop.domain.calendar import WorkCalendar, at_local, local
from jingyuan_desktop.domain.clocks import Clock, ClockSettings, case_clocks
from jingyuan_desktop.domain.enums import ClockState, DomainError, EventType, Grade, Risk, Status, owner_label
from jingyuan_desktop.domain.lifecycle import (
    classification_at,
    current_risk,
    derive_status,
    follow_visits,
    resolution,
    second_handling_due,
)
from jingyuan_desktop.domain.model import Case, Event
from jingyuan_desktop.domain.privacy import mask_name
from jingyuan_desktop.domain.statistics import StatsRow

E = EventType
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")
# Events that put a case in the hands of a higher department (联席处理) or the court.
HIGHER_DEPARTMENT = frozenset({E.JOINT_HANDLING, E.REFERRED_TO_COURT})


def week_of(day: date) -> str:
    """The ISO week of ``day`` as "2026-W47"."""
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


# From this weekday on (Friday) a week is "mostly over": its figures say something.
WEEK_MOSTLY_OVER = 5


def meeting_week(today: date, meeting_weekday: int = 1) -> str:
    """The ISO week the weekly meeting reviews, as of ``today``.

    The meeting (on ``meeting_weekday``, 1 = Monday … 7 = Sunday) looks back on the last full
    week: on a Monday this week has one day of figures (化解率 26.7%, 办结率 0.0%) and says
    nothing. The current week becomes the default once it is mostly over (from Friday) and
    the meeting day has come, so a Friday meeting reviews its own week.
    """
    if not 1 <= meeting_weekday <= 7:
        raise DomainError("周例会的星期应为 1（周一）到 7（周日）")
    weekday = today.isoweekday()
    if weekday >= max(meeting_weekday, WEEK_MOSTLY_OVER):
        return week_of(today)
    return week_of(today - timedelta(days=7))


def week_days(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week "2026-W47"; refused in Chinese when malformed."""
    match = _WEEK_RE.match((week or "").strip())
    if not match:
        raise DomainError(f"周次“{week}”格式不对，应为 2026-W47 这样的写法")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise DomainError(f"周次“{week}”不存在") from None
    return monday, monday + timedelta(days=6)


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) local time: the instants a week's transfers fall in."""
    monday, sunday = week_days(week)
    return at_local(monday, time(0)), at_local(sunday + timedelta(days=1), time(0))


def agenda_moment(week: str, now: datetime) -> datetime:
    """The moment an agenda is read as of: now during the week, its end once it is over."""
    return min(local(now), week_bounds(week)[1])


def latest_decision(case: Case, moment: datetime | None = None) -> Event | None:
    """The most recent ``meeting_decision`` on the case up to ``moment``."""
    decisions = [e for e in case.events_until(moment) if e.type == E.MEETING_DECISION]
    return decisions[-1] if decisions else None


def dispatch_leader(case: Case, moment: datetime | None = None) -> str:
    dispatched = case.first(E.DISPATCHED, moment)
    return (dispatched.get("leader") or "") if dispatched else ""


def case_leader(case: Case, moment: datetime | None = None) -> str:
    """The responsible leader (包案领导) of the latest ``leader_assigned``, else ""."""
    names = [e.get("leader") or "" for e in case.events_until(moment) if e.type == E.LEADER_ASSIGNED]
    return names[-1] if names else ""


@dataclass(frozen=True)
class AgendaItem:
    """One case line of the agenda. ``parties`` are full names, kept so that screens which are
    shown to others can mask them in the summary; ``summary`` is as entered."""

    case_no: str
    received_at: datetime
    village: str
    category: str
    grade: Grade
    risk: Risk | None
    status: Status
    summary: str
    parties: tuple[str, ...] = ()
    age_days: int = 0
    owner: str = ""
    plan: str = ""
    due_date: str = ""
    leader: str = ""
    waiting_on: str = ""
    last_event: LastEntry | None = None  # the latest entry of the timeline up to the moment


@dataclass
class Agenda:
    week: str
    start: datetime
    end: datetime  # exclusive
    as_of: datetime
    stats: StatsRow  # the week's figures, as `jingyuan stats --from MONDAY --to SUNDAY` prints them
    transfers: list[AgendaItem] = field(default_factory=list)
    difficult: list[AgendaItem] = field(default_factory=list)
    red: list[AgendaItem] = field(default_factory=list)
    overdue_by_village: list[tuple[str, int]] = field(default_factory=list)
    waiting: list[AgendaItem] = field(default_factory=list)
    # 二次处置 (seed 002): repeat calls and relapses, and 疑难 cases whose mediation failed,
    # while unresolved; and resolved cases whose rolling visit found the agreement broken.
    second_handling: list[AgendaItem] = field(default_factory=list)
    broken_agreements: list[AgendaItem] = field(default_factory=list)


def in_second_handling(case: Case, moment: datetime) -> bool:
    """On the 二次处置 list: an unresolved repeat call (relapses included), a case waiting for
    the office's 研判 and a new team, or one sent again after a 研判."""
    if resolution(case, moment) is not None or not derive_status(case, moment).is_open:
        return False
    if case.repeat_of or second_handling_due(case, moment):
        return True
    return any(e.type == E.ANALYSIS for e in case.events_until(moment))


def agreement_broken(case: Case, moment: datetime) -> bool:
    """The latest rolling return visit found the agreement not kept (seeds 001-002)."""
    visits = follow_visits(case, moment)
    return bool(visits) and visits[-1].get("agreement_kept") is False


def _waiting_on(case: Case, moment: datetime) -> str:
    names: list[str] = []
    for event in case.events_until(moment):
        if event.type == E.JOINT_HANDLING:
            # Departments by name; experts are people, shown as 张某 on these shared screens.
            names += list(event.get("departments") or []) + [mask_name(n) for n in event.get("experts") or []]
            names = names or ["联席处理"]
        elif event.type == E.REFERRED_TO_COURT:
            names.append(event.get("court") or "法庭")
    return "、".join(dict.fromkeys(n for n in names if n))


# The agenda's case lists other than the week's transfers, in the order they are shown.
DIFFICULT, RED, WAITING, SECOND_HANDLING, BROKEN_AGREEMENTS = (
    "difficult", "red", "waiting", "second_handling", "broken_agreements")
CASE_LISTS = (DIFFICULT, RED, WAITING, SECOND_HANDLING, BROKEN_AGREEMENTS)


def agenda_lists(case: Case, moment: datetime) -> tuple[str, ...]:
    """The agenda's case lists (``CASE_LISTS``) ``case`` is on at ``moment``, besides the week's
    transfers: the one statement of which case goes on which list.

    - difficult: open (Status.is_open) and its current grade is 疑难;
    - red: open and its current risk is red;
    - waiting: open and in 联席处理 or referred to the court;
    - second_handling: repeats, relapses and failed 疑难 cases not yet resolved (二次处置);
    - broken_agreements: the latest rolling visit found the agreement broken.
    """
    lists: list[str] = []
    if derive_status(case, moment).is_open:
        current = classification_at(case, moment)
        if current.grade == Grade.DIFFICULT:
            lists.append(DIFFICULT)
        if current_risk(case, moment) == Risk.RED:
            lists.append(RED)
        if any(e.type in HIGHER_DEPARTMENT for e in case.events_until(moment)):
            lists.append(WAITING)
    if in_second_handling(case, moment):
        lists.append(SECOND_HANDLING)
    if agreement_broken(case, moment):
        lists.append(BROKEN_AGREEMENTS)
    return tuple(lists)


def on_watch(case: Case, moment: datetime) -> bool:
    """Whether ``case`` is on one of the agenda's case lists other than the week's transfers
    at ``moment``. It changes only with an event, so stored with the case it picks the few
    cases an agenda of now has to read."""
    return bool(agenda_lists(case, moment))


def overdue_by_owner(clocks: Iterable[Clock]) -> Counter:
    """Overdue clocks counted per owner as the agenda shows them (治理办 for the office's)."""
    return Counter(owner_label(c.owner) for c in clocks if c.state == ClockState.OVERDUE)


@dataclass(frozen=True)
class LastEntry:
    """The latest entry of a case's timeline as the agenda and the handout show it: when, what
    and its note (最近进展)."""

    at: datetime
    type: EventType
    note: str = ""

    @classmethod
    def of(cls, event: Event) -> LastEntry:
        return cls(event.at, event.type, event.note)


@dataclass(frozen=True)
class AgendaLine:
    """What a case's agenda line reads off its timeline up to a moment, besides the copies of
    its classification and status: the meeting's latest decision (else the dispatch's leader as
    owner), the 包案领导, who it waits on, and the lists it is on. It changes only with an event,
    so it is stored with the case (``domain.derived``) and the agenda of now reads it."""

    owner: str = ""
    plan: str = ""
    due_date: str = ""
    leader: str = ""
    waiting_on: str = ""
    lists: tuple[str, ...] = ()
    last: LastEntry | None = None  # the timeline's latest entry up to the moment


def agenda_line(case: Case, moment: datetime) -> AgendaLine:
    """The agenda line's timeline part of ``case`` as it stood at ``moment``."""
    decision = latest_decision(case, moment)
    timeline = case.events_until(moment)
    return AgendaLine(
        owner=(decision.get("owner") or "") if decision else dispatch_leader(case, moment),
        plan=(decision.get("plan") or "") if decision else "",
        due_date=(decision.get("due_date") or "") if decision else "",
        leader=case_leader(case, moment),
        waiting_on=_waiting_on(case, moment),
        lists=agenda_lists(case, moment),
        last=LastEntry.of(timeline[-1]) if timeline else None,
    )


def age_days(received_at: datetime, moment: datetime) -> int:
    """Whole days from receipt to ``moment`` (the agenda's 已办天数)."""
    return max((local(moment) - local(received_at)).days, 0)


def agenda_item(case: Case, moment: datetime, line: AgendaLine | None = None) -> AgendaItem:
    """The agenda line of ``case`` as it stood at ``moment``."""
    current = classification_at(case, moment)
    line = line or agenda_line(case, moment)
    return AgendaItem(
        case_no=case.case_no,
        received_at=case.received_at,
        village=case.village,
        category=current.category,
        grade=current.grade,
        risk=current_risk(case, moment),
        status=derive_status(case, moment),
        summary=case.summary,
        parties=tuple(p.name for p in case.parties if p.name),
        age_days=age_days(case.received_at, moment),
        owner=line.owner,
        plan=line.plan,
        due_date=line.due_date,
        leader=line.leader,
        waiting_on=line.waiting_on,
        last_event=line.last,
    )


def agenda_entry(case: Case, moment: datetime) -> tuple[AgendaItem, tuple[str, ...]]:
    """The agenda line of ``case`` at ``moment`` and the lists it is on, off its timeline."""
    line = agenda_line(case, moment)
    return agenda_item(case, moment, line), line.lists


def build_agenda_from(
    week: str,
    cases: Iterable[Case],
    *,
    now: datetime,
    calendar: WorkCalendar,
    stats: StatsRow,
    settings: ClockSettings = ClockSettings(),
    overdue: Counter | None = None,
) -> Agenda:
    """The agenda of ``week`` from ``cases`` (each case once; cases received later are ignored),
    with ``stats``, the week's figures, as they are given.

    - transfers: every case received in the week, cancelled ones included, with its status;
    - difficult, red, waiting, second_handling, broken_agreements: as ``agenda_lists`` says,
      oldest first; red cases show their 包案领导;
    - overdue_by_village: clocks overdue at the moment, counted per owner (a village, or 治理办
      for the office's own clocks), most first.

    ``overdue``, when given, are the overdue counts per owner of every case (read off the stored
    clocks); ``cases`` then need only hold the week's transfers and the cases ``on_watch``.
    """
    moment = agenda_moment(week, now)
    counted = overdue is not None
    overdue = Counter(overdue or {})
    lines: list[tuple[AgendaItem, tuple[str, ...]]] = []
    for case in cases:
        if not on_agenda(case.received_at, week, moment):
            continue
        lines.append(agenda_entry(case, moment))
        if not counted:
            overdue.update(overdue_by_owner(case_clocks(case, moment, calendar, settings)))
    return assemble_agenda(week, lines, moment=moment, stats=stats, overdue=overdue)


def on_agenda(received_at: datetime, week: str, moment: datetime) -> bool:
    """Whether a case received at ``received_at`` can be on the agenda of ``week`` read as of
    ``moment``: not received after the moment nor from the next week on (the end is exclusive)."""
    return received_at <= moment and received_at < week_bounds(week)[1]


def assemble_agenda(
    week: str,
    lines: Iterable[tuple[AgendaItem, Iterable[str]]],
    *,
    moment: datetime,
    stats: StatsRow,
    overdue: Counter,
) -> Agenda:
    """The agenda of ``week`` as of ``moment`` from each case's line and the lists it is on
    (``agenda_lists``), read off timelines or stored with the cases: the week's transfers are
    the lines received in the week, every list is sorted oldest first. Lines of cases received
    after the moment or from the next week on are left out."""
    start, end = week_bounds(week)
    agenda = Agenda(week, start, end, moment, stats)
    for item, lists in lines:
        if item.received_at > moment or item.received_at >= end:  # as ``on_agenda``, bounds read once
            continue
        if start <= item.received_at < end:
            agenda.transfers.append(item)
        for name in lists:
            getattr(agenda, name).append(item)
    for items in (agenda.transfers, agenda.difficult, agenda.red, agenda.waiting, agenda.second_handling,
                  agenda.broken_agreements):
        items.sort(key=lambda i: (i.received_at, i.case_no))
    agenda.overdue_by_village = sorted(overdue.items(), key=lambda kv: (-kv[1], kv[0]))
    return agenda

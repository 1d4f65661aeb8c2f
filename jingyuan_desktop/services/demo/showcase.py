"""The hand-made recent cases that show every state and every running clock as of ``now``:
one awaiting dispatch for three minutes, one whose follow-up is overdue, and so on."""

from __future__ import annotations

from datetime import datetime, timedelta

from jingyuan_desktop.domain.enums import EventType, Grade, Risk
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services.demo.draw import Life, at
from jingyuan_desktop.services.demo.life import Lives

E = EventType

# Received this many minutes before now.
_MINUTES_AGO = {"awaiting": 3, "awaiting_late": 47, "dispatched": 16, "arrive_late": 75}
# name -> (working days before now, minute of the day received)
_DAYS_AGO = {
    "handling": (2, 10 * 60 + 5), "three_failures": (8, 9 * 60 + 40), "follow_up": (1, 14 * 60 + 20),
    "follow_up_late": (4, 9 * 60 + 10), "escalated_red": (25, 10 * 60 + 30),
    "escalated_unsupervised": (32, 9 * 60 + 15), "referred": (15, 15 * 60), "resolved": (1, 10 * 60),
    "visit_late": (7, 9 * 60 + 50), "visited": (3, 11 * 60), "feedback_late": (8, 10 * 60 + 20),
    "leader_late": (1, 11 * 60),
}
SHOWCASE = [*_MINUTES_AGO, *_DAYS_AGO]


class Showcase(Lives):
    """Plans the showcase cases with the same steps as ordinary lives, at chosen moments."""

    def received(self, name: str) -> datetime:
        if name in _MINUTES_AGO:
            return self.d.now - timedelta(minutes=_MINUTES_AGO[name])
        days_ago, minute = _DAYS_AGO[name]
        return at(self.d.workday_before(days_ago), minute)

    def plan(self, name: str, case: Case, life: Life) -> None:
        getattr(self, "_show_" + name)(case, life)

    def _show_awaiting(self, case: Case, life: Life) -> None:
        pass

    _show_awaiting_late = _show_awaiting

    def _show_dispatched(self, case: Case, life: Life) -> None:
        self.dispatch(case, life, self.d.now - timedelta(minutes=12))

    def _show_arrive_late(self, case: Case, life: Life) -> None:
        self.dispatch(case, life, self.d.now - timedelta(minutes=70))

    def _show_handling(self, case: Case, life: Life) -> None:
        self._start(case, life)
        life.add(E.PROGRESS, at(self.d.workday_before(1), 15 * 60), life.leader, self.d.note("progress"))

    def _show_three_failures(self, case: Case, life: Life) -> None:
        d = self.d
        case.grade = Grade.GENERAL
        self._start(case, life)
        for days_ago in (7, 5, 3):
            agreed = at(d.workday_before(days_ago), 10 * 60)
            life.add(E.FOLLOW_UP_SCHEDULED, life.last + d.minutes(20, 40), life.leader,
                     d.note("follow_up_scheduled"), agreed_at=agreed)
            life.add(E.MEDIATION_FAILED, agreed + d.minutes(0, 30), life.leader, d.note("mediation_failed"))
        for days_ago in (2, 1):
            life.add(E.PROGRESS, at(d.workday_before(days_ago), 11 * 60), life.leader, d.note("progress"))

    def _show_follow_up(self, case: Case, life: Life) -> None:
        d = self.d
        self._start(case, life)
        agreed = at(d.cal.next_working_day(d.now.date()), 10 * 60)
        life.add(E.FOLLOW_UP_SCHEDULED, life.last + d.minutes(30, 60), life.leader,
                 d.note("follow_up_scheduled"), agreed_at=agreed)

    def _show_follow_up_late(self, case: Case, life: Life) -> None:
        d = self.d
        self._start(case, life)
        life.add(E.FOLLOW_UP_SCHEDULED, life.last + d.minutes(30, 60), life.leader,
                 d.note("follow_up_scheduled"), agreed_at=at(d.workday_before(2), 9 * 60 + 30))

    def _show_escalated_red(self, case: Case, life: Life, supervised: bool = True) -> None:
        d = self.d
        case.grade, case.risk, case.criminal_risk = Grade.GENERAL, Risk.RED, True
        self.red_leader(case, life)
        self._start(case, life)
        self.attempts(life, life.last, 2, resolve=False)
        life.add(E.ESCALATED, life.last + d.minutes(30, 90), d.clerk(), d.note("escalated"))
        life.add(E.JOINT_HANDLING, d.office_after(life.last, 2), d.clerk(), d.note("joint_handling"),
                 departments=["司法所", "信访办"], experts=d.experts[:1])
        self.progress_days(life, life.last, d.now, sparse_after=4)
        if supervised:
            self.supervise(case, life, None)

    def _show_escalated_unsupervised(self, case: Case, life: Life) -> None:
        self._show_escalated_red(case, life, supervised=False)

    def _show_referred(self, case: Case, life: Life) -> None:
        d = self.d
        case.grade = Grade.DIFFICULT
        self._start(case, life)
        life.add(E.REFERRED_TO_COURT, at(d.workday_before(8), 14 * 60), d.clerk(),
                 d.note("referred_to_court"), court=d.texts["court"])
        life.add(E.PROGRESS, at(d.workday_before(3), 10 * 60), life.leader, d.note("progress"))

    def _show_resolved(self, case: Case, life: Life, visit_days_ago: int | None = None) -> None:
        d = self.d
        self._start(case, life)
        life.add(E.RESOLVED, life.last + d.minutes(20, 60), life.leader, d.note("resolved_on_site"), on_site=True)
        if visit_days_ago is not None:
            self.visit(case, life, at(d.workday_before(visit_days_ago), 15 * 60), False)

    _show_visit_late = _show_resolved

    def _show_visited(self, case: Case, life: Life) -> None:
        self._show_resolved(case, life, visit_days_ago=1)

    def _show_feedback_late(self, case: Case, life: Life) -> None:
        self._show_resolved(case, life, visit_days_ago=5)

    def _show_leader_late(self, case: Case, life: Life) -> None:
        case.risk = Risk.RED
        self._start(case, life)
        life.add(E.PROGRESS, life.last + self.d.minutes(60, 120), life.leader, self.d.note("progress"))

    def _start(self, case: Case, life: Life) -> None:
        self.dispatch(case, life)
        self.arrive(case, life, life.last)

"""The hand-made recent cases that show every state and every running clock as of ``now``:
one awaiting dispatch for three minutes, one whose follow-up is overdue, one the team refused,
one handed back to the police, and so on."""

from __future__ import annotations

from datetime import datetime, timedelta

from jingyuan_desktop.domain.enums import CancelReason, EventType, Grade, Outcome, Risk
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services.demo.draw import Life, at
from jingyuan_desktop.services.demo.life import Lives
from jingyuan_desktop.services.demo.receipt import SHOW_REPEAT, SHOW_RETURNED, SHOW_UNCLASSIFIED

E = EventType

# Received this many minutes before now.
_MINUTES_AGO = {
    "awaiting": 3, "awaiting_late": 47, "dispatched": 16, "arrive_late": 75,
    SHOW_UNCLASSIFIED: 22, SHOW_REPEAT: 34, "refused": 95, "declined": 80,
}
# name -> (working days before now, minute of the day received)
_DAYS_AGO = {
    "handling": (2, 10 * 60 + 5), "three_failures": (8, 9 * 60 + 40), "follow_up": (1, 14 * 60 + 20),
    "follow_up_late": (4, 9 * 60 + 10), "escalated_red": (25, 10 * 60 + 30),
    "escalated_unsupervised": (32, 9 * 60 + 15), "referred": (15, 15 * 60), "resolved": (1, 10 * 60),
    "visit_late": (7, 9 * 60 + 50), "visited": (3, 11 * 60), "feedback_late": (8, 10 * 60 + 20),
    "leader_late": (1, 11 * 60), "second_handling": (12, 9 * 60 + 35), SHOW_RETURNED: (1, 15 * 60 + 10),
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

    # Still 未分类 with no colour; and a repeat call that waits for the office's 研判.
    _show_awaiting_late = _show_unclassified = _show_repeat = _show_awaiting

    def _show_dispatched(self, case: Case, life: Life) -> None:
        self.prepare(case, life, quick=True)
        self.dispatch(case, life, self.d.now - timedelta(minutes=12))

    def _show_arrive_late(self, case: Case, life: Life) -> None:
        self.prepare(case, life, quick=True)
        self.dispatch(case, life, self.d.now - timedelta(minutes=70))

    def _show_refused(self, case: Case, life: Life) -> None:
        """The team never went: the office must dispatch again, and is late doing so."""
        d = self.d
        self.prepare(case, life, quick=True)
        self.dispatch(case, life, d.now - timedelta(minutes=90))
        life.add(E.DISPATCH_REFUSED, d.now - timedelta(minutes=40), d.clerk(), d.note("dispatch_refused"))

    def _show_declined(self, case: Case, life: Life) -> None:
        """Not the office's remit; the police are still to be told."""
        self.prepare(case, life, quick=True)
        self.cancel(life, self.d.now - timedelta(minutes=50), CancelReason.NOT_OUR_REMIT)

    def _show_returned(self, case: Case, life: Life) -> None:
        """A fight handed back to the police yesterday; the feedback is due today."""
        d = self.d
        self._classify(case, life, criminal=True)
        self._start(case, life)
        life.add(E.RETURNED_TO_POLICE, life.last + d.minutes(30, 50), d.clerk(), d.note("returned_note"),
                 reason=d.note("returned_to_police"))
        life.ended = life.last

    def _show_handling(self, case: Case, life: Life) -> None:
        self._start(case, life)
        life.add(E.PROGRESS, at(self.d.workday_before(1), 15 * 60), life.leader, self.d.note("progress"))

    def _show_three_failures(self, case: Case, life: Life) -> None:
        d = self.d
        self._classify(case, life, grade=Grade.GENERAL)
        self._start(case, life)
        for days_ago in (7, 5, 3):
            agreed = at(d.workday_before(days_ago), 10 * 60)
            life.add(E.FOLLOW_UP_SCHEDULED, life.last + d.minutes(20, 40), life.leader,
                     d.note("follow_up_scheduled"), agreed_at=agreed)
            life.add(E.MEDIATION_FAILED, agreed + d.minutes(0, 30), life.leader, d.note("mediation_failed"))
        for days_ago in (2, 1):
            life.add(E.PROGRESS, at(d.workday_before(days_ago), 11 * 60), life.leader, d.note("progress"))

    def _show_second_handling(self, case: Case, life: Life) -> None:
        """A 疑难 case whose village mediation failed: 研判, then a second team now at work."""
        d = self.d
        self._classify(case, life, grade=Grade.DIFFICULT)
        self._start(case, life)
        agreed = at(d.workday_before(10), 10 * 60)
        life.add(E.FOLLOW_UP_SCHEDULED, life.last + d.minutes(20, 40), life.leader, d.note("follow_up_scheduled"),
                 agreed_at=agreed)
        life.add(E.MEDIATION_FAILED, agreed + d.minutes(0, 30), life.leader, d.note("mediation_failed"))
        self.second_round(case, life)
        self.progress_days(life, life.last, d.now)

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
        self._classify(case, life, grade=Grade.GENERAL, risk=Risk.RED, criminal=True)
        self._start(case, life)
        self.attempts(life, life.last, 2, resolve=False)
        life.add(E.ESCALATED, life.last + d.minutes(30, 90), d.clerk(), d.note("escalated"))
        life.grade = Grade.DIFFICULT
        life.add(E.JOINT_HANDLING, d.office_after(life.last, 2), d.clerk(), d.note("joint_handling"),
                 departments=["司法所", "信访办"], experts=d.experts[:1])
        self.progress_days(life, life.last, d.now, sparse_after=4)
        if supervised:
            self.supervise(life)

    def _show_escalated_unsupervised(self, case: Case, life: Life) -> None:
        self._show_escalated_red(case, life, supervised=False)

    def _show_referred(self, case: Case, life: Life) -> None:
        d = self.d
        self._classify(case, life, grade=Grade.DIFFICULT)
        self._start(case, life)
        life.add(E.REFERRED_TO_COURT, at(d.workday_before(8), 14 * 60), d.clerk(),
                 d.note("referred_to_court"), court=d.texts["court"])
        life.add(E.PROGRESS, at(d.workday_before(3), 10 * 60), life.leader, d.note("progress"))

    def _show_resolved(self, case: Case, life: Life, visit_days_ago: int | None = None) -> None:
        d = self.d
        self._start(case, life)
        self.resolve(life, life.last + d.minutes(20, 60), Outcome.ON_SITE)
        if visit_days_ago is not None:
            self.visit(case, life, at(d.workday_before(visit_days_ago), 15 * 60), False)

    _show_visit_late = _show_resolved

    def _show_visited(self, case: Case, life: Life) -> None:
        self._show_resolved(case, life, visit_days_ago=1)

    def _show_feedback_late(self, case: Case, life: Life) -> None:
        self._show_resolved(case, life, visit_days_ago=5)

    def _show_leader_late(self, case: Case, life: Life) -> None:
        """Found to be red at yesterday's visit; no leader named since, so nothing else either."""
        d = self.d
        self._classify(case, life, risk=Risk.YELLOW, criminal=False)
        self._start(case, life)
        life.add(E.PROGRESS, life.last + d.minutes(60, 120), life.leader, d.note("progress"))
        life.add(E.CLASSIFIED, life.last + d.minutes(30, 60), d.clerk(), d.note("classified"), risk=Risk.RED)
        life.risk = Risk.RED

    def _classify(self, case: Case, life: Life, *, grade: Grade | None = None, risk: Risk | None = None,
                  criminal: bool | None = None) -> None:
        """Give the case, received as drawn, the classification this showcase needs."""
        case.grade = life.grade = grade or case.grade
        case.risk = life.risk = risk or case.risk
        case.criminal_risk = life.criminal = case.criminal_risk if criminal is None else criminal

    def _start(self, case: Case, life: Life) -> None:
        self.prepare(case, life, quick=True)
        self.dispatch(case, life)
        self.arrive(life, life.last)

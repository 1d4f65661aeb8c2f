"""The life of an ordinary demo case after receipt: dispatch, arrival, handling, the long tail
of difficult cases, supervision of red ones, the return visit, feedback and the archive.

The whole life is planned at once; the generator later cuts it at ``now``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from jingyuan_desktop.domain.calendar import end_of_day
from jingyuan_desktop.domain.enums import EventType, Grade, Risk, Satisfaction, Source
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services.demo.draw import Draw, Life, major_of

E = EventType
_SATISFACTION = {
    "easy": [62, 24, 6, 5, 3],
    "hard": [42, 28, 16, 8, 6],
}


class Lives:
    """Plans the timelines of cases, drawing from the generator's one random source."""

    def __init__(self, draw: Draw):
        self.d = draw

    def live(self, case: Case, life: Life) -> None:
        """Plan the case's whole life."""
        d = self.d
        roll = d.rng.random()
        if roll < 0.006:
            life.add(E.CANCELLED, case.received_at + d.minutes(5, 50), d.clerk(), d.note("cancelled"),
                     reason=d.note("cancelled"))
            return
        if case.risk == Risk.RED:
            self.red_leader(case, life)
        dispatched = self.dispatch(case, life)
        arrived = self.arrive(case, life, dispatched)
        if roll < 0.016:
            life.add(E.CANCELLED, arrived + d.minutes(30, 180), d.clerk(), reason=d.note("cancelled"))
            return
        if d.rng.random() < 0.04:
            self._reclassify(case, life, arrived)
        resolved = self._handle(case, life, arrived)
        if case.risk == Risk.RED:
            self.supervise(case, life, resolved)
        if resolved is not None:
            self._close(case, life, resolved)

    def red_leader(self, case: Case, life: Life) -> None:
        d = self.d
        at = case.received_at + d.minutes(10, 150)
        at = min(at, end_of_day(case.received_at.date()) - d.minutes(1, 5))
        life.side(E.LEADER_ASSIGNED, max(at, case.received_at), d.clerk(), d.note("leader_assigned"),
                  leader=d.rng.choice(d.leaders))

    def _dispatch_time(self, received: datetime) -> datetime:
        d = self.d
        if d.in_office(received):
            return received + (d.minutes(1, 4) if d.rng.random() < 0.9 else d.minutes(6, 40))
        if d.rng.random() < 0.3:
            return received + d.minutes(2, 15)  # the duty officer dispatched at once
        late = d.rng.random() >= 0.85
        return d.opening_after(received) + (d.minutes(6, 50) if late else d.minutes(1, 4))

    def dispatch(self, case: Case, life: Life, at: datetime | None = None) -> datetime:
        d, rng = self.d, self.d.rng
        at = at or self._dispatch_time(case.received_at)
        team = d.teams[case.village]
        if len(team) < 2:  # an edited town may have a thin team: the office lends a hand
            spare = [n for n in d.office if n not in team] + ["治理办值班人员甲", "治理办值班人员乙"]
            team = [*team, *spare[: 2 - len(team)]]
        leader, others = team[0], team[1:]
        handlers = [leader, *rng.sample(others, min(len(others), rng.choice((1, 1, 2, 2, 3))))]
        major = major_of(case.category)
        departments = []
        if case.grade != Grade.SIMPLE and rng.random() < 0.15:
            departments = [rng.choice(d.texts["departments"][major])]
        experts = []
        if d.experts and case.grade == Grade.DIFFICULT and rng.random() < 0.2:
            experts = [rng.choice(d.experts)]
        life.add(E.DISPATCHED, at, d.clerk(), d.note("dispatched"), handlers=handlers, leader=leader,
                 departments=departments, experts=experts)
        life.handlers, life.leader = handlers, leader
        return life.last

    def arrive(self, case: Case, life: Life, dispatched: datetime) -> datetime:
        d = self.d
        delay = d.minutes(5, 14) if d.rng.random() < 0.82 else d.minutes(15, 40)
        life.add(E.ARRIVED, dispatched + delay, life.leader, d.note("arrived"), handlers=list(life.handlers),
                 evidence=[d.rng.choice(d.texts["evidence"]["arrived"])])
        return life.last

    def _reclassify(self, case: Case, life: Life, at: datetime) -> None:
        if case.risk == Risk.RED:
            return
        risk = Risk.BLUE if case.risk == Risk.YELLOW else Risk.YELLOW
        life.add(E.CLASSIFIED, at + self.d.minutes(5, 40), self.d.clerk(), self.d.note("classified"), risk=risk)

    def _handle(self, case: Case, life: Life, arrived: datetime) -> datetime | None:
        """Everything between arrival and resolution; returns when it was resolved, if ever."""
        d, grade = self.d, case.grade
        roll = d.rng.random()
        on_site = {Grade.SIMPLE: 0.8, Grade.GENERAL: 0.42, Grade.DIFFICULT: 0.0}[grade]
        if roll < on_site:
            life.add(E.RESOLVED, arrived + d.minutes(15, 100), life.leader, d.note("resolved_on_site"),
                     on_site=True, evidence=[d.rng.choice(d.texts["evidence"]["resolved"])])
            return life.last
        if grade == Grade.DIFFICULT:
            return self._difficult(case, life, arrived)
        left = (roll - on_site) / (1 - on_site)
        if grade == Grade.GENERAL and left < 0.1:
            failures = 3  # still general after three failures: the office is told to escalate
        elif grade == Grade.GENERAL and left < 0.35:
            self.attempts(life, arrived, d.rng.choice((2, 3)), resolve=False)
            return self._escalate(case, life)
        else:
            failures = d.rng.choice((0, 0, 0, 1, 1, 2)) if grade == Grade.GENERAL else d.rng.choice((0, 0, 1))
        self.attempts(life, arrived, failures + 1, resolve=True)
        return life.resolved

    def attempts(self, life: Life, start: datetime, attempts: int, *, resolve: bool) -> None:
        """Agreed follow-ups, each ending in a failed mediation, the last one perhaps resolved."""
        d, rng = self.d, self.d.rng
        at = start + d.minutes(20, 90)
        for attempt in range(attempts):
            if rng.random() < 0.2 and at.hour < 14:
                agreed = at + d.minutes(120, 240)
            else:
                agreed = d.office_after(at, rng.choice((1, 1, 2, 3)))
            life.add(E.FOLLOW_UP_SCHEDULED, at, life.leader, d.note("follow_up_scheduled"), agreed_at=agreed)
            self.progress_days(life, at, agreed)
            act = agreed + (d.minutes(0, 50) if rng.random() < 0.9 else d.minutes(70, 400))
            if attempt == attempts - 1 and resolve:
                life.add(E.RESOLVED, act, life.leader, d.note("resolved"), on_site=False,
                         evidence=[rng.choice(d.texts["evidence"]["resolved"])])
                life.resolved = life.last
                return
            life.add(E.MEDIATION_FAILED, act, life.leader, d.note("mediation_failed"))
            at = life.last + d.minutes(10, 60)

    def progress_days(self, life: Life, start: datetime, end: datetime, sparse_after: int = 8) -> None:
        """Daily progress reports on the working days strictly between ``start`` and ``end``."""
        d = self.d
        day = start.date()
        reported = 0
        for _ in range(400):
            day = d.cal.next_working_day(day)
            moment = d.office_on(day)
            if moment >= end or day >= end.date():
                return
            reported += 1
            if reported > sparse_after:
                # Long cases: the village reports only every few days.
                day += timedelta(days=d.rng.randint(1, 6))
            elif d.rng.random() > 0.85:
                continue
            life.add(E.PROGRESS, moment, life.leader, d.note("progress"))

    def _escalate(self, case: Case, life: Life) -> datetime | None:
        d = self.d
        at = d.office_after(life.last, d.rng.choice((0, 1, 1, 2))) if d.rng.random() < 0.7 else life.last
        life.add(E.ESCALATED, max(at, life.last + d.minutes(10, 60)), d.clerk(), d.note("escalated"))
        return self._long_tail(case, life, life.last, court_share=0.2)

    def _difficult(self, case: Case, life: Life, arrived: datetime) -> datetime | None:
        if self.d.rng.random() < 0.4:
            self.attempts(life, arrived, 1, resolve=False)
        return self._long_tail(case, life, life.last, court_share=0.3)

    def _long_tail(self, case: Case, life: Life, start: datetime, court_share: float) -> datetime | None:
        """Joint handling or the court, progress reports, then resolution weeks later (or never)."""
        d, rng = self.d, self.d.rng
        turn = d.office_after(start, rng.randint(1, 5))
        self.progress_days(life, start, turn)
        if rng.random() < court_share:
            life.add(E.REFERRED_TO_COURT, turn, d.clerk(), d.note("referred_to_court"), court=d.texts["court"])
        else:
            major = major_of(case.category)
            departments = rng.sample(d.texts["departments"][major], rng.randint(1, 2))
            experts = [rng.choice(d.experts)] if d.experts and rng.random() < 0.4 else []
            life.add(E.JOINT_HANDLING, turn, d.clerk(), d.note("joint_handling"),
                     departments=departments, experts=experts)
        if rng.random() < 0.03:
            self.progress_days(life, life.last, d.now + timedelta(days=1), sparse_after=3)
            return None  # a long-standing case (积案) still open
        end = life.last + timedelta(days=rng.randint(8, 75), minutes=rng.randint(0, 300))
        end = d.office_on(end.date()) if d.cal.is_working_day(end.date()) else d.office_after(end, 1)
        self.progress_days(life, life.last, end)
        life.add(E.RESOLVED, end, life.leader, d.note("resolved"), on_site=False,
                 evidence=[rng.choice(d.texts["evidence"]["resolved"])])
        life.resolved = life.last
        return life.resolved

    def supervise(self, case: Case, life: Life, resolved: datetime | None) -> None:
        d, rng = self.d, self.d.rng
        leader_at = next(e.at for e in life.extra if e.type == E.LEADER_ASSIGNED)
        at = leader_at
        stop = resolved or d.now + timedelta(days=40)
        for _ in range(40):
            at += timedelta(days=rng.randint(26, 31) if rng.random() < 0.9 else rng.randint(34, 45))
            at = d.office_on(at.date())
            if at >= stop:
                return
            life.side(E.SUPERVISED, at, rng.choice(d.leaders), d.note("supervised"))

    def _close(self, case: Case, life: Life, resolved: datetime) -> None:
        """Return visit, feedback to the police, perhaps a second visit, then the archive."""
        d, rng = self.d, self.d.rng
        days = rng.choices((1, 2, 3, 4, 5), cum_weights=(40, 70, 88, 95, 100))[0]
        visit = d.office_after(resolved, days)
        hard = case.grade == Grade.DIFFICULT or any(e.type == E.ESCALATED for e in life.events)
        self.visit(case, life, visit, hard)
        if case.source == Source.POLICE_TRANSFER:
            roll = rng.random()
            if roll < 0.1 and life.last.hour < 16:
                at = life.last + d.minutes(20, 50)
            else:
                at = d.office_after(life.last, 1 if roll < 0.9 else rng.choice((2, 3)))
            life.add(E.POLICE_FEEDBACK, at, d.clerk(), d.note("police_feedback"), officer=case.officer)
        if (hard or case.risk == Risk.RED) and rng.random() < 0.5:
            self.visit(case, life, d.office_on((life.last + timedelta(days=rng.randint(25, 35))).date()), hard)
        if rng.random() < 0.93:
            at = d.office_on((life.last + timedelta(days=rng.randint(3, 25))).date())
            life.add(E.ARCHIVED, at, d.clerk(), d.note("archived"), archive_no="")

    def visit(self, case: Case, life: Life, at: datetime, hard: bool) -> None:
        d = self.d
        answer = d.rng.choices(list(Satisfaction), weights=_SATISFACTION["hard" if hard else "easy"])[0]
        party = case.caller.name if case.caller else ""
        life.add(E.RETURN_VISIT, at, d.clerk(), d.rng.choice(d.texts["notes"]["return_visit"][answer.value]),
                 satisfaction=answer, party=party)

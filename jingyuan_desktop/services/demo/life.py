"""The life of an ordinary demo case after receipt: classification of a transfer that came in
unclassified, the 包案领导 of a red or 民转刑 case, the 研判 of a repeat call, dispatch (now and
then refused and sent again), arrival, handling, the long tail of difficult cases (the court,
a second handling), supervision, and every ending of version 2 of the rules: resolved with
its outcome, handed back to the police, cancelled with its reason; then the return visit, the
rolling visits of difficult and red cases, feedback and the archive.

The whole life is planned at once; the generator later cuts it at ``now``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from jingyuan_desktop.domain.calendar import end_of_day
from jingyuan_desktop.domain.clocks import add_months, first_working_day_from
from jingyuan_desktop.domain.enums import (
    CancelReason,
    CourtResult,
    EventType,
    Grade,
    Outcome,
    Risk,
    Satisfaction,
    Source,
)
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.services.demo.draw import Draw, Life, at, major_of, pick, weighted

E = EventType
_SATISFACTION = {
    "easy": [62, 24, 6, 5, 3],
    "hard": [42, 28, 16, 8, 6],
}
# How a case is resolved: on the spot, after some attempts, or at the end of a long tail.
_ON_SITE = weighted([(Outcome.ON_SITE, 85), (Outcome.EXPLAINED, 12), (Outcome.AGREEMENT, 3)])
_LATER = weighted([(Outcome.AGREEMENT, 45), (Outcome.EXPLAINED, 25), (Outcome.SELF_SETTLED, 30)])
_LONG = weighted([(Outcome.AGREEMENT, 65), (Outcome.EXPLAINED, 25), (Outcome.SELF_SETTLED, 10)])
_COURT = weighted([(CourtResult.MEDIATED, 50), (CourtResult.WITHDRAWN, 15), (CourtResult.JUDGED, 15),
                   (CourtResult.RETURNED, 20)])
# A written mediation agreement gets its number once every case is planned (see the generator).
AGREEMENT_PENDING = "XY-?"
_AGREEMENT_PAPER = "调解协议书"
# Disputes where a fight may need the police to punish someone (移交公安).
FIGHTS = frozenset({"邻里纠纷", "婚姻家庭", "经济纠纷"})

# The shares of the rarer paths (per case, or per case that reaches the step).
ENTERED_IN_ERROR = 0.0015
DECLINED_AT_RECEIPT = 0.004
DECLINED_ON_SITE = 0.004
RETURNED_AT_RECEIPT = 0.03  # of fights transferred by the police with a 民转刑 risk
RETURNED_ON_SITE = {True: 0.07, False: 0.006}  # of fights transferred by the police, by 民转刑 risk
REFUSED = 0.007
SECOND_HANDLING = 0.005  # of 疑难 cases whose mediation failed


class Lives:
    """Plans the timelines of cases, drawing from the generator's one random source."""

    def __init__(self, draw: Draw):
        self.d = draw

    def live(self, case: Case, life: Life, duplicate_of: str = "") -> None:
        """Plan the case's whole life; ``duplicate_of`` names the case it was entered again as."""
        d, rng = self.d, self.d.rng
        if duplicate_of:
            self.cancel(life, case.received_at + d.minutes(5, 50), CancelReason.DUPLICATE, duplicate_of)
            return
        roll = rng.random()
        if roll < ENTERED_IN_ERROR:
            self.cancel(life, case.received_at + d.minutes(3, 40), CancelReason.ENTERED_IN_ERROR)
            return
        self.prepare(case, life)
        if roll < ENTERED_IN_ERROR + DECLINED_AT_RECEIPT:
            self.decline(case, life, self._reaction(life.last))
            return
        fight = case.source == Source.POLICE_TRANSFER and major_of(life.category) in FIGHTS
        if fight and life.criminal and rng.random() < RETURNED_AT_RECEIPT:
            self.return_to_police(case, life, self._reaction(life.last))
            return
        self.dispatch(case, life)
        if rng.random() < REFUSED:
            self.refuse(case, life)
        arrived = self.arrive(life, life.last)
        roll = rng.random()
        returned = RETURNED_ON_SITE[life.criminal] if fight else 0.0
        if roll < returned:
            self.return_to_police(case, life, arrived + d.minutes(20, 120))
            return
        if roll < returned + DECLINED_ON_SITE:
            self.decline(case, life, arrived + d.minutes(30, 180))
            return
        if rng.random() < 0.04:
            self._reclassify(life, arrived)
        resolved = self._handle(case, life, arrived)
        self.supervise(life)
        if resolved is not None:
            self._close(case, life, resolved)

    # -- before the dispatch ------------------------------------------------------------------
    def _reaction(self, moment: datetime) -> datetime:
        """When the office gets to something that reached it at ``moment``."""
        d = self.d
        if d.in_office(moment):
            return moment + d.minutes(1, 10)
        if d.rng.random() < 0.3:
            return moment + d.minutes(2, 15)  # the person on duty saw to it at once
        return d.opening_after(moment) + d.minutes(1, 20)

    def prepare(self, case: Case, life: Life, *, quick: bool = False) -> None:
        """Classify a transfer that came in unclassified, and name the leader a red or 民转刑
        case needs before anything else."""
        d = self.d
        if life.category != case.category:
            life.add(E.CLASSIFIED, self._reaction(case.received_at), d.clerk(), d.note("classified_transfer"),
                     category=life.category, grade=life.grade, risk=life.risk, criminal_risk=life.criminal)
        if life.needs_leader:
            self.name_leader(life, quick=quick)

    def name_leader(self, life: Life, *, quick: bool = False) -> None:
        """The 包案领导, named the same day: mostly within minutes, now and then after a while."""
        d = self.d
        slow = not quick and d.rng.random() < 0.15
        moment = life.last + (d.minutes(6, 60) if slow else d.minutes(1, 4))
        moment = min(moment, end_of_day(life.last.date()) - d.minutes(1, 5))
        note = d.note("leader_assigned" if life.risk == Risk.RED else "leader_criminal")
        life.add(E.LEADER_ASSIGNED, moment, d.clerk(), note, leader=d.rng.choice(d.leaders))
        life.leader_at = life.last

    def _dispatch_time(self, ready: datetime) -> datetime:
        d = self.d
        if d.in_office(ready):
            return ready + (d.minutes(1, 4) if d.rng.random() < 0.9 else d.minutes(6, 40))
        if d.rng.random() < 0.3:
            return ready + d.minutes(2, 15)  # the duty officer dispatched at once
        late = d.rng.random() >= 0.85
        return d.opening_after(ready) + (d.minutes(6, 50) if late else d.minutes(1, 4))

    def helper(self, case: Case, *, office_first: bool = False) -> str:
        """Who joins a second handling besides the village team (seed 002): the station's
        community officer or one of the office's staff."""
        d, rng = self.d, self.d.rng
        officers = d.station_officers(case.village)
        if officers and not office_first and rng.random() < 0.6:
            return case.officer if case.officer in officers else rng.choice(officers)
        return rng.choice(d.office)

    # -- the dispatch and the arrival ---------------------------------------------------------
    def dispatch(self, case: Case, life: Life, moment: datetime | None = None, *, helpers: tuple[str, ...] = (),
                 lead: str = "", note: str = "") -> datetime:
        """Send the village team, its secretary leading; a repeat call is first analysed by the
        office (研判), and then an officer or the office's staff goes too."""
        d, rng = self.d, self.d.rng
        if case.repeat_of and not life.dispatched():
            planned = moment if moment is not None else self._dispatch_time(life.last)
            life.add(E.ANALYSIS, planned - d.minutes(1, 3), d.clerk(), d.note("analysis_note"),
                     plan=d.note("analysis_repeat"))
            moment = life.last + d.minutes(1, 5) if moment is None else moment
            helpers = (*helpers, self.helper(case))
        moment = moment if moment is not None else self._dispatch_time(life.last)
        team = d.teams[case.village]
        if len(team) < 2:  # an edited town may have a thin team: the office lends a hand
            spare = [n for n in d.office if n not in team] + ["治理办值班人员甲", "治理办值班人员乙"]
            team = [*team, *spare[: 2 - len(team)]]
        leader, others = team[0], team[1:]
        handlers = [leader, *rng.sample(others, min(len(others), rng.choice((1, 1, 2, 2, 3))))]
        handlers += [h for h in dict.fromkeys(helpers) if h not in handlers]
        major = major_of(life.category)
        departments = []
        if life.grade != Grade.SIMPLE and rng.random() < 0.15:
            departments = [rng.choice(d.texts["departments"][major])]
        experts = []
        if d.experts and life.grade == Grade.DIFFICULT and rng.random() < 0.2:
            experts = [rng.choice(d.experts)]
        leader = lead or leader
        life.add(E.DISPATCHED, moment, d.clerk(), note or d.note("dispatched"), handlers=handlers, leader=leader,
                 departments=departments, experts=experts)
        life.handlers, life.leader = handlers, leader
        return life.last

    def refuse(self, case: Case, life: Life) -> None:
        """The team did not go (推诿): the office records it and dispatches again, often with
        one of its own staff to see it through."""
        d, rng = self.d, self.d.rng
        life.add(E.DISPATCH_REFUSED, life.last + d.minutes(16, 60), d.clerk(), d.note("dispatch_refused"))
        again = life.last + (d.minutes(2, 5) if rng.random() < 0.6 else d.minutes(6, 30))
        helpers = (rng.choice(d.office),) if rng.random() < 0.5 else ()
        self.dispatch(case, life, again, helpers=helpers, note=d.note("redispatched"))

    def arrive(self, life: Life, dispatched: datetime) -> datetime:
        """At least two of the team on site (seed 000); now and then one of a larger team missing."""
        d, rng = self.d, self.d.rng
        delay = d.minutes(5, 14) if rng.random() < 0.82 else d.minutes(15, 40)
        present = list(life.handlers)
        if len(present) >= 3 and rng.random() < 0.15:
            present.remove(rng.choice([p for p in present if p != life.leader]))
        life.add(E.ARRIVED, dispatched + delay, life.leader, d.note("arrived"), present=present,
                 evidence=[rng.choice(d.texts["evidence"]["arrived"])])
        return life.last

    # -- endings other than a resolution ------------------------------------------------------
    def cancel(self, life: Life, moment: datetime, reason: CancelReason, duplicate_of: str = "") -> None:
        """Cancel with a reason code; the words go to the note."""
        d = self.d
        note = d.note(f"cancelled_{reason.value}").format(no=duplicate_of)
        life.add(E.CANCELLED, moment, d.clerk(), note, reason=reason)
        life.ended = life.last

    def decline(self, case: Case, life: Life, moment: datetime) -> None:
        """Not the office's remit: the parties are told where to go, the police are told."""
        self.cancel(life, moment, CancelReason.NOT_OUR_REMIT)
        self._after_ending(case, life, "police_feedback_declined")

    def return_to_police(self, case: Case, life: Life, moment: datetime) -> None:
        """A fight that needs punishing: handed back to the police (seed 002: 启动处罚程序)."""
        d = self.d
        life.add(E.RETURNED_TO_POLICE, moment, d.clerk(), d.note("returned_note"), reason=d.note("returned_to_police"))
        life.ended = life.last
        self._after_ending(case, life, "police_feedback_returned")

    def _after_ending(self, case: Case, life: Life, feedback_note: str) -> None:
        if case.source == Source.POLICE_TRANSFER:
            self.feedback(case, life, feedback_note)
        self.archive(life)

    # -- handling -----------------------------------------------------------------------------
    def _reclassify(self, life: Life, moment: datetime) -> None:
        if life.risk == Risk.RED:
            return
        risk = Risk.BLUE if life.risk == Risk.YELLOW else Risk.YELLOW
        life.add(E.CLASSIFIED, moment + self.d.minutes(5, 40), self.d.clerk(), self.d.note("classified"), risk=risk)
        life.risk = risk

    def _handle(self, case: Case, life: Life, arrived: datetime) -> datetime | None:
        """Everything between arrival and resolution; returns when it was resolved, if ever."""
        d, grade = self.d, life.grade
        roll = d.rng.random()
        on_site = {Grade.SIMPLE: 0.8, Grade.GENERAL: 0.42, Grade.DIFFICULT: 0.0}[grade]
        if roll < on_site:
            self.resolve(life, arrived + d.minutes(15, 100), pick(d.rng, _ON_SITE))
            return life.resolved
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

    def resolve(self, life: Life, moment: datetime, outcome: Outcome) -> None:
        """化解 with its outcome; a written agreement mostly gets a number."""
        d, rng = self.d, self.d.rng
        if outcome == Outcome.AGREEMENT and major_of(life.category) == "求助":
            outcome = Outcome.EXPLAINED  # a call for help ends with help, not an agreement
        data: dict = {"outcome": outcome}
        if outcome == Outcome.AGREEMENT and rng.random() < 0.65:
            data["agreement_no"] = AGREEMENT_PENDING
            proof = _AGREEMENT_PAPER
        else:
            proof = rng.choice([e for e in d.texts["evidence"]["resolved"] if e != _AGREEMENT_PAPER])
        life.add(E.RESOLVED, moment, life.leader, d.note(f"resolved_{outcome.value}"), evidence=[proof], **data)
        life.resolved = life.ended = life.last

    def attempts(self, life: Life, start: datetime, attempts: int, *, resolve: bool) -> None:
        """Agreed follow-ups, each ending in a failed mediation, the last one perhaps resolved."""
        d, rng = self.d, self.d.rng
        moment = start + d.minutes(20, 90)
        for attempt in range(attempts):
            if rng.random() < 0.2 and moment.hour < 14:
                agreed = moment + d.minutes(120, 240)
            else:
                agreed = d.office_after(moment, rng.choice((1, 1, 2, 3)))
            life.add(E.FOLLOW_UP_SCHEDULED, moment, life.leader, d.note("follow_up_scheduled"), agreed_at=agreed)
            self.progress_days(life, moment, agreed)
            act = agreed + (d.minutes(0, 50) if rng.random() < 0.9 else d.minutes(70, 400))
            if attempt == attempts - 1 and resolve:
                self.resolve(life, act, pick(rng, _LATER))
                return
            life.add(E.MEDIATION_FAILED, act, life.leader, d.note("mediation_failed"))
            moment = life.last + d.minutes(10, 60)

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
        moment = d.office_after(life.last, d.rng.choice((0, 1, 1, 2))) if d.rng.random() < 0.7 else life.last
        life.add(E.ESCALATED, max(moment, life.last + d.minutes(10, 60)), d.clerk(), d.note("escalated"))
        life.grade = Grade.DIFFICULT
        if d.rng.random() < SECOND_HANDLING:
            return self.second_handling(case, life)
        return self._long_tail(case, life, life.last, court_share=0.12)

    def _difficult(self, case: Case, life: Life, arrived: datetime) -> datetime | None:
        rng = self.d.rng
        if rng.random() < 0.4:
            self.attempts(life, arrived, 1, resolve=False)
            if rng.random() < SECOND_HANDLING:
                return self.second_handling(case, life)
        return self._long_tail(case, life, life.last, court_share=0.2)

    def second_round(self, case: Case, life: Life) -> None:
        """研判 of a 疑难 case whose mediation failed, and its second handling (二次处置, seed 002):
        the office's staff lead it, with the village team and often the community officer."""
        d, rng = self.d, self.d.rng
        moment = max(d.office_after(life.last, rng.choice((0, 1, 1, 2))), life.last + d.minutes(20, 90))
        life.add(E.ANALYSIS, moment, d.clerk(), d.note("analysis_note"), plan=d.note("analysis_second"))
        staff = self.helper(case, office_first=True)
        helpers = (staff, self.helper(case)) if rng.random() < 0.5 else (staff,)
        self.dispatch(case, life, life.last + d.minutes(10, 90), helpers=helpers, lead=staff,
                      note=d.note("second_dispatch"))
        self.arrive(life, life.last)

    def second_handling(self, case: Case, life: Life) -> datetime | None:
        self.second_round(case, life)
        if self.d.rng.random() < 0.65:
            self.attempts(life, life.last, self.d.rng.choice((1, 1, 2)), resolve=True)
            return life.resolved
        return self._long_tail(case, life, life.last, court_share=0.1)

    def _long_tail(self, case: Case, life: Life, start: datetime, court_share: float) -> datetime | None:
        """Joint handling or the court, progress reports, then resolution weeks later (or never)."""
        d, rng = self.d, self.d.rng
        turn = d.office_after(start, rng.randint(1, 5))
        self.progress_days(life, start, turn)
        if rng.random() < court_share:
            life.add(E.REFERRED_TO_COURT, turn, d.clerk(), d.note("referred_to_court"), court=d.texts["court"])
            # No daily progress is owed while the court has the case.
            back = d.office_after(life.last, rng.randint(8, 45))
            result = pick(rng, _COURT)
            life.add(E.COURT_OUTCOME, back, d.clerk(), rng.choice(d.texts["notes"]["court_outcome"][result.value]),
                     result=result)
            if result != CourtResult.RETURNED:
                life.resolved = life.ended = life.last
                return life.resolved
            turn = d.office_after(life.last, rng.randint(0, 2))
            self.progress_days(life, life.last, turn)
        self._joint(case, life, turn)
        if rng.random() < 0.03:
            self.progress_days(life, life.last, d.now + timedelta(days=1), sparse_after=3)
            return None  # a long-standing case (积案) still open
        end = life.last + timedelta(days=rng.randint(8, 75), minutes=rng.randint(0, 300))
        end = d.office_on(end.date()) if d.cal.is_working_day(end.date()) else d.office_after(end, 1)
        self.progress_days(life, life.last, end)
        self.resolve(life, end, pick(rng, _LONG))
        return life.resolved

    def _joint(self, case: Case, life: Life, moment: datetime) -> None:
        d, rng = self.d, self.d.rng
        departments = rng.sample(d.texts["departments"][major_of(life.category)], rng.randint(1, 2))
        experts = [rng.choice(d.experts)] if d.experts and rng.random() < 0.4 else []
        life.add(E.JOINT_HANDLING, moment, d.clerk(), d.note("joint_handling"), departments=departments,
                 experts=experts)

    def supervise(self, life: Life) -> None:
        """The leader's monthly supervision, from the naming until the handling ends."""
        if life.leader_at is None:
            return
        d, rng = self.d, self.d.rng
        moment = life.leader_at
        stop = life.ended or d.now + timedelta(days=40)
        for _ in range(40):
            moment += timedelta(days=rng.randint(26, 31) if rng.random() < 0.9 else rng.randint(34, 45))
            moment = d.office_on(moment.date())
            if moment >= stop:
                return
            life.side(E.SUPERVISED, moment, rng.choice(d.leaders), d.note("supervised"))

    # -- after the resolution -----------------------------------------------------------------
    def _close(self, case: Case, life: Life, resolved: datetime) -> None:
        """Return visit, feedback to the police, the rolling visits of a difficult or red case,
        then the archive."""
        d, rng = self.d, self.d.rng
        days = rng.choices((1, 2, 3, 4, 5), cum_weights=(40, 70, 88, 95, 100))[0]
        hard = life.grade == Grade.DIFFICULT
        self.visit(case, life, d.office_after(resolved, days), hard)
        if hard or life.risk == Risk.RED:
            self.follow_visits(case, life, resolved, life.last)
        if case.source == Source.POLICE_TRANSFER:
            self.feedback(case, life)
        self.archive(life)

    def feedback(self, case: Case, life: Life, note: str = "police_feedback") -> None:
        d, rng = self.d, self.d.rng
        roll = rng.random()
        if roll < 0.1 and life.last.hour < 16:
            moment = life.last + d.minutes(20, 50)
        else:
            moment = d.office_after(life.last, 1 if roll < 0.9 else rng.choice((2, 3)))
        life.add(E.POLICE_FEEDBACK, moment, d.clerk(), d.note(note), officer=case.officer)

    def archive(self, life: Life) -> None:
        d, rng = self.d, self.d.rng
        if rng.random() < 0.93:
            moment = d.office_on((life.last + timedelta(days=rng.randint(3, 25))).date())
            life.add(E.ARCHIVED, moment, d.clerk(), d.note("archived"), archive_no="")

    def visit(self, case: Case, life: Life, moment: datetime, hard: bool) -> None:
        d = self.d
        answer = d.rng.choices(list(Satisfaction), weights=_SATISFACTION["hard" if hard else "easy"])[0]
        party = case.caller.name if case.caller else ""
        life.add(E.RETURN_VISIT, moment, d.clerk(), d.rng.choice(d.texts["notes"]["return_visit"][answer.value]),
                 satisfaction=answer, party=party)

    def follow_visits(self, case: Case, life: Life, resolved: datetime, first_visit: datetime) -> None:
        """The rolling visits (定期回访) of a resolved 疑难 or red case: one a month for half a
        year, mostly in the days before each is due, now and then late; whether the agreement
        holds each time. They go on after the file is archived."""
        d, rng = self.d, self.d.rng
        interval = d.settings.follow_visit_interval_months
        if interval <= 0:
            return
        words = d.texts["notes"]["follow_visit"]
        party = case.caller.name if case.caller else ""
        previous, kept = first_visit, True
        for seq in range(1, d.settings.follow_visit_months // interval + 1):
            due = first_working_day_from(add_months(resolved.date(), seq * interval), d.cal)
            if rng.random() < 0.88:
                day = due - timedelta(days=rng.randint(0, 6))
                day = day if d.cal.is_working_day(day) else d.cal.next_working_day(day)
                moment = d.office_on(min(day, due))
            else:
                moment = d.office_after(at(due, 0), rng.randint(1, 8))
            moment = max(moment, previous + timedelta(hours=1))
            kept = rng.random() >= (0.4 if not kept else 0.02)  # a broken agreement is watched closely
            life.side(E.RETURN_VISIT, moment, d.clerk(), rng.choice(words["kept" if kept else "broken"]),
                      party=party, agreement_kept=kept)
            previous = moment

"""The demo town's prevention half (issue 14): grids with their heads and workers, the village
officers' beats, a key-person register with visits, some weeks of patrols, findings that became
cases, and one current warning with daily patrols.

Written inside the demo's one transaction, like its cases without an audit row each (one row
says what the demo added). The same seed gives the same data. Its size follows the town, not
the number of cases: only the last few hundred cases are looked at, for findings and callers.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingyuan_desktop.domain.calendar import at_local, local
from jingyuan_desktop.domain.enums import PersonRole, Source
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.persons import id_number_valid
from jingyuan_desktop.domain.prevention import DEFAULT_VISIT_DAYS, Citizen, KeyPersonType, PatrolRole
from jingyuan_desktop.services.context import AppContext
from jingyuan_desktop.services.demo.people import person_name, phone
from jingyuan_desktop.services.demo.texts import texts
from jingyuan_desktop.services.demo.town import DemoTown
from jingyuan_desktop.store import prevention as store
from jingyuan_desktop.store import repository
from jingyuan_desktop.store.models import CaseModel
from jingyuan_desktop.store.prevention_models import (
    GridModel,
    JointPointModel,
    KeyPersonModel,
    KeyPersonVisitModel,
    OfficerBeatModel,
    PatrolModel,
    WarningModel,
)

WEEKS = 5  # weeks of patrol log before now
GRID_NAMES = ("第一网格", "第二网格", "第三网格")
RECENT_CASES = 400  # the tail of the cases searched for findings and repeat callers
FINDINGS = (
    "两户因宅基地边界发生口角，已劝解，需村里出面丈量",
    "租户与房东因押金退还争执，双方情绪较大",
    "老人反映子女长期不给赡养费，要求村里协调",
    "邻居装修噪音扰民，多次沟通未果",
    "承包地流转费用拖欠，涉及五户村民",
    "小区业主与物业因停车收费产生矛盾",
    "夫妻吵架，女方回娘家，双方家属有冲突苗头",
)
QUIET = "未发现矛盾纠纷和安全隐患"
MEASURES: dict[str, str] = {
    KeyPersonType.COMMUNITY_CORRECTION: "每周见面谈话，掌握活动范围，配合司法所落实矫正措施",
    KeyPersonType.RELEASED: "每月走访，帮助落实就业，掌握思想动态",
    KeyPersonType.MENTAL_DISORDER: "落实监护人看护责任，按时服药，情况异常及时报告",
    KeyPersonType.DRUG_USER: "配合派出所定期尿检，掌握交往人员",
    KeyPersonType.EXTREME_THREAT: "逐一落实见面、化解、稳控，专人盯守，每三日走访",
    KeyPersonType.REPEAT_CALLER: "梳理历次报警诉求，包案化解，定期回访",
}
# (type, how many): about fifteen, every seed type and one of the office's own.
REGISTER: tuple[tuple[str, int], ...] = (
    (KeyPersonType.COMMUNITY_CORRECTION, 3), (KeyPersonType.RELEASED, 3), (KeyPersonType.MENTAL_DISORDER, 3),
    (KeyPersonType.DRUG_USER, 2), (KeyPersonType.EXTREME_THREAT, 1), (KeyPersonType.REPEAT_CALLER, 2),
    ("信访重点人员", 1),
)


def install_prevention(ctx: AppContext, session: Session, town: DemoTown, cases: list[Case], *, seed: int) -> None:
    """Add the prevention half of the demo town in ``session`` (the demo's transaction), as of
    ``ctx.now()``; ``cases`` are the demo's cases, oldest first (with none, no finding
    becomes a case and the repeat callers are invented)."""
    rng = random.Random(f"prevention-{seed}")
    now = local(ctx.now())
    today = now.date()
    start = today - timedelta(days=today.weekday(), weeks=WEEKS)  # a Monday
    words = texts()
    villages = town.villages()
    if not villages:
        return
    grids = _grids(session, town, rng, words, villages, start)
    _beats(session, town, villages, start)
    warned = villages[rng.randrange(len(villages))]
    patrols = _patrols(rng, town, grids, villages, start, now, warned)
    patrols += _findings(session, town, grids, cases, start, now)
    for row in patrols:
        row.recorded_at, row.recorded_by = now, ctx.user
    session.add_all(patrols)
    session.add(WarningModel(starts=today - timedelta(days=2), ends=today + timedelta(days=4),
                             text="秋收及节日期间土地、邻里纠纷易发，请各网格每日排查报告", villages=[warned], grids=[],
                             daily_patrols=True, active=True, created_at=now - timedelta(days=2), created_by=ctx.user))
    persons = _register(session, town, rng, words, villages, cases, now)
    added = {"grids": sum(map(len, grids.values())), "patrols": len(patrols), "key_persons": persons}
    repository.write_audit(session, user=ctx.user, action="demo", entity="prevention", entity_id="*", before=None,
                           after=added, at=now)


def _grids(session: Session, town: DemoTown, rng: random.Random, words, villages: list[str],
           start: date) -> dict[str, list[tuple[str, list[str]]]]:
    """Two or three grids a village: its police assistant or secretary heads the first (seed
    004: 网格长 doubling as 警务助理), its grid workers are spread over them."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for village in villages:
        team = town.team(village)
        heads = [p.name for p in team if p.role == PersonRole.POLICE_ASSISTANT] + \
                [p.name for p in team if p.role in (PersonRole.SECRETARY, PersonRole.CADRE)]
        workers = [p.name for p in team if p.role == PersonRole.GRID_WORKER]
        count = 2 + (rng.random() < 0.4)
        while len(workers) < count:
            workers.append(person_name(rng, words))
        out[village] = []
        for index in range(count):
            name = GRID_NAMES[index]
            mine = workers[index::count]
            head = heads[index] if index < len(heads) else mine[0]
            session.add(GridModel(village=village, name=name, head=head, workers=mine, since=start, note="",
                                  active=True))
            out[village].append((name, mine))
        if rng.random() < 0.25:
            assistant = next((p for p in team if p.role == PersonRole.POLICE_ASSISTANT), None)
            session.add(JointPointModel(village=village, name=f"{village}联防联控点", grid=GRID_NAMES[0],
                                        head=assistant.name if assistant else "", phone=assistant.phone if assistant
                                        else "", active=True))
    return out


def _beats(session: Session, town: DemoTown, villages: list[str], start: date) -> None:
    """Each station's officers share its villages in turn (seed 003: 民警包村)."""
    for station, covered in town.station_villages.items():
        officers = [p.name for p in town.people if p.unit == station and p.role == PersonRole.OFFICER]
        for index, village in enumerate(v for v in covered if v in villages):
            if officers:
                session.add(OfficerBeatModel(officer=officers[index % len(officers)], village=village, since=start,
                                             active=True))


def _officer_of(town: DemoTown) -> dict[str, str]:
    found: dict[str, str] = {}
    for station, covered in town.station_villages.items():
        officers = [p.name for p in town.people if p.unit == station and p.role == PersonRole.OFFICER]
        for index, village in enumerate(covered):
            if officers:
                found[village] = officers[index % len(officers)]
    return found


def _at(rng: random.Random, day: date, now: datetime) -> datetime | None:
    moment = at_local(day, time(rng.randrange(8, 18), rng.randrange(60)))
    return moment if moment <= now else None


def _patrols(rng: random.Random, town: DemoTown, grids: dict[str, list[tuple[str, list[str]]]],
             villages: list[str], start: date, now: datetime, warned: str) -> list[PatrolModel]:
    """Weekly patrols of each grid, mostly done (a few grids missed last week), two visits a
    week by each village officer, and a patrol a day in the warned village's grids."""
    today = now.date()
    missed = {(v, g[0]) for v in rng.sample(villages, min(3, len(villages))) for g in grids[v][-1:]}
    officers = _officer_of(town)
    rows: list[PatrolModel] = []

    def add(at: datetime | None, worker: str, role: PatrolRole, village: str, grid: str = "") -> None:
        if at is None:
            return
        found = rng.choice(FINDINGS) if rng.random() < 0.12 else QUIET
        rows.append(PatrolModel(at=at, worker=worker, role=role.value, village=village, grid=grid,
                                households=rng.randrange(4, 40), findings=found))

    last_monday = today - timedelta(days=today.weekday(), weeks=1)
    for week in range(WEEKS + 1):
        monday = start + timedelta(weeks=week)
        for village in villages:
            for name, workers in grids[village]:
                if (monday == last_monday and (village, name) in missed) or rng.random() < 0.04:
                    continue
                add(_at(rng, monday + timedelta(days=rng.randrange(7)), now), rng.choice(workers),
                    PatrolRole.GRID_WORKER, village, name)
            officer = officers.get(village)
            if officer:
                for day in sorted(rng.sample(range(7), 2)):
                    if rng.random() < 0.93:
                        add(_at(rng, monday + timedelta(days=day), now), officer, PatrolRole.VILLAGE_OFFICER, village)
    for back in (2, 1):  # the warning's first days; today's reports are still to come
        for name, workers in grids[warned][:-1] if back == 1 else grids[warned]:
            add(_at(rng, today - timedelta(days=back), now), workers[0], PatrolRole.GRID_WORKER, warned, name)
    return rows


def _findings(session: Session, town: DemoTown, grids: dict[str, list[tuple[str, list[str]]]], cases: list[Case],
              start: date, now: datetime) -> list[PatrolModel]:
    """The last few cases a grid worker or an information officer found become the findings of
    their patrols: the patrol keeps the case number, the case its grid."""
    rows: list[PatrolModel] = []
    for case in reversed(cases[-RECENT_CASES:]):
        if len(rows) == 3 or local(case.received_at).date() < start:
            break
        if case.source not in (Source.GRID_REPORT, Source.INFORMANT) or case.village not in grids:
            continue
        grid, workers = grids[case.village][0]
        role = PatrolRole.INFORMANT if case.source == Source.INFORMANT else PatrolRole.GRID_WORKER
        worker = workers[0] if role == PatrolRole.GRID_WORKER else f"{case.village}信息员"
        rows.append(PatrolModel(at=min(case.received_at, now), worker=worker, role=role.value, village=case.village,
                                grid=grid, households=1, findings=case.summary, case_no=case.case_no))
        row = session.scalars(select(CaseModel).where(CaseModel.case_no == case.case_no)).one_or_none()
        if row is not None:
            row.grid = grid
    return rows


def _id_number(rng: random.Random, born: date) -> str:
    body = f"370303{born:%Y%m%d}{rng.randrange(1000):03d}"
    return next(body + check for check in "0123456789X" if id_number_valid(body + check))


def _register(session: Session, town: DemoTown, rng: random.Random, words, villages: list[str], cases: list[Case],
              now: datetime) -> int:
    """About fifteen key persons of every type, each with a responsible person and visits on
    his cycle; a few have not been visited for too long. The repeat callers are callers of
    recent repeat calls, so that their cases show the flag."""
    today = now.date()
    callers = [(c.caller.name, c.caller.phone, c.village) for c in reversed(cases[-RECENT_CASES:])
               if c.repeat_of and c.caller is not None and c.caller.name and c.caller.phone]
    count = 0
    for kind, how_many in REGISTER:
        for _ in range(how_many):
            if kind == KeyPersonType.REPEAT_CALLER and callers:
                name, number, village = callers.pop(0)
            else:
                name, number, village = person_name(rng, words), phone(rng), rng.choice(villages)
            born = date(rng.randrange(1955, 2002), rng.randrange(1, 13), rng.randrange(1, 29))
            citizen_id = store.find_or_add_citizen(session, Citizen(name, _id_number(rng, born), number, village),
                                                   at=now)
            team = town.team(village)
            responsible = next((p.name for p in team if p.role == PersonRole.POLICE_ASSISTANT),
                               team[0].name if team else "治理办")
            every = DEFAULT_VISIT_DAYS.get(str(kind), 30)  # the office's own type: 30 days (settings' default)
            since = today - timedelta(days=rng.randrange(30, 150))
            entry = KeyPersonModel(citizen_id=citizen_id, type=str(kind), responsible=responsible,
                                   measures=MEASURES.get(str(kind), "定期走访，掌握诉求动向"), visit_days=None,
                                   since=since, village=village, grid=GRID_NAMES[0], note="", created_at=now,
                                   updated_at=now)
            session.add(entry)
            session.flush()
            # A few (every fifth) have not been seen for too long: their visit is overdue.
            stop = today - timedelta(days=every + rng.randrange(3, 10)) if count % 5 == 2 else today
            day = since + timedelta(days=max(1, every - rng.randrange(0, max(1, every // 3))))
            while day < stop:
                at = at_local(day, time(rng.randrange(9, 17), rng.randrange(60)))
                if at <= now:
                    session.add(KeyPersonVisitModel(key_person_id=entry.id, at=at, by=responsible,
                                                    note="见面谈话，情绪稳定", recorded_at=at, recorded_by=responsible))
                day += timedelta(days=max(1, every - rng.randrange(0, max(1, every // 3))))
            count += 1
    return count

"""The demo town and the generated demo cases."""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from jingyuan_desktop.domain.calendar import TZ, WorkCalendar
from jingyuan_desktop.domain.categories import DEFAULT_TREE, UNCLASSIFIED, default_tree
from jingyuan_desktop.domain.clocks import ClockSettings, add_office_minutes, case_clocks
from jingyuan_desktop.domain.enums import (
    CancelReason,
    ClockName,
    ClockState,
    CourtResult,
    EventType,
    Grade,
    Outcome,
    PersonRole,
    Risk,
    Satisfaction,
    Source,
    Status,
    UnitKind,
)
from jingyuan_desktop.domain.lifecycle import (
    SECOND_HANDLING_ROLES,
    check_timeline,
    classification_at,
    derive_status,
    ending,
    escalation_suggested,
    follow_visits,
    follow_visits_apply,
    resolution,
)
from jingyuan_desktop.domain.repeats import find_repeat, repeat_reason
from jingyuan_desktop.services.demo import generate_cases, load_town, party_name_parts

E = EventType
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
VILLAGES = [
    "解营村", "高南村", "积家村", "房东村", "大张村", "小高村", "高北村", "院上村", "小孙村", "曹营村", "西吕村",
    "钟家村", "东平村", "北黄村", "小张村", "麻营村", "东孙村", "房西村", "范家村", "彭家村", "天乙村", "董家村",
    "于营村", "高西村", "橡树湾社区", "花漾城社区", "百合花园社区", "远景花园社区", "颐丰花园社区",
]
TEAM_ROLES = {PersonRole.CADRE, PersonRole.MEDIATOR, PersonRole.POLICE_ASSISTANT, PersonRole.LEGAL_ADVISER,
              PersonRole.GRID_WORKER}


@pytest.fixture(scope="module")
def town():
    return load_town()


@pytest.fixture(scope="module")
def cases(town):
    return generate_cases(town, count=2000, seed=1, now=NOW, calendar=WorkCalendar())


def fingerprint(case):
    return (
        case.case_no, case.received_at, case.village, case.location, case.summary, case.category,
        case.grade, case.risk, case.source, case.repeat_of, [(p.name, p.phone) for p in case.parties],
        [(e.type, e.at, e.by, sorted(e.data.items(), key=lambda kv: kv[0])) for e in case.events],
    )


# -- the town --------------------------------------------------------------------------------

def test_town_has_the_villages_stations_and_departments_of_the_procedure(town):
    villages = [u for u in town.units if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)]
    assert [u.name for u in villages] == VILLAGES
    for unit in villages:
        assert unit.kind == (UnitKind.COMMUNITY if unit.name.endswith("社区") else UnitKind.VILLAGE)
    stations = [u.name for u in town.units if u.kind == UnitKind.POLICE_STATION]
    assert stations == ["房镇派出所", "大张派出所"]
    assert len([u for u in town.units if u.kind == UnitKind.DEPARTMENT]) == 16
    assert town.town == "房镇镇" and town.case_no_prefix == "FZ"


def test_every_village_is_covered_by_exactly_one_station(town):
    assert set(town.station_villages) == {"房镇派出所", "大张派出所"}
    covered = [v for villages in town.station_villages.values() for v in villages]
    assert sorted(covered) == sorted(VILLAGES)
    assert all(len(v) >= 5 for v in town.station_villages.values())


def test_every_village_has_a_team_led_by_one_secretary(town):
    category_names = set(default_tree().names())
    for village in VILLAGES:
        team = town.team(village)
        assert 5 <= len(team) <= 7, village
        assert [p.role for p in team].count(PersonRole.SECRETARY) == 1, village
        assert team[0].role == PersonRole.SECRETARY
        assert all(p.role in TEAM_ROLES for p in team[1:])
        for person in team:
            assert 1 <= len(person.skills) <= 3 and set(person.skills) <= category_names


def test_office_leaders_officers_and_experts_exist(town):
    count = Counter(p.role for p in town.people)
    assert 3 <= count[PersonRole.OFFICE_STAFF] <= 4
    assert count[PersonRole.LEADER] == 3
    assert count[PersonRole.EXPERT] >= 2
    assert all(p.unit is None for p in town.with_role(PersonRole.EXPERT))
    for station in town.station_villages:
        assert len([p for p in town.people if p.role == PersonRole.OFFICER and p.unit == station]) >= 2


def test_people_have_unique_names_and_plausible_mobiles(town):
    names = [p.name for p in town.people]
    assert len(names) == len(set(names))
    phones = [p.phone for p in town.people]
    assert len(phones) == len(set(phones))
    assert all(re.fullmatch(r"1[358]\d{9}", phone) for phone in phones)


def test_load_town_reads_another_file(tmp_path):
    data = {
        "town": "试验镇", "case_no_prefix": "SY",
        "units": [{"name": "甲村", "kind": "village"}, {"name": "乙社区", "kind": "community"},
                  {"name": "试验派出所", "kind": "police_station"}],
        "station_villages": {"试验派出所": ["甲村", "乙社区"]},
        "people": [
            {"name": n, "role": r, "unit": u, "phone": "13800000000", "skills": []}
            for n, r, u in [("甲一", "secretary", "甲村"), ("甲二", "cadre", "甲村"), ("乙一", "secretary", "乙社区"),
                            ("乙二", "grid_worker", "乙社区"), ("丙一", "office_staff", None), ("丙二", "leader", None)]
        ],
    }
    path = tmp_path / "town.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    small = load_town(path)
    assert small.villages() == ["甲村", "乙社区"]
    generated = generate_cases(small, count=80, seed=3, now=NOW, calendar=WorkCalendar())
    assert len(generated) == 80
    assert {c.village for c in generated} == {"甲村", "乙社区"}
    assert all(c.case_no.startswith("SY-") for c in generated)
    for case in generated:
        check_timeline(case)


def _seed_text() -> str:
    if not SEEDS.is_dir():
        pytest.skip("seed documents are not next to the repository")
    return re.sub(r"\s+", "", "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))


def test_no_real_name_from_the_seed_documents(town):
    text = _seed_text()
    assert "关文波" in text  # the check reads the real documents
    assert [p.name for p in town.people if p.name in text] == []


def test_party_names_cannot_match_a_name_in_the_seed_documents():
    text = _seed_text()
    grams = {text[i:i + n] for n in (2, 3) for i in range(len(text) - n + 1)}
    surnames, first, second = (set(part) for part in party_name_parts())
    possible = {s + a + b for s in surnames for a in first for b in second} | {s + b for s in surnames for b in second}
    assert sorted(possible & grams) == []


# -- the cases -------------------------------------------------------------------------------

def test_every_case_passes_the_lifecycle_rules(cases):
    assert len(cases) == 2000
    for case in cases:
        check_timeline(case)


def test_nothing_happens_after_now(cases):
    assert all(c.received_at <= NOW for c in cases)
    assert all(e.at <= NOW for c in cases for e in c.events)
    assert min(c.received_at for c in cases) >= NOW - timedelta(days=731)


def test_same_seed_same_cases_other_seed_other_cases(town, cases):
    again = generate_cases(town, count=2000, seed=1, now=NOW, calendar=WorkCalendar())
    assert [fingerprint(c) for c in again] == [fingerprint(c) for c in cases]
    other = generate_cases(town, count=2000, seed=2, now=NOW, calendar=WorkCalendar())
    assert [fingerprint(c) for c in other] != [fingerprint(c) for c in cases]


def test_cases_are_sorted_and_numbered_per_year(cases):
    assert [c.received_at for c in cases] == sorted(c.received_at for c in cases)
    serials: dict[int, list[int]] = {}
    for case in cases:
        match = re.fullmatch(r"FZ-(\d{4})-(\d{5})", case.case_no)
        assert match and int(match.group(1)) == case.received_at.year
        serials.setdefault(case.received_at.year, []).append(int(match.group(2)))
    for numbers in serials.values():
        assert numbers == list(range(1, len(numbers) + 1))


def test_sources_and_police_fields(town, cases):
    sources = Counter(c.source for c in cases)
    assert 0.6 < sources[Source.POLICE_TRANSFER] / len(cases) < 0.85
    assert all(sources[s] > 0 for s in Source)
    for case in cases:
        if case.source == Source.POLICE_TRANSFER:
            assert case.police_incident_no and case.officer and case.called_at <= case.received_at
            assert case.village in town.station_villages[case.police_station]
        else:
            assert not case.police_incident_no and not case.police_station
    numbers = [c.police_incident_no for c in cases if c.police_incident_no]
    assert len(numbers) == len(set(numbers))


def test_receipt_mostly_in_office_hours_but_not_only(cases):
    calendar = WorkCalendar()
    office = [c for c in cases if calendar.is_working_day(c.received_at.date())
              and (8, 30) <= (c.received_at.hour, c.received_at.minute) < (17, 0)]
    assert 0.6 < len(office) / len(cases) < 0.95


def first_classification(case):
    """As entered, or for a transfer that came in 未分类, as the office first classified it."""
    if case.category != UNCLASSIFIED:
        return case.category, case.grade, case.risk, case.criminal_risk
    first = case.first(E.CLASSIFIED)
    if first is None:
        return None
    return first.get("category"), first.get("grade"), first.get("risk"), first.get("criminal_risk")


def test_grades_risks_and_categories_in_realistic_proportions(cases):
    classified = [found for found in map(first_classification, cases) if found is not None]
    n = len(classified)
    assert n > 0.99 * len(cases)
    grades = Counter(grade for _, grade, _, _ in classified)
    assert 0.38 < grades[Grade.SIMPLE] / n < 0.52
    assert 0.38 < grades[Grade.GENERAL] / n < 0.52
    assert 0.06 < grades[Grade.DIFFICULT] / n < 0.15
    risks = Counter(risk for _, _, risk, _ in classified)
    assert 0.03 < risks[Risk.RED] / n < 0.08
    assert risks[Risk.BLUE] + risks[Risk.YELLOW] > 0.9 * n
    assert risks[None] == 0  # a classified case has its colour
    assert 0.05 < sum(criminal for _, _, _, criminal in classified) / n < 0.11
    tree = default_tree()
    majors = Counter(tree.major_of(category) for category, _, _, _ in classified)
    assert {m for m, _ in majors.most_common(2)} == {"邻里纠纷", "婚姻家庭"}
    assert set(majors) == set(DEFAULT_TREE)
    minors = {category for category, _, _, _ in classified} - set(DEFAULT_TREE)
    assert len(minors) >= 15


def test_some_transfers_come_in_unclassified_without_a_colour(cases):
    unclassified = [c for c in cases if c.category == UNCLASSIFIED]
    assert 0.02 < len(unclassified) / len(cases) < 0.1
    for case in unclassified:
        assert case.source == Source.POLICE_TRANSFER and case.risk is None and not case.criminal_risk
        if case.events and case.events[0].type != E.CANCELLED:
            first = case.events[0]
            assert first.type == E.CLASSIFIED and first.get("category") in default_tree()
            assert first.get("risk") in set(Risk)
    waiting = [c for c in unclassified if not c.events]
    assert waiting and all(classification_at(c, NOW).risk is None for c in waiting)


def test_summaries_locations_and_parties_look_real(cases):
    assert len({c.summary for c in cases}) > 800
    for case in cases:
        assert case.location.startswith(case.village)
        assert case.caller is not None and re.fullmatch(r"1[358]\d{9}", case.caller.phone)
        assert not any(p.name in case.summary for p in case.parties)
    assert sum(len(c.parties) >= 2 for c in cases) > 0.5 * len(cases)
    assert any(re.search(r"\d+组", c.location) for c in cases)
    assert any(re.search(r"社区\d+号楼\d单元", c.location) for c in cases)


def test_dispatch_sends_the_village_team_led_by_its_secretary(town, cases):
    """Two to four of the village team; after a 研判 (二次处置, seed 002) an officer or the
    office's staff go too, and a difficult case's second handling is led by the office."""
    roles = {p.name: p.role for p in town.people}
    for case in cases:
        team = {p.name for p in town.team(case.village)}
        secretary = town.team(case.village)[0].name
        for index, dispatch in enumerate(case.events):
            if dispatch.type != E.DISPATCHED:
                continue
            handlers = dispatch.get("handlers")
            village = [h for h in handlers if h in team]
            outsiders = [h for h in handlers if h not in team]
            assert 2 <= len(village) <= 4 and secretary in village
            earlier = case.events[:index]
            analysed = any(e.type == E.ANALYSIS for e in earlier)
            refused = any(e.type == E.DISPATCH_REFUSED for e in earlier)
            if not (analysed or refused):
                assert not outsiders and dispatch.get("leader") == secretary
            assert all(roles.get(h) in SECOND_HANDLING_ROLES for h in outsiders)
            assert len(outsiders) <= 2
            if case.first(E.DISPATCHED) is dispatch:
                assert dispatch.get("leader") == secretary


def test_at_least_two_people_on_site_all_of_the_dispatched_team(cases):
    for case in cases:
        team: list[str] = []
        for event in case.events:
            if event.type == E.DISPATCHED:
                team = event.get("handlers")
            elif event.type == E.ARRIVED:
                present = event.get("present")
                assert len(set(present)) >= 2 and set(present) <= set(team) and event.by in present


def test_dispatch_and_arrival_mostly_on_time_but_not_always(cases):
    calendar, settings = WorkCalendar(), ClockSettings()
    dispatch_ok = arrive_ok = total = 0
    for case in cases:
        dispatch, arrival = case.first(E.DISPATCHED), case.first(E.ARRIVED)
        if not (dispatch and arrival):
            continue
        total += 1
        dispatch_ok += dispatch.at <= add_office_minutes(case.received_at, 5, calendar, settings)
        arrive_ok += arrival.at - dispatch.at <= timedelta(minutes=15)
        assert arrival.at - dispatch.at >= timedelta(minutes=5)
    assert 0.8 < dispatch_ok / total < 0.99
    assert 0.7 < arrive_ok / total < 0.97


def test_outcomes_on_site_and_later(cases):
    resolved = [(c, c.first(E.RESOLVED)) for c in cases if c.first(E.RESOLVED)]
    outcomes = Counter(e.get("outcome") for _, e in resolved)
    assert set(outcomes) == set(Outcome)
    assert outcomes[Outcome.ON_SITE] > 0.35 * len(resolved)
    assert min(outcomes.values()) > 0.05 * len(resolved)
    simple = [e.get("outcome") in (Outcome.ON_SITE, Outcome.EXPLAINED) for c, e in resolved if c.grade == Grade.SIMPLE]
    assert sum(simple) / len(simple) > 0.7
    assert any(e.get("outcome") == Outcome.AGREEMENT and e.at - c.received_at > timedelta(days=20)
               for c, e in resolved)
    kinds = Counter(e.type for c in cases for e in c.events)
    for kind in (E.PROGRESS, E.FOLLOW_UP_SCHEDULED, E.MEDIATION_FAILED, E.ESCALATED, E.JOINT_HANDLING,
                 E.REFERRED_TO_COURT, E.CANCELLED, E.CLASSIFIED, E.SUPERVISED, E.RETURNED_TO_POLICE,
                 E.COURT_OUTCOME, E.DISPATCH_REFUSED, E.ANALYSIS):
        assert kinds[kind] > 0, kind
    assert all(e.get("departments") for c in cases for e in c.events if e.type == E.JOINT_HANDLING)


def test_written_agreements_are_numbered_per_year(cases):
    numbered = sorted((e.at, e.get("agreement_no")) for c in cases for e in c.events
                      if e.type == E.RESOLVED and e.get("agreement_no"))
    assert len(numbered) > 50
    assert all(re.fullmatch(rf"XY-{at.year}-\d{{3,}}", no) for at, no in numbered)
    assert len({no for _, no in numbered}) == len(numbered)
    assert all(e.get("outcome") == Outcome.AGREEMENT for c in cases for e in c.events
               if e.type == E.RESOLVED and e.get("agreement_no"))
    agreements = [e for c in cases for e in c.events if e.get("outcome") == Outcome.AGREEMENT]
    assert len(numbered) < len(agreements)  # some agreements are not written down


def test_most_cases_are_resolved_and_every_other_ending_is_shown(cases):
    endings = Counter()
    for case in cases:
        end = ending(case, NOW)
        if end is None:
            endings["open"] += 1
        elif end.type == E.CANCELLED:
            endings[CancelReason(end.get("reason"))] += 1
        elif resolution(case, NOW) is end:
            endings["resolved"] += 1
        else:
            endings[end.type] += 1
    n = len(cases)
    assert endings["resolved"] > 0.85 * n
    assert 0.01 < endings["open"] / n < 0.06
    assert 0.002 < endings[E.RETURNED_TO_POLICE] / n < 0.02
    assert 0.003 < endings[CancelReason.NOT_OUR_REMIT] / n < 0.02
    assert 0.001 < endings[CancelReason.DUPLICATE] / n < 0.01
    assert endings[CancelReason.ENTERED_IN_ERROR] < 0.005 * n


def test_cancellations_give_a_reason_code_and_the_words_in_the_note(cases):
    by_no = {c.case_no: c for c in cases}
    for case in cases:
        cancelled = case.first(E.CANCELLED)
        if cancelled is None:
            continue
        reason = CancelReason(cancelled.get("reason"))
        assert cancelled.note
        later = [e.type for e in case.events if e.at >= cancelled.at and e is not cancelled]
        if reason.is_void:
            assert later == []
        else:
            assert set(later) <= {E.POLICE_FEEDBACK, E.ARCHIVED}
        if reason == CancelReason.DUPLICATE:
            # Entered again: the earlier case it repeats is named, and it was received shortly before.
            earlier = by_no[case.repeat_of]
            assert earlier.case_no in cancelled.note and earlier.summary == case.summary
            assert case.received_at - earlier.received_at <= timedelta(days=2)


def test_cases_handed_back_to_the_police_are_fights_and_the_police_hear_of_it(cases):
    returned = [c for c in cases if c.first(E.RETURNED_TO_POLICE)]
    assert returned
    tree = default_tree()
    for case in returned:
        event = case.first(E.RETURNED_TO_POLICE)
        assert case.source == Source.POLICE_TRANSFER and event.get("reason")
        assert tree.major_of(classification_at(case).category) in {"邻里纠纷", "婚姻家庭", "经济纠纷"}
        later = [e.type for e in case.events if e.at >= event.at and e is not event]
        assert later in ([], [E.POLICE_FEEDBACK], [E.POLICE_FEEDBACK, E.ARCHIVED])
    assert sum(1 for c in returned if c.first(E.POLICE_FEEDBACK)) >= 0.8 * len(returned)
    declined = [c for c in cases if c.first(E.CANCELLED)
                and c.first(E.CANCELLED).get("reason") == CancelReason.NOT_OUR_REMIT
                and c.source == Source.POLICE_TRANSFER]
    assert sum(1 for c in declined if c.first(E.POLICE_FEEDBACK)) >= 0.7 * len(declined)


def test_a_refused_dispatch_is_dispatched_again(cases):
    refused = [c for c in cases if c.first(E.DISPATCH_REFUSED)]
    assert refused
    for case in refused:
        types = [e.type for e in case.events]
        at = types.index(E.DISPATCH_REFUSED)
        assert types[at - 1] == E.DISPATCHED and E.ARRIVED not in types[:at]
        assert at + 1 == len(types) or types[at + 1] == E.DISPATCHED


def test_repeat_calls_are_analysed_before_their_first_dispatch(town, cases):
    roles = {p.name: p.role for p in town.people}
    repeats = [c for c in cases if c.repeat_of and c.first(E.DISPATCHED)]
    assert repeats
    for case in repeats:
        types = [e.type for e in case.events]
        assert E.ANALYSIS in types[:types.index(E.DISPATCHED)]
        assert case.first(E.ANALYSIS).get("plan")
        helpers = [h for h in case.first(E.DISPATCHED).get("handlers")
                   if roles.get(h) in (PersonRole.OFFICER, PersonRole.OFFICE_STAFF)]
        assert helpers


def test_a_difficult_case_gets_a_second_handling_after_its_mediation_failed(town, cases):
    roles = {p.name: p.role for p in town.people}
    second = []
    for case in cases:
        types = [e.type for e in case.events]
        if E.MEDIATION_FAILED in types and E.ANALYSIS in types[types.index(E.MEDIATION_FAILED):]:
            second.append(case)
            analysis = types.index(E.ANALYSIS, types.index(E.MEDIATION_FAILED))
            assert classification_at(case, case.events[analysis].at).grade == Grade.DIFFICULT
            redispatch = case.events[analysis + 1]
            assert redispatch.type == E.DISPATCHED
            assert roles[redispatch.get("leader")] == PersonRole.OFFICE_STAFF
    assert 1 <= len(second) <= 10


def test_court_referrals_come_back_with_the_courts_outcome(cases):
    referred = [c for c in cases if c.first(E.REFERRED_TO_COURT)]
    outcomes = [c.first(E.COURT_OUTCOME) for c in referred if c.first(E.COURT_OUTCOME)]
    assert len(outcomes) >= 0.8 * len(referred)
    assert {CourtResult(e.get("result")) for e in outcomes} == set(CourtResult)
    for case in referred:
        back = case.first(E.COURT_OUTCOME)
        if back is not None and back.get("result") != CourtResult.RETURNED:
            assert resolution(case) is back and case.first(E.RESOLVED) is None


def test_difficult_and_red_cases_get_monthly_visits_after_resolution(cases):
    watched = [c for c in cases if follow_visits_apply(c, NOW)]
    assert len(watched) > 0.08 * len(cases)
    for case in cases:
        if not follow_visits_apply(case, NOW):
            assert sum(e.type == E.RETURN_VISIT for e in case.events) <= 1
    old = [c for c in watched if resolution(c).at < NOW - timedelta(days=220)]
    assert old
    for case in old:
        visits = follow_visits(case, NOW)
        assert len(visits) == 6
        assert all(isinstance(v.get("agreement_kept"), bool) and v.get("satisfaction") is None for v in visits)
    kept = Counter(v.get("agreement_kept") for c in watched for v in follow_visits(c, NOW))
    assert kept[False] > 0 and kept[True] > 20 * kept[False]


def test_every_case_also_passes_when_the_office_wants_a_leader_first(cases):
    for case in cases:
        check_timeline(case, require_leader_for_red=True)


def test_three_failures_without_escalation_exist(cases):
    flagged = [c for c in cases if escalation_suggested(c, moment=NOW)]
    assert flagged
    assert any(derive_status(c, NOW).is_open for c in flagged)


def test_red_cases_get_a_leader_the_same_day_and_monthly_supervision(town, cases):
    leaders = {p.name for p in town.with_role(PersonRole.LEADER)}
    red = [c for c in cases if c.risk == Risk.RED and c.events]
    with_leader = [c for c in red if c.first(E.LEADER_ASSIGNED)]
    assert len(with_leader) >= 0.9 * len(red)
    for case in with_leader:
        event = case.first(E.LEADER_ASSIGNED)
        assert event.get("leader") in leaders
        assert event.at.date() == case.received_at.date()
    criminal = [c for c in cases if c.criminal_risk and c.risk != Risk.RED and c.first(E.DISPATCHED)]
    assert criminal and all(c.first(E.LEADER_ASSIGNED) for c in criminal)
    supervised = [c for c in cases if c.first(E.SUPERVISED)]
    assert supervised
    for case in supervised:
        times = [case.first(E.LEADER_ASSIGNED).at] + [e.at for e in case.events if e.type == E.SUPERVISED]
        assert all(timedelta(days=20) < b - a < timedelta(days=50) for a, b in pairwise(times))


def test_every_satisfaction_answer_and_visits_within_days(cases):
    calendar = WorkCalendar()
    answers = Counter(c.satisfaction() for c in cases if c.satisfaction())
    assert set(answers) == set(Satisfaction)
    assert answers[Satisfaction.SATISFIED] + answers[Satisfaction.BASICALLY_SATISFIED] > 0.7 * sum(answers.values())
    for case in cases:
        visit, resolved = case.first(E.RETURN_VISIT), case.first(E.RESOLVED)
        if visit and resolved:
            latest = calendar.nth_working_day_after(resolved.at.date(), 5)
            assert visit.at.date() <= latest


def test_police_feedback_only_for_transfers_and_archives_numbered(cases):
    for case in cases:
        if case.first(E.POLICE_FEEDBACK):
            assert case.source == Source.POLICE_TRANSFER
            assert case.first(E.POLICE_FEEDBACK).get("officer") == case.officer
    archive_numbers = [e.get("archive_no") for c in cases for e in c.events if e.type == E.ARCHIVED]
    assert len(archive_numbers) == len(set(archive_numbers))
    assert all(re.fullmatch(r"FZDA-\d{4}-\d{4,}", n) for n in archive_numbers)
    old = [c for c in cases if c.received_at < NOW - timedelta(days=180)]
    assert sum(derive_status(c, NOW) == Status.ARCHIVED for c in old) > 0.8 * len(old)


def test_repeats_point_at_an_earlier_case_with_the_same_caller_or_place(cases):
    by_no = {c.case_no: c for c in cases}
    repeats = [c for c in cases if c.repeat_of]
    assert 0.01 < len(repeats) / len(cases) < 0.05
    for case in repeats:
        earlier = by_no[case.repeat_of]
        assert earlier.received_at < case.received_at <= earlier.received_at + timedelta(days=90)
        assert repeat_reason(case, earlier) is not None
    reasons = {repeat_reason(c, by_no[c.repeat_of]) for c in repeats}
    assert reasons == {"报警人电话相同", "同村（社区）同一地点"}


def test_repeat_of_agrees_with_the_domain_repeat_rule(cases):
    received = [c.received_at for c in cases]
    for index, case in enumerate(cases):
        start = bisect.bisect_left(received, case.received_at - timedelta(days=90))
        found = find_repeat(case, cases[start:index])
        assert (found[0].case_no if found else "") == case.repeat_of, case.case_no


def test_open_cases_in_every_open_status(cases):
    statuses = Counter(derive_status(c, NOW) for c in cases)
    for status in Status:
        assert statuses[status] > 0, status
    recent = Counter(derive_status(c, NOW) for c in cases if c.received_at > NOW - timedelta(days=10))
    for status in (Status.AWAITING_DISPATCH, Status.DISPATCHED, Status.HANDLING, Status.FOLLOW_UP,
                   Status.RESOLVED, Status.VISITED):
        assert recent[status] > 0, status
    waiting = [c for c in cases if derive_status(c, NOW) == Status.AWAITING_DISPATCH]
    assert any(NOW - c.received_at <= timedelta(minutes=10) for c in waiting)
    long_open = [c for c in cases if derive_status(c, NOW) == Status.ESCALATED
                 and NOW - c.received_at > timedelta(days=21)]
    assert long_open


def test_some_clocks_are_overdue_now(cases):
    calendar = WorkCalendar()
    overdue = {k.name for c in cases if c.received_at > NOW - timedelta(days=70)
               for k in case_clocks(c, NOW, calendar) if k.state == ClockState.OVERDUE}
    for name in (ClockName.DISPATCH, ClockName.ARRIVE, ClockName.FOLLOW_UP, ClockName.PROGRESS,
                 ClockName.RETURN_VISIT, ClockName.POLICE_FEEDBACK, ClockName.LEADER, ClockName.SUPERVISION):
        assert name in overdue, name
    running = {k.name for c in cases for k in case_clocks(c, NOW, calendar) if k.state == ClockState.PENDING}
    assert ClockName.FOLLOW_VISIT in running


def test_small_and_empty_requests(town):
    assert generate_cases(town, count=0, seed=1, now=NOW, calendar=WorkCalendar()) == []
    few = generate_cases(town, count=7, seed=1, now=NOW, calendar=WorkCalendar())
    assert len(few) == 7
    for case in few:
        check_timeline(case)


def test_a_demo_stopped_half_way_leaves_nothing_and_can_be_run_again(tmp_path):
    from jingyuan_desktop.services import queries, setup
    from jingyuan_desktop.services.context import AppContext

    class Stopped(Exception):
        pass

    def stop_after_the_first_batch(done, total):
        if done < total:
            raise Stopped

    ctx = AppContext.open(str(tmp_path / "half.db"))
    try:
        with pytest.raises(Stopped):
            setup.load_demo(ctx, cases=1200, seed=1, progress=stop_after_the_first_batch)
        assert not setup.has_cases(ctx) and queries.units(ctx) == []
        assert setup.load_demo(ctx, cases=1200, seed=1) == 1200
    finally:
        ctx.db.dispose()

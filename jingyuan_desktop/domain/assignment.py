"""Who fits a case best: same village first, then skill in its category, then fewest open cases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jingyuan_desktop.domain.enums import PersonRole
from jingyuan_desktop.domain.model import Person


@dataclass(frozen=True)
class Suggestion:
    person: Person
    score: tuple
    reason: str


def rank_handlers(
    people: Iterable[Person],
    *,
    village: str,
    category: str,
    major_category: str,
    open_cases: Mapping[str, int],
) -> list[Suggestion]:
    """People ranked for a case, each with the reason in Chinese.

    Order: members of the case's village team; then those skilled in the exact category,
    then in its major class; then fewest open cases; the secretary breaks a tie.
    """
    ranked = []
    for person in people:
        same_village = person.unit == village
        exact = category in person.skills
        major = major_category in person.skills
        load = open_cases.get(person.name, 0)
        reasons = []
        if same_village:
            reasons.append("本村（社区）处置队伍")
        if exact:
            reasons.append(f"擅长{category}")
        elif major:
            reasons.append(f"擅长{major_category}")
        reasons.append(f"在办{load}件")
        score = (not same_village, not exact, not major, load, person.role != PersonRole.SECRETARY, person.name)
        ranked.append(Suggestion(person, score, "，".join(reasons)))
    ranked.sort(key=lambda s: s.score)
    return ranked

"""The year-end village assessment (年度考核): a score per village from its figures.

The procedure (seed 000 §三.1) rewards fast handling and high resolution and satisfaction rates,
and deducts for slow handling, shirking (推诿塞责) and low rates. Here, for a village:

- three components, each a rate in [0, 1] times its weight (weights are percentages summing to
  100, so a perfect village scores 100 before deductions):
  timeliness (及时率) = clocks met on time / clocks judged (met + late + overdue), every clock of
  the village's cases; resolution rate and satisfaction rate exactly as `jingyuan stats`;
- a rate a village has no data for (nothing judged yet) takes the town's rate, so an empty
  village is neither rewarded nor punished; if the town has none either, the rate counts as 0
  for every village alike;
- deductions, together at most ``deduction_cap``: ``overdue_points`` for each clock overdue at
  the moment of assessment, and ``shirked_points`` for each shirked case: a dispatched case
  whose team never arrived once the arrival deadline had passed (拒不到场), or a case
  cancelled after it was dispatched (交办后撤销, i.e. given up);
- manual adjustments (加减分) with a reason, added as they are;
- ranked by score, highest first; equal scores by village name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from jingyuan_desktop.domain.enums import DomainError

WEIGHT_NAMES = {"timeliness": "及时率", "resolution": "化解率", "satisfaction": "满意率"}


@dataclass(frozen=True)
class AssessmentSettings:
    weight_timeliness: float = 30
    weight_resolution: float = 40
    weight_satisfaction: float = 30
    overdue_points: float = 0.5
    shirked_points: float = 2
    deduction_cap: float = 30

    def check(self) -> None:
        weights = (self.weight_timeliness, self.weight_resolution, self.weight_satisfaction)
        if any(w < 0 for w in weights):
            raise DomainError("权重不能为负数")
        if abs(sum(weights) - 100) > 1e-9:
            raise DomainError(f"及时率、化解率、满意率三项权重之和须为100（现为{sum(weights):g}）")
        for name, value in (("每项超时扣分", self.overdue_points), ("每件推诿扣分", self.shirked_points),
                            ("扣分上限", self.deduction_cap)):
            if not 0 <= value <= 100:
                raise DomainError(f"{name}须在0到100之间")

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict | None) -> AssessmentSettings:
        known = cls.__dataclass_fields__
        try:
            settings = cls(**{k: float(v) for k, v in (data or {}).items() if k in known})
        except (TypeError, ValueError):
            raise DomainError("考核设置中有不是数字的项") from None
        settings.check()
        return settings


@dataclass(frozen=True)
class Adjustment:
    village: str
    points: float
    reason: str
    by: str = ""
    at: str = ""  # ISO time it was entered

    def check(self) -> None:
        if not self.village.strip():
            raise DomainError("请选择加减分的村（社区）")
        if not self.reason.strip():
            raise DomainError("加减分须写明理由")
        if self.points == 0 or abs(self.points) > 100:
            raise DomainError("加减分须在-100到100之间且不为0")


@dataclass(frozen=True)
class VillageFacts:
    """What the score is computed from, for one village (or the whole town)."""

    village: str
    received: int = 0
    resolution_rate: float | None = None
    satisfaction_rate: float | None = None
    clocks_met: int = 0
    clocks_judged: int = 0
    overdue: int = 0
    shirked: int = 0

    @property
    def timeliness_rate(self) -> float | None:
        return self.clocks_met / self.clocks_judged if self.clocks_judged else None


@dataclass(frozen=True)
class VillageScore:
    rank: int
    facts: VillageFacts
    timeliness: float  # the rate used (the town's when the village had none)
    resolution: float
    satisfaction: float
    components: float  # weighted sum, 0..100
    deduction: float
    adjustment: float
    score: float
    substituted: tuple[str, ...] = field(default_factory=tuple)  # rates taken from the town


def _rate(own: float | None, town: float | None, name: str, substituted: list[str]) -> float:
    if own is not None:
        return own
    substituted.append(name)
    return town if town is not None else 0.0


def score_villages(villages: list[VillageFacts], town: VillageFacts, settings: AssessmentSettings,
                   adjustments: Iterable[Adjustment] = ()) -> list[VillageScore]:
    """Every village's score, ranked (see the module's rules)."""
    settings.check()
    extra: dict[str, float] = {}
    for entry in adjustments:
        extra[entry.village] = extra.get(entry.village, 0.0) + entry.points
    scored: list[VillageScore] = []
    for facts in villages:
        used: list[str] = []
        timeliness = _rate(facts.timeliness_rate, town.timeliness_rate, WEIGHT_NAMES["timeliness"], used)
        resolution = _rate(facts.resolution_rate, town.resolution_rate, WEIGHT_NAMES["resolution"], used)
        satisfaction = _rate(facts.satisfaction_rate, town.satisfaction_rate, WEIGHT_NAMES["satisfaction"], used)
        components = (timeliness * settings.weight_timeliness + resolution * settings.weight_resolution
                      + satisfaction * settings.weight_satisfaction)
        deduction = min(settings.deduction_cap,
                        facts.overdue * settings.overdue_points + facts.shirked * settings.shirked_points)
        adjustment = extra.get(facts.village, 0.0)
        scored.append(VillageScore(
            rank=0, facts=facts, timeliness=timeliness, resolution=resolution, satisfaction=satisfaction,
            components=round(components, 2), deduction=round(deduction, 2), adjustment=adjustment,
            score=round(components - deduction + adjustment, 2), substituted=tuple(used)))
    scored.sort(key=lambda row: (-row.score, row.facts.village))
    return [replace(row, rank=rank) for rank, row in enumerate(scored, start=1)]

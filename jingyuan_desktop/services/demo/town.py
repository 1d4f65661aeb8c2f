"""The demo town's reference data: its units, its people, and which villages each station covers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from jingyuan_desktop.domain.enums import PersonRole, UnitKind
from jingyuan_desktop.domain.model import Person, Unit
from jingyuan_desktop.resources import resource_path


@dataclass
class DemoTown:
    """The demo town: its units, its people, which villages each police station covers."""

    town: str
    case_no_prefix: str
    units: list[Unit]
    people: list[Person]
    station_villages: dict[str, list[str]] = field(default_factory=dict)

    def villages(self) -> list[str]:
        """Villages and communities, in the order of the file."""
        return [u.name for u in self.units if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)]

    def team(self, village: str) -> list[Person]:
        """The handling team of a village, its secretary first."""
        members = [p for p in self.people if p.unit == village]
        return sorted(members, key=lambda p: p.role != PersonRole.SECRETARY)

    def with_role(self, role: PersonRole) -> list[Person]:
        return [p for p in self.people if p.role == role]

    def station_of(self, village: str) -> str:
        for station, villages in self.station_villages.items():
            if village in villages:
                return station
        return next(iter(self.station_villages), "")


def load_town(path: Path | str | None = None) -> DemoTown:
    """Read the demo town from ``path`` (default: the bundled ``demo/town.json``)."""
    source = Path(path) if path else resource_path("demo", "town.json")
    raw = json.loads(source.read_text(encoding="utf-8"))
    units = [Unit(u["name"], UnitKind(u["kind"])) for u in raw["units"]]
    people = [
        Person(p["name"], PersonRole(p["role"]), p.get("unit"), p.get("phone", ""), tuple(p.get("skills", ())))
        for p in raw["people"]
    ]
    stations = {k: list(v) for k, v in raw.get("station_villages", {}).items()}
    return DemoTown(raw["town"], raw["case_no_prefix"], units, people, stations)

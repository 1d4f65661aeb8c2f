"""The fictional parties of a case: names from the demo word lists, plausible mobile numbers."""

from __future__ import annotations

import random
from typing import Any

from jingyuan_desktop.domain.enums import PartyRole
from jingyuan_desktop.domain.model import Party

_PHONE_PREFIXES = [f"13{d}" for d in range(10)] + ["150", "151", "152", "155", "156", "157", "158", "159"] + [
    f"18{d}" for d in range(10)
]


def draw_parties(rng: random.Random, words: dict[str, Any], major: str) -> list[Party]:
    """The caller, and often the other side of the dispute (rarely for a call for help)."""
    found = [Party(person_name(rng, words), phone(rng), PartyRole.CALLER)]
    if rng.random() < (0.3 if major == "求助" else 0.75):
        number = phone(rng) if rng.random() < 0.45 else ""
        found.append(Party(person_name(rng, words), number, PartyRole.PARTY))
    return found


def person_name(rng: random.Random, words: dict[str, Any]) -> str:
    surnames, first, second = words["surnames"], words["given_first"], words["given_second"]
    if rng.random() < 0.12:
        return rng.choice(surnames) + rng.choice(second)
    return rng.choice(surnames) + rng.choice(first) + rng.choice(second)


def phone(rng: random.Random) -> str:
    return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"

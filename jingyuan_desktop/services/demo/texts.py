"""The words demo cases are made of (``resources/demo/texts.json``), and the phrase templates.

A template picks one alternative of "[甲|乙]"; "{n}" and friends are numbers, "{v}" the village.
"""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

from jingyuan_desktop.resources import resource_path

_TOKEN = re.compile(r"\[([^\]]*)\]|\{(\w)\}")
_NUMBER_SLOTS = {"n": (1, 12), "k": (1, 86), "b": (1, 28), "u": (1, 4)}


class Phrase:
    """A parsed template: plain text, alternatives (a tuple) and slots (a one-item list)."""

    def __init__(self, template: str):
        self.parts: list[Any] = []
        position = 0
        for match in _TOKEN.finditer(template):
            if match.start() > position:
                self.parts.append(template[position:match.start()])
            if match.group(1) is not None:
                self.parts.append(tuple(match.group(1).split("|")))
            else:
                self.parts.append([match.group(2)])  # a list marks a slot
            position = match.end()
        if position < len(template):
            self.parts.append(template[position:])

    def render(self, rng: random.Random, village: str = "") -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, list):
                out.append(_slot(rng, part[0], village))
            else:
                out.append(rng.choice(part))
        return "".join(out)


def _slot(rng: random.Random, name: str, village: str) -> str:
    if name == "v":
        return village
    if name == "r":
        return f"{rng.randint(1, 26)}0{rng.randint(1, 4)}"
    low, high = _NUMBER_SLOTS[name]
    return str(rng.randint(low, high))


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """The bundled word lists, with the summary and place templates parsed once."""
    raw = json.loads(resource_path("demo", "texts.json").read_text(encoding="utf-8"))
    raw["summary_phrases"] = {k: [Phrase(t) for t in v] for k, v in raw["summaries"].items()}
    raw["place_phrases"] = {
        kind: ([Phrase(t) for _, t in pairs], list(accumulate(w for w, _ in pairs)))
        for kind, pairs in raw["places"].items()
        if not kind.startswith("_")
    }
    return raw


def party_name_parts() -> tuple[str, str, str]:
    """The surname and given-name characters fictional parties are built from."""
    words = texts()
    return words["surnames"], words["given_first"], words["given_second"]

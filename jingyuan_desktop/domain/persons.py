"""Matching a person met in a case, a visit or the key-person register to the citizens already
on record, by resident ID number or by phone and name (issue 14).

An equal ID number is the same person. A phone is shared by families and shops, so a phone
alone merges nothing: it must come with the same name, and never against a different ID
number. What may be one person but is not merged is listed for the office to review. Masking
of ID numbers and phones for display is ``domain.privacy``'s.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from jingyuan_desktop.domain.prevention import Citizen
from jingyuan_desktop.domain.privacy import normalise_phone

# GB 11643: weights of the first 17 digits, and the check character by the sum modulo 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Fewer digits than a local landline number is not a phone to match people by.
MIN_PHONE_DIGITS = 7
SAME_ID, SAME_PHONE, SAME_NAME_VILLAGE = "身份证号相同", "电话相同", "姓名与村相同"


def normalize_phone(text: str) -> str:
    """Digits only, without a leading +86/86/0086 before an 11-digit mobile; "" when none
    are left. The same rule as repeat-call matching (``privacy.normalise_phone``)."""
    return normalise_phone(text or "")


def normalize_id_number(text: str) -> str:
    """An ID number as compared: full-width characters made half-width (a Chinese input method
    types １２３), every space removed, a final x upper-cased."""
    value = re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))
    return value[:-1] + value[-1:].upper()


def id_number_valid(text: str) -> bool:
    """An 18-character resident ID number whose check character is right (GB 11643), or an old
    15-digit one (which has no check character)."""
    value = normalize_id_number(text)
    if re.fullmatch(r"\d{15}", value):
        return True
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _WEIGHTS, strict=True))
    return value[17] == _CHECK[total % 11]


def normalize_name(text: str) -> str:
    """A name as compared: spaces removed (rosters align two-character names as 「张 勇」)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))


def _phone_key(text: str) -> str:
    phone = normalize_phone(text)
    return phone if len(phone) >= MIN_PHONE_DIGITS else ""


@dataclass(frozen=True)
class Match:
    """The citizen a person is (None: a new record), by what ("id_number", "phone" or ""), and
    other citizens the office should look at because they may be the same person."""

    citizen_id: int | None
    by: str
    review: tuple[int, ...] = ()


def match_citizen(name: str, phone: str, id_number: str, citizens: Iterable[Citizen]) -> Match:
    """Who on record a person is.

    1. An equal ID number is the same person, whatever the name says (a nickname or a typo in
       the name does not undo it); several records with that number: the lowest id, the others
       for review. Citizens with the same phone but another person's record are for review too.
    2. Otherwise an equal phone and an equal name is the same person (the lowest id of them),
       unless both ID numbers are given and differ: then that citizen is only for review.
    3. An equal phone under another name is never merged: for review.
    Phones shorter than ``MIN_PHONE_DIGITS`` digits match nothing. Records with no id are skipped.
    """
    wanted_id = normalize_id_number(id_number)
    wanted_phone = _phone_key(phone)
    wanted_name = normalize_name(name)
    saved = [c for c in citizens if c.id is not None]
    by_phone = [c for c in saved if wanted_phone and _phone_key(c.phone) == wanted_phone]
    by_id = sorted(c.id for c in saved if wanted_id and normalize_id_number(c.id_number) == wanted_id
                   and c.id is not None)
    chosen: int | None
    if by_id:
        chosen, by = by_id[0], "id_number"
    else:
        same = sorted(
            c.id for c in by_phone
            if c.id is not None and normalize_name(c.name) == wanted_name
            and not (wanted_id and c.id_number.strip() and normalize_id_number(c.id_number) != wanted_id)
        )
        chosen, by = (same[0], "phone") if same else (None, "")
    others = {c.id for c in by_phone if c.id is not None} | set(by_id)
    return Match(chosen, by, tuple(sorted(others - {chosen})))


def possible_duplicates(citizens: Iterable[Citizen]) -> list[tuple[int, int, str]]:
    """Pairs of records that may be one person, (lower id, higher id, reason), ordered by ids.

    A pair is listed once, under its strongest reason: the same ID number, else the same phone,
    else the same name in the same (named) village. Two records whose ID numbers are both valid
    and differ are two people and never listed.
    """
    saved = sorted((c for c in citizens if c.id is not None), key=lambda c: c.id or 0)
    keys = (
        (SAME_ID, lambda c: normalize_id_number(c.id_number)),
        (SAME_PHONE, lambda c: _phone_key(c.phone)),
        (SAME_NAME_VILLAGE, lambda c: (f"{normalize_name(c.name)}|{c.village.strip()}"
                                       if normalize_name(c.name) and c.village.strip() else "")),
    )
    found: dict[tuple[int, int], str] = {}
    for reason, key_of in keys:
        groups: dict[str, list[Citizen]] = {}
        for citizen in saved:
            key = key_of(citizen)
            if key:
                groups.setdefault(key, []).append(citizen)
        for group in groups.values():
            for a, b in combinations(group, 2):
                pair = (a.id or 0, b.id or 0)
                if pair not in found and not _surely_two(a, b):
                    found[pair] = reason
    return [(a, b, reason) for (a, b), reason in sorted(found.items())]


def _surely_two(a: Citizen, b: Citizen) -> bool:
    first, second = normalize_id_number(a.id_number), normalize_id_number(b.id_number)
    return first != second and id_number_valid(first) and id_number_valid(second)

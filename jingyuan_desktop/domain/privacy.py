"""Masking of citizens' personal data for lists, projection and exports."""

from __future__ import annotations

import re


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four characters kept, the middle starred."""
    value = (phone or "").strip()
    if len(value) > 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_id_number(id_number: str) -> str:
    """First 6 and last 4 characters of an ID number; the birth date and sequence hidden."""
    value = (id_number or "").strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(name: str) -> str:
    """张某 for 张三; a two-character surname such as 欧阳 keeps both characters."""
    value = (name or "").strip()
    if not value:
        return ""
    surname_len = 2 if len(value) >= 3 and value[:2] in COMPOUND_SURNAMES else 1
    return value[:surname_len] + "某"


COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门",
})

_PHONE_RE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask_phones_in_text(text: str) -> str:
    """Mask mobile numbers that appear inside free text such as a summary."""
    return _PHONE_RE.sub(r"\1****\2", text or "")


# An 18-character resident ID number (the last may be X), or an old 15-digit one.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def mask_ids_in_text(text: str) -> str:
    """Mask ID numbers that a clerk typed into free text (a summary, a note)."""
    return _ID_RE.sub(lambda match: mask_id_number(match.group()), text or "")


def mask_numbers_in_text(text: str) -> str:
    """Free text with every ID number and mobile number in it masked: what any list, screen
    or masked export shows of a summary or a note."""
    return mask_phones_in_text(mask_ids_in_text(text))


def normalise_phone(phone: str) -> str:
    """Digits only, without a leading +86/0086 country code, for matching repeat callers."""
    # Already digits only (Unicode decimals, as \d) most often: spared the substitution.
    digits = phone if phone and phone.isdecimal() else re.sub(r"\D", "", phone or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix):]
    return digits


def is_valid_phone(phone: str) -> bool:
    """A mainland mobile number (11 digits from 1) or a landline with area code (0 + 9-11 digits)."""
    digits = normalise_phone(phone)
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return True
    cleaned = re.sub(r"[\s-]", "", phone or "")
    return bool(re.fullmatch(r"0\d{9,11}", cleaned)) or bool(re.fullmatch(r"\d{7,8}", cleaned))


def mask_people_in_text(text: str, names) -> str:
    """Free text with the given people's names as 张某 and any ID or mobile number starred:
    what a handout or a projected slide may show of a summary."""
    value = mask_numbers_in_text(text or "")
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        value = value.replace(name, mask_name(name))
    return value

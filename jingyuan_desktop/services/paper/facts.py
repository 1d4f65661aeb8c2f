"""A case's facts as the Chinese phrases the forms print: handlers, flags, event details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jingyuan_desktop.domain import event_text
from jingyuan_desktop.domain.enums import EventType
from jingyuan_desktop.domain.lifecycle import classification_at
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.domain.privacy import mask_id_number, mask_name, mask_people_in_text, mask_phone
from jingyuan_desktop.services.paper.layout import fmt_moment

E = EventType

@dataclass(frozen=True)
class Team:
    """Who was sent: the leader first, then the other handlers; empty before dispatch."""

    leader: str = ""
    handlers: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    experts: tuple[str, ...] = ()
    dispatched_at: datetime | None = None
    dispatched_by: str = ""

    def names(self) -> str:
        return "、".join(f"{name}（带队）" if name == self.leader else name for name in self.handlers)


def team_of(case: Case) -> Team:
    event = case.first(E.DISPATCHED)
    if event is None:
        return Team()
    leader = event.get("leader") or ""
    handlers = [h for h in dict.fromkeys(event.get("handlers") or []) if h]
    if leader:
        handlers = [leader] + [h for h in handlers if h != leader]
    return Team(leader, tuple(handlers), tuple(event.get("departments") or ()), tuple(event.get("experts") or ()),
                event.at, event.by)


def flags_of(case: Case) -> list[str]:
    """民转刑风险, 重复报警 with the earlier case, 涉及重点人员: what the team must know first."""
    flags = []
    if classification_at(case).criminal_risk:
        flags.append("民转刑风险")
    if case.repeat_of:
        flags.append(f"重复报警（前案 {case.repeat_of}），二次处置")
    if case.key_persons:
        flags.append("涉及重点人员")
    return flags


def value_text(name: str, value) -> str:
    return event_text.value_text(name, value, fmt_moment)


def event_details(event: Event, *, with_evidence: bool = False) -> str:
    """“处置人员：甲、乙；带队负责人：甲；……”, then the note; evidence only when asked."""
    parts = [f"{label}：{text}" for label, text in event_text.event_details(event, fmt_moment)]
    if event.note:
        parts.append(event.note)
    if with_evidence and event.evidence:
        parts.append("证据：" + "、".join(event.evidence))
    return "；".join(parts)


def party_line(party: Party, *, masked: bool, show_id: bool = True) -> str:
    """“王小明（报警人）13812345678” or, masked, “王某（报警人）138****5678”."""
    name = mask_name(party.name) if masked else party.name
    phone = mask_phone(party.phone) if masked and party.phone else party.phone
    text = f"{name or '（未留姓名）'}（{party.role.label}）"
    if phone:
        text += f" {phone}"
    if party.id_number and show_id:
        text += f" 身份证 {mask_id_number(party.id_number) if masked else party.id_number}"
    return text


def masked_text(text: str, case: Case) -> str:
    """Free text with the case's party names and any mobile number masked, for handouts."""
    return mask_people_in_text(text, [party.name for party in case.parties])

"""Who may do what: the roles of the office's accounts and the permission each one holds.

One table, read by the services (so the window and the command line obey the same rules) and
by the window only to grey out what a role cannot do. With no account at all (one PC, one
clerk) nothing is checked and the system login name is recorded.
"""

from __future__ import annotations

from enum import StrEnum

from jingyuan_desktop.domain.enums import Coded, Source, _labelled


@_labelled("角色", {"admin": "管理员", "staff": "工作人员", "leader": "领导", "police_liaison": "派出所联络员",
                    "village": "村（社区）账号"})
class Role(Coded):
    ADMIN = "admin"  # users, base data, settings, restore
    STAFF = "staff"  # cases, imports, printing
    LEADER = "leader"  # reads everything, approves escalations and the assessment
    POLICE_LIAISON = "police_liaison"  # reads police transfers, records police feedback
    VILLAGE = "village"  # its own village's cases only


class Permission(StrEnum):
    READ_CASES = "read_cases"  # within the role's scope (``case_scope``)
    INTAKE = "intake"
    RECORD_EVENT = "record_event"
    RECORD_POLICE_FEEDBACK = "record_police_feedback"
    IMPORT = "import"
    EXPORT_LEDGER = "export_ledger"
    EXPORT_UNMASKED = "export_unmasked"
    EXPORT_CASES = "export_cases"
    PRINT = "print"
    BACKUP = "backup"
    RESTORE = "restore"
    EDIT_REFERENCE = "edit_reference"  # villages, people, departments, categories, calendar
    EDIT_SETTINGS = "edit_settings"  # office, clocks
    MANAGE_USERS = "manage_users"
    ASSESSMENT = "assessment"  # adjustments and weights
    READ_AUDIT = "read_audit"
    MEETING = "meeting"  # decisions and minutes of the weekly meeting
    # Issue 14. The key-person register is narrower than the cases: no village or police
    # account sees it, and every look at it is audited.
    KEY_PERSONS = "key_persons"
    PATROL = "patrol"  # record patrols and reports, turn a finding into a case
    WARNINGS = "warnings"  # declare and withdraw warnings (预警)


P = Permission
_STAFF = frozenset({P.READ_CASES, P.INTAKE, P.RECORD_EVENT, P.RECORD_POLICE_FEEDBACK, P.IMPORT, P.EXPORT_LEDGER,
                    P.EXPORT_UNMASKED, P.PRINT, P.BACKUP, P.MEETING, P.KEY_PERSONS, P.PATROL, P.WARNINGS})
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.STAFF: _STAFF,
    Role.LEADER: frozenset({P.READ_CASES, P.EXPORT_LEDGER, P.PRINT, P.ASSESSMENT, P.READ_AUDIT, P.MEETING,
                            P.RECORD_EVENT, P.KEY_PERSONS, P.WARNINGS}),
    Role.POLICE_LIAISON: frozenset({P.READ_CASES, P.RECORD_POLICE_FEEDBACK}),
    Role.VILLAGE: frozenset({P.READ_CASES, P.RECORD_EVENT, P.PRINT, P.PATROL}),
}
PERMISSION_TEXT = {
    P.READ_CASES: "查看案件", P.INTAKE: "登记案件", P.RECORD_EVENT: "记录处置情况",
    P.RECORD_POLICE_FEEDBACK: "反馈派出所",
    P.IMPORT: "导入", P.EXPORT_LEDGER: "导出台账", P.EXPORT_UNMASKED: "导出未打码的个人信息",
    P.EXPORT_CASES: "导出全部案件", P.PRINT: "打印", P.BACKUP: "备份", P.RESTORE: "恢复数据库",
    P.EDIT_REFERENCE: "修改基础数据", P.EDIT_SETTINGS: "修改设置", P.MANAGE_USERS: "管理账号",
    P.ASSESSMENT: "考核加减分和权重", P.READ_AUDIT: "查看审计日志", P.MEETING: "记录例会决定和纪要",
    P.KEY_PERSONS: "查看或修改重点人员名册", P.PATROL: "记录排查走访", P.WARNINGS: "发布或撤销预警",
}
# Failed log-ins before an account is locked, and for how long (minutes).
MAX_FAILURES = 5
LOCK_MINUTES = 15


def allowed(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


def account_text(role: Role) -> str:
    """「领导账号」, 「村（社区）账号」: the role's label as the kind of account it is."""
    return role.label if role.label.endswith("账号") else f"{role.label}账号"


def refusal(role: Role, permission: Permission) -> str:
    return f"{account_text(role)}无权{PERMISSION_TEXT[permission]}"


def case_scope(role: Role, village: str = "") -> tuple[str | None, Source | None]:
    """(the only village, the only source) a role sees of the cases; None where it sees all."""
    if role == Role.VILLAGE:
        return village, None
    if role == Role.POLICE_LIAISON:
        return None, Source.POLICE_TRANSFER
    return None, None


def sees_case(role: Role, village: str, case_village: str, case_source: Source) -> bool:
    only_village, only_source = case_scope(role, village)
    return (only_village is None or case_village == only_village) and (
        only_source is None or case_source == only_source)


class Account:
    """Who is working: a name with a role, and the village of a village account."""

    __slots__ = ("name", "role", "village")

    def __init__(self, name: str, role: Role, village: str = ""):
        self.name, self.role, self.village = name, role, village

    def __repr__(self) -> str:
        return f"Account({self.name!r}, {self.role.value!r}, {self.village!r})"

    def may(self, permission: Permission) -> bool:
        return allowed(self.role, permission)

"""The window's daily file jobs: a police transfer list looked at before it is imported, what an
import did told in plain Chinese, and the backups a clerk can restore from.

The import itself, the exports, backup and restore are ``services.files`` and ``services.setup``;
this module only adds what the window shows around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from jingyuan_desktop.domain.access import Permission
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.categories import UNCLASSIFIED
from jingyuan_desktop.domain.privacy import mask_name, mask_numbers_in_text
from jingyuan_desktop.services import transfers
from jingyuan_desktop.services.cases import reference_data, validate_intake
from jingyuan_desktop.services.context import AppContext, ServiceError
from jingyuan_desktop.services.files import TransferReport
from jingyuan_desktop.services.setup import default_backup_dir
from jingyuan_desktop.services.sheets import cell_text, find_header, header_key, read_rows
from jingyuan_desktop.store import backup as store_backup
from jingyuan_desktop.store import repository

# ------------------------------------------------------------------------------ preview


class RowState(StrEnum):
    READY = "ready"  # 可导入
    KNOWN = "known"  # its incident number is already in the database: skipped on import
    BAD = "bad"  # refused; ``PreviewRow.status`` says why


STATE_TEXT = {RowState.READY: "可导入", RowState.KNOWN: "已导入过（跳过）"}


@dataclass(frozen=True)
class PreviewRow:
    """One row of the list as the clerk will find it in Excel; personal data masked."""

    row: int  # as Excel numbers it
    incident_no: str
    received_at: str  # 2025-06-11 09:30, or the cell as typed when it cannot be read
    village: str
    caller: str  # masked: 张某
    summary: str  # phone and ID numbers masked
    state: RowState
    reason: str = ""  # why a bad row is refused

    @property
    def status(self) -> str:
        return self.reason if self.state == RowState.BAD else STATE_TEXT[self.state]


@dataclass(frozen=True)
class TransferPreview:
    """A transfer list read and checked, nothing written."""

    path: Path
    rows: list[PreviewRow] = field(default_factory=list)

    def count(self, state: RowState) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def ready(self) -> int:
        return self.count(RowState.READY)

    @property
    def bad(self) -> int:
        return self.count(RowState.BAD)

    @property
    def known(self) -> int:
        return self.count(RowState.KNOWN)

    @property
    def counts_text(self) -> str:
        return f"可导入 {self.ready} 行、有问题 {self.bad} 行、已导入过 {self.known} 行"


def preview_transfers(ctx: AppContext, path: Path | str) -> TransferPreview:
    """Read a police transfer list as ``files.import_transfers`` would, and import nothing.

    Every row is returned with what an import would do with it: import it, skip it (its
    incident number is already in the database) or refuse it, and why. A file that cannot be
    read as a transfer list at all is refused in Chinese (``transfers.TransferFileError``).
    """
    ctx.require(Permission.IMPORT)
    path = Path(path)
    with ctx.session() as session:
        refs = reference_data(session)
    batch = transfers.read_transfers(path, villages=set(refs.villages), stations=set(refs.stations),
                                     default_category=UNCLASSIFIED)
    with ctx.session() as session:
        known = repository.police_incident_exists(session, [c.police_incident_no for _, c in batch.cases])
    rows: list[PreviewRow] = []
    for number, case in batch.cases:
        # In the import's order: a known incident number is skipped before the case is checked
        # as a new case (``cases.add_new_case``), which may still refuse a row the file reader let by.
        problems = {} if case.police_incident_no in known else validate_intake(case, refs)
        state = RowState.KNOWN if case.police_incident_no in known else RowState.BAD if problems else RowState.READY
        caller = next((p.name for p in case.parties if p.name), "")
        rows.append(PreviewRow(
            row=number, incident_no=case.police_incident_no or "", received_at=_time_text(case.received_at),
            village=case.village, caller=mask_name(caller), summary=mask_numbers_in_text(case.summary),
            state=state, reason="；".join(problems.values()),
        ))
    if batch.errors:
        cells = _raw_rows(path, {e.row for e in batch.errors})
        for error in batch.errors:
            values = cells.get(error.row, {})
            moment = transfers.parse_time(values.get("received_at"))
            rows.append(PreviewRow(
                row=error.row, incident_no=cell_text(values.get("incident_no")),
                received_at=_time_text(moment) if moment else cell_text(values.get("received_at")),
                village=cell_text(values.get("village")), caller=mask_name(cell_text(values.get("caller"))),
                summary=mask_numbers_in_text(cell_text(values.get("summary"))), state=RowState.BAD,
                reason=error.reason,
            ))
    rows.sort(key=lambda r: r.row)
    return TransferPreview(path=path, rows=rows)


def _time_text(moment: datetime | None) -> str:
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


def _raw_rows(path: Path, wanted: set[int]) -> dict[int, dict[str, Any]]:
    """The cells of the rows ``wanted``, by column, as the file holds them (for bad rows, which
    ``read_transfers`` reports by number only)."""
    rows = read_rows(path)
    spellings = {header_key(s): key for key, (_label, names) in transfers.COLUMNS.items() for s in names}
    found = find_header(rows, spellings, within=transfers.HEADER_SEARCH_ROWS, needs=("incident_no", "received_at"))
    if found is None:  # read_transfers found it a moment ago; the file changed since
        return {}
    _header, columns = found
    return {number: {key: cells[i] if i < len(cells) else None for key, i in columns.items()}
            for number, cells in rows if number in wanted}


# ------------------------------------------------------------------------------ import result


def import_result(report: TransferReport) -> tuple[str, str]:
    """(the sentence to show after an import, the details: one line per row worth a look)."""
    details = "\n".join(_detail_lines(report))
    if report.errors and not report.skipped_invalid:
        return (f"清单中有 {len(report.errors)} 行有问题，未导入任何案件，数据库没有改动。"
                "请改正后重新导入，或选择“跳过有问题的行导入”。", details)
    repeats = sum(1 for r in report.imported if r.repeat_of)
    parts = [f"已导入 {len(report.imported)} 个新案件"]
    if repeats:
        parts.append(f"其中 {repeats} 个是重复报警，已与原案件关联")
    if report.duplicates:
        parts.append(f"跳过已导入过的 {len(report.duplicates)} 行")
    if report.errors:
        parts.append(f"有问题的 {len(report.errors)} 行未导入")
    text = "，".join(parts) + "。"
    if report.imported:
        text += "\n\n新案件为“未分类”，请尽快分类交办。"
    return text, details


def _detail_lines(report: TransferReport) -> list[str]:
    lines = [f"{r.case_no}：与 {r.repeat_of} 重复报警（{r.repeat_reason}）" for r in report.imported if r.repeat_of]
    lines += [f"第{row}行：警情编号 {no} 已导入过，跳过" for row, no in report.duplicates]
    lines += transfers.format_errors(report.errors)
    return lines


# ------------------------------------------------------------------------------ backups

_STAMP = re.compile(r"(\d{8}-\d{6})")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # local time
    size: int  # bytes
    safety_copy: bool = False  # the copy a restore made of the data it replaced

    @property
    def time_text(self) -> str:
        return self.taken_at.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def kind_text(self) -> str:
        return "恢复前自动保存" if self.safety_copy else "备份"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1024) // 1024} KB"


@dataclass(frozen=True)
class Backups:
    folder: Path  # where 备份数据库 writes by default
    files: list[BackupFile]  # newest first


def list_backups(ctx: AppContext, *, restoring: bool = False) -> Backups:
    """The backups in the default folder and the copies earlier restores kept, newest first.

    Refused in Chinese to an account that may not back up (or, ``restoring``, restore), and
    for a database that is not a SQLite file: a server database is backed up by its own tools."""
    ctx.require(Permission.RESTORE if restoring else Permission.BACKUP)
    live = ctx.db.sqlite_path
    if not ctx.db.is_sqlite or live is None:
        raise ServiceError("只有 SQLite 数据库文件可以在程序内备份和恢复；服务器数据库请用其自带的工具备份")
    folder = default_backup_dir(ctx)
    found = [_backup_file(p, safety=False) for p in store_backup.backups_in(folder)]
    found += [_backup_file(p, safety=True) for p in store_backup.safety_copies(live)]
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return Backups(folder=folder, files=found)


def _backup_file(path: Path, *, safety: bool) -> BackupFile:
    stat = path.stat()
    match = _STAMP.search(path.stem)
    taken: datetime | None = None
    if match:
        try:
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=TZ)
        except ValueError:
            taken = None
    if taken is None:
        taken = datetime.fromtimestamp(stat.st_mtime, TZ)
    return BackupFile(path=path, taken_at=taken, size=stat.st_size, safety_copy=safety)

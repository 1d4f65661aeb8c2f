"""The case ledger (台账): one row a case in an .xlsx that a clerk prints or files.

Written in openpyxl's write-only mode, row by row, so a ledger of 100,000 cases needs no
more memory than one of ten. Personal data is masked unless the caller asks otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import NO_COLOUR, EventType
from jingyuan_desktop.domain.event_text import ending_text
from jingyuan_desktop.domain.lifecycle import classification_at, current_risk, derive_status, resolution
from jingyuan_desktop.domain.model import Case
from jingyuan_desktop.domain.privacy import mask_name, mask_people_in_text, mask_phone

DATE_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class LedgerRow:
    """One ledger line, unmasked; masking is applied when the row is written."""

    case_no: str
    source: str
    police_incident_no: str
    received_at: datetime | None
    village: str
    location: str
    category: str
    grade: str
    risk: str
    caller_name: str
    caller_phone: str
    summary: str
    handlers: str
    dispatched_at: datetime | None
    arrived_at: datetime | None
    resolved_at: datetime | None
    ending: str
    satisfaction: str
    status: str
    archive_no: str
    # Not a column: every party's name, so that masking can hide them inside free text too.
    party_names: tuple[str, ...] = ()


# (field, header, column width in Excel units; a Chinese character is about 2 units)
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("case_no", "案件编号", 16),
    ("source", "来源", 12),
    ("police_incident_no", "警情编号", 22),
    ("received_at", "接收时间", 17),
    ("village", "村（社区）", 13),
    ("location", "事发地点", 20),
    ("category", "类别", 12),
    ("grade", "等级", 7),
    ("risk", "风险", 7),
    ("caller_name", "报警人", 10),
    ("caller_phone", "联系电话", 15),
    ("summary", "简要情况", 42),
    ("handlers", "承办人", 20),
    ("dispatched_at", "交办时间", 17),
    ("arrived_at", "到场时间", 17),
    ("resolved_at", "化解时间", 17),
    ("ending", "办结方式", 18),
    ("satisfaction", "回访满意度", 12),
    ("status", "状态", 14),
    ("archive_no", "归档编号", 16),
)
_FIELD_ORDER = [name for name, _, _ in COLUMNS]
assert set(_FIELD_ORDER) <= {f.name for f in fields(LedgerRow)}, "ledger columns out of step with LedgerRow"
_WRAPPED = frozenset({"location", "summary", "handlers"})


def ledger_row(case: Case, *, status_label: str | None = None, handlers: str | None = None) -> LedgerRow:
    """The ledger line of ``case`` with its current classification and status.

    ``status_label`` and ``handlers`` may be passed when the caller already has them (from
    the store's cached status, say); otherwise they are read off the timeline.
    """
    now = classification_at(case)
    dispatched = case.first(EventType.DISPATCHED)
    arrived = case.first(EventType.ARRIVED)
    resolved = resolution(case)
    archived = case.first(EventType.ARCHIVED)
    satisfaction = case.satisfaction()
    caller = case.caller or (case.parties[0] if case.parties else None)
    if handlers is None:
        handlers = _handlers(dispatched.data if dispatched else {})
    colour = current_risk(case)
    return LedgerRow(
        case_no=case.case_no,
        source=case.source.label,
        police_incident_no=case.police_incident_no,
        received_at=case.received_at,
        village=case.village,
        location=case.location,
        category=now.category,
        grade=now.grade.label,
        risk=colour.label if colour else NO_COLOUR,
        caller_name=caller.name if caller else "",
        caller_phone=caller.phone if caller else "",
        summary=case.summary,
        handlers=handlers,
        dispatched_at=dispatched.at if dispatched else None,
        arrived_at=arrived.at if arrived else None,
        resolved_at=resolved.at if resolved else None,
        ending=ending_text(case),
        satisfaction=satisfaction.label if satisfaction else "",
        status=status_label if status_label is not None else derive_status(case).label,
        archive_no=(archived.get("archive_no") or "") if archived else "",
        party_names=tuple(p.name for p in case.parties if p.name),
    )


def _handlers(data: dict) -> str:
    leader = data.get("leader") or ""
    names = [leader] if leader else []
    names += [h for h in data.get("handlers") or [] if h and h != leader]
    return "、".join(dict.fromkeys(names))


def masked_row(row: LedgerRow) -> LedgerRow:
    """The same line with the caller's name and phone masked, and in the summary and place
    also the parties' names, phone numbers and ID numbers."""
    names = sorted({n.strip() for n in (*row.party_names, row.caller_name) if len(n.strip()) >= 2},
                   key=len, reverse=True)
    return replace(
        row,
        caller_name=mask_name(row.caller_name),
        caller_phone=mask_phone(row.caller_phone) if row.caller_phone else "",
        summary=mask_people_in_text(row.summary, names),
        location=mask_people_in_text(row.location, names),
    )



def write_ledger(
    path: str | Path,
    rows: Iterable[LedgerRow | Case],
    *,
    masked: bool = True,
    title: str = "警源治理案件台账",
    period: str = "",
) -> int:
    """Write the ledger to ``path`` (.xlsx) and return the number of case rows.

    ``rows`` may hold ``LedgerRow``s or ``Case``s (converted with ``ledger_row``) and is
    consumed once, row by row. The sheet prints landscape on A4, fitted to the page width,
    with the column headings repeated on every page.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    last_column = get_column_letter(len(COLUMNS))
    for index, (_, header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(width, _display_width(header) + 2)
    sheet.merged_cells.add(f"A1:{last_column}1")
    sheet.merged_cells.add(f"A2:{last_column}2")
    sheet.freeze_panes = "B4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4

    styles = _Styles(sheet)
    sheet.append([styles.cell(title, "title")])
    period_text = f"期间：{period}" if period else ""
    note = "个人信息已脱敏" if masked else "含完整个人信息，注意保密"
    sheet.append([styles.cell("　　".join(t for t in (period_text, note) if t), "period")])
    sheet.append([styles.cell(header, "header") for _, header, _ in COLUMNS])

    count = 0
    for item in rows:
        row = item if isinstance(item, LedgerRow) else ledger_row(item)
        if masked:
            row = masked_row(row)
        sheet.append([styles.value(getattr(row, name), name) for name in _FIELD_ORDER])
        count += 1
    # Through a temporary file beside it: a failed save never leaves half a ledger under the name.
    target = Path(path)
    temporary = target.with_name(target.name + ".part")
    try:
        workbook.save(temporary)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
    return count


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class _Styles:
    """Template cells whose style is copied onto each new cell.

    Assigning font, border and alignment one by one costs a style lookup each; copying a
    finished style array once per cell keeps 100,000 rows fast.
    """

    def __init__(self, sheet: WriteOnlyWorksheet):
        self.sheet = sheet
        side = Side(style="thin", color="000000")
        border = Border(left=side, right=side, top=side, bottom=side)
        body = Font(name="宋体", size=10)
        templates: dict[str, dict[str, object]] = {
            "title": dict(font=Font(name="黑体", size=16, bold=True),
                          alignment=Alignment(horizontal="center", vertical="center")),
            "period": dict(font=Font(name="宋体", size=10), alignment=Alignment(horizontal="left")),
            "header": dict(font=Font(name="黑体", size=10, bold=True), border=border,
                           fill=PatternFill("solid", fgColor="D9D9D9"),
                           alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
            "text": dict(font=body, border=border, alignment=Alignment(vertical="center")),
            "wrapped": dict(font=body, border=border, alignment=Alignment(vertical="center", wrap_text=True)),
            "time": dict(font=body, border=border, alignment=Alignment(horizontal="center", vertical="center"),
                         number_format=DATE_FORMAT),
        }
        self._styles: dict[str, StyleArray] = {}
        for name, attributes in templates.items():
            cell = WriteOnlyCell(sheet)
            for attribute, value in attributes.items():
                setattr(cell, attribute, value)
            # openpyxl has no public getter for a cell's style array; the stubs leave it out.
            self._styles[name] = cell._style  # type: ignore[attr-defined]

    def cell(self, value: str | float | datetime | None, style: str) -> Cell:
        if isinstance(value, str):
            # Pasted text can hold control characters, which Excel files cannot.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # What WriteOnlyCell does, with the template's style array (copied by the cell) given
        # up front instead of built attribute by attribute.
        cell = Cell(self.sheet, row=1, column=1, value=value, style_array=self._styles[style])
        if cell.data_type == "f":
            cell.data_type = "s"  # a summary starting with "=" is text, never a formula
        return cell

    def value(self, value: str | datetime | None, name: str) -> Cell:
        if isinstance(value, datetime):
            # Excel has no time zones: write the Beijing wall-clock time.
            value = (value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)).replace(tzinfo=None)
            return self.cell(value, "time")
        if value is None:
            return self.cell(None, "time")
        return self.cell(value, "wrapped" if name in _WRAPPED else "text")

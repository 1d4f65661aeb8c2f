"""Reading the sheets the office fills in Excel: .xlsx and .csv, the latter in UTF-8 or GBK.

Rows are numbered as Excel shows them, so that a problem can be reported as "第5行". What a
sheet means (its columns, its rows) is for the caller: the police transfer list, the villages.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from jingyuan_desktop.domain.enums import DomainError

Row = tuple[int, list[Any]]  # (the row's number in Excel, its cells)

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
# Serial numbers of the days 1982..2173: a bare number like 10 in a time column is not a time.
_PLAUSIBLE_SERIALS = (30_000, 100_000)


class SheetError(DomainError):
    """The file as a whole cannot be read as a sheet."""


def read_rows(path: Path) -> list[Row]:
    """Every row of the first worksheet of an .xlsx (or .xlsm), or of a .csv; refused in Chinese
    when the file is missing, of another kind, damaged, or in an encoding Excel does not write."""
    if not path.exists():
        raise SheetError(f"找不到文件“{path.name}”")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return list(_xlsx_rows(path))
    if suffix == ".csv":
        return list(_csv_rows(path))
    if suffix == ".xls":
        raise SheetError("不支持旧版Excel（.xls）文件，请在Excel中“另存为”.xlsx或.csv后再导入")
    raise SheetError(f"无法导入“{path.name}”：只支持.xlsx和.csv文件")


def cell_text(value: Any) -> str:
    """A cell as text; numbers typed into Excel (incident numbers, phones) lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def header_key(value: Any) -> str:
    """A header cell reduced to what tells columns apart: full-width forms, brackets, spaces
    and a trailing "*" or colon do not matter, so "所属村（社区）*" is "所属村(社区)"."""
    text = unicodedata.normalize("NFKC", cell_text(value)).translate(_BRACKETS)
    return re.sub(r"\s+", "", text).rstrip("*:：")


def find_header(rows: list[Row], spellings: Mapping[str, str], *, within: int,
                needs: Collection[str]) -> tuple[int, dict[str, int]] | None:
    """The header among the first ``within`` rows: the first row holding every column of
    ``needs``. ``spellings`` maps a ``header_key`` to its column; returns the row's number and
    the index of each column found (the first, where a column is repeated), or None."""
    for number, cells in rows[:within]:
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = spellings.get(header_key(cell))
            if key and key not in columns:
                columns[key] = index
        if all(key in columns for key in needs):
            return number, columns
    return None


def serial_time(serial: float) -> datetime | None:
    """A naive date-time from an Excel serial number, or None where it is no plausible moment
    (a whole number is a date without a time of day)."""
    # openpyxl loads with the first sheet read, not with the program.
    from openpyxl.utils.datetime import from_excel

    low, high = _PLAUSIBLE_SERIALS
    if not low <= serial <= high or float(serial).is_integer():
        return None
    return from_excel(serial)


def _xlsx_rows(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SheetError(f"无法打开Excel文件“{path.name}”，文件可能已损坏或并非Excel文件"
                         f"（{type(error).__name__}）") from None
    number = 0
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; without this, read-only mode stops early.
        sheet.reset_dimensions()
        # Once the size is reset, rows the file leaves out (they hold nothing) come as empty
        # rows, so counting from 1 gives each row its number in Excel; values alone spare a
        # cell object for each value (tests/services/test_sheets.py holds the rows to openpyxl's).
        for values in sheet.iter_rows(values_only=True):
            number += 1
            yield number, list(values)
    except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile, OSError) as error:
        # A damaged sheet inside a sound zip: its XML breaks off (ParseError is a SyntaxError).
        raise SheetError(f"Excel文件“{path.name}”第{number + 1}行附近内容已损坏，无法读取"
                         f"（{type(error).__name__}），请在Excel中打开后另存一份再导入") from None
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[Row]:
    text = _decode(path.read_bytes(), path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    # Excel numbers rows by record, and a quoted cell may span lines, so count records.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise SheetError(f"“{path.name}”第{number + 1}行无法读取：单元格内容过长（超过{csv.field_size_limit()}字）"
                             "或引号不配对") from None
        number += 1
        yield number, row


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    # Excel on Chinese Windows saves "CSV" in the ANSI code page, i.e. GBK.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(f"无法识别“{name}”的文字编码，请用Excel另存为“CSV UTF-8”后再导入")

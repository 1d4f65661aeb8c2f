"""Regenerate the sample police transfer lists in this folder.

Run with the project's Python: ``python resources/samples/make_samples.py``. All people and
phone numbers are invented; the units are the demo town's.

* transfers_sample.xlsx  - the list as a station sends it: a title row above the header,
  real Excel date-time cells.
* transfers_sample.csv   - the same rows as CSV (UTF-8 with BOM, which Excel opens as is).
* transfers_bad.csv      - one sound row and one row for each kind of mistake the import
  reports, plus a blank row that is skipped.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent

HEADER = ["警情编号", "报警时间", "报警人", "联系电话", "事发地点", "所属村（社区）", "简要警情", "处警民警", "转交时间", "转交派出所"]

ROWS = [
    ["J370300202610030001", datetime(2026, 10, 3, 9, 42), "甄大勇", "13900001111", "解营村三组", "解营村",
     "报警人称与邻居因排水沟堵塞发生口角，要求协调。", "钱卫东", datetime(2026, 10, 3, 10, 0), "房镇派出所"],
    ["J370300202610030002", datetime(2026, 10, 3, 11, 5), "贾秀兰", "13900002222", "花漾城社区7号楼", "花漾城社区",
     "楼上漏水渗到楼下，双方就维修费用争执。", "孙建国", datetime(2026, 10, 3, 11, 30), "房镇派出所"],
    ["J370300202610030003", datetime(2026, 10, 3, 14, 20), "", "0533-1234567", "大张村东头麦地", "大张村",
     "两户因地界石被挪动争吵，未动手。", "李明", datetime(2026, 10, 3, 14, 50), "大张派出所"],
    ["J370300202610040001", datetime(2026, 10, 4, 8, 15), "柏小红", "13900003333", "高南村", "高南村",
     "报警人称儿子儿媳不支付赡养费。", "钱卫东", datetime(2026, 10, 4, 8, 40), "房镇派出所"],
]

BAD_ROWS = [
    ["J370300202610050001", "2026-10-05 09:00", "甄大勇", "13900001111", "解营村三组", "解营村", "邻里噪音纠纷。", "钱卫东", "2026-10-05 09:20", "房镇派出所"],
    ["", "2026-10-05 09:10", "贾秀兰", "13900002222", "高南村", "高南村", "缺少警情编号的一行。", "钱卫东", "2026-10-05 09:30", "房镇派出所"],
    ["J370300202610050003", "2026-10-05 09:10", "柏小红", "13900003333", "积家村", "积家村", "转交时间写错。", "李明", "2026-13-45 10:00", "房镇派出所"],
    ["J370300202610050004", "2026-10-05 11:00", "蒋一鸣", "13900004444", "房东村", "房东村", "转交时间早于报警时间。", "李明", "2026-10-05 10:00", "房镇派出所"],
    ["J370300202610050005", "2026-10-05 11:00", "韩冬梅", "13900005555", "某某村", "某某村", "不在本镇的村。", "李明", "2026-10-05 11:20", "房镇派出所"],
    ["J370300202610050006", "2026-10-05 11:00", "杨春生", "13900006666", "路边", "", "没有填所属村。", "李明", "2026-10-05 11:20", "大张派出所"],
    ["J370300202610050007", "2026-10-05 11:00", "朱秋菊", "12345", "小高村", "小高村", "电话号码不对。", "李明", "2026-10-05 11:20", "大张派出所"],
    ["J370300202610050001", "2026-10-05 12:00", "甄大勇", "13900001111", "解营村三组", "解营村", "与第2行警情编号重复。", "钱卫东", "2026-10-05 12:20", "房镇派出所"],
    ["J370300202610050009", "2026-10-05 12:00", "秦晓光", "13900007777", "城西", "院上村", "不认识的派出所。", "王刚", "2026-10-05 12:20", "城关派出所"],
    ["", "", "", "", "", "", "", "", "", ""],
    ["J370300202610050010", "昨天下午", "许文", "13900008888", "小孙村", "小孙村", "报警时间无法识别。", "王刚", "2026-10-05 12:40", "大张派出所"],
]


def _text(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value


def write_xlsx(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "转交清单"
    sheet.append(["房镇派出所非警务警情转交清单"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for letter in "BI":
        for cell in sheet[letter][2:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    for letter, width in zip("ABCDEFGHIJ", (24, 18, 10, 14, 18, 14, 40, 10, 18, 12)):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)


def write_csv(path: Path, rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows([_text(v) for v in row] for row in rows)


def main() -> None:
    write_xlsx(HERE / "transfers_sample.xlsx")
    write_csv(HERE / "transfers_sample.csv", ROWS)
    write_csv(HERE / "transfers_bad.csv", BAD_ROWS)


if __name__ == "__main__":
    main()

"""Regenerate the sample sheets of the prevention registers in this folder (issue 14).

Run with the project's Python: ``python resources/samples/make_prevention_samples.py``. All
people, phone and ID numbers are invented (the ID numbers' check characters are right); the
villages are the demo town's. ``jingyuan import grids|beats|persons|key-persons|patrols FILE``
reads each one.

* grids_sample.xlsx / grids_sample.csv - the grid sheet a town keeps, title row above the header.
* beats_sample.csv       - village police officers and their villages.
* persons_sample.csv     - persons met in cases and visits.
* key_persons_sample.csv - the key-person register.
* patrols_sample.csv     - a week of the patrol log (a date alone is taken as 12:00).
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent

GRIDS = [
    ["村（社区）", "网格名称", "网格长", "网格员", "联防联控点", "起始日期"],
    ["解营村", "第一网格", "郝建军", "杨军、于亮", "解营村村口联防联控点", "2025-06-02"],
    ["解营村", "第二网格", "郝建军", "方秀英", "", "2025-06-02"],
    ["高南村", "第一网格", "苗志刚", "陆海霞，庞立新", "高南村集市联防联控点", "2025-06-02"],
    ["花漾城社区", "第一网格", "尤丽娟", "卫春生 华晓梅", "", "2025-06-02"],
]
BEATS = [
    ["包村民警", "村（社区）", "起始日期"],
    ["顾国生", "解营村、积家村", "2025-06-02"],
    ["方利军", "高南村", "2025-06-02"],
    ["姚利梅", "花漾城社区", "2025-06-02"],
]
PERSONS = [
    ["姓名", "身份证号", "电话", "村（社区）", "网格", "住址"],
    ["甄大勇", "370303198003150019", "13900001111", "解营村", "第一网格", "解营村三组12号"],
    ["贾秀兰", "", "13900002222", "高南村", "", "高南村前街5号"],
    ["柏小红", "370303199007210028", "", "花漾城社区", "第一网格", "花漾城7号楼2单元301"],
]
KEY_PERSONS = [
    ["姓名", "身份证号", "电话", "村（社区）", "网格", "类型", "责任人", "管控措施", "走访周期（天）", "列管日期"],
    ["钱某刚", "370303198511020018", "13900003333", "解营村", "第一网格", "社区矫正", "郝建军",
     "每周见面谈话，配合司法所落实矫正措施", "", "2025-05-06"],
    ["孙某梅", "370303197204080024", "13900004444", "高南村", "第一网格", "精神障碍", "苗志刚",
     "落实监护人看护责任，按时服药", "10", "2025-04-01"],
    ["李某国", "", "13900005555", "花漾城社区", "第一网格", "扬言极端", "尤丽娟",
     "逐一落实见面、化解、稳控", "", "2025-06-01"],
    ["周某", "370303196609300019", "13900006666", "解营村", "", "信访重点人员", "郝建军",
     "定期走访，掌握诉求", "30", ""],
]
PATROLS = [
    ["走访时间", "走访人", "类型", "村（社区）", "网格", "走访户数", "发现情况"],
    ["2025-06-02 09:30", "杨军", "网格员", "解营村", "第一网格", "18", "未发现矛盾纠纷"],
    ["2025-06-03", "方秀英", "网格员", "解营村", "第二网格", "12", "两户因宅基地边界发生口角，已劝解"],
    ["2025-06-03 15:00", "顾国生", "包村民警", "解营村", "", "6", "走访村两委，了解近期矛盾"],
    ["2025/6/4 10:10", "陆海霞", "", "高南村", "第一网格", "20", "未发现矛盾纠纷"],
    ["2025年6月5日 16:20", "华晓梅", "治安信息员", "花漾城社区", "第一网格", "1", "业主与物业因停车收费争执"],
]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out, lineterminator="\r\n").writerows(rows)


def write_grids_xlsx(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "网格划分"
    sheet.append(["房镇镇网格划分及网格员名单"])
    sheet["A1"].font = Font(bold=True, size=14)
    for row in GRIDS:
        sheet.append(row)
    for letter, width in zip("ABCDEF", (14, 12, 10, 24, 24, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)


def main() -> None:
    write_grids_xlsx(HERE / "grids_sample.xlsx")
    write_csv(HERE / "grids_sample.csv", GRIDS)
    write_csv(HERE / "beats_sample.csv", BEATS)
    write_csv(HERE / "persons_sample.csv", PERSONS)
    write_csv(HERE / "key_persons_sample.csv", KEY_PERSONS)
    write_csv(HERE / "patrols_sample.csv", PATROLS)


if __name__ == "__main__":
    main()

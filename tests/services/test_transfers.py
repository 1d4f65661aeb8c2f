"""Reading police transfer lists as stations and clerks actually save them."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import DomainError, Grade, PartyRole, Source
from jingyuan_desktop.services.transfers import (
    RowError,
    TransferFileError,
    format_errors,
    parse_time,
    read_transfers,
)

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
VILLAGES = {"解营村", "高南村", "积家村", "房东村", "大张村", "小高村", "院上村", "小孙村", "花漾城社区"}
STATIONS = {"房镇派出所", "大张派出所"}
HEADER = ["警情编号", "报警时间", "报警人", "联系电话", "事发地点", "所属村（社区）", "简要警情", "处警民警",
          "转交时间", "转交派出所"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def read(path, **kwargs):
    options = {"villages": VILLAGES, "stations": STATIONS, "default_category": "未分类", **kwargs}
    return read_transfers(path, **options)


def write_csv(path: Path, rows: list[list], *, encoding="utf-8-sig", header=HEADER) -> Path:
    with open(path, "w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def test_xlsx_with_title_row_variant_headers_and_real_date_cells(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["房镇派出所非警务警情转交清单"])
    sheet.append([])
    sheet.append([" 警情编号 ", "报警时间", "报警人", "联系电话", "事发地点", "所属村(社区)", "警情简要",
                  "处警民警", "转交时间", "转交派出所"])
    sheet.append([2026100301, datetime(2026, 10, 3, 9, 42), "甄大勇", 13900001111, "三组", "解营村",
                  "邻居吵架", "钱卫东", datetime(2026, 10, 3, 9, 59, 59, 999500), "房镇派出所"])
    sheet.append([])
    sheet.append([370300202610030001, "2026-10-03 10:00", "", "", "", "解营村", "编号被Excel改了", "",
                  "2026-10-03 10:10", ""])
    sheet.append(["J2", "2026年10月3日10时05分", "", "", "", "花漾城社区", "漏水", "", "2026/10/3 10:30", "大张派出所"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)

    batch = read(path)

    [error] = batch.errors
    assert error.row == 6 and "超过15位" in error.reason
    (row_a, first), (row_b, second) = batch.cases
    assert (row_a, row_b) == (4, 7)  # Excel's own row numbers, blank row 5 skipped
    assert first.police_incident_no == "2026100301"
    assert first.received_at == at("2026-10-03 10:00")  # Excel's rounding error undone
    assert first.called_at == at("2026-10-03 09:42")
    assert first.parties[0].phone == "13900001111"
    assert (first.source, first.category, first.grade, first.risk) == (
        Source.POLICE_TRANSFER, "未分类", Grade.GENERAL, None)
    assert (first.village, first.location, first.summary, first.officer, first.police_station) == (
        "解营村", "三组", "邻居吵架", "钱卫东", "房镇派出所")
    assert first.case_no == ""
    assert second.called_at == at("2026-10-03 10:05") and second.received_at == at("2026-10-03 10:30")
    assert second.parties == []  # neither name nor phone given


def test_gbk_csv_with_other_header_spellings(tmp_path):
    header = ["警情编号", "报警时间", "报警人", "报警电话", "事发地点", "所属村居", "简要案情", "处警民警",
              "\u3000转交时间\u3000", "转交单位"]
    rows = [
        ["J1", "2026.10.3 9:05", "贾秀兰", "139-0000-2222", "高南村", "高南村", "赡养纠纷", "孙建国",
         "2026-10-03T09:30", "房镇派出所"],
        ["J2", "2026-10-03 23:10:00", "柏小红", "0533-1234567", "", "积家村", "求助", "李明",
         "2026-10-04 08:00:00+08:00", "大张派出所"],
    ]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk", header=header)
    assert "贾秀兰".encode("gbk") in path.read_bytes()  # really GBK on disk

    batch = read(path)

    assert batch.errors == []
    assert [(row, case.police_incident_no) for row, case in batch.cases] == [(2, "J1"), (3, "J2")]
    first = batch.cases[0][1]
    assert first.parties[0].name == "贾秀兰" and first.parties[0].role == PartyRole.CALLER
    assert first.village == "高南村" and first.summary == "赡养纠纷" and first.police_station == "房镇派出所"
    assert first.called_at == at("2026-10-03 09:05") and first.received_at == at("2026-10-03 09:30")


def test_bad_rows_are_named_with_their_row_number_and_reason(tmp_path):
    rows = [
        ["J1", "2026-10-05 09:00", "甲", "13900001111", "", "解营村", "好的一行", "", "2026-10-05 09:20", "房镇派出所"],
        ["", "2026-10-05 09:10", "乙", "", "", "高南村", "没有编号", "", "2026-10-05 09:30", "房镇派出所"],
        ["J3", "2026-10-05 09:10", "丙", "", "", "积家村", "时间错", "", "2026-13-45", "房镇派出所"],
        ["", "", "", "", "", "", "", "", "", ""],
        ["J4", "2026-10-05 11:00", "丁", "", "", "房东村", "先转后报", "", "2026-10-05 10:00", "房镇派出所"],
        ["J5", "2026-10-05 11:00", "戊", "", "", "某某村", "外村", "", "2026-10-05 11:20", "城关派出所"],
        ["J6", "2026-10-05 11:00", "己", "", "", "", "没有村", "", "2026-10-05 11:20", "房镇派出所"],
        ["J7", "2026-10-05 11:00", "庚", "12345", "", "小高村", "电话错", "", "2026-10-05 11:20", "房镇派出所"],
        ["J1", "2026-10-05 12:00", "辛", "", "", "解营村", "重复", "", "2026-10-05 12:20", "房镇派出所"],
        ["J9", "昨天下午", "壬", "", "", "小孙村", "报警时间错", "", "2026-10-05 12:40", "房镇派出所"],
    ]
    batch = read(write_csv(tmp_path / "bad.csv", rows))

    assert [row for row, _ in batch.cases] == [2]
    assert format_errors(batch.errors) == [
        "第3行：缺少警情编号",
        "第4行：转交时间无法识别（“2026-13-45”）",
        "第6行：转交时间（2026-10-05 10:00）早于报警时间（2026-10-05 11:00）",
        "第7行：未知的村（社区）“某某村”；未知的派出所“城关派出所”",
        "第8行：缺少所属村（社区）",
        "第9行：联系电话“12345”不是有效的电话号码",
        "第10行：警情编号“J1”与第2行重复",
        "第11行：报警时间无法识别（“昨天下午”）",
    ]


def test_unit_sets_are_optional(tmp_path):
    rows = [["J5", "", "", "", "", "某某村", "外村", "", "2026-10-05 11:20", "城关派出所"]]
    batch = read_transfers(write_csv(tmp_path / "a.csv", rows), villages=None, stations=None, default_category="求助")
    [(_, case)] = batch.cases
    assert case.village == "某某村" and case.called_at is None and case.category == "求助"


def test_missing_required_columns_is_one_clear_error(tmp_path):
    header = ["警情编号", "报警时间", "报警人", "转交时间"]
    path = write_csv(tmp_path / "short.csv", [["J1", "", "", "2026-10-05 11:20"]], header=header)
    with pytest.raises(TransferFileError, match="第1行表头缺少必需的列：所属村（社区）、简要警情"):
        read(path)


def test_file_without_a_header_row(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["1", "2"]], header=["姓名", "年龄"])
    with pytest.raises(TransferFileError, match="找不到表头"):
        read(path)


@pytest.mark.parametrize("name, content, words", [
    ("list.xls", b"\xd0\xcf\x11\xe0", "不支持旧版Excel"),
    ("list.txt", b"a,b", "只支持.xlsx和.csv"),
    ("list.xlsx", b"not a zip at all", "无法打开Excel文件"),
])
def test_unreadable_files_are_refused_in_chinese(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TransferFileError, match=words) as caught:
        read(path)
    assert isinstance(caught.value, DomainError)


def test_missing_file(tmp_path):
    with pytest.raises(TransferFileError, match="找不到文件"):
        read(tmp_path / "none.csv")


@pytest.mark.parametrize("text", [
    "2026-10-03 10:00", "2026-10-03 10:00:00", "2026/10/3 10:00", "2026.10.3 10:00", "2026年10月3日 10:00",
    "2026年10月3日10时00分", "2026-10-03T10:00", "2026-10-03T02:00:00Z", "2026-10-03T11:00+09:00", " 2026-10-03 10:00 ",
])
def test_time_spellings(text):
    assert parse_time(text) == at("2026-10-03 10:00")


@pytest.mark.parametrize("text", ["2026-13-45", "2026-10-03", "昨天下午", "10:00", "2026-10-03 25:00", ""])
def test_unreadable_times(text):
    assert parse_time(text) is None


def test_samples_are_readable_and_the_bad_sample_names_its_rows():
    for name in ("transfers_sample.xlsx", "transfers_sample.csv"):
        batch = read(SAMPLES / name)
        assert batch.errors == [] and len(batch.cases) == 4, name
    xlsx = [c.police_incident_no for _, c in read(SAMPLES / "transfers_sample.xlsx").cases]
    csv_ = [c.police_incident_no for _, c in read(SAMPLES / "transfers_sample.csv").cases]
    assert xlsx == csv_
    bad = read(SAMPLES / "transfers_bad.csv")
    assert [row for row, _ in bad.cases] == [2]
    assert [e.row for e in bad.errors] == [3, 4, 5, 6, 7, 8, 9, 10, 12]


def test_format_errors():
    assert format_errors([RowError(5, "转交时间无法识别（“2026-13-45”）")]) == [
        "第5行：转交时间无法识别（“2026-13-45”）"]

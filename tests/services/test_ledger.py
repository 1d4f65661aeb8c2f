"""The printed ledger: columns, masking and page setup, read back with openpyxl."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.enums import EventType, Grade, PartyRole, Risk, Satisfaction, Source
from jingyuan_desktop.domain.lifecycle import check_timeline
from jingyuan_desktop.domain.model import Case, Event, Party
from jingyuan_desktop.services.ledger import LedgerRow, ledger_row, masked_row, write_ledger

E = EventType
HEADERS = ["案件编号", "来源", "警情编号", "接收时间", "村（社区）", "事发地点", "类别", "等级", "风险", "报警人",
           "联系电话", "简要情况", "承办人", "交办时间", "到场时间", "化解时间", "办结方式", "回访满意度",
           "状态", "归档编号"]
FULL_PHONE = re.compile(r"1[3-9]\d{9}")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def archived_case() -> Case:
    return Case(
        case_no="FZ-2026-00042", police_incident_no="J370300202610030001", police_station="房镇派出所",
        received_at=t("2026-10-03 10:00"), village="解营村", location="三组，联系人13900009999",
        summary="欧阳小明（身份证370303199001011234，电话13900001111）与邻居因排水沟吵架", category="邻里纠纷",
        parties=[Party("路人甲", "13900005555", PartyRole.PARTY), Party("欧阳小明", "13900001111", PartyRole.CALLER)],
        events=[
            Event(E.CLASSIFIED, t("2026-10-03 10:02"), data={"category": "相邻关系", "risk": Risk.RED}),
            Event(E.LEADER_ASSIGNED, t("2026-10-03 10:03"), data={"leader": "王镇长"}),
            Event(E.DISPATCHED, t("2026-10-03 10:04"), data={"handlers": ["陈调解员", "刘书记"], "leader": "刘书记"}),
            Event(E.ARRIVED, t("2026-10-03 10:16"), data={"present": ["陈调解员", "刘书记"]}),
            Event(E.RESOLVED, t("2026-10-03 11:00"), data={"outcome": "on_site"}),
            Event(E.RETURN_VISIT, t("2026-10-04 09:00"), data={"satisfaction": Satisfaction.BASICALLY_SATISFIED}),
            Event(E.RETURN_VISIT, t("2026-10-20 09:00"), data={"satisfaction": Satisfaction.SATISFIED,
                                                              "agreement_kept": True}),
            Event(E.POLICE_FEEDBACK, t("2026-10-20 10:00")),
            Event(E.ARCHIVED, t("2026-10-21 09:00"), data={"archive_no": "DA-2026-0042"}),
        ],
    )


def waiting_case() -> Case:
    return Case(case_no="FZ-2026-00043", source=Source.WALK_IN, received_at=t("2026-10-05 08:45"), village="高南村",
                summary="=HYPERLINK(\"x\")求助\x07", category="未分类", grade=Grade.SIMPLE)


def sheet_values(path):
    return [list(row) for row in load_workbook(path).active.iter_rows(values_only=True)]


def all_text(path) -> str:
    return "\n".join(str(v) for row in sheet_values(path) for v in row if v is not None)


def test_fixture_is_a_valid_timeline():
    check_timeline(archived_case())


def test_unmasked_ledger_has_every_column_and_full_details(tmp_path):
    path = tmp_path / "plain.xlsx"
    count = write_ledger(path, [archived_case(), waiting_case()], masked=False, period="2026-10-01 至 2026-10-31")
    assert count == 2
    rows = sheet_values(path)
    assert rows[0][0] == "警源治理案件台账"
    assert "2026-10-01 至 2026-10-31" in rows[1][0]
    assert rows[2] == HEADERS
    line = dict(zip(HEADERS, rows[3], strict=True))
    assert line["案件编号"] == "FZ-2026-00042" and line["来源"] == "派出所转交"
    assert line["接收时间"] == datetime(2026, 10, 3, 10, 0)  # real date cell, Beijing wall-clock time
    assert line["类别"] == "相邻关系" and line["风险"] == "蓝" and line["等级"] == "一般"  # current: resolved
    assert line["报警人"] == "欧阳小明" and line["联系电话"] == "13900001111"  # the caller, not the first party
    assert "13900001111" in line["简要情况"] and "370303199001011234" in line["简要情况"]
    assert line["承办人"] == "刘书记、陈调解员"  # leader first
    assert line["交办时间"] == datetime(2026, 10, 3, 10, 4)
    assert line["到场时间"] == datetime(2026, 10, 3, 10, 16)
    assert line["化解时间"] == datetime(2026, 10, 3, 11, 0)
    assert line["办结方式"] == "当场化解"
    assert line["回访满意度"] == "基本满意"  # the first return visit is the one that counts
    assert line["状态"] == "已归档" and line["归档编号"] == "DA-2026-0042"
    waiting = dict(zip(HEADERS, rows[4], strict=True))
    assert waiting["状态"] == "待交办" and waiting["交办时间"] is None and waiting["报警人"] is None
    assert waiting["简要情况"] == "=HYPERLINK(\"x\")求助"  # text, not a formula; control character dropped
    assert FULL_PHONE.search(all_text(path))


def test_masked_ledger_shows_no_full_phone_or_name(tmp_path):
    path = tmp_path / "masked.xlsx"
    write_ledger(path, iter([archived_case(), waiting_case()]))  # masked is the default
    text = all_text(path)
    assert not FULL_PHONE.search(text)
    assert "370303199001011234" not in text and "370303********1234" in text
    assert "欧阳小明" not in text
    line = dict(zip(HEADERS, sheet_values(path)[3], strict=True))
    assert line["报警人"] == "欧阳某"
    assert line["联系电话"] == "139****1111"
    assert line["简要情况"].startswith("欧阳某（身份证370303********1234，电话139****1111）")
    assert "139****1111" in line["简要情况"] and "139****9999" in line["事发地点"]
    assert "已脱敏" in sheet_values(path)[1][0]


def test_layout_for_printing(tmp_path):
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, [archived_case()], title="房镇台账")
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "房镇台账"
    assert "A1:T1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.freeze_panes == "B4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet["D4"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["L4"].alignment.wrap_text
    assert sheet["A4"].border.left.style == "thin" and sheet["A3"].font.bold
    assert sheet.column_dimensions["L"].width >= 40  # the summary column is wide
    assert sheet.column_dimensions["Q"].width >= 14  # 是否当场化解 fits: six characters of width 2


def test_ledger_rows_can_be_given_directly(tmp_path):
    row = ledger_row(archived_case(), status_label="自定义状态", handlers="某甲")
    assert isinstance(row, LedgerRow) and row.status == "自定义状态" and row.handlers == "某甲"
    assert masked_row(row).caller_phone == "139****1111" and row.caller_phone == "13900001111"
    path = tmp_path / "rows.xlsx"
    assert write_ledger(path, (r for r in [row]), masked=False) == 1
    assert sheet_values(path)[3][HEADERS.index("状态")] == "自定义状态"


def test_empty_ledger_still_has_headers(tmp_path):
    path = tmp_path / "empty.xlsx"
    assert write_ledger(path, []) == 0
    assert sheet_values(path)[2] == HEADERS


@pytest.mark.parametrize("data, shown", [({"outcome": "on_site"}, "当场化解"),
                                         ({"outcome": "agreement", "agreement_no": "XY-7"}, "达成调解协议（XY-7）"),
                                         ({}, "化解")])
def test_the_ending_column_says_how_the_case_was_resolved(data, shown):
    case = archived_case()
    case.events[4] = Event(E.RESOLVED, case.events[4].at, data=data)
    assert ledger_row(case).ending == shown


def test_a_case_handed_to_the_police_shows_that_ending_and_keeps_its_colour():
    case = archived_case()
    case.events[4:] = [Event(E.RETURNED_TO_POLICE, case.events[4].at, data={"reason": "需治安处罚"})]
    row = ledger_row(case)
    assert (row.ending, row.risk, row.resolved_at) == ("移交公安机关依法处理", "红", None)
    resolved = archived_case()
    assert ledger_row(resolved).risk == "蓝"  # resolved: blue, watched for a relapse (seed 003)

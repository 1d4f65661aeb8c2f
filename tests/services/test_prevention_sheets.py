"""The prevention registers' sheets (issue 14): each import with its bad rows, all or nothing,
the masked and unmasked exports with their audit rows, and an export imported again."""

from __future__ import annotations

import csv
import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jingyuan_desktop.domain.access import Account, Role
from jingyuan_desktop.domain.calendar import TZ
from jingyuan_desktop.domain.prevention import PatrolRole
from jingyuan_desktop.services import demo, setup
from jingyuan_desktop.services.context import AppContext, PermissionDenied, ServiceError
from jingyuan_desktop.services.prevention import records, sheet_export, sheets
from jingyuan_desktop.services.sheets import SheetError
from jingyuan_desktop.store import prevention as store
from jingyuan_desktop.store import repository
from tests.services.conftest import NOW, context_on_copy

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
GRID_HEADER = "村（社区）,网格名称,网格长,网格员,联防联控点,起始日期\n"
PERSON_HEADER = "姓名,身份证号,电话,村（社区）,网格,住址\n"
KEY_HEADER = "姓名,身份证号,电话,村（社区）,网格,类型,责任人,管控措施,走访周期（天）,列管日期\n"
PATROL_HEADER = "走访时间,走访人,类型,村（社区）,网格,走访户数,发现情况\n"
# Fictional ID numbers whose check characters are right, and one whose is not.
ID_A, ID_B, ID_BAD = "370303198003150019", "370303199007210028", "370303198003150018"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The demo town's units and people, without the demo's cases or prevention data."""
    path = tmp_path_factory.mktemp("prevention_sheets") / "town.db"
    ctx = AppContext.open(str(path), now=lambda: NOW)
    setup.install_town(ctx, demo.load_town())
    ctx.db.engine.dispose()
    return path


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


@pytest.fixture
def other(template, tmp_path):
    """A second copy of the demo town, to import into what the first exported."""
    folder = tmp_path / "other"
    folder.mkdir()
    yield from context_on_copy(template, folder)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def grids(ctx) -> dict[str, tuple]:
    with ctx.session() as session:
        return {g.key: (g.head, g.workers, g.since) for g in store.list_grids(session)}


def audit_actions(ctx, entity: str) -> list[tuple[str, str]]:
    with ctx.session() as session:
        return [(a.action, a.user) for a in repository.list_audit(session, entity=entity, limit=10)]


def rows_of(path: Path) -> list[list[str]]:
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as source:
            return list(csv.reader(source))
    sheet = load_workbook(path).active
    return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]


# ---- grids --------------------------------------------------------------------------------
def test_the_sample_sheets_import_in_turn_into_the_demo_town(ctx):
    report = sheets.import_grids(ctx, SAMPLES / "grids_sample.xlsx")
    assert not report.rejected and report.added + report.updated == 4
    assert grids(ctx)["解营村/第一网格"] == ("郝建军", ("杨军", "于亮"), date(2025, 6, 2))
    assert grids(ctx)["花漾城社区/第一网格"][1] == ("卫春生", "华晓梅")
    points = {(p.village, p.name): p.grid for p in records.joint_points(ctx)}
    assert points[("解营村", "解营村村口联防联控点")] == "第一网格"
    assert not sheets.import_beats(ctx, SAMPLES / "beats_sample.csv").rejected
    assert {("顾国生", "积家村"), ("顾国生", "解营村")} <= {(b.officer, b.village) for b in records.beats(ctx)}
    assert sheets.import_persons(ctx, SAMPLES / "persons_sample.csv").added == 3
    report = sheets.import_key_persons(ctx, SAMPLES / "key_persons_sample.csv")
    assert (report.added, report.updated, report.errors) == (4, 0, [])
    by_name = {p.name: p for p in records.key_persons(ctx)}
    assert by_name["孙某梅"].visit_days == 10 and by_name["孙某梅"].type_label == "精神障碍"
    assert by_name["周某"].type == "信访重点人员" and by_name["周某"].since == NOW.date()  # blank: from today
    report = sheets.import_patrols(ctx, SAMPLES / "patrols_sample.csv")
    assert report.added == 5 and report.summary() == "已导入走访记录：新增 5 条。"
    logged = {p.worker: p for p in records.patrols(ctx)}
    assert logged["方秀英"].at == datetime(2025, 6, 3, 12, 0, tzinfo=TZ)  # a date alone: noon
    assert logged["陆海霞"].role == PatrolRole.GRID_WORKER  # blank type: grid worker
    assert logged["华晓梅"].role == PatrolRole.INFORMANT and logged["顾国生"].grid == ""


def test_bad_grid_rows_are_each_reported_and_nothing_is_written(ctx, tmp_path):
    before = grids(ctx)
    path = write(tmp_path / "g.csv", GRID_HEADER + "解营村,东片,甲,乙,,\n"
                 "某某村,一片,甲,乙,,\n"
                 "解营村,,甲,乙,,\n"
                 "解营村,东片,丙,丁,,\n"
                 "解营村,南/北,甲,,,\n"
                 "积家村,西片,甲,,,明天\n"
                 ",,,,,\n")
    report = sheets.import_grids(ctx, path)
    assert report.rejected and report.added == 0
    assert report.lines() == [
        "第3行：未知的村（社区）“某某村”",
        "第4行：缺少网格名称",
        "第5行：网格与第2行重复",
        "第6行：网格名称不能含“/”：南/北",
        "第7行：起始日期无法识别（“明天”）",
    ]
    assert "未导入任何网格" in report.summary()
    assert grids(ctx) == before


def test_importing_the_grid_sheet_again_updates_and_keeps_what_the_sheet_does_not_hold(ctx, tmp_path):
    path = write(tmp_path / "g.csv", GRID_HEADER + "解营村,东片,甲,乙,村口点,2025-06-02\n")
    assert sheets.import_grids(ctx, path).added == 1
    records.save_joint_points(ctx, [records.joint_points(ctx)[0].__class__("解营村", "村口点", "东片", "老王",
                                                                          "13900001111")])
    write(path, GRID_HEADER + "解营村,东片,丙,乙、丁,村口点,\n")
    report = sheets.import_grids(ctx, path)
    assert (report.added, report.updated) == (0, 1)
    assert grids(ctx)["解营村/东片"] == ("丙", ("乙", "丁"), None)
    [point] = [p for p in records.joint_points(ctx) if p.name == "村口点"]
    assert (point.head, point.phone) == ("老王", "13900001111")


def test_a_gbk_csv_with_a_title_row_and_other_spellings_of_the_headers(ctx, tmp_path):
    path = write(tmp_path / "g.csv", "房镇镇网格名单\n所属村(社区),网格,网格长姓名,网格员姓名\n高南村,北片,甲,乙；丙\n",
                 encoding="gbk")
    assert not sheets.import_grids(ctx, path).rejected
    assert grids(ctx)["高南村/北片"][:2] == ("甲", ("乙", "丙"))


def test_a_sheet_without_the_needed_headers_or_of_another_kind_is_refused(ctx, tmp_path):
    with pytest.raises(SheetError, match="找不到表头"):
        sheets.import_grids(ctx, write(tmp_path / "x.csv", "名称,类型\n甲,乙\n"))
    with pytest.raises(SheetError, match="只支持"):
        sheets.import_grids(ctx, write(tmp_path / "x.txt", GRID_HEADER))


def test_grids_and_beats_need_the_right_to_edit_reference_data(ctx):
    ctx.account = Account("小王", Role.STAFF)
    with pytest.raises(PermissionDenied, match="修改基础数据"):
        sheets.import_grids(ctx, SAMPLES / "grids_sample.csv")
    with pytest.raises(PermissionDenied):
        sheets.import_beats(ctx, SAMPLES / "beats_sample.csv")


def test_bad_beat_rows(ctx, tmp_path):
    path = write(tmp_path / "b.csv", "包村民警,村（社区）\n张警官,解营村、某某村\n,高南村\n"
                 "李警官,高南村\n李警官,高南村\n")
    assert sheets.import_beats(ctx, path).lines() == ["第2行：未知的村（社区）“某某村”", "第3行：缺少包村民警",
                                                       "第5行：李警官包高南村与第4行重复"]


# ---- persons and key persons --------------------------------------------------------------
def test_persons_are_matched_and_bad_rows_refused(ctx, tmp_path):
    path = write(tmp_path / "p.csv", PERSON_HEADER + f"张三,{ID_A},13800001234,解营村,,\n")
    assert sheets.import_persons(ctx, path).added == 1
    write(path, PERSON_HEADER + f"张三,{ID_A},,解营村,,解营村三组\n"  # the same ID number: the same person
          f"李四,{ID_BAD},13800005678,解营村,,\n"
          "王五,,138****5678,解营村,,\n"
          "赵六,,,解营村,,\n"
          f"钱七,{ID_B},13800009999,解营村,九网格,\n"
          "孙八,,12345,,,\n"
          f"周九,{ID_B},,,,\n"
          f"吴十,{ID_B},,,,\n")
    report = sheets.import_persons(ctx, path)
    assert report.lines() == [
        f"第3行：身份证号“{ID_BAD}”无效（位数或校验位不对）",
        "第4行：电话已打码，不能导入（请用未打码的导出文件）",
        "第5行：请至少填写身份证号或电话之一，以便与案件当事人对应",
        "第6行：解营村没有名为“九网格”的网格（请先导入网格）",
        "第7行：电话“12345”不是有效的电话号码",
        "第9行：与第8行是同一人（身份证号或电话与姓名相同）",
    ]
    assert [c.name for c in records.find_citizens(ctx, "")] == ["张三"]
    write(path, PERSON_HEADER + f"张三,{ID_A},,解营村,,解营村三组\n")
    report = sheets.import_persons(ctx, path)
    assert (report.added, report.updated) == (0, 1)
    [person] = records.find_citizens(ctx, "")
    assert (person.phone, person.address) == ("13800001234", "解营村三组")  # kept, and filled in


def test_an_id_number_stored_as_a_number_by_excel_is_refused(ctx, tmp_path):
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "电话"])
    workbook.active.append(["张三", 370303198003150019, "13800001234"])
    workbook.save(tmp_path / "p.xlsx")
    [line] = sheets.import_persons(ctx, tmp_path / "p.xlsx").lines()
    assert line.startswith("第2行：身份证号存成了数字")


def test_a_key_person_again_with_the_same_type_is_updated_not_doubled(ctx, tmp_path):
    path = write(tmp_path / "k.csv",
                 KEY_HEADER + f"刘某,{ID_A},13800001234,解营村,,社区矫正,村支书,每周谈话,,2025-05-01\n")
    assert sheets.import_key_persons(ctx, path).added == 1
    write(path, KEY_HEADER + f"刘某,{ID_A},,解营村,,community_correction,警务助理,每周见面,5,\n"
          f"刘某,{ID_A},,解营村,,吸毒,警务助理,尿检,,\n")
    report = sheets.import_key_persons(ctx, path)
    assert (report.added, report.updated) == (1, 1)
    entries = sorted((p.type_label, p.responsible, p.measures, p.visit_days, p.since) for p in records.key_persons(ctx))
    assert entries == [("吸毒", "警务助理", "尿检", None, NOW.date()),
                       ("社区矫正", "警务助理", "每周见面", 5, date(2025, 5, 1))]


def test_bad_key_person_rows(ctx, tmp_path):
    path = write(tmp_path / "k.csv", KEY_HEADER + f"刘某,{ID_A},,解营村,,,村支书,,,\n"
                 f"陈某,{ID_B},,解营村,,精神障碍,,,,\n"
                 "马某,,13800001111,解营村,,精神障碍,村支书,,400,\n"
                 "牛某,,13800002222,解营村,,精神障碍,村支书,,两周,\n"
                 "杨某,,13800003333,解营村,,精神障碍,村支书,,,去年\n"
                 "朱某,,13800004444,解营村,,一个类型名称长得超过了三十二个字的办公室自定义重点人员类型名称啊啊,村支书,,,\n")
    assert sheets.import_key_persons(ctx, path).lines() == [
        "第2行：缺少类型", "第3行：缺少责任人", "第4行：走访周期应在 1 到 366 天之间",
        "第5行：走访周期应为天数（整数）：“两周”",
        "第6行：列管日期无法识别（“去年”）",
        "第7行：重点人员类型过长（最多32字）：一个类型名称长得超过了三十二个字的办公室自定义重点人员类型名称啊啊",
    ]
    assert records.key_persons(ctx) == []


@pytest.mark.parametrize("role, message", [(Role.VILLAGE, "无权查看或修改重点人员名册"), (Role.LEADER, "无权导入")])
def test_the_key_person_import_needs_the_register_and_the_import_rights(ctx, role, message):
    ctx.account = Account("某人", role, "解营村" if role == Role.VILLAGE else "")
    with pytest.raises(PermissionDenied, match=message):
        sheets.import_key_persons(ctx, SAMPLES / "key_persons_sample.csv")


# ---- patrols ------------------------------------------------------------------------------
def test_patrol_times_from_text_dates_and_excel_serials(ctx, tmp_path):
    sheets.import_grids(ctx, SAMPLES / "grids_sample.csv")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "走访人", "类型", "村（社区）", "网格", "户数", "发现情况"])
    sheet.append([45811.4375, "甲", "网格员", "解营村", "第一网格", 3, ""])  # 2025-06-03 10:30
    sheet.append([45812, "乙", "包村民警", "解营村", "", 2.0, ""])  # a serial day: noon
    sheet.append([datetime(2025, 6, 5, 8, 15), "丙", "", "解营村", "", None, "无"])
    sheet.append([datetime(2025, 6, 6), "丁", "", "解营村", "", None, "无"])  # a date cell: noon
    workbook.save(tmp_path / "p.xlsx")
    report = sheets.import_patrols(ctx, tmp_path / "p.xlsx")
    assert report.errors == [] and report.added == 4
    times = {p.worker: p.at for p in records.patrols(ctx)}
    assert times == {"甲": datetime(2025, 6, 3, 10, 30, tzinfo=TZ), "乙": datetime(2025, 6, 4, 12, 0, tzinfo=TZ),
                     "丙": datetime(2025, 6, 5, 8, 15, tzinfo=TZ), "丁": datetime(2025, 6, 6, 12, 0, tzinfo=TZ)}
    again = sheets.import_patrols(ctx, tmp_path / "p.xlsx")  # the same log again: skipped, not doubled
    assert again.added == 0 and len(again.skipped) == 4 and again.lines()[0] == "第2行：该次走访已在数据库中，跳过"
    assert len(records.patrols(ctx)) == 4


def test_bad_patrol_rows_and_a_village_account_s_own_village(ctx, tmp_path):
    sheets.import_grids(ctx, SAMPLES / "grids_sample.csv")
    path = write(tmp_path / "p.csv", PATROL_HEADER + "2025-06-10 09:00,甲,网格员,解营村,第一网格,5,无\n"
                 "2025-06-12 09:00,甲,网格员,解营村,第一网格,5,无\n"
                 "前天,甲,网格员,解营村,,5,无\n"
                 "2025-06-10 10:00,,网格员,解营村,,5,无\n"
                 "2025-06-10 11:00,甲,协警,解营村,,5,无\n"
                 "2025-06-10 12:00,甲,,解营村,九网格,5,无\n"
                 "2025-06-10 13:00,甲,,解营村,,很多,无\n"
                 "2025-06-10 09:00,甲,网格员,解营村,第一网格,6,重复\n"
                 "2025-06-10 14:00,甲,,积家村,,1,无\n")
    report = sheets.import_patrols(ctx, path)
    assert report.lines() == [
        "第3行：走访时间 2025-06-12 09:00 晚于现在，不能预先登记",
        "第4行：走访时间无法识别（“前天”）",
        "第5行：缺少走访人",
        "第6行：无法识别的走访人员类型“协警”，可选：网格员、包村民警、治安信息员",
        "第7行：解营村没有名为“九网格”的网格（请先导入网格）",
        "第8行：走访户数应为整数：“很多”",
        "第9行：与第2行是同一次走访",
    ]
    assert records.patrols(ctx) == []
    ctx.account = Account("村账号", Role.VILLAGE, "解营村")
    report = sheets.import_patrols(ctx, path)
    assert "第10行：村（社区）账号只能导入本村（解营村）的走访" in report.lines()


# ---- exports ------------------------------------------------------------------------------
def load_everything(ctx) -> None:
    sheets.import_grids(ctx, SAMPLES / "grids_sample.csv")
    sheets.import_persons(ctx, SAMPLES / "persons_sample.csv")
    sheets.import_key_persons(ctx, SAMPLES / "key_persons_sample.csv")
    sheets.import_patrols(ctx, SAMPLES / "patrols_sample.csv")


def test_persons_are_exported_masked_unless_asked_and_allowed(ctx, tmp_path):
    load_everything(ctx)
    ctx.user = "张科员"
    assert sheet_export.export_persons(ctx, tmp_path / "p.csv") >= 3
    rows = rows_of(tmp_path / "p.csv")
    assert rows[0] == ["姓名", "身份证号", "电话", "村（社区）", "网格", "住址"]
    zhen = next(r for r in rows if r[0] == "甄某")
    assert zhen[1:3] == ["370303********0019", "139****1111"] and zhen[5] == ""
    assert not any("甄大勇" in cell for row in rows for cell in row)
    assert audit_actions(ctx, "citizens")[0] == ("export_citizens", "张科员")
    ctx.account = Account("李镇长", Role.LEADER)
    with pytest.raises(PermissionDenied, match="无权导出未打码的个人信息"):
        sheet_export.export_persons(ctx, tmp_path / "plain.xlsx", unmasked=True)
    assert not (tmp_path / "plain.xlsx").exists()
    ctx.account = Account("张科员", Role.STAFF)
    sheet_export.export_persons(ctx, tmp_path / "plain.xlsx", unmasked=True)
    assert ["甄大勇", "370303198003150019", "13900001111", "解营村", "第一网格", "解营村三组12号"] in rows_of(
        tmp_path / "plain.xlsx")
    assert audit_actions(ctx, "citizens")[0] == ("export_unmasked", "张科员")
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "plain.xlsx").stat().st_mode) == 0o600


def test_the_key_person_export_needs_the_register_right_and_is_always_audited(ctx, tmp_path):
    load_everything(ctx)
    ctx.account = Account("村账号", Role.VILLAGE, "解营村")
    with pytest.raises(PermissionDenied, match="重点人员名册"):
        sheet_export.export_key_persons(ctx, tmp_path / "k.csv")
    ctx.account, ctx.user = Account("李镇长", Role.LEADER), "李镇长"
    assert sheet_export.export_key_persons(ctx, tmp_path / "k.csv") == 4
    rows = rows_of(tmp_path / "k.csv")
    assert rows[0] == ["姓名", "身份证号", "电话", "村（社区）", "网格", "类型", "责任人", "管控措施", "走访周期（天）",
                       "列管日期", "备注"]
    assert {r[0] for r in rows[1:]} == {"钱某", "孙某", "李某", "周某"}
    with ctx.session() as session:
        [entry] = repository.list_audit(session, entity="key_person", limit=1)
    assert (entry.action, entry.user, entry.after["file"]) == ("export_key_persons", "李镇长", str(tmp_path / "k.csv"))


def test_an_export_goes_only_to_an_xlsx_or_csv_file_in_an_existing_folder(ctx, tmp_path):
    with pytest.raises(ServiceError, match="只能导出为"):
        sheet_export.export_grids(ctx, tmp_path / "g.txt")
    with pytest.raises(ServiceError, match="不存在"):
        sheet_export.export_grids(ctx, tmp_path / "nowhere" / "g.csv")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_unmasked_export_imports_again_as_it_was(ctx, other, tmp_path, suffix):
    load_everything(ctx)
    exported = {}
    for what, unmasked in (("grids", False), ("persons", True), ("key_persons", True), ("patrols", True)):
        kwargs = {"unmasked": True} if unmasked else {}
        getattr(sheet_export, f"export_{what}")(ctx, tmp_path / f"{what}{suffix}", **kwargs)
        exported[what] = rows_of(tmp_path / f"{what}{suffix}")
        report = getattr(sheets, f"import_{what}")(other, tmp_path / f"{what}{suffix}")
        assert not report.rejected, report.lines()
        getattr(sheet_export, f"export_{what}")(other, tmp_path / f"again{suffix}", **kwargs)
        assert rows_of(tmp_path / f"again{suffix}") == exported[what], what
    assert len(exported["patrols"]) == 6 and exported["patrols"][2][0].startswith("2025-06-03 12:00")

"""Editing base data and settings: what is refused (in Chinese), what is kept, what is audited."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, time

import pytest

from jingyuan_desktop.domain.clocks import ClockSettings
from jingyuan_desktop.domain.enums import PersonRole, UnitKind
from jingyuan_desktop.domain.model import Person, Unit
from jingyuan_desktop.services import admin, queries
from jingyuan_desktop.services.context import ServiceError
from jingyuan_desktop.services.queries import CaseFilter
from jingyuan_desktop.store.audit import list_audit
from tests.services.conftest import build_template, context_on_copy


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory, "admin", cases=60, seed=2)


@pytest.fixture
def ctx(template, tmp_path):
    yield from context_on_copy(template, tmp_path)


def audit(ctx):
    with ctx.session() as session:
        return [(a.action, a.entity, a.entity_id) for a in list_audit(session)]


def village_with_cases(ctx):
    for unit in queries.units(ctx, UnitKind.VILLAGE):
        if queries.count_cases(ctx, CaseFilter(villages=[unit.name])):
            return unit.name
    raise AssertionError("the demo has cases")


def village_without_cases(ctx):
    for unit in queries.units(ctx, UnitKind.VILLAGE, UnitKind.COMMUNITY):
        if not queries.count_cases(ctx, CaseFilter(villages=[unit.name])):
            return unit
    raise AssertionError("60 cases leave some villages without any")


def test_a_village_with_cases_cannot_be_renamed_and_the_refusal_says_what_to_do(ctx):
    name = village_with_cases(ctx)
    with pytest.raises(ServiceError) as refused:
        admin.save_unit(ctx, Unit("新名村", UnitKind.VILLAGE), old_name=name)
    assert "不能改名" in refused.value.message and "新增“新名村”" in refused.value.message
    assert name in [u.name for u in queries.units(ctx)]


def test_renaming_a_village_without_cases_moves_its_people_and_stops_the_old_name(ctx):
    unit = village_without_cases(ctx)
    people = {p.name for p in queries.people(ctx, unit.name)}
    assert people
    admin.save_unit(ctx, Unit("更名后村", unit.kind), old_name=unit.name)
    names = [u.name for u in queries.units(ctx)]
    assert "更名后村" in names and unit.name not in names
    assert {p.name for p in queries.people(ctx, "更名后村")} == people
    stopped = next(e for e in admin.unit_entries(ctx) if e.unit.name == unit.name)
    assert not stopped.active  # kept, not deleted
    assert ("update", "unit", unit.name) in audit(ctx) and ("add", "unit", "更名后村") in audit(ctx)


def test_adding_a_unit_twice_is_refused(ctx):
    name = queries.units(ctx, UnitKind.VILLAGE)[0].name
    with pytest.raises(ServiceError, match="已存在"):
        admin.save_unit(ctx, Unit(name, UnitKind.VILLAGE))


def test_a_person_with_a_bad_phone_or_an_unknown_skill_is_refused(ctx):
    village = queries.units(ctx, UnitKind.VILLAGE)[0].name
    with pytest.raises(ServiceError, match="不是有效的电话号码"):
        admin.save_person(ctx, Person("孙一", PersonRole.GRID_WORKER, village, "12345"))
    with pytest.raises(ServiceError, match="未知的类别：打麻将"):
        admin.save_person(ctx, Person("孙一", PersonRole.GRID_WORKER, village, "13800001111", ("打麻将",)))
    admin.save_person(ctx, Person("孙一", PersonRole.GRID_WORKER, village, "13800001111", ("邻里纠纷",)))
    saved = next(p for p in queries.people(ctx, village) if p.name == "孙一")
    assert saved.skills == ("邻里纠纷",)
    assert ("add", "person", f"{village}/孙一") in audit(ctx)


def test_moving_a_person_to_another_unit_stops_the_old_record(ctx):
    first, second = [u.name for u in queries.units(ctx, UnitKind.VILLAGE)[:2]]
    person = queries.people(ctx, first)[-1]
    moved = Person(person.name, person.role, second, person.phone, person.skills)
    admin.save_person(ctx, moved, previous=person)
    assert person.name in {p.name for p in queries.people(ctx, second)}
    assert person.name not in {p.name for p in queries.people(ctx, first)}


def test_a_category_in_use_cannot_be_removed_but_a_new_one_can_be_added(ctx):
    tree = queries.category_tree(ctx).tree
    used = next(minor for minors in tree.values() for minor in minors
                if queries.count_cases(ctx, CaseFilter(categories=[minor])))
    without = {major: [m for m in minors if m != used] for major, minors in tree.items()}
    with pytest.raises(ServiceError) as refused:
        admin.save_category_tree(ctx, without)
    assert f"“{used}”" in refused.value.message and "件" in refused.value.message
    grown = {major: list(minors) for major, minors in tree.items()}
    first = next(iter(grown))
    grown[first].append("噪音扰民")
    admin.save_category_tree(ctx, grown)
    assert "噪音扰民" in queries.category_tree(ctx).tree[first]


@pytest.mark.parametrize("tree, message", [
    ({"邻里纠纷": ["邻里纠纷"]}, "不能重复"),
    ({"未分类": ["甲"]}, "系统保留"),
    ({}, "不能全部删除"),
    ({" ": ["甲"]}, "请填写大类名称"),
])
def test_malformed_category_trees_are_refused(ctx, tree, message):
    with pytest.raises(ServiceError, match=message):
        admin.save_category_tree(ctx, tree)


def test_clock_settings_are_checked_saved_and_used(ctx):
    with pytest.raises(ServiceError, match="上班时间须早于下班时间"):
        admin.save_clock_settings(ctx, ClockSettings(office_start=time(17), office_end=time(8, 30)))
    with pytest.raises(ServiceError, match="到场时限须在1到"):
        admin.save_clock_settings(ctx, ClockSettings(arrive_minutes=0))
    admin.save_clock_settings(ctx, ClockSettings(arrive_minutes=20, follow_up_grace_minutes=0))
    assert ctx.clock_settings().arrive_minutes == 20 and ctx.clock_settings().follow_up_grace_minutes == 0
    assert ("add", "setting", "clocks") in audit(ctx) or ("update", "setting", "clocks") in audit(ctx)


def test_every_clock_setting_has_one_label_and_refusals_use_it():
    assert set(admin.CLOCK_SETTING_LABELS) == {f.name for f in fields(ClockSettings)}
    assert all(entry.label for entry in admin.CLOCK_SETTING_LABELS.values())
    label = admin.CLOCK_SETTING_LABELS["escalation_failures"].label
    with pytest.raises(ServiceError, match=f"^{label}须在1到100之间$"):
        admin.check_clock_settings(ClockSettings(escalation_failures=101))


def test_a_calendar_override_changes_the_working_days_and_can_be_removed(ctx):
    saturday = date(2025, 6, 14)
    assert not ctx.calendar().is_working_day(saturday)
    admin.set_calendar_override(ctx, saturday, True, "镇里补班")
    assert ctx.calendar().is_working_day(saturday)
    assert admin.calendar_entries(ctx) == [(saturday, True, False)]
    admin.set_calendar_override(ctx, saturday, None)
    assert not ctx.calendar().is_working_day(saturday)
    assert sorted(a for a in audit(ctx) if a[1] == "calendar") == [("add", "calendar", "2025-06-14"),
                                                                  ("delete", "calendar", "2025-06-14")]


def test_office_settings_are_cleaned_and_checked(ctx, tmp_path):
    office = admin.save_office(ctx, town=" 新镇 ", case_no_prefix="xz")
    assert office.town == "新镇" and office.case_no_prefix == "XZ"
    with pytest.raises(ServiceError, match="案件编号前缀"):
        admin.save_office(ctx, case_no_prefix="X-Z")
    with pytest.raises(ServiceError, match="找不到字体文件"):
        admin.save_office(ctx, paper_font=str(tmp_path / "none.ttf"))
    with pytest.raises(ServiceError, match="未知的设置项"):
        admin.save_office(ctx, colour="red")
    with pytest.raises(ServiceError, match="周例会的星期"):
        admin.save_office(ctx, meeting_weekday=9)
    assert admin.save_office(ctx, meeting_weekday="5").meeting_weekday == 5
    assert ctx.office().town == "新镇"


def test_a_reveal_is_audited_and_needs_a_real_case(ctx):
    case_no = queries.page_cases(ctx, CaseFilter(), limit=1)[0].case_no
    admin.record_reveal(ctx, case_no, "当事人电话")
    assert ("reveal", "case", case_no) in audit(ctx)
    with pytest.raises(ServiceError, match="找不到案件"):
        admin.record_reveal(ctx, "FZ-1900-00001", "当事人电话")


def test_a_villages_sheet_with_bad_rows_imports_nothing_and_names_each_row(ctx, tmp_path):
    sheet = tmp_path / "villages.csv"
    sheet.write_text("名称,类型,书记,电话\n新河村,村,王书记,13800002222\n,村,无名,\n新城社区,小区,李书记,123\n",
                     encoding="utf-8")
    before = len(queries.units(ctx))
    with pytest.raises(ServiceError) as refused:
        admin.import_units_sheet(ctx, sheet)
    assert "第3行" in refused.value.message and "第4行" in refused.value.message
    assert len(queries.units(ctx)) == before
    sheet.write_text("名称,类型,书记,电话\n新河村,村,王书记,13800002222\n新城社区,社区,,\n", encoding="utf-8")
    assert admin.import_units_sheet(ctx, sheet) == 2
    assert {"新河村", "新城社区"} <= {u.name for u in queries.units(ctx)}
    secretary, _members = queries.village_team(ctx, "新河村")
    assert secretary is not None and secretary.name == "王书记"

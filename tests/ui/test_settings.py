"""The settings screens edit base data through the admin service: saved data shows at once,
a refusal is shown in Chinese and what was typed stays in the form."""

from datetime import date

import pytest
from PySide6.QtCore import QDate

from jingyuan_desktop.domain.enums import UnitKind
from jingyuan_desktop.services import queries
from jingyuan_desktop.services.queries import CaseFilter
from jingyuan_desktop.ui.settings.dialog import SettingsDialog


@pytest.fixture
def dialog(ops, qtbot):
    widget = SettingsDialog(ops)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: all(tab.loaded for tab in widget.all_tabs), timeout=10_000)
    return widget


def saved(qtbot, tab, click):
    with qtbot.waitSignal(tab.sig_saved, timeout=10_000):
        click()


def refused(qtbot, tab, click) -> str:
    click()
    # The tab need not be the one on top, so "not hidden" rather than "visible".
    qtbot.waitUntil(lambda: not tab.message.isHidden() and bool(tab.message.text()), timeout=10_000)
    return tab.message.text()


def column(table, col=0):
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_a_new_village_appears_in_the_list_and_in_the_people_tab(dialog, ctx, qtbot):
    tab = dialog.villages
    tab.name.setText("新河村")
    saved(qtbot, tab, tab.add_button.click)
    assert "新河村" in column(tab.table)
    assert "新河村" in {u.name for u in queries.units(ctx, UnitKind.VILLAGE)}
    qtbot.waitUntil(lambda: dialog.people.unit.findText("新河村") >= 0, timeout=10_000)


def test_renaming_a_village_with_cases_is_refused_and_the_typed_name_kept(dialog, ctx, qtbot):
    tab = dialog.villages
    row = next(r for r, e in enumerate(tab.entries)
               if queries.count_cases(ctx, CaseFilter(villages=[e.unit.name])))
    old = tab.entries[row].unit.name
    tab.table.setCurrentCell(row, 0)
    assert tab.name.text() == old
    tab.name.setText("改个名村")
    message = refused(qtbot, tab, tab.update_button.click)
    assert "不能改名" in message and tab.name.text() == "改个名村"
    assert old in {u.name for u in queries.units(ctx)}


def test_a_person_with_a_bad_phone_is_refused_inline(dialog, ctx, qtbot):
    tab = dialog.people
    tab.name.setText("钱多多")
    tab.unit.setCurrentIndex(1)
    tab.phone.setText("1234")
    assert "不是有效的电话号码" in refused(qtbot, tab, tab.add_button.click)
    assert tab.name.text() == "钱多多" and tab.phone.text() == "1234"
    tab.phone.setText("13912345678")
    tab.skills.setText("邻里纠纷、物业管理")
    saved(qtbot, tab, tab.add_button.click)
    person = next(p for p in queries.people(ctx) if p.name == "钱多多")
    assert person.phone == "13912345678" and person.skills == ("邻里纠纷", "物业管理")


def test_a_minor_class_is_added_to_the_tree(dialog, ctx, qtbot):
    tab = dialog.categories
    major = tab.tree.topLevelItem(0)
    name = major.text(0)
    tab.tree.setCurrentItem(major)
    tab.add_minor()
    tab.tree.currentItem().setText(0, "噪音扰民")
    saved(qtbot, tab, tab.save_button.click)
    assert "噪音扰民" in queries.category_tree(ctx).tree[name]


def test_clock_numbers_are_saved_and_checked(dialog, ctx, qtbot):
    tab = dialog.clocks
    tab.form.editors["arrive_minutes"].setValue(20)
    saved(qtbot, tab, tab.save_button.click)
    assert ctx.clock_settings().arrive_minutes == 20
    tab.form.editors["arrive_minutes"].setValue(0)
    assert "到场时限须在1到" in refused(qtbot, tab, tab.save_button.click)
    assert ctx.clock_settings().arrive_minutes == 20


def test_a_make_up_working_day_is_entered_and_shown_beside_the_statutory_answer(dialog, ctx, qtbot):
    tab = dialog.calendar
    tab.day.setDate(QDate(2025, 6, 14))  # a Saturday
    assert tab.statutory.text() == "休息日"
    tab.working.setCurrentIndex(1)
    saved(qtbot, tab, tab.save_button.click)
    assert ctx.calendar().is_working_day(date(2025, 6, 14))
    assert column(tab.table, 0) == ["2025-06-14（周六）"] and column(tab.table, 2) == ["休息日"]


def test_the_town_name_is_saved(dialog, ctx, qtbot):
    tab = dialog.office
    tab.town.setText("东风镇")
    tab.case_prefix.setText("df")
    saved(qtbot, tab, tab.save_button.click)
    assert ctx.office().town == "东风镇" and tab.case_prefix.text() == "DF"


def test_the_prevention_numbers_are_saved_and_drive_the_visit_cycle(dialog, ctx, qtbot):
    from jingyuan_desktop.services.prevention import records

    tab = dialog.prevention
    assert tab.cycles["extreme_threat"].value() == 3  # the default the office starts from
    tab.cycles["extreme_threat"].setValue(2)
    tab.officer_visits.setValue(3)
    saved(qtbot, tab, tab.save_button.click)
    stored = records.settings(ctx)
    assert (stored.days_for("extreme_threat"), stored.officer_visits_per_week) == (2, 3)
    assert stored.days_for("吸毒人员帮教") == stored.other_visit_days  # the office's own types

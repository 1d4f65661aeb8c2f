"""The intake form: inline Chinese validation, the running dispatch clock, repeats, saving."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from jingyuan_desktop.domain.enums import PartyRole, Risk, Source
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.ui import palette
from jingyuan_desktop.ui.intake.dialog import IntakeDialog
from tests.ui.conftest import FIXED, new_case


class MovableNow:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@pytest.fixture
def clock():
    return MovableNow(FIXED)


@pytest.fixture
def dialog(ops, qtbot, clock):
    form = IntakeDialog(ops, now=clock)
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.sig_ready, timeout=10_000):
        form.show()
    qtbot.waitExposed(form)
    form.activateWindow()  # Ctrl+Enter is a window shortcut: it needs the window active
    qtbot.waitUntil(form.isActiveWindow)
    return form


@pytest.fixture(autouse=True)
def warnings(monkeypatch):
    """Error boxes are recorded, never shown: a modal box would wait for a click forever."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text)))
    return shown


@pytest.fixture(autouse=True)
def no_question_at_teardown(monkeypatch):
    # pytest-qt closes the dialog after the test; a typed-in form would ask "discard?" and wait.
    monkeypatch.setattr(IntakeDialog, "confirm_discard", lambda self: True)


def fill_valid(form: IntakeDialog) -> None:
    slip = form.slip
    slip.police_incident_no.setText("J3701002025061100042")
    slip.caller_name.setText("赵大成")
    slip.caller_phone.setText("13912345678")
    slip.location.setText("3组东头")
    slip.village.setEditText(form.choices.villages[0])
    slip.summary.setPlainText("赵某与邻居因排水沟堵塞发生口角")
    slip.officer.setText("孙警官")
    slip.police_station.setCurrentIndex(0)
    assert form.category.select("相邻关系")
    form.risk.setCurrentIndex(form.risk.findData(Risk.YELLOW))  # chosen with the category (seed 003)


def error(form: IntakeDialog, key: str) -> str:
    label = form.slip.errors[key]
    return label.text() if label.isVisible() else ""


def test_an_empty_form_cannot_be_saved_and_says_what_is_missing(dialog, qtbot):
    assert not dialog.save_button.isEnabled()
    assert error(dialog, "summary") == ""  # nothing shouts before the clerk has done anything
    assert error(dialog, "village") == "" and not dialog._dirty
    assert "简要警情" in dialog.outstanding.text() and "警情编号" in dialog.outstanding.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert error(dialog, "police_incident_no") == "派出所转交的案件须填写警情编号"
    assert error(dialog, "village") == "请选择所属村（社区）"
    assert error(dialog, "summary") == "请填写简要情况"
    assert error(dialog, "police_station") == "请选择转交派出所"
    assert dialog.category_error.isVisible() and dialog.category_error.text() == "请选择类别"
    assert not dialog.save_button.isEnabled()
    assert dialog.isVisible() and dialog.created_case_no is None


def test_a_required_field_complains_once_typed_and_cleared(dialog, qtbot):
    dialog.slip.summary.insertPlainText("吵")  # QTest types Latin keys only
    assert error(dialog, "summary") == ""
    dialog.slip.summary.clear()
    assert error(dialog, "summary") == "请填写简要情况"
    assert error(dialog, "village") == ""  # untouched fields stay quiet


def test_a_phone_that_is_not_one_is_refused_when_leaving_the_field(dialog, qtbot):
    fill_valid(dialog)
    assert dialog.save_button.isEnabled()
    dialog.slip.caller_phone.setFocus()
    dialog.slip.caller_phone.setText("12345")
    assert not dialog.save_button.isEnabled()
    assert error(dialog, "caller_phone") == ""  # still typing
    dialog.slip.officer.setFocus()
    qtbot.waitUntil(lambda: error(dialog, "caller_phone") == "“12345”不是有效的电话号码")
    dialog.slip.caller_phone.setText("0531-88123456")
    assert error(dialog, "caller_phone") == "" and dialog.save_button.isEnabled()


def test_a_bad_phone_of_another_party_is_shown_on_its_row(dialog):
    fill_valid(dialog)
    row = dialog.parties.add_row()
    row.name.setText("钱二")
    row.phone.setText("555")
    assert row.error.isVisible() and row.error.text() == "“555”不是有效的电话号码"
    assert not dialog.save_button.isEnabled()
    row.phone.setText("13700001111")
    assert not row.error.isVisible() and dialog.save_button.isEnabled()


def test_an_unknown_village_is_refused(dialog):
    fill_valid(dialog)
    dialog.slip.village.setEditText("火星村")
    assert error(dialog, "village") == "未知的村（社区）“火星村”"
    assert not dialog.save_button.isEnabled()


def test_the_category_search_narrows_the_tree(dialog, qtbot):
    dialog.category.search.setText("借贷")
    assert dialog.category.visible_names() == ["经济纠纷", "小额民间借贷"]
    qtbot.keyClick(dialog.category.search, Qt.Key.Key_Return)
    assert dialog.category.current() == "小额民间借贷"


def test_a_valid_form_saves_a_case_that_can_be_read_back(dialog, ctx, ops, qtbot, warnings):
    fill_valid(dialog)
    row = dialog.parties.add_row()
    row.name.setText("钱二")
    row.phone.setText("13700001111")
    dialog.criminal_risk.setChecked(True)
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignals([dialog.sig_saved, ops.sig_changed], timeout=10_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert warnings == []
    assert dialog.result() == IntakeDialog.DialogCode.Accepted
    case, _version = case_service.get_case(ctx, dialog.created_case_no)
    assert case.summary == "赵某与邻居因排水沟堵塞发生口角"
    assert case.village == dialog.choices.villages[0] and case.category == "相邻关系"
    assert case.source == Source.POLICE_TRANSFER and case.police_incident_no == "J3701002025061100042"
    assert case.received_at == FIXED and case.criminal_risk and case.risk == Risk.YELLOW
    assert [(p.name, p.phone, p.role) for p in case.parties] == [
        ("赵大成", "13912345678", PartyRole.CALLER), ("钱二", "13700001111", PartyRole.PARTY)]


def test_the_dispatch_clock_runs_while_the_form_is_open(dialog, clock):
    assert dialog.clock.text() == "交办时限 10:05（剩余 5分00秒）"
    clock.moment = FIXED + timedelta(minutes=1, seconds=48)
    dialog.clock.refresh()
    assert dialog.clock.text() == "交办时限 10:05（剩余 3分12秒）"
    assert not dialog.clock.overdue
    clock.moment = FIXED + timedelta(minutes=7)
    dialog.clock.refresh()
    assert dialog.clock.overdue and "已超时 2分00秒" in dialog.clock.text()
    assert palette.ALARM in dialog.clock.styleSheet()


def test_the_dispatch_clock_counts_office_minutes_only(dialog):
    # Received 16:58 on a Wednesday: 2 minutes today, 3 after Thursday's 08:30 opening.
    late = FIXED.replace(hour=16, minute=58)
    dialog.slip.received_at.setDateTime(dialog.slip.received_at.dateTime().addSecs(6 * 3600 + 58 * 60))
    assert dialog.slip.received_value() == late
    dialog.clock.now = lambda: late.replace(hour=17, minute=30)
    dialog.clock.refresh()
    assert dialog.clock.text() == "交办时限 06-12 08:33（剩余 3分00秒，上班后继续计时）"


def test_a_known_caller_phone_warns_of_a_repeat_with_a_link(dialog, ctx, qtbot):
    earlier = new_case(ctx, phone="13855550000", minutes_ago=60 * 24)
    with qtbot.waitSignal(dialog.repeat.sig_checked, timeout=10_000) as checked:
        dialog.slip.caller_phone.setText("138 5555 0000")
    assert checked.args == [earlier]
    assert dialog.repeat.isVisible()
    assert f"与 <a href='{earlier}'>{earlier}</a>" in dialog.repeat.text()
    assert "报警人电话相同" in dialog.repeat.text()
    with qtbot.waitSignal(dialog.sig_open_case) as opened:
        dialog.repeat.linkActivated.emit(earlier)
    assert opened.args == [earlier]
    with qtbot.waitSignal(dialog.repeat.sig_checked, timeout=10_000) as checked:
        dialog.slip.caller_phone.setText("13900001234")
    assert checked.args == [""] and not dialog.repeat.isVisible()


def test_escape_asks_before_losing_typed_data(dialog, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(dialog, "confirm_discard", lambda: asked.append(True) or False)
    dialog.slip.summary.setPlainText("尚未保存的内容")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [True] and dialog.isVisible()
    monkeypatch.setattr(dialog, "confirm_discard", lambda: True)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.created_case_no is None


def test_a_walk_in_needs_no_incident_number_or_station(dialog):
    fill_valid(dialog)
    dialog.slip.police_incident_no.clear()
    dialog.slip.police_station.setCurrentIndex(-1)
    assert not dialog.save_button.isEnabled()
    dialog.slip.source.setCurrentIndex(dialog.slip.source.findData(Source.WALK_IN))
    assert dialog.save_button.isEnabled()
    assert dialog.slip.labels["police_incident_no"].text() == "警情编号"  # no longer marked required
    assert dialog.draft_case().source == Source.WALK_IN


def test_enter_in_the_category_search_picks_a_category_and_adds_no_party(dialog, qtbot):
    rows_before = len(dialog.parties.rows)
    dialog.category.search.setFocus()
    dialog.category.search.setText("物业")  # QTest types Latin-1 only
    qtbot.keyClick(dialog.category.search, Qt.Key.Key_Return)
    assert len(dialog.parties.rows) == rows_before
    assert "物业" in (dialog.category.current() or "")


def test_the_colour_is_chosen_with_the_category_never_in_advance(dialog, ctx, ops, qtbot, warnings):
    assert dialog.risk.currentData() is None and dialog.risk.currentText() == "—请选择—"
    assert [dialog.risk.itemText(i) for i in range(1, dialog.risk.count())] == ["红色", "黄色", "蓝色"]
    fill_valid(dialog)
    dialog.risk.setCurrentIndex(0)  # a category, and no colour
    assert not dialog.save_button.isEnabled()
    assert dialog.risk_error.isVisible() and dialog.risk_error.text() == "请选择风险颜色（红、黄、蓝）"
    assert "风险颜色" in dialog.outstanding.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.created_case_no is None  # refused
    dialog.risk.setCurrentIndex(dialog.risk.findData(Risk.RED))
    assert not dialog.risk_error.isVisible() and dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000):
        dialog.save()
    case, _version = case_service.get_case(ctx, dialog.created_case_no)
    assert case.risk == Risk.RED


def test_no_colour_is_asked_before_a_category_is_chosen(dialog, qtbot):
    dialog.slip.summary.setPlainText("未分类")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.category_error.text() == "请选择类别"
    assert not dialog.risk_error.isVisible()  # the category first; the colour goes with it
    assert dialog.draft_case().risk is None


def test_a_party_on_the_key_person_register_is_flagged_and_the_grid_is_saved(dialog, ctx, ops, qtbot):
    from jingyuan_desktop.domain.prevention import Citizen, Grid, KeyPerson
    from jingyuan_desktop.services.prevention import records

    village = dialog.choices.villages[0]
    records.save_grids(ctx, [Grid(village, "三网格")])
    records.register_key_person(ctx, Citizen("钱二", phone="13700001111"),
                                KeyPerson(0, "", "精神障碍", responsible="村支书"))
    dialog.choices = dialog.choices.__class__(**{**dialog.choices.__dict__, "grids": records.grids(ctx)})
    fill_valid(dialog)
    dialog._fill_grids()
    dialog.grid.setCurrentIndex(dialog.grid.findData("三网格"))
    assert not dialog.key_persons.isChecked()
    with qtbot.waitSignal(dialog.key_person_notice.sig_checked, timeout=10_000) as checked:
        row = dialog.parties.add_row()
        row.name.setText("钱二")
        row.phone.setText("137 0000 1111")
    assert checked.args == [1]
    assert dialog.key_persons.isChecked() and "钱某（精神障碍，责任人：村支书）" in dialog.key_person_notice.text()
    with qtbot.waitSignals([dialog.sig_saved, ops.sig_changed], timeout=10_000):
        dialog.save()
    case, _version = case_service.get_case(ctx, dialog.created_case_no)
    assert case.key_persons and case.grid == "三网格"

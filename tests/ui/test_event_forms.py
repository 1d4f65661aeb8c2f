"""Every action form of the case view, as a clerk leaves it filled in by default, makes an
event the domain accepts and the database gives back unchanged (Qt widgets must not hand
the domain plain strings where it expects its enums and datetimes); and each form refuses,
in Chinese, what the procedure requires and the clerk left out."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from jingyuan_desktop.domain.categories import UNCLASSIFIED, default_tree
from jingyuan_desktop.domain.enums import CancelReason, CourtResult, EventType, Grade, Outcome, Risk, Satisfaction
from jingyuan_desktop.domain.lifecycle import allowed_events, arrival_problem
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services.case_detail import ActionChoices as FormChoices
from jingyuan_desktop.ui.cases.event_form import EventForm
from tests.ui.conftest import FIXED, dispatch, new_case, record

E = EventType
NOW = FIXED + timedelta(minutes=5)
RESOLVED = (E.RESOLVED, {"outcome": Outcome.ON_SITE.value})
VISITED = (E.RETURN_VISIT, {"satisfaction": Satisfaction.SATISFIED})

# The events that bring a freshly dispatched case to the state where the action is allowed.
BEFORE = {
    E.RETURN_VISIT: [RESOLVED],
    E.POLICE_FEEDBACK: [RESOLVED, VISITED],
    E.ARCHIVED: [RESOLVED, VISITED, (E.POLICE_FEEDBACK, {"officer": "李警官"})],
    E.SUPERVISED: [(E.LEADER_ASSIGNED, {"leader": "镇长"})],
    E.COURT_OUTCOME: [(E.REFERRED_TO_COURT, {"court": "智慧法庭"})],
    # A 疑难 case whose mediation failed waits for the office's 研判 (seed 002).
    E.ANALYSIS: [(E.CLASSIFIED, {"grade": Grade.DIFFICULT}), (E.MEDIATION_FAILED, {})],
}


def choose(combo, value) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


# What a clerk must type or choose because the form cannot guess it.
TYPED = {
    E.CANCELLED: lambda form: choose(form.widgets["reason"], CancelReason.DUPLICATE),
    E.LEADER_ASSIGNED: lambda form: form.widgets["leader"].setCurrentText("镇长"),
    E.JOINT_HANDLING: lambda form: form.widgets["experts"].setPlainText("王律师"),
    E.RETURN_VISIT: lambda form: choose(form.widgets["satisfaction"], Satisfaction.SATISFIED),
    E.RESOLVED: lambda form: choose(form.widgets["outcome"], Outcome.EXPLAINED),
    E.COURT_OUTCOME: lambda form: choose(form.widgets["result"], CourtResult.MEDIATED),
    E.RETURNED_TO_POLICE: lambda form: form.widgets["reason"].setPlainText("涉嫌故意伤害，须启动处罚程序"),
    E.ANALYSIS: lambda form: form.widgets["plan"].setPlainText("由社区民警和治理办工作人员参加二次处置"),
}
KINDS = [E.ARRIVED, E.PROGRESS, E.MEDIATION_FAILED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.JOINT_HANDLING,
         E.REFERRED_TO_COURT, E.COURT_OUTCOME, E.RESOLVED, E.RETURN_VISIT, E.POLICE_FEEDBACK, E.ARCHIVED,
         E.CANCELLED, E.LEADER_ASSIGNED, E.SUPERVISED, E.RETURNED_TO_POLICE, E.DISPATCH_REFUSED, E.ANALYSIS]
CHOICES = FormChoices(departments=["司法所", "派出所"], leaders=["镇长"], tree=default_tree(),
                      archive_no="GD-2025-0001")


def dispatched_case(ctx, steps=()):
    case_no = new_case(ctx, minutes_ago=30)
    dispatch(ctx, case_no, minutes_ago=25)
    for step, (kind, data) in enumerate(steps):
        record(ctx, case_no, kind, 20 - step, **data)
    return case_no


def make_form(qtbot, ctx, case_no, kind, choices=CHOICES) -> EventForm:
    case, _version = case_service.get_case(ctx, case_no)
    form = EventForm(kind, case, NOW, "测试", choices)
    qtbot.addWidget(form)
    return form


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_each_action_form_makes_an_event_that_is_stored_as_made(kind, ctx, qtbot):
    case_no = dispatched_case(ctx, BEFORE.get(kind, []))
    case, version = case_service.get_case(ctx, case_no)
    assert kind in allowed_events(case, NOW)
    form = make_form(qtbot, ctx, case_no, kind)
    if kind in TYPED:
        TYPED[kind](form)
    form._accept()
    assert form.error.text() == ""
    event = form.result_event
    case_service.record_event(ctx, case_no, event, version)
    stored, _ = case_service.get_case(ctx, case_no)
    assert stored.events[-1] == event


# ---- required choices, nothing chosen in advance ------------------------------------

REQUIRED = [
    (E.RESOLVED, "outcome", "请选择化解方式"),
    (E.CANCELLED, "reason", "请选择撤销原因"),
    (E.COURT_OUTCOME, "result", "请选择法庭结果"),
    (E.RETURNED_TO_POLICE, "reason", "请填写移交公安机关的理由"),
    (E.ANALYSIS, "plan", "请填写研判意见和二次处置方案"),
]


@pytest.mark.parametrize(("kind", "name", "message"), REQUIRED, ids=[k.value for k, _n, _m in REQUIRED])
def test_a_required_field_left_empty_is_refused_in_chinese(kind, name, message, ctx, qtbot):
    case_no = dispatched_case(ctx, BEFORE.get(kind, []))
    form = make_form(qtbot, ctx, case_no, kind)
    widget = form.widgets[name]
    if hasattr(widget, "currentData"):
        assert widget.currentData() is None  # nothing chosen in advance
    form._accept()
    assert form.result_event is None and form.error.text() == message


def test_the_return_visit_form_makes_the_clerk_choose_the_answer(ctx, qtbot):
    case_no = dispatched_case(ctx, [RESOLVED])
    form = make_form(qtbot, ctx, case_no, E.RETURN_VISIT, FormChoices())
    assert form.widgets["satisfaction"].currentData() is None  # nothing preselected
    assert "agreement_kept" not in form.widgets  # the first visit asks for satisfaction only
    form._accept()
    assert form.result_event is None and form.error.text() == "请选择当事人的满意度"


# ---- 化解: how it was resolved, and the agreement's number ---------------------------

def test_the_agreement_number_is_asked_only_for_a_mediation_agreement(ctx, qtbot):
    case_no = dispatched_case(ctx)
    form = make_form(qtbot, ctx, case_no, E.RESOLVED)
    assert "on_site" not in form.widgets  # the old checkbox is gone
    outcome, number = form.widgets["outcome"], form.widgets["agreement_no"]
    assert [outcome.itemText(i) for i in range(1, outcome.count())] == [o.label for o in Outcome]
    assert not form.form.isRowVisible(number)
    choose(outcome, Outcome.AGREEMENT)
    assert form.form.isRowVisible(number)
    number.setText("调协字〔2025〕第18号")
    form._accept()
    assert form.result_event.data == {"outcome": "agreement", "agreement_no": "调协字〔2025〕第18号"}


def test_a_number_typed_then_another_outcome_chosen_is_not_recorded(ctx, qtbot):
    case_no = dispatched_case(ctx)
    form = make_form(qtbot, ctx, case_no, E.RESOLVED)
    choose(form.widgets["outcome"], Outcome.AGREEMENT)
    form.widgets["agreement_no"].setText("第18号")
    choose(form.widgets["outcome"], Outcome.SELF_SETTLED)
    assert not form.form.isRowVisible(form.widgets["agreement_no"])
    form._accept()
    assert form.result_event.data == {"outcome": "self_settled"}


# ---- 撤销: a reason code and a free note -------------------------------------------

def test_a_cancellation_keeps_its_reason_code_and_the_note(ctx, qtbot):
    case_no = dispatched_case(ctx)
    form = make_form(qtbot, ctx, case_no, E.CANCELLED)
    reason = form.widgets["reason"]
    assert [reason.itemText(i) for i in range(1, reason.count())] == [r.label for r in CancelReason]
    choose(reason, CancelReason.NOT_OUR_REMIT)
    form.note.setPlainText("系劳动争议，已告知当事人到人社所申请仲裁")
    form._accept()
    event = form.result_event
    assert event.data == {"reason": "not_our_remit"} and event.note.startswith("系劳动争议")


# ---- 到场: who was there ------------------------------------------------------------

def test_arrival_lists_the_latest_dispatch_s_team_all_ticked(ctx, qtbot):
    case_no = new_case(ctx, minutes_ago=30)
    dispatch(ctx, case_no, minutes_ago=28, handlers=("张书记", "李调解"))
    record(ctx, case_no, E.DISPATCH_REFUSED, 27)
    dispatch(ctx, case_no, minutes_ago=26, handlers=("王书记", "赵网格", "钱警助"))
    form = make_form(qtbot, ctx, case_no, E.ARRIVED)
    present = form.widgets["present"]
    assert present.entry_keys() == ["王书记", "赵网格", "钱警助"]  # the team sent last, the leader first
    assert present.checked() == ["王书记", "赵网格", "钱警助"]
    present.set_checked("钱警助", False)
    form._accept()
    assert form.result_event.data == {"present": ["王书记", "赵网格"]}


def test_arrival_with_fewer_than_two_people_is_refused(ctx, qtbot):
    case_no = dispatched_case(ctx)
    form = make_form(qtbot, ctx, case_no, E.ARRIVED)
    form.widgets["present"].set_checked("乙", False)
    form._accept()
    assert form.result_event is None
    assert form.error.text() == arrival_problem(["甲"]) == "到场须至少2人，请勾选实际到场人员（已选1人）"


def test_another_person_on_site_can_be_added_by_name(ctx, qtbot):
    case_no = dispatched_case(ctx)
    form = make_form(qtbot, ctx, case_no, E.ARRIVED)
    present = form.widgets["present"]
    present.set_checked("乙", False)
    form.present_name.setText("孙民警")
    qtbot.keyClick(form.present_name, Qt.Key.Key_Return)  # Enter adds the name, it does not save
    assert form.result_event is None and form.error.text() == ""
    assert present.checked() == ["甲", "孙民警"] and form.present_name.text() == ""
    form.present_name.setText("周网格")  # typed but not added: it counts when saving
    form._accept()
    assert form.result_event.data == {"present": ["甲", "孙民警", "周网格"]}


# ---- 回访: a rolling visit asks whether the agreement holds --------------------------

def rolling_visit_case(ctx):
    return dispatched_case(ctx, [(E.CLASSIFIED, {"grade": Grade.DIFFICULT}),
                                 (E.RESOLVED, {"outcome": Outcome.AGREEMENT.value, "agreement_no": "18"}),
                                 VISITED])


def test_a_rolling_visit_asks_whether_the_agreement_is_kept(ctx, qtbot):
    case_no = rolling_visit_case(ctx)
    case, version = case_service.get_case(ctx, case_no)
    assert E.RETURN_VISIT in allowed_events(case, NOW)
    form = make_form(qtbot, ctx, case_no, E.RETURN_VISIT)
    kept = form.widgets["agreement_kept"]
    assert kept.currentData() is None
    form._accept()
    assert form.result_event is None and form.error.text() == "请选择调解协议是否履行"
    choose(kept, False)  # satisfaction may be left out on a rolling visit
    form._accept()
    event = form.result_event
    assert event.data["agreement_kept"] is False and "satisfaction" not in event.data
    case_service.record_event(ctx, case_no, event, version)
    stored, _ = case_service.get_case(ctx, case_no)
    assert stored.events[-1].get("agreement_kept") is False


# ---- 分类变更 of a case without a colour ---------------------------------------------

def test_classifying_an_unclassified_transfer_asks_for_its_colour(ctx, qtbot):
    case_no = new_case(ctx, risk=None, category=UNCLASSIFIED, minutes_ago=30)
    form = make_form(qtbot, ctx, case_no, E.CLASSIFIED)
    risk = form.widgets["risk"]
    assert risk.currentData() is None  # no colour yet, and none offered in advance
    form.widgets["category"].setCurrentText("邻里纠纷")
    form._accept()
    assert form.result_event is None and form.error.text() == "分类时须选择风险颜色（红、黄、蓝）"
    choose(risk, Risk.YELLOW)
    form._accept()
    assert form.result_event.data == {"category": "邻里纠纷", "risk": Risk.YELLOW}

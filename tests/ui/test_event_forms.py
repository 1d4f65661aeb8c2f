"""Every action form of the case view, as a clerk leaves it filled in by default, makes an
event the domain accepts and the database gives back unchanged (Qt widgets must not hand
the domain plain strings where it expects its enums and datetimes)."""

from datetime import timedelta

import pytest

from jingyuan_desktop.domain.categories import default_tree
from jingyuan_desktop.domain.enums import EventType, Satisfaction
from jingyuan_desktop.domain.lifecycle import allowed_events
from jingyuan_desktop.services import cases as case_service
from jingyuan_desktop.services.case_detail import ActionChoices as FormChoices
from jingyuan_desktop.ui.cases.event_form import EventForm
from tests.ui.conftest import FIXED, dispatch, new_case, record

E = EventType
NOW = FIXED + timedelta(minutes=5)

# The events that bring a freshly dispatched case to the state where the action is allowed.
BEFORE = {
    E.RETURN_VISIT: [(E.RESOLVED, {"on_site": True})],
    E.POLICE_FEEDBACK: [(E.RESOLVED, {"on_site": True}), (E.RETURN_VISIT, {"satisfaction": Satisfaction.SATISFIED})],
    E.ARCHIVED: [(E.RESOLVED, {"on_site": True}), (E.RETURN_VISIT, {"satisfaction": Satisfaction.SATISFIED}),
                 (E.POLICE_FEEDBACK, {"officer": "李警官"})],
    E.SUPERVISED: [(E.LEADER_ASSIGNED, {"leader": "镇长"})],
}
# What a clerk must type because the form cannot guess it.
TYPED = {
    E.CANCELLED: lambda form: form.widgets["reason"].setText("当事人已自行和解"),
    E.LEADER_ASSIGNED: lambda form: form.widgets["leader"].setCurrentText("镇长"),
    E.JOINT_HANDLING: lambda form: form.widgets["experts"].setPlainText("王律师"),
    E.RETURN_VISIT: lambda form: form.widgets["satisfaction"].setCurrentIndex(
        form.widgets["satisfaction"].findData(Satisfaction.SATISFIED)),
}
KINDS = [E.ARRIVED, E.PROGRESS, E.MEDIATION_FAILED, E.FOLLOW_UP_SCHEDULED, E.ESCALATED, E.JOINT_HANDLING,
         E.REFERRED_TO_COURT, E.RESOLVED, E.RETURN_VISIT, E.POLICE_FEEDBACK, E.ARCHIVED, E.CANCELLED,
         E.LEADER_ASSIGNED, E.SUPERVISED]


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_each_action_form_makes_an_event_that_is_stored_as_made(kind, ctx, qtbot):
    case_no = new_case(ctx, minutes_ago=30)
    dispatch(ctx, case_no, minutes_ago=25)
    for step, (before, data) in enumerate(BEFORE.get(kind, [])):
        record(ctx, case_no, before, 20 - step, **data)
    case, version = case_service.get_case(ctx, case_no)
    assert kind in allowed_events(case, NOW)
    choices = FormChoices(departments=["司法所", "派出所"], leaders=["镇长"], tree=default_tree(),
                          archive_no="GD-2025-0001")
    form = EventForm(kind, case, NOW, "测试", choices)
    qtbot.addWidget(form)
    if kind in TYPED:
        TYPED[kind](form)
    form._accept()
    assert form.error.text() == ""
    event = form.result_event
    case_service.record_event(ctx, case_no, event, version)
    stored, _ = case_service.get_case(ctx, case_no)
    assert stored.events[-1] == event



def test_the_return_visit_form_makes_the_clerk_choose_the_answer(ctx, qtbot):
    case_no = new_case(ctx, minutes_ago=30)
    dispatch(ctx, case_no, minutes_ago=25)
    record(ctx, case_no, E.RESOLVED, 20, on_site=True)
    case, _version = case_service.get_case(ctx, case_no)
    form = EventForm(E.RETURN_VISIT, case, NOW, "测试", FormChoices())
    qtbot.addWidget(form)
    assert form.widgets["satisfaction"].currentData() is None  # nothing preselected
    form._accept()
    assert form.result_event is None and form.error.text() == "请选择当事人的满意度"

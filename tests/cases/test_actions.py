"""A case's actions are declared once: each has its verb, take_action reaches it with the input
it declares, the events followers hear of come from the declarations, and a refused move says
so in the words people have always read."""

import inspect

import pytest

from agora.cases import services
from agora.cases.actions import ACTIONS, ANNOUNCED_EVENTS, TRANSITIONS, allowed_actions
from agora.cases.models import Case, CaseEvent, EventKind, State
from agora.cases.services.workflow import VERBS

pytestmark = pytest.mark.django_db


def test_every_declared_action_has_one_verb_that_takes_its_arguments():
    assert set(VERBS) == set(ACTIONS) == set(TRANSITIONS)
    for name, action in ACTIONS.items():
        parameters = inspect.signature(VERBS[name]).parameters
        assert "by" in parameters, name
        assert set(action.arguments.values()) <= set(parameters), name


def test_followers_hear_of_routing_and_every_step_but_assignment_and_claims():
    announced_before_the_declarations = {
        EventKind.ROUTED,
        EventKind.ACKNOWLEDGED,
        EventKind.TRANSFERRED,
        EventKind.INFO_REQUESTED,
        EventKind.INFO_PROVIDED,
        EventKind.ANSWERED,
        EventKind.RESOLVED,
        EventKind.REOPENED,
        EventKind.CLOSED,
    }
    assert announced_before_the_declarations == ANNOUNCED_EVENTS


def test_allowed_actions_follow_the_declarations():
    assert allowed_actions(State.NEW) == [
        "acknowledge",
        "assign",
        "transfer",
        "request_information",
        "answer",
        "resolve",
    ]
    assert allowed_actions(State.WAITING) == [
        "assign",
        "transfer",
        "answer",
        "resolve",
        "provide_information",
    ]
    assert allowed_actions(State.CLOSED) == ["reopen"]


def test_take_action_reaches_each_verb_with_the_input_it_declares(town):
    case = town.submit()
    official, resident = town.lighting_official, town.resident
    steps = [
        ("acknowledge", official, {}),
        ("assign", official, {"assignee": official}),
        ("request_information", official, {"text": "Which lamp?"}),
        ("provide_information", resident, {"text": "Number 12."}),
        ("answer", official, {"text": "Fixed on Monday."}),
        ("close", resident, {}),
        ("reopen", resident, {"text": "Dark again."}),
        ("resolve", official, {"text": "New bulb."}),
        ("reopen", official, {}),
        ("transfer", official, {"office": town.roads_office, "text": "A road sign."}),
    ]
    for name, by, inputs in steps:
        event = services.take_action(case, name, by=by, **inputs)
        assert event.kind == ACTIONS[name].event
        assert event.text == inputs.get("text", "")
    events = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert events[2:] == [ACTIONS[name].event for name, _by, _inputs in steps]
    case.refresh_from_db()
    assert (case.state, case.office, case.assigned_to) == (State.NEW, town.roads_office, None)


def test_a_refused_move_names_the_state_the_case_is_in(town):
    case = town.submit()
    with pytest.raises(services.InvalidTransition) as refused:
        services.close_case(case, by=town.resident)
    assert refused.value.message == (
        "A case that is “Waiting for acknowledgement” cannot be changed this way."
    )
    assert refused.value.code == "invalid_transition"


def test_a_stale_copy_is_told_someone_else_changed_the_case(town):
    case = town.submit()
    stale = Case.objects.get(pk=case.pk)
    services.acknowledge_case(case, by=town.lighting_official)
    with pytest.raises(services.InvalidTransition) as lost:
        services.assign_case(stale, to=town.lighting_official, by=town.lighting_official)
    assert lost.value.message == "Someone else changed this case just now. Reload and retry."

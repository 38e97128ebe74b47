"""The declared lifecycle helper, on real cases: a right move changes the row, a wrong one and a
stale one raise and change nothing."""

import pytest

from agora.cases.models import Case
from agora.core.lifecycle import Lifecycle, StaleTransition, TransitionError
from tests.cases.conftest import build_city

pytestmark = pytest.mark.django_db

LIFECYCLE = Lifecycle(
    {
        "start": ({"new"}, "acknowledged"),
        "note": ({"new", "acknowledged"}, None),
        "finish": ({"acknowledged"}, "resolved"),
    }
)


@pytest.fixture
def case() -> Case:
    return build_city().submit()


def test_a_right_transition_moves_the_row_and_answers_the_object(case):
    moved = LIFECYCLE.move(case, "start", address="Calle Mayor 12")

    assert moved is case
    assert (case.state, case.address) == ("acknowledged", "Calle Mayor 12")
    assert Case.objects.values_list("state", "address").get(pk=case.pk) == (
        "acknowledged",
        "Calle Mayor 12",
    )


def test_an_action_without_a_target_keeps_the_state(case):
    LIFECYCLE.move(case, "note", address="Plaza 1")

    assert Case.objects.values_list("state", "address").get(pk=case.pk) == ("new", "Plaza 1")


def test_a_wrong_transition_names_the_action_and_the_state_and_changes_nothing(case):
    with pytest.raises(TransitionError, match="“finish”.*“new”") as raised:
        LIFECYCLE.move(case, "finish")

    assert (raised.value.action, raised.value.state) == ("finish", "new")
    assert not isinstance(raised.value, StaleTransition)
    assert Case.objects.get(pk=case.pk).state == "new"


def test_a_stale_object_loses_to_whoever_moved_it_first(case):
    stale = Case.objects.get(pk=case.pk)
    LIFECYCLE.move(case, "start")

    with pytest.raises(StaleTransition, match="“start”.*“new”"):
        LIFECYCLE.move(stale, "start")
    # Even an action the new state allows loses: the object was read in another state.
    with pytest.raises(StaleTransition):
        LIFECYCLE.move(stale, "note", address="Plaza 1")
    assert Case.objects.values_list("state", "address").get(pk=case.pk) == ("acknowledged", "")


def test_extra_conditions_must_hold_too(case):
    with pytest.raises(StaleTransition):
        LIFECYCLE.move(case, "start", conditions={"office_id": case.office_id + 1000})

    assert Case.objects.get(pk=case.pk).state == "new"
    assert case.state == "new"


def test_allowed_actions_follow_the_declared_order():
    assert LIFECYCLE.allowed_actions("new") == ["start", "note"]
    assert LIFECYCLE.allowed_actions("acknowledged") == ["note", "finish"]
    assert LIFECYCLE.allowed_actions("closed") == []


def test_the_state_field_is_named_by_the_lifecycle(case):
    kinds = Lifecycle({"rephrase": ({"report"}, "question")}, field="kind")

    kinds.move(case, "rephrase")

    assert Case.objects.values_list("kind", "state").get(pk=case.pk) == ("question", "new")
    with pytest.raises(TransitionError, match="“question”"):
        kinds.move(case, "rephrase")

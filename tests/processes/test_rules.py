"""Who may take part: the three rules, the home area matched by the directory's names, the
minimum age only where an account records a birth date, and actions declared by later apps."""

from datetime import date

import pytest
from django.utils import timezone

from agora.accounts.models import Verification
from agora.processes import features
from agora.processes.features import Reason
from agora.processes.models import Participation, PhaseKind
from tests.factories import UserFactory

SUPPORTING = ((PhaseKind.SUPPORT, -1, 10),)


def test_anyone_signed_in_may_take_part_when_the_rule_says_so(town):
    process = town.process(*SUPPORTING, participation=Participation.SIGNED_IN)
    assert features.can_act(town.signed_in, "support", process).allowed
    assert features.can_act(town.outsider, "support", process).allowed
    assert features.can_act(town.anonymous, "support", process).reason == Reason.NOT_SIGNED_IN


def test_verified_residents_from_anywhere_when_the_rule_asks_only_verification(town):
    process = town.process(*SUPPORTING, participation=Participation.VERIFIED)
    assert features.can_act(town.outsider, "support", process).allowed
    assert features.can_act(town.signed_in, "support", process).reason == Reason.NOT_VERIFIED


@pytest.mark.parametrize(
    ("home_area", "admitted"),
    [
        ("North", True),
        ("  NORTE ", True),  # the Spanish name, in any case and spacing
        ("District 2", True),  # another name the directory knows
        ("Los Pinos", True),  # a neighbourhood inside North
        ("South", False),
        ("Testville", False),  # the whole city is larger than North
        ("", False),
    ],
)
def test_a_resident_of_the_areas_is_read_from_the_home_area_by_the_directorys_names(
    town, home_area, admitted
):
    process = town.process(*SUPPORTING)
    person = UserFactory(home_area=home_area, verification=Verification.VERIFIED_RESIDENT)
    decision = features.can_act(person, "support", process)
    assert decision.reason == (Reason.ALLOWED if admitted else Reason.OUTSIDE_AREAS)


def test_the_minimum_age_applies_only_to_accounts_that_record_a_birth_date(town):
    process = town.process(*SUPPORTING, minimum_age=16)
    person = town.verified
    assert features.can_act(person, "support", process).allowed  # no birth date: not applied
    today = timezone.localdate()
    person.birth_date = date(today.year - 15, 1, 1)
    assert features.can_act(person, "support", process).reason == Reason.TOO_YOUNG
    person.birth_date = date(today.year - 16, 1, 1)
    assert features.can_act(person, "support", process).allowed


def test_nobody_acts_in_an_unpublished_process(town):
    process = town.process(*SUPPORTING, is_published=False)
    for person in (town.verified, town.official, town.administrator):
        assert features.can_act(person, "support", process).reason == Reason.NOT_PUBLISHED


def test_a_later_app_declares_its_own_action_and_every_page_asks_the_same_question(town):
    action = features.register_action(
        "vote_in_test", label="Vote", who=features.Who.RESIDENTS, phases=[PhaseKind.SUPPORT]
    )
    try:
        process = town.process(*SUPPORTING)
        assert features.can_act(town.verified, "vote_in_test", process).allowed
        assert action in [act for act, _decision in features.what_now(town.verified, process)]
        with pytest.raises(ValueError, match="twice"):
            features.register_action(
                "vote_in_test", label="Vote", who=features.Who.OFFICE, phases=[]
            )
    finally:
        features._actions.pop("vote_in_test")
        features._allowed[PhaseKind.SUPPORT].remove("vote_in_test")


def test_what_now_lists_the_current_phases_actions_with_the_persons_decision(town):
    process = town.process(*SUPPORTING)
    now = {act.name: decision.reason for act, decision in features.what_now(town.outsider, process)}
    assert now == {
        "comment": Reason.OUTSIDE_AREAS,
        "support": Reason.OUTSIDE_AREAS,
        "respond": Reason.OUTSIDE_AREAS,  # polls' action
        "register": Reason.OUTSIDE_AREAS,  # meetings' action
        "sign": Reason.OUTSIDE_AREAS,
        "answer": Reason.NOT_THE_OFFICE,
        "vote": Reason.OUTSIDE_AREAS,  # declared by budgets
    }

"""A petition as an origin of results: once the office has responded to a petition in a
process, its office may make it a result, whose updates the author and the signers hear of; a
petition outside a process, or not yet answered, does not become one."""

import pytest
from django.core.exceptions import ValidationError

from agora.notifications.models import Notification
from agora.petitions import services
from agora.processes.models import PhaseKind
from agora.results import notifying as result_notifying
from agora.results import services as result_services
from tests.helpers import main_part, signed_in
from tests.petitions.conftest import an_open_petition


def a_process(town):
    return town.process((PhaseKind.SUPPORT, -2, 10), (PhaseKind.RESULTS, 10, None))


def test_an_answered_petition_in_a_process_becomes_a_result_its_signers_follow(town):
    process = a_process(town)
    petition = an_open_petition(town, process=process)
    services.sign_petition(petition, by=town.verified, show_name=True)
    page = main_part(signed_in(town.official).get(petition.get_absolute_url()))
    assert "Make it a result" not in page  # not answered yet
    with pytest.raises(ValidationError, match="once the office has responded"):
        result_services.create_result(
            process, by=town.official, title="Shade", description="Trees", origins_of=[petition]
        )

    services.respond_to_petition(petition, by=town.official, body="We will plant 40 trees.")
    page = main_part(signed_in(town.official).get(petition.get_absolute_url()))
    assert f"?origin=petition&amp;id={petition.pk}" in page
    assert "Make it a result" not in main_part(
        signed_in(town.verified).get(petition.get_absolute_url())
    )

    result = result_services.create_result(
        process,
        by=town.official,
        title="Trees on the river walk",
        description="40 trees",
        origins_of=[petition],
    )
    page = main_part(signed_in(town.verified).get(petition.get_absolute_url()))
    assert result.get_absolute_url() in page and "Its delivery" in page
    result_services.add_update(result, by=town.official, body="The first ten are planted.")
    told = set(
        Notification.objects.filter(kind=result_notifying.UPDATED).values_list(
            "recipient", flat=True
        )
    )
    assert {town.verified.pk, petition.author_id} <= told
    assert town.official.pk not in told


def test_a_petition_outside_a_process_does_not_become_a_result(town):
    petition = an_open_petition(town)
    services.respond_to_petition(petition, by=town.official, body="Noted.")
    with pytest.raises(ValidationError, match="in a participation process"):
        result_services.create_result(
            a_process(town), by=town.official, title="T", description="D", origins_of=[petition]
        )

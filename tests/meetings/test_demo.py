"""`agora seed` adds the demo survey (answered twice) and the demo meetings (a town hall with
its seats taken and one person waiting; a past walk with minutes and the proposals it
looked at); again, nothing."""

import pytest
from django.core.management import call_command

from agora.meetings.models import Meeting, Registration, RegistrationState
from agora.polls.models import Poll, Response

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_loads_a_survey_and_meetings_with_a_waiting_list_once():
    call_command("seed", verbosity=0)
    poll = Poll.objects.get()
    assert poll.title_es == "¿Cómo llegan los niños al colegio?"
    assert {question.kind for question in poll.questions.all()} == {
        "single",
        "multiple",
        "ranking",
        "scale",
        "short_text",
        "long_text",
        "matrix",
    }
    assert Response.objects.filter(poll=poll).count() == 2
    town_hall = Meeting.objects.get(process__slug="safe-routes-to-school")
    states = sorted(Registration.objects.filter(meeting=town_hall).values_list("state", flat=True))
    assert states == [RegistrationState.REGISTERED] * 2 + [RegistrationState.WAITING]
    walk = Meeting.objects.get(office__isnull=False)
    assert walk.minutes_es and walk.unnamed_attendance == 14
    discussed = list(walk.discussed_proposals.all())
    assert len(discussed) == 2
    assert {proposal.process.slug for proposal in discussed} == {"safe-routes-to-school"}
    call_command("seed", verbosity=0)
    assert (Poll.objects.count(), Meeting.objects.count()) == (1, 2)

"""Meetings in the processes' test town: a process whose support phase runs (anyone signed in
may take part), a meeting of it with one seat, and a meeting of an office."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.meetings.models import Meeting, Mode
from agora.processes.models import Participation, PhaseKind
from tests.processes.conftest import build_town


def meeting_of(process=None, office=None, *, days=3, **fields) -> Meeting:
    start = timezone.now() + timedelta(days=days)
    values = {
        "title_en": "Town hall, north",
        "title_es": "Asamblea, norte",
        "agenda_en": "Welcome\nQuestions",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "mode": Mode.HYBRID,
        "address": "North school, Main Street 1",
        "latitude": "40.100000",
        "longitude": "-3.200000",
        "online_url": "https://meet.example.org/north",
        "capacity": 1,
        "step_free": True,
    }
    values.update(fields)
    return Meeting.objects.create(process=process, office=office, **values)


@pytest.fixture
def town(db):
    town = build_town()
    town.meeting_process = town.process(
        (PhaseKind.SUPPORT, -1, 10), participation=Participation.SIGNED_IN, slug="meeting-town"
    )
    return town


@pytest.fixture
def meeting(town) -> Meeting:
    return meeting_of(town.meeting_process)

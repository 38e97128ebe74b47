"""The processes' small town, with helpers for petitions: one addressed to the Cycling Unit
(outside any process), its co-sponsors, moderation and thresholds."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from agora.petitions import services
from agora.petitions.models import Brings, Threshold
from tests.processes.conftest import build_town
from tests.proposals.conftest import residents

__all__ = ["residents"]


def a_draft(town, author=None, **fields):
    values = {
        "title": "Shade on the river walk",
        "asks": "Plant trees along the river walk.",
        "why": "It is **too hot** in summer.",
        "office": town.cycling_unit,
        "closes_on": timezone.localdate() + timedelta(days=30),
    }
    values.update(fields)
    return services.start_petition(by=author or town.verified, **values)


def an_open_petition(town, author=None, **fields):
    """Started, backed by no co-sponsor (none needed), and published by the moderator."""
    with override_settings(AGORA_PETITION_COSPONSORS=0):
        petition = a_draft(town, author, **fields)
        services.ask_for_cosponsors(petition, by=petition.author)
    return services.publish_petition(petition, by=town.moderator)


def thresholds(town, response=2, debate=4):
    authority = town.cycling_unit.authority
    made = [Threshold.objects.create(authority=authority, count=response, brings=Brings.RESPONSE)]
    if debate:
        made.append(
            Threshold.objects.create(authority=authority, count=debate, brings=Brings.DEBATE)
        )
    return made


@pytest.fixture
def town(db):
    return build_town()

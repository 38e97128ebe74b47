"""People and content for moderation tests: an author with a post and a comment, moderators,
reporters of each trust level."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from agora.accounts.models import Role, Verification
from agora.moderation.house_rules import publish
from agora.moderation.models import Rule
from agora.social import services as social
from tests.factories import UserFactory


def settled(**fields):
    """A confirmed account of a year: trust level 2."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=365), **fields)


def verified(**fields):
    """A verified resident: trust level 3."""
    return settled(verification=Verification.VERIFIED_RESIDENT, **fields)


@pytest.fixture
def rules(db):
    publish(Rule)  # the migration's rows, gone after a transactional test's flush
    return {rule.number: rule for rule in Rule.objects.all()}


@pytest.fixture
def author(db):
    return verified(display_name="Alma Author")


@pytest.fixture
def post(author):
    return social.create_post(by=author, body="The new bus lane is a disaster, says me.")


@pytest.fixture
def comment(post, db):
    commenter = settled(display_name="Carl Commenter")
    return social.comment_on_post(post, by=commenter, body="You are an idiot and should move.")


def a_moderator(name: str):
    """A moderator with two-factor login on, as the site requires before they act."""
    person = settled(display_name=name, role=Role.MODERATOR)
    TOTP.activate(person, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return person


@pytest.fixture
def moderator(db):
    return a_moderator("Mona Moderator")


@pytest.fixture
def second_moderator(db):
    return a_moderator("Max Moderator")

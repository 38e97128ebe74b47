"""`agora seed` loads the demo directory and makes the demo officials officials of their
offices; running it again changes nothing."""

import pytest
from django.core.management import call_command

from agora.directory.models import Office, OfficeMembership, Responsibility, Topic

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_seed_loads_the_demo_directory_with_its_officials():
    call_command("seed", verbosity=0)
    assert Office.objects.count() >= 10
    assert Topic.objects.count() >= 40
    assert Responsibility.objects.exists()
    memberships = {
        (membership.user.handle, membership.office.slug)
        for membership in OfficeMembership.objects.select_related("user", "office")
    }
    assert memberships == {
        ("roads_office", "roads-mobility"),
        ("waste_office", "waste-cleaning"),
        ("housing_office", "housing"),
    }

    call_command("seed", verbosity=0)
    assert OfficeMembership.objects.count() == 3

"""Consent records: signing up accepts the current house rules and privacy notice; a
material change asks again, once; the records are kept and shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agora.accounts.models import User
from agora.privacy.models import Consent, PolicyVersion
from tests.factories import UserFactory
from tests.helpers import main_part, signed_in


@pytest.mark.django_db
def test_signing_up_accepts_the_current_versions(client):
    page = main_part(client.get(reverse("account_signup")))
    assert "By signing up you accept the" in page and 'href="/rules/"' in page
    assert 'href="/privacy/"' in page
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "username": "newcomer",
            "password1": "a-long-enough-passphrase-77",
            "password2": "a-long-enough-passphrase-77",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(handle="newcomer")
    assert set(Consent.objects.filter(person=person).values_list("document", "version")) == {
        ("rules", 1),
        ("privacy", 1),
    }


@pytest.mark.django_db
def test_a_material_change_asks_again_at_the_next_sign_in_and_a_correction_does_not():
    person = UserFactory()
    User.objects.filter(pk=person.pk).update(date_joined=timezone.now() - timedelta(days=30))
    person.refresh_from_db()
    PolicyVersion.objects.create(document="privacy", version=2, material=False)
    assert signed_in(person).get("/notifications/").status_code == 200

    PolicyVersion.objects.create(
        document="rules", version=2, changes_en="Rule 7: no election campaigning by offices."
    )
    client = signed_in(person)
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:consent") + "?next=/notifications/"
    page = main_part(client.get(response["Location"]))
    assert "Rule 7: no election campaigning by offices." in page and "House rules" in page
    assert client.get("/rules/").status_code == 200  # the document itself may be read
    assert client.get(reverse("privacy:your_data")).status_code == 200  # and their data

    accepted = client.post(reverse("privacy:consent"), {"next": "/notifications/"})
    assert accepted["Location"] == "/notifications/"
    assert Consent.objects.filter(person=person, document="rules", version=2).exists()
    assert Consent.objects.filter(person=person, document="privacy", version=2).exists()
    assert client.get("/notifications/").status_code == 200
    assert "House rules, version 2" in main_part(client.get(reverse("privacy:your_data")))
    assert signed_in(person).get("/notifications/").status_code == 200  # asked once


@pytest.mark.django_db
def test_someone_who_joined_after_the_change_is_not_asked():
    PolicyVersion.objects.create(document="rules", version=2)
    person = UserFactory()
    assert signed_in(person).get("/notifications/").status_code == 200

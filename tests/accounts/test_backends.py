"""The signed-in person of each request is read with a statement compiled once
(`agora.accounts.backends`), and the session from the cache: each request still gets its own
account as it is now, and a deactivated or deleted account is signed out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.accounts.backends import user_by_id
from tests.factories import UserFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def whoami(client) -> str:
    return client.get("/api/v1/me").json().get("handle", "")


def test_each_session_reads_its_own_account_as_it_is_now():
    rosa, otto = UserFactory(handle="rosa"), UserFactory(handle="otto")
    as_rosa, as_otto = signed_in(rosa), signed_in(otto)
    assert (whoami(as_rosa), whoami(as_otto)) == ("rosa", "otto")
    rosa.display_name = "Rosa María"
    rosa.save()
    assert as_rosa.get("/api/v1/me").json()["display_name"] == "Rosa María"


def test_the_account_is_read_in_one_query_with_every_field():
    person = UserFactory(display_name="Rosa Resident", preferred_language="es")
    with CaptureQueriesContext(connection) as queries:
        found = user_by_id(person.pk)
    assert len(queries) == 1
    assert (found.pk, found.display_name, found.preferred_language) == (
        person.pk,
        "Rosa Resident",
        "es",
    )
    assert found.date_joined == person.date_joined  # converted as the ORM converts it
    assert user_by_id(person.pk + 1000) is None


def test_a_deactivated_or_deleted_account_is_signed_out():
    leaving, deleted = UserFactory(), UserFactory()
    as_leaving, as_deleted = signed_in(leaving), signed_in(deleted)
    leaving.is_active = False
    leaving.save()
    deleted.delete()
    for client in (as_leaving, as_deleted):
        assert client.get("/api/v1/me").status_code == 401
        assert 'href="/accounts/login/' in client.get("/").content.decode()

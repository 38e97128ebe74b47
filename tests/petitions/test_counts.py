"""Counts stay exact: any sequence of signatures, confirmations and invalidations by many
people keeps a petition's count equal to its distinct confirmed, valid signers (hypothesis);
and on PostgreSQL two truly parallel signatures by one person count once (two connections,
two threads, a barrier)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from agora.accounts.models import Verification
from agora.petitions import services
from agora.petitions.models import AreaTally, Petition, Signature
from tests.factories import UserFactory
from tests.petitions.conftest import an_open_petition, residents
from tests.processes.conftest import build_town

PEOPLE = 6
DOMAINS = ["a.example", "b.example"]

steps = st.lists(
    st.tuples(
        st.sampled_from(["sign", "confirm", "invalidate_domain", "invalidate_network"]),
        st.integers(0, PEOPLE - 1),
        st.integers(0, 1),  # which domain or network
        st.booleans(),  # act on a fresh copy from the database, or on a possibly stale one
    ),
    max_size=30,
)


@override_settings(AGORA_PETITION_SIGNERS="signed_in")
class SignatureCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        town = build_town()
        cls.moderator = town.moderator
        cls.petition = an_open_petition(town)
        # Half the people have confirmed their email; the others confirm by the link.
        cls.people = [
            UserFactory(
                email=f"person{number}@{DOMAINS[number % 2]}",
                verification=Verification.EMAIL_CONFIRMED if number < 3 else "unverified",
                home_area="North" if number % 3 else "",
            )
            for number in range(PEOPLE)
        ]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps)
    def test_the_count_equals_the_distinct_valid_signers(self, actions):
        copy = Petition.objects.get(pk=self.petition.pk)
        for verb, person, which, fresh in actions:
            if fresh:
                copy = Petition.objects.get(pk=self.petition.pk)
            signer = self.people[person]
            try:
                if verb == "sign":
                    services.sign_petition(copy, by=signer, address=f"10.0.{which}.{person}")
                elif verb == "confirm":
                    token = Signature.objects.filter(person=signer).values_list(
                        "confirm_token", flat=True
                    )
                    services.confirm_signature(token.first() or "")
                elif verb == "invalidate_domain":
                    services.invalidate_signatures(
                        copy, by=self.moderator, reason="Bulk", email_domain=DOMAINS[which]
                    )
                else:
                    services.invalidate_signatures(
                        copy, by=self.moderator, reason="Bulk", network=f"10.0.{which}.0/24"
                    )
            except ValidationError:
                pass  # a confirmation link for nobody's signature: nothing changed
        stored = Petition.objects.get(pk=self.petition.pk)
        valid = Signature.objects.filter(
            petition=stored, confirmed_at__isnull=False, invalidation__isnull=True
        )
        assert stored.signature_count == valid.values("person").distinct().count()
        tallies = AreaTally.objects.filter(petition=stored).values_list("area_key", "count")
        by_area = {key: count for key, count in tallies if count}
        expected = {}
        for area_id in valid.values_list("area", flat=True):
            expected[area_id or 0] = expected.get(area_id or 0, 0) + 1
        assert by_area == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's connections")
@pytest.mark.django_db(transaction=True)
def test_two_parallel_signatures_by_one_person_count_once():
    town = build_town()
    petition = an_open_petition(town)
    (person,) = residents(1)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def sign():
        try:
            copy = Petition.objects.get(pk=petition.pk)
            barrier.wait(timeout=10)
            outcomes.append(services.sign_petition(copy, by=person) is not None)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == [False, True]
    assert Petition.objects.get(pk=petition.pk).signature_count == 1
    assert Signature.objects.filter(petition=petition).count() == 1
